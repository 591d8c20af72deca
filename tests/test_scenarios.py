"""What-if variants (planner scenarios), worked out by hand.

Item A, 10 units required in period 1. FAR: price 1.00, co2_per_delivery 100 kg. NEAR: price 1.50,
10 kg. LOCAL: price 0.80, no CO2 — a candidate that only the variant adding it may use.
"""

from __future__ import annotations

import openpyxl
import pytest

import planner
from planner.cli import main
from planner.scenarios import Change, compare, parse_change
from tests.workbooks import table, write_workbook


def _sheets() -> dict:
    return {
        "Items": table([{"item": "A", "unit_cost": 1, "holding_cost": 0, "stockout_cost": 100}]),
        "Suppliers": table(
            [
                {"supplier": "FAR", "co2_per_delivery": 100},
                {"supplier": "NEAR", "co2_per_delivery": 10},
                {"supplier": "LOCAL", "co2_per_delivery": 0},
            ]
        ),
        "SupplierItems": table(
            [
                {"supplier": "FAR", "item": "A", "unit_price": 1.0},
                {"supplier": "NEAR", "item": "A", "unit_price": 1.5},
                {"supplier": "LOCAL", "item": "A", "unit_price": 0.8},
            ]
        ),
        "Demand": [["item", "period", "quantity"], ["A", 1, 10]],
        "Scenarios": [
            ["scenario", "change", "target", "value"],
            ["nearshore", "drop_supplier", "FAR", None],
            ["co2 tax", "carbon_price", None, 0.1],
            ["slow far", "lead_time", "FAR", 1],
            ["local", "add_supplier", "LOCAL", None],
            ["tight near", "drop_supplier", "FAR", None],
            ["tight near", "capacity", "NEAR", 6],
        ],
    }


def test_variants_are_solved_and_compared(tmp_path):
    data = planner.read_workbook(write_workbook(tmp_path / "w.xlsx", _sheets()))
    from planner.scenarios import changes_of

    table_ = compare(data, changes_of(data))["Comparison"].set_index("scenario")
    cost = table_["total_cost"].to_dict()
    assert cost["base"] == pytest.approx(10.0)  # FAR, LOCAL left out of every variant but "local"
    assert cost["nearshore"] == pytest.approx(15.0)  # NEAR only
    assert cost["co2 tax"] == pytest.approx(16.0)  # FAR 10 + 0.1 × 100 = 20 > NEAR 15 + 0.1 × 10 = 16
    assert cost["slow far"] == pytest.approx(15.0)  # FAR cannot arrive in period 1 any more
    assert cost["local"] == pytest.approx(8.0)
    # NEAR delivers at most 6: 4 units wait for ever: 9 + 4 × 100 + 4 × unit_cost 1 (still owed) = 413
    assert cost["tight near"] == pytest.approx(413.0)
    assert table_.loc["base", "transport_co2_kg"] == pytest.approx(100.0)
    assert table_.loc["nearshore", "transport_co2_kg"] == pytest.approx(10.0)
    assert table_.loc["tight near", "service_level"] == pytest.approx(0.6)


def test_command_line_writes_the_comparison_workbook(tmp_path):
    source = write_workbook(tmp_path / "w.xlsx", _sheets())
    out = tmp_path / "cmp.xlsx"
    code = main(["scenarios", str(source), "-o", str(out), "--change", "dear near,unit_price_factor,NEAR,2"])
    assert code == 0
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book["Comparison"].iter_rows(values_only=True))
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=False)) for row in rows[1:]}
    assert by_name["dear near"]["total_cost"] == pytest.approx(10.0)  # FAR still cheapest
    assert "Changes" in book.sheetnames


def test_bad_changes_are_reported_with_their_row(tmp_path):
    sheets = _sheets()
    sheets["Scenarios"].append(["oops", "lead_time", "NOBODY", 2])
    data = planner.read_workbook(write_workbook(tmp_path / "w.xlsx", sheets))
    from planner.scenarios import changes_of

    with pytest.raises(planner.InputError, match=r"Scenarios row 8.*NOBODY"):
        compare(data, changes_of(data))
    assert parse_change("x,carbon_price,,0.5") == Change("x", "carbon_price", "", "0.5")
    with pytest.raises(ValueError):
        parse_change("x,teleport,FAR")
