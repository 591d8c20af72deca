"""Baseline plans: the rules purchasing departments use today, costed exactly like the optimiser's plans.

Each baseline builds order lines with a classical per-item rule and goes through
:func:`planner.plan.evaluate` (the same costing as every plan). Per item it picks, at each arrival it
wants, the cheapest offer that can arrive in time (price × lot + order cost + delivery cost), respecting
min_order, order_multiple, max_order, the offer's item capacity and supplier capacity; what one offer
cannot take goes to the next, then to earlier periods.

What they ignore, as the simple rules do:

- **Shared deliveries**: each item is planned alone and pays the full delivery cost in its decisions, even
  when another item's truck from the same supplier already comes that period.
- **Warehouse capacity**: not looked at while ordering (the result says whether it fits).
- **Interactions between items over supplier capacity**: first come, first served, most valuable item
  first.
- **lot-for-lot**: any economy of larger lots; **min-max**: the known future (it uses the average
  requirement); **Silver–Meal**: look-ahead beyond the first rise of the cost per period.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.data import PlanningData
from planner.heuristics.engine import Lines, build_plan, cost_plan, warehouse_ok
from planner.heuristics.rules import lot_for_lot, min_max, silver_meal
from planner.plan import Plan

BASELINES: dict[str, Callable] = {
    "lot_for_lot": lot_for_lot,
    "min_max": min_max,
    "silver_meal": silver_meal,
}
"""Name → rule; the names are the bench's column names."""


def baseline_lines(data: PlanningData, name: str) -> Lines:
    """The order lines {(supplier, item, arrival period): quantity} of baseline ``name``."""
    return build_plan(data, BASELINES[name], joint_delivery=False)


def baseline_plan(data: PlanningData, name: str) -> Plan:
    """Baseline ``name`` as a costed :class:`~planner.plan.Plan`."""
    return cost_plan(data, baseline_lines(data, name))


def baseline_plans(data: PlanningData) -> dict[str, Plan]:
    """Every baseline, costed."""
    return {name: baseline_plan(data, name) for name in BASELINES}


__all__ = ["BASELINES", "baseline_lines", "baseline_plan", "baseline_plans", "warehouse_ok"]
