"""Order lines: how much of an item arrives from a supplier in a period, and the rules of a line."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData


def define_order_lines(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Order quantity q(s,i,t) ≥ 0 arriving in t (ordered in t − lead_time), line y(s,i,t) ∈ {0,1}.

    - q ≤ U(s,i,t) · y: U from :func:`planner.model.sets.order_bound` (max_order, item capacity,
      supplier capacity, useful quantity) — never an arbitrary big constant;
    - q ≥ m_min(s,i) · y: m_min = min_order rounded up to a whole order_multiple;
    - q = order_multiple · n(s,i,t), n integer, when order_multiple > 1 (or not whole); q integer when it
      is 1 (whole units); q continuous when it is 0 (bulk goods).
    """
    mult = {k: offer.order_multiple for k, offer in m.offer.items()}
    minimum = {k: offer.min_line for k, offer in m.offer.items()}
    U = m.U

    m.q = pyo.Var(m.X, domain=pyo.NonNegativeReals, bounds=lambda _m, s, i, t: (0, U[(s, i, t)]))
    for key in m.X:
        if mult[key[:2]] == 1:
            m.q[key].domain = pyo.NonNegativeIntegers
    m.y = pyo.Var(m.X, domain=pyo.Binary)
    q, y = m.q, m.y

    m.line_max = pyo.Constraint(m.X, rule=lambda _m, s, i, t: q[s, i, t] <= U[(s, i, t)] * y[s, i, t])

    with_min = [k for k in m.X if minimum[k[:2]] > 0]
    m.line_min = pyo.Constraint(with_min, rule=lambda _m, s, i, t: q[s, i, t] >= minimum[(s, i)] * y[s, i, t])

    packs = [k for k in m.X if mult[k[:2]] not in (0.0, 1.0)]
    m.n = pyo.Var(
        packs,
        domain=pyo.NonNegativeIntegers,
        bounds=lambda _m, s, i, t: (0, round(U[(s, i, t)] / mult[(s, i)])),
    )
    n = m.n
    m.line_multiple = pyo.Constraint(packs, rule=lambda _m, s, i, t: q[s, i, t] == mult[(s, i)] * n[s, i, t])
