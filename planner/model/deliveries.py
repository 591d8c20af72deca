"""Deliveries: a supplier's truck arriving in a period, shared by all the lines on it."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData


def define_deliveries(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Delivery z(s,t) ∈ {0,1} for (s,t) ∈ D; every line arriving on it needs it: y(s,i,t) ≤ z(s,t)."""
    m.z = pyo.Var(m.D, domain=pyo.Binary)
    m.line_needs_delivery = pyo.Constraint(m.X, rule=lambda _m, s, i, t: _m.y[s, i, t] <= _m.z[s, t])
