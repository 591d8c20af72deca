"""A planning script that embeds planner: data from pandas tables, plan back as pandas tables.

Run: python examples/embed.py
"""

from __future__ import annotations

import pandas as pd

import planner

# Two components of a small assembly, bought from a local distributor or a cheaper far supplier.
frames = {
    "Settings": pd.DataFrame({"setting": ["periods", "annual_holding_rate"], "value": [8, 0.25]}),
    "Items": pd.DataFrame(
        {"item": ["housing", "gasket"], "on_hand": [40, 300], "stockout_cost": [200.0, 5.0], "volume": [0.02, 0.0]}
    ),
    "Suppliers": pd.DataFrame({"supplier": ["local", "far"], "delivery_cost": [40.0, 450.0]}),
    "SupplierItems": pd.DataFrame(
        {
            "supplier": ["local", "local", "far"],
            "item": ["housing", "gasket", "housing"],
            "unit_price": [21.0, 0.35, 16.5],
            "lead_time": [1, 0, 3],
            "min_order": [0, 500, 200],
            "order_multiple": [1, 100, 50],
        }
    ),
    "ProductionPlan": pd.DataFrame(
        {"product": ["pump"] * 8, "period": range(1, 9), "quantity": [30, 30, 40, 50, 50, 40, 60, 60]}
    ),
    "BOM": pd.DataFrame({"product": ["pump", "pump"], "item": ["housing", "gasket"], "quantity_per": [1, 4]}),
}

data = planner.from_frames(frames)
result = planner.solve(data, planner.SolveOptions(time_limit=30, gap=0.0))
print(f"{result.status}: total cost {result.total_cost:,.2f} (gap {result.gap:.2%})")
print(result.orders.to_string(index=False))
weekly_stock = result.inventory.pivot(index="period", columns="item", values="closing")
print(weekly_stock.to_string())
