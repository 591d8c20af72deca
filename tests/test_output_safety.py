"""Output safety: input text is never a formula in the result, the result is written atomically, and
the input is never overwritten."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.cli import EXIT_BAD_INPUT, main
from tests.workbooks import one_item, write_workbook

FORMULA_LIKE = ('=HYPERLINK("http://x","y")', "+SUM(1,2)", "-2+3", "@cmd")


def formula_like_ids() -> dict:
    item, supplier, description, unit = FORMULA_LIKE
    sheets = one_item(demand={1: 4, 2: 6}, item={"description": description, "unit": unit, "on_hand": 1})
    for rows in sheets.values():
        for row in rows[1:]:
            for k, value in enumerate(row):
                if value == "A":
                    row[k] = item
                elif value == "S":
                    row[k] = supplier
    sheets["OpenOrders"] = [["item", "period", "quantity", "supplier"], [item, 2, 1, supplier]]
    return sheets


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("formulas")
    source = write_workbook(folder / "plan.xlsx", formula_like_ids(), as_text=True)
    output = folder / "result.xlsx"
    assert main(["solve", str(source), "-o", str(output), "--quiet"]) == 0
    return source, output


def test_text_starting_like_a_formula_is_written_as_text(solved):
    _, output = solved
    book = openpyxl.load_workbook(output)  # not data_only: a formula would read as "=..."
    seen = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.value in FORMULA_LIKE:
                    assert cell.data_type == "s"
                    seen.add(cell.value)
    assert {FORMULA_LIKE[0], FORMULA_LIKE[1]} <= seen  # the item and supplier ids are in Orders


def test_the_result_xml_holds_no_formula_element(solved):
    _, output = solved
    with zipfile.ZipFile(output) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name


def test_output_over_the_input_is_refused_before_solving(tmp_path, capsys, monkeypatch):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))
    before = source.read_bytes()
    monkeypatch.setattr("planner.cli.solve", lambda *a, **k: pytest.fail("solved although refused"))
    for spelling in (str(source), str(tmp_path / "." / "sub" / ".." / "plan.xlsx")):
        assert main(["solve", str(source), "-o", spelling]) == EXIT_BAD_INPUT
        assert "refusing to write the plan over the input workbook" in capsys.readouterr().err
    link = tmp_path / "link.xlsx"
    link.symlink_to(source)
    assert main(["solve", str(source), "-o", str(link)]) == EXIT_BAD_INPUT
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.xlsx", "plan.xlsx"]


def test_write_result_refuses_the_input_too(tmp_path):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))
    result = planner.solve(planner.read_workbook(source), planner.SolveOptions(time_limit=30))
    with pytest.raises(planner.PlannerError, match="over the input workbook"):
        planner.write_result(result, source, input_path=source)


def _fail_save(self, *args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_failed_write_leaves_the_old_result_whole_and_no_temporary_file(tmp_path, monkeypatch):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))
    result = planner.solve(planner.read_workbook(source), planner.SolveOptions(time_limit=30))
    output = tmp_path / "result.xlsx"
    planner.write_result(result, output, input_path=source)
    old = output.read_bytes()
    monkeypatch.setattr(openpyxl.workbook.workbook.Workbook, "save", _fail_save)
    with pytest.raises(OSError, match="No space left"):
        planner.write_result(result, output, input_path=source)
    assert output.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "result.xlsx"]


def test_a_failed_write_from_the_command_line_is_a_message(tmp_path, monkeypatch, capsys):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))
    output = tmp_path / "result.xlsx"
    output.write_bytes(b"the previous plan")
    monkeypatch.setattr(openpyxl.workbook.workbook.Workbook, "save", _fail_save)
    code = main(["solve", str(source), "-o", str(output), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "No space left on device" in err and "Traceback" not in err
    assert output.read_bytes() == b"the previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "result.xlsx"]


def test_a_written_result_is_an_ordinary_readable_file(tmp_path):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))
    result = planner.solve(planner.read_workbook(source), planner.SolveOptions(time_limit=30))
    output = planner.write_result(result, tmp_path / "result.xlsx", input_path=source)
    mask = os.umask(0o022)
    os.umask(mask)
    assert output.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600
