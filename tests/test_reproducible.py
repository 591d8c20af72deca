"""Reproducibility: the same input and options give the same plan and the same result workbook.

HiGHS is deterministic for a fixed random seed and thread count when it stops on the gap (not on the
clock); the seed is SolveOptions.seed (default 0), passed to HiGHS as ``random_seed``.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd

import planner
from planner.cli import main
from planner.solve import _configure, new_highs
from tests.workbooks import table, write_workbook


def several_items() -> dict:
    items = [
        {"item": f"I{k}", "holding_cost": 0.5 + k / 4, "stockout_cost": 60, "on_hand": 3 * k, "volume": 1}
        for k in range(1, 4)
    ]
    suppliers = [
        {"supplier": "near", "delivery_cost": 40},
        {"supplier": "far", "delivery_cost": 90, "capacity": 60},
    ]
    offers = []
    for k in range(1, 4):
        offers.append(
            {"supplier": "near", "item": f"I{k}", "unit_price": 5 + k, "lead_time": 0, "min_order": 5}
        )
        offers.append({"supplier": "far", "item": f"I{k}", "unit_price": 3 + k, "lead_time": 1})
    demand = [["item", "period", "quantity"]] + [
        [f"I{k}", t, (7 * k + 5 * t) % 23 + 2] for k in range(1, 4) for t in range(1, 5)
    ]
    return {
        "Settings": [["setting", "value"], ["periods", 4], ["warehouse_capacity", 200]],
        "Items": table(items),
        "Suppliers": table(suppliers),
        "SupplierItems": table(offers),
        "Demand": demand,
    }


_SECONDS = re.compile(r"\d+(\.\d+)? ?s\b")


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    """Every cell value of every sheet, except what times the run: Summary's ``*_seconds`` rows, and
    durations in text ("solved in 2.1 s")."""
    book = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "Summary":
            rows = [r for r in rows if not (isinstance(r[0], str) and r[0].endswith("seconds"))]
        out[ws.title] = [tuple(_SECONDS.sub("… s", v) if isinstance(v, str) else v for v in r) for r in rows]
    return out


def test_the_seed_reaches_highs():
    for seed in (0, 12345):
        highs = new_highs()
        _configure(highs, 10.0, 0.0, planner.SolveOptions(seed=seed))
        assert highs.getOptionValue("random_seed")[1] == seed
    assert planner.SolveOptions().seed == 0


def test_same_input_same_plan_and_same_workbook(tmp_path, capsys):
    source = write_workbook(tmp_path / "plan.xlsx", several_items())
    outputs = []
    for k in range(2):
        output = tmp_path / f"result{k}.xlsx"
        assert main(["solve", str(source), "-o", str(output), "--gap", "0", "--quiet"]) == 0
        outputs.append(output)
    capsys.readouterr()
    first, second = (workbook_values(p) for p in outputs)
    assert first.keys() == second.keys()
    for sheet in first:
        assert first[sheet] == second[sheet], sheet
    assert len(first["Orders"]) > 2  # something was planned


def test_same_data_same_orders_through_the_api(tmp_path):
    data = planner.read_workbook(write_workbook(tmp_path / "plan.xlsx", several_items()))
    options = planner.SolveOptions(gap=0.0, time_limit=60, seed=0)
    a, b = planner.solve(data, options), planner.solve(data, options)
    assert a.status is b.status is planner.Status.OPTIMAL
    pd.testing.assert_frame_equal(a.orders, b.orders)
    pd.testing.assert_frame_equal(a.inventory, b.inventory)
    assert a.plan.costs == b.plan.costs
