"""How a table looks in Excel: an Excel table with filters, a frozen header row, number formats by
column meaning, column widths, and conditional formatting by range rules (never per cell).

Values are written, never formulas (openpyxl saves no cached values, so a reader would see nothing);
text that starts like a formula (= + - @) stays text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@")

MONEY = "#,##0.00"
PERCENT = "0.0%"
RATIO = "0.00"
WHOLE = "0"
COUNT = "#,##0"
DECIMAL = "#,##0.00"
DATE = "yyyy-mm-dd"

HEADER_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
RED = {"fill": PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"), "font": Font(color="9C0006")}
AMBER = {"fill": PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"), "font": Font(color="9C5700")}
TABLE_STYLE = "TableStyleMedium2"

_PERCENT_NAMES = {"utilisation", "service_level", "line_fill_rate", "share", "probability"}
_WHOLE_NAMES = {
    "period",
    "lines",
    "deliveries",
    "order_lines",
    "periods_late",
    "served_in",
    "lead_time",
    "row",
}
_MONEY_WORDS = ("cost", "price", "value", "bound")


def number_format(name: str, values: pd.Series | None = None) -> str | None:
    """The number format of a column (or Summary metric) by its name; for plain quantities, whole
    numbers without decimals and anything else with two."""
    n = name.lower()
    if n == "date" or n.endswith("_date"):
        return DATE
    if n == "gap":
        return "0.00%"
    if n in _PERCENT_NAMES or n.endswith(("_utilisation", "_rate", "_share")):
        return PERCENT
    if n == "inventory_to_sales":
        return RATIO
    if n.endswith("per_period"):
        return DECIMAL
    if n in _WHOLE_NAMES or n.endswith("_period") or n.endswith("_periods"):
        return WHOLE
    if any(word in n for word in _MONEY_WORDS) and not n.endswith("_kg"):
        return MONEY
    if values is None:
        return None
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    numbers = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    numbers = numbers[np.isfinite(numbers)]
    whole = bool(np.all(np.abs(numbers - np.round(numbers)) < 1e-9)) if numbers.size else True
    return COUNT if whole else DECIMAL


@dataclass(frozen=True)
class Written:
    """Where a table went: its sheet, its columns' letters by name, and the last data row."""

    ws: Worksheet
    columns: dict[str, int]
    last_row: int

    def letter(self, column: str) -> str:
        return get_column_letter(self.columns[column])


def write_table(
    ws: Worksheet,
    frame: pd.DataFrame,
    *,
    table: str | None = None,
    formats: dict[str, str] | None = None,
    max_width: int = 60,
    stream_above: int | None = None,
) -> Written:
    """Write ``frame`` (header in row 1) as an Excel table named ``table`` (default: sheet name + Table).

    Tables longer than ``stream_above`` rows (default :data:`planner.excel_stream.STREAM_ROWS`) have their
    rows streamed into the saved file by :func:`planner.excel_stream.stream_rows` (called on saving).
    """
    from planner.excel_stream import STREAM_ROWS, mark

    formats = formats or {}
    header = [str(c) for c in frame.columns]
    ws.append(header)
    columns = [_cells(frame.iloc[:, k]) for k in range(frame.shape[1])]
    n = len(frame)
    stream = n > (STREAM_ROWS if stream_above is None else stream_above)
    written_rows = 1 if stream else n  # streamed: openpyxl writes the first row only (see excel_stream)
    for row in zip(*(c[:written_rows] for c in columns), strict=True):
        ws.append(row)
    width = len(header)
    for k, name in enumerate(header, start=1):
        series = frame.iloc[:, k - 1]
        fmt = formats.get(name) or number_format(name, series)
        if _is_dates(series):
            fmt = DATE
        if fmt and n:
            for (cell,) in ws.iter_rows(min_row=2, max_row=written_rows + 1, min_col=k, max_col=k):
                cell.number_format = fmt
        if n and not stream and not pd.api.types.is_numeric_dtype(series) and not _is_dates(series):
            _keep_text(ws, k, series)  # pandas 3 holds text as "str", older versions as object
        ws.column_dimensions[get_column_letter(k)].width = _width(name, series, fmt, max_width)
    if stream:
        mark(ws, columns, [ws.cell(row=2, column=k).style_id for k in range(1, width + 1)])
    for cell in ws[1]:
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(vertical="center")
    if width:
        ref = f"A1:{get_column_letter(width)}{max(n + 1, 2)}"
        name = table or f"{_table_name(ws.title)}Table"
        t = Table(displayName=name, ref=ref)
        t.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        ws.add_table(t)
    ws.freeze_panes = "A2"
    if width:
        ws.print_area = f"A1:{get_column_letter(width)}{max(n + 1, 2)}"  # long text is not printed beyond
    print_wide(ws)
    ws.print_title_rows = "1:1"
    return Written(ws, {name: k for k, name in enumerate(header, start=1)}, n + 1)


def print_wide(ws: Worksheet) -> None:
    """Landscape, as wide as the page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def set_widths(ws: Worksheet, **widths: float) -> None:
    """Column widths by column letter: ``set_widths(ws, A=40, B=18)``."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def highlight(written: Written, column: str, operator: str, value: float, style: dict) -> None:
    """Colour the cells of ``column`` that compare to ``value`` — one rule over the whole range."""
    if column not in written.columns or written.last_row < 2:
        return
    letter = written.letter(column)
    rng = f"{letter}2:{letter}{written.last_row}"
    written.ws.conditional_formatting.add(rng, CellIsRule(operator=operator, formula=[repr(value)], **style))


def _cells(series: pd.Series) -> list:
    """Cell values of a column: Python scalars, blanks for NaN/NA/NaT/inf."""
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=float)
        return [None if not math.isfinite(v) else v for v in values.tolist()]
    if pd.api.types.is_integer_dtype(series) and not series.hasnans:
        return series.to_numpy().tolist()
    return [_cell(v) for v in series.tolist()]


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | dt.date):
        value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
    return value


def _keep_text(ws: Worksheet, column: int, series: pd.Series) -> None:
    starts = series.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)).to_numpy()
    for k in np.flatnonzero(starts):
        cell = ws.cell(row=int(k) + 2, column=column)
        cell.value = series.iloc[k]
        cell.data_type = "s"  # text from the input is never a formula


def _is_dates(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    first = series.dropna().head(1).tolist()
    return bool(first) and isinstance(first[0], dt.date)


def _width(name: str, series: pd.Series, fmt: str | None, cap: int) -> float:
    longest = len(name) + 4  # room for the filter button
    values = series.dropna()
    if len(values):
        if fmt == DATE:
            longest = max(longest, 12)
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            big = float(np.nanmax(np.abs(pd.to_numeric(values, errors="coerce").astype(float).to_numpy())))
            digits = len(f"{big:,.0f}") if math.isfinite(big) else 4
            longest = max(longest, digits + (3 if fmt in (MONEY, DECIMAL, RATIO) else 0) + 2)
        else:
            longest = max(longest, int(values.astype(str).str.len().max()) + 2)
    return float(min(max(longest, 8), cap))


def _table_name(title: str) -> str:
    name = re.sub(r"\W", "_", title)
    return name if name[:1].isalpha() else f"T_{name}"
