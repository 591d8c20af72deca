"""Audit any plan in the result format — a solved one, or one a planner typed into an Orders sheet.

Every broken rule is reported with its place (``Orders row 7``, ``warehouse, period 4``), and the plan is
costed by :func:`planner.plan.evaluate`, exactly like a solved plan. The Orders sheet needs ``supplier``,
``item``, ``arrival_period`` and ``quantity``; ``order_period``, ``unit_price`` and ``line_value`` are
checked when given. Rules (each a :data:`RULES` name):

- ``unknown offer``: the supplier does not offer the item in SupplierItems;
- ``lead time``: arrival_period − order_period differs from the offer's lead_time;
- ``before period 1``: the order would have to be placed before period 1 (or arrives before it);
- ``after horizon``: the line arrives after the last period T;
- ``quantity``: the quantity is not positive;
- ``min_order``, ``max_order``, ``order_multiple``: the offer's order-line rules;
- ``item capacity``: more of the item from the supplier in one arrival period than the offer's capacity;
- ``supplier capacity``: the supplier's capacity in an arrival period is exceeded;
- ``warehouse``: the stock at the end of a period needs more volume than the warehouse holds;
- ``duplicate line``: the same supplier, item and arrival period on more than one row;
- ``unit price``, ``line value``: a given price or value that disagrees with the offer;
- ``unreadable``: a cell that is not what its column needs (the row is left out of the plan).

Lines with an unknown offer, a period outside 1..T, a non-positive or unreadable quantity cannot be
placed: the costs are those of the other lines, and the audit says so.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from planner.data import PlanningData
from planner.errors import PlannerError, UnreadableFileError
from planner.plan import ORDER_COLUMNS, Plan, evaluate
from planner.schema import normalise

RULES = (
    "unknown offer",
    "lead time",
    "before period 1",
    "after horizon",
    "quantity",
    "min_order",
    "max_order",
    "order_multiple",
    "item capacity",
    "supplier capacity",
    "warehouse",
    "duplicate line",
    "unit price",
    "line value",
    "frozen fence",
    "unreadable",
)
REQUIRED = ("supplier", "item", "arrival_period", "quantity")
OPTIONAL = ("order_period", "unit_price", "line_value")
TOL = 1e-6


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, where (as a planner finds it), and what is wrong."""

    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Audit:
    """The outcome: the broken rules, the plan as costed, and the Orders rows left out of it."""

    violations: list[Violation]
    plan: Plan
    left_out: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def rules_broken(self) -> set[str]:
        return {v.rule for v in self.violations}


def sheet_rows(path: str | os.PathLike, name: str) -> list[tuple]:
    """The cells of sheet ``name`` (matched like every sheet name) of a result workbook, row by row."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFileError(f"{path}: no such file")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFileError(f"{path}: not a readable .xlsx workbook ({error})") from error
    try:
        sheet = next((book[n] for n in book.sheetnames if normalise(n) == normalise(name)), None)
        if sheet is None:
            raise PlannerError(f"{path}: the workbook has no {name} sheet")
        return list(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def read_orders(path: str | os.PathLike) -> pd.DataFrame:
    """The Orders sheet of a plan workbook as raw cells under contract names, with its Excel ``row``."""
    path = Path(path)
    rows = sheet_rows(path, "Orders")
    header = [normalise(h) if h is not None else "" for h in (rows[0] if rows else ())]
    wanted = {normalise(c): c for c in REQUIRED + OPTIONAL}
    missing = [c for c in REQUIRED if normalise(c) not in header]
    if missing:
        raise PlannerError(
            f"{path}: the Orders sheet has no column {', '.join(missing)} (row 1 is the header)"
        )
    positions = {wanted[h]: k for k, h in enumerate(header) if h in wanted}
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        record = {c: (cells[k] if k < len(cells) else None) for c, k in positions.items()}
        record["row"] = number
        records.append(record)
    return pd.DataFrame(records, columns=[*positions, "row"])


def audit_workbook(data: PlanningData, plan_path: str | os.PathLike) -> Audit:
    """Audit the Orders sheet of the workbook at ``plan_path`` against ``data``."""
    return audit(data, read_orders(plan_path))


def audit(data: PlanningData, raw: pd.DataFrame) -> Audit:
    """Audit order lines given as raw Orders cells (columns as :func:`read_orders` returns them)."""
    found: list[Violation] = []
    lines: list[dict] = []
    left_out: list[int] = []
    for record in raw.to_dict("records"):
        line = _line(data, record, found)
        if line is None:
            left_out.append(int(record["row"]))
        else:
            lines.append(line)
    found += _group_rules(data, lines)
    orders = pd.DataFrame(
        [[ln[c] for c in ORDER_COLUMNS] + [ln["row"]] for ln in lines], columns=[*ORDER_COLUMNS, "row"]
    ).astype({"order_period": "int64", "arrival_period": "int64", "quantity": "float64"})
    plan = evaluate(data, orders)
    found += _warehouse_rule(plan)
    return Audit(found, plan, left_out)


def _line(data: PlanningData, record: dict, found: list[Violation]) -> dict | None:
    """One Orders row checked on its own; the line to place, or None when it cannot be placed."""
    where = f"Orders row {record['row']}"

    def broken(rule: str, message: str) -> None:
        found.append(Violation(rule, where, message))

    supplier, item = _id(record.get("supplier")), _id(record.get("item"))
    arrival = _period(data, record.get("arrival_period"))
    quantity = _number(record.get("quantity"))
    bad = False
    for column, ok in (
        ("supplier", supplier),
        ("item", item),
        ("arrival_period", arrival),
        ("quantity", quantity),
    ):
        if ok is None:
            broken("unreadable", f"{column}: {_show(record.get(column))!r} is not {_WHAT[column]}")
            bad = True
    if bad:
        return None
    label = f"{where} (supplier {supplier}, item {item}, arrival period {arrival})"
    where = label
    if (supplier, item) not in data.offers.index:
        broken(
            "unknown offer", f"supplier {supplier} does not offer item {item} (no such row in SupplierItems)"
        )
        return None
    offer = data.offers.loc[(supplier, item)]
    lead = int(offer["lead_time"])
    ordered = record.get("order_period")
    order_period = _period(data, ordered) if ordered not in (None, "") else arrival - lead
    if order_period is None:
        broken("unreadable", f"order_period: {_show(ordered)!r} is not {_WHAT['arrival_period']}")
        order_period = arrival - lead
    if arrival - order_period != lead:
        broken(
            "lead time",
            f"arrival_period − order_period = {arrival - order_period}, "
            f"but {supplier}'s lead time for {item} "
            f"is {lead} period{'s' if lead != 1 else ''}",
        )
    placeable = True
    if arrival < 1:
        broken("before period 1", f"arrives in period {arrival}, before period 1")
        placeable = False
    elif arrival - lead < 1 or order_period < 1:
        first = min(arrival - lead, order_period)
        broken(
            "before period 1",
            f"would have to be ordered in period {first}, before period 1 (lead time {lead}); "
            f"the earliest arrival is period {1 + lead}",
        )
    if arrival > data.T:
        broken("after horizon", f"arrives in period {arrival}, after the last period {data.T}")
        placeable = False
    fence = int(getattr(data.settings, "frozen_periods", 0) or 0)
    if 1 <= arrival <= fence:
        broken("frozen fence", f"arrives in period {arrival}, inside the frozen periods 1..{fence}")
    if quantity <= 0:
        broken("quantity", f"quantity {_num(quantity)} is not positive")
        return None
    low, high, mult = float(offer["min_order"]), float(offer["max_order"]), float(offer["order_multiple"])
    if quantity < low - TOL:
        broken("min_order", f"quantity {_num(quantity)} is below the min_order {_num(low)}")
    if quantity > high + TOL:
        broken("max_order", f"quantity {_num(quantity)} is above the max_order {_num(high)}")
    if mult > 0 and abs(quantity - mult * round(quantity / mult)) > TOL * max(1.0, quantity):
        broken(
            "order_multiple",
            f"quantity {_num(quantity)} is not a whole multiple of order_multiple {_num(mult)}",
        )
    price = float(offer["unit_price"])
    given_price = _number(record.get("unit_price"))
    if given_price is not None and abs(given_price - price) > TOL * max(1.0, price):
        broken("unit price", f"unit_price {_num(given_price)} differs from the offer's {_num(price)}")
    given_value = _number(record.get("line_value"))
    if given_value is not None and abs(given_value - quantity * price) > TOL * max(1.0, quantity * price):
        broken(
            "line value",
            f"line_value {_num(given_value)} is not quantity × unit_price = {_num(quantity * price)}",
        )
    if not placeable:
        return None
    return {
        "supplier": supplier,
        "item": item,
        "order_period": arrival - lead,
        "arrival_period": arrival,
        "quantity": quantity,
        "unit_price": price,
        "line_value": quantity * price,
        "row": int(record["row"]),
    }


def _group_rules(data: PlanningData, lines: list[dict]) -> list[Violation]:
    """Rules over several lines: duplicates, item capacity and supplier capacity per arrival period."""
    found = []
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    by_supplier: dict[tuple, list[dict]] = defaultdict(list)
    for line in lines:
        by_key[(line["supplier"], line["item"], line["arrival_period"])].append(line)
        by_supplier[(line["supplier"], line["arrival_period"])].append(line)
    for (s, i, t), group in by_key.items():
        rows = _rows(group)
        if len(group) > 1:
            found.append(
                Violation(
                    "duplicate line",
                    f"Orders rows {rows}",
                    f"supplier {s}, item {i}, arrival period {t} appear {len(group)} times: "
                    "one order line each",
                )
            )
        cap = float(data.offers.at[(s, i), "capacity"])
        total = sum(ln["quantity"] for ln in group)
        if total > cap + TOL * max(1.0, cap):
            found.append(
                Violation(
                    "item capacity",
                    f"Orders row{'s' if len(group) > 1 else ''} {rows}",
                    f"{_num(total)} of {i} from {s} arrive in period {t}, "
                    f"above the item capacity {_num(cap)}",
                )
            )
    for (s, t), group in by_supplier.items():
        cap = data.supplier_capacity.get((s, t), math.inf)
        if not math.isfinite(cap):
            continue
        used = sum(
            ln["quantity"] * float(data.offers.at[(s, ln["item"]), "capacity_per_unit"])
            + float(data.offers.at[(s, ln["item"]), "capacity_per_order"])
            for ln in group
        )
        if used > cap + TOL * max(1.0, cap):
            found.append(
                Violation(
                    "supplier capacity",
                    f"Orders row{'s' if len(group) > 1 else ''} {_rows(group)}",
                    f"supplier {s} in arrival period {t}: the lines use {_num(used)}, "
                    f"its capacity is {_num(cap)}",
                )
            )
    return found


def _warehouse_rule(plan: Plan) -> list[Violation]:
    use = plan.utilisation
    over = use[(use["resource"] == "warehouse") & (use["used"] > use["capacity"] * (1 + TOL) + TOL)]
    return [
        Violation(
            "warehouse",
            f"warehouse, period {int(t)}",
            f"the stock at the end of the period needs volume {_num(u)}, the warehouse holds {_num(c)} "
            f"(see Inventory, period {int(t)})",
        )
        for t, u, c in zip(over["period"], over["used"], over["capacity"], strict=False)
    ]


_WHAT = {
    "supplier": "a supplier id",
    "item": "an item id",
    "arrival_period": "a period (a whole number, or a date when Settings give a calendar)",
    "quantity": "a number",
}


def _rows(group: list[dict]) -> str:
    return ", ".join(str(ln["row"]) for ln in sorted(group, key=lambda ln: ln["row"]))


def _id(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _period(data: PlanningData, value: object) -> int | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return data.settings.period_of(value) if data.settings.has_dates else None
    number = _number(value)
    if number is None or not float(number).is_integer():
        return None
    return int(number)


def _show(value: object) -> object:
    return "" if value is None else value


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.4g}"
