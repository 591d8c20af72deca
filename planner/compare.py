"""Compare two plans side by side: costs and KPIs read from their Summary sheets.

Any workbook in the result format will do (the Summary sheet's ``metric`` and ``value`` columns), so a
plan from today can be set against yesterday's, or a solved plan against an audited manual one.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.chart import BarChart, Reference

from planner.audit import sheet_rows
from planner.data import COST_TERMS
from planner.errors import PlannerError
from planner.schema import normalise

FIRST = ("status", "total_cost", *COST_TERMS)
"""Metrics shown first, in this order; the others follow in the order of the first plan."""
SKIP = ("message",)


def read_summary(path: str | os.PathLike) -> dict[str, object]:
    """The Summary sheet of a result workbook as {metric: value}."""
    path = Path(path)
    rows = sheet_rows(path, "Summary")
    header = [normalise(h) if h is not None else "" for h in (rows[0] if rows else ())]
    if "metric" not in header or "value" not in header:
        raise PlannerError(f"{path}: the Summary sheet needs the columns metric and value")
    m, v = header.index("metric"), header.index("value")
    return {
        str(r[m]).strip(): (r[v] if v < len(r) else None)
        for r in rows[1:]
        if m < len(r) and r[m] is not None and str(r[m]).strip()
    }


def compare(a: dict[str, object], b: dict[str, object], names: tuple[str, str] = ("A", "B")) -> pd.DataFrame:
    """Metrics of both plans side by side, with the difference B − A and its share of A for numbers."""
    order = [k for k in FIRST if k in a or k in b]
    order += [k for k in list(a) + list(b) if k not in order and k not in SKIP]
    order = list(dict.fromkeys(order))
    rows = []
    for metric in order:
        x, y = a.get(metric), b.get(metric)
        diff = change = None
        if _is_number(x) and _is_number(y):
            diff = float(y) - float(x)
            change = diff / abs(float(x)) if float(x) else None
        rows.append((metric, x, y, diff, change))
    return pd.DataFrame(rows, columns=["metric", names[0], names[1], "difference", "change"])


def format_table(table: pd.DataFrame) -> str:
    """The comparison as aligned text for the terminal."""
    cells = [[str(c) for c in table.columns]]
    for row in table.itertuples(index=False):
        metric, x, y, diff, change = row
        cells.append(
            [
                metric,
                _show(x, metric),
                _show(y, metric),
                _show(diff, metric, sign=True),
                f"{change:+.1%}" if _is_number(change) else "",
            ]
        )
    widths = [max(len(r[k]) for r in cells) for k in range(5)]
    lines = []
    for r in cells:
        lines.append(
            "  ".join([r[0].ljust(widths[0])] + [r[k].rjust(widths[k]) for k in range(1, 5)]).rstrip()
        )
    return "\n".join(lines)


def write_comparison(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """A workbook with the Comparison table and a chart of the cost terms of both plans."""
    from planner.excel_format import PERCENT, write_table
    from planner.write import _target, atomic_save

    target = _target(path, None)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    ws = workbook.create_sheet("Comparison")
    shown = table.astype(object).where(table.notna(), None)
    write_table(ws, shown, formats={"change": PERCENT}, stream_above=len(shown))  # formats per row below
    for k, metric in enumerate(table["metric"], start=2):
        fmt = _format(str(metric))
        for col in (2, 3, 4):
            if fmt:
                ws.cell(row=k, column=col).number_format = fmt
    costs = [k for k, metric in enumerate(table["metric"], start=2) if metric in COST_TERMS]
    if costs and costs == list(range(costs[0], costs[-1] + 1)):
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Cost terms"
        chart.add_data(
            Reference(ws, min_col=2, max_col=3, min_row=1, max_row=costs[-1]), titles_from_data=True
        )
        # keep only the cost rows: a reference per series over exactly those rows
        for series, col in zip(chart.series, (2, 3), strict=True):
            series.val.numRef.f = f"'Comparison'!${_letter(col)}${costs[0]}:${_letter(col)}${costs[-1]}"
        chart.set_categories(Reference(ws, min_col=1, min_row=costs[0], max_row=costs[-1]))
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.width, chart.height = 18, 9
        ws.add_chart(chart, f"G{2}")
    atomic_save(workbook, target)
    return target


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _format(metric: str) -> str | None:
    from planner.excel_format import number_format

    return number_format(metric)


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(float(x))


def _show(x: object, metric: str, sign: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "" if sign else "—"
    if not _is_number(x):
        return str(x)
    x = float(x)
    fmt = _format(metric)
    if fmt and "%" in fmt:
        return f"{x:+.2%}" if sign else f"{x:.2%}"
    if x.is_integer() and abs(x) < 1e15:
        return f"{x:+,.0f}" if sign else f"{x:,.0f}"
    return f"{x:+,.2f}" if sign else f"{x:,.2f}"
