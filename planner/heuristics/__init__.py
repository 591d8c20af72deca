"""Heuristics: a good plan fast, handed to HiGHS as its starting solution, and improved on the model.

- :mod:`~planner.heuristics.engine` — builds order lines that respect MOQ, packs, lead times, line
  bounds and supplier capacity, for any per-item lot-sizing rule;
- :mod:`~planner.heuristics.rules` — the rules (lot-for-lot, Silver–Meal, min-max, Wagner–Whitin with
  shared deliveries); the baselines in
  :mod:`planner.baselines` use the same ones with shared deliveries ignored;
- :mod:`~planner.heuristics.local` — local search on a constructed plan: re-plan one item knowing
  the others' deliveries, close one delivery;
- :mod:`~planner.heuristics.start` — a plan as the full column vector of the model (warm start);
- :mod:`~planner.heuristics.improve` — fix-and-optimise on the one model: free a group of suppliers'
  lines, fix the rest at the incumbent, re-solve the same HiGHS model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from planner.data import PlanningData
from planner.heuristics.engine import (
    Lines,
    PlanBuilder,
    build_builder,
    build_plan,
    cost_plan,
    warehouse_ok,
)
from planner.heuristics.local import improve_plan
from planner.heuristics.rules import lot_for_lot, silver_meal, wagner_whitin
from planner.plan import Plan


@dataclass(frozen=True)
class Candidate:
    """A constructed plan: its rule's name, its order lines and its costed plan."""

    name: str
    lines: Lines
    plan: Plan
    interrupted: bool = False
    """Ctrl-C stopped its local search: the plan is the one found so far."""

    @property
    def cost(self) -> float:
        return self.plan.costs["total_cost"]


def initial_plan(data: PlanningData, budget: float = math.inf, improve: float = 0.0) -> Candidate | None:
    """The cheapest of a few constructive plans that fit the warehouse (shared deliveries counted
    once), or the empty plan when none does; None when even ordering nothing overflows the warehouse.

    The rules run in order (Wagner–Whitin first: the best on the large generated instances) until
    ``budget`` seconds have passed; at least one always runs. The cheapest plan is then improved by
    :func:`planner.heuristics.local.improve_plan` (re-planning items by Wagner–Whitin, deliveries shared)
    for up to ``improve`` seconds."""
    start = time.perf_counter()
    best: tuple[float, str, PlanBuilder] | None = None
    rules = (
        ("wagner_whitin_joint", wagner_whitin, True),
        ("silver_meal_joint", silver_meal, True),
        ("silver_meal", silver_meal, False),
        ("lot_for_lot_joint", lot_for_lot, True),
    )
    for name, rule, joint in rules:
        if best is not None and time.perf_counter() - start > budget:
            break
        builder = build_builder(data, rule, joint_delivery=joint)
        if builder.warehouse_fits():
            cost = builder.estimate()
            if best is None or cost < best[0]:
                best = (cost, name, builder)
    if best is not None:
        _, name, builder = best
        builder.joint_delivery = True  # from here on a delivery already coming is shared
        if improve > 0 and improve_plan(builder, wagner_whitin, improve):
            name += "+local"
        plan = cost_plan(data, builder.lines)
        if warehouse_ok(data, plan):
            return Candidate(name, builder.lines, plan, builder.interrupted)
    plan = cost_plan(data, {})
    if warehouse_ok(data, plan):
        return Candidate("empty", {}, plan)
    return None


def warm_start(
    highs, model, columns: list, data: PlanningData, budget: float = math.inf, improve: float = 0.0
) -> tuple[Candidate | None, str, np.ndarray | None]:
    """Construct :func:`initial_plan` and hand it to ``highs`` as its start. Returns the plan, how it was
    passed and its full column vector (see :func:`planner.heuristics.start.set_start`)."""
    from planner.heuristics.start import set_start

    candidate = initial_plan(data, budget, improve)
    if candidate is None:
        return None, "none", None
    lines = candidate.lines
    if data.has_disruptions:  # bring forward what a disruption may delay: a far better stochastic start
        from planner.stochastic import pre_buffered

        lines = pre_buffered(data, lines, allowed=set(model.X))
    how, x = set_start(highs, model, columns, data, lines, candidate.plan)
    return candidate, how, x


__all__ = ["Candidate", "build_plan", "cost_plan", "initial_plan", "warehouse_ok", "warm_start"]
