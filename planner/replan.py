"""Re-planning inside a frozen fence: the previous plan's lines that arrive inside it become open orders.

A planner re-plans from what is true now: actual ``on_hand`` (Items) and the orders on their way
(OpenOrders), with ``frozen_periods`` F in Settings. The lines of the previous plan that arrive in
periods 1..F were released to the suppliers and cannot change: :func:`with_firm_orders` adds them to
the open orders (``planner solve --firm PREVIOUS-plan.xlsx``), and the fence keeps new orders out of
1..F (:func:`planner.model.fence.define_fence`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import openpyxl
import pandas as pd

from planner.data import PlanningData
from planner.errors import InputError, Problem, UnreadableFileError
from planner.schema import normalise


def read_firm_orders(data: PlanningData, plan_path: str | os.PathLike) -> pd.DataFrame:
    """The lines of a previous result workbook's Orders sheet that arrive inside the fence 1..F.

    A line's arrival is its ``arrival_date`` when both the plan and ``data`` have a calendar (so a plan
    made a week ago lands in the right period of this one), else its ``arrival_period``. Lines of
    suppliers or items ``data`` does not know are errors. Returns ``item``, ``period``, ``quantity``,
    ``supplier``, ``row`` (the Orders row), like ``data.open_orders``.
    """
    path = Path(plan_path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any failure to open is reported as one line
        raise UnreadableFileError(f"{path.name}: cannot be read as a result workbook ({error})") from None
    try:
        sheet = next((ws for ws in workbook.worksheets if normalise(ws.title) == "orders"), None)
        if sheet is None:
            missing = Problem("Orders", None, None, "", "sheet is missing from the previous plan")
            raise InputError([missing], path.name)
        values = sheet.iter_rows(values_only=True)
        header = [normalise(h) if h is not None else "" for h in next(values, ())]
        rows = [(k, dict(zip(header, cells, strict=False))) for k, cells in enumerate(values, start=2)]
    finally:
        workbook.close()

    fence = data.settings.frozen_periods
    problems: list[Problem] = []
    out = []
    for k, row in rows:
        if all(v is None for v in row.values()):
            continue
        supplier, item = str(row.get("supplier", "")).strip(), str(row.get("item", "")).strip()
        period = _period(data, row)
        if period is None or period > fence or period < 1:
            continue
        if supplier not in data.suppliers.index:
            unknown = "is not a supplier of the input workbook"
            problems.append(Problem("Orders", k, "supplier", supplier, unknown))
            continue
        if item not in data.items.index:
            problems.append(Problem("Orders", k, "item", item, "is not an item of the input workbook"))
            continue
        out.append((item, period, float(row.get("quantity") or 0.0), supplier, k))
    if problems:
        raise InputError(problems, path.name)
    frame = pd.DataFrame(out, columns=["item", "period", "quantity", "supplier", "row"])
    kinds = {"item": object, "period": "int64", "quantity": float, "supplier": object, "row": "int64"}
    return frame.astype(kinds)


def with_firm_orders(data: PlanningData, firm: pd.DataFrame) -> PlanningData:
    """``data`` with the firm lines added to its open orders (they arrive free, like any open order)."""
    if firm.empty:
        return data
    merged = pd.concat([data.open_orders, firm], ignore_index=True)
    return dataclasses.replace(data, open_orders=merged)


def _period(data: PlanningData, row: dict) -> int | None:
    day = row.get("arrivaldate")
    if data.settings.has_dates and isinstance(day, dt.date):
        day = day.date() if isinstance(day, dt.datetime) else day
        return data.settings.period_of(day)
    value = row.get("arrivalperiod")
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
