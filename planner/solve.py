"""Solve: build the model, hand it to HiGHS, and turn the answer into the project's own result.

Interface choice. The model is written in Pyomo and solved by HiGHS through highspy. Pyomo has three
interfaces to HiGHS; the current one (``pyomo.contrib.solver``) hands a model over one constraint at a
time, which grows quadratically with size (HiGHS issue #2065; 7.8 s for a 219k-row model against 2.0 s
here, see docs/model.md). So we compile the Pyomo model once with Pyomo's own standard-form compiler
(``LinearStandardFormCompiler``, which every Pyomo matrix-based writer uses) and pass the matrix to
highspy in one call. Holding the ``Highs`` object also gives us what the Pyomo wrappers do not expose:
live progress through callbacks, Ctrl-C handling, warm starts and infeasibility analysis.
"""

from __future__ import annotations

import enum
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from planner.data import PlanningData
from planner.model import ModelOptions, build_model
from planner.model.bounds import purchase_bound
from planner.plan import Plan, evaluate, orders_frame

TIME_LIMIT_GRACE = 2.0
"""Seconds past the time limit after which a search that has not stopped is stopped by us."""


class Status(enum.StrEnum):
    """How a solve ended. Each has its own exit code on the command line."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no solution"


@dataclass(frozen=True)
class Progress:
    """A snapshot of the search: best plan cost so far (None before the first), bound, gap, seconds."""

    seconds: float
    objective: float | None
    bound: float | None
    gap: float | None


@dataclass(frozen=True)
class SolveOptions:
    """How to solve. ``None`` takes the workbook's Settings (time_limit, mip_gap), then the default.

    ``threads`` is HiGHS's thread count (None = HiGHS decides); ``seed`` fixes HiGHS's random seed so
    the same input gives the same plan; ``progress`` is called with a :class:`Progress` when a better
    plan is found and every few seconds; ``log`` receives HiGHS's own log lines.

    ``model`` chooses the formulation (:class:`planner.model.ModelOptions`, default: all strengthening
    on); ``warm_start`` hands HiGHS a constructive plan (:mod:`planner.heuristics`) before it starts, and
    that plan is the answer when HiGHS stops before finding a better one; ``local_search`` is the
    share of the time limit the plan's local search (:mod:`planner.heuristics.local`) may take at most
    (it stops sooner when no move pays); ``cut_rounds`` bounds the rounds of
    (l,S) inequalities added before the search (:mod:`planner.cuts`, 0 = none), on models with more
    than ``cuts_above`` integer columns: on small ones HiGHS's own cuts reach the same bound and the
    extra rows only slow its node LPs (tr6-15: 5.8 s without them, 10.3 s with).

    A model with more than ``search_above`` integer columns gets no full HiGHS search: on such
    models HiGHS's root cut rounds can run minutes past the time limit without a way to stop them.
    Its plan comes from the heuristics and fix-and-optimise, its bound from the LP relaxation.
    ``improve`` runs fix-and-optimise (:mod:`planner.heuristics.improve`): ``None`` = on those large
    models only, for all the time left; True = also before a full search, for a quarter of it.
    """

    time_limit: float | None = None
    gap: float | None = None
    threads: int | None = None
    seed: int = 0
    progress: Callable[[Progress], None] | None = None
    log: Callable[[str], None] | None = None
    progress_every: float = 5.0
    model: ModelOptions | None = None
    warm_start: bool = True
    local_search: float = 0.25
    cut_rounds: int = 30
    cuts_above: int = 2_000
    improve: bool | None = None
    search_above: int = 50_000


@dataclass(frozen=True)
class Result:
    """The outcome of a solve: status, plan (None when there is none), bound and timings."""

    status: Status
    message: str
    data: PlanningData
    plan: Plan | None
    lower_bound: float | None
    gap: float | None
    timings: dict[str, float] = field(default_factory=dict)
    model_size: dict[str, int] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Result sheets of optional features, by sheet name (e.g. Scenarios, Risk, Buffer with disruptions)."""

    @property
    def has_plan(self) -> bool:
        return self.plan is not None

    @property
    def total_cost(self) -> float | None:
        return self.plan.costs["total_cost"] if self.plan else None

    @property
    def orders(self) -> pd.DataFrame | None:
        return self.plan.orders if self.plan else None

    @property
    def inventory(self) -> pd.DataFrame | None:
        return self.plan.inventory if self.plan else None

    def summary(self) -> pd.DataFrame:
        """The Summary sheet: one row per metric."""
        return pd.DataFrame(summary_rows(self), columns=["metric", "value"])


def summary_rows(result: Result) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("status", result.status.value), ("message", result.message)]
    plan = result.plan
    if plan is not None:
        rows.append(("total_cost", plan.costs["total_cost"]))
        rows += [(k, v) for k, v in plan.costs.items() if k != "total_cost"]
    rows += [("lower_bound", result.lower_bound), ("gap", result.gap)]
    rows += [(f"{k}_seconds" if k != "solve" else "solve_seconds", v) for k, v in result.timings.items()]
    if plan is not None:
        rows += list(plan.kpis.items())
    rows += [(f"model_{k}", v) for k, v in result.model_size.items()]
    if result.data.settings.currency:
        rows.append(("currency", result.data.settings.currency))
    return rows


def solve(data: PlanningData, options: SolveOptions | None = None, *, risk_report: bool = True) -> Result:
    """Find the cheapest plan for ``data`` within the options' time limit and gap.

    With disruptions the plan minimises the expected cost (lower_bound and gap refer to it) and, with
    ``risk_report``, the result gets the tables of :func:`planner.stochastic.risk_tables`.
    """
    options = options or SolveOptions()
    limit = options.time_limit if options.time_limit is not None else data.settings.time_limit
    gap = options.gap if options.gap is not None else data.settings.mip_gap
    timings: dict[str, float] = {}
    start = time.perf_counter()

    with PauseGC():
        model = build_model(data, options.model)
        timings["build"] = time.perf_counter() - start
        if timings["build"] > limit:  # the hand-off would take as long again: honour the limit now
            timings["total"] = time.perf_counter() - start
            late = (
                f"no plan found: the time limit ({limit:g} s) ran out while building the model "
                f"({timings['build']:.0f} s): allow more time"
            )
            return Result(Status.NO_SOLUTION, late, data, None, None, None, timings)
        mark = time.perf_counter()
        highs, columns, _ = to_highs(model)
        timings["handoff"] = time.perf_counter() - mark
    lp_bound = None  # the LP relaxation's bound with the (l,S) rows, when the loop ran
    integers = _count_integers(columns)
    if options.cut_rounds > 0 and integers > options.cuts_above and not data.has_disruptions:
        from planner.cuts import strengthen

        mark = time.perf_counter()
        report = strengthen(highs, model, columns, data, budget=0.15 * limit, max_rounds=options.cut_rounds)
        lp_bound = report.lp_after
        timings["cuts"] = time.perf_counter() - mark
    size = {"rows": highs.getNumRow(), "columns": highs.getNumCol(), "integers": integers}
    full_search = size["integers"] <= options.search_above or data.has_disruptions
    incumbent = None  # a feasible column vector of our own: the constructive plan, improved
    if options.warm_start and highs.getNumCol() > 0:
        from planner.heuristics import warm_start

        mark = time.perf_counter()
        candidate, _, incumbent = warm_start(
            highs, model, columns, data, budget=0.05 * limit, improve=options.local_search * limit
        )
        timings["heuristic"] = time.perf_counter() - mark
        if candidate is not None and candidate.interrupted and incumbent is not None:
            print("\ninterrupted: keeping the plan found so far", file=sys.stderr, flush=True)
            return _without_search(
                data, model, columns, incumbent, lp_bound, size, timings, start, limit, "interrupted"
            )
        improve = options.improve if options.improve is not None else not full_search
        if incumbent is not None and improve:
            from planner.heuristics.improve import fix_and_optimise
            from planner.heuristics.start import highspy_solution

            mark = time.perf_counter()
            left = limit - (mark - start)
            budget = left if not full_search else 0.25 * left  # the rest goes to the full search
            _configure(highs, budget, gap, options)
            incumbent, _, _ = fix_and_optimise(highs, columns, incumbent, budget, log=options.log)
            highs.setSolution(highspy_solution(incumbent))
            timings["improve"] = time.perf_counter() - mark
    if not full_search and incumbent is not None:
        return _without_search(data, model, columns, incumbent, lp_bound, size, timings, start, limit)

    remaining = max(1.0, limit - (time.perf_counter() - start))
    _configure(highs, remaining, gap, options)
    watcher = _Watcher(options, start)
    watcher.attach(highs)
    mark = time.perf_counter()
    stopped_by = run_interruptibly(highs, deadline=start + limit + TIME_LIMIT_GRACE)
    timings["solve"] = time.perf_counter() - mark

    status, message, values = _outcome(highs, watcher, stopped_by)
    if status is Status.INFEASIBLE:
        from planner.diagnose import diagnose

        mark = time.perf_counter()
        explained = diagnose(data, model, highs, time_limit=min(20.0, max(2.0, limit - (mark - start))))
        message = f"{message}:\n" + "\n".join(f"  {line}" for line in explained.lines())
        timings["diagnose"] = time.perf_counter() - mark
    plan = None
    bound = None
    if values is not None:
        plan = _plan_of(data, model, columns, values)
        bound = _bound(highs, status, plan)
    elif status is Status.NO_SOLUTION and incumbent is not None and not data.has_disruptions:
        # HiGHS stopped before it took in our start (e.g. in presolve): that plan is still valid
        why = "interrupted" if stopped_by == "interrupt" else "stopped at the time limit"
        status, message = Status.FEASIBLE, f"feasible, {why} with the heuristic plan"
        plan = _plan_of(data, model, columns, incumbent)
        bound = _bound(highs, status, plan)
    if plan is not None and bound is not None and not data.has_disruptions:
        bound = _with_data_bound(data, bound, plan.costs["total_cost"])
    reference = plan.costs["total_cost"] if plan else None
    tables: dict[str, pd.DataFrame] = {}
    if plan is not None and data.has_disruptions:  # the objective is the expected cost, not the plan's
        reference, bound = _objective_and_bound(highs, status)
        if risk_report:
            from planner.stochastic import risk_tables

            mark = time.perf_counter()
            tables = risk_tables(data, plan.orders, options)
            timings["risk_report"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    gap_value = relative_gap(reference, bound) if plan and bound is not None else None
    if status is Status.FEASIBLE and gap_value is not None:
        message = f"{message} (gap {gap_value:.2%})"
    return Result(status, message, data, plan, bound, gap_value, timings, size, tables)


def _without_search(
    data: PlanningData,
    model: pyo.ConcreteModel,
    columns: list,
    incumbent: np.ndarray,
    lp_bound: float | None,
    size: dict[str, int],
    timings: dict[str, float],
    start: float,
    limit: float,
    why: str | None = None,
) -> Result:
    """The result of a large model solved by the heuristics alone: no full search (HiGHS's root cut
    rounds on such models can run far past the time limit and cannot be stopped), the plan of the
    local search and fix-and-optimise, and the bound of the LP relaxation with the (l,S) rows.
    ``why`` says why it stopped when that was not its own choice (Ctrl-C: "interrupted")."""
    plan = _plan_of(data, model, columns, incumbent)
    cost = plan.costs["total_cost"]
    bound = _with_data_bound(data, lp_bound if lp_bound is not None else -math.inf, cost)
    timings["total"] = time.perf_counter() - start
    gap = relative_gap(cost, bound)
    if why is not None:
        message = f"feasible, {why} (gap {gap:.2%})"
    else:
        ran_out = timings["total"] >= limit - 1.0
        how = "stopped at the time limit" if ran_out else "the heuristics found nothing better"
        message = (
            f"feasible, {how} (gap {gap:.2%}; {size['integers']:,} integer columns: heuristics only, "
            "bound from the LP relaxation)"
        )
    return Result(Status.FEASIBLE, message, data, plan, bound, gap, timings, size)


def _plan_of(data: PlanningData, model: pyo.ConcreteModel, columns: list, x: np.ndarray) -> Plan:
    """The costed plan of the column vector ``x``."""
    return evaluate(data, orders_frame(data, _order_lines(model, columns, x)))


def _with_data_bound(data: PlanningData, bound: float, cost: float) -> float:
    """``bound`` raised to the data's own bound (:func:`planner.model.bounds.purchase_bound`), capped at
    the plan's cost: a search may stop before its root LP gives a bound, the data always give one."""
    return min(max(bound, purchase_bound(data)), cost)


def relative_gap(cost: float, bound: float) -> float:
    """(cost − bound) ÷ |cost|, 0 when both are 0; never negative."""
    if abs(cost) < 1e-9:
        return 0.0 if bound >= -1e-9 else math.inf
    return max(0.0, (cost - bound) / abs(cost))


def to_highs(model: pyo.ConcreteModel) -> tuple[highspy.Highs, list, float]:
    """Compile ``model`` to a sparse matrix once and pass it to a new ``Highs`` in one call.

    Returns the solver, the Pyomo variable of each column, and the objective's constant term.
    """
    info = LinearStandardFormCompiler().write(model, mixed_form=True)
    columns = info.columns
    n = len(columns)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(info.rows)
    cost = info.c.toarray().ravel() if info.c.shape[0] else np.zeros(n)
    lp.col_cost_ = cost.astype(float)
    lower = np.array([v.lb if v.lb is not None else -highspy.kHighsInf for v in columns], dtype=float)
    upper = np.array([v.ub if v.ub is not None else highspy.kHighsInf for v in columns], dtype=float)
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    rhs = np.asarray(info.rhs, dtype=float)
    kind = np.array([r.bound_type for r in info.rows], dtype=int)
    lp.row_lower_ = np.where(kind <= 0, rhs, -highspy.kHighsInf)
    lp.row_upper_ = np.where(kind >= 0, rhs, highspy.kHighsInf)
    matrix = info.A.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(info.rows)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if v.is_integer() else highspy.HighsVarType.kContinuous for v in columns
    ]
    offset = float(np.asarray(info.c_offset).ravel()[0]) if len(np.asarray(info.c_offset).ravel()) else 0.0
    lp.offset_ = offset
    highs = new_highs()
    highs.passModel(lp)
    return highs, columns, offset


def new_highs() -> highspy.Highs:
    """A silent ``Highs``: its start-up banner goes to the C-level stdout, so it is muted there."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highs


def _configure(highs: highspy.Highs, time_limit: float, gap: float, options: SolveOptions) -> None:
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(gap))
    highs.setOptionValue("random_seed", int(options.seed))
    if options.threads:
        highs.setOptionValue("threads", int(options.threads))
    if options.log is not None:
        highs.setOptionValue("output_flag", True)
        highs.setOptionValue("log_to_console", False)


class _Watcher:
    """Follows the search through HiGHS callbacks: reports progress, remembers the last bound seen."""

    def __init__(self, options: SolveOptions, start: float) -> None:
        self.options = options
        self.start = start
        self.last_report = -math.inf
        self.best: float | None = None
        self.bound: float | None = None

    def attach(self, highs: highspy.Highs) -> None:
        if self.options.log is not None:
            log = self.options.log
            highs.cbLogging.subscribe(lambda e: log(e.message.rstrip("\n")))
        highs.cbMipImprovingSolution.subscribe(self._improved)
        highs.cbMipInterrupt.subscribe(self._tick)

    def _snapshot(self, e) -> Progress:
        out = e.data_out
        best = out.objective_function_value
        self.best = best if math.isfinite(best) and abs(best) < 1e50 else self.best
        bound = out.mip_dual_bound
        self.bound = bound if math.isfinite(bound) and abs(bound) < 1e50 else self.bound
        gap = (
            relative_gap(self.best, self.bound) if self.best is not None and self.bound is not None else None
        )
        return Progress(time.perf_counter() - self.start, self.best, self.bound, gap)

    def _improved(self, e) -> None:
        snap = self._snapshot(e)
        if self.options.progress is not None:
            self.last_report = snap.seconds
            self.options.progress(snap)

    def _tick(self, e) -> None:
        now = time.perf_counter() - self.start
        if now - self.last_report < self.options.progress_every:
            return
        snap = self._snapshot(e)
        if self.options.progress is not None:
            self.last_report = now
            self.options.progress(snap)


def run_interruptibly(highs: highspy.Highs, deadline: float = math.inf) -> str | None:
    """Run ``highs.solve()`` so that Ctrl-C stops the search cleanly and the best plan so far is kept.

    HiGHS runs in a thread of its own; this one waits for it. Ctrl-C (KeyboardInterrupt) asks HiGHS to
    stop at its next check (it keeps its incumbent) and returns ``"interrupt"``; a second Ctrl-C while it
    is stopping raises KeyboardInterrupt. HiGHS's own time limit can overshoot (in presolve on large
    models): past ``deadline`` (a ``time.perf_counter()`` value) it is asked to stop the same way, and
    ``"deadline"`` is returned. None when HiGHS finished on its own.
    """
    highs.HandleUserInterrupt = True  # HiGHS's callbacks check for cancelSolve()
    thread = highs.startSolve()
    stopped_by = None
    while True:
        try:
            done, _ = highs.wait(0.1)
            if done:
                break
            if stopped_by is None and time.perf_counter() > deadline:
                stopped_by = "deadline"
                highs.cancelSolve()
        except KeyboardInterrupt:
            if stopped_by == "interrupt":
                raise
            stopped_by = "interrupt"
            stopping = "\ninterrupted: stopping the search (Ctrl-C again to quit without a plan)"
            print(stopping, file=sys.stderr, flush=True)
            highs.cancelSolve()
    thread.join(timeout=1.0)
    return stopped_by


def _outcome(
    highs: highspy.Highs, watcher: _Watcher, stopped_by: str | None = None
) -> tuple[Status, str, np.ndarray | None]:
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2 and highs.getNumCol() > 0
    values = np.asarray(highs.getSolution().col_value) if has_solution else None
    ms = highspy.HighsModelStatus
    if model_status == ms.kOptimal:
        if highs.getNumCol() == 0:
            return Status.OPTIMAL, "optimal: nothing to decide", np.zeros(0)
        return Status.OPTIMAL, "optimal", values
    if model_status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
        return Status.INFEASIBLE, "infeasible: the hard rules of the workbook contradict each other", None
    reason = {
        ms.kTimeLimit: "stopped at the time limit",
        ms.kInterrupt: "stopped at the time limit" if stopped_by == "deadline" else "interrupted",
        ms.kSolutionLimit: "stopped at the solution limit",
        ms.kIterationLimit: "stopped at the iteration limit",
    }.get(model_status, f"stopped ({highs.modelStatusToString(model_status)})")
    if values is not None:
        return Status.FEASIBLE, f"feasible, {reason}", values
    return Status.NO_SOLUTION, f"no plan found: {reason} before any plan was found", None


def _bound(highs: highspy.Highs, status: Status, plan: Plan) -> float:
    """The proven lower bound on total cost (capped at the plan's cost, which it cannot exceed)."""
    if highs.getNumCol() == 0:
        return plan.costs["total_cost"]
    info = highs.getInfo()
    bound = info.mip_dual_bound
    if not math.isfinite(bound) or abs(bound) >= 1e50:
        bound = info.objective_function_value if status is Status.OPTIMAL else -math.inf
    return min(float(bound), plan.costs["total_cost"])


def _objective_and_bound(highs: highspy.Highs, status: Status) -> tuple[float, float]:
    """The model's objective value and proven bound, for models whose objective is not the plan's cost."""
    info = highs.getInfo()
    objective = float(info.objective_function_value)
    bound = info.mip_dual_bound
    if not math.isfinite(bound) or abs(bound) >= 1e50:
        bound = objective if status is Status.OPTIMAL else -math.inf
    return objective, min(float(bound), objective)


def _order_lines(model: pyo.ConcreteModel, columns: list, values: np.ndarray) -> dict:
    where = {id(v): k for k, v in enumerate(columns)}
    lines = {}
    for key in model.X:
        var = model.q[key]
        k = where.get(id(var))
        qty = values[k] if k is not None else (var.value or 0.0)
        if qty > 1e-7:
            lines[key] = float(qty)
    return lines


def _count_integers(columns: list) -> int:
    return sum(1 for v in columns if v.is_integer())
