"""Order lines: how much of an item arrives from a supplier in a period, and the rules of a line."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData
from planner.model.sets import effective_min_order


def define_order_lines(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Order quantity q(s,i,t) ≥ 0 arriving in t (ordered in t − lead_time), line y(s,i,t) ∈ {0,1}.

    - q ≤ U(s,i,t) · y: U from :func:`planner.model.sets.order_bound` (max_order, item capacity,
      supplier capacity, useful quantity) — never an arbitrary big constant;
    - q ≥ m_min(s,i) · y: m_min = min_order rounded up to a whole order_multiple;
    - q = order_multiple · n(s,i,t), n integer, when order_multiple > 1 (or not whole); q integer when it
      is 1 (whole units); q continuous when it is 0 (bulk goods).
    """
    offers = data.offers
    mult = {k: float(v) for k, v in offers["order_multiple"].items()}
    minimum = {k: effective_min_order(offers.loc[k]) for k in offers.index}

    def domain(_m, s, i, t):
        return pyo.NonNegativeIntegers if mult[(s, i)] == 1 else pyo.NonNegativeReals

    m.q = pyo.Var(m.X, domain=domain, bounds=lambda _m, s, i, t: (0, m.U[(s, i, t)]))
    m.y = pyo.Var(m.X, domain=pyo.Binary)

    m.line_max = pyo.Constraint(m.X, rule=lambda _m, s, i, t: _m.q[s, i, t] <= _m.U[(s, i, t)] * _m.y[s, i, t])

    with_min = [k for k in m.X if minimum[k[:2]] > 0]
    m.line_min = pyo.Constraint(
        with_min, rule=lambda _m, s, i, t: _m.q[s, i, t] >= minimum[(s, i)] * _m.y[s, i, t]
    )

    packs = [k for k in m.X if mult[k[:2]] not in (0.0, 1.0)]
    m.n = pyo.Var(
        packs, domain=pyo.NonNegativeIntegers, bounds=lambda _m, s, i, t: (0, round(m.U[(s, i, t)] / mult[(s, i)]))
    )
    m.line_multiple = pyo.Constraint(
        packs, rule=lambda _m, s, i, t: _m.q[s, i, t] == mult[(s, i)] * _m.n[s, i, t]
    )
