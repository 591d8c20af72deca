"""What-if variants of one workbook (nearshoring and the like): change the data, solve each, compare.

Each variant is the workbook's :class:`PlanningData` with a few changes — drop or add suppliers, change
lead times, capacities, prices or any setting — solved by the same :func:`planner.solve`. The changes
come from the Scenarios sheet (``scenario``, ``change``, ``target``, ``value``) or the command line
(``planner scenarios IN.xlsx --change NAME,CHANGE,TARGET,VALUE``). Rows of one scenario add up; the
variant ``base`` (the workbook as it is, without the suppliers that some variant adds) always comes first.

Changes (``target`` / ``value``):

- ``drop_supplier`` — supplier / —: the supplier and its offers leave (its open orders still arrive).
- ``add_supplier`` — supplier / —: a supplier that only takes part in the variants that add it.
- ``lead_time`` — supplier or supplier:item / periods: the offers' lead time.
- ``lead_time_add`` — supplier or supplier:item / periods: added to the lead time (may be negative).
- ``capacity`` — supplier or ``warehouse`` / capacity per period (blank = unlimited).
- ``capacity_factor`` — supplier or ``warehouse`` / factor applied to its capacity, overrides included.
- ``unit_price_factor`` — supplier or supplier:item / factor applied to the unit prices.
- ``delivery_cost``, ``co2_per_delivery`` — supplier / the new value.
- ``carbon_price`` — — / cost per kg CO2e.
- ``setting`` — a setting of the Settings sheet / its new value.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from planner.data import PlanningData
from planner.errors import InputError, Problem
from planner.schema import SETTINGS, WAREHOUSE, WHAT_IF_CHANGES, normalise

BASE = "base"
COMPARISON_KPIS = (
    "transport_co2_kg",
    "storage_co2_kg",
    "service_level",
    "average_inventory_value",
    "inventory_to_sales",
    "deliveries",
    "order_lines",
)


@dataclass(frozen=True)
class Change:
    """One row of the Scenarios sheet (or one ``--change``); ``row`` is its sheet row (0: command line)."""

    scenario: str
    change: str
    target: str = ""
    value: str = ""
    row: int = 0

    @property
    def where(self) -> tuple[str, int | None]:
        return ("Scenarios", self.row) if self.row else ("--change", None)


def changes_of(data: PlanningData) -> list[Change]:
    """The Scenarios sheet of ``data`` as changes."""
    return [
        Change(str(s), str(c), _text(t), _text(v), int(r))
        for s, c, t, v, r in zip(
            *(data.what_if[k] for k in ("scenario", "change", "target", "value", "row")), strict=False
        )
    ]


def parse_change(text: str) -> Change:
    """``NAME,CHANGE,TARGET,VALUE`` (TARGET and VALUE may be empty) as a command-line :class:`Change`."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or len(parts) > 4 or not parts[0]:
        raise ValueError(f"{text!r} is not NAME,CHANGE[,TARGET[,VALUE]]")
    parts += [""] * (4 - len(parts))
    matches = [c for c in WHAT_IF_CHANGES if normalise(c) == normalise(parts[1])]
    if not matches:
        raise ValueError(f"{parts[1]!r} is not a change: one of {', '.join(WHAT_IF_CHANGES)}")
    return Change(parts[0], matches[0], parts[2], parts[3])


def variants(data: PlanningData, changes: list[Change]) -> dict[str, PlanningData]:
    """``base`` and one PlanningData per scenario name, in order of first appearance.

    Suppliers named by an ``add_supplier`` anywhere are left out of every variant that does not add them.
    Raises :class:`InputError` listing every change that cannot be applied.
    """
    candidates = {c.target for c in changes if c.change == "add_supplier"}
    problems: list[Problem] = []
    for c in changes:
        if c.change == "add_supplier" and c.target not in data.suppliers.index:
            problems.append(_problem(c, "target", c.target, "is not a supplier in Suppliers"))
    names = [BASE] + list(dict.fromkeys(c.scenario for c in changes if c.scenario != BASE))
    out = {}
    for name in names:
        mine = [c for c in changes if c.scenario == name]
        added = {c.target for c in mine if c.change == "add_supplier"}
        variant = _drop_suppliers(data, candidates - added)
        for c in mine:
            try:
                variant = _APPLY[c.change](variant, c)
            except _Bad as bad:
                problems.append(_problem(c, bad.column, bad.value, bad.expected))
        out[name] = variant
    if problems:
        raise InputError(problems, data.source)
    return out


def compare(
    data: PlanningData,
    changes: list[Change],
    options=None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Solve every variant with :func:`planner.solve`; returns the Comparison and Changes tables."""
    from planner.solve import solve

    rows = []
    for name, variant in variants(data, changes).items():
        if progress is not None:
            progress(name)
        result = solve(variant, options, risk_report=False)
        row: dict[str, object] = {"scenario": name, "status": result.status.value}
        if result.plan is not None:
            row["total_cost"] = result.plan.costs["total_cost"]
            if variant.has_disruptions:
                row["expected_cost"] = _expected_cost(variant, result.plan.orders)
            row.update({k: v for k, v in result.plan.costs.items() if k != "total_cost"})
            row.update({k: result.plan.kpis.get(k) for k in COMPARISON_KPIS})
        row["gap"] = result.gap
        row["suppliers_used"] = (
            ", ".join(sorted(set(result.plan.orders["supplier"]))) if result.plan is not None else ""
        )
        rows.append(row)
    comparison = pd.DataFrame(rows)
    listed = pd.DataFrame(
        [(c.scenario, c.change, c.target, c.value, c.row or None) for c in changes],
        columns=["scenario", "change", "target", "value", "row"],
    )
    return {"Comparison": comparison, "Changes": listed}


def _expected_cost(data: PlanningData, orders: pd.DataFrame) -> float:
    """The plan's expected cost over the variant's disruption scenarios."""
    from planner.stochastic import evaluate_over, scenarios

    costs = evaluate_over(data, orders, scenarios(data))
    return float((costs["probability"] * costs["total_cost"]).sum())


def default_output(input_path: str | os.PathLike) -> str:
    """``<input name>-scenarios.xlsx`` beside the input."""
    from pathlib import Path

    path = Path(input_path)
    return str(path.with_name(f"{path.stem}-scenarios.xlsx"))


# --- the changes ---------------------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, column: str, value: object, expected: str) -> None:
        super().__init__(expected)
        self.column, self.value, self.expected = column, value, expected


def _problem(c: Change, column: str, value: object, expected: str) -> Problem:
    sheet, row = c.where
    return Problem(sheet, row, column, str(value), f"{expected} (scenario {c.scenario}, change {c.change})")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(c: Change, *, blank: float | None = None, whole: bool = False) -> float:
    if c.value == "" and blank is not None:
        return blank
    try:
        number = float(c.value)
    except ValueError:
        raise _Bad("value", c.value, "is not a number") from None
    if not math.isfinite(number) or (whole and not number.is_integer()):
        raise _Bad("value", c.value, "is not a whole number" if whole else "is not a finite number")
    return number


def _supplier(data: PlanningData, c: Change) -> str:
    if c.target not in data.suppliers.index:
        raise _Bad("target", c.target, "is not a supplier of this variant")
    return c.target


def _offers_of(data: PlanningData, c: Change) -> pd.Series:
    """Which offers a target names: all of a supplier's, or one ``supplier:item``."""
    index = data.offers.index
    if c.target in data.suppliers.index:
        return pd.Series(index.get_level_values(0) == c.target, index=index)
    supplier, _, item = c.target.partition(":")
    if (supplier, item) in index:
        return pd.Series([k == (supplier, item) for k in index], index=index)
    raise _Bad("target", c.target, "is neither a supplier nor supplier:item of an offer")


def _drop_suppliers(data: PlanningData, gone: set[str]) -> PlanningData:
    if not gone:
        return data
    offers = data.offers[~data.offers.index.get_level_values(0).isin(gone)]
    disruptions = data.disruptions[~data.disruptions["supplier"].isin(gone)].reset_index(drop=True)
    return dataclasses.replace(
        data, suppliers=data.suppliers.drop(index=list(gone)), offers=offers, disruptions=disruptions
    )


def _drop(data: PlanningData, c: Change) -> PlanningData:
    return _drop_suppliers(data, {_supplier(data, c)})


def _add(data: PlanningData, c: Change) -> PlanningData:
    return data  # handled in variants(): the supplier is simply not dropped


def _offer_column(column: str, how: str) -> Callable[[PlanningData, Change], PlanningData]:
    def apply(data: PlanningData, c: Change) -> PlanningData:
        which = _offers_of(data, c)
        value = _number(c, whole=column == "lead_time")
        offers = data.offers.copy()
        if how == "set":
            offers.loc[which, column] = value
        elif how == "add":
            offers.loc[which, column] = offers.loc[which, column] + value
        else:
            offers.loc[which, column] = offers.loc[which, column] * value
        if column == "lead_time":
            if (offers["lead_time"] < 0).any():
                raise _Bad("value", c.value, "makes a lead time negative")
            offers["lead_time"] = offers["lead_time"].astype("int64")
        return dataclasses.replace(data, offers=offers)

    return apply


def _supplier_column(column: str) -> Callable[[PlanningData, Change], PlanningData]:
    def apply(data: PlanningData, c: Change) -> PlanningData:
        supplier = _supplier(data, c)
        value = _number(c)
        if value < 0:
            raise _Bad("value", c.value, "is negative")
        suppliers = data.suppliers.copy()
        suppliers.loc[supplier, column] = value
        return dataclasses.replace(data, suppliers=suppliers)

    return apply


def _capacity(factor: bool) -> Callable[[PlanningData, Change], PlanningData]:
    def apply(data: PlanningData, c: Change) -> PlanningData:
        value = _number(c, blank=None if factor else math.inf)
        if value < 0:
            raise _Bad("value", c.value, "is negative")
        overrides = data.capacity_overrides.copy()
        if normalise(c.target) == WAREHOUSE:
            base = data.settings.warehouse_capacity
            new = base * value if factor else value
            settings = dataclasses.replace(data.settings, warehouse_capacity=new)
            mask = overrides["resource"] == WAREHOUSE
            overrides.loc[mask, "capacity"] = overrides.loc[mask, "capacity"] * value if factor else value
            return dataclasses.replace(data, settings=settings, capacity_overrides=overrides)
        supplier = _supplier(data, c)
        suppliers = data.suppliers.copy()
        suppliers.loc[supplier, "capacity"] = suppliers.loc[supplier, "capacity"] * value if factor else value
        mask = overrides["resource"] == supplier
        overrides.loc[mask, "capacity"] = overrides.loc[mask, "capacity"] * value if factor else value
        return dataclasses.replace(data, suppliers=suppliers, capacity_overrides=overrides)

    return apply


def _setting(data: PlanningData, c: Change, name: str | None = None) -> PlanningData:
    key = name or next((n for n in SETTINGS if normalise(n) == normalise(c.target)), None)
    if key is None or key in ("periods", "start_date", "period_length"):
        raise _Bad("target", c.target, "is not a setting a variant can change")
    column = SETTINGS[key]
    if column.kind in ("number", "whole"):
        value: object = _number(c, whole=column.kind == "whole")
        if column.minimum is not None and value < column.minimum:
            raise _Bad("value", c.value, f"is below {column.minimum:g}")
        value = int(value) if column.kind == "whole" else float(value)
    elif column.kind == "choice":
        value = next((ch for ch in column.choices if normalise(ch) == normalise(c.value)), None)
        if value is None:
            raise _Bad("value", c.value, f"is not one of: {', '.join(column.choices)}")
    else:
        value = c.value
    return dataclasses.replace(data, settings=dataclasses.replace(data.settings, **{key: value}))


_APPLY: dict[str, Callable[[PlanningData, Change], PlanningData]] = {
    "drop_supplier": _drop,
    "add_supplier": _add,
    "lead_time": _offer_column("lead_time", "set"),
    "lead_time_add": _offer_column("lead_time", "add"),
    "capacity": _capacity(factor=False),
    "capacity_factor": _capacity(factor=True),
    "unit_price_factor": _offer_column("unit_price", "scale"),
    "delivery_cost": _supplier_column("delivery_cost"),
    "co2_per_delivery": _supplier_column("co2_per_delivery"),
    "carbon_price": lambda data, c: _setting(data, c, "carbon_price"),
    "setting": _setting,
}
assert set(_APPLY) == set(WHAT_IF_CHANGES)
