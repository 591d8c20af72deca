"""Root LP bound with and without the strengthening families, per instance.

    python tools/root_gap.py tr6-30 S M [--rounds 30] [--seconds 120]

For each instance (the names of ``planner bench``) prints the LP relaxation's bound of the model
without the demand-cover family, with it (when it fits its budget), and after the (l,S) loop of
``planner.cuts`` (up to ``--rounds`` rounds, ``--seconds`` seconds), with the seconds each took and,
for the TTM instances, the root gap to the published optimum.
"""

from __future__ import annotations

import argparse
import time

import highspy

from planner.bench import load_instance, published_optimum
from planner.cuts import relaxation, strengthen
from planner.model import ModelOptions, build_model
from planner.solve import to_highs


def lp_bound(model) -> tuple[float, float, int]:
    """The LP relaxation's optimum, the seconds it took and the model's rows."""
    highs, _, _ = to_highs(model)
    relaxed = relaxation(highs)
    mark = time.perf_counter()
    relaxed.run()
    seconds = time.perf_counter() - mark
    ok = relaxed.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return (relaxed.getInfo().objective_function_value if ok else float("nan")), seconds, highs.getNumRow()


def show(name: str, optimum: float | None, family: str, bound: float, seconds: float, rows: int) -> None:
    gap = f"{(optimum - bound) / optimum:8.2%}" if optimum else "       —"
    print(f"{name:<9} {family:<16} {bound:>15,.1f} {seconds:8.2f}  {rows:<8,} {gap}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    print("instance  family                  LP bound  seconds  rows     root gap")
    for name in args.instances:
        data = load_instance(name)
        optimum = published_optimum(name)

        plain = build_model(data, ModelOptions(demand_cover=False))
        show(name, optimum, "big-M only", *lp_bound(plain))
        cover = build_model(data, ModelOptions(cover_horizon=data.T))  # forced on, whatever its size
        if getattr(cover, "cover_horizon", -1) >= 0:
            show(name, optimum, "demand cover", *lp_bound(cover))
        highs, columns, _ = to_highs(plain)
        report = strengthen(highs, plain, columns, data, args.seconds, max_rounds=args.rounds, min_gain=0.0)
        if report.lp_after is not None:
            family = f"(l,S) {report.rounds} rounds"
            show(name, optimum, family, report.lp_after, report.seconds, highs.getNumRow())


if __name__ == "__main__":
    main()
