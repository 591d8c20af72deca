"""The command line: exit codes, messages, and what is (not) written."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from planner import cli
from tests.checker import assert_plan_consistent
from tests.workbooks import one_item, write_workbook


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_solve_writes_the_plan_beside_the_input_and_exits_0(tmp_path):
    source = write_workbook(
        tmp_path / "wheels.xlsx",
        one_item(demand={1: 90, 2: 120, 3: 80, 4: 70}, price=0, delivery_cost=500, holding_cost=2),
    )
    before = digest(source)
    done = run("solve", str(source), "--gap", "0")
    assert done.returncode == cli.EXIT_OPTIMAL, done.stderr
    output = tmp_path / "wheels-plan.xlsx"
    assert output.exists()
    assert digest(source) == before
    assert "status        optimal" in done.stdout
    assert "total cost    1,380.00" in done.stdout
    assert f"plan          {output}" in done.stdout
    assert "Traceback" not in done.stderr
    assert_plan_consistent(source, output)
    sheets = openpyxl.load_workbook(output, read_only=True).sheetnames
    assert {"Summary", "Orders", "Inventory", "Deliveries", "Utilisation"} <= set(sheets)


def test_quiet_prints_only_the_summary(tmp_path):
    source = write_workbook(tmp_path / "in.xlsx", one_item(demand={1: 10}))
    done = run("solve", str(source), "-o", str(tmp_path / "out.xlsx"), "--quiet")
    assert done.returncode == cli.EXIT_OPTIMAL
    assert done.stderr == ""
    assert done.stdout.splitlines()[0].startswith("status")


def test_broken_workbook_is_reported_at_once_and_nothing_is_written(tmp_path):
    sheets = one_item(
        demand={1: 10, 9: 5}, offer={"lead_time": "two", "min_order": 50, "max_order": 20}, periods=4
    )
    sheets["Demand"].append(["NOPE", 2, -3])
    source = write_workbook(tmp_path / "broken.xlsx", sheets)
    before = digest(source)
    done = run("solve", str(source))
    assert done.returncode == cli.EXIT_BAD_INPUT
    assert "Traceback" not in done.stderr
    for expected in (
        'SupplierItems row 2, lead_time: "two" is not a whole number',
        'SupplierItems row 2, min_order: "50" is more than max_order (20)',
        'Demand row 3, period: "9" is outside the planning horizon 1..4',
        'Demand row 4, item: "NOPE" is not an item in Items',
        'Demand row 4, quantity: "-3" is negative',
    ):
        assert expected in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == [source]
    assert digest(source) == before


def test_validate_lists_problems_and_exits_2(tmp_path):
    sheets = one_item(demand={1: 10}, offer={"unit_price": "cheap"})
    source = write_workbook(tmp_path / "in.xlsx", sheets)
    done = run("validate", str(source))
    assert done.returncode == cli.EXIT_BAD_INPUT
    assert 'SupplierItems row 2, unit_price: "cheap" is not a number' in done.stderr


def test_validate_accepts_a_good_workbook(tmp_path):
    source = write_workbook(tmp_path / "in.xlsx", one_item(demand={1: 10}))
    done = run("validate", str(source))
    assert done.returncode == cli.EXIT_OPTIMAL
    assert "valid" in done.stdout


def test_missing_file_and_non_workbook_are_bad_input(tmp_path):
    done = run("solve", str(tmp_path / "nothere.xlsx"))
    assert done.returncode == cli.EXIT_BAD_INPUT
    assert "Traceback" not in done.stderr
    text = tmp_path / "notes.xlsx"
    text.write_text("this is not a workbook")
    done = run("solve", str(text))
    assert done.returncode == cli.EXIT_BAD_INPUT
    assert "notes.xlsx" in done.stderr


def test_bad_arguments_are_bad_input(tmp_path):
    source = write_workbook(tmp_path / "in.xlsx", one_item(demand={1: 10}))
    for args in (["--gap", "2"], ["--time-limit", "-1"], ["--threads", "zero"]):
        done = run("solve", str(source), *args)
        assert done.returncode == cli.EXIT_BAD_INPUT, args
        assert "planner: error:" in done.stderr


def test_output_over_the_input_is_refused(tmp_path):
    source = write_workbook(tmp_path / "in.xlsx", one_item(demand={1: 10}))
    before = digest(source)
    done = run("solve", str(source), "-o", str(source))
    assert done.returncode == cli.EXIT_BAD_INPUT
    assert "refusing to write the plan over the input" in done.stderr
    assert digest(source) == before


def test_infeasible_workbook_exits_3_and_writes_nothing(tmp_path):
    # 100 units on hand, nothing ever required, warehouse holds 10: no plan can obey the warehouse.
    sheets = one_item(demand={2: 1}, item={"on_hand": 100, "volume": 1}, settings={"warehouse_capacity": 10})
    source = write_workbook(tmp_path / "in.xlsx", sheets)
    done = run("solve", str(source))
    assert done.returncode == cli.EXIT_INFEASIBLE
    assert "infeasible" in done.stdout
    assert not (tmp_path / "in-plan.xlsx").exists()


def test_version():
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("planner ")


@pytest.mark.parametrize(
    "status,code", [("optimal", 0), ("feasible", 5), ("infeasible", 3), ("no solution", 4)]
)
def test_each_status_has_its_own_exit_code(status, code):
    assert cli.STATUS_EXIT[cli.Status(status)] == code
    assert len(set(cli.STATUS_EXIT.values()) | {cli.EXIT_BAD_INPUT, cli.EXIT_INTERNAL}) == 6
