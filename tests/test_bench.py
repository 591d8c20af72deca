"""``planner bench``: instance names, one CSV row per run in a fresh process, medians, TTM verdicts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from planner import bench
from planner.benchdata.ttm import TR_INSTANCES
from tests.workbooks import one_item, write_workbook


def test_instance_names_resolve_to_generated_ttm_and_file_instances(tmp_path):
    assert len(bench.load_instance("S").items) == 20
    assert len(bench.load_instance("S:1").items) == 20
    assert len(bench.load_instance("tr6-15").items) == 6
    source = write_workbook(tmp_path / "one.xlsx", one_item(demand={1: 5}))
    assert list(bench.load_instance(str(source)).items.index) == ["A"]
    with pytest.raises(FileNotFoundError):
        bench.load_instance("no-such-instance")


def test_published_optima_are_those_of_the_ttm_table():
    for name, (_, _, optimum) in TR_INSTANCES.items():
        assert bench.published_optimum(name) == optimum
        assert bench.published_optimum(f"instances/{name}.xlsx") == optimum
    assert bench.published_optimum("M") is None


def test_bench_writes_one_row_per_run_and_prints_medians(tmp_path):
    source = write_workbook(
        tmp_path / "ww.xlsx",
        one_item(demand={1: 90, 2: 120, 3: 80, 4: 70}, price=0, delivery_cost=500, holding_cost=2),
    )
    out = io.StringIO()
    target = tmp_path / "bench.csv"

    def in_process(name, formulation, time_limit, gap, threads, repeat):  # as the subprocess would
        return {**bench.run_one(name, formulation, time_limit, gap, threads), "repeat": repeat}

    bench.bench(
        [str(source)],
        time_limit=10,
        repeat=2,
        gap=0.0,
        threads=1,
        csv_path=target,
        out=out,
        runner=in_process,
    )
    rows = list(csv.DictReader(target.open()))
    assert [r["repeat"] for r in rows] == ["1", "2"]
    for row in rows:
        assert row["status"] == "optimal", row["message"]
        assert float(row["cost"]) == pytest.approx(1380)
        assert float(row["lot_for_lot"]) == pytest.approx(2000)
        assert float(row["silver_meal"]) == pytest.approx(1560)
        assert float(row["best_baseline"]) == pytest.approx(1560)
        assert float(row["peak_mib"]) > 0
        for col in ("build", "handoff", "solve", "total"):
            assert float(row[col]) >= 0
    text = out.getvalue()
    assert "setup/solve" in text and "best baseline" in text
    assert f"2 runs written to {target}" in text


def test_every_formulation_reaches_the_textbook_optimum(tmp_path):
    # the straightforward model (a big constant on every line, no start) and the default agree: 1,380
    source = write_workbook(
        tmp_path / "ww.xlsx",
        one_item(demand={1: 90, 2: 120, 3: 80, 4: 70}, price=0, delivery_cost=500, holding_cost=2),
    )
    for formulation in bench.FORMULATIONS:
        row = bench.run_one(str(source), formulation, 10, 0.0, 1)
        assert row["status"] == "optimal" and row["cost"] == pytest.approx(1380), formulation
    assert bench.solve_options("naive", 10, 0.0, 1).model.big_m == bench.NAIVE_BIG_M
    with pytest.raises(ValueError, match="unknown formulation 'fast'"):
        bench.solve_options("fast", 10, 0.0, 1)


def test_medians_and_ttm_verdicts():
    rows = [
        {"instance": "tr6-15", "formulation": "cover", "status": "optimal", "total": t, "cost": 37721.0,
         "published": 37721.0, "reached": True, "proven": True} for t in (1.0, 3.0, 2.0)
    ]  # fmt: skip
    (merged,) = bench.medians(rows)
    assert merged["total"] == 2.0 and merged["proven"] is True and merged["runs"] == 3
    out = io.StringIO()
    bench.print_table([merged], out)
    assert "published optimum 37,721 reached and proven" in out.getvalue()


def test_each_run_is_a_fresh_process_and_a_failing_run_is_a_row_that_says_so(tmp_path):
    source = write_workbook(tmp_path / "one.xlsx", one_item(demand={2: 5}, delivery_cost=10))
    row = bench.run_in_subprocess(str(source), "plain", 5, 0.0, 1, 4)
    assert row["status"] == "optimal", row
    assert row["repeat"] == 4 and row["cost"] == pytest.approx(15)
    row = bench.run_in_subprocess(str(tmp_path / "missing.xlsx"), "cover", 5, None, 1, 1)
    assert row["status"] == "error" and "missing.xlsx" in row["message"]


def test_the_cli_has_a_bench_command():
    from planner.cli import build_parser

    args = build_parser().parse_args(["bench", "S", "tr6-15", "--time-limit", "30", "--repeat", "3"])
    assert args.instances == ["S", "tr6-15"] and args.repeat == 3 and args.time_limit == 30
    assert Path(bench.__file__).exists()


def test_an_at_suffix_benches_the_stochastic_model(tmp_path):
    # One item from one supplier: its one disruption (an even chance of a one-period delay) gives
    # exactly two scenarios however many are asked for, and a model with a copy of the stock per scenario.
    source = write_workbook(tmp_path / "one.xlsx", one_item(demand={1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 5}))
    data = bench.load_instance(f"{source}@10")
    assert data.has_disruptions and len(data.disruptions) == 1
    row = bench.run_one(f"{source}@10", "cover", 20, None, None)
    plain = bench.run_one(str(source), "cover", 20, None, None)
    assert row["scenarios"] == 2 and plain["scenarios"] == 0
    assert row["rows"] > plain["rows"] and row["columns"] > plain["columns"]
    assert row["status"] == "optimal"
