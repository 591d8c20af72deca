"""The shortages of a plan, each with the reason it could not be avoided, in a planner's words.

A shortage is a requirement (item, period) not met in full in its own period. The reason is the first
of these that holds:

1. no supplier offers the item;
2. lead time: no order placed in period 1 or later can arrive by the period, and stock on hand and open
   orders do not last until then;
3. supplier capacity: every offer that could arrive in time is at a limit in every such period — the
   supplier's capacity, or the line's max_order / item capacity (or a min_order that no longer fits);
4. warehouse: what could still be bought would have to arrive early, and the warehouse is full in
   between;
5. otherwise the plan chose the shortage because covering it costs more than the shortage — and, when
   the plan is not proven optimal, a better plan may avoid it.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from planner.data import PlanningData

SHORTAGE_COLUMNS = ["item", "period", "requirement", "quantity_short", "backlog", "served_in", "reason"]
_FULL = 0.999


def shortages(data: PlanningData, plan, pegging: pd.DataFrame, proven_optimal: bool = True) -> pd.DataFrame:
    """The Shortages sheet of ``plan`` (a :class:`planner.plan.Plan`); ``pegging`` from
    :func:`planner.pegging.peg`."""
    inv = plan.inventory
    short = inv[inv["unmet_on_time"] > 1e-9]
    columns = list(SHORTAGE_COLUMNS)
    if data.settings.has_dates:
        columns.insert(2, "date")
    if short.empty:
        return pd.DataFrame(columns=columns)
    diagnose = _Diagnosis(data, plan, proven_optimal)
    pegged = pegging.groupby(["item", "requirement_period"]).agg(
        quantity=("quantity", "sum"), last=("arrival_period", "max")
    )
    rows = []
    for i, t, r, unmet, backlog in zip(
        short["item"],
        short["period"],
        short["requirement"],
        short["unmet_on_time"],
        short["backlog"],
        strict=False,
    ):
        t = int(t)
        served = None
        if (i, t) in pegged.index:
            got = pegged.loc[(i, t)]
            if float(got["quantity"]) >= r - 1e-6 * max(1.0, r) and not pd.isna(got["last"]):
                served = int(got["last"])
        row = [i, t, float(r), float(unmet), float(backlog), served, diagnose(i, t)]
        if data.settings.has_dates:
            row.insert(2, data.settings.period_start(t))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    frame["served_in"] = frame["served_in"].astype("Int64")
    return frame


class _Diagnosis:
    def __init__(self, data: PlanningData, plan, proven_optimal: bool) -> None:
        self.data = data
        self.proven_optimal = proven_optimal
        orders = plan.orders
        self.ordered: dict[tuple, float] = defaultdict(float)
        for s, i, k, q in zip(
            orders["supplier"], orders["item"], orders["arrival_period"], orders["quantity"], strict=False
        ):
            self.ordered[(s, i, int(k))] += float(q)
        use = plan.utilisation
        self.used = {
            (r, int(t)): float(u)
            for r, t, u in zip(use["resource"], use["period"], use["used"], strict=False)
        }
        warehouse = use[use["resource"] == "warehouse"]
        self.warehouse_full = {
            int(t)
            for t, u in zip(warehouse["period"], warehouse["utilisation"], strict=False)
            if not pd.isna(u) and u >= _FULL
        }
        self.offers_of: dict[str, list] = defaultdict(list)
        for (s, i), offer in data.offers.iterrows():
            self.offers_of[i].append((s, offer))

    def __call__(self, item: str, t: int) -> str:
        data = self.data
        offers = self.offers_of.get(item, [])
        if not offers:
            return f"no supplier offers {item}; stock on hand and open orders do not cover the requirement"
        quickest = min(offers, key=lambda so: int(so[1]["lead_time"]))
        earliest = 1 + int(quickest[1]["lead_time"])
        if earliest > t:
            return (
                f"lead time: the quickest offer ({quickest[0]}, lead time {int(quickest[1]['lead_time'])}) "
                f"can deliver from period {earliest} at the earliest, and the stock on hand and open orders "
                f"do not last until then"
            )
        blocked: dict[str, list[int]] = defaultdict(list)
        open_slots = []
        for s, offer in offers:
            for k in range(1 + int(offer["lead_time"]), t + 1):
                why = self._limit(s, item, k, offer)
                if why:
                    blocked[why].append(k)
                else:
                    open_slots.append(k)
        if not open_slots:
            limits = "; ".join(f"{why} in period{_plural(ks)} {_spans(ks)}" for why, ks in blocked.items())
            return f"supplier capacity: every offer that could arrive in time is at its limit — {limits}"
        if t not in open_slots:
            full = sorted(p for p in self.warehouse_full if min(open_slots) <= p < t)
            if full:
                return (
                    f"warehouse: more could only arrive earlier (period{_plural(open_slots)} "
                    f"{_spans(sorted(set(open_slots)))}), but the warehouse is full in period{_plural(full)} "
                    f"{_spans(full)}"
                )
        cost = float(data.items.at[item, "stockout_cost"])
        text = (
            "cost: covering it costs more (minimum order, pack size, delivery, order or holding cost) "
            f"than the shortage at {cost:,.2f} per unit"
        )
        if not self.proven_optimal:
            text += "; the plan is not proven optimal, so a better plan may avoid it"
        return text

    def _limit(self, s: str, item: str, k: int, offer: pd.Series) -> str | None:
        """Why no more of ``item`` could arrive from ``s`` in ``k`` (None when more could)."""
        ordered = self.ordered.get((s, item, k), 0.0)
        line_max = min(float(offer["max_order"]), float(offer["capacity"]))
        room = line_max - ordered
        why = f"{s} order limit ({_num(line_max)} per line)" if room <= 1e-6 else None
        cap = self.data.supplier_capacity.get((s, k), math.inf)
        if math.isfinite(cap):
            left = (
                cap
                - self.used.get((s, k), 0.0)
                - (float(offer["capacity_per_order"]) if ordered <= 0 else 0.0)
            )
            per_unit = float(offer["capacity_per_unit"])
            supplier_room = left / per_unit if per_unit > 0 else (math.inf if left >= -1e-9 else 0.0)
            if supplier_room < room:
                room = supplier_room
                why = f"{s} at capacity" if room <= 1e-6 else why
        if ordered <= 0 and room < float(offer["min_order"]) - 1e-9 and why is None:
            why = f"{s} min_order {_num(float(offer['min_order']))} does not fit"
        if why is None and room <= 1e-6:
            why = f"{s} at capacity"
        return why


def _plural(values: list) -> str:
    return "s" if len(set(values)) > 1 else ""


def _spans(values: list[int]) -> str:
    values = sorted(set(values))
    out, start = [], None
    for k, v in enumerate(values):
        if start is None:
            start = v
        if k + 1 == len(values) or values[k + 1] != v + 1:
            out.append(str(start) if start == v else f"{start}–{v}")
            start = None
    return ", ".join(out)


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.2f}"
