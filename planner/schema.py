"""The input workbook described once, as data: its sheets, their columns, and the known settings.

Reading (:mod:`planner.read`), validation (:mod:`planner.validate`), the blank template and the
documentation all come from this description; no sheet name, column name or default is spelled
anywhere else. The words follow docs/workbook.md.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from planner.data import PERIOD_LENGTHS, STOCKOUT_POLICIES, Settings

KINDS = ("id", "text", "number", "whole", "period", "date", "choice")
"""What a cell may hold: an id (text; a number like 1001 becomes "1001"), free text, a number,
a whole number, a period (a whole number 1..T, or a date when Settings give a calendar), a date, or
one of a list of choices."""

STOCKOUT_COST_FACTOR = 10
"""Default stockout_cost as a multiple of unit_cost: a shortage is assumed to cost ten times the part."""

INSTRUCTIONS = "Instructions"
"""The help sheet of the template: the reader skips it without a warning."""

WAREHOUSE = "warehouse"
"""The resource name in the Capacity sheet that means the warehouse rather than a supplier."""


def normalise(name: object) -> str:
    """The form in which sheet names, headers and setting names are compared.

    Lowercase, without surrounding spaces, and without spaces, underscores or hyphens anywhere:
    ``normalise(" Lead Time") == normalise("lead_time") == normalise("Lead-Time") == "leadtime"``.
    """
    return re.sub(r"[\s_\-]+", "", str(name).strip().lower())


@dataclass(frozen=True)
class Derived:
    """A default computed from other values; ``rule`` says how, in a planner's words."""

    rule: str

    def __str__(self) -> str:
        return self.rule


@dataclass(frozen=True)
class Column:
    """One column of a sheet (or one setting of the Settings sheet).

    ``default`` is what a blank cell means: a value, ``math.inf`` for "unlimited / none", a
    :class:`Derived` rule, or ``None`` (no value: blank text, or no setting). ``unit`` is for people
    (template comments, docs, messages); ``minimum`` the smallest value allowed.
    """

    name: str
    kind: str
    unit: str | None = None
    default: object = None
    required: bool = False
    minimum: float | None = None
    choices: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: unknown kind {self.kind!r}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"column {self.name}: choices go with kind 'choice', and only there")

    @property
    def default_text(self) -> str:
        """The default as the template and the docs show it."""
        if self.required:
            return "required"
        if isinstance(self.default, float) and math.isinf(self.default):
            return "blank = unlimited"
        if self.default is None:
            return "none"
        return str(self.default)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the input workbook.

    ``key`` names the columns whose values may appear together at most once (duplicates are errors).
    With ``keep_other_columns`` the sheet's unknown columns are kept as descriptive columns instead of
    being ignored with a warning (Suppliers: name, region, distance, ...).
    """

    name: str
    columns: tuple[Column, ...]
    required: bool = False
    key: tuple[str, ...] = ()
    description: str = ""
    keep_other_columns: bool = False

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


WHAT_IF_CHANGES = (
    "drop_supplier",
    "add_supplier",
    "lead_time",
    "lead_time_add",
    "capacity",
    "capacity_factor",
    "unit_price_factor",
    "delivery_cost",
    "co2_per_delivery",
    "carbon_price",
    "setting",
)
"""The changes a row of the Scenarios sheet can make (see :mod:`planner.scenarios`)."""

_MONEY = "currency"
_ID_HINT = "Text; a number such as 1001 is read as the id 1001."


def _setting_default(name: str) -> object:
    """The default of a setting, as the Settings dataclass states it (spelled there once)."""
    return {f.name: f.default for f in dataclasses.fields(Settings)}[name]


SETTINGS: dict[str, Column] = {
    c.name: c
    for c in (
        Column(
            "periods",
            "whole",
            unit="periods",
            minimum=1,
            default=Derived("the last period with a requirement"),
            description="The planning horizon T: the plan covers periods 1..T.",
        ),
        Column(
            "start_date",
            "date",
            default=_setting_default("start_date"),
            description="The first day of period 1. With period_length, period cells may hold dates.",
        ),
        Column(
            "period_length",
            "choice",
            choices=PERIOD_LENGTHS,
            default=_setting_default("period_length"),
            description="How long one period is. Without it, holding costs assume weeks.",
        ),
        Column(
            "warehouse_capacity",
            "number",
            unit="volume",
            minimum=0,
            default=_setting_default("warehouse_capacity"),
            description="Storage volume available at the end of each period (items' volume × stock).",
        ),
        Column(
            "stockout_policy",
            "choice",
            choices=STOCKOUT_POLICIES,
            default=_setting_default("stockout_policy"),
            description="backlog: an unmet requirement waits and is met later; "
            "lost_sales: it is lost, at stockout_cost per unit.",
        ),
        Column(
            "annual_holding_rate",
            "number",
            unit="share of unit_cost/year",
            minimum=0,
            default=_setting_default("annual_holding_rate"),
            description="Yearly carrying cost as a share of unit_cost (0.2 = 20 %), "
            "used where an item has no holding_cost.",
        ),
        Column(
            "time_limit",
            "number",
            unit="seconds",
            minimum=0,
            default=_setting_default("time_limit"),
            description="Seconds the solver may search; the best plan found by then is returned.",
        ),
        Column(
            "mip_gap",
            "number",
            minimum=0,
            default=_setting_default("mip_gap"),
            description="Relative gap between the plan's cost and the lower bound at which the solver may "
            "stop (0.0001 = 0.01 %).",
        ),
        Column(
            "currency",
            "text",
            default=_setting_default("currency"),
            description="Label for the money columns of the result, e.g. EUR.",
        ),
        Column(
            "carbon_price",
            "number",
            unit=f"{_MONEY}/kg CO2e",
            minimum=0,
            default=_setting_default("carbon_price"),
            description="Cost per kg CO2e of deliveries (see co2_per_delivery in Suppliers).",
        ),
        Column(
            "storage_co2_per_volume",
            "number",
            unit="kg CO2e/volume/period",
            minimum=0,
            default=_setting_default("storage_co2_per_volume"),
            description="Emissions of storing one unit of volume for one period (end-of-period stock × "
            "volume), priced by carbon_price like deliveries.",
        ),
        Column(
            "carbon_cap",
            "number",
            unit="kg CO2e",
            minimum=0,
            default=_setting_default("carbon_cap"),
            description="Most CO2e the plan may emit over the horizon (deliveries + storage); a hard limit.",
        ),
        Column(
            "scenarios",
            "whole",
            unit="scenarios",
            minimum=1,
            default=_setting_default("scenarios"),
            description="With a Disruptions sheet: every combination of disruptions is a scenario when there "
            "are at most this many combinations, else this many are drawn at random (fixed seed).",
        ),
        Column(
            "scenario_seed",
            "whole",
            minimum=0,
            default=_setting_default("scenario_seed"),
            description="Seed of the random draw of disruption scenarios (same seed, same scenarios).",
        ),
        Column(
            "cvar_alpha",
            "number",
            minimum=0,
            default=_setting_default("cvar_alpha"),
            description="Level of the risk measure CVaR: the average cost of the worst 1 − cvar_alpha "
            "share of scenarios (0.95 = worst 5 %). Below 1.",
        ),
        Column(
            "cvar_weight",
            "number",
            minimum=0,
            default=_setting_default("cvar_weight"),
            description="Weight of CVaR added to the expected cost (0 = minimise expected cost only).",
        ),
        Column(
            "frozen_periods",
            "whole",
            unit="periods",
            minimum=0,
            default=_setting_default("frozen_periods"),
            description="Frozen fence F: in periods 1..F no new order may arrive, only open orders.",
        ),
    )
}
"""The known settings of the Settings sheet, described like columns (each value is a cell of that kind)."""


def _period(description: str) -> Column:
    return Column("period", "period", required=True, description=description)


_PERIOD_TEXT = "A period number 1..T, or a date when Settings give start_date and period_length."

_SHEET_LIST = (
    Sheet(
        "Settings",
        (
            Column("setting", "id", required=True, description="The name of a setting, e.g. periods."),
            Column(
                "value",
                "text",
                required=True,
                description="The value of the setting; what it may be depends on the setting.",
            ),
        ),
        key=("setting",),
        description="Optional settings, one per row: horizon, calendar, warehouse, costs, solver.",
    ),
    Sheet(
        "Items",
        (
            Column("item", "id", required=True, description=f"The item's id. {_ID_HINT}"),
            Column("description", "text", description="What the item is; kept for the result."),
            Column("unit", "text", description="The unit its quantities are counted in, e.g. pcs or kg."),
            Column(
                "unit_cost",
                "number",
                unit=f"{_MONEY}/unit",
                minimum=0,
                default=Derived("the lowest unit_price it is offered at, 0 if none"),
                description="The value of one unit, used for holding costs, stock value and what is still "
                "owed at the end.",
            ),
            Column(
                "holding_cost",
                "number",
                unit=f"{_MONEY}/unit/period",
                minimum=0,
                default=Derived(
                    "annual_holding_rate × unit_cost ÷ periods per year (52 for weeks or no period_length, "
                    "12 for months, 365 for days)"
                ),
                description="Cost of one unit on hand at the end of a period.",
            ),
            Column(
                "stockout_cost",
                "number",
                unit=f"{_MONEY}/unit/period",
                minimum=0,
                default=Derived(f"{STOCKOUT_COST_FACTOR} × unit_cost"),
                description="Cost of one unit of requirement not met, per period it waits (backlog) or once "
                "when lost (lost_sales).",
            ),
            Column(
                "on_hand",
                "number",
                unit="units",
                minimum=0,
                default=0,
                description="Stock at the start of period 1.",
            ),
            Column(
                "safety_stock",
                "number",
                unit="units",
                minimum=0,
                default=0,
                description="Soft floor on end-of-period stock; falling below it costs safety_stock_cost.",
            ),
            Column(
                "safety_stock_cost",
                "number",
                unit=f"{_MONEY}/unit/period",
                minimum=0,
                default=Derived("stockout_cost"),
                description="Cost of one unit below safety_stock at the end of a period.",
            ),
            Column(
                "volume",
                "number",
                unit="volume/unit",
                minimum=0,
                default=0,
                description="Storage volume of one unit.",
            ),
        ),
        required=True,
        key=("item",),
        description="One row per purchased item (material, component).",
    ),
    Sheet(
        "Suppliers",
        (
            Column("supplier", "id", required=True, description=f"The supplier's id. {_ID_HINT}"),
            Column(
                "delivery_cost",
                "number",
                unit=f"{_MONEY}/delivery",
                minimum=0,
                default=0,
                description="Fixed cost of each delivery: one supplier, one arrival period, however many "
                "items.",
            ),
            Column(
                "capacity",
                "number",
                unit="capacity/period",
                minimum=0,
                default=math.inf,
                description="What the supplier can deliver per arrival period over all its items (in units, "
                "unless capacity_per_unit / capacity_per_order in SupplierItems say otherwise).",
            ),
            Column(
                "co2_per_delivery",
                "number",
                unit="kg CO2e",
                minimum=0,
                default=0,
                description="Emissions of one delivery, priced by carbon_price in Settings.",
            ),
        ),
        required=True,
        key=("supplier",),
        description="One row per supplier. Other columns (name, region, distance, ...) are kept and ignored.",
        keep_other_columns=True,
    ),
    Sheet(
        "SupplierItems",
        (
            Column("supplier", "id", required=True, description="A supplier of the Suppliers sheet."),
            Column("item", "id", required=True, description="An item of the Items sheet."),
            Column(
                "unit_price",
                "number",
                unit=f"{_MONEY}/unit",
                required=True,
                minimum=0,
                description="Price of one unit from this supplier.",
            ),
            Column(
                "lead_time",
                "whole",
                unit="periods",
                minimum=0,
                default=0,
                description="Periods from order to arrival (0 = arrives in the period it is ordered).",
            ),
            Column(
                "min_order",
                "number",
                unit="units",
                minimum=0,
                default=0,
                description="Smallest quantity of an order line.",
            ),
            Column(
                "order_multiple",
                "number",
                unit="units",
                minimum=0,
                default=1,
                description="The quantity is a whole multiple of this (1 = whole units; 0 = any quantity).",
            ),
            Column(
                "max_order",
                "number",
                unit="units",
                minimum=0,
                default=math.inf,
                description="Largest quantity of an order line.",
            ),
            Column(
                "order_cost",
                "number",
                unit=f"{_MONEY}/order line",
                minimum=0,
                default=0,
                description="Fixed cost of each order line of this item from this supplier.",
            ),
            Column(
                "capacity",
                "number",
                unit="units/period",
                minimum=0,
                default=math.inf,
                description="Units of this item the supplier can deliver per arrival period.",
            ),
            Column(
                "capacity_per_unit",
                "number",
                unit="capacity/unit",
                minimum=0,
                default=1,
                description="Supplier capacity used by one unit, e.g. machine hours per unit.",
            ),
            Column(
                "capacity_per_order",
                "number",
                unit="capacity/order line",
                minimum=0,
                default=0,
                description="Supplier capacity used by each order line, e.g. changeover hours.",
            ),
            Column(
                "defect_rate",
                "number",
                unit="share",
                minimum=0,
                default=0,
                description="Share of delivered parts that are defective (0.02 = 2 %); only good parts are "
                "stock. Below 1.",
            ),
        ),
        required=True,
        key=("supplier", "item"),
        description="One row per offer: which supplier sells which item, on what terms.",
    ),
    Sheet(
        "Demand",
        (
            Column("item", "id", required=True, description="An item of the Items sheet."),
            _period(_PERIOD_TEXT),
            Column("quantity", "number", unit="units", required=True, minimum=0, description="Units needed."),
        ),
        description="Direct requirements of items per period; repeated rows add up. "
        "Needed unless ProductionPlan and BOM are given.",
    ),
    Sheet(
        "ProductionPlan",
        (
            Column("product", "id", required=True, description="A product with rows in BOM."),
            _period(_PERIOD_TEXT),
            Column(
                "quantity",
                "number",
                unit="units of product",
                required=True,
                minimum=0,
                description="Units of the product made in the period.",
            ),
        ),
        description="The production schedule, turned into item requirements through BOM; "
        "repeated rows add up.",
    ),
    Sheet(
        "BOM",
        (
            Column("product", "id", required=True, description="A product of ProductionPlan."),
            Column("item", "id", required=True, description="An item of the Items sheet."),
            Column(
                "quantity_per",
                "number",
                unit="units/product",
                required=True,
                minimum=0,
                description="Units of the item needed for one unit of the product.",
            ),
        ),
        key=("product", "item"),
        description="Bill of materials: the items each product of ProductionPlan needs.",
    ),
    Sheet(
        "OpenOrders",
        (
            Column("item", "id", required=True, description="An item of the Items sheet."),
            _period("The period the order arrives in: a number 1..T, or a date."),
            Column("quantity", "number", unit="units", required=True, minimum=0, description="Units due."),
            Column("supplier", "id", description="The supplier, when known (a supplier of Suppliers)."),
        ),
        description="Receipts already ordered (firm, in transit): they cost nothing and use no capacity.",
    ),
    Sheet(
        "Capacity",
        (
            Column(
                "resource",
                "id",
                required=True,
                description=f'A supplier of Suppliers, or "{WAREHOUSE}" for the warehouse.',
            ),
            _period(_PERIOD_TEXT),
            Column(
                "capacity",
                "number",
                unit="capacity",
                required=True,
                minimum=0,
                description="The capacity of the resource in that period, instead of its usual one.",
            ),
        ),
        key=("resource", "period"),
        description="Per-period capacity overrides for suppliers and the warehouse.",
    ),
    Sheet(
        "Disruptions",
        (
            Column("supplier", "id", required=True, description="A supplier of Suppliers."),
            Column(
                "item",
                "id",
                description="An item the supplier offers; blank = every item of the supplier.",
            ),
            Column(
                "from_period",
                "period",
                default=1,
                description="First arrival period the disruption may hit (a number, or a date).",
            ),
            Column(
                "to_period",
                "period",
                default=Derived("the last period T"),
                description="Last arrival period the disruption may hit (a number, or a date).",
            ),
            Column(
                "probability",
                "number",
                unit="share",
                required=True,
                minimum=0,
                description="Chance that the disruption happens (0..1), independent of the other rows.",
            ),
            Column(
                "delay",
                "whole",
                unit="periods",
                minimum=0,
                default=0,
                description="When it happens, order lines due in the window arrive this many periods later.",
            ),
            Column(
                "capacity_factor",
                "number",
                unit="share",
                minimum=0,
                default=1,
                description="When it happens, only this share of each line due in the window is delivered "
                "(and paid); 1 = all of it.",
            ),
        ),
        description="Possible supply disruptions; with this sheet the plan minimises the expected cost over "
        "disruption scenarios.",
    ),
    Sheet(
        "Scenarios",
        (
            Column("scenario", "id", required=True, description="Name of the variant; its rows add up."),
            Column(
                "change",
                "choice",
                required=True,
                choices=WHAT_IF_CHANGES,
                description="What the variant changes (see docs/workbook.md).",
            ),
            Column("target", "id", description="What it changes: a supplier, supplier:item, or a setting."),
            Column("value", "text", description="The new value (blank where none is needed)."),
        ),
        description="What-if variants of this workbook for `planner scenarios` (ignored by `planner solve`).",
    ),
)

SHEETS: dict[str, Sheet] = {sheet.name: sheet for sheet in _SHEET_LIST}
"""The sheets of the input workbook in the order of docs/workbook.md, by their contract names."""

REQUIREMENT_SHEETS = ("Demand", "ProductionPlan", "BOM")
"""Where requirements come from: Demand, or ProductionPlan with BOM (or all three)."""
