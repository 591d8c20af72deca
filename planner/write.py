"""Write the result workbook: safely (temporary file, then moved into place), never over the input."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.errors import PlannerError
from planner.solve import Result

FORMULA_STARTS = ("=", "+", "-", "@")


def default_output(input_path: str | os.PathLike) -> Path:
    """``<input name>-plan.xlsx`` beside the input."""
    path = Path(input_path)
    return path.with_name(f"{path.stem}-plan.xlsx")


def result_sheets(result: Result) -> dict[str, pd.DataFrame]:
    """The result workbook's sheets as tables, in order."""
    sheets = {"Summary": result.summary()}
    plan = result.plan
    if plan is not None:
        sheets["Orders"] = plan.orders
        inventory = plan.inventory
        if result.data.settings.stockout_policy != "lost_sales":
            inventory = inventory.drop(columns=["lost"])
        sheets["Inventory"] = inventory
        sheets["Deliveries"] = plan.deliveries
        sheets["Utilisation"] = plan.utilisation
    sheets["OpenOrders"] = result.data.open_orders.drop(columns=["row"], errors="ignore")
    return sheets


def write_result(result: Result, path: str | os.PathLike, *, input_path: str | os.PathLike | None = None) -> Path:
    """Write ``result`` to ``path`` and return it.

    The workbook is written to a temporary file in the same folder and moved into place only when
    complete, so an existing file is replaced by a whole new one or not at all. Refuses to write over
    ``input_path``.
    """
    target = Path(path)
    if input_path is not None and _same_file(target, Path(input_path)):
        raise PlannerError(f"refusing to write the plan over the input workbook {input_path}")
    if target.suffix.lower() != ".xlsx":
        raise PlannerError(f"the output must be an .xlsx file, not {target.name}")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, frame in result_sheets(result).items():
        _write_table(workbook.create_sheet(name), frame)
    atomic_save(workbook, target)
    return target


def atomic_save(workbook: openpyxl.Workbook, target: Path) -> None:
    """Save to a temporary file beside ``target``, then rename it over ``target`` in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".xlsx.part", dir=target.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _write_table(ws: Worksheet, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font

    ws.append([str(c) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text from the input is never a formula
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    for k, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
        ws.column_dimensions[get_column_letter(k)].width = min(max(10, width + 2), 50)


def _cell_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
