"""The blank input workbook, generated from the sheet descriptions that drive validation (schema.py).

Every sheet of :data:`planner.schema.SHEETS` with its columns in order; each header carries a comment
(meaning, unit, default) and each column a data validation: drop-downs of the items and suppliers
entered (lists referring to the id columns of Items and Suppliers), numbers and whole numbers with
their smallest value, the choices of choice columns. An Instructions sheet comes first. ``planner
example`` writes the shipped example workbook instead (package data ``planner/examples/plant.xlsx``).
"""

from __future__ import annotations

import math
import os
import shutil
from importlib import resources
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.errors import PlannerError
from planner.excel_format import HEADER_FILL, HEADER_FONT, print_wide, set_widths
from planner.schema import INSTRUCTIONS, REQUIREMENT_SHEETS, SETTINGS, SHEETS, Column, Sheet

ROWS = 5000
"""Rows below the header that get the data validations (and that the id drop-downs look at)."""
EXAMPLE = ("examples", "plant.xlsx")
"""The shipped example inside the package (a copy of examples/plant.xlsx; a test keeps them equal)."""

_REFERENCES = {"item": ("Items", "item"), "supplier": ("Suppliers", "supplier")}
"""Columns whose values must be ids entered in another sheet: a drop-down of that sheet's id column."""


def write_template(path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write the blank input workbook to ``path`` (refusing to replace a file unless ``overwrite``)."""
    from planner.write import atomic_save

    target = _target(path, overwrite)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    settings_range = _instructions(workbook.create_sheet(INSTRUCTIONS))
    for sheet in SHEETS.values():
        _sheet(workbook.create_sheet(sheet.name), sheet, settings_range)
    atomic_save(workbook, target)
    return target


def write_example(path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Copy the shipped example workbook (an e-bike plant, 12 weeks) to ``path``."""
    target = _target(path, overwrite)
    source = resources.files("planner").joinpath(*EXAMPLE)
    with resources.as_file(source) as found:
        shutil.copyfile(found, target)
    return target


def _target(path: str | os.PathLike, overwrite: bool) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise PlannerError(f"the workbook must be an .xlsx file, not {target.name}")
    if target.exists() and not overwrite:
        raise PlannerError(f"{target} exists: not replaced (use --force to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def column_note(column: Column) -> str:
    """The header comment of a column: meaning, unit, default."""
    lines = [column.description or column.name]
    if column.unit:
        lines.append(f"Unit: {column.unit}")
    if column.choices:
        lines.append(f"One of: {', '.join(column.choices)}")
    lines.append("Required." if column.required else f"Default: {column.default_text}")
    return "\n".join(lines)


def _instructions(ws: Worksheet) -> str:
    """The Instructions sheet; returns the range of the setting names (for the Settings drop-down)."""
    print_wide(ws)
    set_widths(ws, A=24, B=100, C=26, D=40)
    ws["A1"] = "Planning workbook"
    ws["A1"].font = Font(bold=True, size=16, color="1F4E78")
    text = [
        "Fill in one sheet per table below; the first row of each sheet is its header, data starts on row 2.",
        "Hover over a header to read what the column means, its unit and its default; a blank optional cell "
        "takes the default.",
        f"Required sheets: {', '.join(s.name for s in SHEETS.values() if s.required)}, and the requirements: "
        f"{REQUIREMENT_SHEETS[0]}, or {REQUIREMENT_SHEETS[1]} with {REQUIREMENT_SHEETS[2]} (or all three).",
        "Enter Items and Suppliers first: the item and supplier cells of the other sheets offer them "
        "as a list.",
        "Then run:  planner validate this.xlsx   and   planner solve this.xlsx",
        "The planner does not read this sheet.",
    ]
    for k, line in enumerate(text, start=3):
        ws.cell(row=k, column=1, value=line)
    row = len(text) + 4
    for col, label in enumerate(["Sheet", "What it holds", "Required"], start=1):
        _head(ws.cell(row=row, column=col, value=label))
    for sheet in SHEETS.values():
        row += 1
        ws.cell(row=row, column=1, value=sheet.name).font = Font(bold=True)
        ws.cell(row=row, column=2, value=sheet.description).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(sheet.description) / 95))
        ws.cell(row=row, column=3, value="yes" if sheet.required else "")
    row += 2
    for col, label in enumerate(["Setting", "Meaning", "Unit", "Default"], start=1):
        _head(ws.cell(row=row, column=col, value=label))
    first = row + 1
    for column in SETTINGS.values():
        row += 1
        ws.cell(row=row, column=1, value=column.name).font = Font(bold=True)
        meaning = column.description + (f" One of: {', '.join(column.choices)}." if column.choices else "")
        ws.cell(row=row, column=2, value=meaning).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(meaning) / 95))  # room for wrapped lines
        ws.cell(row=row, column=3, value=column.unit or "")
        ws.cell(row=row, column=4, value=column.default_text).alignment = Alignment(wrap_text=True)
    for cells in ws.iter_rows(min_row=len(text) + 5, max_row=row):
        for cell in cells:
            if cell.value is not None and not cell.alignment.wrap_text:
                cell.alignment = Alignment(vertical="top")
    return f"{INSTRUCTIONS}!$A${first}:$A${row}"


def _head(cell) -> None:
    cell.fill = HEADER_FILL
    cell.font = HEADER_FONT


def _sheet(ws: Worksheet, sheet: Sheet, settings_range: str) -> None:
    for k, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=k, value=column.name)
        _head(cell)
        note = Comment(column_note(column), "planner")
        note.width, note.height = 320, 140
        cell.comment = note
        ws.column_dimensions[get_column_letter(k)].width = max(len(column.name) + 4, 14)
        validation = _validation(sheet, column, settings_range)
        if validation is not None:
            letter = get_column_letter(k)
            validation.add(f"{letter}2:{letter}{ROWS + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _validation(sheet: Sheet, column: Column, settings_range: str) -> DataValidation | None:
    """The data validation of a column, from its kind, minimum, choices and references."""
    if sheet.name == "Settings" and column.name == "setting":
        dv = DataValidation(type="list", formula1=settings_range, allow_blank=True)
        return _messages(dv, column, "Pick a setting from the list.")
    ref = _REFERENCES.get(column.name)
    if ref is not None and ref[0] != sheet.name and column.kind == "id":
        target = SHEETS[ref[0]]
        letter = get_column_letter([c.name for c in target.columns].index(ref[1]) + 1)
        dv = DataValidation(
            type="list", formula1=f"{target.name}!${letter}$2:${letter}${ROWS + 1}", allow_blank=True
        )
        return _messages(dv, column, f"Pick one of the {ref[1]}s entered in {target.name}.")
    if column.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
        return _messages(dv, column, f"One of: {', '.join(column.choices)}.")
    if column.kind in ("number", "whole", "period"):
        low = column.minimum if column.minimum is not None else (1 if column.kind == "period" else None)
        kind = "decimal" if column.kind == "number" else "whole"
        if low is None:
            dv = DataValidation(
                type=kind, operator="between", formula1="-1E+300", formula2="1E+300", allow_blank=True
            )
        else:
            dv = DataValidation(
                type=kind, operator="greaterThanOrEqual", formula1=_plain(low), allow_blank=True
            )
        what = "A whole number" if kind == "whole" else "A number"
        if column.kind == "period":
            what = "A period number 1..T (or a date, with start_date and period_length in Settings)"
        elif low is not None:
            what += f" ≥ {_plain(low)}"
        return _messages(dv, column, what + ".")
    if column.kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        return _messages(dv, column, "A date.")
    return None


def _messages(dv: DataValidation, column: Column, rule: str) -> DataValidation:
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = column.name[:32]
    dv.error = rule[:255]
    dv.promptTitle = column.name[:32]
    dv.prompt = f"{rule} {column.description}"[:255]
    return dv


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))
