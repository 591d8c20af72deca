"""Disruption scenarios: the two-stage stochastic plan, worked out by hand.

The base case: item A, 10 units required in each of periods 1..5, one supplier S (price 1, lead time 0,
no delivery cost), holding 1 per unit and period, stockout 3 per unit and period of backlog. S has a 50 %
chance of a two-period delay on what is due in period 3 (Disruptions: S, periods 3..3, delay 2).

The line for period 3 can arrive
- in period 3: if the delay hits, its 10 units come in period 5 and 10 units wait in periods 3 and 4:
  expected extra cost 0.5 × 3 × 10 × 2 = 30;
- in period 2 (a buffer of 10 units at the end of period 2, out of the window): 1 × 10 = 10 for sure;
- in period 1: 20.
Costs are linear in how much is brought early, so the plan brings all or nothing: a buffer of 10 units
exactly when holding it (h × 10 = 10) costs less than the expected backlog (p × π × delay × 10 = 60 p),
i.e. when p > 1/6.

p = 0.5: expected cost = purchase 50 + buffer 10 = 60 in both scenarios. The deterministic plan (10 in
every period, cost 50) costs 50 or 50 + 60 = 110: expected 80. VSS = 80 − 60 = 20.
"""

from __future__ import annotations

import numpy as np
import pytest

import planner
from planner import stochastic
from tests.workbooks import one_item, table


def _case(p: float, settings: dict | None = None) -> dict:
    sheets = one_item(
        demand={t: 10 for t in range(1, 6)}, price=1, holding_cost=1, stockout_cost=3, settings=settings
    )
    sheets["Disruptions"] = table(
        [{"supplier": "S", "from_period": 3, "to_period": 3, "probability": p, "delay": 2}]
    )
    return sheets


def _risk(result: planner.Result) -> dict:
    risk = result.tables["Risk"]
    return dict(zip(risk["metric"], risk["value"], strict=False))


def test_half_chance_of_two_period_delay_buys_a_buffer_of_one_periods_need(solve_case):
    case = solve_case(_case(0.5))
    orders = case.result.orders
    assert dict(zip(orders["arrival_period"], orders["quantity"], strict=False)) == {
        1: 10,
        2: 20,
        4: 10,
        5: 10,
    }
    risk = _risk(case.result)
    assert risk["scenarios"] == 2 and risk["scenario_method"] == "enumerated"
    assert risk["expected_cost"] == pytest.approx(60.0)  # 50 + 10, whatever happens
    assert risk["worst_case_cost"] == pytest.approx(60.0)
    assert risk["deterministic_expected_cost"] == pytest.approx(80.0)  # 0.5 × 50 + 0.5 × 110
    assert risk["deterministic_worst_case_cost"] == pytest.approx(110.0)
    assert risk["vss"] == pytest.approx(20.0)
    buffer = case.result.tables["Buffer"]
    assert buffer[["item", "period", "disrupted", "buffer"]].values.tolist() == [["A", 2, "yes", 10.0]]
    assert risk["buffer_units"] == pytest.approx(2.0)  # 10 extra units in one of 5 periods
    assert risk["buffer_value"] == pytest.approx(2.0)  # at unit_cost 1
    assert case.result.lower_bound == pytest.approx(60.0)  # the bound is on the expected cost
    assert case.cost == pytest.approx(60.0)  # as planned: purchase 50 + holding 10 (checked independently)


def test_unlikely_delay_buys_no_buffer(solve_case):
    # p = 0.1 < 1/6: expected backlog 0.1 × 60 = 6 < holding 10. Plan = deterministic plan, VSS = 0.
    case = solve_case(_case(0.1))
    risk = _risk(case.result)
    assert risk["expected_cost"] == pytest.approx(56.0)
    assert risk["vss"] == pytest.approx(0.0)
    assert case.result.tables["Buffer"].empty


def test_cvar_weight_buys_the_buffer_a_risk_neutral_plan_skips(solve_case):
    # p = 0.1, cvar_alpha 0.9, cvar_weight 1. Bringing x of the 10 units early:
    # costs 50 + x (no delay) and 50 + x + 6 (10 − x) = 110 − 5x (delay); E = 56 + 0.4 x;
    # CVaR_0.9 = the delayed scenario's cost (its probability is exactly the tail 0.1) = 110 − 5x.
    # Objective 166 − 4.6 x: x = 10, objective 60 + 60 = 120.
    case = solve_case(_case(0.1, {"cvar_alpha": 0.9, "cvar_weight": 1}))
    risk = _risk(case.result)
    assert case.result.lower_bound == pytest.approx(120.0)
    assert risk["expected_cost"] == pytest.approx(60.0)
    assert risk["cvar_cost"] == pytest.approx(60.0)
    assert risk["deterministic_cvar_cost"] == pytest.approx(110.0)
    assert risk["vss"] == pytest.approx(-4.0)  # 56 − 60: risk aversion costs 4 in expectation


def test_capacity_factor_halves_what_arrives_and_what_is_paid(solve_case):
    # 10 units needed in period 2 (= T); a 50 % chance that S delivers (and bills) only half of what is
    # due in period 2. y units due in 2: without the cut cost y + 1 × (y − 10)⁺ held; with it 0.5 y paid
    # and (10 − 0.5 y)⁺ short at the end: 3 per period + unit_cost 1 still owed = 4 each.
    # y = 10: 0.5 × 10 + 0.5 × (5 + 4 × 5) = 17.5. Each unit more: +0.75 price, +0.5 held, −1 short
    # (0.5 × 0.5 × 4): +0.25; each unit less: −0.75, +2 short without the cut, +1 with it: worse.
    # Bringing the 10 in period 1 (outside the window) costs 10 + 10 held = 20. So 17.5.
    sheets = one_item(demand={2: 10}, price=1, holding_cost=1, stockout_cost=3)
    sheets["Disruptions"] = table(
        [{"supplier": "S", "from_period": 2, "to_period": 2, "probability": 0.5, "capacity_factor": 0.5}]
    )
    case = solve_case(sheets)
    risk = _risk(case.result)
    assert risk["expected_cost"] == pytest.approx(17.5)
    assert case.result.lower_bound == pytest.approx(17.5)
    scenarios = case.result.tables["Scenarios"]
    assert sorted(scenarios["purchase_cost"]) == pytest.approx([5.0, 10.0])


def test_few_disruptions_are_enumerated_with_their_probabilities():
    data = planner.from_frames(_frames({"probability": [0.5, 0.2], "delay": [1, 1]}, scenarios=4))
    cases = stochastic.scenarios(data)
    assert [(c.events, c.probability) for c in cases] == [
        ((), pytest.approx(0.4)),
        ((0,), pytest.approx(0.4)),
        ((1,), pytest.approx(0.1)),
        ((0, 1), pytest.approx(0.1)),
    ]


def test_many_disruptions_are_sampled_with_a_fixed_seed():
    frames = _frames({"probability": [0.3] * 5, "delay": [1] * 5}, scenarios=8)
    first = stochastic.scenarios(planner.from_frames(frames))
    again = stochastic.scenarios(planner.from_frames(frames))
    assert first == again  # same seed, same scenarios
    assert stochastic.scenario_method(planner.from_frames(frames)) == "sampled"
    assert sum(c.probability for c in first) == pytest.approx(1.0)
    assert all(np.isclose(c.probability * 8, round(c.probability * 8)) for c in first)


def test_cvar_of_a_discrete_distribution():
    # Costs 0 (p 0.9) and 100 (p 0.1): CVaR_0.9 = 100; CVaR_0.8 = (0.1 × 100 + 0.1 × 0) / 0.2 = 50.
    assert stochastic.cvar(np.array([0.0, 100.0]), np.array([0.9, 0.1]), 0.9) == pytest.approx(100.0)
    assert stochastic.cvar(np.array([0.0, 100.0]), np.array([0.9, 0.1]), 0.8) == pytest.approx(50.0)


def test_disruption_rows_are_validated():
    import pandas as pd

    frames = _frames({"probability": [1.5], "delay": [1]}, scenarios=4)
    frames["Disruptions"] = pd.concat(
        [
            frames["Disruptions"],
            pd.DataFrame(
                [{"supplier": "X", "probability": 0.1, "delay": 1, "from_period": 3, "to_period": 2}]
            ),
        ]
    )
    with pytest.raises(planner.InputError) as error:
        planner.from_frames(frames)
    text = str(error.value)
    assert "probability" in text and "above 1" in text
    assert '"X"' in text or "X" in text
    assert "before from_period" in text


def _frames(columns: dict, scenarios: int):
    import pandas as pd

    n = len(columns["probability"])
    return {
        "Settings": pd.DataFrame({"setting": ["scenarios"], "value": [scenarios]}),
        "Items": pd.DataFrame({"item": ["A"], "holding_cost": [1.0], "stockout_cost": [3.0]}),
        "Suppliers": pd.DataFrame({"supplier": ["S"]}),
        "SupplierItems": pd.DataFrame({"supplier": ["S"], "item": ["A"], "unit_price": [1.0]}),
        "Demand": pd.DataFrame({"item": ["A"] * 4, "period": [1, 2, 3, 4], "quantity": [10.0] * 4}),
        "Disruptions": pd.DataFrame({"supplier": ["S"] * n, **columns}),
    }


def test_bench_hook_builds_the_stochastic_model_of_sampled_scenarios():
    from planner.benchdata.generate import generate

    data = planner.from_frames(generate("S"))  # 4 suppliers: 16 combinations, 10 draws, duplicates merged
    report = stochastic.bench_stochastic(data, scenarios=10, solve_it=False)
    assert report["scenarios"] == len(stochastic.scenarios(stochastic.with_bench_disruptions(data, 10)))
    assert 1 < report["scenarios"] <= 10
    assert report["rows"] > 0 and report["columns"] > 0 and report["integers"] > 0


def test_pre_buffered_start_brings_forward_what_may_be_delayed():
    # The line due in period 3 (in the window, delay 2) comes in period 1 instead; the others stay.
    frames = _frames({"probability": [0.5], "delay": [2], "from_period": [3], "to_period": [3]}, scenarios=4)
    data = planner.from_frames(frames)
    lines = {("S", "A", t): 10.0 for t in range(1, 5)}
    expected = {("S", "A", 1): 20.0, ("S", "A", 2): 10.0, ("S", "A", 4): 10.0}
    assert stochastic.pre_buffered(data, lines) == expected
