"""Planning data: the validated input with every default resolved, ready to build a model from.

It is what the reader and the validator hand to the model, and what a Python planning script can
build from pandas tables without any Excel file (:func:`planner.from_frames`). Nothing downstream reads
the workbook again: every rule and cost of the model is a function of this object alone.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import pandas as pd

STOCKOUT_POLICIES = ("backlog", "lost_sales")
PERIOD_LENGTHS = ("day", "week", "month")
PERIODS_PER_YEAR = {"day": 365, "week": 52, "month": 12, None: 52}
COST_TERMS = (
    "purchase_cost",
    "delivery_cost",
    "order_cost",
    "holding_cost",
    "stockout_cost",
    "safety_cost",
    "carbon_cost",
)
"""The cost terms of the contract; ``total_cost`` is their sum."""


@dataclass(frozen=True)
class Settings:
    """The Settings sheet, with defaults applied (see docs/workbook.md)."""

    periods: int
    start_date: dt.date | None = None
    period_length: str | None = None
    warehouse_capacity: float = math.inf
    stockout_policy: str = "backlog"
    annual_holding_rate: float = 0.20
    time_limit: float = 60.0
    mip_gap: float = 1e-4
    currency: str | None = None
    carbon_price: float = 0.0
    storage_co2_per_volume: float = 0.0
    carbon_cap: float = math.inf
    scenarios: int = 10
    scenario_seed: int = 0
    cvar_alpha: float = 0.95
    cvar_weight: float = 0.0
    frozen_periods: int = 0

    @property
    def has_dates(self) -> bool:
        return self.start_date is not None and self.period_length is not None

    def period_start(self, period: int) -> dt.date | None:
        """First day of ``period`` (1-based), or None when the workbook has no calendar."""
        if not self.has_dates:
            return None
        assert self.start_date is not None
        if self.period_length == "day":
            return self.start_date + dt.timedelta(days=period - 1)
        if self.period_length == "week":
            return self.start_date + dt.timedelta(weeks=period - 1)
        months = self.start_date.month - 1 + period - 1
        year = self.start_date.year + months // 12
        month = months % 12 + 1
        day = min(self.start_date.day, _days_in_month(year, month))
        return dt.date(year, month, day)

    def period_of(self, day: dt.date) -> int:
        """The period (1-based) containing ``day``; 0 or less when it is before ``start_date``."""
        assert self.has_dates and self.start_date is not None
        delta = (day - self.start_date).days
        if self.period_length == "day":
            return delta + 1
        if self.period_length == "week":
            return delta // 7 + 1
        months = (day.year - self.start_date.year) * 12 + day.month - self.start_date.month
        if day.day < self.start_date.day:
            months -= 1
        return months + 1


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


class Offer(NamedTuple):
    """One SupplierItems row as plain floats, for the hot loops of the model and the heuristics."""

    unit_price: float
    lead_time: int
    min_order: float
    order_multiple: float
    max_order: float
    order_cost: float
    capacity: float
    capacity_per_unit: float
    capacity_per_order: float

    @property
    def min_line(self) -> float:
        """The smallest quantity a line may have: min_order rounded up to a whole order_multiple."""
        return round_up(self.min_order, self.order_multiple)


def round_up(x: float, mult: float) -> float:
    if mult <= 0:
        return x
    return math.ceil(x / mult - 1e-9) * mult


def round_down(x: float, mult: float) -> float:
    if mult <= 0 or not math.isfinite(x):
        return x
    return math.floor(x / mult + 1e-9) * mult


@dataclass(frozen=True)
class PlanningData:
    """Everything the model needs, validated, ids as text, defaults resolved.

    Tables (pandas DataFrames, never modified after construction):

    - ``items``: index ``item``; columns ``description``, ``unit``, ``unit_cost``, ``holding_cost``,
      ``stockout_cost``, ``on_hand``, ``safety_stock``, ``safety_stock_cost``, ``volume``.
    - ``suppliers``: index ``supplier``; ``delivery_cost``, ``capacity`` (inf = unlimited),
      ``co2_per_delivery``, plus the descriptive columns as given.
    - ``offers``: index (``supplier``, ``item``); ``unit_price``, ``lead_time`` (int), ``min_order``,
      ``order_multiple`` (0 = any quantity), ``max_order`` (inf = none), ``order_cost``, ``capacity``
      (inf = none), ``capacity_per_unit``, ``capacity_per_order``.
    - ``requirements``: ``item``, ``period``, ``quantity`` — one row per item and period with a
      positive total requirement.
    - ``requirement_sources``: ``item``, ``period``, ``source`` (``"demand"`` or the product id),
      ``quantity`` — the same requirement before summing, for pegging orders to their causes.
    - ``open_orders``: ``item``, ``period``, ``quantity``, ``supplier`` (may be empty text), ``row``
      (the row in the OpenOrders sheet, for messages).
    - ``capacity_overrides``: ``resource``, ``period``, ``capacity``.
    - ``rows``: where each id came from, e.g. ``rows[("Items", "bolt")] == 5`` — for messages that point
      back at the workbook.
    - ``disruptions``: ``supplier``, ``item`` (empty text = all its items), ``from_period``,
      ``to_period``, ``probability``, ``delay`` (int), ``capacity_factor``, ``row`` — possible supply
      disruptions; empty when the workbook has no Disruptions sheet (then the model is deterministic).
    - ``what_if``: ``scenario``, ``change``, ``target``, ``value`` (text), ``row`` — the Scenarios sheet,
      read by ``planner scenarios`` only.
    - ``offers`` may carry ``defect_rate`` (share of a line that is defective; absent = 0).
    """

    settings: Settings
    items: pd.DataFrame
    suppliers: pd.DataFrame
    offers: pd.DataFrame
    requirements: pd.DataFrame
    requirement_sources: pd.DataFrame
    open_orders: pd.DataFrame
    capacity_overrides: pd.DataFrame
    rows: dict[tuple, int] = field(default_factory=dict)
    source: str = "frames"
    disruptions: pd.DataFrame = field(default_factory=lambda: empty_disruptions())
    what_if: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["scenario", "change", "target", "value", "row"])
    )

    @property
    def T(self) -> int:  # noqa: N802 - the textbook symbol
        return self.settings.periods

    @property
    def periods(self) -> range:
        return range(1, self.settings.periods + 1)

    @cached_property
    def requirement(self) -> dict[tuple[str, int], float]:
        """r[i, t]: total requirement of item i in period t (absent = 0)."""
        req = self.requirements
        return {
            (i, int(t)): float(q)
            for i, t, q in zip(req["item"], req["period"], req["quantity"], strict=False)
        }

    @cached_property
    def offer_terms(self) -> dict[tuple[str, str], Offer]:
        """{(supplier, item): Offer}: the SupplierItems table as plain numbers, for hot loops."""
        o = self.offers
        columns = [o[name].to_numpy() for name in Offer._fields]
        return {
            key: Offer(
                float(p), int(lt), float(mn), float(mu), float(mx), float(oc), float(c), float(a), float(b)
            )
            for key, p, lt, mn, mu, mx, oc, c, a, b in zip(o.index, *columns, strict=True)
        }

    @cached_property
    def total_requirement(self) -> dict[str, float]:
        """Σt r[i, t] per item (absent = 0)."""
        out: dict[str, float] = {}
        for (i, _), q in self.requirement.items():
            out[i] = out.get(i, 0.0) + q
        return out

    @cached_property
    def open_receipts(self) -> dict[tuple[str, int], float]:
        """o[i, t]: quantity of open orders of item i arriving in period t (absent = 0)."""
        out: dict[tuple[str, int], float] = {}
        oo = self.open_orders
        for i, t, q in zip(oo["item"], oo["period"], oo["quantity"], strict=False):
            out[(i, int(t))] = out.get((i, int(t)), 0.0) + float(q)
        return out

    def _overrides(self, resource: str) -> dict[int, float]:
        co = self.capacity_overrides
        sel = co[co["resource"] == resource]
        return {int(t): float(c) for t, c in zip(sel["period"], sel["capacity"], strict=False)}

    @cached_property
    def supplier_capacity(self) -> dict[tuple[str, int], float]:
        """K[s, t]: capacity of supplier s in period t, for the (s, t) that are limited at all."""
        out: dict[tuple[str, int], float] = {}
        for s, cap in zip(self.suppliers.index, self.suppliers["capacity"], strict=False):
            over = self._overrides(s)
            for t in self.periods:
                value = over.get(t, float(cap))
                if math.isfinite(value):
                    out[(s, t)] = value
        return out

    @cached_property
    def warehouse_capacity(self) -> dict[int, float]:
        """W[t]: storage volume available at the end of period t, for the limited periods."""
        over = self._overrides("warehouse")
        out = {}
        for t in self.periods:
            value = over.get(t, self.settings.warehouse_capacity)
            if math.isfinite(value):
                out[t] = value
        return out

    @cached_property
    def good_share(self) -> dict[tuple[str, str], float]:
        """g(s,i) = 1 − defect_rate(s,i) for the offers with defects (absent = 1: every part is good)."""
        if "defect_rate" not in self.offers.columns:
            return {}
        rates = self.offers["defect_rate"].fillna(0.0)
        return {k: 1.0 - float(d) for k, d in rates.items() if d > 0}

    @property
    def has_disruptions(self) -> bool:
        return not self.disruptions.empty

    def arrival_periods(self, supplier: str, item: str) -> range:
        """Periods in which a new order of this offer can arrive: ordered no earlier than period 1."""
        lead = int(self.offers.at[(supplier, item), "lead_time"])
        return range(1 + lead, self.T + 1)


DISRUPTION_COLUMNS = [
    "supplier",
    "item",
    "from_period",
    "to_period",
    "probability",
    "delay",
    "capacity_factor",
    "row",
]


def empty_disruptions() -> pd.DataFrame:
    """The disruptions table of a workbook without a Disruptions sheet."""
    kinds = {c: object if c in ("supplier", "item") else float for c in DISRUPTION_COLUMNS}
    return pd.DataFrame({c: pd.Series(dtype=kind) for c, kind in kinds.items()})
