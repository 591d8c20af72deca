from __future__ import annotations

from pathlib import Path

import pytest

import planner
from tests.checker import assert_plan_consistent
from tests.workbooks import Sheets, write_workbook


class Solved:
    """A tiny case solved end to end: the input file, the result and the checker's report."""

    def __init__(self, input_path: Path, output_path: Path, result: planner.Result, report) -> None:
        self.input_path = input_path
        self.output_path = output_path
        self.result = result
        self.report = report

    @property
    def cost(self) -> float:
        return self.result.total_cost

    @property
    def costs(self) -> dict[str, float]:
        return self.result.plan.costs


@pytest.fixture
def solve_case(tmp_path: Path):
    """Write the sheets, solve to proven optimality, write the result and audit it independently."""
    counter = iter(range(1000))

    def run(sheets: Sheets, **options) -> Solved:
        k = next(counter)
        source = write_workbook(tmp_path / f"case{k}.xlsx", sheets)
        data = planner.read_workbook(source)
        result = planner.solve(data, planner.SolveOptions(gap=0.0, time_limit=60, **options))
        assert result.status is planner.Status.OPTIMAL, result.message
        output = planner.write_result(result, planner.default_output(source), input_path=source)
        report = assert_plan_consistent(source, output)
        return Solved(source, output, result, report)

    return run
