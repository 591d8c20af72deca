"""Carbon: storage emissions, their price and the carbon cap, worked out by hand.

The case: item A (volume 2 per unit), 10 units required in periods 1 and 2, price 0, holding 1 per unit
and period; supplier S: delivery_cost 100, co2_per_delivery 10 kg. storage_co2_per_volume 5 kg per unit
of volume and period.

- One delivery of 20 in period 1: 100 + 10 held × 1 = 110; CO2 = 10 (transport) + 10 × 2 × 5 = 100
  (storage) = 110 kg.
- Two deliveries of 10: 200; CO2 = 20 kg transport, nothing stored.
"""

from __future__ import annotations

import pytest

from tests.workbooks import one_item


def _case(**settings) -> dict:
    return one_item(
        demand={1: 10, 2: 10},
        price=0,
        holding_cost=1,
        delivery_cost=100,
        item={"volume": 2},
        supplier={"co2_per_delivery": 10},
        settings={"storage_co2_per_volume": 5, **settings},
    )


def test_storage_co2_is_reported_beside_transport_co2(solve_case):
    case = solve_case(_case())
    assert case.cost == pytest.approx(110.0)  # one delivery: no carbon price, no cap
    kpis = case.result.plan.kpis
    assert kpis["transport_co2_kg"] == pytest.approx(10.0)
    assert kpis["storage_co2_kg"] == pytest.approx(100.0)


def test_carbon_cap_forces_the_cleaner_plan(solve_case):
    # Cap 50 kg: one delivery emits 110 kg, so two deliveries (20 kg) at 200.
    case = solve_case(_case(carbon_cap=50))
    assert case.cost == pytest.approx(200.0)
    assert case.result.plan.kpis["transport_co2_kg"] == pytest.approx(20.0)
    assert case.result.plan.kpis["storage_co2_kg"] == pytest.approx(0.0)


def test_carbon_price_applies_to_storage_too(solve_case):
    # carbon_price 2: one delivery 110 + 2 × 110 = 330; two deliveries 200 + 2 × 20 = 240.
    # Were storage not priced, one delivery would cost 110 + 2 × 10 = 130 and win.
    case = solve_case(_case(carbon_price=2))
    assert case.cost == pytest.approx(240.0)
    assert case.costs["carbon_cost"] == pytest.approx(40.0)


def test_tight_carbon_cap_is_met_by_running_short(solve_case):
    # Cap 15 kg: one delivery (10 kg) with nothing stored. Either 20 in period 2 (period 1's 10 wait one
    # period: 1,000 × 10) or 10 in period 1 (period 2's 10 still owed at the end: 1,000 × 10 + unit_cost 0):
    # 100 + 10,000 = 10,100 either way.
    case = solve_case(_case(carbon_cap=15))
    assert case.cost == pytest.approx(10_100.0)
    kpis = case.result.plan.kpis
    assert kpis["transport_co2_kg"] + kpis["storage_co2_kg"] <= 15
