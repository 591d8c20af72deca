"""A plan as a full starting solution of the model: every column's value, from the order lines alone.

q, y, n and z come from the lines; stock, backlog, lost units and shortfall from
:func:`planner.plan.evaluate`'s simulation (the same one that costs the plan); the demand-cover
variables w, v from serving each requirement first-in first-out: old supply (start stock, open orders)
first, then the lines in order of arrival, each unit to the oldest requirement it can reach on time.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyomo.environ as pyo

from planner.data import PlanningData
from planner.plan import Plan


def start_values(model: pyo.ConcreteModel, data: PlanningData, lines: dict, plan: Plan) -> dict[int, float]:
    """{id(Pyomo variable): value} for every non-zero variable of ``model`` in this plan."""
    values: dict[int, float] = {}
    q, y = model.q, model.y
    n = model.n
    mult = {k: o.order_multiple for k, o in model.offer.items()}
    for key, qty in lines.items():
        if key not in q:
            raise ValueError(f"order line {key} is not a line of the model")
        values[id(q[key])] = qty
        values[id(y[key])] = 1.0
        if key in n:
            values[id(n[key])] = round(qty / mult[key[:2]])
        values[id(model.z[key[0], key[2]])] = 1.0

    inv = plan.inventory
    lost_sales = data.settings.stockout_policy == "lost_sales"
    for i, t, closing, backlog, lost, shortfall in zip(
        inv["item"], inv["period"], inv["closing"], inv["backlog"], inv["lost"], inv["shortfall"], strict=True
    ):
        t = int(t)
        values[id(model.inv[i, t])] = float(closing)
        if lost_sales:
            values[id(model.lost[i, t])] = float(lost)
        else:
            values[id(model.backlog[i, t])] = float(backlog)
        if (i, t) in model.shortfall:
            values[id(model.shortfall[i, t])] = float(shortfall)

    if hasattr(model, "w"):
        _cover_values(model, data, lines, values)
    return values


def _cover_values(
    model: pyo.ConcreteModel, data: PlanningData, lines: dict, values: dict[int, float]
) -> None:
    """w, v by first-in first-out service; units serving τ from a line older than the window are in
    stock at the end of τ − H − 1 and need no w."""
    H = model.cover_horizon
    on_hand = data.items["on_hand"].to_dict()
    by_item: dict[str, list] = defaultdict(list)
    for (s, i, k), qty in lines.items():
        by_item[i].append((k, 1, (s, i, k), qty))
    for (i, t), qty in data.open_receipts.items():
        by_item[i].append((t, 0, None, qty))
    needs: dict[str, list] = defaultdict(list)
    for (i, tau), r in sorted(data.requirement.items()):
        if r > 0:
            needs[i].append((tau, r))
    for i, reqs in needs.items():
        supply = sorted(by_item.get(i, []), key=lambda x: (x[0], x[1]))
        queue = [[0, 0, None, float(on_hand[i])]] + [list(x) for x in supply]
        head = 0
        for tau, r in reqs:
            left = r
            while left > 1e-12 and head < len(queue):
                arrive, _, key, avail = queue[head]
                if arrive > tau:
                    break
                if avail <= 1e-12:
                    head += 1
                    continue
                take = min(avail, left)
                queue[head][3] -= take
                left -= take
                if key is None:
                    values[id(model.v[i, tau])] = values.get(id(model.v[i, tau]), 0.0) + take
                elif tau <= arrive + H:
                    wkey = (key[0], i, arrive, tau)
                    values[id(model.w[wkey])] = values.get(id(model.w[wkey]), 0.0) + take


def start_vector(columns: list, values: dict[int, float]) -> np.ndarray:
    """The values in the order of the solver's columns (0 for the variables not in ``values``)."""
    return np.fromiter((values.get(id(v), 0.0) for v in columns), dtype=float, count=len(columns))


def constraint_matrix(lp):
    """The constraint matrix of ``lp`` (a ``HighsLp``) as a scipy sparse matrix, rows × columns.

    HiGHS keeps it column-wise as passed, but may hold it row-wise once rows have been added."""
    import highspy
    from scipy.sparse import csc_matrix, csr_matrix

    a = lp.a_matrix_
    parts = (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_))
    shape = (lp.num_row_, lp.num_col_)
    if a.format_ == highspy.MatrixFormat.kRowwise:
        return csr_matrix(parts, shape=shape)
    return csc_matrix(parts, shape=shape)


def max_violation(lp, x: np.ndarray) -> float:
    """The largest violation of a row or column bound of ``lp`` (a ``HighsLp``) by ``x``; 0 = feasible."""
    act = constraint_matrix(lp) @ x
    rl, ru = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    cl, cu = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    worst = 0.0
    for lhs, lo, hi in ((act, rl, ru), (x, cl, cu)):
        if len(lhs):
            worst = max(
                worst, float(np.max(np.maximum(lo - lhs, 0.0))), float(np.max(np.maximum(lhs - hi, 0.0)))
            )
    return worst


def set_start(
    highs, model: pyo.ConcreteModel, columns: list, data: PlanningData, lines: dict, plan: Plan
) -> tuple[str, np.ndarray | None]:
    """Hand the plan to ``highs`` as its starting solution. Returns how: ``"full"`` (every column, checked
    feasible against the model's rows), ``"partial"`` (only the integer columns, which HiGHS completes
    by solving the LP that remains — used when the full vector does not fit the model, e.g. with
    families whose variables the plan does not determine) or ``"none"``; and the full vector when it
    was passed."""
    try:
        x = start_vector(columns, start_values(model, data, lines, plan))
    except (KeyError, ValueError):
        x = None
    if x is not None and max_violation(highs.getLp(), x) <= 1e-6:
        highs.setSolution(highspy_solution(x))
        return "full", x
    index = [k for k, v in enumerate(columns) if v.is_integer()]
    if not index:
        return "none", None
    ints = _integer_values(model, columns, index, lines)
    highs.setSolution(len(index), np.asarray(index, dtype=np.int32), ints)
    return "partial", None


def highspy_solution(x: np.ndarray):
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = list(map(float, x))
    sol.value_valid = True
    return sol


def _integer_values(model: pyo.ConcreteModel, columns: list, index: list[int], lines: dict) -> np.ndarray:
    values: dict[int, float] = {}
    mult = {k: o.order_multiple for k, o in model.offer.items()}
    for key, qty in lines.items():
        values[id(model.q[key])] = qty
        values[id(model.y[key])] = 1.0
        if key in model.n:
            values[id(model.n[key])] = round(qty / mult[key[:2]])
        values[id(model.z[key[0], key[2]])] = 1.0
    return np.asarray([values.get(id(columns[k]), 0.0) for k in index], dtype=float)
