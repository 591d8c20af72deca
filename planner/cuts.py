"""(l,S) inequalities, separated on the LP relaxation and added to the model before the search.

For an item i, a period l and a set S of lines (s,u) with u ≤ l, whatever those lines bring either
serves a requirement of u..l or is still in stock at the end of l:

    Σ_{(s,u)∈S} g(s,i) q(s,i,u)  ≤  Σ_{(s,u)∈S} a(u,l) y(s,i,u) + I(i,l) + Σ_{u∈P(S), β(u,l)=1} B(i,u−1)

where g is the good share, P(S) the periods of S, and for the first period u* of S with a line placed
(the net stock N = I − B, C(t) = on_hand + open orders up to t, D(u,l) the requirement of u..l):

    Σ_{u=u*}^{l} x(u) = N(l) − N(u*−1) + D(u*,l) − O(u*,l),   x the good receipts of new lines;

N(l) ≤ I(l), and −N(u*−1) ≤ B(u*−1) or ≤ D(1,u*−1) − C(u*−1). So a(u,l) is the smaller of
D(u,l) − O(u,l) (with β = 1, the backlog term) and D(1,l) − C(l) (β = 0, nothing to add), both at least 0;
under lost sales there is no backlog and the first form holds with β = 0. The big-M link q ≤ U·y lets
the LP open a line for the fraction q ÷ U of its fixed cost; these rows charge it by what the line
really has to cover, as the facility-location view does, but only where the LP breaks them.

The loop: solve the LP relaxation, add for each item its most violated inequalities, solve again
(warm), until the bound stops moving, no inequality is violated, or the time budget is spent. The rows
are valid for every plan, so the warm start stays feasible and the optimum does not change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo

from planner.data import PlanningData


@dataclass(frozen=True)
class CutReport:
    """What the loop did: rounds, rows added, the LP bound before and after, seconds."""

    rounds: int
    cuts: int
    lp_before: float | None
    lp_after: float | None
    seconds: float


@dataclass
class _Item:
    a: np.ndarray  # a[u, l], periods 1-based (row and column 0 unused)
    beta: np.ndarray  # beta[u, l] ∈ {0, 1}: whether the backlog term B(u−1) is part of the bound
    q: np.ndarray  # column of q(s,i,u) per line
    y: np.ndarray  # column of y(s,i,u) per line
    good: np.ndarray  # good share per line
    period: np.ndarray  # u per line
    stock: np.ndarray  # column of I(i,l), l = 1..T
    backlog_before: np.ndarray  # column of B(i,u−1), u = 1..T (−1: none)


def item_tables(model: pyo.ConcreteModel, data: PlanningData, columns: list) -> list[_Item]:
    """The coefficients of the family, per item with lines, and the model columns they involve."""
    where = {id(v): k for k, v in enumerate(columns)}
    T = data.T
    r, o = data.requirement, data.open_receipts
    on_hand = data.items["on_hand"].to_dict()
    good = data.good_share
    lost = data.settings.stockout_policy == "lost_sales"
    lines_of: dict[str, list[tuple[str, int]]] = {}
    for s, i, t in model.X:
        lines_of.setdefault(i, []).append((s, t))
    # the same grid of (u, l) for every item: u = row, l = column, valid where 1 ≤ u ≤ l
    u, end = np.meshgrid(np.arange(T + 1), np.arange(T + 1), indexing="ij")
    before = np.maximum(u - 1, 0)
    valid = (u >= 1) & (u <= end)
    out = []
    for i, lines in lines_of.items():
        d = np.array([0.0] + [r.get((i, t), 0.0) for t in range(1, T + 1)])
        opened = np.array([0.0] + [o.get((i, t), 0.0) for t in range(1, T + 1)])
        D, Op = np.cumsum(d), np.cumsum(opened)  # D[t] = requirement of 1..t, Op[t] = open orders
        net_to = D - (float(on_hand[i]) + Op)  # D(1,l) − C(l)
        within = np.maximum(0.0, (D[end] - D[before]) - (Op[end] - Op[before]))
        overall = np.maximum(0.0, net_to[end])
        if lost:
            a, beta = within, np.zeros_like(within)
        else:
            beta = (within < overall).astype(float)
            a = np.where(beta > 0, within, overall)
        a, beta = np.where(valid, a, 0.0), np.where(valid, beta, 0.0)
        backlog_before = np.full(T + 1, -1)
        if not lost:
            for t in range(2, T + 1):
                backlog_before[t] = where.get(id(model.backlog[i, t - 1]), -1)
        out.append(
            _Item(
                a=a,
                beta=beta,
                q=np.array([where.get(id(model.q[s, i, t]), -1) for s, t in lines]),
                y=np.array([where.get(id(model.y[s, i, t]), -1) for s, t in lines]),
                good=np.array([good.get((s, i), 1.0) for s, _ in lines]),
                period=np.array([t for _, t in lines]),
                stock=np.array([-1] + [where.get(id(model.inv[i, t]), -1) for t in range(1, T + 1)]),
                backlog_before=backlog_before,
            )
        )
    return [it for it in out if (it.q >= 0).all() and (it.y >= 0).all() and (it.stock[1:] >= 0).all()]


def separate(items: list[_Item], x: np.ndarray, per_item: int | None = None, tol: float = 1e-4) -> list:
    """The most violated inequalities at the LP point ``x``: (columns, coefficients) of rows ≤ 0."""
    cuts = []
    for it in items:
        gq = it.good * x[it.q]
        y = x[it.y]
        T = len(it.stock) - 1
        found = []
        for end in range(int(it.period.min()), T + 1):  # the period l
            term = gq - it.a[it.period, end] * y
            chosen, extra, gain = [], [], 0.0
            for u in np.unique(it.period[(it.period <= end) & (term > 1e-9)]):
                here = (it.period == u) & (term > 1e-9)
                b = it.backlog_before[u] if it.beta[u, end] > 0 else -1
                gu = float(term[here].sum()) - (x[b] if b >= 0 else 0.0)
                if gu > 1e-9:
                    gain += gu
                    chosen.extend(np.nonzero(here)[0])
                    if b >= 0:
                        extra.append(b)
            stock = x[it.stock[end]]
            scale = 1.0 + abs(stock) + float(gq[chosen].sum()) if chosen else 1.0
            if chosen and gain - stock > tol * scale:
                found.append(((gain - stock) / scale, end, chosen, extra))
        found.sort(key=lambda f: -f[0])
        for _, end, chosen, extra in found[:per_item]:
            idx = [it.stock[end], *extra]
            val = [-1.0] * (1 + len(extra))
            for k in chosen:
                idx += [it.q[k], it.y[k]]
                val += [it.good[k], -it.a[it.period[k], end]]
            cuts.append((np.asarray(idx, dtype=np.int32), np.asarray(val, dtype=float)))
    return cuts


def add_rows(highs: highspy.Highs, cuts: list) -> None:
    """Add the rows Σ coefficient · column ≤ 0 to ``highs``."""
    if not cuts:
        return
    sizes = [len(c[0]) for c in cuts]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
    n = len(cuts)
    highs.addRows(
        n,
        np.full(n, -highspy.kHighsInf),
        np.zeros(n),
        int(sum(sizes)),
        starts,
        np.concatenate([c[0] for c in cuts]).astype(np.int32),
        np.concatenate([c[1] for c in cuts]).astype(float),
    )


def relaxation(highs: highspy.Highs) -> highspy.Highs:
    """A new, silent ``Highs`` holding the LP relaxation of ``highs``'s model (integrality dropped)."""
    from planner.solve import new_highs

    lp = highs.getLp()
    lp.integrality_ = []
    relaxed = new_highs()
    relaxed.passModel(lp)
    return relaxed


def strengthen(
    highs: highspy.Highs,
    model: pyo.ConcreteModel,
    columns: list,
    data: PlanningData,
    budget: float,
    *,
    max_rounds: int = 30,
    min_gain: float = 1e-4,
    per_item: int | None = None,
) -> CutReport:
    """Run the loop on the LP relaxation of ``highs``'s model and add the cuts to ``highs`` itself.

    Each round adds, per item, the ``per_item`` most violated inequalities (None: one for every
    period l where one is violated). Stops after ``max_rounds`` rounds, when a round raises the LP
    bound by less than ``min_gain`` (relative), or when the next round would not fit the ``budget``
    seconds."""
    start = time.perf_counter()
    items = item_tables(model, data, columns)
    relaxed = relaxation(highs)
    before = after = None
    rounds = total = 0
    last_round = 0.0
    while rounds < max_rounds:
        mark = time.perf_counter()
        if mark - start + last_round > budget:
            break
        relaxed.setOptionValue("time_limit", max(0.5, budget - (mark - start)))
        relaxed.run()
        if relaxed.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        value = float(relaxed.getInfo().objective_function_value)
        if before is None:
            before = value
        elif after is not None and value - after < min_gain * max(1.0, abs(after)):
            after = value
            break
        after = value
        cuts = separate(items, np.asarray(relaxed.getSolution().col_value), per_item)
        if not cuts:
            break
        add_rows(relaxed, cuts)
        add_rows(highs, cuts)
        total += len(cuts)
        rounds += 1
        last_round = time.perf_counter() - mark
    return CutReport(rounds, total, before, after, time.perf_counter() - start)


__all__ = ["CutReport", "add_rows", "item_tables", "relaxation", "separate", "strengthen"]
