"""Local search on a constructed plan: re-plan one item, or close one delivery, while it pays.

The rules of :mod:`~planner.heuristics.rules` plan the items one after another, so an item planned
early does not know which deliveries the later ones bring: it pays for its own truck where it could
have shared one. Two moves fix that, each kept only when the plan's cost (as
:meth:`~planner.heuristics.engine.PlanBuilder.estimate` counts it) goes down:

- **re-plan an item**: take its lines out and plan it again with the rule, now that every other
  item's deliveries are known (a delivery already coming costs it nothing);
- **close a delivery**: take out every item with a line on one delivery, rule that delivery out, and
  re-plan those items (their lots move to the neighbouring deliveries or another supplier).

Both keep every hard rule the builder keeps (lead times, lots, supplier capacity, the warehouse).
A move is tried again only when something it depends on has changed since it last failed: a delivery
opened or closed, or capacity taken or freed, at a supplier its items can buy from.
"""

from __future__ import annotations

import time
from collections import defaultdict

from planner.heuristics.engine import PlanBuilder, Rule


def improve_plan(builder: PlanBuilder, rule: Rule, budget: float) -> int:
    """Apply both moves in turn until neither improves or ``budget`` seconds have passed.

    Returns how many moves were kept. Ctrl-C stops it with the plan as it was after the last move
    (``builder.interrupted`` is then True)."""
    deadline = time.perf_counter() + budget
    kept = 0
    seen: dict = {}
    try:
        while time.perf_counter() < deadline:
            gained = replan_items(builder, rule, deadline, seen)
            gained += close_deliveries(builder, rule, deadline, seen)
            kept += gained
            if not gained:
                break
    except KeyboardInterrupt:
        builder.interrupted = True
    return kept


def replan_items(builder: PlanBuilder, rule: Rule, deadline: float, seen: dict | None = None) -> int:
    """One pass of re-planning every item alone; returns how many re-plans were kept. ``seen`` holds
    what each move saw when it last failed (see :func:`_state`); a move that would see the same is
    skipped."""
    seen = {} if seen is None else seen
    kept = 0
    for item in builder.items_by_value():
        if time.perf_counter() > deadline:
            break
        if not builder.by_item.get(item):
            continue
        state = _state(builder, [item])
        if seen.get(item) == state:
            continue
        if _try(builder, rule, [item]):
            kept += 1
        else:
            seen[item] = state
    return kept


def close_deliveries(builder: PlanBuilder, rule: Rule, deadline: float, seen: dict | None = None) -> int:
    """One pass over the deliveries, fewest lines first: close each if re-planning its items pays."""
    seen = {} if seen is None else seen
    users: dict[tuple[str, int], set[str]] = defaultdict(set)
    for s, i, t in builder.lines:
        users[(s, t)].add(i)
    kept = 0
    for delivery in sorted(users, key=lambda d: (len(users[d]), d)):
        if time.perf_counter() > deadline:
            break
        items = sorted(i for i in users[delivery] if any(k[0::2] == delivery for k in builder.lines_of[i]))
        if not items:  # an earlier move emptied it
            continue
        state = (tuple(items), _state(builder, items))
        if seen.get(delivery) == state:
            continue
        if _try(builder, rule, items, close=delivery):
            kept += 1
        else:
            seen[delivery] = state
    return kept


def _state(builder: PlanBuilder, items: list[str]) -> tuple:
    """What re-planning ``items`` depends on: the versions of every supplier they can buy from."""
    suppliers = sorted({s for i in items for s, _ in builder.by_item.get(i, ())})
    return tuple(builder.version[s] for s in suppliers)


def _try(builder: PlanBuilder, rule: Rule, items: list[str], close: tuple[str, int] | None = None) -> bool:
    """Re-plan ``items`` (with ``close`` ruled out); keep the change when it lowers the cost."""
    before = sum(builder.item_cost(i) for i in items) + builder.delivery_total()
    versions = dict(builder.version)
    removed: dict = {}
    try:
        removed.update((i, builder.remove_item(i)) for i in items)
        if close is not None:
            builder.closed.add(close)
        for i in items:
            rule(builder, builder.state(i))
        builder.closed.discard(close)
        after = sum(builder.item_cost(i) for i in items) + builder.delivery_total()
        if after < before - 1e-9 * max(1.0, abs(before)) - 1e-6:
            return True
    except BaseException:  # Ctrl-C half-way: put the plan back as it was, then let it through
        _undo(builder, removed, versions, close)
        raise
    _undo(builder, removed, versions, close)
    return False


def _undo(builder: PlanBuilder, removed: dict, versions: dict, close: tuple[str, int] | None) -> None:
    """Put back the lines of the items in ``removed`` as they were before a move."""
    builder.closed.discard(close)
    for i in removed:
        builder.remove_item(i)
    for lines in removed.values():
        builder.restore(lines)
    builder.version.clear()  # the plan is as it was: so is what the moves depend on
    builder.version.update(versions)
