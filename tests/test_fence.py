"""Frozen fence and re-planning, worked out by hand.

Item A: 10 units required in each of periods 1..3, price 1, stockout 5 per unit and period.
"""

from __future__ import annotations

import openpyxl
import pytest

import planner
from planner.cli import main
from tests.workbooks import one_item, write_workbook


def test_nothing_new_arrives_inside_the_fence(solve_case):
    # frozen_periods 2, an open order of 10 in period 1: period 2's 10 units wait until period 3
    # (5 × 10 = 50); 20 arrive in 3 (20). Total 70; without the fence 10 + 10 + 10 = 30.
    sheets = one_item(demand={1: 10, 2: 10, 3: 10}, price=1, stockout_cost=5, settings={"frozen_periods": 2})
    sheets["OpenOrders"] = [["item", "period", "quantity"], ["A", 1, 10]]
    case = solve_case(sheets)
    assert case.cost == pytest.approx(70.0)
    assert case.result.orders[["arrival_period", "quantity"]].values.tolist() == [[3, 20.0]]


def test_replanning_keeps_the_previous_plans_lines_inside_the_fence(tmp_path):
    # First plan (no fence, holding 1): 10 in each of periods 1, 2, 3 = 30. Re-plan with
    # frozen_periods 2 and --firm: the lines arriving in 1 and 2 become open orders (free), only period 3
    # is planned: 10.
    first = write_workbook(tmp_path / "week1.xlsx", _three_periods())
    assert main(["solve", str(first), "--quiet"]) == 0
    previous = tmp_path / "week1-plan.xlsx"
    again = write_workbook(
        tmp_path / "week2.xlsx",
        _three_periods(frozen_periods=2),
    )
    out = tmp_path / "week2-plan.xlsx"
    assert main(["solve", str(again), "--firm", str(previous), "-o", str(out), "--quiet"]) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    orders = list(book["Orders"].iter_rows(min_row=2, values_only=True))
    opened = list(book["OpenOrders"].iter_rows(min_row=2, values_only=True))
    assert summary["total_cost"] == pytest.approx(10.0)
    assert [(o[3], o[4]) for o in orders] == [(3, 10)]  # arrival_period, quantity
    assert sorted((o[1], o[2]) for o in opened) == [(1, 10), (2, 10)]  # period, quantity


def test_firm_lines_outside_the_fence_are_replanned(tmp_path):
    from planner.replan import read_firm_orders

    first = write_workbook(tmp_path / "a.xlsx", _three_periods())
    result = planner.solve(planner.read_workbook(first))
    previous = planner.write_result(result, tmp_path / "a-plan.xlsx")
    data = planner.read_workbook(write_workbook(tmp_path / "b.xlsx", _three_periods(frozen_periods=1)))
    firm = read_firm_orders(data, previous)
    assert firm[["item", "period", "quantity", "supplier"]].values.tolist() == [["A", 1, 10.0, "S"]]


def _three_periods(**settings) -> dict:
    return one_item(demand={1: 10, 2: 10, 3: 10}, price=1, holding_cost=1, stockout_cost=5, settings=settings)
