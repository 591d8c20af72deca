"""Frozen fence: inside the first frozen_periods periods only open orders arrive."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData


def define_fence(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Only when Settings give frozen_periods F > 0: for every line and delivery arriving in t ≤ F,

    q(s,i,t) = 0, y(s,i,t) = 0, z(s,t) = 0   (fixed, so they leave the matrix)

    Re-planning keeps the firm orders of the previous plan through OpenOrders
    (see :func:`planner.replan.with_firm_orders`).
    """
    fence = data.settings.frozen_periods
    if fence <= 0:
        return
    for s, i, t in m.X:
        if t <= fence:
            m.q[s, i, t].fix(0)
            m.y[s, i, t].fix(0)
            if (s, i, t) in m.n:
                m.n[s, i, t].fix(0)
    for s, t in m.D:
        if t <= fence:
            m.z[s, t].fix(0)
