"""A plan and what it costs: everything is derived from the order lines alone.

The solver's variables never leave :mod:`planner.solve`; it hands over the order lines, and this module
simulates stock, backlog, deliveries, utilisation, every cost term and the KPIs from them. Baseline
plans and plans typed in by a planner go through the same function, so every plan is costed alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.data import COST_TERMS, PlanningData
from planner.kpis import totals as kpi_totals

ORDER_COLUMNS = ["supplier", "item", "order_period", "arrival_period", "quantity", "unit_price", "line_value"]


@dataclass(frozen=True)
class Plan:
    """Order lines and their consequences. All tables are pandas DataFrames.

    - ``orders``: one row per new order line (see ORDER_COLUMNS, + ``order_date``/``arrival_date``
      when the workbook has a calendar).
    - ``inventory``: one row per item and period: ``opening``, ``receipts`` (new orders),
      ``open_receipts``, ``requirement``, ``closing``, ``backlog``, ``lost``, ``safety_stock``,
      ``shortfall``, ``unmet_on_time``.
    - ``deliveries``: per supplier and arrival period: ``lines``, ``quantity``, ``value``,
      ``delivery_cost``.
    - ``utilisation``: per limited resource and period: ``used``, ``capacity``, ``utilisation``.
    - ``costs``: each cost term and ``total_cost``.
    - ``kpis``: ``deliveries``, ``order_lines``, ``service_level``, ``inventory_to_sales`` and more.
    """

    orders: pd.DataFrame
    inventory: pd.DataFrame
    deliveries: pd.DataFrame
    utilisation: pd.DataFrame
    costs: dict[str, float]
    kpis: dict[str, float]


def orders_frame(data: PlanningData, lines: dict[tuple[str, str, int], float]) -> pd.DataFrame:
    """Order lines {(supplier, item, arrival period): quantity} as the Orders table.

    Quantities are snapped to the offer's order_multiple (whole units by default) to remove the
    solver's tolerances; lines that come to nothing are dropped. Sorted by arrival, supplier, item.
    """
    rows = []
    terms = data.offer_terms
    for (s, i, t), qty in lines.items():
        offer = terms[(s, i)]
        qty = snap(qty, offer.order_multiple)
        if qty <= 0:
            continue
        rows.append((s, i, int(t) - offer.lead_time, int(t), qty, offer.unit_price, qty * offer.unit_price))
    frame = pd.DataFrame(rows, columns=ORDER_COLUMNS)
    frame = frame.sort_values(["arrival_period", "supplier", "item"], kind="stable").reset_index(drop=True)
    return frame.astype({"order_period": "int64", "arrival_period": "int64", "quantity": "float64"})


def snap(qty: float, mult: float) -> float:
    """Round a solver quantity to the nearest whole multiple (or to 1e-6 for any-quantity offers)."""
    if mult > 0:
        return round(round(qty / mult) * mult, 9)
    qty = round(qty, 6)
    return qty if qty > 0 else 0.0


def evaluate(data: PlanningData, orders: pd.DataFrame) -> Plan:
    """Simulate ``orders`` against the requirements and cost everything, from the orders alone.

    Stock is used as soon as it is there: backlog is served oldest first, and under lost_sales a
    requirement that cannot be met from stock in its period is lost.
    """
    orders = _with_dates(data, orders.reset_index(drop=True))
    inventory = _inventory(data, orders)
    deliveries = _deliveries(data, orders)
    utilisation = _utilisation(data, orders, inventory)
    costs = _costs(data, orders, inventory, deliveries)
    kpis = _kpis(data, orders, inventory, deliveries)
    extra = kpi_totals(data, orders, inventory, deliveries, utilisation)
    kpis.update((k, v) for k, v in extra.items() if k not in kpis)  # never change an existing key
    return Plan(orders, inventory, deliveries, utilisation, costs, kpis)


def _with_dates(data: PlanningData, orders: pd.DataFrame) -> pd.DataFrame:
    if not data.settings.has_dates:
        return orders
    orders = orders.copy()
    orders["order_date"] = [data.settings.period_start(int(t)) for t in orders["order_period"]]
    orders["arrival_date"] = [data.settings.period_start(int(t)) for t in orders["arrival_period"]]
    return orders


def _inventory(data: PlanningData, orders: pd.DataFrame) -> pd.DataFrame:
    items = list(data.items.index)
    T = data.T
    pos = {i: k for k, i in enumerate(items)}
    new = np.zeros((len(items), T))
    good = data.good_share  # only good parts are stock (1 − defect_rate)
    for s, i, t, q in zip(
        orders["supplier"], orders["item"], orders["arrival_period"], orders["quantity"], strict=False
    ):
        new[pos[i], t - 1] += q * good.get((s, i), 1.0)
    opened = np.zeros_like(new)
    for (i, t), q in data.open_receipts.items():
        opened[pos[i], t - 1] += q
    req = np.zeros_like(new)
    for (i, t), q in data.requirement.items():
        req[pos[i], t - 1] = q

    lost_sales = data.settings.stockout_policy == "lost_sales"
    opening = np.zeros_like(new)
    closing = np.zeros_like(new)
    backlog = np.zeros_like(new)
    lost = np.zeros_like(new)
    stock = data.items["on_hand"].to_numpy(dtype=float).copy()
    owed = np.zeros(len(items))
    for t in range(T):
        opening[:, t] = stock
        if lost_sales:
            available = stock + new[:, t] + opened[:, t]
            served = np.minimum(available, req[:, t])
            lost[:, t] = req[:, t] - served
            stock = available - served
        else:
            net = stock - owed + new[:, t] + opened[:, t] - req[:, t]
            stock = np.maximum(net, 0.0)
            owed = np.maximum(-net, 0.0)
        closing[:, t] = stock
        backlog[:, t] = owed

    ss = data.items["safety_stock"].to_numpy(dtype=float)[:, None]
    shortfall = np.maximum(ss - closing, 0.0)
    unmet = lost if lost_sales else np.minimum(req, backlog)
    frame = pd.DataFrame(
        {
            "item": np.repeat(items, T),
            "period": np.tile(np.arange(1, T + 1), len(items)),
            "opening": opening.ravel(),
            "receipts": new.ravel(),
            "open_receipts": opened.ravel(),
            "requirement": req.ravel(),
            "closing": _clean(closing.ravel()),
            "backlog": _clean(backlog.ravel()),
            "lost": _clean(lost.ravel()),
            "safety_stock": np.broadcast_to(ss, closing.shape).ravel(),
            "shortfall": _clean(shortfall.ravel()),
            "unmet_on_time": _clean(unmet.ravel()),
        }
    )
    if data.settings.has_dates:
        frame.insert(2, "date", [data.settings.period_start(int(t)) for t in frame["period"]])
    return frame


def _clean(values: np.ndarray) -> np.ndarray:
    """Drop float noise such as 1e-13 left by subtracting quantities."""
    values = np.round(values, 9)
    values[np.abs(values) < 1e-9] = 0.0
    return values


def _deliveries(data: PlanningData, orders: pd.DataFrame) -> pd.DataFrame:
    columns = ["supplier", "arrival_period", "lines", "quantity", "value", "delivery_cost"]
    if orders.empty:
        return pd.DataFrame(columns=columns)
    grouped = orders.groupby(["supplier", "arrival_period"], sort=True).agg(
        lines=("item", "size"), quantity=("quantity", "sum"), value=("line_value", "sum")
    )
    frame = grouped.reset_index()
    frame["delivery_cost"] = frame["supplier"].map(data.suppliers["delivery_cost"]).astype(float)
    frame = frame.sort_values(["arrival_period", "supplier"], kind="stable").reset_index(drop=True)
    if data.settings.has_dates:
        frame.insert(2, "arrival_date", [data.settings.period_start(int(t)) for t in frame["arrival_period"]])
    return frame


def _utilisation(data: PlanningData, orders: pd.DataFrame, inventory: pd.DataFrame) -> pd.DataFrame:
    rows = []
    terms = data.offer_terms
    limited = sorted({s for s, _ in data.supplier_capacity}, key=list(data.suppliers.index).index)
    if limited:
        use = orders.assign(
            use=[
                q * terms[(s, i)].capacity_per_unit + terms[(s, i)].capacity_per_order
                for s, i, q in zip(orders["supplier"], orders["item"], orders["quantity"], strict=True)
            ]
        )
        used = use.groupby(["supplier", "arrival_period"])["use"].sum().to_dict()
        for s in limited:
            for t in data.periods:
                rows.append((s, t, used.get((s, t), 0.0), data.supplier_capacity.get((s, t), math.inf)))
    if data.warehouse_capacity or data.settings.warehouse_capacity < math.inf:
        volume = inventory["item"].map(data.items["volume"]).astype(float) * inventory["closing"]
        stored = volume.groupby(inventory["period"]).sum().to_dict()
        for t in data.periods:
            rows.append(("warehouse", t, stored.get(t, 0.0), data.warehouse_capacity.get(t, math.inf)))
    frame = pd.DataFrame(rows, columns=["resource", "period", "used", "capacity"])
    frame["capacity"] = frame["capacity"].replace(math.inf, np.nan)
    frame["utilisation"] = frame["used"] / frame["capacity"]
    return frame


def _costs(
    data: PlanningData, orders: pd.DataFrame, inventory: pd.DataFrame, deliveries: pd.DataFrame
) -> dict[str, float]:
    items = data.items
    per_item = inventory["item"]
    costs = {
        "purchase_cost": float(orders["line_value"].sum()),
        "delivery_cost": float(deliveries["delivery_cost"].sum()),
        "order_cost": float(
            sum(
                data.offer_terms[(s, i)].order_cost
                for s, i in zip(orders["supplier"], orders["item"], strict=True)
            )
        ),
        "holding_cost": float((per_item.map(items["holding_cost"]) * inventory["closing"]).sum()),
    }
    pi = per_item.map(items["stockout_cost"])
    if data.settings.stockout_policy == "lost_sales":
        stockout = (pi * inventory["lost"]).sum()
    else:
        last = inventory["period"] == data.T
        stockout = (pi * inventory["backlog"]).sum() + (
            per_item[last].map(items["unit_cost"]) * inventory.loc[last, "backlog"]
        ).sum()
    costs["stockout_cost"] = float(stockout)
    costs["safety_cost"] = float((per_item.map(items["safety_stock_cost"]) * inventory["shortfall"]).sum())
    co2 = deliveries["supplier"].map(data.suppliers["co2_per_delivery"]).astype(float).sum()
    costs["carbon_cost"] = float(data.settings.carbon_price * (co2 + _storage_co2(data, inventory)))
    costs["total_cost"] = float(sum(costs[k] for k in COST_TERMS))
    return costs


def _kpis(
    data: PlanningData, orders: pd.DataFrame, inventory: pd.DataFrame, deliveries: pd.DataFrame
) -> dict[str, float]:
    value = inventory["item"].map(data.items["unit_cost"]).astype(float)
    requirement = float(inventory["requirement"].sum())
    unmet = float(inventory["unmet_on_time"].sum())
    stock_value = float((value * inventory["closing"]).sum())
    req_value = float((value * inventory["requirement"]).sum())
    T = data.T
    co2 = deliveries["supplier"].map(data.suppliers["co2_per_delivery"]).astype(float).sum()
    return {
        "deliveries": int(len(deliveries)),
        "order_lines": int(len(orders)),
        "service_level": 1.0 - unmet / requirement if requirement > 0 else 1.0,
        "inventory_to_sales": stock_value / req_value if req_value > 0 else 0.0,
        "average_inventory_value": stock_value / T,
        "average_order_size": float(orders["quantity"].mean()) if len(orders) else 0.0,
        "units_short_on_time": unmet,
        "backlog_at_end": float(inventory.loc[inventory["period"] == T, "backlog"].sum()),
        "transport_co2_kg": float(co2),
        "storage_co2_kg": _storage_co2(data, inventory),
        **_quality_kpis(data, orders),
    }


def _storage_co2(data: PlanningData, inventory: pd.DataFrame) -> float:
    """storage_co2_per_volume × Σ volume × closing stock (kg CO2e)."""
    factor = data.settings.storage_co2_per_volume
    if not factor:
        return 0.0
    volume = inventory["item"].map(data.items["volume"]).astype(float)
    return float(factor * (volume * inventory["closing"]).sum())


def _quality_kpis(data: PlanningData, orders: pd.DataFrame) -> dict[str, float]:
    """expected_defects = Σ defect_rate × quantity over the order lines, when any offer has defects."""
    good = data.good_share
    if not good:
        return {}
    rates = [1.0 - good.get((s, i), 1.0) for s, i in zip(orders["supplier"], orders["item"], strict=False)]
    return {"expected_defects": float(np.dot(rates, orders["quantity"].to_numpy(dtype=float)))}
