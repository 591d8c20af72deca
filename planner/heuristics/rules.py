"""Lot-sizing rules on top of :class:`~planner.heuristics.engine.PlanBuilder`.

Each rule walks one item through the horizon and asks the builder for arrivals; the builder picks the
offer and respects the line rules and supplier capacity. Safety stock is treated as a target: a rule
orders so that end-of-period stock stays at or above it.
"""

from __future__ import annotations

import math

import numpy as np

from planner.heuristics.engine import TOL, ItemState, PlanBuilder


def _first_short(state: ItemState, recv: np.ndarray, start: int) -> int | None:
    """First period ≥ start (1-based) whose end stock is below the safety stock, or None."""
    stock = state.stock_after(recv)
    below = np.nonzero(stock[start - 1 :] < state.safety - TOL)[0]
    return int(below[0]) + start if len(below) else None


def lot_for_lot(builder: PlanBuilder, state: ItemState) -> None:
    """Each period, exactly what is missing to end it at the safety stock (rounded up to a lot)."""
    t = 1
    while t is not None and t <= builder.T:
        t = _first_short(state, builder.receipts(state.item), t)
        if t is None:
            return
        stock = state.stock_after(builder.receipts(state.item))
        builder.place(state.item, t, state.safety - stock[t - 1])
        t += 1


def silver_meal(builder: PlanBuilder, state: ItemState, max_cover: int | None = None) -> None:
    """Silver–Meal: at each period that runs short, cover the next k periods, k chosen while the cost
    per period covered (fixed cost of the line + holding of what it carries) keeps falling."""
    T = builder.T
    t = 1
    while t <= T:
        recv = builder.receipts(state.item)
        t_short = _first_short(state, recv, t)
        if t_short is None:
            return
        t = t_short
        options = [(s, o) for s, o in builder.can_arrive(state.item, t)]
        if not options:
            t += 1
            continue
        stock = state.stock_after(recv)
        setup = min(builder.setup_cost(s, state.item, o, t) for s, o in options)
        best_avg, best_q = math.inf, state.safety - stock[t - 1]
        for k in range(1, (max_cover or T) + 1):
            if t + k - 1 > T:
                break
            q = state.safety - stock[t + k - 2]  # what makes the end of t+k−1 reach the safety stock
            if q <= TOL:
                continue
            # holding of the units carried: each extra unit needed at u is held from t to u − 1
            deficits = np.maximum(state.safety - stock[t - 1 : t + k - 1], 0.0)
            carried = q - deficits  # units still in stock at the end of each period t..t+k−1
            hold = state.holding * float(np.sum(np.maximum(carried[:-1], 0.0))) if k > 1 else 0.0
            avg = (setup + hold) / k
            if avg > best_avg + 1e-9:
                break
            best_avg, best_q = avg, q
        builder.place(state.item, t, best_q)
        t += 1  # the next short period is found from the stock as placed (a lot cut short by capacity)


def min_max(builder: PlanBuilder, state: ItemState) -> None:
    """Min-max (reorder point / order-up-to), reviewed every period at order time p: when the
    inventory position (stock − backlog + everything still to arrive) is below min, order up to max.

    min = safety stock + average requirement × (lead time + 1); max = min + max(EOQ, smallest lot),
    EOQ = √(2 · average requirement · fixed cost ÷ holding cost), for the offer with the lowest
    price + fixed cost ÷ EOQ. Uses the average requirement, not the known future, as the rule does.
    """
    T = builder.T
    offers = builder.by_item.get(state.item, [])
    d = float(np.mean(state.r)) if T else 0.0
    if d <= 0 and state.safety <= 0:
        return
    h = max(state.holding, 1e-9)

    def landed(so):
        s, o = so
        fixed = o.order_cost + builder.delivery_cost[s]
        eoq = math.sqrt(2 * max(d, TOL) * fixed / h) if fixed > 0 else max(d, TOL)
        return o.unit_price + fixed / max(eoq, o.min_line, TOL), s

    supplier, offer = min(offers, key=landed)
    fixed = offer.order_cost + builder.delivery_cost[supplier]
    eoq = math.sqrt(2 * d * fixed / h) if fixed > 0 else d
    lead = offer.lead_time
    low = state.safety + d * (lead + 1)
    high = low + max(eoq, offer.min_line, offer.order_multiple, d)
    for p in range(1, T - lead + 1):
        recv = builder.receipts(state.item)
        stock = state.stock_after(recv)
        before = state.on_hand if p == 1 else stock[p - 2]
        position = before + float(np.sum(state.open[p - 1 :] + recv[p - 1 :]))
        if position < low - TOL:
            builder.place(state.item, p + lead, high - position)


def wagner_whitin(builder: PlanBuilder, state: ItemState) -> None:
    """Wagner–Whitin on the item's net requirements (after start stock and open orders, up to the
    safety stock): the cheapest sequence of lots, a lot arriving in t and covering t..u costing the
    cheapest offer's price × the lot rounded up to its packs and min order, plus its fixed cost (order
    cost, and the delivery cost unless a delivery from that supplier already comes in t), plus holding.
    The lots are then placed through the builder, which may cut them for capacity or the warehouse;
    lot-for-lot fills what that leaves short."""
    T = builder.T
    short = np.maximum(state.safety - state.stock_after(np.zeros(T)), 0.0)
    short = np.maximum.accumulate(short)  # cumulative need for new supply by the end of each period
    if short[-1] <= TOL:
        return
    need = np.concatenate([[0.0], short])  # need[t] = by the end of t (t = 0..T)
    prefix = np.concatenate([[0.0], np.cumsum(short)])
    h = state.holding
    # per offer k and arrival t: price, pack, smallest lot and fixed cost (inf where it cannot arrive)
    offers: dict[tuple[str, int], int] = {}
    price, mult, smallest, setup = [], [], [], []
    for t in range(1, T + 1):
        for s, o in builder.can_arrive(state.item, t):
            k = offers.setdefault((s, id(o)), len(offers))
            if k == len(price):
                price.append(o.unit_price)
                mult.append(o.order_multiple)
                smallest.append(o.min_line)
                setup.append(np.full(T + 1, np.inf))
            setup[k][t] = builder.setup_cost(s, state.item, o, t)
    if not offers:
        lot_for_lot(builder, state)
        return
    price_k, mult_k, small_k = (np.array(v)[:, None, None] for v in (price, mult, smallest))
    packs = np.where(mult_k > 0, mult_k, 1.0)
    setup_kt = np.array(setup)[:, 1:, None]  # offers × arrival t × 1
    # cost of a lot arriving in t (row t − 1) that covers t..u (column u − 1), all pairs at once
    arrive = np.arange(1, T + 1)[:, None]
    until = np.arange(1, T + 1)[None, :]
    qty = need[until] - need[arrive - 1]
    lot_qty = np.where(mult_k > 0, np.ceil(qty / packs - 1e-9) * packs, qty)
    lot_cost = (price_k * np.maximum(lot_qty, small_k) + setup_kt).min(axis=0)
    hold = h * ((until - arrive) * need[until] - (prefix[until - 1] - prefix[arrive - 1]))
    none_new = qty <= TOL  # nothing new needed in t..u: no lot
    with np.errstate(invalid="ignore"):
        pair = np.where(none_new, 0.0, lot_cost + hold)
    best = np.full(T + 1, np.inf)
    best[0] = 0.0
    choice = [0] * (T + 1)
    for u in range(1, T + 1):
        if need[u] <= TOL:
            best[u] = 0.0
            continue
        cost = best[:u] + pair[:u, u - 1]
        k = u - 1 - int(np.argmin(cost[::-1]))  # the latest t among equal costs
        if cost[k] < np.inf:
            best[u], choice[u] = cost[k], (-(k + 1) if none_new[k, u - 1] else k + 1)
    if best[T] < math.inf:
        lots, u = [], T
        while u > 0:
            t = choice[u]
            if t < 0:
                u = -t - 1
            elif t == 0:
                u -= 1
            else:
                lots.append((t, u))
                u = t - 1
        for t, u in sorted(lots):
            stock = state.stock_after(builder.receipts(state.item))
            if state.safety - stock[u - 1] > TOL:
                builder.place(state.item, t, state.safety - stock[u - 1])
    lot_for_lot(builder, state)  # whatever lead times, capacity or the warehouse left short
