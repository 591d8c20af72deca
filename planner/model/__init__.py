"""The order-planning MILP, one module per family of rules.

:func:`build_model` reads like the model's table of contents: each ``define_*`` call adds the variables
and constraints of one family, and each states its formula in its docstring. Components are indexed by
the labels of the input workbook (supplier, item, period), so a report about a constraint points at a
row of the workbook.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data import PlanningData
from planner.model.carbon import define_carbon
from planner.model.deliveries import define_deliveries
from planner.model.demand_cover import define_demand_cover
from planner.model.disruptions import define_scenarios
from planner.model.fence import define_fence
from planner.model.inventory import define_inventory_balance
from planner.model.objective import define_objective
from planner.model.options import ModelOptions
from planner.model.order_lines import define_order_lines
from planner.model.safety_stock import define_safety_stock
from planner.model.sets import define_sets
from planner.model.supplier_capacity import define_supplier_capacity
from planner.model.useful_quantity import define_useful_quantity
from planner.model.warehouse import define_warehouse_capacity

__all__ = ["ModelOptions", "build_model"]


def build_model(data: PlanningData, options: ModelOptions | None = None) -> pyo.ConcreteModel:
    """Build the order-planning MILP of ``data`` (see docs/model.md for the whole formulation).

    ``options`` chooses the optional strengthening families (:class:`ModelOptions`; default: all on).
    """
    options = options or ModelOptions()
    m = pyo.ConcreteModel(name="planner")
    define_sets(m, data, options.big_m)
    define_order_lines(m, data)
    define_deliveries(m, data)
    define_inventory_balance(m, data)
    define_supplier_capacity(m, data)
    define_warehouse_capacity(m, data)
    define_safety_stock(m, data)
    if options.demand_cover:
        define_demand_cover(m, data, options.cover_horizon, options.cover_budget)
    if options.useful_quantity:
        define_useful_quantity(m, data)
    define_objective(m, data)
    define_fence(m, data)
    define_carbon(m, data)
    define_scenarios(m, data)
    return m
