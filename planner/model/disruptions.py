"""Disruption scenarios: the two-stage stochastic plan (orders once, stock per scenario)."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from planner.data import PlanningData


def define_scenarios(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Only with a Disruptions sheet: scenarios ω ∈ Ω, probability p(ω) (planner.stochastic.scenarios).

    First stage, decided once: q, y, z (and n). In ω a line (s,i,k) arrives in k + d(ω,s,i,k) with the
    share f(ω,s,i,k) of it delivered (d = 0, f = 1 when no disruption of ω hits it; a line pushed beyond T
    is bought but not received). Second stage, per scenario: I(i,t,ω) ≥ 0, B(i,t,ω) ≥ 0 (or L(i,t,ω)),
    F(i,t,ω) ∈ [0, ss(i)]:

    - I(i,t,ω) − B(i,t,ω) = I(i,t−1,ω) − B(i,t−1,ω) + Σ_{k+d=t} g f q(s,i,k) + o(i,t) − r(i,t)
    - F(i,t,ω) ≥ ss(i) − I(i,t,ω)
    - C(ω) = Σ p(s,i) f q + delivery + order lines + Σ h I(ω) + stockout(ω) + Σ σ F(ω)
      + carbon_price · (Σ e z + storage_co2(ω))

    Minimise E[C] = Σ p(ω) C(ω), plus λ · CVaR_α when cvar_weight λ > 0:
    CVaR_α = η + Σ p(ω) u(ω) ÷ (1 − α), u(ω) ≥ C(ω) − η, u ≥ 0.
    The stock as planned (no disruption), I(i,t), keeps the warehouse limit and the carbon cap; when the
    undisrupted scenario is one of Ω, its I, B (L), F are the model's own I(i,t), B(i,t), F(i,t) (no
    copy), else their costs leave the objective.
    """
    if not data.has_disruptions:
        return
    from planner.stochastic import line_effects, scenarios

    cases = scenarios(data)
    W = range(len(cases))
    m.Omega = pyo.Set(initialize=list(W), ordered=True)
    prob = {w: cases[w].probability for w in W}
    lines = list(m.X)
    good = data.good_share
    T = data.T

    arrive: dict[tuple[str, int, int], list[tuple[float, tuple]]] = defaultdict(list)
    share: dict[tuple[int, tuple], float] = {}
    for w in W:
        hit = line_effects(data, cases[w], lines)
        for key in lines:
            s, i, k = key
            delay, f = hit.get(key, (0, 1.0))
            share[(w, key)] = f
            if k + delay <= T and f > 0:
                arrive[(i, k + delay, w)].append((good.get((s, i), 1.0) * f, key))

    r = data.requirement
    o = data.open_receipts
    on_hand = {i: float(v) for i, v in data.items["on_hand"].items()}
    lost = data.settings.stockout_policy == "lost_sales"
    nominal = next((w for w in W if not cases[w].events), None)
    m.OwnStock = pyo.Set(initialize=[w for w in W if w != nominal], ordered=True)
    m.inv_w = pyo.Var(m.I, m.T, m.OwnStock, domain=pyo.NonNegativeReals)
    if lost:
        m.lost_w = pyo.Var(
            m.I,
            m.T,
            m.OwnStock,
            domain=pyo.NonNegativeReals,
            bounds=lambda _m, i, t, w: (0, r.get((i, t), 0.0)),
        )
    else:
        m.backlog_w = pyo.Var(m.I, m.T, m.OwnStock, domain=pyo.NonNegativeReals)

    def inv(i, t, w):
        return m.inv[i, t] if w == nominal else m.inv_w[i, t, w]

    def unmet(i, t, w):
        if lost:
            return m.lost[i, t] if w == nominal else m.lost_w[i, t, w]
        return m.backlog[i, t] if w == nominal else m.backlog_w[i, t, w]

    def short(i, t, w):
        return m.shortfall[i, t] if w == nominal else m.shortfall_w[i, t, w]

    def net(_m, i, t, w):
        return inv(i, t, w) if lost else inv(i, t, w) - unmet(i, t, w)

    def balance(_m, i, t, w):
        before = on_hand[i] if t == 1 else net(_m, i, t - 1, w)
        receipts = sum(c * _m.q[key] for c, key in arrive.get((i, t, w), ()))
        flow = before + receipts + o.get((i, t), 0.0) - r.get((i, t), 0.0)
        if lost:
            flow = flow + unmet(i, t, w)
        return net(_m, i, t, w) == flow

    m.scenario_balance = pyo.Constraint(m.I, m.T, m.OwnStock, rule=balance)

    ss = {i: float(v) for i, v in data.items["safety_stock"].items() if v > 0}
    keys = [(i, t, w) for i in ss for t in data.periods for w in m.OwnStock]
    m.shortfall_w = pyo.Var(keys, domain=pyo.NonNegativeReals, bounds=lambda _m, i, t, w: (0, ss[i]))
    m.scenario_safety_floor = pyo.Constraint(
        keys, rule=lambda _m, i, t, w: _m.shortfall_w[i, t, w] >= ss[i] - _m.inv_w[i, t, w]
    )

    items = data.items
    price = data.offers["unit_price"].to_dict()
    h = items["holding_cost"].to_dict()
    pi = items["stockout_cost"].to_dict()
    sigma = items["safety_stock_cost"].to_dict()
    value = items["unit_cost"].to_dict()
    volume = {i: float(v) for i, v in items["volume"].items() if v > 0}
    carbon_price = data.settings.carbon_price
    storage = data.settings.storage_co2_per_volume

    def purchase(w):
        return sum(price[key[:2]] * share[(w, key)] * m.q[key] for key in lines)

    def holding(w):
        return sum(h[i] * inv(i, t, w) for i in m.I for t in m.T if h[i])

    def stockout(w):
        if lost:
            return sum(pi[i] * unmet(i, t, w) for i in m.I for t in m.T)
        owed = sum(value[i] * unmet(i, T, w) for i in m.I)
        return sum(pi[i] * unmet(i, t, w) for i in m.I for t in m.T) + owed

    def safety(w):
        return sum(sigma[i] * short(i, t, w) for i in ss for t in m.T)

    def storage_co2(w):
        return sum(storage * v * inv(i, t, w) for i, v in volume.items() for t in m.T) if storage else 0.0

    m.purchase_cost_w = pyo.Expression(m.Omega, rule=lambda _m, w: purchase(w))
    m.holding_cost_w = pyo.Expression(m.Omega, rule=lambda _m, w: holding(w))
    m.stockout_cost_w = pyo.Expression(m.Omega, rule=lambda _m, w: stockout(w))
    m.safety_cost_w = pyo.Expression(m.Omega, rule=lambda _m, w: safety(w))
    m.storage_co2_w = pyo.Expression(m.Omega, rule=lambda _m, w: storage_co2(w))

    transport = m.transport_co2 if hasattr(m, "transport_co2") else _transport_co2(m, data)

    def expected(component):
        return sum(prob[w] * component[w] for w in W)

    m.purchase_cost.set_value(expected(m.purchase_cost_w))
    m.holding_cost.set_value(expected(m.holding_cost_w))
    m.stockout_cost.set_value(expected(m.stockout_cost_w))
    m.safety_cost.set_value(expected(m.safety_cost_w))
    if carbon_price:
        m.carbon_cost.set_value(carbon_price * (transport + expected(m.storage_co2_w)))

    def cost(_m, w):
        return (
            _m.purchase_cost_w[w]
            + _m.delivery_cost
            + _m.order_cost
            + _m.holding_cost_w[w]
            + _m.stockout_cost_w[w]
            + _m.safety_cost_w[w]
            + carbon_price * (transport + _m.storage_co2_w[w])
        )

    m.scenario_cost = pyo.Expression(m.Omega, rule=cost)
    weight = data.settings.cvar_weight
    if weight > 0:
        alpha = data.settings.cvar_alpha
        m.var_level = pyo.Var(domain=pyo.Reals)
        m.excess = pyo.Var(m.Omega, domain=pyo.NonNegativeReals)
        m.excess_over_var = pyo.Constraint(
            m.Omega, rule=lambda _m, w: _m.excess[w] >= _m.scenario_cost[w] - _m.var_level
        )
        m.cvar = pyo.Expression(expr=m.var_level + sum(prob[w] * m.excess[w] for w in W) / (1.0 - alpha))
        m.total_cost.set_value(m.total_cost.expr + weight * m.cvar)


def _transport_co2(m: pyo.ConcreteModel, data: PlanningData):
    co2 = data.suppliers["co2_per_delivery"].to_dict()
    return sum(co2[s] * m.z[s, t] for s, t in m.D if co2[s])
