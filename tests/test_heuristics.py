"""The constructive heuristic, its hand-off to HiGHS as a start, and fix-and-optimise on the one model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import planner
from planner.baselines import baseline_plan
from planner.heuristics import cost_plan, initial_plan
from planner.heuristics.improve import fix_and_optimise
from planner.heuristics.start import max_violation, set_start
from planner.model import ModelOptions, build_model
from planner.solve import Result, Status, to_highs
from tests.checker import assert_plan_consistent
from tests.test_baselines import rules_workbook, write_plan

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small() -> planner.PlanningData:
    return planner.read_workbook(ROOT / "instances" / "S.xlsx")


def test_initial_plan_breaks_no_rule_and_is_no_worse_than_silver_meal(tmp_path, small):
    start = initial_plan(small)
    assert start is not None
    assert_plan_consistent(
        ROOT / "instances" / "S.xlsx", write_plan(small, start.plan, tmp_path / "start.xlsx")
    )
    assert start.cost <= baseline_plan(small, "silver_meal").costs["total_cost"] + 1e-6


def test_initial_plan_of_the_rules_workbook_breaks_no_rule(tmp_path):
    source = rules_workbook(tmp_path / "rules.xlsx")
    data = planner.read_workbook(source)
    start = initial_plan(data)
    assert_plan_consistent(source, write_plan(data, start.plan, tmp_path / "start.xlsx"))


@pytest.mark.parametrize(
    "options", [ModelOptions(), ModelOptions(cover_horizon=2), ModelOptions(demand_cover=False)], ids=str
)
def test_the_start_is_a_feasible_full_vector_of_the_model(tmp_path, options):
    source = rules_workbook(tmp_path / "rules.xlsx")
    data = planner.read_workbook(source)
    model = build_model(data, options)
    highs, columns, offset = to_highs(model)
    start = initial_plan(data)
    how, x = set_start(highs, model, columns, data, start.lines, start.plan)
    assert how == "full"
    assert max_violation(highs.getLp(), x) <= 1e-6
    # the model's objective at the start vector is the plan's cost, as evaluate() computes it
    assert float(np.dot(highs.getLp().col_cost_, x)) + offset == pytest.approx(start.cost, rel=1e-9)


def test_the_start_of_the_small_instance_is_feasible_with_a_cover_window(small):
    model = build_model(small, ModelOptions(cover_horizon=3))
    highs, columns, _ = to_highs(model)
    start = initial_plan(small)
    how, x = set_start(highs, model, columns, small, start.lines, start.plan)
    assert how == "full" and max_violation(highs.getLp(), x) <= 1e-6


def test_fix_and_optimise_never_worsens_and_restores_the_bounds(small):
    model = build_model(small, ModelOptions(demand_cover=False))
    highs, columns, offset = to_highs(model)
    highs.setOptionValue("threads", 1)
    start = initial_plan(small)
    _, x = set_start(highs, model, columns, small, start.lines, start.plan)
    before = (np.array(highs.getLp().col_lower_), np.array(highs.getLp().col_upper_))
    best, obj, _ = fix_and_optimise(highs, columns, x, budget=4.0, group_size=2, step_limit=1.0)
    assert obj <= start.cost + 1e-6
    assert max_violation(highs.getLp(), best) <= 1e-6
    assert np.array_equal(before[0], highs.getLp().col_lower_)
    assert np.array_equal(before[1], highs.getLp().col_upper_)


def test_a_solve_stopped_early_still_returns_a_plan(tmp_path):
    # ordering nothing is feasible under backlog, so a time limit never ends in "no plan"
    source = rules_workbook(tmp_path / "rules.xlsx")
    data = planner.read_workbook(source)
    result = planner.solve(data, planner.SolveOptions(time_limit=1, threads=1, improve=True))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    output = planner.write_result(result, tmp_path / "plan.xlsx")
    assert_plan_consistent(source, output)
    assert isinstance(result, Result)


def test_every_formulation_option_gives_the_same_optimum(tmp_path):
    source = rules_workbook(tmp_path / "rules.xlsx")
    data = planner.read_workbook(source)
    costs = []
    for options in (
        ModelOptions(),
        ModelOptions(demand_cover=False),
        ModelOptions(cover_horizon=1),
        ModelOptions(useful_quantity=True),
        ModelOptions(cover_budget=10),  # too small: no cover at all
    ):
        result = planner.solve(data, planner.SolveOptions(gap=0.0, threads=1, time_limit=60, model=options))
        assert result.status is Status.OPTIMAL, (options, result.message)
        costs.append(result.total_cost)
    assert costs == pytest.approx([costs[0]] * len(costs), rel=1e-9)


def test_the_data_bound_is_below_every_plan_and_the_optimum(tmp_path, small):
    from planner.baselines import baseline_plans
    from planner.model.bounds import purchase_bound

    bound = purchase_bound(small)
    assert bound > 0
    assert all(bound <= p.costs["total_cost"] + 1e-6 for p in baseline_plans(small).values())
    data = planner.read_workbook(rules_workbook(tmp_path / "rules.xlsx"))
    result = planner.solve(data, planner.SolveOptions(gap=0.0, threads=1, time_limit=60))
    assert 0 < purchase_bound(data) <= result.total_cost + 1e-6
    assert result.lower_bound == pytest.approx(result.total_cost, rel=1e-6)


def _recount(builder) -> tuple[set, dict, dict]:
    """Deliveries, capacity use and good receipts recomputed from the builder's lines alone."""
    deliveries, used, recv = set(), {}, {}
    for (s, i, t), q in builder.lines.items():
        offer = builder.offers[(s, i)]
        deliveries.add((s, t))
        if (s, t) in builder.capacity:
            used[(s, t)] = used.get((s, t), 0.0) + offer.capacity_per_unit * q + offer.capacity_per_order
        recv.setdefault(i, np.zeros(builder.T))[t - 1] += q * builder.good.get((s, i), 1.0)
    return deliveries, used, recv


@pytest.mark.parametrize("instance", ["S.xlsx", "tr6-15.xlsx", "rules"])  # tr: setup times
def test_local_search_keeps_its_books_and_every_rule(tmp_path, small, instance):
    from planner.heuristics.engine import build_builder
    from planner.heuristics.local import improve_plan
    from planner.heuristics.rules import wagner_whitin

    if instance == "rules":
        source = rules_workbook(tmp_path / "rules.xlsx")
        data = planner.read_workbook(source)
    else:
        source = ROOT / "instances" / instance
        data = small if instance == "S.xlsx" else planner.read_workbook(source)
    builder = build_builder(data, wagner_whitin)
    before = builder.estimate()
    improve_plan(builder, wagner_whitin, budget=30.0)
    after = builder.estimate()
    assert after <= before + 1e-6
    # what the builder tracks while moving lines around agrees with the lines themselves
    deliveries, used, recv = _recount(builder)
    assert builder.deliveries == deliveries
    assert set(builder.on_delivery) == deliveries
    for key, value in builder.used.items():
        assert value == pytest.approx(used.get(key, 0.0), abs=1e-6), key
    for item in data.items.index:
        assert np.allclose(builder.receipts(item), recv.get(item, np.zeros(builder.T)))
    # and its cost is the cost every plan gets, and the plan breaks no rule
    plan = cost_plan(data, builder.lines)
    assert plan.costs["total_cost"] == pytest.approx(after, rel=1e-9)
    assert_plan_consistent(source, write_plan(data, plan, tmp_path / "local.xlsx"))


def test_local_search_improves_the_small_instance(small):
    # S: the rule plans items one by one; re-planning them knowing each other's deliveries pays
    plain = initial_plan(small)
    improved = initial_plan(small, improve=30.0)
    assert improved.name.endswith("+local")
    assert improved.cost < plain.cost - 1.0


def test_a_large_model_gets_the_heuristics_plan_and_an_lp_bound(tmp_path):
    # above search_above integer columns there is no full search: the plan of the local search and
    # fix-and-optimise, the bound of the LP with the (l,S) rows, honest about both
    source = rules_workbook(tmp_path / "rules.xlsx")
    data = planner.read_workbook(source)
    optimum = planner.solve(data, planner.SolveOptions(gap=0.0, threads=1, time_limit=60)).total_cost
    options = planner.SolveOptions(threads=1, time_limit=20, search_above=0, cuts_above=0)
    result = planner.solve(data, options)
    assert result.status is Status.FEASIBLE
    assert "heuristics only" in result.message and f"gap {result.gap:.2%}" in result.message
    assert "cuts" in result.timings and "solve" not in result.timings
    assert result.lower_bound <= optimum + 1e-6 <= result.total_cost + 2e-6
    assert result.gap == pytest.approx((result.total_cost - result.lower_bound) / result.total_cost)
    assert_plan_consistent(source, planner.write_result(result, tmp_path / "plan.xlsx"))


def test_ctrl_c_in_the_local_search_keeps_the_plan_found_so_far(small):
    from planner.heuristics.engine import build_builder
    from planner.heuristics.local import improve_plan
    from planner.heuristics.rules import wagner_whitin

    builder = build_builder(small, wagner_whitin)
    before = builder.estimate()
    calls = 0

    def interrupted_rule(b, state):  # Ctrl-C arrives in the middle of the 40th re-plan
        nonlocal calls
        calls += 1
        if calls == 40:
            raise KeyboardInterrupt
        wagner_whitin(b, state)

    improve_plan(builder, interrupted_rule, budget=30.0)
    assert builder.interrupted and calls == 40
    deliveries, used, recv = _recount(builder)  # the half-done move was undone completely
    assert builder.deliveries == deliveries
    for item in small.items.index:
        assert np.allclose(builder.receipts(item), recv.get(item, np.zeros(builder.T)))
    assert builder.estimate() <= before + 1e-6
    assert cost_plan(small, builder.lines).costs["total_cost"] == pytest.approx(builder.estimate(), rel=1e-9)
