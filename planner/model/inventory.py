"""Inventory balance: stock, backlog and lost sales per item and period."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from planner.data import PlanningData


def define_inventory_balance(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """On hand I(i,t) ≥ 0 at the end of t; backlog B(i,t) ≥ 0 or lost L(i,t) ∈ [0, r(i,t)].

    backlog:    I(i,t) − B(i,t) = I(i,t−1) − B(i,t−1) + Σs g(s,i) q(s,i,t) + o(i,t) − r(i,t)
    lost_sales: I(i,t)          = I(i,t−1)            + Σs g(s,i) q(s,i,t) + o(i,t) − r(i,t) + L(i,t)

    with I(i,0) = on_hand(i), B(i,0) = 0, o the open orders, r the requirement and g = 1 − defect_rate
    the good share of a line (only good parts are stock; g = 1 unless SupplierItems gives a defect_rate).
    """
    r = data.requirement
    o = data.open_receipts
    on_hand = {i: float(v) for i, v in data.items["on_hand"].items()}
    good = data.good_share
    arriving = defaultdict(list)
    for s, i, t in m.X:
        arriving[(i, t)].append(s)
    m.arriving = arriving
    m.inv = pyo.Var(m.I, m.T, domain=pyo.NonNegativeReals)
    lost = data.settings.stockout_policy == "lost_sales"
    if lost:
        m.lost = pyo.Var(
            m.I, m.T, domain=pyo.NonNegativeReals, bounds=lambda _m, i, t: (0, r.get((i, t), 0.0))
        )
    else:
        m.backlog = pyo.Var(m.I, m.T, domain=pyo.NonNegativeReals)

    def net(_m, i, t):
        stock = _m.inv[i, t] if lost else _m.inv[i, t] - _m.backlog[i, t]
        return stock

    def balance(_m, i, t):
        before = on_hand[i] if t == 1 else net(_m, i, t - 1)
        receipts = sum(
            good[(s, i)] * _m.q[s, i, t] if (s, i) in good else _m.q[s, i, t]
            for s in arriving.get((i, t), ())
        )
        flow = before + receipts + o.get((i, t), 0.0) - r.get((i, t), 0.0)
        if lost:
            flow = flow + _m.lost[i, t]
        return net(_m, i, t) == flow

    m.inventory_balance = pyo.Constraint(m.I, m.T, rule=balance)
