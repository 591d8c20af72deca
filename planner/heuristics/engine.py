"""The shared machinery of every rule-based plan: per-item stock simulation, offer choice, capacities.

A rule (lot-for-lot, min-max, Silver–Meal, the warm-start heuristic) only decides *when* an item needs
an arrival and *how much*; :class:`PlanBuilder` turns that into order lines that respect the hard rules
of the model: an offer can arrive in t only if t ≥ 1 + lead_time (and t is past a frozen fence); a
line is 0 or at least the effective min_order, a whole order_multiple, at most max_order, the offer's
item capacity and the line bound U of the model; supplier capacity (capacity_per_unit · q +
capacity_per_order per line) is never exceeded.
When the cheapest offer cannot take the whole quantity, the rest goes to the next offer, then to earlier
arrival periods; what cannot be placed at all stays short (backlog or lost, like the model allows).
The warehouse is watched too: a lot that would overflow it in some period is cut to the largest lot
that fits (or not placed), given the stock of every item as planned so far.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, KeysView
from dataclasses import dataclass

import numpy as np

from planner.data import PlanningData
from planner.model.sets import Offer, _bound, offer_table, round_down, round_up
from planner.plan import Plan, evaluate, orders_frame

Lines = dict[tuple[str, str, int], float]
"""Order lines {(supplier, item, arrival period): quantity}."""

TOL = 1e-6


@dataclass
class ItemState:
    """What a rule sees of one item: requirement r[t], old supply (on hand, open orders) and the
    safety stock, all as arrays over periods 1..T (index 0 = period 1)."""

    item: str
    r: np.ndarray
    open: np.ndarray
    on_hand: float
    safety: float
    holding: float
    lost_sales: bool

    def stock_after(self, receipts: np.ndarray) -> np.ndarray:
        """Net stock at the end of each period (negative = backlog) with ``receipts`` of new lines."""
        if not self.lost_sales:
            return self.on_hand + np.cumsum(self.open + receipts - self.r)
        out = np.empty(len(self.r))
        stock = self.on_hand
        for t in range(len(self.r)):
            stock = max(0.0, stock + self.open[t] + receipts[t] - self.r[t])
            out[t] = stock
        return out


class PlanBuilder:
    """Order lines under construction, with the capacity they use."""

    def __init__(self, data: PlanningData, *, joint_delivery: bool = True) -> None:
        self.data = data
        self.T = data.T
        self.offers = offer_table(data)
        self.joint_delivery = joint_delivery
        self.frozen = int(getattr(data.settings, "frozen_periods", 0) or 0)  # no new arrivals up to here
        self.by_item: dict[str, list[tuple[str, Offer]]] = defaultdict(list)
        for (s, i), offer in self.offers.items():
            self.by_item[i].append((s, offer))
        self.delivery_cost = {
            s: float(f) + data.settings.carbon_price * float(c)
            for s, f, c in zip(
                data.suppliers.index,
                data.suppliers["delivery_cost"],
                data.suppliers["co2_per_delivery"],
                strict=True,
            )
        }
        self.capacity = data.supplier_capacity
        self.used: dict[tuple[str, int], float] = defaultdict(float)
        self.on_delivery: dict[tuple[str, int], int] = {}  # lines per delivery planned so far
        self.closed: set[tuple[str, int]] = set()  # deliveries a local search has ruled out
        self.version: dict[str, int] = defaultdict(int)  # bumped when a supplier's deliveries change
        self.interrupted = False  # a local search on this plan was stopped by Ctrl-C
        self.lines: Lines = {}
        self.lines_of: dict[str, set[tuple[str, str, int]]] = defaultdict(set)  # keys of lines, by item
        self.recv: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(self.T))
        safety = data.items["safety_stock"].to_dict()
        per_item = data.items[["holding_cost", "stockout_cost", "safety_stock_cost", "unit_cost"]]
        self.item_costs = {
            i: tuple(map(float, row)) for i, row in zip(per_item.index, per_item.to_numpy(), strict=True)
        }
        """(holding, stockout, safety-stock, unit) cost of each item."""
        self.need = {i: data.total_requirement.get(i, 0.0) + float(safety[i]) for i in data.items.index}
        self.good = getattr(data, "good_share", {})  # share of a line that becomes stock (1 − defect_rate)
        self.volume = data.items["volume"].to_dict()
        self.room = np.array([data.warehouse_capacity.get(t, math.inf) for t in data.periods], dtype=float)
        self.states: dict[str, ItemState] = {}
        self.profile: dict[str, np.ndarray] = {}
        self.stored = np.zeros(self.T)  # Σ volume × end stock over items, as planned so far
        if np.isfinite(self.room).any():
            for i in data.items.index:
                if self.volume[i] > 0:
                    self.profile[i] = np.maximum(self.state(i).stock_after(np.zeros(self.T)), 0.0)
                    self.stored += self.volume[i] * self.profile[i]

    # ------------------------------------------------------------------ items

    def items_by_value(self) -> list[str]:
        """Items, most valuable requirement first (they get the capacity first)."""
        value = self.data.items["unit_cost"].to_dict()
        return sorted(
            self.data.items.index, key=lambda i: (-self.data.total_requirement.get(i, 0.0) * value[i], i)
        )

    def state(self, item: str) -> ItemState:
        if item in self.states:
            return self.states[item]
        T = self.T
        r = np.zeros(T)
        o = np.zeros(T)
        for t in range(1, T + 1):
            r[t - 1] = self.data.requirement.get((item, t), 0.0)
            o[t - 1] = self.data.open_receipts.get((item, t), 0.0)
        row = self.data.items.loc[item]
        self.states[item] = ItemState(
            item,
            r,
            o,
            float(row["on_hand"]),
            float(row["safety_stock"]),
            float(row["holding_cost"]),
            self.data.settings.stockout_policy == "lost_sales",
        )
        return self.states[item]

    def _new_profile(self, item: str, t: int, good_qty: float) -> np.ndarray:
        recv = self.recv[item].copy()
        recv[t - 1] += good_qty
        return np.maximum(self.state(item).stock_after(recv), 0.0)

    def fits(self, supplier: str, item: str, t: int, q: float) -> bool:
        """Whether a line of q arriving in t keeps the warehouse within capacity in every period."""
        if item not in self.profile:
            return True
        extra = self.volume[item] * (
            self._new_profile(item, t, q * self.good.get((supplier, item), 1.0)) - self.profile[item]
        )
        return bool(np.all(self.stored + extra <= self.room * (1 - 1e-9) + 1e-9) or np.all(extra <= 1e-12))

    def fitting_lot(self, supplier: str, item: str, offer: Offer, t: int, q: float) -> float:
        """q, or the largest smaller lot (whole multiples, at least the min order) that fits the warehouse."""
        if self.fits(supplier, item, t, q):
            return q
        step = offer.order_multiple if offer.order_multiple > 0 else max(q / 64, TOL)
        lo, hi = 0, int(math.floor((q - offer.min_line) / step + 1e-9))  # lot = min_line + k · step
        if offer.min_line <= 0:
            lo = 1
            offer_min = 0.0
        else:
            offer_min = offer.min_line
        if offer_min > 0 and not self.fits(supplier, item, t, offer_min):
            return 0.0
        if offer_min <= 0 and not self.fits(supplier, item, t, step):
            return 0.0
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.fits(supplier, item, t, offer_min + mid * step):
                lo = mid
            else:
                hi = mid - 1
        return offer_min + lo * step

    def receipts(self, item: str) -> np.ndarray:
        """New receipts of ``item`` per period (index 0 = period 1) from the lines placed so far."""
        return self.recv[item]

    # ------------------------------------------------------------------ offers

    def can_arrive(self, item: str, t: int) -> list[tuple[str, Offer]]:
        if t <= self.frozen:
            return []
        return [
            (s, o)
            for s, o in self.by_item.get(item, ())
            if t >= 1 + o.lead_time and (s, t) not in self.closed
        ]

    def setup_cost(self, supplier: str, item: str, offer: Offer, t: int) -> float:
        """Fixed cost of a new line: its order cost and the delivery, unless (joint) already coming."""
        if (supplier, item, t) in self.lines:
            return 0.0  # adding to a line already placed
        shared = self.joint_delivery and (supplier, t) in self.deliveries
        return offer.order_cost + (0.0 if shared else self.delivery_cost[supplier])

    def line_limit(self, supplier: str, item: str, offer: Offer, t: int) -> float:
        """The most a new line of this offer arriving in t may have now, or the most that may be added
        to the line already there (0 = none)."""
        placed = self.lines.get((supplier, item, t), 0.0)
        cap = self.capacity.get((supplier, t), math.inf)
        if math.isfinite(cap):
            cap -= self.used[(supplier, t)]
            if placed > 0:  # its capacity_per_order is paid already; the bound counts it again
                cap += placed * offer.capacity_per_unit + offer.capacity_per_order
        if placed > 0:
            return max(0.0, _bound(offer, self.need[item], cap) - placed)
        return _bound(offer, self.need[item], cap)

    def lot(self, offer: Offer, qty: float, limit: float, adding: bool = False) -> float:
        """qty rounded up to a whole multiple and at least the min order (not when ``adding`` to a
        line), within limit (0 = no lot)."""
        smallest = 0.0 if adding else offer.min_line
        q = max(round_up(qty, offer.order_multiple), smallest)
        if q > limit + TOL:
            q = round_down(limit, offer.order_multiple)
            if q < smallest - TOL or q <= TOL:
                return 0.0
        return q

    def cheapest(self, item: str, t: int, qty: float) -> list[tuple[float, str, Offer, float]]:
        """Offers that can bring (part of) qty in t, as (cost per unit brought, supplier, offer, lot)."""
        out = []
        for s, offer in self.can_arrive(item, t):
            limit = self.line_limit(s, item, offer, t)
            if limit <= 0:
                continue
            g = self.good.get((s, item), 1.0)
            q = self.lot(offer, qty / g, limit, adding=(s, item, t) in self.lines)
            if q > 0:
                q = self.fitting_lot(s, item, offer, t, q)
            if q <= 0:
                continue
            cost = offer.unit_price * q + self.setup_cost(s, item, offer, t)
            out.append((cost / min(q * g, qty), s, offer, q))
        out.sort(key=lambda x: (x[0], x[1]))
        return out

    def add(self, supplier: str, item: str, t: int, q: float) -> None:
        offer = self.offers[(supplier, item)]
        new_line = (supplier, item, t) not in self.lines
        self.lines[(supplier, item, t)] = self.lines.get((supplier, item, t), 0.0) + q
        self.lines_of[item].add((supplier, item, t))
        self.recv[item][t - 1] += q * self.good.get((supplier, item), 1.0)
        if item in self.profile:
            new = np.maximum(self.state(item).stock_after(self.recv[item]), 0.0)
            self.stored += self.volume[item] * (new - self.profile[item])
            self.profile[item] = new
        if (supplier, t) not in self.on_delivery or (supplier, t) in self.capacity:
            self.version[supplier] += 1
        if new_line:
            self.on_delivery[(supplier, t)] = self.on_delivery.get((supplier, t), 0) + 1
        if (supplier, t) in self.capacity:
            self.used[(supplier, t)] += offer.capacity_per_unit * q + (
                offer.capacity_per_order if new_line else 0.0
            )

    @property
    def deliveries(self) -> KeysView[tuple[str, int]]:
        """The deliveries (supplier, arrival period) planned so far: those with a line on them."""
        return self.on_delivery.keys()

    def remove_item(self, item: str) -> Lines:
        """Take every line of ``item`` out of the plan (capacity, warehouse and deliveries follow);
        returns the lines removed, which :meth:`restore` puts back."""
        removed = {key: self.lines[key] for key in self.lines_of.pop(item, ())}
        for (s, i, t), q in removed.items():
            del self.lines[(s, i, t)]
            offer = self.offers[(s, i)]
            if (s, t) in self.capacity:
                self.used[(s, t)] -= offer.capacity_per_unit * q + offer.capacity_per_order
            self.on_delivery[(s, t)] -= 1
            if self.on_delivery[(s, t)] <= 0:
                del self.on_delivery[(s, t)]
                self.version[s] += 1
            elif (s, t) in self.capacity:
                self.version[s] += 1
        self.recv[item] = np.zeros(self.T)
        if item in self.profile:
            new = np.maximum(self.state(item).stock_after(self.recv[item]), 0.0)
            self.stored += self.volume[item] * (new - self.profile[item])
            self.profile[item] = new
        return removed

    def restore(self, lines: Lines) -> None:
        """Put back lines taken out by :meth:`remove_item` (after removing what replaced them)."""
        for (s, i, t), q in sorted(lines.items()):
            self.add(s, i, t, q)

    def item_cost(self, item: str) -> float:
        """The cost terms of one item as :meth:`estimate` counts them, deliveries excepted."""
        state = self.state(item)
        hold, short, below, value = self.item_costs[item]
        total = 0.0
        for key in self.lines_of.get(item, ()):
            offer = self.offers[key[:2]]
            total += offer.unit_price * self.lines[key] + offer.order_cost
        stock = state.stock_after(self.recv[item])
        on_hand = np.maximum(stock, 0.0)
        total += hold * float(on_hand.sum()) + below * float(np.maximum(state.safety - on_hand, 0.0).sum())
        if state.lost_sales:
            before = np.concatenate([[state.on_hand], on_hand[:-1]])
            lost = np.maximum(state.r - before - state.open - self.recv[item], 0.0)
            total += short * float(lost.sum())
        else:
            backlog = np.maximum(-stock, 0.0)
            total += short * float(backlog.sum()) + value * float(backlog[-1])
        return float(total)

    def delivery_total(self) -> float:
        """The cost of the deliveries planned so far, each counted once."""
        return sum(self.delivery_cost[s] for s, _ in self.deliveries)

    def place(self, item: str, t: int, qty: float, earliest: int = 1) -> float:
        """Bring ``qty`` of ``item`` by period t: cheapest offer arriving in t first, the rest from other
        offers, then from earlier periods (down to ``earliest``). Returns the quantity placed (may be more
        than qty after rounding to packs, less when capacity runs out)."""
        placed = 0.0
        for when in range(t, max(1, earliest) - 1, -1):
            while placed < qty - TOL:
                options = self.cheapest(item, when, qty - placed)
                if not options:
                    break
                _, s, _, q = options[0]
                self.add(s, item, when, q)
                placed += q * self.good.get((s, item), 1.0)
            if placed >= qty - TOL:
                break
        return placed

    # ------------------------------------------------------------------ quick costing

    def warehouse_fits(self) -> bool:
        """Whether the stock as planned fits the warehouse in every period."""
        return bool(np.all(self.stored <= self.room * (1 + 1e-9) + 1e-6))

    def estimate(self) -> float:
        """The plan's total cost as :func:`planner.plan.evaluate` computes it, without building its
        tables (to choose among candidates quickly; the chosen one is then evaluated properly)."""
        return sum(self.item_cost(i) for i in self.data.items.index) + self.delivery_total()


Rule = Callable[[PlanBuilder, ItemState], None]


def build_builder(
    data: PlanningData, rule: Rule, *, joint_delivery: bool = True, items: Iterable[str] | None = None
) -> PlanBuilder:
    """Apply ``rule`` to every item (most valuable first); the builder holds the lines it placed."""
    builder = PlanBuilder(data, joint_delivery=joint_delivery)
    for item in items if items is not None else builder.items_by_value():
        if builder.by_item.get(item):
            rule(builder, builder.state(item))
    return builder


def build_plan(
    data: PlanningData, rule: Rule, *, joint_delivery: bool = True, items: Iterable[str] | None = None
) -> Lines:
    """Apply ``rule`` to every item (most valuable first) and return the order lines."""
    return build_builder(data, rule, joint_delivery=joint_delivery, items=items).lines


def warehouse_ok(data: PlanningData, plan: Plan) -> bool:
    """Whether the plan's end-of-period stock fits the warehouse in every limited period."""
    util = plan.utilisation
    if util.empty:
        return True
    wh = util[util["resource"] == "warehouse"]
    return bool(((wh["used"] <= wh["capacity"] * (1 + 1e-9) + 1e-6) | wh["capacity"].isna()).all())


def cost_plan(data: PlanningData, lines: Lines) -> Plan:
    """The plan of these order lines, costed by :func:`planner.plan.evaluate` like any other."""
    return evaluate(data, orders_frame(data, lines))
