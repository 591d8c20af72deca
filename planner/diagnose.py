"""Explain an infeasible plan: which rules of the workbook contradict each other, in planner terms.

Two sources, reported together:

- HiGHS's infeasibility analysis (``Highs.getIis``): an irreducible infeasible subset of the model's
  rows. Each row is mapped back to its Pyomo constraint (``warehouse_capacity[3]``) and from there to
  the rule and the workbook row it comes from ("warehouse capacity in period 3 (Capacity row 4)").
- The stock nothing can use up. New orders can always be left out (a line may be 0, shortages are
  allowed), so the model is infeasible exactly when the stock that arrives anyway — start stock and
  open orders, less the requirement they can serve — overflows a warehouse capacity. That stock is
  computed from the data alone and shown item by item, with the numbers that add up to the overflow.

Either part may come back empty (an analysis that failed or ran out of time, a future rule that makes
the model infeasible in some other way); the explanation then says what is known.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import highspy
import pyomo.environ as pyo

from planner.data import PlanningData

IIS_MAX_ROWS = 300_000
"""Above this many rows the infeasibility analysis is skipped (it solves LPs of the model's size)."""
IIS_TIME_LIMIT = 20.0
"""Seconds the infeasibility analysis may take at most."""
SHOWN = 5
"""Periods, and items per period, spelled out in an explanation; the rest are counted."""
_IIS_IRREDUCIBLE = 4
"""HiGHS ``iis_strategy`` bit: reduce the infeasible subset to an irreducible one."""


@dataclass(frozen=True)
class Overflow:
    """A period whose warehouse cannot hold the stock nothing can use up."""

    period: int
    capacity: float
    capacity_source: str
    volume: float
    items: tuple[str, ...]
    """One line per item that adds to the volume: its start stock, open orders and requirement."""


@dataclass(frozen=True)
class Diagnosis:
    """Why no plan exists: the conflicting rules (from HiGHS's IIS) and the overflows found."""

    rules: tuple[str, ...] = ()
    overflows: tuple[Overflow, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        """The explanation as lines of text, most useful first."""
        out: list[str] = []
        for o in self.overflows[:SHOWN]:
            out.append(
                f"warehouse capacity in period {o.period} ({o.capacity_source}) is {_num(o.capacity)}, "
                "but the "
                f"stock that no requirement can use up by the end of period {o.period} takes a volume of "
                f"{_num(o.volume)}:"
            )
            out += [f"    {line}" for line in o.items[:SHOWN]]
            if len(o.items) > SHOWN:
                out.append(f"    ... and {len(o.items) - SHOWN} more items")
        if len(self.overflows) > SHOWN:
            later = ", ".join(str(o.period) for o in self.overflows[SHOWN:])
            out.append(f"the warehouse overflows the same way in periods {later}")
        if self.overflows:
            out.append(
                "to plan, lower the start stock (Items on_hand) or the open orders (OpenOrders), or raise "
                "the warehouse capacity (Settings warehouse_capacity, or a warehouse row in Capacity)"
            )
        if self.rules:
            out.append("rules in conflict (HiGHS infeasibility analysis):")
            out += [f"    {rule}" for rule in self.rules[: 2 * SHOWN]]
            if len(self.rules) > 2 * SHOWN:
                out.append(f"    ... and {len(self.rules) - 2 * SHOWN} more")
        out += list(self.notes)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def diagnose(
    data: PlanningData, model: pyo.ConcreteModel, highs: highspy.Highs, time_limit: float = IIS_TIME_LIMIT
) -> Diagnosis:
    """Explain why ``model`` (built from ``data``, loaded in ``highs`` and found infeasible) has no plan."""
    overflows = tuple(warehouse_overflows(data))
    notes: list[str] = []
    rules: tuple[str, ...] = ()
    try:
        rules = tuple(_iis_rules(data, model, highs, time_limit))
    except Exception as error:  # the analysis is a help, never a reason to fail
        notes.append(f"(HiGHS's infeasibility analysis failed: {type(error).__name__}: {error})")
    if not rules and not overflows and not notes:
        notes.append("(HiGHS could not isolate the rules in conflict)")
    return Diagnosis(rules, overflows, tuple(notes))


# --- the stock that nothing can use up -------------------------------------------------------------------


def warehouse_overflows(data: PlanningData) -> list[Overflow]:
    """Each limited period whose warehouse is smaller than the volume of stock that must be held anyway.

    With no new orders, the stock at the end of period t is as low as any plan can make it:
    backlog: max(0, on_hand + Σ_{u≤t} open(u) − Σ_{u≤t} r(u)); lost_sales: max(0, I(t−1) + open(t) − r(t)).
    """
    volume = {i: float(v) for i, v in data.items["volume"].items() if v > 0}
    if not volume or not data.warehouse_capacity:
        return []
    lost = data.settings.stockout_policy == "lost_sales"
    r, o = data.requirement, data.open_receipts
    lowest: dict[tuple[str, int], float] = {}
    for i in volume:
        net = float(data.items.at[i, "on_hand"])
        for t in data.periods:
            net = net + o.get((i, t), 0.0) - r.get((i, t), 0.0)
            if lost:
                net = max(net, 0.0)
            lowest[(i, t)] = max(net, 0.0)
    out = []
    for t, capacity in sorted(data.warehouse_capacity.items()):
        used = sum(v * lowest[(i, t)] for i, v in volume.items())
        if used > capacity + 1e-6 * max(1.0, abs(capacity)):
            items = [
                _stock_line(data, i, t, lowest[(i, t)], v)
                for i, v in sorted(volume.items(), key=lambda iv: -iv[1] * lowest[(iv[0], t)])
                if lowest[(i, t)] > 0
            ]
            out.append(Overflow(t, capacity, warehouse_source(data, t), used, tuple(items)))
    return out


def _stock_line(data: PlanningData, item: str, t: int, stock: float, volume: float) -> str:
    on_hand = float(data.items.at[item, "on_hand"])
    oo = data.open_orders
    mine = oo[(oo["item"] == item) & (oo["period"] <= t)]
    arriving = float(mine["quantity"].sum())
    required = sum(q for (i, u), q in data.requirement.items() if i == item and u <= t)
    parts = [f"on_hand {_num(on_hand)}"]
    if arriving:
        rows = ", ".join(str(int(r)) for r in mine["row"])
        parts.append(f"+ open orders {_num(arriving)} (OpenOrders row{'s' if len(mine) > 1 else ''} {rows})")
    parts.append(f"− requirement {_num(required)} in periods 1..{t}")
    lost = " (units short are lost, not carried)" if data.settings.stockout_policy == "lost_sales" else ""
    return (
        f"item {item} ({_where(data, 'Items', item)}): {' '.join(parts)}{lost} leaves at least "
        f"{_num(stock)} units × volume {_num(volume)} = {_num(stock * volume)}"
    )


# --- HiGHS's irreducible infeasible subset -----------------------------------------------------------------


def _iis_rules(
    data: PlanningData, model: pyo.ConcreteModel, highs: highspy.Highs, time_limit: float
) -> list[str]:
    """The rows of an irreducible infeasible subset, each as a rule of the workbook (duplicates merged)."""
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    if highs.getNumRow() > IIS_MAX_ROWS or time_limit <= 0:
        return []
    start = time.perf_counter()
    highs.setOptionValue("iis_strategy", _IIS_IRREDUCIBLE)
    highs.setOptionValue("time_limit", float(max(1.0, time_limit)))
    status, iis = highs.getIis()
    if status != highspy.HighsStatus.kOk or not iis.valid_ or time.perf_counter() - start > time_limit:
        return []
    # The same compiler on the same model gives the same rows in the same order as the hand-off did.
    rows = LinearStandardFormCompiler().write(model, mixed_form=True).rows
    if len(rows) != highs.getNumRow():
        return []
    out: list[str] = []
    for k in iis.row_index_:
        con = rows[k].constraint
        rule = describe(data, con.parent_component().local_name, _index(con.index()))
        if rule not in out:
            out.append(rule)
    return out


def _index(index: object) -> tuple:
    if index is None:
        return ()
    return index if isinstance(index, tuple) else (index,)


def describe(data: PlanningData, family: str, index: tuple) -> str:
    """A model constraint (family name and index) as the rule of the workbook it states, with its row."""
    if family == "warehouse_capacity" and len(index) == 1:
        (t,) = index
        return f"warehouse capacity in period {t} ({warehouse_source(data, t)})"
    if family == "inventory_balance" and len(index) == 2:
        i, t = index
        where = _where(data, "Items", i)
        return f"stock balance of item {i} in period {t} ({where}: on_hand, and what arrives and is required)"
    if family == "supplier_capacity" and len(index) == 2:
        s, t = index
        return f"capacity of supplier {s} in period {t} ({supplier_source(data, s, t)})"
    if family in ("line_max", "line_min", "line_multiple", "line_needs_delivery") and len(index) == 3:
        s, i, t = index
        what = {
            "line_max": "at most max_order and capacity",
            "line_min": "at least min_order",
            "line_multiple": "a whole multiple of order_multiple",
            "line_needs_delivery": "arrives on a delivery of its supplier",
        }[family]
        where = _where(data, "SupplierItems", s, i)
        return f"order line of {i} from {s} arriving in period {t}: {what} ({where})"
    if family == "safety_floor" and len(index) == 2:
        i, t = index
        return f"safety stock of item {i} in period {t} ({_where(data, 'Items', i)})"
    if family in ("requirement_covered", "old_supply_reach", "cover_needs_line", "cover_within_line"):
        consequence = "a consequence of the stock balance: Demand / ProductionPlan"
        return f"requirement cover {family}{list(index)} ({consequence})"
    shown = f"[{', '.join(str(k) for k in index)}]" if index else ""
    return f"rule {family}{shown}"


def warehouse_source(data: PlanningData, t: int) -> str:
    """Where the warehouse capacity of period t is set: a Capacity row, or the Settings row."""
    row = data.rows.get(("Capacity", "warehouse", t))
    if row is not None:
        return f"Capacity row {row}"
    co = data.capacity_overrides
    if ((co["resource"] == "warehouse") & (co["period"] == t)).any():
        return "Capacity sheet"
    row = data.rows.get(("Settings", "warehouse_capacity"))
    return f"Settings row {row}, warehouse_capacity" if row else "Settings warehouse_capacity"


def supplier_source(data: PlanningData, s: str, t: int) -> str:
    """Where the capacity of supplier s in period t is set: a Capacity row, or its Suppliers row."""
    row = data.rows.get(("Capacity", s, t))
    if row is not None:
        return f"Capacity row {row}"
    return f"{_where(data, 'Suppliers', s)}, capacity"


def _where(data: PlanningData, sheet: str, *key: object) -> str:
    row = data.rows.get((sheet, *key))
    return f"{sheet} row {row}" if row is not None else sheet


def _num(x: float) -> str:
    if math.isinf(x):
        return "unlimited"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"
