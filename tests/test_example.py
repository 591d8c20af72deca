"""The shipped example: it solves to proven optimality, and the independent checker agrees with it."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import pytest

import planner
from tests.checker import assert_plan_consistent

ROOT = Path(__file__).resolve().parents[1]


def test_the_example_plant_solves_to_proven_optimality_and_passes_the_checker(tmp_path):
    source = tmp_path / "plant.xlsx"
    shutil.copy(ROOT / "examples" / "plant.xlsx", source)
    data = planner.read_workbook(source)
    assert len(data.items) >= 30 and len(data.suppliers) == 5 and data.T == 12
    result = planner.solve(data, planner.SolveOptions(time_limit=120))
    assert result.status is planner.Status.OPTIMAL, result.message
    assert result.plan.kpis["service_level"] == pytest.approx(1.0)
    output = planner.write_result(result, tmp_path / "plant-plan.xlsx", input_path=source)
    assert_plan_consistent(source, output, kpis=True)


def test_the_embedding_script_runs(capsys):
    runpy.run_path(str(ROOT / "examples" / "embed.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("optimal: total cost")
