"""Why each order: every receipt pegged to the requirements it serves, first in, first out.

Receipts of an item — the stock on hand at the start, open orders and new order lines — are queued by
arrival; requirements (per period and source: ``demand`` or the product whose BOM pulls the item) are
queued by period. Each requirement takes from the oldest receipt still holding stock, which is how
:func:`planner.plan.evaluate` uses stock: backlog is served oldest first, and under ``lost_sales`` a
requirement not met from the stock there in its own period is lost (and pegged to nothing).
Within one period open orders queue before new order lines, and requirements from Demand before those
of products (in name order).
"""

from __future__ import annotations

from collections import defaultdict, deque

import pandas as pd

from planner.data import PlanningData

PEGGING_COLUMNS = [
    "supplier",
    "item",
    "receipt",
    "arrival_period",
    "requirement_period",
    "source",
    "quantity",
    "periods_late",
]
"""The Pegging sheet. ``receipt`` is ``order`` (a new order line), ``open order`` or ``on hand``
(stock at the start: no supplier, no arrival period); ``periods_late`` = arrival − requirement period
when a receipt serves a backlog."""

ON_HAND, OPEN, ORDER = "on hand", "open order", "order"
_EPS = 1e-9


def peg(data: PlanningData, orders: pd.DataFrame) -> pd.DataFrame:
    """The pegging of ``orders`` (the Orders table) as a table of PEGGING_COLUMNS + ``line``.

    ``line`` is the position of the order line in ``orders`` (-1 for on hand and open orders).
    """
    good = data.good_share
    receipts: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    oo = data.open_orders
    for i, t, q, s in zip(
        *(oo[c].tolist() for c in ("item", "period", "quantity", "supplier")), strict=False
    ):
        if q > _EPS:
            receipts[i][int(t)].append([OPEN, s or "", -1, float(q)])
    for k, (s, i, t, q) in enumerate(
        zip(*(orders[c].tolist() for c in ("supplier", "item", "arrival_period", "quantity")), strict=False)
    ):
        q = float(q) * good.get((s, i), 1.0)
        if q > _EPS:
            receipts[i][int(t)].append([ORDER, s, k, q])
    needs: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    src = data.requirement_sources.sort_values(
        ["item", "period", "source"], key=lambda c: c.map(_demand_first) if c.name == "source" else c
    )
    for i, t, source, q in zip(
        *(src[c].tolist() for c in ("item", "period", "source", "quantity")), strict=False
    ):
        if q > _EPS:
            needs[i][int(t)].append([int(t), str(source), float(q)])

    lost_sales = data.settings.stockout_policy == "lost_sales"
    on_hand = data.items["on_hand"].to_dict()
    rows: list[tuple] = []
    for item in data.items.index:
        if item not in needs:
            continue
        stock: deque = deque()
        if on_hand[item] > _EPS:
            stock.append([ON_HAND, "", -1, float(on_hand[item]), None])
        owed: deque = deque()
        item_receipts, item_needs = receipts.get(item, {}), needs[item]
        for t in data.periods:
            stock.extend(r + [t] for r in item_receipts.get(t, ()))
            owed.extend(list(n) for n in item_needs.get(t, ()))
            while owed and stock:
                need, receipt = owed[0], stock[0]
                qty = min(need[2], receipt[3])
                arrival = receipt[4]
                late = max(0, arrival - need[0]) if arrival is not None else 0
                rows.append((receipt[1], item, receipt[0], arrival, need[0], need[1], qty, late, receipt[2]))
                need[2] -= qty
                receipt[3] -= qty
                if need[2] <= _EPS * max(1.0, qty):
                    owed.popleft()
                if receipt[3] <= _EPS * max(1.0, qty):
                    stock.popleft()
            if lost_sales:
                owed.clear()
    frame = pd.DataFrame(rows, columns=[*PEGGING_COLUMNS, "line"])
    frame["arrival_period"] = frame["arrival_period"].astype("Int64")
    return frame


def covers(data: PlanningData, orders: pd.DataFrame, pegging: pd.DataFrame, limit: int = 400) -> list[str]:
    """For each order line, in words, the requirements it covers, e.g.
    ``period 3: CITY 30, MTB 15; period 4: demand 12; 40 left at the end``."""
    good = data.good_share
    served: dict[int, dict[int, list]] = defaultdict(dict)  # line -> requirement period -> pieces
    for line, t, source, qty, late in zip(
        *(pegging[c].tolist() for c in ("line", "requirement_period", "source", "quantity", "periods_late")),
        strict=False,
    ):
        if line >= 0:
            served[int(line)].setdefault(int(t), []).append((source, float(qty), late > 0))
    texts = []
    for k, (s, i, q) in enumerate(
        zip(*(orders[c].tolist() for c in ("supplier", "item", "quantity")), strict=False)
    ):
        received = float(q) * good.get((s, i), 1.0)
        used = 0.0
        pieces = []
        for t, parts in sorted(served.get(k, {}).items()):
            late = " (backlog)" if parts[0][2] else ""
            pieces.append(f"period {t}{late}: " + ", ".join(f"{src} {_num(x)}" for src, x, _ in parts))
            used += sum(x for _, x, _ in parts)
        left = received - used
        if left > 1e-6 * max(1.0, received):
            pieces.append(f"{_num(left)} left at the end")
        text = "; ".join(pieces)
        texts.append(text if len(text) <= limit else text[: limit - 1] + "…")
    return texts


def _demand_first(source: object) -> str:
    return "" if source == "demand" else f"~{source}"


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-6 else f"{x:,.2f}"
