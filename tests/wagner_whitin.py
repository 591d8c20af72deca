"""Wagner–Whitin: the exact optimum of the uncapacitated single-item lot-sizing problem.

An independent oracle for the planner's model (it never imports ``planner``). Convention, the
textbook one (Wagner & Whitin 1958; Snyder & Shen, *Fundamentals of Supply Chain Theory*, §3.5):

- periods 1..T, zero stock at the start, no backlog (every demand met in its own period);
- an order placed in period t arrives in period t (no lead time) and costs
  ``fixed_cost[t] · [q_t > 0] + purchase_cost[t] · q_t``;
- stock at the END of period t, ``I_t = I_{t-1} + q_t − d_t``, costs ``holding_cost[t] · I_t``.

Uncapacitated with these (concave) costs, some optimal plan orders only when stock is zero, so an
order in period i covers exactly the demands of periods i..j, and the optimum is the shortest path

    F(0) = 0,   F(j) = min over 1 ≤ i ≤ j of  F(i−1) + c(i, j)

where ``c(i, j)`` is the cost of ordering ``d_i + … + d_j`` in period i: O(T²) in all.
"""

from __future__ import annotations

from collections.abc import Sequence

Costs = float | Sequence[float]


def _per_period(value: Costs, periods: int, name: str) -> list[float]:
    """A scalar repeated for every period, or a list checked to have one value per period."""
    if isinstance(value, int | float):
        return [float(value)] * periods
    values = [float(v) for v in value]
    if len(values) != periods:
        raise ValueError(f"{name} has {len(values)} values for {periods} periods")
    return values


def _prefix(values: Sequence[float]) -> list[float]:
    """prefix[k] = values[0] + … + values[k−1] (so prefix[0] = 0)."""
    out = [0.0]
    for v in values:
        out.append(out[-1] + v)
    return out


def wagner_whitin(
    demand: Sequence[float],
    fixed_cost: Costs,
    holding_cost: Costs,
    purchase_cost: Costs = 0.0,
) -> tuple[float, list[float]]:
    """Optimal cost and order quantity per period of the uncapacitated single-item problem.

    ``fixed_cost``, ``holding_cost`` and ``purchase_cost`` are scalars (every period) or one value per
    period. Returns ``(cost, q)`` with ``q[t−1]`` the quantity ordered (and received) in period t.
    """
    d = [float(x) for x in demand]
    if any(x < 0 for x in d):
        raise ValueError("demand must be non-negative")
    n = len(d)
    fixed = _per_period(fixed_cost, n, "fixed_cost")
    hold = _per_period(holding_cost, n, "holding_cost")
    price = _per_period(purchase_cost, n, "purchase_cost")

    # With H[k] = h_1 + … + h_k, a unit of d_m ordered in period i is held at the end of periods
    # i..m−1 and costs price_i + H[m−1] − H[i−1]; summing over m = i..j with prefix sums
    # D (of d) and DH (of d_m · H[m−1]) makes c(i, j) an O(1) expression.
    H = _prefix(hold)
    D = _prefix(d)
    DH = _prefix([d[m] * H[m] for m in range(n)])

    def block_cost(i: int, j: int) -> float:
        """c(i, j), 1-based: order d_i + … + d_j in period i."""
        quantity = D[j] - D[i - 1]
        if quantity <= 0:
            return 0.0
        unit = price[i - 1] - H[i - 1]
        return fixed[i - 1] + unit * quantity + (DH[j] - DH[i - 1])

    best = [0.0] + [float("inf")] * n
    start = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(1, j + 1):
            cost = best[i - 1] + block_cost(i, j)
            if cost < best[j] - 1e-12:
                best[j], start[j] = cost, i

    orders = [0.0] * n
    j = n
    while j > 0:
        i = start[j]
        orders[i - 1] = D[j] - D[i - 1]
        j = i - 1
    return best[n], orders


def lot_sizing_cost(
    demand: Sequence[float],
    orders: Sequence[float],
    fixed_cost: Costs,
    holding_cost: Costs,
    purchase_cost: Costs = 0.0,
    tolerance: float = 1e-9,
) -> float:
    """Cost of a given plan under the same convention; ValueError if it leaves demand unmet."""
    n = len(demand)
    if len(orders) != n:
        raise ValueError(f"{len(orders)} order quantities for {n} periods")
    fixed = _per_period(fixed_cost, n, "fixed_cost")
    hold = _per_period(holding_cost, n, "holding_cost")
    price = _per_period(purchase_cost, n, "purchase_cost")
    stock, cost = 0.0, 0.0
    for t in range(n):
        if orders[t] < -tolerance:
            raise ValueError(f"negative order {orders[t]} in period {t + 1}")
        stock += orders[t] - demand[t]
        if stock < -tolerance:
            raise ValueError(f"demand of period {t + 1} not met ({-stock} short)")
        setup = fixed[t] if orders[t] > tolerance else 0.0
        cost += setup + price[t] * orders[t] + hold[t] * max(stock, 0.0)
    return cost
