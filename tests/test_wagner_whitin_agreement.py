"""The planner against an independent oracle: single-item uncapacitated lot sizing (Wagner–Whitin DP)."""

from __future__ import annotations

import random

import pytest

import planner
from tests.wagner_whitin import wagner_whitin
from tests.workbooks import one_item


@pytest.mark.parametrize("seed", range(6))
def test_single_item_plans_cost_what_the_dynamic_program_says(solve_case, seed):
    rng = random.Random(seed)
    periods = rng.randint(4, 10)
    demand = [rng.choice([0, rng.randint(5, 150)]) for _ in range(periods)]
    demand[-1] = demand[-1] or 40  # the horizon ends with a requirement
    fixed = rng.choice([50, 200, 500, 1200])
    holding = rng.choice([0.5, 1, 2, 5])
    price = rng.choice([0, 3])
    expected, _ = wagner_whitin(demand, fixed, holding, price)
    sheets = one_item(
        demand={t + 1: q for t, q in enumerate(demand) if q},
        price=price,
        delivery_cost=fixed,
        holding_cost=holding,
        stockout_cost=10_000,
    )
    case = solve_case(sheets)
    assert case.cost == pytest.approx(expected, rel=1e-9)


def test_textbook_instance_through_pandas_api():
    # The same textbook case built from DataFrames, without any Excel file: 1,380.
    import pandas as pd

    frames = {
        "Items": pd.DataFrame({"item": ["A"], "holding_cost": [2.0], "stockout_cost": [1e4]}),
        "Suppliers": pd.DataFrame({"supplier": ["S"], "delivery_cost": [500.0]}),
        "SupplierItems": pd.DataFrame({"supplier": ["S"], "item": ["A"], "unit_price": [0.0]}),
        "Demand": pd.DataFrame({"item": ["A"] * 4, "period": [1, 2, 3, 4], "quantity": [90, 120, 80, 70]}),
    }
    result = planner.solve(planner.from_frames(frames), planner.SolveOptions(gap=0))
    assert result.status is planner.Status.OPTIMAL
    assert result.total_cost == pytest.approx(1380.0)
    assert list(result.orders["quantity"]) == [210, 150]
