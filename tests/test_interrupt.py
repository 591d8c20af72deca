"""Time limits, Ctrl-C and internal errors: the planner stops cleanly and says what it did.

- Ctrl-C during the search stops HiGHS at its next check; the best plan so far is written, marked
  feasible with its gap (exit 5). Before any plan there is nothing to write (exit 4).
- The time limit covers the model build: a build that eats the whole limit ends the run there; a search
  that runs past the limit (HiGHS can overshoot in presolve) is stopped by us.
- An unexpected exception is a short message asking for a report (exit 1), never a traceback.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.cli import EXIT_FEASIBLE, EXIT_INTERNAL, EXIT_NO_PLAN, main
from planner.model import build_model
from planner.solve import new_highs, run_interruptibly, to_highs
from tests.workbooks import one_item, write_workbook

solve_module = importlib.import_module("planner.solve")

ROOT = Path(__file__).resolve().parents[1]
HARD = ROOT / "instances" / "tr6-30.xlsx"
"""A small lot-sizing instance whose search runs for minutes: a plan comes early, the proof late."""


def _start(source: Path, output: Path, limit: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner",
            "solve",
            str(source),
            "-o",
            str(output),
            "--time-limit",
            str(limit),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(process: subprocess.Popen, needle: str, timeout: float) -> str:
    """Read stderr until a line containing ``needle`` (progress lines come on stderr)."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return "".join(seen)
    process.kill()
    pytest.fail(f"no {needle!r} within {timeout} s:\n{''.join(seen)}")


def test_ctrl_c_during_the_search_writes_the_best_plan_marked_feasible(tmp_path):
    output = tmp_path / "plan.xlsx"
    process = _start(HARD, output, limit=120)
    _wait_for(process, "%", timeout=90)  # a progress line with a plan, a bound and a gap: the search is on
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=90)
    assert process.returncode == EXIT_FEASIBLE, out + err
    assert time.monotonic() - started < 60
    assert "Traceback" not in err and "interrupted" in out
    assert "Ctrl-C pressed" not in out  # highspy's own handler would print this into the summary
    summary = {
        row[0]: row[1] for row in openpyxl.load_workbook(output)["Summary"].iter_rows(values_only=True)
    }
    assert summary["status"] == "feasible"
    assert "interrupted" in summary["message"]
    assert summary["gap"] is not None and summary["gap"] >= 0


def test_ctrl_c_before_any_plan_is_exit_4_and_writes_nothing(tmp_path, capsys, monkeypatch):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("planner.cli.solve", interrupted)
    assert main(["solve", str(source)]) == EXIT_NO_PLAN
    err = capsys.readouterr().err
    assert "interrupted before a plan was found: nothing written" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_an_internal_error_asks_for_a_report_without_a_traceback(tmp_path, capsys, monkeypatch):
    source = write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3}))

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("planner.cli.solve", broken)
    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    assert main(["solve", str(source)]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "internal error (ZeroDivisionError: division by zero)" in err and "please report it" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_build_that_eats_the_time_limit_ends_the_run(tmp_path, monkeypatch):
    data = planner.read_workbook(write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3})))
    slow_build = solve_module.build_model

    def slow(*args, **kwargs):
        time.sleep(1.2)
        return slow_build(*args, **kwargs)

    monkeypatch.setattr(solve_module, "build_model", slow)
    monkeypatch.setattr(
        solve_module, "to_highs", lambda model: pytest.fail("handed off after the time limit")
    )
    result = planner.solve(data, planner.SolveOptions(time_limit=1.0))
    assert result.status is planner.Status.NO_SOLUTION
    assert "time limit (1 s) ran out while building the model" in result.message
    assert result.timings["total"] < 3


def test_a_search_past_its_deadline_is_stopped(tmp_path):
    """HiGHS's own limit is set far away here; the deadline alone must stop it."""
    data = planner.read_workbook(HARD)
    highs, _, _ = to_highs(build_model(data))
    highs.setOptionValue("time_limit", 600.0)
    highs.setOptionValue("random_seed", 0)
    started = time.perf_counter()
    stopped_by = run_interruptibly(highs, deadline=started + 1.5)
    assert stopped_by == "deadline"
    assert time.perf_counter() - started < 20
    assert highs.getModelStatus() == solve_module.highspy.HighsModelStatus.kInterrupt


def test_time_limit_is_passed_to_highs_after_the_build():
    highs = new_highs()
    solve_module._configure(highs, 7.5, 0.01, planner.SolveOptions(seed=3))
    assert highs.getOptionValue("time_limit")[1] == 7.5
    assert highs.getOptionValue("mip_rel_gap")[1] == 0.01
    assert highs.getOptionValue("random_seed")[1] == 3


def test_highs_gets_the_time_left_after_the_build(tmp_path, monkeypatch):
    data = planner.read_workbook(write_workbook(tmp_path / "plan.xlsx", one_item(demand={1: 3})))
    real_build, real_configure = solve_module.build_model, solve_module._configure
    limits = []

    def slow(*args, **kwargs):
        time.sleep(1.0)
        return real_build(*args, **kwargs)

    def configure(highs, time_limit, gap, options):
        limits.append(time_limit)
        real_configure(highs, time_limit, gap, options)

    monkeypatch.setattr(solve_module, "build_model", slow)
    monkeypatch.setattr(solve_module, "_configure", configure)
    result = planner.solve(data, planner.SolveOptions(time_limit=5.0))
    assert result.status is planner.Status.OPTIMAL
    assert 1.0 <= limits[-1] <= 4.0  # what is left of the 5 s after a build of 1 s (and the hand-off)
