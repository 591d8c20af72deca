"""Broken and hostile inputs: each is answered with a message that names the place, exit code 2, no
traceback, and nothing written — no output file appears and the input stays byte-for-byte the same.

Every file is made here, in tmp_path; nothing binary is committed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import planner
from planner import read
from planner.cli import EXIT_BAD_INPUT, main
from tests.workbooks import Sheets, one_item, write_workbook


def base() -> Sheets:
    return one_item(demand={1: 10, 2: 5}, item={"volume": 1.0})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def refuse(path: Path, capsys, *expected: str) -> str:
    """Run ``planner solve`` on ``path``; assert exit 2, nothing written, and each expected text said."""
    before = snapshot(path.parent)
    code = main(["solve", str(path), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    assert snapshot(path.parent) == before, "a file was written or the input changed"
    assert "Traceback" not in err
    assert path.name in err, err
    for text in expected:
        assert text in err, f"{text!r} not in:\n{err}"
    # validate lists the same problems and writes nothing either
    assert main(["validate", str(path)]) == EXIT_BAD_INPUT
    validate_err = capsys.readouterr().err
    for text in expected:
        assert text in validate_err
    assert snapshot(path.parent) == before
    return err


def workbook(tmp_path: Path, sheets: Sheets, name: str = "plan.xlsx", edit=None) -> Path:
    return write_workbook(tmp_path / name, sheets, edit=edit)


def patch_part(path: Path, part_name: str, change) -> None:
    """Rewrite one part of the zip at ``path`` through ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part_name] = change(parts[part_name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member holding ``sheet``'s XML."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book[sheet]._worksheet_path
    finally:
        book.close()


# --- files that are not workbooks ----------------------------------------------------------------------


def test_not_an_xlsx_at_all(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    refuse(path, capsys, "not an .xlsx workbook")


def test_truncated_workbook(tmp_path, capsys):
    good = workbook(tmp_path, base(), "good.xlsx").read_bytes()
    good_path = tmp_path / "good.xlsx"
    good_path.unlink()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(good[: len(good) // 2])
    refuse(path, capsys, "damaged or incomplete")


def test_password_protected_workbook_is_an_ole_container(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096)
    refuse(path, capsys, "password-protected")


def test_xls_given_instead(tmp_path, capsys):
    path = tmp_path / "plan.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096)
    refuse(path, capsys, ".xls", "save it as .xlsx")


def test_csv_given_instead(tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text("item,period,quantity\nA,1,10\n")
    refuse(path, capsys, ".csv", "save it as .xlsx")


def test_csv_renamed_to_xlsx(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_text("item,period,quantity\nA,1,10\n")
    refuse(path, capsys, "text file")


# --- sheets and cells ----------------------------------------------------------------------------------


def test_empty_required_sheet(tmp_path, capsys):
    sheets = base()
    sheets["Suppliers"] = []
    refuse(workbook(tmp_path, sheets), capsys, "Suppliers: is empty")


def test_empty_demand_sheet_when_it_is_the_only_requirement(tmp_path, capsys):
    sheets = base()
    sheets["Demand"] = []
    err = refuse(workbook(tmp_path, sheets), capsys, "Demand: is empty")
    assert "sheet is missing" not in err


def test_hidden_sheets_are_read_like_visible_ones(tmp_path):
    def hide(wb):
        wb["Demand"].sheet_state = "hidden"
        wb["Suppliers"].sheet_state = "veryHidden"

    data = planner.read_workbook(workbook(tmp_path, base(), edit=hide))
    assert data.requirement == {("A", 1): 10.0, ("A", 2): 5.0}
    assert list(data.suppliers.index) == ["S"]


def test_merged_header_cells(tmp_path, capsys):
    def merge(wb):
        wb["Demand"].merge_cells("A1:B1")

    refuse(workbook(tmp_path, base(), edit=merge), capsys, "Demand row 1", "A1:B1 are merged")


def test_merged_data_cells(tmp_path, capsys):
    sheets = base()
    sheets["Demand"] += [["A", 3, 7], ["A", 4, 7]]

    def merge(wb):
        wb["Demand"].merge_cells("C4:C5")

    refuse(workbook(tmp_path, sheets, edit=merge), capsys, "Demand row 4, quantity", "C4:C5 are merged")


def test_formula_without_a_saved_value(tmp_path, capsys):
    sheets = base()
    sheets["Demand"][1][2] = "=5+5"  # openpyxl saves the formula, never its value
    sheets["Items"][1][1] = "=1/2"  # an optional cell: it must not silently take the default
    refuse(
        workbook(tmp_path, sheets),
        capsys,
        'Demand row 2, quantity: "=5+5" is a formula without a saved value: open the file in Excel and save',
        'Items row 2, holding_cost: "=1/2" is a formula without a saved value',
    )


def test_formula_with_a_saved_value_is_read(tmp_path):
    path = workbook(tmp_path, base())
    part = sheet_part(path, "Demand")
    patch_part(
        path,
        part,
        lambda x: x.replace(b'<c r="C2" t="n"><v>10</v></c>', b'<c r="C2"><f>5+5</f><v>10</v></c>'),
    )
    assert b"<f>5+5</f>" in zipfile.ZipFile(path).read(part)
    assert planner.read_workbook(path).requirement[("A", 1)] == 10.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ten", '"ten" is not a number of units'),
        (dt.datetime(2025, 1, 6), '"2025-01-06" is not a number of units'),
        (True, '"True" is not a number of units'),
    ],
    ids=["text", "date", "boolean"],
)
def test_text_dates_and_booleans_in_numeric_columns(tmp_path, capsys, value, expected):
    sheets = base()
    sheets["Demand"][1][2] = value
    refuse(workbook(tmp_path, sheets), capsys, f"Demand row 2, quantity: {expected}")


@pytest.mark.parametrize(
    ("sheet", "row", "column", "index"),
    [("Demand", 2, "quantity", 2), ("Items", 2, "on_hand", None), ("Suppliers", 2, "delivery_cost", 1)],
)
def test_huge_numbers_are_refused(tmp_path, capsys, sheet, row, column, index):
    sheets = base()
    if index is None:
        sheets[sheet][0].append(column)
        sheets[sheet][1].append(1e300)
    else:
        sheets[sheet][row - 1][index] = 1e300
    refuse(workbook(tmp_path, sheets), capsys, f'{sheet} row {row}, {column}: "1e+300" is too large')


def test_huge_capacity_says_leave_it_blank(tmp_path, capsys):
    sheets = base()
    sheets["Suppliers"][0].append("capacity")
    sheets["Suppliers"][1].append(1e15)
    refuse(
        workbook(tmp_path, sheets), capsys, "Suppliers row 2, capacity", "leave the cell blank for unlimited"
    )


def test_too_many_periods(tmp_path, capsys):
    sheets = base()
    sheets["Settings"] = [["setting", "value"], ["periods", 10**8]]
    refuse(workbook(tmp_path, sheets), capsys, "Settings row 2, periods", "too many periods")


@pytest.mark.parametrize("text", ["NaN", "INF", "-inf", "1e999", "junk"])
def test_nan_and_infinity_in_number_cells(tmp_path, capsys, text):
    """Other tools can save NaN or infinity as a number cell's value; openpyxl never writes them."""
    path = workbook(tmp_path, base())
    part = sheet_part(path, "Demand")
    patch_part(
        path,
        part,
        lambda x: x.replace(b'<c r="C3" t="n"><v>5</v></c>', f'<c r="C3" t="n"><v>{text}</v></c>'.encode()),
    )
    err = refuse(path, capsys)
    assert re.search(rf"(Demand.*C3.*{re.escape(text)}|Demand row 3, quantity)", err), err


def test_nan_text_is_not_a_number(tmp_path, capsys):
    sheets = base()
    sheets["Demand"][1][2] = "nan"
    sheets["Demand"][2][2] = "inf"
    refuse(
        workbook(tmp_path, sheets),
        capsys,
        'Demand row 2, quantity: "nan" is not',
        'Demand row 3, quantity: "inf" is not',
    )


def test_ids_with_stray_spaces_are_trimmed(tmp_path):
    sheets = base()
    sheets["Demand"][1][0] = "  A "
    sheets["SupplierItems"][1][0] = " S"
    data = planner.read_workbook(workbook(tmp_path, sheets))
    assert data.requirement[("A", 1)] == 10.0
    assert list(data.offers.index) == [("S", "A")]


def test_ids_differing_only_in_case_are_an_error(tmp_path, capsys):
    sheets = base()
    sheets["Items"].append(["a", 0, 1000, 1.0])
    refuse(
        workbook(tmp_path, sheets),
        capsys,
        'Items row 3, item: "a" differs from the item "A" (row 2) only in upper/lower case',
    )


def test_reference_differing_only_in_case_suggests_the_id(tmp_path, capsys):
    sheets = base()
    sheets["Demand"][1][0] = "a"
    refuse(
        workbook(tmp_path, sheets),
        capsys,
        'Demand row 2, item: "a" is not an item in Items (did you mean "A"?)',
    )


def test_duplicate_columns(tmp_path, capsys):
    sheets = base()
    sheets["Items"][0].append("Holding Cost")
    sheets["Items"][1].append(5)
    refuse(workbook(tmp_path, sheets), capsys, "Items row 1, holding_cost", "repeats the header")


def test_every_problem_is_listed_in_one_run(tmp_path, capsys):
    sheets = base()
    sheets["Demand"][1][2] = "ten"
    sheets["Demand"][2][2] = 1e300
    sheets["Items"][1][1] = "=1/2"
    sheets["Items"].append(["a", 0, 1000, 1.0])
    sheets["SupplierItems"][1][2] = -1
    err = refuse(workbook(tmp_path, sheets), capsys)
    assert "5 problem(s) found" in err, err


# --- hostile files -------------------------------------------------------------------------------------


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'.encode()
        for k in range(1, 10)
    )
    + b"]>"
)


def test_xml_entity_bomb(tmp_path, capsys):
    path = workbook(tmp_path, base())
    part = sheet_part(path, "Items")

    def arm(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return BOMB + body.replace(b"<t>A</t>", b"<t>&lol9;</t>", 1)

    patch_part(path, part, arm)
    refuse(path, capsys, "refused")


def test_zip_bomb_is_refused_before_parsing(tmp_path, capsys):
    path = workbook(tmp_path, base())
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w") as f,
    ):
        block = b"\0" * (1 << 20)
        for _ in range(read.RATIO_CHECK_BYTES // len(block) + 2):
            f.write(block)
    assert path.stat().st_size < 2 * 1024**2
    refuse(path, capsys, "zip bomb")


def test_cell_count_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(read, "MAX_CELLS", 200)
    sheets = base()
    sheets["Demand"] += [["A", 2, 1]] * 100
    refuse(workbook(tmp_path, sheets), capsys, "sheet Demand", "more than 200 cells")


def test_a_sheet_with_a_far_away_cell_is_not_a_memory_bomb(tmp_path):
    """A stray cell at the bottom-right of the sheet: empty rows are cheap, the table is still read."""

    def stray(wb):
        wb["Demand"]["ZZ60000"] = None
        wb["Demand"]["ZZ60000"].value = " "

    data = planner.read_workbook(workbook(tmp_path, base(), edit=stray))
    assert data.requirement == {("A", 1): 10.0, ("A", 2): 5.0}


def test_workbook_from_bytes_round_trip_sanity(tmp_path):
    """The helper workbooks themselves are sound (guards the tests above against a broken fixture)."""
    path = workbook(tmp_path, base())
    assert zipfile.is_zipfile(io.BytesIO(path.read_bytes()))
    assert planner.read_workbook(path).requirement == {("A", 1): 10.0, ("A", 2): 5.0}
