"""Useful quantity: a line brings no more than what is still to come, a tighter link of q to y."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from planner.data import PlanningData
from planner.model.sets import round_up


def define_useful_quantity(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """For every line whose bound V(s,i,t) is below U(s,i,t):

    q(s,i,t) ≤ V(s,i,t) · y(s,i,t) + B(i,t−1) ÷ g(s,i)        (no B term under lost_sales)

    V(s,i,t) = max(⌈(Σ_{τ≥t} r(i,τ) + ss(i)) ÷ g(s,i)⌉ to a whole order_multiple, m_min(s,i)): what is
    still required from t on, plus the safety floor, plus the backlog waiting at the start of t. It
    keeps at least one optimal plan: a line bringing more leaves at least one more pack in stock in
    every later period, and one pack less is cheaper and breaks no rule. Its LP relaxation pays for a
    line in proportion to the share of the *remaining* requirement it brings, not of the whole horizon.
    Not added with disruptions, where a delayed or short line may usefully bring more.
    """
    if getattr(data, "has_disruptions", False):
        return
    r = data.requirement
    T = data.T
    safety = data.items["safety_stock"].to_dict()
    good = getattr(data, "good_share", {})
    remaining: dict[tuple[str, int], float] = {}
    for i in data.items.index:
        left = 0.0
        for t in range(T, 0, -1):
            left += r.get((i, t), 0.0)
            remaining[(i, t)] = left
    backlog = getattr(m, "backlog", None)
    bound: dict[tuple, float] = {}
    for s, i, t in m.X:
        offer = m.offer[(s, i)]
        g = good.get((s, i), 1.0)
        v = max(round_up((remaining[(i, t)] + float(safety[i])) / g, offer.order_multiple), offer.min_line)
        if v < m.U[(s, i, t)] - 1e-9 and math.isfinite(v):
            bound[(s, i, t)] = v
    q, y = m.q, m.y

    def useful(_m, s, i, t):
        waiting = backlog[i, t - 1] / good.get((s, i), 1.0) if backlog is not None and t > 1 else 0.0
        return q[s, i, t] <= bound[(s, i, t)] * y[s, i, t] + waiting

    m.line_useful = pyo.Constraint(list(bound), rule=useful)
