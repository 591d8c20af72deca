"""Disruption scenarios: generate them, cost a plan in each, and report the risk of the stochastic plan.

A workbook with a Disruptions sheet is planned as a two-stage stochastic MILP
(:func:`planner.model.disruptions.define_scenarios`): the order lines are decided once; receipts,
stock and backlog follow each scenario. This module is its data side:

- :func:`scenarios` — the scenarios: every combination of the independent disruptions when there are at
  most ``Settings.scenarios`` of them, else that many random draws (seed ``Settings.scenario_seed``).
- :func:`line_effects` — what a scenario does to an order line: its delay and the share delivered.
- :func:`evaluate_scenario` — the cost of a plan (its Orders table) in one scenario, from the orders
  alone, through the same :func:`planner.plan.evaluate` as every plan.
- :func:`risk_tables` — the result sheets Scenarios, Risk and Buffer: expected, worst-case and CVaR cost,
  the buffer against the deterministic plan and the value of the stochastic solution (VSS).
- :func:`pre_buffered` — the warm start of the stochastic model: the constructive plan with every line
  a disruption may delay brought forward by that delay (used by :func:`planner.heuristics.warm_start`).
- :func:`bench_stochastic` — size and time of the stochastic model for ``planner bench``.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.data import COST_TERMS, PlanningData, empty_disruptions
from planner.plan import evaluate

FIRST_STAGE = ("delivery_cost", "order_cost")
"""Cost terms decided with the orders (the same in every scenario); the others follow the scenario."""


@dataclass(frozen=True)
class Scenario:
    """One scenario: which disruption rows happen (positions in ``data.disruptions``) and its probability."""

    name: str
    probability: float
    events: tuple[int, ...]

    def describe(self, data: PlanningData) -> str:
        """The disruptions that happen, in words ("none" for the undisrupted scenario)."""
        if not self.events:
            return "none"
        parts = []
        for k in self.events:
            row = data.disruptions.iloc[k]
            what = f"{row['supplier']}" + (f"/{row['item']}" if row["item"] else "")
            effect = []
            if int(row["delay"]):
                effect.append(f"delay {int(row['delay'])}")
            if float(row["capacity_factor"]) != 1:
                effect.append(f"capacity ×{float(row['capacity_factor']):g}")
            window = f"periods {int(row['from_period'])}-{int(row['to_period'])}"
            parts.append(f"Disruptions row {int(row['row'])}: {what} {', '.join(effect)} ({window})")
        return "; ".join(parts)


def scenarios(data: PlanningData) -> list[Scenario]:
    """The scenarios of ``data``'s disruptions (none without a Disruptions sheet).

    n independent disruptions give 2ⁿ combinations. When 2ⁿ ≤ ``Settings.scenarios`` each combination is
    a scenario with probability Π p (happens) × Π (1 − p) (does not); combinations of probability 0 are
    left out. Otherwise N = ``Settings.scenarios`` draws are made with
    ``numpy.random.default_rng(scenario_seed)``, each of probability 1/N; identical draws are merged and
    their probabilities added.
    """
    table = data.disruptions
    if table.empty:
        return []
    p = table["probability"].to_numpy(dtype=float)
    n = len(p)
    cap = data.settings.scenarios
    combos: dict[tuple[int, ...], float] = {}
    if n < 31 and 2**n <= cap:
        for happens in itertools.product((False, True), repeat=n):
            prob = float(np.prod(np.where(happens, p, 1.0 - p)))
            if prob > 0:
                combos[tuple(k for k in range(n) if happens[k])] = prob
    else:
        rng = np.random.default_rng(data.settings.scenario_seed)
        draws = rng.random((cap, n)) < p
        for row in draws:
            key = tuple(int(k) for k in np.flatnonzero(row))
            combos[key] = combos.get(key, 0.0) + 1.0 / cap
    ordered = sorted(combos.items(), key=lambda kv: (len(kv[0]), kv[0]))
    return [Scenario(f"S{k}", prob, events) for k, (events, prob) in enumerate(ordered, start=1)]


def scenario_method(data: PlanningData) -> str:
    """ "enumerated" or "sampled", as :func:`scenarios` does it."""
    n = len(data.disruptions)
    return "enumerated" if n < 31 and 2**n <= data.settings.scenarios else "sampled"


def line_effects(
    data: PlanningData, scenario: Scenario, lines: list[tuple[str, str, int]]
) -> dict[tuple[str, str, int], tuple[int, float]]:
    """{(supplier, item, arrival period): (delay, share delivered)} for the lines the scenario hits.

    A disruption that happens hits every line of its supplier (and item, when given) due in its window
    from_period..to_period. Several hitting one line: the longest delay, the product of the shares.
    """
    out: dict[tuple[str, str, int], tuple[int, float]] = {}
    if not scenario.events:
        return out
    rows = [data.disruptions.iloc[k] for k in scenario.events]
    for s, i, t in lines:
        delay, share, hit = 0, 1.0, False
        for row in rows:
            if row["supplier"] == s and (not row["item"] or row["item"] == i):
                if int(row["from_period"]) <= t <= int(row["to_period"]):
                    hit = True
                    delay = max(delay, int(row["delay"]))
                    share *= float(row["capacity_factor"])
        if hit:
            out[(s, i, t)] = (delay, share)
    return out


def received_orders(
    data: PlanningData, orders: pd.DataFrame, scenario: Scenario
) -> tuple[pd.DataFrame, float]:
    """What arrives in the horizon when ``orders`` meet ``scenario``, and the purchase cost it incurs.

    Each hit line arrives ``delay`` periods later with ``share`` of its quantity (only that share is
    bought); a line pushed beyond T is bought but not received within the horizon.
    """
    keys = list(zip(orders["supplier"], orders["item"], orders["arrival_period"].astype(int), strict=False))
    effects = line_effects(data, scenario, keys)
    frame = orders.copy()
    delay = np.array([effects.get(k, (0, 1.0))[0] for k in keys], dtype=int)
    share = np.array([effects.get(k, (0, 1.0))[1] for k in keys], dtype=float)
    if len(frame):
        frame["arrival_period"] = frame["arrival_period"].to_numpy(dtype=int) + delay
        frame["quantity"] = frame["quantity"].to_numpy(dtype=float) * share
        frame["line_value"] = frame["quantity"] * frame["unit_price"]
    purchase = float(frame["line_value"].sum()) if len(frame) else 0.0
    inside = frame[(frame["arrival_period"] <= data.T) & (frame["quantity"] > 0)].reset_index(drop=True)
    return inside, purchase


def evaluate_scenario(data: PlanningData, orders: pd.DataFrame, scenario: Scenario) -> dict[str, float]:
    """The cost terms, total_cost and service_level of ``orders`` in ``scenario``.

    Delivery and order-line costs are those of the orders as placed; purchase is what is delivered;
    holding, stockout, safety and the storage part of carbon follow the stock of the scenario.
    """
    nominal = evaluate(data, orders)
    received, purchase = received_orders(data, orders, scenario)
    actual = evaluate(data, received)
    costs = {term: actual.costs[term] for term in COST_TERMS}
    costs["purchase_cost"] = purchase
    for term in FIRST_STAGE:
        costs[term] = nominal.costs[term]
    price = data.settings.carbon_price
    costs["carbon_cost"] = price * (nominal.kpis["transport_co2_kg"] + actual.kpis["storage_co2_kg"])
    costs["total_cost"] = float(sum(costs[term] for term in COST_TERMS))
    costs["service_level"] = actual.kpis["service_level"]
    return costs


def evaluate_over(data: PlanningData, orders: pd.DataFrame, cases: list[Scenario]) -> pd.DataFrame:
    """One row per scenario: probability and every cost of ``orders`` in it."""
    rows = []
    for sc in cases:
        costs = evaluate_scenario(data, orders, sc)
        rows.append({"scenario": sc.name, "probability": sc.probability, **costs})
    return pd.DataFrame(rows)


def cvar(costs: np.ndarray, probabilities: np.ndarray, alpha: float) -> float:
    """CVaR_α: the expected cost over the worst 1 − α of the probability (Rockafellar–Uryasev).

    min over η of η + Σ p · max(cost − η, 0) ÷ (1 − α), attained at η = VaR_α.
    """
    costs = np.asarray(costs, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    candidates = [
        eta + float(np.dot(probabilities, np.maximum(costs - eta, 0.0))) / (1.0 - alpha) for eta in costs
    ]
    return float(min(candidates))


def deterministic(data: PlanningData) -> PlanningData:
    """The same data without disruptions: the plan as if everything arrives as ordered."""
    return dataclasses.replace(data, disruptions=empty_disruptions())


def risk_tables(data: PlanningData, orders: pd.DataFrame, options=None) -> dict[str, pd.DataFrame]:
    """The result sheets of a stochastic plan: Scenarios, Risk and Buffer.

    Solves the deterministic model (same data without disruptions) with the same :func:`planner.solve`,
    costs both plans in every scenario and reports expected, worst-case and CVaR cost of each, the value of
    the stochastic solution VSS = E[cost of the deterministic plan] − E[cost of the stochastic plan], and
    the buffer: the stochastic plan's end-of-period stock (everything on time) minus the deterministic
    plan's, per item and period (``disrupted``: whether a disruption can hit the item), and summed over
    the disrupted items, on average per period (``buffer_units``, ``buffer_value`` at unit_cost).
    """
    from planner.solve import solve

    cases = scenarios(data)
    det_result = solve(deterministic(data), options)
    det_orders = det_result.orders if det_result.has_plan else None
    mine = evaluate_over(data, orders, cases)
    p = mine["probability"].to_numpy()
    alpha = data.settings.cvar_alpha
    table = pd.DataFrame(
        {
            "scenario": [sc.name for sc in cases],
            "probability": p,
            "disruptions": [sc.describe(data) for sc in cases],
        }
    )
    for term in (*COST_TERMS, "total_cost", "service_level"):
        table[term] = mine[term].to_numpy()
    expected = float(np.dot(p, mine["total_cost"]))
    risk: list[tuple[str, object]] = [
        ("scenarios", len(cases)),
        ("scenario_method", scenario_method(data)),
        ("expected_cost", expected),
        ("worst_case_cost", float(mine["total_cost"].max())),
        ("best_case_cost", float(mine["total_cost"].min())),
        ("cvar_alpha", alpha),
        ("cvar_cost", cvar(mine["total_cost"].to_numpy(), p, alpha)),
        ("cvar_weight", data.settings.cvar_weight),
        ("expected_service_level", float(np.dot(p, mine["service_level"]))),
        ("as_planned_cost", evaluate(data, orders).costs["total_cost"]),
    ]
    columns = ["item", "period", "disrupted", "closing", "deterministic_closing", "buffer"]
    buffer = pd.DataFrame(columns=columns)
    if det_orders is not None:
        theirs = evaluate_over(data, det_orders, cases)
        det_expected = float(np.dot(p, theirs["total_cost"]))
        table["deterministic_plan_cost"] = theirs["total_cost"].to_numpy()
        mine_stock = evaluate(data, orders).inventory
        det_stock = evaluate(data, det_orders).inventory
        extra = mine_stock["closing"].to_numpy() - det_stock["closing"].to_numpy()
        buffer = pd.DataFrame(
            {
                "item": mine_stock["item"],
                "period": mine_stock["period"],
                "closing": mine_stock["closing"],
                "deterministic_closing": det_stock["closing"],
                "buffer": np.round(extra, 9),
            }
        )
        whole = set(data.disruptions.loc[data.disruptions["item"] == "", "supplier"])
        hit = set(data.disruptions["item"]) | {i for s, i in data.offers.index if s in whole}
        buffer.insert(2, "disrupted", ["yes" if i in hit else "no" for i in buffer["item"]])
        buffer = buffer[buffer["buffer"] != 0].reset_index(drop=True)
        value = mine_stock["item"].map(data.items["unit_cost"]).to_numpy(dtype=float)
        exposed = mine_stock["item"].isin(hit).to_numpy()  # the buffer proper: stock of items at risk
        risk += [
            ("deterministic_plan_status", det_result.status.value),
            ("deterministic_expected_cost", det_expected),
            ("deterministic_worst_case_cost", float(theirs["total_cost"].max())),
            ("deterministic_cvar_cost", cvar(theirs["total_cost"].to_numpy(), p, alpha)),
            ("vss", det_expected - expected),
            ("buffer_units", float(extra[exposed].sum() / data.T)),
            ("buffer_value", float((value * extra)[exposed].sum() / data.T)),
        ]
    else:
        risk.append(("deterministic_plan_status", det_result.status.value))
    return {"Scenarios": table, "Risk": pd.DataFrame(risk, columns=["metric", "value"]), "Buffer": buffer}


def pre_buffered(
    data: PlanningData, lines: dict[tuple[str, str, int], float], allowed=None
) -> dict[tuple[str, str, int], float]:
    """A start for the stochastic model: each line a disruption may delay brought forward by that delay.

    Order lines {(supplier, item, arrival period): quantity} of a deterministic plan (e.g. the
    constructive start of :mod:`planner.heuristics`) arrive on time in every scenario once they are due
    the longest delay that may hit them earlier — when the lead time, the frozen fence and ``allowed``
    (the model's lines, when given) allow; lines that land on the same period are merged. Costs some
    holding, saves the backlog of the delays.
    """
    if not data.has_disruptions:
        return dict(lines)
    everything = Scenario("all", 1.0, tuple(range(len(data.disruptions))))
    effects = line_effects(data, everything, list(lines))
    lead = data.offers["lead_time"].to_dict()
    out: dict[tuple[str, str, int], float] = {}
    for (s, i, t), qty in lines.items():
        delay = effects.get((s, i, t), (0, 1.0))[0]
        early = t - delay
        fits = allowed is None or (s, i, early) in allowed
        if delay and fits and early >= 1 + int(lead[(s, i)]) and early > data.settings.frozen_periods:
            t = early
        out[(s, i, t)] = out.get((s, i, t), 0.0) + qty
    return out


# --- benchmark hook -----------------------------------------------------------------------------------


def with_bench_disruptions(data: PlanningData, scenarios: int = 10, seed: int = 0) -> PlanningData:
    """``data`` with one disruption per supplier (an even chance of a one-period delay in the middle third
    of the horizon) and ``scenarios`` sampled scenarios — the stochastic case ``planner bench`` measures.
    With 10 suppliers there are 1,024 combinations, so 10 draws are (almost always) 10 scenarios."""
    T = data.T
    first, last = max(1, T // 3), max(1, 2 * T // 3)
    rows = [(s, "", first, last, 0.5, 1, 1.0, k + 2) for k, s in enumerate(data.suppliers.index)]
    table = pd.DataFrame(rows, columns=list(empty_disruptions().columns))
    table = table.astype({"from_period": "int64", "to_period": "int64", "delay": "int64", "row": "int64"})
    settings = dataclasses.replace(data.settings, scenarios=scenarios, scenario_seed=seed)
    return dataclasses.replace(data, settings=settings, disruptions=table)


def bench_stochastic(data: PlanningData, scenarios: int = 10, options=None, solve_it: bool = True) -> dict:
    """Size and time of the stochastic model of ``data`` with ``scenarios`` scenarios, for ``planner bench``.

    Adds :func:`with_bench_disruptions` to ``data`` (e.g. the generated M instance,
    ``planner.from_frames(planner.benchdata.generate.generate("M"))``), builds the model and, unless
    ``solve_it`` is False, solves it with :func:`planner.solve` (without the deterministic re-solve of
    the risk report). Returns ``scenarios``, ``rows``, ``columns``, ``integers``, ``build_seconds`` and,
    when solved, ``status``, ``solve_seconds``, ``total_seconds``, ``lower_bound`` and ``gap`` (both of the
    expected cost that the stochastic model minimises). To bench it inside ``planner bench`` instead, solve
    ``with_bench_disruptions(data)`` with ``planner.solve(..., risk_report=False)``.
    """
    from planner.model import build_model
    from planner.solve import solve, to_highs

    stochastic = with_bench_disruptions(data, scenarios)
    start = time.perf_counter()
    model = build_model(stochastic)
    highs, columns, _ = to_highs(model)
    out: dict[str, object] = {
        "scenarios": len(model.Omega),
        "rows": highs.getNumRow(),
        "columns": highs.getNumCol(),
        "integers": sum(1 for v in columns if v.is_integer()),
        "build_seconds": time.perf_counter() - start,
    }
    if solve_it:
        result = solve(stochastic, options, risk_report=False)
        out.update(
            status=result.status.value,
            solve_seconds=result.timings.get("solve"),
            total_seconds=result.timings.get("total"),
            lower_bound=result.lower_bound,
            gap=result.gap,
        )
    return out
