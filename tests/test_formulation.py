"""The demand-cover family under a supplier capacity: the capacity restated on the cover variables."""

from __future__ import annotations

import pytest
from pyomo.repn import generate_standard_repn

import planner
from planner import bench
from planner.model import build_model


def _coefficients(row) -> dict[str, float]:
    repn = generate_standard_repn(row.body)
    return {v.name: c for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)}


def test_each_limited_capacity_is_restated_on_the_cover():
    # tr6-15: one machine ("PLANT") per period, six items with a use per unit and a setup time each
    data = bench.load_instance("tr6-15")
    model = build_model(data)
    assert model.cover_horizon == data.T
    assert list(model.cover_capacity) == list(model.supplier_capacity)
    assert len(model.cover_capacity) == data.T
    offers = data.offers
    for s, t in model.cover_capacity:
        on_q = _coefficients(model.supplier_capacity[s, t])
        on_w = _coefficients(model.cover_capacity[s, t])
        assert model.cover_capacity[s, t].upper == model.supplier_capacity[s, t].upper
        expected = set()
        for _, i, k in (key for key in model.X if key[0] == s and key[2] == t):
            per_unit, per_order = offers.loc[(s, i), ["capacity_per_unit", "capacity_per_order"]]
            covers = [w for (s2, i2, k2, _), w in model.w.items() if (s2, i2, k2) == (s, i, k)]
            assert covers  # every line of tr6-15 can serve a later requirement
            assert on_q[model.q[s, i, k].name] == per_unit
            assert on_w[model.y[s, i, k].name] == on_q[model.y[s, i, k].name] == per_order
            assert all(on_w[w.name] == per_unit for w in covers)
            expected |= {model.y[s, i, k].name} | {w.name for w in covers}
        assert set(on_w) == expected  # the lines' setups and covers, nothing else


def test_the_literature_optimum_of_tr6_15_is_reached_and_proven():
    # Trigeiro, Thomas & McClain's G30 with unit capacity use ("tr6-15" of LOTSIZELIB): 37 721, proven
    # by Belvaux & Wolsey (2000); the restated capacity must cut off no plan, nor leave the bound below
    data = bench.load_instance("tr6-15")
    result = planner.solve(data, planner.SolveOptions(gap=0.0, threads=1, time_limit=120))
    assert result.status is planner.Status.OPTIMAL, result.message
    assert result.total_cost == pytest.approx(37721, abs=0.5)
    assert result.lower_bound == pytest.approx(37721, abs=0.5)
