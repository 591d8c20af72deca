"""Index sets: only the combinations that exist (an offer can arrive, an item is stocked)."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from planner.data import Offer, PlanningData, round_down, round_up


def offer_table(data: PlanningData) -> dict[tuple[str, str], Offer]:
    """{(supplier, item): Offer} for every offer (computed once per PlanningData)."""
    return data.offer_terms


def order_bound(
    data: PlanningData, supplier: str, item: str, period: int, offer: Offer | None = None
) -> float:
    """U(s,i,t): the most that can usefully arrive on one order line, from the data alone.

    U = min(max_order, item capacity, (K(s,t) − capacity_per_order) ÷ capacity_per_unit, N(i)) rounded
    down to a whole order_multiple, where N(i) = Σt r(i,t) + safety_stock(i), rounded up to the multiple
    and at least the effective min_order: more than every requirement of the horizon plus the safety
    floor never lowers any cost. 0 means the line cannot be placed at all.
    """
    if offer is None:
        offer = offer_table(data)[(supplier, item)]
    need = data.total_requirement.get(item, 0.0) + float(data.items.at[item, "safety_stock"])
    need /= data.good_share.get((supplier, item), 1.0)  # defective parts: order enough good ones
    return _bound(offer, need, data.supplier_capacity.get((supplier, period), math.inf))


def _bound(offer: Offer, need: float, cap: float) -> float:
    mult = offer.order_multiple
    smallest = offer.min_line
    bound = max(round_up(need, mult), smallest)
    bound = min(bound, offer.max_order, offer.capacity)
    if math.isfinite(cap):
        room = cap - offer.capacity_per_order
        if room < 0:
            return 0.0
        if offer.capacity_per_unit > 0:
            bound = min(bound, room / offer.capacity_per_unit)
    bound = round_down(bound, mult)
    if bound < max(smallest, _smallest_line(mult)):
        return 0.0
    return bound


def effective_min_order(offer) -> float:
    """The smallest quantity a line may have: min_order rounded up to a whole order_multiple."""
    return round_up(float(offer["min_order"]), float(offer["order_multiple"]))


def _smallest_line(mult: float) -> float:
    return mult if mult > 0 else 1e-9


def define_sets(m: pyo.ConcreteModel, data: PlanningData, big_m: float | None = None) -> None:
    """Sets: T periods; I items; S suppliers; X = {(s,i,t)}: offer (s,i) can arrive in t with U(s,i,t) > 0
    (t ≥ 1 + lead_time, so no order is placed before period 1); D = {(s,t)}: deliveries that can happen.

    ``big_m`` (benchmarks only: the straightforward model) replaces N(i) in U by that constant."""
    m.T = pyo.Set(initialize=list(data.periods), ordered=True)
    m.I = pyo.Set(initialize=list(data.items.index), ordered=True)
    m.S = pyo.Set(initialize=list(data.suppliers.index), ordered=True)
    lines = []
    bounds = {}
    offers = offer_table(data)
    safety = data.items["safety_stock"].to_dict()
    capacity = data.supplier_capacity
    for (s, i), offer in offers.items():
        need = data.total_requirement.get(i, 0.0) + float(safety[i])
        need /= data.good_share.get((s, i), 1.0)  # defective parts: order enough good ones
        if big_m is not None:
            need = big_m
        for t in range(1 + offer.lead_time, data.T + 1):
            u = _bound(offer, need, capacity.get((s, t), math.inf))
            if u > 0:
                lines.append((s, i, t))
                bounds[(s, i, t)] = u
    m.X = pyo.Set(initialize=lines, dimen=3, ordered=True)
    m.U = bounds
    m.offer = offers
    m.D = pyo.Set(initialize=sorted({(s, t) for s, _, t in lines}, key=lambda k: (k[1], k[0])), dimen=2)
