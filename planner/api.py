"""The Python interface for planning scripts: the same functions the command line calls."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from planner.data import PlanningData
from planner.errors import PlannerWarning, Problem


def read_workbook(path: str | os.PathLike) -> PlanningData:
    """Read and validate an input workbook.

    Raises :class:`planner.InputError` listing every problem found, or
    :class:`planner.UnreadableFileError` when the file is not a workbook. Suspicious but legal input is
    reported as :class:`planner.PlannerWarning` warnings.
    """
    from planner.validate import load_workbook

    data, found = load_workbook(Path(path))
    _warn(found)
    return data


def from_frames(frames: dict[str, pd.DataFrame]) -> PlanningData:
    """Planning data from pandas tables named and shaped like the workbook's sheets — no Excel needed.

    ``frames`` maps sheet names (``"Items"``, ``"Suppliers"``, ``"SupplierItems"``, ``"Demand"``, ...)
    to DataFrames with the workbook's columns. Validated exactly like a workbook; rows in messages are
    numbered as if the frame were a sheet (first data row = row 2).
    """
    from planner.validate import validate

    data, found = validate(frames, source="frames")
    _warn(found)
    return data


def _warn(found: list[Problem]) -> None:
    for problem in found:
        warnings.warn(str(problem), PlannerWarning, stacklevel=3)
