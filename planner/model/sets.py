"""Index sets: only the combinations that exist (an offer can arrive, an item is stocked)."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from planner.data import PlanningData


def order_bound(data: PlanningData, supplier: str, item: str, period: int) -> float:
    """U(s,i,t): the most that can usefully arrive on one order line, from the data alone.

    U = min(max_order, item capacity, (K(s,t) − capacity_per_order) ÷ capacity_per_unit, N(i)) rounded
    down to a whole order_multiple, where N(i) = Σt r(i,t) + safety_stock(i), rounded up to the multiple
    and at least the effective min_order: more than every requirement of the horizon plus the safety
    floor never lowers any cost. 0 means the line cannot be placed at all.
    """
    offer = data.offers.loc[(supplier, item)]
    mult = float(offer["order_multiple"])
    need = data.total_requirement.get(item, 0.0) + float(data.items.at[item, "safety_stock"])
    bound = max(round_up(need, mult), effective_min_order(offer))
    bound = min(bound, float(offer["max_order"]), float(offer["capacity"]))
    cap = data.supplier_capacity.get((supplier, period), math.inf)
    if math.isfinite(cap):
        room = cap - float(offer["capacity_per_order"])
        if room < 0:
            return 0.0
        if float(offer["capacity_per_unit"]) > 0:
            bound = min(bound, room / float(offer["capacity_per_unit"]))
    bound = round_down(bound, mult)
    if bound < max(effective_min_order(offer), _smallest_line(mult)):
        return 0.0
    return bound


def effective_min_order(offer) -> float:
    """The smallest quantity a line may have: min_order rounded up to a whole order_multiple."""
    return round_up(float(offer["min_order"]), float(offer["order_multiple"]))


def _smallest_line(mult: float) -> float:
    return mult if mult > 0 else 1e-9


def round_up(x: float, mult: float) -> float:
    if mult <= 0:
        return x
    return math.ceil(x / mult - 1e-9) * mult


def round_down(x: float, mult: float) -> float:
    if mult <= 0 or not math.isfinite(x):
        return x
    return math.floor(x / mult + 1e-9) * mult


def define_sets(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Sets: T periods; I items; S suppliers; X = {(s,i,t)}: offer (s,i) can arrive in t with U(s,i,t) > 0
    (t ≥ 1 + lead_time, so no order is placed before period 1); D = {(s,t)}: deliveries that can happen."""
    m.T = pyo.Set(initialize=list(data.periods), ordered=True)
    m.I = pyo.Set(initialize=list(data.items.index), ordered=True)
    m.S = pyo.Set(initialize=list(data.suppliers.index), ordered=True)
    lines = []
    bounds = {}
    for s, i in data.offers.index:
        for t in data.arrival_periods(s, i):
            u = order_bound(data, s, i, t)
            if u > 0:
                lines.append((s, i, t))
                bounds[(s, i, t)] = u
    m.X = pyo.Set(initialize=lines, dimen=3, ordered=True)
    m.U = bounds
    m.D = pyo.Set(initialize=sorted({(s, t) for s, _, t in lines}, key=lambda k: (k[1], k[0])), dimen=2)
