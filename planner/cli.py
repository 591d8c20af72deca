"""The command line: argument parsing and printing around the same functions a script calls."""

from __future__ import annotations

import argparse
import os
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
EXIT_BROKEN_RULES = 6
"""``check``: the plan breaks at least one rule (each is listed with its place)."""

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

    p = commands.add_parser(
        "solve", help="plan the orders of an input workbook and write the result workbook"
    )
    p.add_argument("input", type=Path, help="the input workbook (.xlsx)")
    p.add_argument("-o", "--output", type=Path, help="result workbook (default: <input>-plan.xlsx beside it)")
    p.add_argument("--time-limit", type=_positive, metavar="SECONDS", help="stop the search after this long")
    p.add_argument(
        "--gap", type=_fraction, metavar="FRACTION", help="stop at this relative gap (0 = prove optimal)"
    )
    p.add_argument("--threads", type=_whole, metavar="N", help="solver threads (default: HiGHS decides)")
    p.add_argument("--quiet", action="store_true", help="print only the final summary")
    p.add_argument(
        "--firm",
        type=Path,
        metavar="PREVIOUS_PLAN.xlsx",
        help="re-plan: lines of this earlier result arriving inside the frozen fence become open orders",
    )
    p.set_defaults(run=_solve)

    w = commands.add_parser("scenarios", help="solve what-if variants of a workbook and compare them")
    w.add_argument("input", type=Path, help="the input workbook (.xlsx); variants from its Scenarios sheet")
    w.add_argument("-o", "--output", type=Path, help="comparison workbook (default: <input>-scenarios.xlsx)")
    w.add_argument(
        "--change",
        action="append",
        default=[],
        metavar="NAME,CHANGE,TARGET,VALUE",
        help="a variant change, as a Scenarios row (repeatable), e.g. near,drop_supplier,ASIAPARTS",
    )
    w.add_argument("--time-limit", type=_positive, metavar="SECONDS", help="time limit of each variant")
    w.add_argument("--gap", type=_fraction, metavar="FRACTION", help="stop each solve at this relative gap")
    w.set_defaults(run=_scenarios)

    b = commands.add_parser("bench", help="benchmark instances: time, cost, bound, baselines, memory (CSV)")
    from planner.bench import add_arguments

    add_arguments(b)
    b.set_defaults(run=_bench)

    v = commands.add_parser("validate", help="check an input workbook and list every problem")
    v.add_argument("input", type=Path)
    v.set_defaults(run=_validate)

    _workbook_commands(commands)
    return parser


def _workbook_commands(commands) -> None:
    """template, example, check and compare: workbooks a planner can trust.

    (planner.template, planner.audit, planner.compare)
    """
    t = commands.add_parser(
        "template", help="write a blank input workbook (comments, drop-downs, instructions)"
    )
    t.add_argument("output", type=Path, help="the workbook to write (.xlsx)")
    t.add_argument("--force", action="store_true", help="replace the file if it exists")
    t.set_defaults(run=_template)

    e = commands.add_parser("example", help="write the shipped example workbook (an e-bike plant)")
    e.add_argument("output", type=Path, help="the workbook to write (.xlsx)")
    e.add_argument("--force", action="store_true", help="replace the file if it exists")
    e.set_defaults(run=_example)

    c = commands.add_parser(
        "check", help="audit a plan (e.g. typed by hand into an Orders sheet) against its input"
    )
    c.add_argument("input", type=Path, help="the input workbook (.xlsx)")
    c.add_argument("plan", type=Path, help="the plan: a workbook with an Orders sheet in the result format")
    c.set_defaults(run=_check)

    m = commands.add_parser(
        "compare", help="costs and KPIs of two plans side by side (from their Summary sheets)"
    )
    m.add_argument("plan_a", type=Path)
    m.add_argument("plan_b", type=Path)
    m.add_argument("-o", "--output", type=Path, help="also write the comparison to this workbook (.xlsx)")
    m.set_defaults(run=_compare)


def _template(args: argparse.Namespace) -> int:
    from planner.template import write_template

    print(f"template      {write_template(args.output, overwrite=args.force)}")
    return EXIT_OPTIMAL


def _example(args: argparse.Namespace) -> int:
    from planner.template import write_example

    print(f"example       {write_example(args.output, overwrite=args.force)}")
    return EXIT_OPTIMAL


def _check(args: argparse.Namespace) -> int:
    from planner.audit import audit_workbook
    from planner.data import COST_TERMS

    data = _load(args.input)
    found = audit_workbook(data, args.plan)
    for violation in found.violations:
        print(violation)
    if found.left_out:
        rows = ", ".join(str(r) for r in found.left_out)
        print(f"note: Orders row(s) {rows} cannot be placed and are left out of the costs below")
    plan = found.plan
    currency = f" {data.settings.currency}" if data.settings.currency else ""
    print(f"{'total_cost':<22}{plan.costs['total_cost']:>18,.2f}{currency}")
    for term in COST_TERMS:
        print(f"{term:<22}{plan.costs[term]:>18,.2f}")
    kpis = plan.kpis
    print(f"{'order_lines':<22}{kpis['order_lines']:>18}")
    print(f"{'deliveries':<22}{kpis['deliveries']:>18}")
    print(f"{'service_level':<22}{kpis['service_level']:>18.2%}")
    verdict = "obeys every rule" if found.ok else f"breaks {len(found.violations)} rule(s)"
    print(f"{args.plan}: {verdict}")
    return EXIT_OPTIMAL if found.ok else EXIT_BROKEN_RULES


def _compare(args: argparse.Namespace) -> int:
    from planner.compare import compare, format_table, read_summary, write_comparison

    names = (args.plan_a.stem, args.plan_b.stem)
    if names[0] == names[1]:
        names = (str(args.plan_a), str(args.plan_b))
    table = compare(read_summary(args.plan_a), read_summary(args.plan_b), names)
    print(format_table(table))
    if args.output is not None:
        print(f"comparison    {write_comparison(table, args.output)}")
    return EXIT_OPTIMAL


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the EXIT_* constants and the README)."""
    args = build_parser().parse_args(argv)
    try:
        _refuse_output_over_input(args)
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
    except KeyboardInterrupt:
        print("\nplanner: interrupted before a plan was found: nothing written", file=sys.stderr)
        return EXIT_NO_PLAN
    except OSError as error:  # the file system refused (a folder that cannot be written, a full disk)
        where = f" {error.filename}" if error.filename else ""
        print(f"planner: cannot read or write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # a bug: say so briefly, keep the traceback for whoever debugs it
        if os.environ.get("PLANNER_DEBUG"):
            raise
        print(
            f"planner: internal error ({type(error).__name__}: {error}).\n"
            "This is a bug in planner, not a problem of your workbook: please report it, with the "
            "workbook if you can (set PLANNER_DEBUG=1 to see the traceback).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _refuse_output_over_input(args: argparse.Namespace) -> None:
    """``-o`` naming the input workbook itself is refused before anything is read or solved."""
    source, target = getattr(args, "input", None), getattr(args, "output", None)
    if source is None or target is None:
        return
    same = Path(target).resolve() == Path(source).resolve()
    try:
        same = same or (Path(target).exists() and os.path.samefile(target, source))
    except OSError:
        pass
    if same:
        raise PlannerError(f"refusing to write the plan over the input workbook {source}: choose another -o")


def _load(path: Path):
    from planner.validate import load_workbook

    data, warnings = load_workbook(path)
    _print_warnings(warnings)
    return data


def _print_warnings(found: list[Problem]) -> None:
    for problem in found:
        print(f"warning: {problem}", file=sys.stderr)


def _bench(args: argparse.Namespace) -> int:
    from planner.bench import main_args

    return main_args(args)


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
            f"solving {args.input}: {len(data.items)} items, {len(data.suppliers)} suppliers, "
            f"{data.T} periods",
            file=sys.stderr,
        )
    if args.firm is not None:
        from planner.replan import read_firm_orders, with_firm_orders

        data = with_firm_orders(data, read_firm_orders(data, args.firm))
    result = solve(data, options)
    written = write_result(result, output, input_path=args.input) if result.has_plan else None
    _print_summary(result, written)
    return STATUS_EXIT[result.status]


def _scenarios(args: argparse.Namespace) -> int:
    from planner.scenarios import changes_of, compare, default_output, parse_change
    from planner.write import write_tables

    try:
        extra = [parse_change(text) for text in args.change]
    except ValueError as error:
        print(f"planner: error: --change {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    data = _load(args.input)
    output = args.output or Path(default_output(args.input))
    options = SolveOptions(time_limit=args.time_limit, gap=args.gap)
    tables = compare(
        data, changes_of(data) + extra, options, lambda name: print(f"solving {name}", file=sys.stderr)
    )
    write_tables(tables, output, input_path=args.input)
    print(tables["Comparison"].to_string(index=False))
    print(f"comparison    {output}")
    return EXIT_OPTIMAL


def _print_progress(p: Progress) -> None:
    best = f"{p.objective:,.2f}" if p.objective is not None else "—"
    bound = f"{p.bound:,.2f}" if p.bound is not None else "—"
    gap = f"{p.gap:.2%}" if p.gap is not None else "—"
    print(
        f"  {p.seconds:7.1f} s   plan {best:>16}   bound {bound:>16}   gap {gap:>8}",
        file=sys.stderr,
        flush=True,
    )


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
