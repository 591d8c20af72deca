"""The command line: argument parsing and printing around the same functions a script calls."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from planner.errors import InputError, PlannerError, Problem, UnreadableFileError
from planner.solve import Progress, Result, SolveOptions, Status, solve
from planner.write import default_output, write_result

EXIT_OPTIMAL = 0
"""A proven optimal plan was written (``validate``: the workbook is valid)."""
EXIT_INTERNAL = 1
"""An unexpected failure inside the planner: a bug, please report it."""
EXIT_BAD_INPUT = 2
"""The input (file, workbook or command-line arguments) is wrong: nothing was solved or written."""
EXIT_INFEASIBLE = 3
"""The hard rules of the workbook contradict each other: no plan exists, nothing written."""
EXIT_NO_PLAN = 4
"""The time limit (or Ctrl-C) came before any plan was found: nothing written."""
EXIT_FEASIBLE = 5
"""A plan was written, but it is not proven optimal (time limit or Ctrl-C): see its gap."""

STATUS_EXIT = {
    Status.OPTIMAL: EXIT_OPTIMAL,
    Status.FEASIBLE: EXIT_FEASIBLE,
    Status.INFEASIBLE: EXIT_INFEASIBLE,
    Status.NO_SOLUTION: EXIT_NO_PLAN,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code 2 is our bad-input code too
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"planner: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from planner import __version__

    parser = _Parser(prog="planner", description="Just-in-time order planner: workbook in, plan out.")
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser("solve", help="plan the orders of an input workbook and write the result workbook")
    p.add_argument("input", type=Path, help="the input workbook (.xlsx)")
    p.add_argument("-o", "--output", type=Path, help="result workbook (default: <input>-plan.xlsx beside it)")
    p.add_argument("--time-limit", type=_positive, metavar="SECONDS", help="stop the search after this long")
    p.add_argument("--gap", type=_fraction, metavar="FRACTION", help="stop at this relative gap (0 = prove optimal)")
    p.add_argument("--threads", type=_whole, metavar="N", help="solver threads (default: HiGHS decides)")
    p.add_argument("--quiet", action="store_true", help="print only the final summary")
    p.set_defaults(run=_solve)

    v = commands.add_parser("validate", help="check an input workbook and list every problem")
    v.add_argument("input", type=Path)
    v.set_defaults(run=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the EXIT_* constants and the README)."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnreadableFileError as error:
        print(f"planner: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PlannerError as error:
        print(f"planner: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _load(path: Path):
    from planner.validate import load_workbook

    data, warnings = load_workbook(path)
    _print_warnings(warnings)
    return data


def _print_warnings(found: list[Problem]) -> None:
    for problem in found:
        print(f"warning: {problem}", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    data = _load(args.input)
    print(
        f"{args.input}: valid — {len(data.items)} items, {len(data.suppliers)} suppliers, "
        f"{len(data.offers)} offers, {data.T} periods"
    )
    return EXIT_OPTIMAL


def _solve(args: argparse.Namespace) -> int:
    output = args.output or default_output(args.input)
    data = _load(args.input)
    options = SolveOptions(
        time_limit=args.time_limit,
        gap=args.gap,
        threads=args.threads,
        progress=None if args.quiet else _print_progress,
    )
    if not args.quiet:
        print(
            f"solving {args.input}: {len(data.items)} items, {len(data.suppliers)} suppliers, {data.T} periods",
            file=sys.stderr,
        )
    result = solve(data, options)
    written = write_result(result, output, input_path=args.input) if result.has_plan else None
    _print_summary(result, written)
    return STATUS_EXIT[result.status]


def _print_progress(p: Progress) -> None:
    best = f"{p.objective:,.2f}" if p.objective is not None else "—"
    bound = f"{p.bound:,.2f}" if p.bound is not None else "—"
    gap = f"{p.gap:.2%}" if p.gap is not None else "—"
    print(f"  {p.seconds:7.1f} s   plan {best:>16}   bound {bound:>16}   gap {gap:>8}", file=sys.stderr, flush=True)


def _print_summary(result: Result, written: Path | None) -> None:
    currency = f" {result.data.settings.currency}" if result.data.settings.currency else ""
    lines = [("status", result.message)]
    if result.plan is not None:
        lines.append(("total cost", f"{result.total_cost:,.2f}{currency}"))
        lines.append(("gap", f"{result.gap:.2%}" if result.gap is not None else "unknown"))
        kpis = result.plan.kpis
        lines.append(("deliveries", f"{kpis['deliveries']} ({kpis['order_lines']} order lines)"))
        lines.append(("service level", f"{kpis['service_level']:.1%}"))
    lines.append(("time", f"{result.timings.get('total', 0.0):.1f} s"))
    lines.append(("plan", str(written) if written else "not written"))
    for name, value in lines:
        print(f"{name:<14}{value}")


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _fraction(text: str) -> float:
    value = _number(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a fraction between 0 and 1 (e.g. 0.01 for 1 %)")
    return value


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number ≥ 1")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


if __name__ == "__main__":
    sys.exit(main())
