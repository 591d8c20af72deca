"""Supplier capacity per arrival period."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from planner.data import PlanningData


def define_supplier_capacity(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """For every limited (s,t): Σi a(s,i) · q(s,i,t) + b(s,i) · y(s,i,t) ≤ K(s,t),

    a = capacity_per_unit, b = capacity_per_order, K = the supplier's capacity in t (Capacity sheet
    overrides Suppliers.capacity). Open orders use no capacity. Per-item capacity is a bound on q
    (see order_lines).
    """
    m.supplier_capacity = capacity_rows(m, data, lambda s, i, t: m.q[s, i, t])


def capacity_rows(m: pyo.ConcreteModel, data: PlanningData, amount) -> pyo.Constraint:
    """The rows Σi a(s,i) · amount(s,i,t) + b(s,i) · y(s,i,t) ≤ K(s,t), one per limited (s,t) with a
    line that uses capacity; ``amount`` gives the quantity expression of line (s,i,t)."""
    a = data.offers["capacity_per_unit"].to_dict()
    b = data.offers["capacity_per_order"].to_dict()
    lines = defaultdict(list)
    for s, i, t in m.X:
        if (s, t) in data.supplier_capacity:
            lines[(s, t)].append(i)
    keys = [k for k in lines if any(a[(k[0], i)] or b[(k[0], i)] for i in lines[k])]

    def rule(_m, s, t):
        use = sum(a[(s, i)] * amount(s, i, t) + b[(s, i)] * _m.y[s, i, t] for i in lines[(s, t)])
        return use <= data.supplier_capacity[(s, t)]

    return pyo.Constraint(keys, rule=rule)
