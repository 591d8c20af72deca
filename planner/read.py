"""Read an input workbook: the raw cell values of each known sheet, under the contract's column names.

Nothing is converted or checked here beyond finding sheets and columns (that is
:mod:`planner.validate`); what cannot be opened at all raises :class:`UnreadableFileError` with one line
saying which file and what is wrong with it.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from planner.errors import Problem, UnreadableFileError
from planner.schema import INSTRUCTIONS, SHEETS, Sheet, normalise

MAX_UNCOMPRESSED_BYTES = 500 * 1024**2
"""Largest total uncompressed size of a workbook's parts we agree to parse (a zip bomb is refused)."""
MAX_COMPRESSION_RATIO = 200
"""A part compressed more than this many times over ..."""
RATIO_CHECK_BYTES = 50 * 1024**2
"""... and larger than this when uncompressed is taken for a zip bomb."""
MAX_CELLS = 5_000_000
"""Most cells (up to the last filled one of each row) a workbook may hold, over all its sheets: about 50
times the largest benchmark instance. More is refused before it fills the memory (a zip bomb of cells)."""

ROW = "_row"
"""Column holding each row's number as Excel shows it (the header is row 1)."""

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_FORMATS = {".xls", ".xlsb", ".csv", ".tsv", ".txt", ".ods", ".numbers", ".json", ".xml", ".html"}

_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError)
"""What a damaged or truncated archive raises while it is being read."""
_BROKEN = (
    *_DAMAGE,
    ET.ParseError,
    DefusedXmlException,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
)
"""What openpyxl and the libraries under it raise for a file that is not a sound workbook."""


@dataclass
class RawWorkbook:
    """The known sheets of a workbook as read, before any value is checked.

    ``sheets`` maps contract sheet names (``"SupplierItems"``) to DataFrames of raw cell values (object
    dtype) under the contract's column names — only the columns present in the file, plus the descriptive
    columns of Suppliers as headed — and an int column ``_row``, the Excel row number. ``warnings`` and
    ``errors`` hold what was found about the layout (unknown sheets and columns, repeated headers);
    validation adds its own and reports them all together.
    """

    sheets: dict[str, pd.DataFrame]
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    source: str = "workbook"


def read_workbook(path: str | os.PathLike) -> RawWorkbook:
    """Read the workbook at ``path`` (an .xlsx file) into a :class:`RawWorkbook`.

    Sheet names and headers are matched through :func:`planner.schema.normalise`; hidden sheets are read
    like visible ones; completely blank rows are skipped. Raises :class:`UnreadableFileError` when the
    file is missing, not an .xlsx workbook, damaged, or hostile (a zip bomb, an XML entity bomb).
    """
    path = Path(path)
    _check_file(path)
    grids: dict[str, list[tuple] | None] = {}
    parts: dict[str, str] = {}
    budget = [MAX_CELLS]
    reading = None
    try:
        with open(path, "rb") as stream, warnings.catch_warnings():
            # openpyxl's remarks on Excel features it does not keep (data validation, styles) are noise here.
            warnings.simplefilter("ignore")
            # A stream rather than the path: openpyxl would refuse a good workbook for its extension alone.
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
            try:
                for name in book.sheetnames:
                    reading = name
                    worksheet = book[name]
                    part = getattr(worksheet, "_worksheet_path", None)
                    if isinstance(part, str):
                        parts[name] = part
                    grids[name] = _grid(worksheet, budget, f"{path}: sheet {name}")
                reading = None
            finally:
                book.close()
    except _BROKEN as error:
        located = _bad_numbers(path, parts.get(reading)) if reading is not None else []
        if located:
            cells = "; ".join(f'cell {ref} holds "{text}", not a number' for ref, text in located[:5])
            raise UnreadableFileError(f"{path}: sheet {reading}: {cells}: type a number there") from error
        raise UnreadableFileError(f"{path}: {_broken(error)}") from error
    scans = {}
    for name, part in parts.items():
        try:
            scans[name] = _scan(path, part)
        except _BROKEN as error:
            raise UnreadableFileError(f"{path}: sheet {name}: {_broken(error)}") from error
    numbered = [
        (name, grid, None if grid is None else range(2, len(grid) + 1)) for name, grid in grids.items()
    ]
    return _tabulate(numbered, source=path.name, letters=True, scans=scans)


class UnsavedFormula(str):
    """A cell holding a formula whose value was never calculated and saved (the text is the formula).

    openpyxl and other tools write formulas without their values; only Excel (or LibreOffice) computes
    and saves them. Read for its value, such a cell would look blank and silently take the default.
    """

    def __repr__(self) -> str:
        return f"UnsavedFormula({str(self)!r})"


UNSAVED_FORMULA = "is a formula without a saved value: open the file in Excel and save it, or type the value"


@dataclass
class _Scan:
    """What a worksheet's XML says that openpyxl's values do not: unsaved formulas and merged cells."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    """(Excel row, 0-based column) -> formula text, for formula cells without a saved value."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (min_col, min_row, max_col, max_row), 1-based."""


_MAYBE_FORMULA_OR_MERGE = re.compile(rb"<(?:\w+:)?(?:f[\s>/]|mergeCell[\s/])")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _needs_scan(archive: zipfile.ZipFile, part: str, pattern: re.Pattern) -> bool:
    """True when the part's XML mentions the pattern (streamed: the part is never held in memory)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _cells(archive: zipfile.ZipFile, part: str):
    """Each cell element of a worksheet part as (Excel row, 1-based column, element), streamed; merged
    ranges as (-1, 0, element)."""
    row_number, column = 0, 0
    with archive.open(part) as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row_number = int(element.get("r") or row_number + 1)
                    column = 0
                continue
            if tag == "c":
                ref = element.get("r")
                if ref:
                    letters, row_number = coordinate_from_string(ref)
                    column = column_index_from_string(letters)
                else:
                    column += 1
                yield row_number, column, element
            elif tag == "row":
                element.clear()
            elif tag == "mergeCell":
                yield -1, 0, element


def _scan(path: Path, part: str) -> _Scan:
    """Unsaved formulas and merged cells of one worksheet part (nothing to parse for most workbooks)."""
    scan = _Scan()
    with zipfile.ZipFile(path) as archive:
        if part not in archive.namelist() or not _needs_scan(archive, part, _MAYBE_FORMULA_OR_MERGE):
            return scan
        for row, column, element in _cells(archive, part):
            if row == -1:
                ref = element.get("ref")
                if ref:
                    scan.merged.append(tuple(range_boundaries(ref)))  # type: ignore[arg-type]
                continue
            children = {_local(child.tag): child for child in element}
            formula = children.get("f")
            if formula is None:
                continue
            value = children.get("v")
            saved = value is not None and (value.text or "") != ""
            if not saved and element.get("t") not in ("str", "inlineStr"):
                scan.formulas[(row, column - 1)] = "=" + (formula.text or "").strip()
    return scan


def _bad_numbers(path: Path, part: str | None) -> list[tuple[str, str]]:
    """(cell reference, text) of number cells whose text is not a finite number (NaN, INF, junk)."""
    if part is None:
        return []
    found: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for row, column, element in _cells(archive, part):
                if row == -1 or element.get("t") not in (None, "n"):
                    continue
                value = next((c for c in element if _local(c.tag) == "v"), None)
                text = (value.text or "").strip() if value is not None else ""
                if not text:
                    continue
                try:
                    ok = math.isfinite(float(text))
                except ValueError:
                    ok = False
                if not ok:
                    found.append((f"{get_column_letter(column)}{row}", text))
    except _BROKEN:
        return found
    return found


def raw_from_frames(frames: dict[str, pd.DataFrame], source: str = "frames") -> RawWorkbook:
    """The :class:`RawWorkbook` of pandas tables named and headed like the workbook's sheets.

    Names and headers are matched as in a workbook. A frame's rows are numbered by its ``_row`` column
    when it has one, otherwise as if it were a sheet: the first row is row 2. NaN, None and NaT are blank
    cells.
    """
    grids: list[tuple[str, Sequence[tuple] | None, Sequence[int] | None]] = []
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frames[{name!r}] is a {type(frame).__name__}, not a pandas DataFrame")
        body = frame.drop(columns=[ROW], errors="ignore").astype(object)
        numbers = [int(n) for n in frame[ROW]] if ROW in frame.columns else range(2, len(frame) + 2)
        values = [tuple(_unpack(v) for v in row) for row in body.itertuples(index=False, name=None)]
        grids.append((str(name), [tuple(body.columns), *values], numbers))
    return _tabulate(grids, source)


def _tabulate(
    grids: list[tuple[str, Sequence[tuple] | None, Sequence[int] | None]],
    source: str,
    letters: bool = False,
    scans: dict[str, _Scan] | None = None,
) -> RawWorkbook:
    """The :class:`RawWorkbook` of (given sheet name, grid of values with the header first, data row numbers).

    A grid of None is a chart sheet. ``letters``: name columns by their Excel letters in messages.
    ``scans``: unsaved formulas and merged cells by given sheet name (workbooks only).
    """
    raw = RawWorkbook({}, source=source)
    given: dict[str, str] = {}
    for name, grid, numbers in grids:
        sheet = _SHEETS_BY_KEY.get(normalise(name))
        if sheet is None and normalise(name) == normalise(INSTRUCTIONS):
            continue  # the template's help sheet
        if sheet is None:
            known = ", ".join(SHEETS)
            unknown = f"is not a sheet the planner reads: ignored (known sheets: {known})"
            raw.warnings.append(Problem(name, None, None, "", unknown))
            continue
        if sheet.name in given:
            same = f'is the same sheet as "{given[sheet.name]}": keep one'
            raw.errors.append(Problem(sheet.name, None, None, name, same))
            continue
        given[sheet.name] = name
        if grid is None or numbers is None:
            raw.errors.append(Problem(sheet.name, None, None, name, "is a chart sheet, not a table"))
            continue
        raw.sheets[sheet.name] = _table(sheet, grid, numbers, raw, letters, (scans or {}).get(name))
    return raw


def _table(
    sheet: Sheet,
    grid: Sequence[tuple],
    numbers: Sequence[int],
    raw: RawWorkbook,
    letters: bool,
    scan: _Scan | None = None,
) -> pd.DataFrame:
    """One sheet as a DataFrame: known (and kept) columns under their contract names, blank rows dropped.

    A formula cell without a saved value in a known column becomes an :class:`UnsavedFormula` (reported
    by validation where its value is needed); merged cells over the table are errors.
    """
    width = max((len(row) for row in grid), default=0)
    header = tuple(grid[0]) + (None,) * (width - len(grid[0])) if grid else ()
    body = grid[1:]
    known = {normalise(c.name): c.name for c in sheet.columns}
    keep: dict[str, int] = {}  # output column -> position in the grid
    seen: dict[str, str] = {}  # normalised header -> where it was first seen, for messages

    def column_label(position: int) -> str:
        return f"column {get_column_letter(position + 1)}" if letters else f"column {position + 1}"

    # Data under blank headers, found in one pass over the cells there are (a stray cell far to the right
    # must not cost rows × columns).
    unheaded = {p for p, cell in enumerate(header) if is_blank(cell) or not str(cell).strip()}
    data_under: dict[int, list[int]] = {}
    if unheaded:
        for number, row in zip(numbers, body, strict=True):
            for position, value in enumerate(row):
                if position in unheaded and not is_blank(value):
                    data_under.setdefault(position, []).append(number)

    for position, cell in enumerate(header):
        text = "" if is_blank(cell) else str(cell).strip()
        if not text:
            filled = data_under.get(position, [])
            if filled:
                held = f"has no header but holds data (rows {_spans(filled)}): ignored"
                raw.warnings.append(Problem(sheet.name, 1, column_label(position), "", held))
            continue
        key = normalise(text)
        name = known.get(key)
        if key in seen:
            if name is not None or sheet.keep_other_columns:
                repeated = f"repeats the header {seen[key]}: keep one of them"
                raw.errors.append(Problem(sheet.name, 1, name or text, text, repeated))
            continue
        seen[key] = f'"{text}" in {column_label(position)}' if letters else f'"{text}"'
        if name is not None:
            keep[name] = position
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
        hint = f' (did you mean "{known[close[0]]}"?)' if close else ""
        if sheet.keep_other_columns:
            # Descriptive columns are welcome here; only one that looks like a misspelt known column is noted.
            keep[text] = position
            if close:
                kept = f"is not a column the planner uses{hint}: kept as a description"
                raw.warnings.append(Problem(sheet.name, 1, text, "", kept))
        else:
            names = ", ".join(c.name for c in sheet.columns)
            ignored = f"is not a column of {sheet.name}{hint}: ignored (known columns: {names})"
            raw.warnings.append(Problem(sheet.name, 1, text, "", ignored))

    formulas = scan.formulas if scan is not None else {}
    known_positions = {p for n, p in keep.items() if n in known.values()}
    if scan is not None:
        _report_merged(sheet, scan, keep, raw)
    rows, kept_numbers = [], []
    for number, row in zip(numbers, body, strict=True):
        values = [_at(row, p) for p in keep.values()]
        if formulas:
            values = [
                UnsavedFormula(formulas[(number, p)])
                if (number, p) in formulas and p in known_positions
                else v
                for v, p in zip(values, keep.values(), strict=True)
            ]
        if not all(is_blank(v) for v in values):
            rows.append(values)
            kept_numbers.append(number)
    frame = pd.DataFrame(rows, columns=list(keep), dtype=object)
    frame[ROW] = pd.Series(kept_numbers, dtype="int64", index=frame.index)
    return frame


_SHEETS_BY_KEY = {normalise(name): sheet for name, sheet in SHEETS.items()}


def _report_merged(sheet: Sheet, scan: _Scan, keep: dict[str, int], raw: RawWorkbook) -> None:
    """Merged cells over a table's columns: only the first cell keeps a value, the others read blank."""
    for min_col, min_row, max_col, max_row in scan.merged:
        columns = [name for name, p in keep.items() if min_col - 1 <= p <= max_col - 1]
        if not columns and min_row > 1:
            continue
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        if min_row == 1:
            what = f"header cells {ref} are merged: unmerge them so that every column has a header of its own"
        else:
            what = (
                f"cells {ref} are merged: unmerge them and fill in every cell (a merged range keeps its "
                "value in its first cell only)"
            )
        raw.errors.append(Problem(sheet.name, min_row, columns[0] if columns else None, "", what))


def _at(row: Sequence, position: int) -> object:
    return row[position] if position < len(row) else None


def _grid(worksheet: object, budget: list[int] | None = None, where: str = "sheet") -> list[tuple] | None:
    """All rows of a worksheet as tuples of values, row 1 first; None for a chart sheet.

    ``budget`` holds the number of cells still allowed (:data:`MAX_CELLS` over the whole workbook);
    reading stops with :class:`UnreadableFileError` when it runs out.
    """
    if not hasattr(worksheet, "iter_rows"):
        return None
    # A wrong <dimension> written by some tools would make openpyxl stop early: read every row there is.
    worksheet.reset_dimensions()
    if budget is None:
        return list(worksheet.iter_rows(min_row=1, min_col=1, values_only=True))
    rows = []
    for row in worksheet.iter_rows(min_row=1, min_col=1, values_only=True):
        budget[0] -= len(row)
        if budget[0] < 0:
            raise UnreadableFileError(
                f"{where}: the workbook holds more than {MAX_CELLS:,} cells, more than the planner reads "
                "(a zip bomb, or far more data than a plan needs; delete unused rows and columns)"
            )
        rows.append(row)
    return rows


def is_blank(value: object) -> bool:
    """True for an empty cell: None, blank text, NaN, NaT, pd.NA."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, int):  # the common case, answered without asking pandas
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _unpack(value: object) -> object:
    """A plain Python value for a pandas/numpy cell: None for every kind of missing value."""
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and type(value).__module__ == "numpy":
        return item()
    return value


def _spans(numbers: list[int]) -> str:
    """Row numbers as short ranges: [2, 3, 4, 7] -> "2–4, 7"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _check_file(path: Path) -> None:
    """Refuse, saying why, anything that is not an .xlsx workbook we can safely open."""

    def refuse(what: str) -> UnreadableFileError:
        return UnreadableFileError(f"{path}: {what}")

    if not path.exists():
        raise refuse("file not found")
    if path.is_dir():
        raise refuse("is a folder, not a workbook file")
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
    except OSError as error:
        raise refuse(f"cannot be opened ({error.strerror or error})") from error
    suffix = path.suffix.lower()
    save = "save it as .xlsx"
    if head.startswith(_OLE_MAGIC):
        if suffix == ".xls":
            raise refuse(f"an .xls file (old Excel format) is not supported: {save}")
        raise refuse(
            "is an old .xls workbook or a password-protected workbook (both are OLE files, not .xlsx): "
            f"{save} without a password"
        )
    if not head:
        raise refuse("is empty (0 bytes), not an .xlsx workbook")
    if not head.startswith(_ZIP_MAGICS):
        if suffix in _OTHER_FORMATS:
            article = "an" if suffix[1] in "aefhilmorsx" else "a"
            raise refuse(f"{article} {suffix} file is not supported: {save}")
        if _looks_like_text(head):
            raise refuse(f"is a text file (such as .csv), not an .xlsx workbook: {save}")
        raise refuse("is not an .xlsx workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise refuse(f"is damaged or incomplete (not a readable zip archive: {error})") from error
    names = {m.filename for m in members}
    if "xl/workbook.bin" in names or suffix == ".xlsb":
        raise refuse(f"an .xlsb file (binary Excel) is not supported: {save}")
    if "[Content_Types].xml" not in names:
        if "mimetype" in names or suffix in {".ods", ".numbers"}:
            raise refuse(f"a {suffix or 'spreadsheet'} file is not supported: {save}")
        raise refuse("is a zip archive but not an .xlsx workbook")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise refuse(
            f"unpacks to {total / 1024**2:,.0f} MB, more than the {MAX_UNCOMPRESSED_BYTES // 1024**2} MB the "
            "planner reads (a zip bomb, or far more data than a plan needs)"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise refuse(
                f"part {member.filename} unpacks to {member.file_size / 1024**2:,.0f} MB, {ratio:,.0f} times "
                "its packed size: refused as a zip bomb"
            )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text (e.g. Excel's "Unicode text")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 4  # cut inside a multi-byte character at the end of the sample
    return True


def _broken(error: BaseException) -> str:
    """What is wrong with a file that openpyxl could not read, in one line."""
    causes = [error]
    while (inner := causes[-1].__cause__ or causes[-1].__context__) is not None and len(causes) < 10:
        causes.append(inner)
    # openpyxl wraps what went wrong in "Unable to read workbook": the innermost cause says more.
    for cause in reversed(causes):
        if isinstance(cause, (DefusedXmlException, ET.ParseError, *_DAMAGE)):
            error = cause
            break
    if isinstance(error, DefusedXmlException):
        return f"contains unsafe XML ({type(error).__name__}), refused"
    if isinstance(error, ET.ParseError):
        if "amplification" in str(error):
            return "contains an XML entity bomb, refused"
        return f"is damaged: its XML cannot be parsed ({error})"
    if isinstance(error, _DAMAGE):
        return f"is damaged or incomplete ({error})"
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"cannot be read as an .xlsx workbook ({detail})"
