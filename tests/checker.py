"""An independent checker of a plan: feasibility and every cost term, from the Orders sheet alone.

It re-reads the INPUT workbook with openpyxl (applying each default as docs/workbook.md states it),
reads only the ``Orders`` sheet of the PLAN workbook, re-derives inventory item by item and period
by period, checks every hard rule of the model and recomputes every cost term. It deliberately never
imports ``planner``: a bug shared by the product and its checker would otherwise go unseen.

Where docs/workbook.md is silent, the choices made here are:

- T without a ``periods`` setting is the last period with a positive requirement (Demand or
  ProductionPlan × BOM); 0 when there is none.
- Setting names are matched like headers (``Stockout Policy`` = ``stockout_policy``), and so are
  the values of ``stockout_policy`` and ``period_length``.
- Under ``backlog`` the re-derived inventory never holds stock and backlog at once (receipts serve
  the backlog first, oldest first); under ``lost_sales`` what cannot be served in its period is lost.
- Order lines with quantity ≤ 0 are violations; they add no receipts, cost, delivery or order line.
  Lines arriving outside 1..T are violations; they are still priced, but add no receipts. Lines
  without an offer (unknown supplier–item pair) are violations and are neither priced nor received.
- Supplier and item capacity are checked on the sum over all lines of a (supplier, item, arrival
  period), so duplicate lines cannot hide an excess.
- ``service_level`` is 1 when there is no requirement; ``inventory_to_sales`` is 0 when there is no
  requirement value.
- Only good parts are stock: a line adds (1 − defect_rate) × quantity to the inventory but is paid in
  full. Storage emits storage_co2_per_volume × volume × closing stock per item and period; it adds to
  the deliveries' CO2 in carbon_cost and in the carbon_cap check. A line arriving in 1..frozen_periods is
  a violation (firm lines of a re-plan reach the checker only as OpenOrders of the input).
- Malformed input (a missing required sheet or column, an unreadable number or period, a reference
  to an unknown item, a period outside 1..T) raises ValueError: the planner rejects such input, so
  there is no plan to check.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pandas as pd

COST_TERMS = (
    "purchase_cost",
    "delivery_cost",
    "order_cost",
    "holding_cost",
    "stockout_cost",
    "safety_cost",
    "carbon_cost",
    "total_cost",
)
COUNTS = ("deliveries", "order_lines")
TOL = 1e-6
INF = math.inf


# --------------------------------------------------------------------------- reading cells


def norm(name: object) -> str:
    """A sheet, column or setting name as matched: lowercase, no spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", str(name).strip().lower())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _id(value: object) -> str:
    """An id as text: trimmed; a whole number such as 1001.0 becomes ``"1001"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: object, where: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{where}: {value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a number") from None


def _get(row: Mapping[str, Any], column: str, default: float | None, where: str) -> float | None:
    """The number in ``column`` (normalised name), or ``default`` when the cell is blank or absent."""
    value = row.get(norm(column))
    return default if _blank(value) else _number(value, f"{where}, {column}")


def _required(row: Mapping[str, Any], column: str, where: str) -> Any:
    value = row.get(norm(column))
    if _blank(value):
        raise ValueError(f"{where}: required column {column} is blank")
    return value


Rows = list[dict[str, Any]]


def read_sheets(path: str | Path, only: tuple[str, ...] | None = None) -> dict[str, Rows]:
    """Sheets (all, or the ``only`` ones) as lists of rows keyed by normalised header.

    Each row also holds ``_row``, its row number as Excel shows it.
    """
    workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        sheets: dict[str, Rows] = {}
        for ws in workbook.worksheets:
            if only is not None and norm(ws.title) not in only:
                continue
            values = ws.iter_rows(values_only=True)
            header = next(values, None)
            if header is None:
                sheets[norm(ws.title)] = []
                continue
            names = [norm(h) if not _blank(h) else None for h in header]
            rows: Rows = []
            for number, cells in enumerate(values, start=2):
                if all(_blank(c) for c in cells):
                    continue
                row = {n: c for n, c in zip(names, cells, strict=False) if n is not None}
                row["_row"] = number
                rows.append(row)
            sheets[norm(ws.title)] = rows
        return sheets
    finally:
        workbook.close()


# --------------------------------------------------------------------------- time


@dataclass(frozen=True)
class Calendar:
    """Turns a period cell (a whole number, or a date when the workbook has a calendar) into 1..T."""

    start_date: dt.date | None = None
    period_length: str | None = None

    def period(self, value: object, where: str) -> int:
        """The period number of a cell; ValueError if it is neither a whole number nor a usable date."""
        day = _as_date(value)
        if day is not None:
            return self.period_of_date(day, where)
        number = _number(value, where)
        if not number.is_integer():
            raise ValueError(f"{where}: {value!r} is not a whole period")
        return int(number)

    def period_of_date(self, day: dt.date, where: str = "date") -> int:
        """The period containing ``day``: period 1 starts on start_date, each period is one length."""
        if self.start_date is None or self.period_length is None:
            raise ValueError(f"{where}: a date needs start_date and period_length in Settings")
        if day < self.start_date:
            raise ValueError(f"{where}: {day} is before start_date {self.start_date}")
        days = (day - self.start_date).days
        if self.period_length == "day":
            return 1 + days
        if self.period_length == "week":
            return 1 + days // 7
        months = (day.year - self.start_date.year) * 12 + day.month - self.start_date.month
        if day < add_months(self.start_date, months):
            months -= 1
        return 1 + months


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, its day clamped to the end of a shorter month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


_PERIOD_LENGTHS = {
    "day": "day",
    "days": "day",
    "daily": "day",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
}
_PERIODS_PER_YEAR = {"day": 365.0, "week": 52.0, "month": 12.0, None: 52.0}
_POLICIES = {"backlog": "backlog", "lostsales": "lost_sales", "lost": "lost_sales"}


# --------------------------------------------------------------------------- the input


@dataclass(frozen=True)
class Item:
    unit_cost: float
    holding_cost: float
    stockout_cost: float
    on_hand: float
    safety_stock: float
    safety_stock_cost: float
    volume: float


@dataclass(frozen=True)
class Supplier:
    delivery_cost: float
    capacity: float  # INF = unlimited
    co2_per_delivery: float


@dataclass(frozen=True)
class Offer:
    unit_price: float
    lead_time: int
    min_order: float
    order_multiple: float
    max_order: float
    order_cost: float
    capacity: float
    capacity_per_unit: float
    capacity_per_order: float
    defect_rate: float = 0.0  # share of a line that is defective: only (1 − defect_rate) × q is stock


@dataclass
class Inputs:
    """The input workbook with every default applied: what a plan is checked against."""

    T: int
    policy: str
    carbon_price: float
    items: dict[str, Item]
    suppliers: dict[str, Supplier]
    offers: dict[tuple[str, str], Offer]
    requirement: dict[tuple[str, int], float]
    open_receipts: dict[tuple[str, int], float]
    supplier_capacity: dict[tuple[str, int], float]  # only limited (s, t)
    warehouse_capacity: dict[int, float]  # only limited t
    calendar: Calendar = field(default_factory=Calendar)
    storage_co2_per_volume: float = 0.0  # kg CO2e per unit of volume on hand at the end of a period
    carbon_cap: float = INF  # kg CO2e over the horizon, deliveries + storage
    frozen_periods: int = 0  # no new line may arrive in 1..frozen_periods


def _settings(rows: Rows, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Settings by normalised name; ``overrides`` (as the command line would) replace them."""
    out: dict[str, Any] = {}
    for row in rows:
        if not _blank(row.get("setting")):
            out[norm(row["setting"])] = row.get("value")
    for name, value in (overrides or {}).items():
        out[norm(name)] = value
    return out


def _calendar(settings: Mapping[str, Any]) -> Calendar:
    start, length = settings.get("startdate"), settings.get("periodlength")
    period_length = None
    if not _blank(length):
        if norm(length) not in _PERIOD_LENGTHS:
            raise ValueError(f"Settings: period_length {length!r} is not day, week or month")
        period_length = _PERIOD_LENGTHS[norm(length)]
    if _blank(start):
        return Calendar(None, period_length)
    day = _as_date(start)
    if day is None:
        raise ValueError(f"Settings: start_date {start!r} is not a date")
    return Calendar(day, period_length)


def _need(sheets: Mapping[str, Rows], name: str) -> Rows:
    if norm(name) not in sheets:
        raise ValueError(f"input has no {name} sheet")
    return sheets[norm(name)]


def _offers(rows: Rows) -> dict[tuple[str, str], Offer]:
    offers: dict[tuple[str, str], Offer] = {}
    for row in rows:
        where = f"SupplierItems row {row['_row']}"
        key = (_id(_required(row, "supplier", where)), _id(_required(row, "item", where)))
        if key in offers:
            raise ValueError(f"{where}: offer {key} appears twice")
        lead = _get(row, "lead_time", 0.0, where)
        if not lead.is_integer():
            raise ValueError(f"{where}: lead_time {lead:g} is not a whole number of periods")
        offers[key] = Offer(
            unit_price=_number(_required(row, "unit_price", where), f"{where}, unit_price"),
            lead_time=int(lead),
            min_order=_get(row, "min_order", 0.0, where),
            order_multiple=_get(row, "order_multiple", 1.0, where),
            max_order=_get(row, "max_order", INF, where),
            order_cost=_get(row, "order_cost", 0.0, where),
            capacity=_get(row, "capacity", INF, where),
            capacity_per_unit=_get(row, "capacity_per_unit", 1.0, where),
            capacity_per_order=_get(row, "capacity_per_order", 0.0, where),
            defect_rate=_get(row, "defect_rate", 0.0, where),
        )
        if not 0.0 <= offers[key].defect_rate < 1.0:
            raise ValueError(f"{where}: defect_rate {offers[key].defect_rate:g} is not a share below 1")
    return offers


def _suppliers(rows: Rows) -> dict[str, Supplier]:
    out: dict[str, Supplier] = {}
    for row in rows:
        where = f"Suppliers row {row['_row']}"
        name = _id(_required(row, "supplier", where))
        if name in out:
            raise ValueError(f"{where}: supplier {name} appears twice")
        out[name] = Supplier(
            delivery_cost=_get(row, "delivery_cost", 0.0, where),
            capacity=_get(row, "capacity", INF, where),
            co2_per_delivery=_get(row, "co2_per_delivery", 0.0, where),
        )
    return out


def _items(
    rows: Rows, offers: Mapping[tuple[str, str], Offer], holding_rate: float, per_year: float
) -> dict[str, Item]:
    """Items with the documented defaults: unit_cost → holding, stockout → safety_stock_cost."""
    out: dict[str, Item] = {}
    for row in rows:
        where = f"Items row {row['_row']}"
        name = _id(_required(row, "item", where))
        if name in out:
            raise ValueError(f"{where}: item {name} appears twice")
        prices = [o.unit_price for (_, i), o in offers.items() if i == name]
        unit_cost = _get(row, "unit_cost", min(prices, default=0.0), where)
        stockout = _get(row, "stockout_cost", 10.0 * unit_cost, where)
        out[name] = Item(
            unit_cost=unit_cost,
            holding_cost=_get(row, "holding_cost", holding_rate * unit_cost / per_year, where),
            stockout_cost=stockout,
            on_hand=_get(row, "on_hand", 0.0, where),
            safety_stock=_get(row, "safety_stock", 0.0, where),
            safety_stock_cost=_get(row, "safety_stock_cost", stockout, where),
            volume=_get(row, "volume", 0.0, where),
        )
    return out


def _requirement_rows(sheets: Mapping[str, Rows], cal: Calendar) -> list[tuple[str, int, float]]:
    """(item, period, quantity) from Demand and from ProductionPlan × BOM, before summing."""
    if "demand" not in sheets and "productionplan" not in sheets:
        raise ValueError("input has neither a Demand nor a ProductionPlan sheet")
    out: list[tuple[str, int, float]] = []
    for row in sheets.get("demand", []):
        where = f"Demand row {row['_row']}"
        out.append(
            (
                _id(_required(row, "item", where)),
                cal.period(_required(row, "period", where), f"{where}, period"),
                _number(_required(row, "quantity", where), f"{where}, quantity"),
            )
        )
    if "productionplan" in sheets:
        bom: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for row in _need(sheets, "BOM"):
            where = f"BOM row {row['_row']}"
            bom[_id(_required(row, "product", where))].append(
                (
                    _id(_required(row, "item", where)),
                    _number(_required(row, "quantity_per", where), f"{where}, quantity_per"),
                )
            )
        for row in sheets["productionplan"]:
            where = f"ProductionPlan row {row['_row']}"
            product = _id(_required(row, "product", where))
            if product not in bom:
                raise ValueError(f"{where}: product {product} has no BOM rows")
            period = cal.period(_required(row, "period", where), f"{where}, period")
            quantity = _number(_required(row, "quantity", where), f"{where}, quantity")
            out.extend((item, period, quantity * per) for item, per in bom[product])
    return out


def _horizon(settings: Mapping[str, Any], requirement_rows: list[tuple[str, int, float]]) -> int:
    if not _blank(settings.get("periods")):
        return int(_number(settings["periods"], "Settings, periods"))
    return max((t for _, t, q in requirement_rows if q > 0), default=0)


def _capacities(
    sheets: Mapping[str, Rows],
    settings: Mapping[str, Any],
    suppliers: Mapping[str, Supplier],
    T: int,
    cal: Calendar,
) -> tuple[dict[tuple[str, int], float], dict[int, float]]:
    """Supplier and warehouse capacity per period, the Capacity sheet overriding the defaults."""
    overrides: dict[tuple[str, int], float] = {}
    for row in sheets.get("capacity", []):
        where = f"Capacity row {row['_row']}"
        resource = _id(_required(row, "resource", where))
        if resource.lower() == "warehouse":
            resource = "warehouse"
        period = cal.period(_required(row, "period", where), f"{where}, period")
        overrides[(resource, period)] = _number(_required(row, "capacity", where), f"{where}, capacity")
    warehouse = settings.get("warehousecapacity")
    base = INF if _blank(warehouse) else _number(warehouse, "Settings, warehouse_capacity")
    supplier_cap = {
        (s, t): cap
        for s, sup in suppliers.items()
        for t in range(1, T + 1)
        if math.isfinite(cap := overrides.get((s, t), sup.capacity))
    }
    warehouse_cap = {
        t: cap for t in range(1, T + 1) if math.isfinite(cap := overrides.get(("warehouse", t), base))
    }
    return supplier_cap, warehouse_cap


def _open_receipts(rows: Rows, cal: Calendar) -> list[tuple[str, int, float]]:
    out = []
    for row in rows:
        where = f"OpenOrders row {row['_row']}"
        out.append(
            (
                _id(_required(row, "item", where)),
                cal.period(_required(row, "period", where), f"{where}, period"),
                _number(_required(row, "quantity", where), f"{where}, quantity"),
            )
        )
    return out


def _summed(
    rows: list[tuple[str, int, float]], items: Mapping[str, Item], T: int, sheet: str
) -> dict[tuple[str, int], float]:
    """Rows (item, period, quantity) added up per (item, period), each checked against Items and 1..T."""
    out: dict[tuple[str, int], float] = defaultdict(float)
    for item, period, quantity in rows:
        if item not in items:
            raise ValueError(f"{sheet}: item {item} is not in Items")
        if not 1 <= period <= T:
            raise ValueError(f"{sheet}: item {item} period {period} is outside 1..{T}")
        out[(item, period)] += quantity
    return dict(out)


def read_input(input_path: str | Path, settings: Mapping[str, Any] | None = None) -> Inputs:
    """The input workbook with every default of docs/workbook.md applied (``settings`` override)."""
    sheets = read_sheets(input_path)
    conf = _settings(sheets.get("settings", []), settings)
    cal = _calendar(conf)
    policy_cell = conf.get("stockoutpolicy")
    policy = "backlog" if _blank(policy_cell) else _POLICIES.get(norm(policy_cell))
    if policy is None:
        raise ValueError(f"Settings: stockout_policy {policy_cell!r} is neither backlog nor lost_sales")
    rate_cell = conf.get("annualholdingrate")
    rate = 0.20 if _blank(rate_cell) else _number(rate_cell, "Settings, annual_holding_rate")
    carbon_cell = conf.get("carbonprice")
    carbon = 0.0 if _blank(carbon_cell) else _number(carbon_cell, "Settings, carbon_price")
    storage_cell = conf.get("storageco2pervolume")
    storage = 0.0 if _blank(storage_cell) else _number(storage_cell, "Settings, storage_co2_per_volume")
    cap_cell, fence_cell = conf.get("carboncap"), conf.get("frozenperiods")
    carbon_cap = INF if _blank(cap_cell) else _number(cap_cell, "Settings, carbon_cap")
    fence = 0 if _blank(fence_cell) else int(_number(fence_cell, "Settings, frozen_periods"))

    offers = _offers(_need(sheets, "SupplierItems"))
    suppliers = _suppliers(_need(sheets, "Suppliers"))
    items = _items(_need(sheets, "Items"), offers, rate, _PERIODS_PER_YEAR[cal.period_length])
    req_rows = _requirement_rows(sheets, cal)
    T = _horizon(conf, req_rows)
    supplier_cap, warehouse_cap = _capacities(sheets, conf, suppliers, T, cal)
    return Inputs(
        T=T,
        policy=policy,
        carbon_price=carbon,
        items=items,
        suppliers=suppliers,
        offers=offers,
        requirement=_summed(req_rows, items, T, "requirements"),
        open_receipts=_summed(_open_receipts(sheets.get("openorders", []), cal), items, T, "OpenOrders"),
        supplier_capacity=supplier_cap,
        warehouse_capacity=warehouse_cap,
        calendar=cal,
        storage_co2_per_volume=storage,
        carbon_cap=carbon_cap,
        frozen_periods=fence,
    )


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class OrderLine:
    row: int
    supplier: str
    item: str
    order_period: int
    arrival_period: int
    quantity: float
    unit_price: float | None
    line_value: float | None

    def label(self) -> str:
        return (
            f"Orders row {self.row} (supplier {self.supplier}, item {self.item}, "
            f"arrival period {self.arrival_period})"
        )


def _period_cell(row: Mapping[str, Any], column: str, cal: Calendar, where: str) -> int:
    return cal.period(_required(row, column, where), f"{where}, {column}")


def read_orders(rows: Rows, cal: Calendar) -> tuple[list[OrderLine], list[str]]:
    """The rows of the plan's Orders sheet as order lines, and the rows that cannot be read."""
    lines, problems = [], []
    for row in rows:
        where = f"Orders row {row['_row']}"
        try:
            lines.append(
                OrderLine(
                    row=row["_row"],
                    supplier=_id(_required(row, "supplier", where)),
                    item=_id(_required(row, "item", where)),
                    order_period=_period_cell(row, "order_period", cal, where),
                    arrival_period=_period_cell(row, "arrival_period", cal, where),
                    quantity=_number(_required(row, "quantity", where), f"{where}, quantity"),
                    unit_price=_get(row, "unit_price", None, where),
                    line_value=_get(row, "line_value", None, where),
                )
            )
        except ValueError as exc:
            problems.append(str(exc))
    return lines, problems


# --------------------------------------------------------------------------- rules


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def _exceeds(used: float, limit: float) -> bool:
    return used > limit + TOL * max(1.0, abs(limit))


def _line_rules(line: OrderLine, offer: Offer, T: int) -> list[str]:
    """The rules of one order line against its offer."""
    out: list[str] = []
    q, what = line.quantity, line.label()
    if line.arrival_period - line.order_period != offer.lead_time:
        out.append(
            f"{what}: arrival_period − order_period = {line.arrival_period - line.order_period} "
            f"but lead_time is {offer.lead_time}"
        )
    if line.order_period < 1:
        out.append(f"{what}: order_period {line.order_period} is before period 1")
    if line.arrival_period < 1:
        out.append(f"{what}: arrival_period {line.arrival_period} is before period 1")
    if line.arrival_period > T:
        out.append(f"{what}: arrival_period {line.arrival_period} is after the horizon T = {T}")
    if q <= 0:
        out.append(f"{what}: quantity {q:g} is not positive")
        return out
    if q < offer.min_order - TOL:
        out.append(f"{what}: quantity {q:g} is below min_order {offer.min_order:g}")
    if _exceeds(q, offer.max_order):
        out.append(f"{what}: quantity {q:g} is above max_order {offer.max_order:g}")
    if _exceeds(q, offer.capacity):
        out.append(f"{what}: quantity {q:g} is above the item capacity {offer.capacity:g}")
    m = offer.order_multiple
    if m > 0 and abs(q - m * round(q / m)) > TOL:
        out.append(f"{what}: quantity {q:g} is not a whole multiple of order_multiple {m:g}")
    if line.unit_price is None:
        out.append(f"{what}: unit_price is missing")
    elif not _close(line.unit_price, offer.unit_price):
        out.append(
            f"{what}: unit_price {line.unit_price:g} differs from the offer's unit_price {offer.unit_price:g}"
        )
    return out


def _line_value_rule(line: OrderLine) -> list[str]:
    if line.line_value is None:
        return [f"{line.label()}: line_value is missing"]
    if line.unit_price is not None and not _close(line.line_value, line.quantity * line.unit_price):
        return [
            f"{line.label()}: line_value {line.line_value:g} is not quantity × unit_price "
            f"= {line.quantity * line.unit_price:g}"
        ]
    return []


def _duplicate_rule(lines: list[OrderLine]) -> list[str]:
    rows: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for line in lines:
        rows[(line.supplier, line.item, line.arrival_period)].append(line.row)
    return [
        f"more than one order line for supplier {s}, item {i}, arrival period {t} (Orders rows {where})"
        for (s, i, t), where in rows.items()
        if len(where) > 1
    ]


def _supplier_capacity_rule(lines: list[OrderLine], data: Inputs) -> list[str]:
    used: dict[tuple[str, int], float] = defaultdict(float)
    for line in lines:
        offer = data.offers[(line.supplier, line.item)]
        used[(line.supplier, line.arrival_period)] += (
            offer.capacity_per_unit * line.quantity + offer.capacity_per_order
        )
    limit = data.supplier_capacity
    return [
        f"supplier {s} capacity exceeded in period {t}: uses {u:g} > capacity {limit[(s, t)]:g}"
        for (s, t), u in sorted(used.items())
        if (s, t) in limit and _exceeds(u, limit[(s, t)])
    ]


def _item_capacity_total_rule(lines: list[OrderLine], data: Inputs) -> list[str]:
    """Item capacity is per arrival period: with duplicate lines, their sum counts."""
    total: dict[tuple[str, str, int], float] = defaultdict(float)
    count: dict[tuple[str, str, int], int] = defaultdict(int)
    for line in lines:
        key = (line.supplier, line.item, line.arrival_period)
        total[key] += line.quantity
        count[key] += 1
    return [
        f"supplier {s}, item {i}, arrival period {t}: {q:g} units are above the item capacity "
        f"{data.offers[(s, i)].capacity:g}"
        for (s, i, t), q in total.items()
        if count[(s, i, t)] > 1 and _exceeds(q, data.offers[(s, i)].capacity)
    ]


def _warehouse_rule(inventory: list[Stock], data: Inputs) -> list[str]:
    used: dict[int, float] = defaultdict(float)
    for row in inventory:
        used[row.period] += data.items[row.item].volume * row.closing
    return [
        f"warehouse capacity exceeded in period {t}: volume {used[t]:g} > capacity {cap:g}"
        for t, cap in sorted(data.warehouse_capacity.items())
        if _exceeds(used[t], cap)
    ]


# --------------------------------------------------------------------------- inventory


class Stock(NamedTuple):
    """One item in one period, as re-derived."""

    item: str
    period: int
    opening: float
    receipts: float
    requirement: float
    closing: float
    backlog: float
    lost: float


def _snap(x: float) -> float:
    """Clear float dust so that 1e-13 units of backlog do not cost anything."""
    return 0.0 if abs(x) < 1e-9 else x


def simulate(data: Inputs, receipts: Mapping[tuple[str, int], float]) -> list[Stock]:
    """Inventory per item and period from the new receipts, the open orders and the requirements.

    backlog: net = I(t−1) − B(t−1) + receipts − r; I = max(net, 0), B = max(−net, 0).
    lost_sales: I = max(I(t−1) + receipts − r, 0), L = what could not be served.
    """
    out = []
    for item, attrs in data.items.items():
        stock, backlog = attrs.on_hand, 0.0
        for t in range(1, data.T + 1):
            arrived = receipts.get((item, t), 0.0) + data.open_receipts.get((item, t), 0.0)
            r = data.requirement.get((item, t), 0.0)
            net = _snap(stock - backlog + arrived - r)
            opening = stock
            if data.policy == "backlog":
                stock, backlog, lost = max(net, 0.0), max(-net, 0.0), 0.0
            else:
                stock, lost = max(net, 0.0), max(-net, 0.0)
            out.append(Stock(item, t, opening, arrived, r, stock, backlog, lost))
    return out


# --------------------------------------------------------------------------- costs and KPIs


def _inventory_costs(inventory: list[Stock], data: Inputs) -> dict[str, float]:
    """holding, stockout (per period, plus unit_cost × what is still owed after T) and safety."""
    holding = stockout = safety = 0.0
    for row in inventory:
        item = data.items[row.item]
        holding += item.holding_cost * row.closing
        stockout += item.stockout_cost * (row.backlog + row.lost)
        if row.period == data.T:
            stockout += item.unit_cost * row.backlog
        safety += item.safety_stock_cost * max(0.0, item.safety_stock - row.closing)
    return {"holding_cost": holding, "stockout_cost": stockout, "safety_cost": safety}


def _costs(lines: list[OrderLine], inventory: list[Stock], data: Inputs) -> dict[str, float]:
    """Every cost term of docs/workbook.md, and their total."""
    deliveries = {(line.supplier, line.arrival_period) for line in lines}
    suppliers = [data.suppliers[s] for s, _ in deliveries if s in data.suppliers]
    offers = [(data.offers[(line.supplier, line.item)], line.quantity) for line in lines]
    costs = {
        "purchase_cost": sum(offer.unit_price * q for offer, q in offers),
        "delivery_cost": sum(s.delivery_cost for s in suppliers),
        "order_cost": sum(offer.order_cost for offer, _ in offers),
        **_inventory_costs(inventory, data),
        "carbon_cost": data.carbon_price
        * (sum(s.co2_per_delivery for s in suppliers) + storage_co2(inventory, data)),
    }
    costs["total_cost"] = sum(costs.values())
    return {k: float(v) for k, v in costs.items()}


def storage_co2(inventory: list[Stock], data: Inputs) -> float:
    """kg CO2e of storage: storage_co2_per_volume × Σ volume × end-of-period stock."""
    return data.storage_co2_per_volume * sum(data.items[row.item].volume * row.closing for row in inventory)


def _service_level(inventory: list[Stock]) -> float:
    """1 − units not met in their own period ÷ total requirement (min(r, B) or L late each period)."""
    total = sum(row.requirement for row in inventory)
    if total <= 0:
        return 1.0
    late = sum(min(row.requirement, row.backlog) + row.lost for row in inventory)
    return 1.0 - late / total


def _inventory_to_sales(inventory: list[Stock], data: Inputs) -> float:
    """Σ unit_cost × closing ÷ Σ unit_cost × requirement (0 without requirement value)."""
    stock = sum(data.items[row.item].unit_cost * row.closing for row in inventory)
    sales = sum(data.items[row.item].unit_cost * row.requirement for row in inventory)
    return stock / sales if sales > 0 else 0.0


# --------------------------------------------------------------------------- the checks


@dataclass
class CheckReport:
    """What the checker re-derived from the input and the plan's Orders sheet."""

    costs: dict[str, float]
    violations: list[str]
    inventory: pd.DataFrame
    service_level: float
    inventory_to_sales: float
    deliveries: int
    order_lines: int


def check_plan(
    input_path: str | Path,
    plan_path: str | Path,
    stockout_policy: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> CheckReport:
    """Re-derive inventory, check every hard rule and recompute every cost of the plan's Orders.

    ``stockout_policy`` (and, more generally, ``settings``) override the input's Settings as the
    command line would.
    """
    return _check(input_path, read_sheets(plan_path, only=("orders",)), plan_path, stockout_policy, settings)


def _check(
    input_path: str | Path,
    plan: Mapping[str, Rows],
    plan_path: str | Path,
    stockout_policy: str | None,
    settings: Mapping[str, Any] | None,
) -> CheckReport:
    overrides = dict(settings or {})
    if stockout_policy is not None:
        overrides["stockout_policy"] = stockout_policy
    data = read_input(input_path, overrides)
    if "orders" not in plan:
        raise ValueError(f"{plan_path}: the plan has no Orders sheet")
    lines, violations = read_orders(plan["orders"], data.calendar)

    placed: list[OrderLine] = []
    for line in lines:
        offer = data.offers.get((line.supplier, line.item))
        if offer is None or line.item not in data.items:
            violations.append(f"{line.label()}: no offer from supplier {line.supplier} for item {line.item}")
            continue
        violations += _line_rules(line, offer, data.T) + _line_value_rule(line)
        if line.quantity > 0:
            placed.append(line)
    violations += _duplicate_rule(placed) + _item_capacity_total_rule(placed, data)
    violations += _supplier_capacity_rule(placed, data)

    receipts: dict[tuple[str, int], float] = defaultdict(float)
    for line in placed:
        if 1 <= line.arrival_period <= data.T:
            good = 1.0 - data.offers[(line.supplier, line.item)].defect_rate  # defective parts are no stock
            receipts[(line.item, line.arrival_period)] += good * line.quantity
    inventory = simulate(data, receipts)
    violations += _warehouse_rule(inventory, data)
    violations += [
        f"{ln.label()}: arrives inside the frozen fence 1..{data.frozen_periods}"
        for ln in placed
        if ln.arrival_period <= data.frozen_periods
    ]
    deliveries_co2 = sum(
        data.suppliers[s].co2_per_delivery for s, _ in {(ln.supplier, ln.arrival_period) for ln in placed}
    )
    emitted = deliveries_co2 + storage_co2(inventory, data)
    if _exceeds(emitted, data.carbon_cap):
        violations.append(f"carbon cap exceeded: {emitted:g} kg CO2e > carbon_cap {data.carbon_cap:g}")

    return CheckReport(
        costs=_costs(placed, inventory, data),
        violations=violations,
        inventory=pd.DataFrame(inventory, columns=list(Stock._fields)),
        service_level=_service_level(inventory),
        inventory_to_sales=_inventory_to_sales(inventory, data),
        deliveries=len({(ln.supplier, ln.arrival_period) for ln in placed}),
        order_lines=len(placed),
    )


def _summary(plan: Mapping[str, Rows], plan_path: str | Path) -> dict[str, Any]:
    """The plan's Summary sheet as {normalised metric: value}."""
    if "summary" not in plan:
        raise AssertionError(f"{plan_path}: the plan has no Summary sheet")
    rows = plan["summary"]
    return {norm(row.get("metric")): row.get("value") for row in rows if not _blank(row.get("metric"))}


def summary_mismatches(summary: Mapping[str, Any], report: CheckReport, rel: float, kpis: bool) -> list[str]:
    """Each Summary row that disagrees with the recomputation, in words."""
    expected: dict[str, float] = dict(report.costs)
    expected.update(zip(COUNTS, (report.deliveries, report.order_lines), strict=False))
    if kpis:
        expected.update(service_level=report.service_level, inventory_to_sales=report.inventory_to_sales)
    out = []
    for metric, value in expected.items():
        if norm(metric) not in summary:
            out.append(f"{metric}: missing from Summary (recomputed {value:.10g})")
            continue
        try:
            found = _number(summary[norm(metric)], f"Summary {metric}")
        except ValueError as exc:
            out.append(str(exc))
            continue
        if not math.isclose(found, value, rel_tol=rel, abs_tol=TOL):
            out.append(f"{metric}: Summary says {found:.10g}, recomputed {value:.10g}")
    return out


def assert_plan_consistent(
    input_path: str | Path,
    plan_path: str | Path,
    rel: float = 1e-6,
    *,
    stockout_policy: str | None = None,
    settings: Mapping[str, Any] | None = None,
    kpis: bool = False,
) -> CheckReport:
    """Assert the plan breaks no rule and its Summary costs and counts match the recomputation.

    Compared: every cost term, ``deliveries`` and ``order_lines`` (and with ``kpis=True`` also
    ``service_level`` and ``inventory_to_sales``), each to ``rel`` (absolute 1e-6 near zero).
    """
    plan = read_sheets(plan_path, only=("orders", "summary"))
    report = _check(input_path, plan, plan_path, stockout_policy, settings)
    assert not report.violations, "plan breaks rules:\n  " + "\n  ".join(report.violations)
    problems = summary_mismatches(_summary(plan, plan_path), report, rel, kpis)
    assert not problems, "Summary disagrees with the plan's Orders:\n  " + "\n  ".join(problems)
    return report
