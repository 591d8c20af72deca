"""``planner bench``: solve benchmark instances, each in a fresh process, and report time, cost and memory.

For every instance × formulation × repeat a new Python process reads (or generates) the instance, solves
it with :func:`planner.solve` and costs the baselines of :mod:`planner.baselines`; it reports one JSON
line that becomes one CSV row. A fresh process per run makes ``peak_mib`` (``ru_maxrss``) that run's own
peak memory, and keeps a crash or a runaway run from taking the others with it.

Instances: ``S``, ``M``, ``L``, ``XL`` (generated, seed 0; ``M:3`` = seed 3); ``tr6-15`` … ``tr24-30`` (the
TTM instances of ``instances/``, checked against their published optimum); or a path to a workbook.
A suffix ``@N`` makes any of them the two-stage stochastic model with N disruption scenarios
(:func:`planner.stochastic.with_bench_disruptions`: each supplier has an even chance of a one-period
delay in the middle third of the horizon): ``M@10``.

Columns of the CSV (times in seconds):

- ``instance``, ``formulation`` (``cover`` = the default: data bounds, the demand-cover family
  within its budget, (l,S) rows, constructive start and local search; ``plain`` = the same without
  the demand-cover family; ``naive`` = the straightforward model: every line bounded by a big
  constant, no valid inequalities, no start), ``repeat``, ``status``, ``message``;
- ``read`` (read or generate + validate), ``build`` (Pyomo model), ``handoff`` (compile + pass to
  HiGHS), ``cuts`` (the (l,S) rounds on the LP), ``heuristic`` (constructive start and its local
  search), ``improve`` (fix-and-optimise, large models only), ``solve`` (everything after the
  hand-off: cuts, heuristics and the search), ``total`` (the whole solve call);
  ``setup_share`` = (build + handoff) ÷ solve;
- ``cost``, ``bound``, ``gap`` — the plan's cost (recomputed from its order lines), HiGHS's bound;
- ``scenarios`` (0 for a deterministic model), ``rows``, ``columns``, ``integers`` of the model;
- one column per baseline with its cost, ``best_baseline`` and ``saving`` = 1 − cost ÷ best_baseline;
- ``published``, ``reached`` (cost within 0.5 of it), ``proven`` (reached and status optimal) for TTM;
- ``peak_mib`` — the run's peak resident memory.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from planner.baselines import BASELINES

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIRS = (ROOT / "instances", Path.cwd() / "instances")
TTM_DATA = Path("/work/shared/benchmarks/ttm-trigeiro1989/G")
FORMULATIONS = ("cover", "plain", "naive")
NAIVE_BIG_M = 1e6
"""The straightforward model's bound on a line: a big constant, as a first model would have it."""

COLUMNS = [
    "instance", "formulation", "repeat", "status", "message", "time_limit", "gap_asked",
    "read", "build", "handoff", "cuts", "heuristic", "improve", "solve", "total", "setup_share",
    "cost", "bound", "gap", "scenarios", "rows", "columns", "integers",
    *BASELINES, "best_baseline", "saving", "published", "reached", "proven", "peak_mib",
]  # fmt: skip


# --------------------------------------------------------------------------- one run (in its own process)


def load_instance(name: str):
    """PlanningData of an instance name (see the module docstring) or workbook path."""
    import planner
    from planner.benchdata.generate import SIZES, generate
    from planner.benchdata.ttm import TR_INSTANCES

    if "@" in name:
        from planner.stochastic import with_bench_disruptions

        base, _, scenarios = name.rpartition("@")
        return with_bench_disruptions(load_instance(base), int(scenarios))
    size, _, seed = name.partition(":")
    if size in SIZES:
        return planner.from_frames(generate(size, int(seed or 0)))
    if name in TR_INSTANCES:
        for folder in INSTANCE_DIRS:
            if (folder / f"{name}.xlsx").exists():
                return planner.read_workbook(folder / f"{name}.xlsx")
        from planner.benchdata.ttm import read_dat, to_frames

        stem, unit, _ = TR_INSTANCES[name]
        return planner.from_frames(to_frames(read_dat(TTM_DATA / f"{stem}.DAT"), unit_capacity_use=unit))
    path = Path(name)
    if not path.exists():
        raise FileNotFoundError(
            f"{name}: not an instance name (S, M, L, XL, SIZE:SEED, tr6-15, ...) nor a file"
        )
    return planner.read_workbook(path)


def published_optimum(name: str) -> float | None:
    from planner.benchdata.ttm import TR_INSTANCES

    stem = Path(name).stem if name not in TR_INSTANCES else name
    return float(TR_INSTANCES[stem][2]) if stem in TR_INSTANCES else None


def _warm_up() -> None:
    """Import once what the first compile and solve import lazily (scipy, Pyomo's writers), so that the
    first timed hand-off does not pay the process's one-time import cost."""
    import planner

    frames = {
        "Items": _frame({"item": ["A"], "holding_cost": [1.0]}),
        "Suppliers": _frame({"supplier": ["S"]}),
        "SupplierItems": _frame({"supplier": ["S"], "item": ["A"], "unit_price": [1.0]}),
        "Demand": _frame({"item": ["A"], "period": [1], "quantity": [1.0]}),
    }
    from planner.model import build_model
    from planner.solve import to_highs

    to_highs(build_model(planner.from_frames(frames)))


def _frame(columns: dict):
    import pandas as pd

    return pd.DataFrame(columns)


def solve_options(formulation: str, time_limit: float, gap: float | None, threads: int | None):
    """The :class:`planner.SolveOptions` of a bench formulation (see the module docstring)."""
    import planner
    from planner.model import ModelOptions

    common = dict(time_limit=time_limit, gap=gap, threads=threads)
    if formulation == "cover":
        return planner.SolveOptions(**common)
    if formulation == "plain":
        return planner.SolveOptions(**common, model=ModelOptions(demand_cover=False))
    if formulation == "naive":
        naive = ModelOptions(demand_cover=False, big_m=NAIVE_BIG_M)
        return planner.SolveOptions(**common, model=naive, warm_start=False, cut_rounds=0)
    raise ValueError(f"unknown formulation {formulation!r}: one of {', '.join(FORMULATIONS)}")


def run_one(name: str, formulation: str, time_limit: float, gap: float | None, threads: int | None) -> dict:
    """Solve one instance once in this process and return its CSV row as a dict."""
    import resource

    import planner
    from planner import stochastic
    from planner.baselines import baseline_plans

    start = time.perf_counter()
    data = load_instance(name)
    read = time.perf_counter() - start
    _warm_up()
    published = published_optimum(name)
    if gap is None:
        gap = 0.0 if published is not None else None  # proving a published optimum needs gap 0
    options = solve_options(formulation, time_limit, gap, threads)
    result = planner.solve(data, options, risk_report=False)
    peak_solve = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = result.timings
    row: dict = {
        "instance": name, "formulation": formulation, "status": result.status.value,
        "message": result.message, "time_limit": time_limit,
        "gap_asked": gap if gap is not None else data.settings.mip_gap, "read": read,
        **{k: t.get(k) for k in ("build", "handoff", "cuts", "heuristic", "improve", "total")},
        "solve": t.get("total", 0.0) - t.get("build", 0.0) - t.get("handoff", 0.0),
        "cost": result.total_cost, "bound": result.lower_bound, "gap": result.gap,
        "scenarios": len(stochastic.scenarios(data)) if data.has_disruptions else 0, **result.model_size,
    }  # fmt: skip
    solve_time = row["solve"]
    row["setup_share"] = (
        (t.get("build", 0.0) + t.get("handoff", 0.0)) / solve_time if solve_time > 0 else None
    )
    plans = baseline_plans(data)
    for key, plan in plans.items():
        row[key] = plan.costs["total_cost"]
    row["best_baseline"] = min(p.costs["total_cost"] for p in plans.values())
    if result.total_cost is not None and row["best_baseline"] > 0:
        row["saving"] = 1.0 - result.total_cost / row["best_baseline"]
    if published is not None:
        row["published"] = published
        row["reached"] = result.total_cost is not None and result.total_cost <= published + 0.5
        row["proven"] = bool(row["reached"] and result.status is planner.Status.OPTIMAL)
    row["peak_mib"] = max(peak_solve, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return row


# --------------------------------------------------------------------------- the driver


def run_in_subprocess(name: str, formulation: str, time_limit: float, gap, threads, repeat: int) -> dict:
    """:func:`run_one` in a fresh interpreter; a failure or a timeout becomes a row that says so."""
    spec = json.dumps(
        {"name": name, "formulation": formulation, "time_limit": time_limit, "gap": gap, "threads": threads}
    )
    cmd = [sys.executable, "-m", "planner.bench", "--worker", spec]
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    # HiGHS may overshoot its time limit in presolve; baselines and costing take time too
    # (L, 300 s: HiGHS ran 350 s past its limit in its root LP on a loaded machine)
    timeout = 4 * time_limit + 1800
    base = {"instance": name, "formulation": formulation, "repeat": repeat, "time_limit": time_limit}
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {**base, "status": "error", "message": f"run killed after {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return {**json.loads(line), "repeat": repeat}
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {**base, "status": "error", "message": f"exit code {done.returncode}: {tail}"[:300]}


def medians(rows: list[dict]) -> list[dict]:
    """One row per instance × formulation: the median of every numeric column over the repeats."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["instance"], row["formulation"]), []).append(row)
    out = []
    for (name, formulation), runs in groups.items():
        merged = {"instance": name, "formulation": formulation, "runs": len(runs)}
        for col in COLUMNS[3:]:
            values = [r.get(col) for r in runs if r.get(col) is not None]
            if not values:
                merged[col] = None
            elif isinstance(values[0], bool):
                merged[col] = all(values)
            elif isinstance(values[0], int | float):
                merged[col] = statistics.median(values)
            else:
                merged[col] = values[-1]
        out.append(merged)
    return out


def _fmt(value, kind: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "pct":
        return f"{value:.2%}"
    if kind == "money":
        return f"{value:,.0f}"
    if kind == "s":
        return f"{value:.1f}"
    return str(value)


TABLE = [
    ("instance", "instance", ""), ("form.", "formulation", ""), ("status", "status", ""),
    ("rows", "rows", "money"), ("columns", "columns", "money"),
    ("build s", "build", "s"), ("handoff s", "handoff", "s"), ("cuts s", "cuts", "s"),
    ("heur. s", "heuristic", "s"),
    ("solve s", "solve", "s"), ("setup/solve", "setup_share", "pct"), ("cost", "cost", "money"),
    ("bound", "bound", "money"), ("gap", "gap", "pct"), ("best baseline", "best_baseline", "money"),
    ("saving", "saving", "pct"), ("peak MiB", "peak_mib", "money"), ("published", "published", "money"),
    ("reached", "reached", ""), ("proven", "proven", ""),
]  # fmt: skip


def print_table(rows: list[dict], out=sys.stdout) -> None:
    """The medians as an aligned text table."""
    cells = [[h for h, _, _ in TABLE]] + [[_fmt(r.get(c), k) for _, c, k in TABLE] for r in rows]
    widths = [max(len(row[k]) for row in cells) for k in range(len(TABLE))]
    for n, row in enumerate(cells):
        print(
            "  ".join(
                c.rjust(w) if n and k > 2 else c.ljust(w)
                for k, (c, w) in enumerate(zip(row, widths, strict=True))
            ),
            file=out,
        )
    ttm = [r for r in rows if r.get("published") is not None]
    for r in ttm:
        verdict = (
            "reached and proven"
            if r.get("proven")
            else "reached, not proven"
            if r.get("reached")
            else "NOT reached"
        )
        print(
            f"{r['instance']} ({r['formulation']}): published optimum {r['published']:,.0f} {verdict}",
            file=out,
        )
    for form in {r["formulation"] for r in ttm}:
        total = sum(r.get("total") or math.nan for r in ttm if r["formulation"] == form)
        print(f"TTM total time ({form}): {total:.1f} s", file=out)


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def bench(
    instances: list[str],
    time_limit: float,
    *,
    repeat: int = 1,
    gap: float | None = None,
    threads: int | None = None,
    formulations: tuple[str, ...] = ("cover",),
    csv_path: Path | None = None,
    out=sys.stdout,
    runner=None,
) -> list[dict]:
    """Run every instance × formulation ``repeat`` times, each in a fresh process; write the CSV (one row
    per run, rewritten after every run so an interrupted bench keeps what it has) and print medians.
    ``runner`` replaces :func:`run_in_subprocess` (same arguments), e.g. to run in this process."""
    runner = runner or run_in_subprocess
    csv_path = csv_path or Path(f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.csv")
    rows: list[dict] = []
    for name in instances:
        for formulation in formulations:
            for k in range(1, repeat + 1):
                print(
                    f"[{dt.datetime.now():%H:%M:%S}] {name} ({formulation}) run {k}/{repeat} ...",
                    file=out,
                    flush=True,
                )
                row = runner(name, formulation, time_limit, gap, threads, k)
                rows.append(row)
                write_csv(rows, csv_path)
                print(
                    f"    {row.get('status')}: cost {_fmt(row.get('cost'), 'money')}, "
                    f"gap {_fmt(row.get('gap'), 'pct')}, "
                    f"solve {_fmt(row.get('solve'), 's')} s, peak {_fmt(row.get('peak_mib'), 'money')} MiB"
                    + (f" — {row.get('message')}" if row.get("status") == "error" else ""),
                    file=out,
                    flush=True,
                )
    print(file=out)
    print_table(medians(rows), out)
    print(f"\n{len(rows)} runs written to {csv_path}", file=out)
    return rows


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "instances", nargs="+",
        help="S, M, L, XL, SIZE:SEED, tr6-15 … tr24-30, or workbook paths; NAME@N = stochastic, N scenarios",
    )  # fmt: skip
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS", help="per solve (default 60)")
    p.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="runs per instance; the table shows medians"
    )
    p.add_argument(
        "--gap", type=float, metavar="FRACTION", help="stop at this gap (default: 0 for TTM, else Settings)"
    )
    p.add_argument("--threads", type=int, metavar="N", help="HiGHS threads (default: HiGHS decides)")
    p.add_argument(
        "--formulation", nargs="+", choices=FORMULATIONS, default=["cover"],
        help="cover = the default model; plain = without the demand-cover family; "
        "naive = the straightforward model (big constant, no inequalities, no start)",
    )  # fmt: skip
    p.add_argument("--csv", type=Path, metavar="PATH", help="CSV to write (default bench-DATE-TIME.csv)")


def main_args(args: argparse.Namespace) -> int:
    bench(
        args.instances, args.time_limit, repeat=args.repeat, gap=args.gap, threads=args.threads,
        formulations=tuple(args.formulation), csv_path=args.csv,
    )  # fmt: skip
    return 0


def _worker(spec: str) -> int:
    s = json.loads(spec)
    row = run_one(s["name"], s["formulation"], s["time_limit"], s["gap"], s["threads"])
    print(json.dumps(row, default=float), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        sys.exit(_worker(sys.argv[2]))
    parser = argparse.ArgumentParser(prog="python -m planner.bench", description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(main_args(parser.parse_args()))
