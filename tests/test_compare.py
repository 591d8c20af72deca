"""planner compare: two plans' costs and KPIs side by side, read from their Summary sheets."""

from __future__ import annotations

import openpyxl
import pytest

from planner import cli
from planner.compare import compare, read_summary
from tests.workbooks import write_workbook


def summary(path, rows):
    return write_workbook(path, {"Summary": [["metric", "value"], *rows], "Orders": [["supplier"]]})


@pytest.fixture
def plans(tmp_path):
    a = summary(
        tmp_path / "monday.xlsx",
        [
            ["status", "optimal"],
            ["message", "optimal"],
            ["total_cost", 1000],
            ["purchase_cost", 900],
            ["delivery_cost", 100],
            ["service_level", 0.9],
        ],
    )
    b = summary(
        tmp_path / "tuesday.xlsx",
        [
            ["status", "feasible"],
            ["total_cost", 1100],
            ["purchase_cost", 950],
            ["delivery_cost", 150],
            ["service_level", 1.0],
            ["gap", 0.01],
        ],
    )
    return a, b


def test_side_by_side_with_difference_and_change(plans):
    a, b = plans
    table = compare(read_summary(a), read_summary(b), ("monday", "tuesday")).set_index("metric")
    assert list(table.index[:4]) == ["status", "total_cost", "purchase_cost", "delivery_cost"]
    assert "message" not in table.index
    assert table.loc["total_cost", "difference"] == 100 and table.loc[
        "total_cost", "change"
    ] == pytest.approx(0.1)
    assert table.loc["status", "monday"] == "optimal" and table.loc["status", "tuesday"] == "feasible"
    assert table.loc["gap", "monday"] is None


def test_compare_command_prints_and_writes_a_workbook(plans, tmp_path, capsys):
    a, b = plans
    out = tmp_path / "cmp.xlsx"
    assert cli.main(["compare", str(a), str(b), "-o", str(out)]) == cli.EXIT_OPTIMAL
    printed = capsys.readouterr().out
    line = next(x for x in printed.splitlines() if x.startswith("total_cost"))
    assert line.split() == ["total_cost", "1,000", "1,100", "+100", "+10.0%"]
    assert "service_level" in printed and "90.00%" in printed
    ws = openpyxl.load_workbook(out)["Comparison"]
    assert [c.value for c in ws[1]] == ["metric", "monday", "tuesday", "difference", "change"]
    assert list(ws.tables) == ["ComparisonTable"]
    [chart] = ws._charts
    assert [s.val.numRef.f for s in chart.series] == ["'Comparison'!$B$4:$B$5", "'Comparison'!$C$4:$C$5"]


def test_a_workbook_without_summary_is_bad_input(tmp_path, capsys):
    other = write_workbook(tmp_path / "x.xlsx", {"Orders": [["supplier"]]})
    assert cli.main(["compare", str(other), str(other)]) == cli.EXIT_BAD_INPUT
    assert "no Summary sheet" in capsys.readouterr().err
