"""Quality: only good parts are stock — receipts = (1 − defect_rate) × quantity — worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import planner
from planner.model import build_model
from planner.solve import to_highs
from tests.workbooks import one_item, table


def test_cheap_but_defective_supplier_loses_to_a_dearer_good_one(solve_case):
    # 60 good parts needed. S: 1.00 with 25 % defects → 80 bought = 80.00; T: 1.20, no defects → 72.00.
    sheets = one_item(demand={1: 60})
    sheets["Suppliers"] = table([{"supplier": "S"}, {"supplier": "T"}])
    sheets["SupplierItems"] = table(
        [
            {"supplier": "S", "item": "A", "unit_price": 1.0, "defect_rate": 0.25},
            {"supplier": "T", "item": "A", "unit_price": 1.2},
        ]
    )
    case = solve_case(sheets)
    assert case.cost == pytest.approx(72.0)
    assert case.result.orders["supplier"].tolist() == ["T"]
    assert case.result.plan.kpis["expected_defects"] == pytest.approx(0.0)


def test_plan_orders_enough_good_parts_in_whole_units(solve_case):
    # 10 good parts, 20 % defects: 12 units give 9.6 (short), 13 give 10.4 → 13 bought,
    # 2.6 expected defects, 0.4 good parts left at the end (holding 0).
    case = solve_case(one_item(demand={1: 10}, price=1.0, offer={"defect_rate": 0.2}))
    assert case.result.orders["quantity"].tolist() == [13.0]
    assert case.cost == pytest.approx(13.0)
    assert case.result.plan.kpis["expected_defects"] == pytest.approx(2.6)
    inventory = case.result.inventory
    assert inventory["receipts"].tolist() == pytest.approx([10.4])
    assert inventory["closing"].tolist() == pytest.approx([0.4])


def test_evaluate_counts_good_parts_only():
    # A typed-in plan of 100 units at 10 % defects against 95 required: 90 good, 5 backlogged.
    data = planner.from_frames(
        {
            "Items": pd.DataFrame({"item": ["A"], "holding_cost": [0.0], "stockout_cost": [2.0]}),
            "Suppliers": pd.DataFrame({"supplier": ["S"]}),
            "SupplierItems": pd.DataFrame(
                {"supplier": ["S"], "item": ["A"], "unit_price": [1.0], "defect_rate": [0.1]}
            ),
            "Demand": pd.DataFrame({"item": ["A"], "period": [1], "quantity": [95.0]}),
        }
    )
    orders = planner.plan.orders_frame(data, {("S", "A", 1): 100.0})
    plan = planner.evaluate(data, orders)
    assert plan.inventory["backlog"].tolist() == pytest.approx([5.0])
    # purchase 100 + stockout 2 × 5 + still owed at the end 1 × 5 = 115
    assert plan.costs["total_cost"] == pytest.approx(115.0)


def test_defect_rate_must_be_below_one():
    with pytest.raises(planner.InputError, match="defect_rate"):
        planner.from_frames(
            {
                "Items": pd.DataFrame({"item": ["A"]}),
                "Suppliers": pd.DataFrame({"supplier": ["S"]}),
                "SupplierItems": pd.DataFrame(
                    {"supplier": ["S"], "item": ["A"], "unit_price": [1.0], "defect_rate": [1.0]}
                ),
                "Demand": pd.DataFrame({"item": ["A"], "period": [1], "quantity": [5.0]}),
            }
        )


def _size(sheets: dict, tmp_path, name: str) -> tuple[int, int, int]:
    from tests.workbooks import write_workbook

    data = planner.read_workbook(write_workbook(tmp_path / f"{name}.xlsx", sheets))
    highs, columns, _ = to_highs(build_model(data))
    return highs.getNumRow(), highs.getNumCol(), sum(1 for v in columns if v.is_integer())


def test_a_workbook_not_using_the_new_features_builds_the_same_model(tmp_path):
    # Neutral values of every new column and setting (defect_rate 0, frozen_periods 0, storage CO2 0,
    # no carbon cap, scenario settings without a Disruptions sheet) leave the model as it was.
    plain = one_item(
        demand={1: 10, 2: 5, 4: 8}, price=1, delivery_cost=20, holding_cost=1, item={"volume": 1}
    )
    neutral = one_item(
        demand={1: 10, 2: 5, 4: 8},
        price=1,
        delivery_cost=20,
        holding_cost=1,
        item={"volume": 1},
        offer={"defect_rate": 0},
        settings={"frozen_periods": 0, "storage_co2_per_volume": 0, "scenarios": 5, "cvar_weight": 0},
    )
    assert _size(plain, tmp_path, "plain") == _size(neutral, tmp_path, "neutral")
