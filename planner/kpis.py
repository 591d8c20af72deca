"""Key figures of a plan, per period and in total, derived from the plan's own tables.

:func:`totals` adds to the KPIs that :func:`planner.plan.evaluate` computes (it never changes an existing
key); :func:`by_period` is the KPIs sheet of the result workbook. Definitions, in a planner's words:

- ``inventory_value``: Σ unit_cost × closing stock at the end of the period — the capital tied up in stock.
- ``inventory_to_sales``: inventory value ÷ requirement value (unit_cost × requirement) of the period;
  in total, Σ inventory value ÷ Σ requirement value (the contract's definition).
- ``service_level``: 1 − units of requirement not met in their own period ÷ units required
  (the contract's definition; the unit fill rate).
- ``line_fill_rate``: requirement lines (one item in one period) met in full in their own period ÷
  requirement lines — how often a line of the production plan could start complete.
- ``average_order_size``: units per order line; ``average_order_value``: purchase value per order line.
- supplier and warehouse utilisation: used ÷ capacity of the limited resources (blank when none is limited).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.data import PlanningData

TOL = 1e-9


def totals(
    data: PlanningData,
    orders: pd.DataFrame,
    inventory: pd.DataFrame,
    deliveries: pd.DataFrame,
    utilisation: pd.DataFrame,
) -> dict[str, float]:
    """KPIs over the whole horizon that :func:`planner.plan.evaluate` does not compute itself."""
    T = max(data.T, 1)
    value = _stock_value(data, inventory).groupby(inventory["period"]).sum()
    needed = inventory["requirement"] > TOL
    lines = int(needed.sum())
    met = int((needed & (inventory["unmet_on_time"] <= TOL)).sum())
    suppliers = utilisation[utilisation["resource"] != "warehouse"]["utilisation"].dropna()
    warehouse = utilisation[utilisation["resource"] == "warehouse"]["utilisation"].dropna()
    return {
        "line_fill_rate": met / lines if lines else 1.0,
        "peak_inventory_value": float(value.max()) if len(value) else 0.0,
        "end_inventory_value": float(value.get(data.T, 0.0)),
        "average_order_value": float(orders["line_value"].sum() / len(orders)) if len(orders) else 0.0,
        "deliveries_per_period": len(deliveries) / T,
        "average_supplier_utilisation": _mean(suppliers),
        "peak_supplier_utilisation": _max(suppliers),
        "average_warehouse_utilisation": _mean(warehouse),
        "peak_warehouse_utilisation": _max(warehouse),
    }


def by_period(data: PlanningData, plan) -> pd.DataFrame:
    """The KPIs sheet: one row per period (``plan`` is a :class:`planner.plan.Plan`)."""
    inv, orders, deliveries, use = plan.inventory, plan.orders, plan.deliveries, plan.utilisation
    periods = pd.Index(list(data.periods), name="period")
    cost = inv["item"].map(data.items["unit_cost"]).astype(float)
    needed = inv["requirement"] > TOL
    frame = (
        pd.DataFrame(
            {
                "requirement": inv["requirement"],
                "requirement_value": cost * inv["requirement"],
                "inventory_value": cost * inv["closing"],
                "unmet": inv["unmet_on_time"],
                "lines": needed,
                "met_lines": needed & (inv["unmet_on_time"] <= TOL),
                "backlog_value": cost * inv["backlog"],
            }
        )
        .groupby(inv["period"])
        .sum()
        .reindex(periods, fill_value=0)
    )
    out = pd.DataFrame(index=periods)
    out["requirement_value"] = frame["requirement_value"]
    out["inventory_value"] = frame["inventory_value"]
    out["inventory_to_sales"] = _ratio(frame["inventory_value"], frame["requirement_value"])
    out["service_level"] = 1.0 - _ratio(frame["unmet"], frame["requirement"], empty=0.0)
    out["line_fill_rate"] = _ratio(frame["met_lines"].astype(float), frame["lines"].astype(float), empty=1.0)
    out["units_short"] = frame["unmet"]
    out["backlog_value"] = frame["backlog_value"]
    by_arrival = orders.groupby("arrival_period")
    out["order_lines"] = by_arrival.size().reindex(periods, fill_value=0).astype(int)
    out["deliveries"] = deliveries.groupby("arrival_period").size().reindex(periods, fill_value=0).astype(int)
    out["purchase_value"] = by_arrival["line_value"].sum().reindex(periods, fill_value=0.0)
    out["average_order_size"] = _ratio(
        by_arrival["quantity"].sum().reindex(periods, fill_value=0.0), out["order_lines"].astype(float)
    )
    suppliers = use[use["resource"] != "warehouse"]
    if len(suppliers):
        out["peak_supplier_utilisation"] = suppliers.groupby("period")["utilisation"].max().reindex(periods)
    warehouse = use[use["resource"] == "warehouse"].set_index("period")
    if len(warehouse):
        out["warehouse_used"] = warehouse["used"].reindex(periods)
        out["warehouse_capacity"] = warehouse["capacity"].reindex(periods)
        out["warehouse_utilisation"] = warehouse["utilisation"].reindex(periods)
    out = out.reset_index()
    if data.settings.has_dates:
        out.insert(1, "date", [data.settings.period_start(int(t)) for t in out["period"]])
    return out


def delivery_calendar(data: PlanningData, plan) -> pd.DataFrame:
    """Value delivered per period (rows) and supplier (columns), the suppliers in Suppliers order."""
    periods = pd.Index(list(data.periods), name="period")
    delivering = set(plan.deliveries["supplier"])
    used = [s for s in data.suppliers.index if s in delivering]
    if len(plan.deliveries):
        pivot = plan.deliveries.pivot_table(
            index="arrival_period", columns="supplier", values="value", aggfunc="sum", fill_value=0.0
        )
    else:
        pivot = pd.DataFrame(index=periods)
    pivot = pivot.reindex(index=periods, columns=used, fill_value=0.0).astype(float)
    pivot.columns = [_column_name(str(s)) for s in used]
    out = pivot.reset_index()
    if data.settings.has_dates:
        out.insert(1, "date", [data.settings.period_start(int(t)) for t in out["period"]])
    return out


def _column_name(supplier: str) -> str:
    return f"{supplier} (supplier)" if supplier in ("period", "date") else supplier


def _stock_value(data: PlanningData, inventory: pd.DataFrame) -> pd.Series:
    return inventory["item"].map(data.items["unit_cost"]).astype(float) * inventory["closing"]


def _ratio(top: pd.Series, bottom: pd.Series, empty: float = math.nan) -> pd.Series:
    bottom = bottom.astype(float)
    return pd.Series(np.where(bottom > TOL, top / bottom.where(bottom > TOL, 1.0), empty), index=top.index)


def _mean(values: pd.Series) -> float:
    return float(values.mean()) if len(values) else math.nan


def _max(values: pd.Series) -> float:
    return float(values.max()) if len(values) else math.nan
