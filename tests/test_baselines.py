"""Baselines: classical lot-sizing rules, costed like any plan and checked by the independent checker."""

from __future__ import annotations

from pathlib import Path

import pytest

import planner
from planner.baselines import BASELINES, baseline_plan
from planner.solve import Result, Status
from tests.checker import assert_plan_consistent
from tests.workbooks import one_item, table, write_workbook

ROOT = Path(__file__).resolve().parent.parent


def write_plan(data: planner.PlanningData, plan: planner.Plan, path: Path) -> Path:
    """A plan built outside the solver, as a result workbook the checker can read."""
    result = Result(Status.FEASIBLE, "baseline", data, plan, None, None)
    return planner.write_result(result, path)


def rules_workbook(path: Path) -> Path:
    """Two items, two suppliers: MOQ, packs, lead times, max order, supplier and warehouse capacity."""
    sheets = {
        "Settings": [["setting", "value"], ["periods", 8], ["warehouse_capacity", 120]],
        "Items": table([
            {"item": "A", "holding_cost": 0.5, "stockout_cost": 100, "on_hand": 20, "volume": 1, "safety_stock": 5},  # noqa: E501
            {"item": "B", "holding_cost": 0.2, "stockout_cost": 50, "on_hand": 30, "volume": 0.5},
        ]),
        "Suppliers": table([
            {"supplier": "NEAR", "delivery_cost": 40, "capacity": 60},
            {"supplier": "FAR", "delivery_cost": 120},
        ]),
        "SupplierItems": table([
            {"supplier": "NEAR", "item": "A", "unit_price": 12, "lead_time": 0, "order_multiple": 5, "min_order": 10},  # noqa: E501
            {"supplier": "FAR", "item": "A", "unit_price": 9, "lead_time": 2, "order_multiple": 10, "max_order": 60},  # noqa: E501
            {"supplier": "NEAR", "item": "B", "unit_price": 4, "lead_time": 1, "order_multiple": 1, "order_cost": 15},  # noqa: E501
        ]),
        "Demand": [["item", "period", "quantity"]]
        + [["A", t, q] for t, q in enumerate([10, 25, 0, 30, 15, 40, 5, 20], start=1)]
        + [["B", t, q] for t, q in enumerate([15, 0, 35, 10, 0, 45, 20, 10], start=1)],
    }  # fmt: skip
    return write_workbook(path, sheets)


@pytest.mark.parametrize("name", list(BASELINES))
def test_baseline_plans_break_no_rule(tmp_path, name):
    source = rules_workbook(tmp_path / "rules.xlsx")
    data = planner.read_workbook(source)
    plan = baseline_plan(data, name)
    report = assert_plan_consistent(source, write_plan(data, plan, tmp_path / f"{name}.xlsx"))
    assert report.costs["total_cost"] == pytest.approx(plan.costs["total_cost"])
    assert len(plan.orders) > 0


@pytest.mark.parametrize("instance", ["S", "tr6-15"])  # generated; capacitated lot sizing
def test_baseline_plans_of_the_benchmark_instances_break_no_rule(tmp_path, instance):
    source = ROOT / "instances" / f"{instance}.xlsx"
    data = planner.read_workbook(source)
    for name in BASELINES:
        assert_plan_consistent(
            source, write_plan(data, baseline_plan(data, name), tmp_path / f"{instance}-{name}.xlsx")
        )


def test_textbook_costs_of_lot_for_lot_and_silver_meal(tmp_path):
    # Wagner–Whitin's example: demands 90, 120, 80, 70, fixed cost 500, holding 2 (optimum 1,380).
    # Lot-for-lot: four deliveries = 2,000. Silver–Meal: cost per period 500, 370, 353.3, 370 → the first
    # lot covers periods 1–3 (holding 120·2 + 80·4 = 560), a second lot period 4: 500 + 560 + 500 = 1,560.
    data = planner.read_workbook(
        write_workbook(tmp_path / "ww.xlsx", one_item(demand={1: 90, 2: 120, 3: 80, 4: 70}, price=0,
                                                       delivery_cost=500, holding_cost=2))
    )  # fmt: skip
    assert baseline_plan(data, "lot_for_lot").costs["total_cost"] == pytest.approx(2000)
    assert baseline_plan(data, "silver_meal").costs["total_cost"] == pytest.approx(1560)


def test_baselines_wait_for_the_lead_time_and_round_to_packs(tmp_path):
    data = planner.read_workbook(
        write_workbook(tmp_path / "lead.xlsx", one_item(demand={3: 7, 4: 7, 5: 7}, lead_time=2,
                                                         offer={"order_multiple": 5, "min_order": 12},
                                                         item={"on_hand": 0}))
    )  # fmt: skip
    for name in BASELINES:
        orders = baseline_plan(data, name).orders
        assert (orders["order_period"] >= 1).all()
        assert (orders["quantity"] % 5 == 0).all() and (orders["quantity"] >= 15).all()
