"""planner template / example: a blank workbook generated from schema.py, and the shipped example."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

import openpyxl
import pytest

import planner
from planner import cli
from planner.errors import PlannerWarning
from planner.schema import SETTINGS, SHEETS
from planner.template import ROWS, column_note, write_template

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "blank.xlsx")


def validations(ws) -> dict[str, object]:
    """Data validations by the header of the column they cover."""
    names = {c.column_letter: c.value for c in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[names[rng.coord.split(":")[0].rstrip("0123456789")]] = (dv, str(rng.coord))
    return out


def test_every_sheet_and_column_of_the_schema_in_order_with_comments(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Instructions", *SHEETS]
    for name, sheet in SHEETS.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.name for c in sheet.columns]
        for cell, column in zip(ws[1], sheet.columns, strict=True):
            assert cell.comment is not None and cell.comment.text == column_note(column)
        assert ws.max_row == 1 and ws.freeze_panes == "A2"
    note = wb["SupplierItems"]["D1"].comment.text
    assert "Periods from order to arrival" in note and "Unit: periods" in note and "Default: 0" in note
    assert "Required." in wb["Items"]["A1"].comment.text


def test_drop_downs_of_items_and_suppliers_and_numeric_ranges(template):
    wb = openpyxl.load_workbook(template)
    offers = validations(wb["SupplierItems"])
    dv, rng = offers["supplier"]
    assert (dv.type, dv.formula1, rng) == ("list", f"Suppliers!$A$2:$A${ROWS + 1}", f"A2:A{ROWS + 1}")
    assert offers["item"][0].formula1 == f"Items!$A$2:$A${ROWS + 1}"
    assert (
        offers["lead_time"][0].type,
        offers["lead_time"][0].operator,
        offers["lead_time"][0].formula1,
    ) == ("whole", "greaterThanOrEqual", "0")
    assert (offers["unit_price"][0].type, offers["unit_price"][0].formula1) == ("decimal", "0")
    demand = validations(wb["Demand"])
    assert demand["item"][0].formula1 == f"Items!$A$2:$A${ROWS + 1}"
    assert (demand["period"][0].type, demand["period"][0].formula1) == ("whole", "1")
    assert "supplier" not in validations(wb["Suppliers"])  # the id column itself is free text
    settings = validations(wb["Settings"])
    names = [c.value for c in wb["Instructions"]["A"] if c.value in SETTINGS]
    assert names == list(SETTINGS)
    assert settings["setting"][0].formula1.startswith("Instructions!$A$")
    assert all(dv.showErrorMessage for dv, _ in offers.values())


def test_a_filled_template_is_a_valid_workbook(template, tmp_path):
    wb = openpyxl.load_workbook(template)
    wb["Items"].append(["A"])
    wb["Suppliers"].append(["S", 10])
    wb["SupplierItems"].append(["S", "A", 2.5, 1])
    for t in (2, 3):
        wb["Demand"].append(["A", t, 10])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlannerWarning)
        data = planner.read_workbook(filled)
    assert data.T == 3 and list(data.items.index) == ["A"]
    assert [str(w.message) for w in caught] == []  # the Instructions sheet is skipped silently


def test_template_and_example_commands_never_replace_a_file(tmp_path, capsys):
    out = tmp_path / "new.xlsx"
    assert cli.main(["template", str(out)]) == cli.EXIT_OPTIMAL
    assert cli.main(["template", str(out)]) == cli.EXIT_BAD_INPUT
    assert "exists: not replaced" in capsys.readouterr().err
    assert cli.main(["template", str(out), "--force"]) == cli.EXIT_OPTIMAL
    example = tmp_path / "plant.xlsx"
    assert cli.main(["example", str(example)]) == cli.EXIT_OPTIMAL
    assert example.read_bytes() == (ROOT / "examples" / "plant.xlsx").read_bytes()


def test_shipped_example_is_the_repository_example_and_is_package_data():
    packaged = ROOT / "planner" / "examples" / "plant.xlsx"
    assert packaged.read_bytes() == (ROOT / "examples" / "plant.xlsx").read_bytes(), (
        "copy examples/plant.xlsx to planner/examples/plant.xlsx"
    )
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "examples/*.xlsx" in config["tool"]["setuptools"]["package-data"]["planner"]
