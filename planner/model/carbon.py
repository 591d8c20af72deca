"""Carbon: emissions of deliveries and of storage, priced by carbon_price and capped by carbon_cap."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from planner.data import PlanningData


def define_carbon(m: pyo.ConcreteModel, data: PlanningData) -> None:
    """Only when Settings give storage_co2_per_volume or carbon_cap (else carbon_cost stays as in the
    objective: carbon_price · Σ e(s) · z(s,t)):

    - transport_co2 = Σ e(s) · z(s,t)                     e = co2_per_delivery (kg CO2e)
    - storage_co2   = c · Σ v(i) · I(i,t)                  c = storage_co2_per_volume, v = volume
    - carbon_cost   = carbon_price · (transport_co2 + storage_co2)
    - transport_co2 + storage_co2 ≤ carbon_cap             (hard, over the horizon)
    """
    factor = data.settings.storage_co2_per_volume
    cap = data.settings.carbon_cap
    if not factor and not math.isfinite(cap):
        return
    co2 = data.suppliers["co2_per_delivery"].to_dict()
    volume = {i: float(v) for i, v in data.items["volume"].items() if v > 0}
    m.transport_co2 = pyo.Expression(expr=sum(co2[s] * m.z[s, t] for s, t in m.D if co2[s]))
    m.storage_co2 = pyo.Expression(
        expr=sum(factor * v * m.inv[i, t] for i, v in volume.items() for t in m.T) if factor else 0.0
    )
    price = data.settings.carbon_price
    if price and factor:
        m.carbon_cost.set_value(price * (m.transport_co2 + m.storage_co2))
    if math.isfinite(cap):
        m.carbon_cap = pyo.Constraint(expr=m.transport_co2 + m.storage_co2 <= cap)
