"""Lower bounds on the total cost straight from the data, valid for every plan.

HiGHS's bound comes from the LP relaxation and its cuts; on the largest instances the search may stop
before the root LP is solved, with no bound at all. This one needs no solve.
"""

from __future__ import annotations

import math

from planner.data import PlanningData
from planner.model.sets import offer_table


def purchase_bound(data: PlanningData) -> float:
    """A lower bound on total cost: every unit still needed is bought or goes short.

    Per item, N(i) = Σt r(i,t) − on_hand(i) − Σt o(i,t) units (if positive) must come from new lines or
    stay unmet. A unit bought costs at least min_s p(s,i) ÷ g(s,i) (the cheapest price per good unit); a
    unit still owed at the end costs at least π(i) + unit_cost(i) under backlog (stockout and the end
    charge), a lost unit π(i) under lost_sales. Every other cost term is ≥ 0, so

        total_cost ≥ Σi N(i) · min(min_s p(s,i) ÷ g(s,i), π(i) [+ unit_cost(i)]).

    Returns −inf when a cost is negative (the argument needs every term ≥ 0).
    """
    items = data.items
    cost_columns = ("holding_cost", "stockout_cost", "safety_stock_cost", "unit_cost")
    if any((items[c] < 0).any() for c in cost_columns):
        return -math.inf
    if (data.suppliers["delivery_cost"] < 0).any() or (
        data.offers[["unit_price", "order_cost"]] < 0
    ).any().any():
        return -math.inf
    if data.settings.carbon_price < 0:
        return -math.inf
    good = getattr(data, "good_share", {})
    cheapest: dict[str, float] = {}
    for (s, i), offer in offer_table(data).items():
        g = good.get((s, i), 1.0)
        if g > 0:
            cheapest[i] = min(cheapest.get(i, math.inf), offer.unit_price / g)
    supply = {i: float(v) for i, v in items["on_hand"].items()}
    for (i, _), q in data.open_receipts.items():
        supply[i] = supply.get(i, 0.0) + q
    lost = data.settings.stockout_policy == "lost_sales"
    total = 0.0
    for i, need in data.total_requirement.items():
        short = need - supply.get(i, 0.0)
        if short <= 0:
            continue
        unmet = float(items.at[i, "stockout_cost"]) + (0.0 if lost else float(items.at[i, "unit_cost"]))
        total += short * min(cheapest.get(i, math.inf), unmet)
    return total
