"""Write a workbook given as one pandas DataFrame per sheet (openpyxl, no styling)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook


def _cell(value: object) -> object:
    """A value openpyxl can store: numpy scalars as Python, NaN/None/NaT as an empty cell, whole floats
    as int (so 40.0 is written as 40)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def write_workbook(frames: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write each frame to a sheet named by its key, in order: header on row 1, data from row 2."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in frames.items():
        ws = wb.create_sheet(title=name)
        ws.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
        for k, col in enumerate(frame.columns, start=1):
            if any(isinstance(v, dt.date) for v in frame[col]):  # wide enough to show a date, not ####
                ws.column_dimensions[ws.cell(row=1, column=k).column_letter].width = 12
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
