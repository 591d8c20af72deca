"""Demand cover: a facility-location view of the order lines that tightens the LP relaxation.

It adds valid inequalities only — every plan that satisfies the other rules still satisfies these —
but it makes the LP relaxation pay (nearly) the whole fixed cost of a line that covers a requirement,
instead of the fraction quantity ÷ bound that the big-M link alone charges.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData


def define_demand_cover(m: pyo.ConcreteModel, data: PlanningData, horizon: int | None = None) -> None:
    """Cover w(s,i,k,τ) ≥ 0: the part of line (s,i,k) that serves the requirement r(i,τ) on time
    (k ≤ τ ≤ k + H); v(i,τ) ≥ 0: the part served on time by start stock and open orders.

    - w(s,i,k,τ) ≤ r(i,τ) · y(s,i,k)                 a line serves only if it is placed
    - Σ_τ w(s,i,k,τ) ≤ q(s,i,k)                      and no more than it brings
    - Σ_{u≤t} v(i,u) ≤ on_hand(i) + Σ_{u≤t} o(i,u)   old supply serves only what it can reach
    - Σ_{s,k} w(s,i,k,τ) + v(i,τ) + I(i,τ−H−1) + E(i,τ) ≥ r(i,τ)

    E is the backlog B (or the lost units L): served oldest first, the part of r(i,τ) not met on time is
    min(r, B) ≤ B. With a horizon H, units that arrived before τ − H and serve τ are in stock at the end
    of τ − H − 1, hence the I term (absent when H covers the whole horizon).
    """
    r = data.requirement
    o = data.open_receipts
    T = data.T
    H = T if horizon is None else horizon
    cover = [
        (s, i, k, tau)
        for s, i, k in m.X
        for tau in range(k, min(T, k + H) + 1)
        if r.get((i, tau), 0.0) > 0
    ]
    m.W = pyo.Set(initialize=cover, dimen=4, ordered=True)
    m.w = pyo.Var(m.W, domain=pyo.NonNegativeReals, bounds=lambda _m, s, i, k, tau: (0, r[(i, tau)]))
    m.cover_needs_line = pyo.Constraint(m.W, rule=lambda _m, s, i, k, tau: _m.w[s, i, k, tau] <= r[(i, tau)] * _m.y[s, i, k])

    by_line: dict[tuple, list] = {}
    by_need: dict[tuple, list] = {}
    for s, i, k, tau in cover:
        by_line.setdefault((s, i, k), []).append((s, i, k, tau))
        by_need.setdefault((i, tau), []).append((s, i, k, tau))
    m.cover_within_line = pyo.Constraint(
        list(by_line), rule=lambda _m, s, i, k: sum(_m.w[key] for key in by_line[(s, i, k)]) <= _m.q[s, i, k]
    )

    needs = sorted(r)
    m.V = pyo.Set(initialize=needs, dimen=2, ordered=True)
    m.v = pyo.Var(m.V, domain=pyo.NonNegativeReals, bounds=lambda _m, i, tau: (0, r[(i, tau)]))
    on_hand = data.items["on_hand"].to_dict()

    def old_supply(_m, i, t):
        reach = [(i, u) for u in range(1, t + 1) if (i, u) in r]
        if not reach:
            return pyo.Constraint.Skip
        supply = float(on_hand[i]) + sum(o.get((i, u), 0.0) for u in range(1, t + 1))
        return sum(_m.v[key] for key in reach) <= supply

    m.old_supply_reach = pyo.Constraint(m.I, m.T, rule=old_supply)

    lost = data.settings.stockout_policy == "lost_sales"

    def covered(_m, i, tau):
        unmet = _m.lost[i, tau] if lost else _m.backlog[i, tau]
        stock = _m.inv[i, tau - H - 1] if tau - H - 1 >= 1 else 0.0
        new = sum(_m.w[key] for key in by_need.get((i, tau), ()))
        return new + _m.v[i, tau] + stock + unmet >= r[(i, tau)]

    m.requirement_covered = pyo.Constraint(m.V, rule=covered)
