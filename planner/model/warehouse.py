"""Warehouse capacity at the end of each period."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData


def define_warehouse_capacity(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """For every limited t: Σi v(i) · I(i,t) ≤ W(t); v = volume per unit, W = warehouse capacity in t."""
    volume = {i: float(v) for i, v in data.items["volume"].items() if v > 0}
    keys = list(data.warehouse_capacity) if volume else []
    m.warehouse_capacity = pyo.Constraint(
        keys,
        rule=lambda _m, t: sum(v * _m.inv[i, t] for i, v in volume.items()) <= data.warehouse_capacity[t],
    )
