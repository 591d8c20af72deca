"""The constructive heuristic, its hand-off to HiGHS as a start, and fix-and-optimise on the one model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import planner
from planner.baselines import baseline_plan
from planner.heuristics import initial_plan
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
