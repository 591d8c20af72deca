"""Fix-and-optimise on the one model: improve an incumbent plan group by group under a time budget.

The model handed to HiGHS is the model of :func:`planner.model.build_model` — nothing is rebuilt or
copied. Each step frees the integer columns (lines q, y, n and deliveries z) of a small group of
suppliers, fixes every other integer column at the incumbent's value through its bounds, and solves
that restricted MIP with the incumbent as its start: a sub-MIP HiGHS's presolve shrinks to the free
group, so it solves in seconds where the whole model would not. An improved plan becomes the
incumbent; the original bounds are put back after every step. Groups follow the suppliers because a
delivery, a supplier capacity and the lines on them are decided together.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import highspy
import numpy as np


def supplier_groups(columns: list, group_size: int) -> tuple[dict[str, list[int]], list[list[str]]]:
    """The integer columns of each supplier, and the suppliers in groups of ``group_size``."""
    by_supplier: dict[str, list[int]] = defaultdict(list)
    for k, var in enumerate(columns):
        if not var.is_integer():
            continue
        name = var.parent_component().local_name
        if name in ("q", "y", "n", "z"):
            by_supplier[var.index()[0]].append(k)
    suppliers = sorted(by_supplier, key=lambda s: -len(by_supplier[s]))
    # spread the large suppliers over the groups so that sub-MIPs are of similar size
    n_groups = max(1, math.ceil(len(suppliers) / group_size))
    groups: list[list[str]] = [[] for _ in range(n_groups)]
    for k, s in enumerate(suppliers):
        groups[k % n_groups].append(s)
    return by_supplier, [g for g in groups if g]


def fix_and_optimise(
    highs: highspy.Highs,
    columns: list,
    x: np.ndarray,
    budget: float,
    *,
    group_size: int = 3,
    step_limit: float = 20.0,
    log=None,
) -> tuple[np.ndarray, float, int]:
    """Improve the feasible column vector ``x`` on ``highs``'s model within ``budget`` seconds.

    Returns the best vector found, its objective value and the number of improving steps. The model's
    bounds, and its time limit option, are as they were when it returns. Ctrl-C ends it early (with
    the best vector so far), like the full search.
    """
    from planner.solve import run_interruptibly

    deadline = time.perf_counter() + budget
    lp = highs.getLp()
    lower0 = np.asarray(lp.col_lower_, dtype=float).copy()
    upper0 = np.asarray(lp.col_upper_, dtype=float).copy()
    cost = np.asarray(lp.col_cost_, dtype=float)
    offset = float(lp.offset_)
    best = x.copy()
    best_obj = float(cost @ best) + offset
    by_supplier, groups = supplier_groups(columns, group_size)
    integer = np.array([v.is_integer() for v in columns], dtype=bool)
    int_index = np.nonzero(integer)[0].astype(np.int32)
    old_limit = highs.getOptionValue("time_limit")
    old_limit = float(old_limit[1] if isinstance(old_limit, tuple) else old_limit)
    improvements = 0
    rounds_without = 0
    try:
        while time.perf_counter() < deadline - 1.0 and rounds_without < 1:
            improved_this_round = False
            for group in groups:
                left = deadline - time.perf_counter()
                if left < 1.0:
                    break
                free = np.concatenate([np.asarray(by_supplier[s], dtype=np.int32) for s in group])
                fixed = np.setdiff1d(int_index, free, assume_unique=True).astype(np.int32)
                values = np.round(best[fixed])
                highs.changeColsBounds(len(fixed), fixed, values, values)
                highs.setOptionValue("time_limit", float(min(step_limit, left)))
                highs.setSolution(len(int_index), int_index, np.round(best[int_index]))
                stopped_by = run_interruptibly(
                    highs, deadline=time.perf_counter() + min(step_limit, left) + 2.0
                )
                info = highs.getInfo()
                if info.primal_solution_status == 2:
                    cand = np.asarray(highs.getSolution().col_value, dtype=float)
                    obj = float(cost @ cand) + offset
                    if obj < best_obj - 1e-6 * max(1.0, abs(best_obj)):
                        if log:
                            log(f"fix-and-optimise {group}: {best_obj:,.2f} -> {obj:,.2f}")
                        best, best_obj = cand, obj
                        improvements += 1
                        improved_this_round = True
                highs.changeColsBounds(len(fixed), fixed, lower0[fixed], upper0[fixed])
                if stopped_by == "interrupt":  # Ctrl-C: keep what we have, let the caller finish
                    return best, best_obj, improvements
            rounds_without = 0 if improved_this_round else rounds_without + 1
    finally:
        highs.changeColsBounds(len(int_index), int_index, lower0[int_index], upper0[int_index])
        highs.setOptionValue("time_limit", old_limit)
    return best, best_obj, improvements
