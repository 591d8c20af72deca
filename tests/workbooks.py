"""Tiny input workbooks for tests, written with openpyxl exactly as a planner would type them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

Sheets = dict[str, list[list]]


def as_frames(sheets: Sheets) -> dict:
    """``sheets`` as pandas DataFrames (name → frame), for the Python API: what a script would pass."""
    import pandas as pd

    return {name: pd.DataFrame(rows[1:], columns=rows[0]) for name, rows in sheets.items()}


def write_workbook(
    path: Path,
    sheets: Sheets,
    *,
    as_text: bool = False,
    edit: Callable[[openpyxl.Workbook], None] | None = None,
) -> Path:
    """Write ``sheets`` (name → rows, the first row the header) to ``path``.

    ``as_text``: text such as "=B" is typed as text (Excel's ' prefix), not as a formula.
    ``edit``: called with the workbook before it is saved, for what rows cannot say (hidden sheets,
    merged cells, ...).
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if as_text:
            for cells in ws.iter_rows():
                for cell in cells:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    if edit is not None:
        edit(wb)
    wb.save(path)
    return path


def one_item(
    *,
    demand: dict[int, float],
    price: float = 1.0,
    lead_time: int = 0,
    delivery_cost: float = 0.0,
    holding_cost: float | None = 0.0,
    stockout_cost: float | None = 1000.0,
    offer: dict | None = None,
    item: dict | None = None,
    supplier: dict | None = None,
    settings: dict | None = None,
    periods: int | None = None,
) -> Sheets:
    """One item ``A`` bought from one supplier ``S``: the base of most hand-worked cases."""
    item_cols = {"item": "A", "holding_cost": holding_cost, "stockout_cost": stockout_cost, **(item or {})}
    sup_cols = {"supplier": "S", "delivery_cost": delivery_cost, **(supplier or {})}
    offer_cols = {"supplier": "S", "item": "A", "unit_price": price, "lead_time": lead_time, **(offer or {})}
    settings = dict(settings or {})
    if periods is not None:
        settings["periods"] = periods
    sheets: Sheets = {
        "Items": table([item_cols]),
        "Suppliers": table([sup_cols]),
        "SupplierItems": table([offer_cols]),
        "Demand": [["item", "period", "quantity"]] + [["A", t, q] for t, q in demand.items()],
    }
    if settings:
        sheets["Settings"] = [["setting", "value"]] + [[k, v] for k, v in settings.items()]
    return sheets


def table(rows: list[dict]) -> list[list]:
    """Rows given as dicts → header + rows (columns in first-seen order, blanks as None)."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    return [header] + [[row.get(k) for k in header] for row in rows]
