"""Write the result workbook: safely (temporary file, then moved into place), never over the input.

The workbook, as a planner opens it: a Dashboard first (cost breakdown, key figures, charts), then the
contract's sheets — Summary, Orders (with ``covers``: the requirements each line serves), Inventory,
Deliveries, Utilisation, OpenOrders — and Shortages (with their reasons), Pegging, KPIs per period and
DeliveryCalendar. Every table is an Excel table with filters, a frozen header, number formats and
conditional formatting (backlog in red, utilisation over 90 % in amber). Only values are written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd

from planner.errors import PlannerError
from planner.excel_format import AMBER, FORMULA_STARTS, RED, Written, highlight, number_format, write_table
from planner.excel_stream import stream_rows
from planner.solve import Result, Status

__all__ = ["FORMULA_STARTS", "default_output", "result_sheets", "write_result", "write_tables"]

UTILISATION_WARN = 0.9
"""Utilisation above this share is coloured amber."""


def default_output(input_path: str | os.PathLike) -> Path:
    """``<input name>-plan.xlsx`` beside the input."""
    path = Path(input_path)
    return path.with_name(f"{path.stem}-plan.xlsx")


def result_sheets(result: Result) -> dict[str, pd.DataFrame]:
    """The result workbook's table sheets, in order (the Dashboard is drawn from them)."""
    from planner.kpis import by_period, delivery_calendar
    from planner.pegging import peg
    from planner.shortages import shortages

    data = result.data
    sheets = {"Summary": result.summary()}
    plan = result.plan
    if plan is not None:
        pegging = peg(data, plan.orders)
        orders = plan.orders.copy()
        from planner.pegging import covers

        orders["covers"] = covers(data, orders, pegging)
        sheets["Orders"] = orders
        proven = result.status is Status.OPTIMAL
        sheets["Shortages"] = shortages(data, plan, pegging, proven_optimal=proven)
        inventory = plan.inventory
        if data.settings.stockout_policy != "lost_sales":
            inventory = inventory.drop(columns=["lost"])
        sheets["Inventory"] = inventory
        sheets["Deliveries"] = plan.deliveries
        utilisation = plan.utilisation
        if data.settings.has_dates and "date" not in utilisation.columns:
            utilisation = utilisation.copy()
            utilisation.insert(2, "date", [data.settings.period_start(int(t)) for t in utilisation["period"]])
        sheets["Utilisation"] = utilisation
        sheets["KPIs"] = by_period(data, plan)
        sheets["DeliveryCalendar"] = delivery_calendar(data, plan)
        sheets["Pegging"] = pegging.drop(columns=["line"])
    sheets["OpenOrders"] = data.open_orders.drop(columns=["row"], errors="ignore")
    sheets.update(result.tables)
    return sheets


def write_result(
    result: Result, path: str | os.PathLike, *, input_path: str | os.PathLike | None = None
) -> Path:
    """Write ``result`` to ``path`` and return it.

    The workbook is written to a temporary file in the same folder and moved into place only when
    complete, so an existing file is replaced by a whole new one or not at all. Refuses to write over
    ``input_path``.
    """
    from planner.dashboard import add_dashboard

    target = _target(path, input_path)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    written = {name: _write_sheet(workbook, name, frame) for name, frame in result_sheets(result).items()}
    add_dashboard(workbook, result, written)
    atomic_save(workbook, target)
    return target


def write_tables(tables: dict[str, pd.DataFrame], path: str | os.PathLike, *, input_path=None) -> Path:
    """Write named tables as sheets of a new workbook, as safely as :func:`write_result` does."""
    target = _target(path, input_path)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, frame in tables.items():
        _write_sheet(workbook, name, frame)
    atomic_save(workbook, target)
    return target


def atomic_save(workbook: openpyxl.Workbook, target: Path) -> None:
    """Save to a temporary file beside ``target``, then rename it over ``target`` in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".xlsx.part", dir=target.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
        stream_rows(tmp, workbook)  # the rows of long tables, written fast (planner.excel_stream)
        os.chmod(tmp, _file_mode(target))  # mkstemp makes it private; a plan is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, or what the user's umask gives a new file."""
    with contextlib.suppress(OSError):
        return target.stat().st_mode & 0o777
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _target(path: str | os.PathLike, input_path: str | os.PathLike | None) -> Path:
    target = Path(path)
    if input_path is not None and _same_file(target, Path(input_path)):
        raise PlannerError(f"refusing to write over the input workbook {input_path}")
    if target.suffix.lower() != ".xlsx":
        raise PlannerError(f"the output must be an .xlsx file, not {target.name}")
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _write_sheet(workbook: openpyxl.Workbook, name: str, frame: pd.DataFrame) -> Written:
    ws = workbook.create_sheet(name)
    formats = {}
    if name == "DeliveryCalendar":
        formats = {c: "#,##0.00" for c in frame.columns if c not in ("period", "date")}
    per_row = name == "Summary"  # formats per row: never streamed (it is short anyway)
    written = write_table(
        ws,
        frame,
        formats=formats,
        max_width=150 if name == "Shortages" else 60,
        stream_above=len(frame) if per_row else None,
    )
    if name == "Summary":
        _format_summary(written, frame)
    for column in ("backlog", "quantity_short", "units_short", "backlog_value", "lost", "periods_late"):
        highlight(written, column, "greaterThan", 0, RED)
    highlight(written, "service_level", "lessThan", 1, RED)
    highlight(written, "shortfall", "greaterThan", 0, AMBER)
    for column in ("utilisation", "warehouse_utilisation", "peak_supplier_utilisation"):
        highlight(written, column, "greaterThan", UTILISATION_WARN, AMBER)
    return written


def _format_summary(written: Written, frame: pd.DataFrame) -> None:
    """Summary's value column holds metrics of different kinds: each row gets its own format."""
    value_column = written.columns["value"]
    for k, (metric, value) in enumerate(zip(frame["metric"], frame["value"], strict=False), start=2):
        if isinstance(value, int | float) and not isinstance(value, bool):
            fmt = number_format(str(metric))
            if fmt is None:
                fmt = "#,##0" if float(value).is_integer() else "#,##0.00"
            written.ws.cell(row=k, column=value_column).number_format = fmt
    written.ws.column_dimensions[written.letter("value")].width = 24
