"""The (l,S) inequalities of planner.cuts: valid for every plan, and as strong as the theory says."""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.sparse as sp

import planner
from planner.baselines import baseline_lines
from planner.benchdata.generate import generate
from planner.cuts import strengthen
from planner.heuristics import cost_plan, initial_plan
from planner.heuristics.start import constraint_matrix, set_start
from planner.model import ModelOptions, build_model
from planner.solve import to_highs
from tests.test_baselines import rules_workbook
from tests.wagner_whitin import wagner_whitin
from tests.workbooks import as_frames, one_item


def _added_rows(highs, first: int) -> sp.csr_matrix:
    return constraint_matrix(highs.getLp()).tocsr()[first:]


def _instances(tmp_path):
    yield "rules", planner.read_workbook(rules_workbook(tmp_path / "rules.xlsx"))
    for seed, policy in ((0, "backlog"), (1, "lost_sales"), (2, "backlog")):
        frames = generate("S", seed)
        settings = frames["Settings"]
        settings.loc[settings["setting"] == "stockout_policy", "value"] = policy
        yield f"S:{seed} {policy}", planner.from_frames(frames)


def test_no_cut_removes_a_plan_the_rules_allow(tmp_path):
    # every cut added by the loop must hold at every feasible plan we can build without the model:
    # the constructive start and the three baselines (some of them backlog or lose sales)
    checked = 0
    for name, data in _instances(tmp_path):
        model = build_model(data, ModelOptions(demand_cover=False))
        highs, columns, _ = to_highs(model)
        plans = {"start": initial_plan(data).lines}
        plans.update({b: baseline_lines(data, b) for b in ("lot_for_lot", "min_max", "silver_meal")})
        vectors = {}  # each plan as a full column vector, checked against the model without the cuts
        for plan_name, lines in plans.items():
            how, vectors[plan_name] = set_start(highs, model, columns, data, lines, cost_plan(data, lines))
            assert how == "full", (name, plan_name)
        first = highs.getNumRow()
        report = strengthen(highs, model, columns, data, budget=30, max_rounds=6, min_gain=0.0)
        assert report.cuts == highs.getNumRow() - first
        rows = _added_rows(highs, first)
        scale = 1.0 + abs(rows).max(axis=1).toarray().ravel()
        for plan_name, x in vectors.items():
            lhs = rows @ x
            assert (lhs <= 1e-6 * scale).all(), (name, plan_name, float(np.max(lhs / scale)))
        checked += rows.shape[0]
    assert checked > 0  # the loop found something to add


@pytest.mark.parametrize("seed", range(4))
def test_with_every_inequality_the_lp_bound_is_the_wagner_whitin_optimum(seed):
    # single-item uncapacitated lot sizing: the (l,S) inequalities describe the convex hull (Barány, Van
    # Roy & Wolsey 1984), so the LP bound after the loop is the integer optimum of the DP
    rng = random.Random(seed)
    periods = rng.randint(5, 10)
    demand = [rng.choice([0, rng.randint(5, 150)]) for _ in range(periods)]
    demand[0] = demand[0] or 30
    fixed, holding = rng.choice([200, 500, 1200]), rng.choice([0.5, 1, 2])
    expected, _ = wagner_whitin(demand, fixed, holding, 0.0)
    sheets = one_item(
        demand={t + 1: q for t, q in enumerate(demand) if q},
        price=0.0,
        delivery_cost=fixed,
        holding_cost=holding,
        stockout_cost=1e5,
    )
    data = planner.from_frames(as_frames(sheets))
    model = build_model(data, ModelOptions(demand_cover=False))
    highs, columns, _ = to_highs(model)
    report = strengthen(
        highs, model, columns, data, budget=60, max_rounds=200, min_gain=0.0, per_item=periods
    )
    assert report.lp_before < expected - 1.0  # the big-M LP alone is weaker
    assert report.lp_after == pytest.approx(expected, rel=1e-7)


def test_cuts_do_not_change_the_optimum(tmp_path):
    data = planner.read_workbook(rules_workbook(tmp_path / "rules.xlsx"))
    results = [
        planner.solve(
            data, planner.SolveOptions(gap=0.0, threads=1, time_limit=60, cut_rounds=k, cuts_above=0)
        )
        for k in (0, 8)
    ]
    assert "cuts" not in results[0].timings and "cuts" in results[1].timings
    assert results[1].model_size["rows"] > results[0].model_size["rows"]
    assert results[1].total_cost == pytest.approx(results[0].total_cost, rel=1e-9)
