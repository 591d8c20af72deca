"""The cost terms and the objective: their sum, minimised."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import COST_TERMS, PlanningData


def define_objective(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Minimise total_cost = Σ of the terms, each a named expression of the model:

    - purchase_cost = Σ p(s,i) · q(s,i,t)
    - delivery_cost = Σ f(s) · z(s,t)
    - order_cost    = Σ c(s,i) · y(s,i,t)
    - holding_cost  = Σ h(i) · I(i,t)
    - stockout_cost = Σ π(i) · B(i,t) + Σ unit_cost(i) · B(i,T)   (backlog: still owed at the end)
                    | Σ π(i) · L(i,t)                              (lost_sales)
    - safety_cost   = Σ σ(i) · F(i,t)
    - carbon_cost   = carbon_price · Σ e(s) · z(s,t)
    """
    offers, items, sup = data.offers, data.items, data.suppliers
    price = offers["unit_price"].to_dict()
    line_cost = offers["order_cost"].to_dict()
    fixed = sup["delivery_cost"].to_dict()
    co2 = sup["co2_per_delivery"].to_dict()
    h = items["holding_cost"].to_dict()
    pi = items["stockout_cost"].to_dict()
    sigma = items["safety_stock_cost"].to_dict()
    value = items["unit_cost"].to_dict()
    T = data.T

    m.purchase_cost = pyo.Expression(expr=sum(price[(s, i)] * m.q[s, i, t] for s, i, t in m.X))
    m.delivery_cost = pyo.Expression(expr=sum(fixed[s] * m.z[s, t] for s, t in m.D))
    m.order_cost = pyo.Expression(expr=sum(line_cost[(s, i)] * m.y[s, i, t] for s, i, t in m.X))
    m.holding_cost = pyo.Expression(expr=sum(h[i] * m.inv[i, t] for i in m.I for t in m.T if h[i]))
    if data.settings.stockout_policy == "lost_sales":
        stockout = sum(pi[i] * m.lost[i, t] for i, t in m.lost)
    else:
        stockout = sum(pi[i] * m.backlog[i, t] for i in m.I for t in m.T) + sum(
            value[i] * m.backlog[i, T] for i in m.I
        )
    m.stockout_cost = pyo.Expression(expr=stockout)
    m.safety_cost = pyo.Expression(expr=sum(sigma[i] * m.shortfall[i, t] for i, t in m.shortfall))
    carbon_price = data.settings.carbon_price
    m.carbon_cost = pyo.Expression(
        expr=sum(carbon_price * co2[s] * m.z[s, t] for s, t in m.D if carbon_price)
    )
    m.total_cost = pyo.Objective(expr=sum(getattr(m, term) for term in COST_TERMS), sense=pyo.minimize)
