"""Infeasible workbooks: the answer says which rules conflict, in planner terms with sheet and row (exit 3).

New orders can always be left out and shortages are allowed, so what makes a plan impossible is stock
that arrives anyway (start stock, open orders) and that no requirement uses up, overflowing the warehouse
— in every period (Settings) or in one (a Capacity row).
"""

from __future__ import annotations

import pytest

import planner
from planner.cli import EXIT_INFEASIBLE, main
from planner.diagnose import describe, warehouse_overflows
from tests.workbooks import one_item, write_workbook


def overflowing(policy: str = "backlog", **settings) -> dict:
    sheets = one_item(
        demand={1: 5, 2: 5, 3: 5},
        item={"on_hand": 100, "volume": 2},
        settings={"stockout_policy": policy, **settings},
    )
    return sheets


def test_start_stock_over_the_warehouse_is_explained_with_sheet_and_row(tmp_path, capsys):
    path = write_workbook(tmp_path / "plan.xlsx", overflowing(warehouse_capacity=150))
    before = path.read_bytes()
    code = main(["solve", str(path), "--quiet"])
    out = capsys.readouterr().out
    assert code == EXIT_INFEASIBLE
    assert "warehouse capacity in period 1 (Settings row 3, warehouse_capacity) is 150" in out, out
    assert "volume of 190" in out  # (100 − 5) units × volume 2
    assert "item A (Items row 2): on_hand 100 − requirement 5 in periods 1..1 leaves at least 95 units" in out
    assert "rules in conflict (HiGHS infeasibility analysis)" in out
    assert "stock balance of item A in period 1 (Items row 2" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"] and path.read_bytes() == before


def test_a_capacity_override_and_open_orders_point_at_their_rows(tmp_path):
    sheets = overflowing()
    sheets["Items"][1][sheets["Items"][0].index("on_hand")] = 10
    sheets["OpenOrders"] = [["item", "period", "quantity"], ["A", 2, 40]]
    sheets["Capacity"] = [["resource", "period", "capacity"], ["warehouse", 1, 1000], ["warehouse", 3, 20]]
    data = planner.read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    result = planner.solve(data, planner.SolveOptions(time_limit=30))
    assert result.status is planner.Status.INFEASIBLE and result.plan is None
    message = result.message
    # end of period 3: 10 + 40 − 15 = 35 units × 2 = 70 > 20
    assert "warehouse capacity in period 3 (Capacity row 3) is 20" in message, message
    assert "open orders 40 (OpenOrders row 2)" in message
    assert "leaves at least 35 units × volume 2 = 70" in message
    assert "warehouse capacity in period 3 (Capacity row 3)" in message.split("rules in conflict")[1]
    assert "warehouse capacity in period 1" not in message  # period 1 has room


def test_lost_sales_do_not_hide_the_overflow(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", overflowing("lost_sales", warehouse_capacity=150))
    with pytest.warns(planner.PlannerWarning, match="start stock"):
        data = planner.read_workbook(path)
    result = planner.solve(data, planner.SolveOptions(time_limit=30))
    assert result.status is planner.Status.INFEASIBLE
    assert "warehouse capacity in period 1" in result.message
    assert [o.period for o in warehouse_overflows(data)] == [1, 2, 3]


def test_a_warehouse_that_holds_the_stock_is_not_reported(tmp_path):
    with pytest.warns(planner.PlannerWarning):
        data = planner.read_workbook(
            write_workbook(tmp_path / "plan.xlsx", overflowing(warehouse_capacity=150))
        )
    assert [o.period for o in warehouse_overflows(data)] == [1, 2, 3]
    data = planner.read_workbook(write_workbook(tmp_path / "ok.xlsx", overflowing(warehouse_capacity=200)))
    assert warehouse_overflows(data) == []
    assert planner.solve(data, planner.SolveOptions(time_limit=30)).status is planner.Status.OPTIMAL


def test_model_rows_are_named_as_rules_of_the_workbook(tmp_path):
    sheets = overflowing(warehouse_capacity=500)
    sheets["Suppliers"][0].append("capacity")
    sheets["Suppliers"][1].append(50)
    sheets["Capacity"] = [["resource", "period", "capacity"], ["S", 2, 10]]
    data = planner.read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert (
        describe(data, "warehouse_capacity", (2,))
        == "warehouse capacity in period 2 (Settings row 3, warehouse_capacity)"
    )
    assert (
        describe(data, "supplier_capacity", ("S", 2)) == "capacity of supplier S in period 2 (Capacity row 2)"
    )
    assert (
        describe(data, "supplier_capacity", ("S", 3))
        == "capacity of supplier S in period 3 (Suppliers row 2, capacity)"
    )
    assert "SupplierItems row 2" in describe(data, "line_min", ("S", "A", 1))
    assert describe(data, "something_new", ("x", 1)) == "rule something_new[x, 1]"
