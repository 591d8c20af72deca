"""Long tables, fast: their rows are streamed into the saved workbook as sheet XML.

openpyxl spends most of a large write serialising cells one element at a time (about 10× longer than
reading the data). For a table longer than :data:`STREAM_ROWS`, :func:`planner.excel_format.write_table`
lets openpyxl write the header and the first data row only — which registers each column's style and
builds everything around the cells (Excel table, frozen panes, widths, conditional formatting, print
setup) — and :func:`stream_rows` then replaces that sheet's rows 2.. in the saved file by rows written
directly as XML, with the same per-column style. Values only: numbers, inline text (never a formula),
booleans, and dates as Excel serial numbers under the column's date format.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

STREAM_ROWS = 2000
"""Tables with more data rows than this are streamed."""
ATTRIBUTE = "_planner_stream"
"""Where a worksheet keeps the columns (lists of cell values) and style ids of its streamed rows."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK = 2000


def mark(ws, columns: list[list], styles: list[int]) -> None:
    """Remember that rows 2.. of ``ws`` are to be streamed from ``columns`` with ``styles``."""
    setattr(ws, ATTRIBUTE, (columns, styles))


def stream_rows(path: str | os.PathLike, workbook: openpyxl.Workbook) -> None:
    """Rewrite the saved workbook at ``path`` with the rows of every marked worksheet streamed in."""
    marked = {
        ws.path.lstrip("/"): getattr(ws, ATTRIBUTE) for ws in workbook.worksheets if hasattr(ws, ATTRIBUTE)
    }
    if not marked:
        return
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".stream-", suffix=".zip", dir=path.parent)
    os.close(fd)
    try:
        with (
            zipfile.ZipFile(path) as src,
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as out,
        ):
            for info in src.infolist():
                if info.filename in marked:
                    columns, styles = marked[info.filename]
                    xml = src.read(info.filename).decode("utf-8")
                    member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    member.compress_type, member._compresslevel = zipfile.ZIP_DEFLATED, 3
                    with out.open(member, "w") as target:
                        _splice(xml, columns, styles, target)
                else:
                    with src.open(info) as member, out.open(info, "w") as target:
                        shutil.copyfileobj(member, target, 1 << 20)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _splice(xml: str, columns: list[list], styles: list[int], target) -> None:
    """The sheet XML with rows 2.. replaced by the streamed ones (row 1, the header, is kept)."""
    start = xml.index("<sheetData")
    head_end = xml.find('<row r="2"', start)
    end = xml.index("</sheetData>", start)
    if head_end < 0 or head_end > end:
        head_end = end
    n = len(columns[0]) if columns else 0
    width = len(columns)
    before = xml[:head_end]
    before = re.sub(
        r'<dimension ref="[^"]*"',
        f'<dimension ref="A1:{get_column_letter(max(width, 1))}{n + 1}"',
        before,
        count=1,
    )
    target.write(before.encode("utf-8"))
    letters = [get_column_letter(k) for k in range(1, width + 1)]
    cells = [_column(col, letter, style) for col, letter, style in zip(columns, letters, styles, strict=True)]
    for first in range(0, n, _CHUNK):
        parts = []
        for r in range(first, min(n, first + _CHUNK)):
            row = r + 2
            parts.append(f'<row r="{row}">')
            for column in cells:
                cell = column[r]
                if cell:
                    parts.append(cell.replace("\0", str(row), 1))
            parts.append("</row>")
        target.write("".join(parts).encode("utf-8"))
    target.write(xml[end:].encode("utf-8"))


def _column(values: list, letter: str, style: int) -> list[str]:
    """Each value of a column as a cell element; ``\\0`` stands for the row number."""
    s = f' s="{style}"' if style else ""
    ref = f"{letter}\0"
    empty = f'<c r="{ref}"{s}/>' if s else ""  # a blank cell keeps its column's format
    out = []
    for v in values:
        if v is None:
            out.append(empty)
        elif isinstance(v, bool):
            out.append(f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float):
            out.append(f'<c r="{ref}"{s}><v>{v!r}</v></c>' if math.isfinite(v) else empty)
        elif isinstance(v, dt.date):
            out.append(f'<c r="{ref}"{s}><v>{to_excel(v)!r}</v></c>')
        else:
            text = _ILLEGAL.sub("", str(v))
            if not text:
                out.append(empty)
                continue
            space = ' xml:space="preserve"' if text != text.strip() else ""
            out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>')
    return out
