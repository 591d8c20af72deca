"""Validate the input and resolve its defaults: raw sheets in, :class:`PlanningData` out.

Every problem is collected before anything is reported: :func:`validate` raises one
:class:`InputError` listing all errors, each naming sheet, Excel row, column, the value found and what
would be right. Suspicious but legal input comes back as warnings. Rules and defaults follow
docs/workbook.md; columns, kinds and defaults come from :mod:`planner.schema`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.data import DISRUPTION_COLUMNS, PERIODS_PER_YEAR, PlanningData, Settings
from planner.errors import InputError, Problem
from planner.read import (
    ROW,
    UNSAVED_FORMULA,
    RawWorkbook,
    UnsavedFormula,
    is_blank,
    raw_from_frames,
    read_workbook,
)
from planner.schema import (
    REQUIREMENT_SHEETS,
    SETTINGS,
    SHEETS,
    STOCKOUT_COST_FACTOR,
    WAREHOUSE,
    Column,
    Derived,
    Sheet,
    normalise,
)

Record = dict[str, object]
"""One row of a sheet after conversion: column -> value, plus ``_row``. A cell that is wrong is None;
a blank cell holds its column's default (NaN where the default is derived from other values)."""

MAX_NUMBER = 1e12
"""Largest number (in absolute value) a cell may hold. Far above any real quantity, price or capacity;
beyond it, products of prices and quantities lose the precision the solver needs (1e300 would overflow),
and an "unlimited" typed as a huge number is better left blank."""
MAX_PERIODS = 10_000
"""Most periods a horizon may have (27 years of days): a typo such as 1e6 periods would build a model
that never fits in memory."""

_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_SETTINGS_BY_KEY = {normalise(name): column for name, column in SETTINGS.items()}


def load_workbook(path: str | os.PathLike) -> tuple[PlanningData, list[Problem]]:
    """Read and validate the workbook at ``path``: the planning data and the warnings.

    Raises :class:`UnreadableFileError` when the file cannot be opened as a workbook, and one
    :class:`InputError` (source = the file name) with every problem of the layout and the values.
    """
    raw = read_workbook(path)
    return validate(raw, source=Path(path).name)


def validate(
    raw: RawWorkbook | dict[str, pd.DataFrame], source: str = "frames"
) -> tuple[PlanningData, list[Problem]]:
    """Check every sheet and build the :class:`PlanningData`, with each default resolved.

    ``raw`` is what :func:`planner.read.read_workbook` returns, or DataFrames by sheet name with the
    workbook's columns (names and headers matched the same way; rows numbered by a ``_row`` column, or
    first row = row 2). Returns the data and the warnings; raises :class:`InputError` with every error.
    """
    if not isinstance(raw, RawWorkbook):
        raw = raw_from_frames(raw, source)
    elif source == "frames":
        source = raw.source
    check = _Check(list(raw.errors), list(raw.warnings))
    sheets = _without_empty_sheets(raw.sheets, check)

    _check_sheets_present(sheets, check)
    values, setting_rows = _read_settings(sheets.get("Settings"), check)
    calendar = None
    if values.get("start_date") is not None and values.get("period_length") is not None:
        calendar = Settings(periods=1, start_date=values["start_date"], period_length=values["period_length"])
    tables = {name: frame for name, frame in sheets.items() if name != "Settings"}
    records = {name: _records(SHEETS[name], frame, calendar, check) for name, frame in tables.items()}
    _check_references(records, sheets, check)  # first: it also spells the warehouse one way in Capacity
    for name, rows in records.items():
        _check_duplicates(SHEETS[name], rows, check)
    _check_order_bounds(records.get("SupplierItems", []), check)
    _check_case(records, check)
    _check_shares(records, values, setting_rows, check)

    sources = _requirement_sources(records)
    horizon, note = _horizon(values, sources, check)
    if horizon is not None:
        _check_horizon(records, horizon, note, check)
        _check_disruptions(records, horizon, note, check)
    _warn(records, values, sources, check)

    if check.errors:
        raise InputError(check.errors, source)
    assert horizon is not None
    data = _build(records, values, setting_rows, horizon, sources, source)
    return data, check.warnings


@dataclass
class _Check:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, sheet: str, row: int | None, column: str | None, value: object, expected: str) -> None:
        self.errors.append(Problem(sheet, row, column, _shown(value), expected))

    def warn(self, sheet: str, row: int | None, column: str | None, value: object, expected: str) -> None:
        self.warnings.append(Problem(sheet, row, column, _shown(value), expected))


# --- sheets and settings -------------------------------------------------------------------------------


def _without_empty_sheets(sheets: dict[str, pd.DataFrame], check: _Check) -> dict[str, pd.DataFrame]:
    """The sheets that hold anything. A completely empty sheet (no header, no rows) is an error when the
    sheet is required, and otherwise ignored with a warning — unless nothing else says what to plan."""
    out = {}
    for name, frame in sheets.items():
        if len(frame.columns) > 1 or not frame.empty:  # more than the row-number column
            out[name] = frame
            continue
        sheet = SHEETS[name]
        header = ", ".join(sheet.required_columns)
        others = [other for other in REQUIREMENT_SHEETS if other != name]
        if sheet.required:
            needs = f"is empty: it needs a header row ({header}) and at least one row"
            check.error(name, None, None, "", needs)
        elif name in REQUIREMENT_SHEETS and not any(len(sheets.get(o, frame).columns) > 1 for o in others):
            needs = f"is empty: give a header row ({header}) and the quantities to plan"
            check.error(name, None, None, "", needs)
        else:
            check.warn(name, None, None, "", "is empty: ignored")
    return out


def _check_sheets_present(sheets: dict[str, pd.DataFrame], check: _Check) -> None:
    """Required sheets: Items, Suppliers, SupplierItems, and Demand or ProductionPlan with BOM."""
    for sheet in SHEETS.values():
        if sheet.required and sheet.name not in sheets:
            check.error(sheet.name, None, None, "", "sheet is missing: it is required")
        elif sheet.required and sheets[sheet.name].empty:
            check.error(sheet.name, None, None, "", "has no rows: at least one is needed")
    demand, plan, bom = (name in sheets for name in REQUIREMENT_SHEETS)
    if plan and not bom:
        needed = "sheet is missing: ProductionPlan needs it to know which items a product uses"
        check.error("BOM", None, None, "", needed)
    elif bom and not plan and demand:
        check.warn("BOM", None, None, "", "is ignored: there is no ProductionPlan sheet")
    elif not demand and not plan and not any(p.sheet in REQUIREMENT_SHEETS for p in check.errors):
        problem = "sheet is missing: give Demand, or ProductionPlan with BOM, for what to plan"
        check.error("ProductionPlan" if bom else "Demand", None, None, "", problem)


def _read_settings(frame: pd.DataFrame | None, check: _Check) -> tuple[dict[str, object], dict[str, int]]:
    """The settings given, converted (unknown ones warned about), and the row of each."""
    values: dict[str, object] = {}
    rows: dict[str, int] = {}
    if frame is None:
        return values, rows
    sheet = SHEETS["Settings"]
    if _missing_columns(sheet, frame, check):
        return values, rows
    for given in frame.to_dict("records"):
        row = int(given[ROW])
        name, value = given["setting"], given["value"]
        if is_blank(name):
            check.error(sheet.name, row, "setting", "", "is required but blank")
            continue
        text, expected = _convert(name, sheet.column("setting"), None)
        column = _SETTINGS_BY_KEY.get(normalise(text)) if expected is None else None
        if column is None:
            known = ", ".join(SETTINGS)
            check.warn(sheet.name, row, "setting", name, f"is not a known setting: ignored (known: {known})")
            continue
        if column.name in rows:
            check.error(sheet.name, row, "setting", name, f"is given twice (also row {rows[column.name]})")
            continue
        rows[column.name] = row
        if isinstance(value, UnsavedFormula):
            check.error(sheet.name, row, column.name, str(value), UNSAVED_FORMULA)
            continue
        if is_blank(value):
            empty = "has no value: give one, or delete the row for the default"
            check.error(sheet.name, row, column.name, "", empty)
            continue
        converted, expected = _convert(value, column, None)
        if expected is not None:
            check.error(sheet.name, row, column.name, value, expected)
        else:
            values[column.name] = converted
    for first, second in (("start_date", "period_length"), ("period_length", "start_date")):
        if first in values and second not in rows:
            alone = f"is set without {second}: period cells cannot hold dates"
            check.warn(sheet.name, rows[first], first, "", alone)
    return values, rows


# --- cells ---------------------------------------------------------------------------------------------


def _records(sheet: Sheet, frame: pd.DataFrame, calendar: Settings | None, check: _Check) -> list[Record]:
    """The rows of one sheet with every cell converted to its column's kind (errors noted, cell None)."""
    missing = _missing_columns(sheet, frame, check)
    known = {c.name for c in sheet.columns}
    others = [c for c in frame.columns if c not in known and c != ROW]
    out = []
    for given in frame.to_dict("records"):
        row = int(given[ROW])
        record: Record = {ROW: row}
        for column in sheet.columns:
            if column.name in missing:
                record[column.name] = None
                continue
            value = given.get(column.name)
            if isinstance(value, UnsavedFormula):
                check.error(sheet.name, row, column.name, str(value), UNSAVED_FORMULA)
                record[column.name] = None
                continue
            if is_blank(value):
                if column.required:
                    check.error(sheet.name, row, column.name, "", "is required but blank")
                    record[column.name] = None
                else:
                    record[column.name] = _default(column)
                continue
            converted, expected = _convert(value, column, calendar)
            if expected is not None:
                check.error(sheet.name, row, column.name, value, expected)
            record[column.name] = converted
            if column.kind == "period":
                record["_given_period"] = value
        for name in others:  # descriptive columns (Suppliers), kept as given
            value = given[name]
            record[name] = None if is_blank(value) else value.strip() if isinstance(value, str) else value
        out.append(record)
    return out


def _missing_columns(sheet: Sheet, frame: pd.DataFrame, check: _Check) -> set[str]:
    missing = {name for name in sheet.required_columns if name not in frame.columns}
    for name in sorted(missing, key=sheet.required_columns.index):
        check.error(sheet.name, 1, name, "", "is a required column but the header row does not have it")
    return missing


def _default(column: Column) -> object:
    if isinstance(column.default, Derived):
        return math.nan
    if column.default is None:
        return ""
    return column.default


def _convert(value: object, column: Column, calendar: Settings | None) -> tuple[object, str | None]:
    """``(value as the column's kind, None)``, or ``(None, what was expected)`` when it cannot be."""
    kind = column.kind
    if kind == "text":
        return _id_text(value) or str(value).strip(), None
    if kind == "id":
        text = _id_text(value)
        return (text, None) if text else (None, "is not an id: expected text or a whole number")
    if kind == "choice":
        matches = [c for c in column.choices if isinstance(value, str) and normalise(value) == normalise(c)]
        return (matches[0], None) if matches else (None, f"is not one of: {', '.join(column.choices)}")
    if kind == "date":
        day = _date(value)
        return (day, None) if day is not None else (None, "is not a date (such as 2025-01-06)")
    if kind == "period":
        return _period(value, calendar)
    number = _number(value)
    noun = ("a whole number" if kind == "whole" else "a number") + (
        f" of {column.unit}" if column.unit and "/" not in column.unit else ""
    )
    bound = f" (≥ {_plain(column.minimum)})" if column.minimum is not None else ""
    if kind == "whole" and number is not None:
        number = _whole(number)
    if number is None or not math.isfinite(number):
        unlimited = ": leave the cell blank for unlimited" if column.default == math.inf else ""
        return None, f"is not {noun}{bound}{unlimited}"
    if abs(number) > MAX_NUMBER:
        unlimited = "; leave the cell blank for unlimited" if column.default == math.inf else ""
        return None, f"is too large: numbers up to {MAX_NUMBER:,.0f} are planned{unlimited}"
    if column.name == "periods" and number > MAX_PERIODS:
        return None, f"is too many periods: at most {MAX_PERIODS:,} (use longer periods: week or month)"
    if column.minimum is not None and number < column.minimum:
        below = "is negative" if column.minimum == 0 else f"is below {_plain(column.minimum)}"
        return None, f"{below}: expected {noun}{bound}"
    return (int(number) if kind == "whole" else number), None


def _id_text(value: object) -> str | None:
    """An id as text: strings stripped, whole numbers without ".0"; None for what cannot be an id."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    return None


def _number(value: object) -> float | None:
    """A number from a number cell or numeric text ("12", "0.5"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return float(value.strip())
    return None


def _whole(number: float | None) -> float | None:
    """The whole number ``number`` is, allowing for float noise from formulas (2.0000000000000004).

    None when it is not a whole number.
    """
    if number is None or not math.isfinite(number):
        return number
    nearest = round(number)
    return float(nearest) if abs(number - nearest) <= 1e-9 * max(1.0, abs(number)) else None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def _period(value: object, calendar: Settings | None) -> tuple[int | None, str | None]:
    """A period number from a whole number ≥ 1, or from a date through the Settings calendar."""
    day = _date(value) if isinstance(value, dt.date | str) else None
    if day is not None:
        if calendar is None:
            return None, (
                "is a date: set start_date and period_length in Settings to use dates in period cells"
            )
        period = calendar.period_of(day)
        if period < 1:
            return None, f"is before start_date {calendar.start_date.isoformat()}, the first day of period 1"
        return period, None
    number = _whole(_number(value))
    if number is None or not math.isfinite(number) or number < 1:
        return None, "is not a period: expected a whole number ≥ 1" + (" or a date" if calendar else "")
    return int(number), None


# --- rules across rows and sheets ----------------------------------------------------------------------


def _check_duplicates(sheet: Sheet, records: list[Record], check: _Check) -> None:
    """A key (item, supplier, supplier + item, product + item, resource + period) may appear once."""
    if not sheet.key:
        return
    first: dict[tuple, int] = {}
    for record in records:
        key = tuple(record[name] for name in sheet.key)
        if any(part is None or part == "" for part in key):
            continue
        if key in first:
            shown = " + ".join(str(part) for part in key)
            twice = f"is listed twice (also row {first[key]})"
            check.error(sheet.name, record[ROW], " + ".join(sheet.key), shown, twice)
        else:
            first[key] = record[ROW]


def _check_references(
    records: dict[str, list[Record]], sheets: dict[str, pd.DataFrame], check: _Check
) -> None:
    """Every supplier, item and product named in a sheet is defined where it belongs."""
    items = _ids(sheets, records, "Items", "item")
    suppliers = _ids(sheets, records, "Suppliers", "supplier")
    products = _ids(sheets, records, "BOM", "product")
    rules = [
        ("SupplierItems", "supplier", suppliers, "a supplier in Suppliers"),
        ("SupplierItems", "item", items, "an item in Items"),
        ("Demand", "item", items, "an item in Items"),
        ("BOM", "item", items, "an item in Items"),
        ("OpenOrders", "item", items, "an item in Items"),
        ("OpenOrders", "supplier", suppliers, "a supplier in Suppliers"),
        ("Disruptions", "supplier", suppliers, "a supplier in Suppliers"),
        ("Disruptions", "item", items, "an item in Items"),
        ("ProductionPlan", "product", products, None),
    ]
    for sheet, column, known, what in rules:
        if known is None:
            continue  # the defining sheet is missing: reported once, not for every row
        for record in records.get(sheet, []):
            value = record[column]
            if value is None or value == "" or value in known:
                continue
            if what is None:
                check.error(sheet, record[ROW], column, value, "has no rows in BOM: its items are unknown")
            else:
                check.error(sheet, record[ROW], column, value, f"is not {what}{_suggest(value, known)}")
    for record in records.get("Capacity", []):
        value = record["resource"]
        if value is None:
            continue
        if normalise(value) == WAREHOUSE and value not in (suppliers or set()):
            record["resource"] = WAREHOUSE
        elif suppliers is not None and value not in suppliers:
            expected = f'is neither a supplier in Suppliers nor "{WAREHOUSE}"{_suggest(value, suppliers)}'
            check.error("Capacity", record[ROW], "resource", value, expected)


_ID_COLUMNS = (
    ("Items", "item", "item"),
    ("Suppliers", "supplier", "supplier"),
    ("BOM", "product", "product"),
)


def _check_case(records: dict[str, list[Record]], check: _Check) -> None:
    """Ids that differ only in upper/lower case are an error: ids are matched exactly, so "Bolt" and
    "bolt" would be two items, which is almost always a typing slip that would split requirements."""
    for sheet, column, noun in _ID_COLUMNS:
        first: dict[str, tuple[str, int]] = {}
        reported: set[str] = set()
        for record in records.get(sheet, []):
            value = record.get(column)
            if not isinstance(value, str) or not value:
                continue
            spelling, row = first.setdefault(value.casefold(), (value, record[ROW]))
            if spelling != value and value not in reported:
                reported.add(value)
                differs = (
                    f'differs from the {noun} "{spelling}" (row {row}) only in upper/lower case: '
                    f"ids are matched exactly, so these would be two different {noun}s — "
                    "spell them the same, or rename one"
                )
                check.error(sheet, record[ROW], column, value, differs)


def _check_order_bounds(offers: list[Record], check: _Check) -> None:
    for record in offers:
        low, high = record["min_order"], record["max_order"]
        if isinstance(low, float | int) and isinstance(high, float | int) and low > high:
            above = f"is more than max_order ({_plain(high)})"
            check.error("SupplierItems", record[ROW], "min_order", low, above)


_SHARES_BELOW_ONE = (("SupplierItems", "defect_rate"),)
_SHARES_UP_TO_ONE = (("Disruptions", "probability"), ("Disruptions", "capacity_factor"))


def _check_shares(
    records: dict[str, list[Record]], values: dict[str, object], setting_rows: dict[str, int], check: _Check
) -> None:
    """Shares: defect_rate and cvar_alpha below 1; probability and capacity_factor at most 1."""
    for sheet, column in _SHARES_BELOW_ONE + _SHARES_UP_TO_ONE:
        below = (sheet, column) in _SHARES_BELOW_ONE
        for record in records.get(sheet, []):
            value = record[column]
            if isinstance(value, float | int) and (value >= 1 if below else value > 1):
                expected = (
                    "is not below 1: expected a share 0 ≤ x < 1"
                    if below
                    else "is above 1: expected a share 0..1"
                )
                check.error(sheet, record[ROW], column, value, expected)
    alpha = values.get("cvar_alpha")
    if isinstance(alpha, float | int) and alpha >= 1:
        row = setting_rows.get("cvar_alpha")
        check.error("Settings", row, "cvar_alpha", alpha, "is not below 1: expected 0 ≤ x < 1")


def _check_disruptions(records: dict[str, list[Record]], horizon: int, note: str, check: _Check) -> None:
    """A disruption's window lies in 1..T, from_period ≤ to_period; its item is one the supplier offers."""
    offers = {(r["supplier"], r["item"]) for r in records.get("SupplierItems", [])}
    for record in records.get("Disruptions", []):
        low, high = record["from_period"], record["to_period"]
        if isinstance(high, float) and math.isnan(high):
            record["to_period"] = high = horizon
        for column, period in (("from_period", low), ("to_period", high)):
            if isinstance(period, int) and period > horizon:
                outside = f"is outside the planning horizon 1..{horizon} {note}"
                check.error("Disruptions", record[ROW], column, period, outside)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            check.error("Disruptions", record[ROW], "to_period", high, f"is before from_period ({low})")
        supplier, item = record["supplier"], record["item"]
        if supplier and item and (supplier, item) not in offers and records.get("SupplierItems"):
            unoffered = f"is not offered by supplier {supplier} in SupplierItems"
            check.error("Disruptions", record[ROW], "item", item, unoffered)
        if record["delay"] == 0 and record["capacity_factor"] == 1:
            nothing = "and capacity_factor 1: this disruption changes nothing"
            check.warn("Disruptions", record[ROW], "delay", 0, nothing)


def _requirement_sources(records: dict[str, list[Record]]) -> dict[tuple[str, int, str], float]:
    """(item, period, source) -> quantity: Demand rows ("demand") and ProductionPlan × BOM (the product)."""
    out: dict[tuple[str, int, str], float] = defaultdict(float)
    for record in records.get("Demand", []):
        if _complete(record, "item", "period", "quantity"):
            out[(record["item"], record["period"], "demand")] += record["quantity"]
    uses: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for record in records.get("BOM", []):
        if _complete(record, "product", "item", "quantity_per"):
            uses[record["product"]].append((record["item"], record["quantity_per"]))
    for record in records.get("ProductionPlan", []):
        if _complete(record, "product", "period", "quantity"):
            for item, per in uses.get(record["product"], []):
                out[(item, record["period"], record["product"])] += record["quantity"] * per
    return out


def _horizon(
    values: dict[str, object],
    sources: dict[tuple[str, int, str], float],
    check: _Check,
) -> tuple[int | None, str]:
    """T and how it was set: the periods setting, else the last period with a positive requirement."""
    if "periods" in values:
        return int(values["periods"]), "(periods in Settings)"
    last = max((t for (_, t, _), q in sources.items() if q > 0), default=None)
    if last is None and not any(p.sheet in REQUIREMENT_SHEETS or p.sheet == "Settings" for p in check.errors):
        check.error(
            "Settings",
            None,
            "periods",
            "",
            "is not set and nothing is required in any period: set periods, or give Demand or ProductionPlan "
            "quantities",
        )
    return last, "(the last period with a requirement; set periods in Settings to plan further)"


def _check_horizon(records: dict[str, list[Record]], horizon: int, note: str, check: _Check) -> None:
    for sheet, rows in records.items():
        if "period" not in {c.name for c in SHEETS[sheet].columns}:
            continue
        for record in rows:
            period = record["period"]
            if period is None or period <= horizon:
                continue
            given = record["_given_period"]
            dated = isinstance(given, dt.date | str) and _date(given) is not None
            what = f"falls in period {period}, " if dated else "is "
            outside = f"{what}outside the planning horizon 1..{horizon} {note}"
            check.error(sheet, record[ROW], "period", given, outside)


def _warn(
    records: dict[str, list[Record]],
    values: dict[str, object],
    sources: dict[tuple[str, int, str], float],
    check: _Check,
) -> None:
    """Legal but suspicious: items nobody sells, shortages cheaper than parts, start stock over capacity."""
    items = records.get("Items", [])
    prices = _lowest_prices(records.get("SupplierItems", []))
    required = {item for (item, _, _), q in sources.items() if q > 0}
    for record in items:
        item = record["item"]
        if item in required and item not in prices:
            unsold = (
                "has requirements but no supplier offers it in SupplierItems: only stock and open orders can "
                "meet them"
            )
            check.warn("Items", record[ROW], "item", item, unsold)
        stockout, price = record["stockout_cost"], prices.get(item, math.nan)
        if isinstance(stockout, float) and stockout < price:  # False for NaN: a derived stockout_cost
            cheaper = (
                f"is below the lowest unit_price of this item ({_plain(price)}): running short would cost "
                "less than buying"
            )
            check.warn("Items", record[ROW], "stockout_cost", stockout, cheaper)
    volume = sum(r["volume"] * r["on_hand"] for r in items if _complete(r, "volume", "on_hand"))
    capacity = float(values.get("warehouse_capacity", math.inf))
    for record in records.get("Capacity", []):
        if record["resource"] == WAREHOUSE and record["period"] == 1 and record["capacity"] is not None:
            capacity = record["capacity"]
    if volume > capacity:
        check.warn(
            "Items",
            None,
            "on_hand",
            "",
            f"the start stock takes a volume of {_plain(volume)} (Σ volume × on_hand), more than the "
            f"warehouse capacity of period 1 ({_plain(capacity)})",
        )


# --- planning data -------------------------------------------------------------------------------------


def _build(
    records: dict[str, list[Record]],
    values: dict[str, object],
    setting_rows: dict[str, int],
    horizon: int,
    sources: dict[tuple[str, int, str], float],
    source: str,
) -> PlanningData:
    """The :class:`PlanningData` of valid records, with every default resolved."""
    given = {name: value for name, value in values.items() if name != "periods"}
    for name, value in given.items():
        if SETTINGS[name].kind == "number":
            given[name] = float(value)
    settings = Settings(periods=horizon, **given)

    offers = _frame(records["SupplierItems"], SHEETS["SupplierItems"], ["supplier", "item"])
    offers["lead_time"] = offers["lead_time"].astype("int64")
    prices = _lowest_prices(records["SupplierItems"])

    items = _frame(records["Items"], SHEETS["Items"], ["item"])
    lowest = pd.Series([prices.get(item, 0.0) for item in items.index], index=items.index, dtype=float)
    items["unit_cost"] = items["unit_cost"].fillna(lowest)
    per_year = PERIODS_PER_YEAR[settings.period_length]
    holding = settings.annual_holding_rate * items["unit_cost"] / per_year
    items["holding_cost"] = items["holding_cost"].fillna(holding)
    items["stockout_cost"] = items["stockout_cost"].fillna(STOCKOUT_COST_FACTOR * items["unit_cost"])
    items["safety_stock_cost"] = items["safety_stock_cost"].fillna(items["stockout_cost"])

    suppliers = _frame(records["Suppliers"], SHEETS["Suppliers"], ["supplier"])

    split = pd.DataFrame(
        [(i, t, s, q) for (i, t, s), q in sorted(sources.items()) if q > 0],
        columns=["item", "period", "source", "quantity"],
    )
    split = split.astype({"item": object, "period": "int64", "source": object, "quantity": float})
    totals = split.groupby(["item", "period"], as_index=False, sort=True)["quantity"].sum()
    totals = totals[totals["quantity"] > 0].reset_index(drop=True)
    totals = totals.astype({"item": object, "period": "int64", "quantity": float})

    arrivals = records.get("OpenOrders", [])
    open_orders = pd.DataFrame(
        [(r["item"], r["period"], r["quantity"], r["supplier"], r[ROW]) for r in arrivals],
        columns=["item", "period", "quantity", "supplier", "row"],
    ).astype({"item": object, "period": "int64", "quantity": float, "supplier": object, "row": "int64"})
    overrides = pd.DataFrame(
        [(r["resource"], r["period"], r["capacity"]) for r in records.get("Capacity", [])],
        columns=["resource", "period", "capacity"],
    ).astype({"resource": object, "period": "int64", "capacity": float})

    rows: dict[tuple, int] = {}
    for sheet in ("Items", "Suppliers", "SupplierItems"):
        key = SHEETS[sheet].key
        for record in records[sheet]:
            rows.setdefault((sheet, *(record[k] for k in key)), record[ROW])
    for name, row in setting_rows.items():
        rows[("Settings", name)] = row
    for record in records.get("Capacity", []):  # for messages about a period's capacity
        rows[("Capacity", record["resource"], record["period"])] = record[ROW]

    disruptions = pd.DataFrame(
        [
            (
                r["supplier"],
                r["item"],
                r["from_period"],
                r["to_period"],
                r["probability"],
                r["delay"],
                r["capacity_factor"],
                r[ROW],
            )
            for r in records.get("Disruptions", [])
        ],
        columns=DISRUPTION_COLUMNS,
    ).astype({"from_period": "int64", "to_period": "int64", "delay": "int64", "row": "int64"})
    what_if = pd.DataFrame(
        [(r["scenario"], r["change"], r["target"], r["value"], r[ROW]) for r in records.get("Scenarios", [])],
        columns=["scenario", "change", "target", "value", "row"],
    )

    return PlanningData(
        settings=settings,
        items=items,
        suppliers=suppliers,
        offers=offers,
        requirements=totals,
        requirement_sources=split,
        open_orders=open_orders,
        capacity_overrides=overrides,
        rows=rows,
        source=source,
        disruptions=disruptions,
        what_if=what_if,
    )


def _frame(records: list[Record], sheet: Sheet, index: list[str]) -> pd.DataFrame:
    """A sheet's records as a DataFrame indexed by its id columns: numbers as floats, text as object."""
    known = [c for c in sheet.columns if c.name not in index]
    names = {c.name for c in sheet.columns}
    others = [k for k in (records[0] if records else {}) if not k.startswith("_") and k not in names]
    data: dict[str, pd.Series] = {}
    for name in index:
        data[name] = pd.Series([r[name] for r in records], dtype=object)
    for column in known:
        numeric = column.kind in ("number", "whole")
        data[column.name] = pd.Series([r[column.name] for r in records], dtype=float if numeric else object)
    for name in others:
        data[name] = pd.Series([r[name] for r in records], dtype=object)
    frame = pd.DataFrame(data)
    return frame.set_index(index if len(index) > 1 else index[0])


# --- small helpers -------------------------------------------------------------------------------------


def _ids(
    sheets: dict[str, pd.DataFrame], records: dict[str, list[Record]], sheet: str, column: str
) -> set[str] | None:
    """The ids defined in ``sheet``; None when the sheet or its id column is missing (reported elsewhere)."""
    if sheet not in sheets or column not in sheets[sheet].columns:
        return None
    return {r[column] for r in records[sheet] if r[column]}


def _lowest_prices(offers: Iterable[Record]) -> dict[str, float]:
    prices: dict[str, float] = {}
    for record in offers:
        item, price = record["item"], record["unit_price"]
        if item and isinstance(price, float | int):
            prices[item] = min(prices.get(item, math.inf), float(price))
    return prices


def _complete(record: Record, *columns: str) -> bool:
    return all(record[c] is not None and record[c] != "" for c in columns)


def _suggest(value: str, known: set[str]) -> str:
    """' (did you mean "Bolt"?)' for a near miss of a known id, else ''."""
    folded = {k.casefold(): k for k in known}
    if value.casefold() in folded:
        return f' (did you mean "{folded[value.casefold()]}"?)'
    if len(known) <= 5000:
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.75)
        if close:
            return f' (did you mean "{close[0]}"?)'
    return ""


def _plain(number: float) -> str:
    """12.0 -> "12", 0.5 -> "0.5", inf -> "unlimited"."""
    if math.isinf(number):
        return "unlimited"
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _shown(value: object) -> object:
    """A cell value as a message shows it: dates without a midnight time, huge numbers short."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) >= 1e15:
        return f"{value:g}"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
