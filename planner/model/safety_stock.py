"""Safety stock: a soft floor under end-of-period stock."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData


def define_safety_stock(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Shortfall F(i,t) ∈ [0, ss(i)] with F(i,t) ≥ ss(i) − I(i,t) for items with a safety stock ss > 0."""
    ss = {i: float(v) for i, v in data.items["safety_stock"].items() if v > 0}
    keys = [(i, t) for i in ss for t in data.periods]
    m.shortfall = pyo.Var(keys, domain=pyo.NonNegativeReals, bounds=lambda _m, i, t: (0, ss[i]))
    m.safety_floor = pyo.Constraint(keys, rule=lambda _m, i, t: _m.shortfall[i, t] >= ss[i] - _m.inv[i, t])
