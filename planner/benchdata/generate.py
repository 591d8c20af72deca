"""Seeded generator of realistic planning workbooks (docs/workbook.md) in four sizes.

The same size and seed give the same frames (numpy ``default_rng(seed)``, no other randomness). What an
instance holds, and why it is feasible without backlog:

- Suppliers are *near* (dearer, lead time 0–1, joint delivery cost 50–200) or *far* (cheaper, lead time
  2–4, delivery cost 150–400). About a third have a capacity per arrival period; a few holiday weeks
  lower a supplier's capacity (or close an unlimited one) through the Capacity sheet.
- Items have lognormal unit costs (0.5–200, median about 6) and volumes. About 70 % are components pulled
  by a ProductionPlan through a BOM; the rest are spare parts with lumpy, mildly seasonal Demand.
- Each item has 1–3 offers (most often 2) with pack sizes, some minimum and maximum order quantities
  and order costs.
- Feasibility: on_hand plus the open orders cover every requirement up to the item's *longest* lead time
  (so no offer is forced to deliver before it can) plus its safety stock; supplier capacities are raised
  where a sufficient check (every window of periods, release = 1 + lead time) says they might not
  suffice; the warehouse holds the stock that cannot be avoided plus safety stock and a minimum lot of
  every item, with a margin.
- Backlog never pays: an item's stockout_cost is the larger of 5–20 × its unit cost and what an extra
  minimal order of it costs at its dearest offer (lot, delivery, order cost, holding it to the end), so
  a unit short for one period always costs more than ordering it.

Command line::

    python -m planner.benchdata.generate SIZE OUT.xlsx [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.benchdata.workbook_io import write_workbook


@dataclass(frozen=True)
class Size:
    """Dimensions of a generated instance."""

    items: int
    suppliers: int
    periods: int
    products: int


SIZES: dict[str, Size] = {
    "S": Size(items=20, suppliers=4, periods=13, products=3),
    "M": Size(items=100, suppliers=10, periods=26, products=8),
    "L": Size(items=500, suppliers=30, periods=52, products=25),
    "XL": Size(items=2000, suppliers=100, periods=52, products=80),
}

START_DATE = dt.date(2025, 1, 6)  # a Monday
ANNUAL_HOLDING_RATE = 0.25
PACKS = np.array([1, 5, 10, 25, 50, 100])
SHARE_BOM_ITEMS = 0.7
SHARE_NEAR_SUPPLIERS = 0.4
SHARE_CAPACITATED_SUPPLIERS = 1 / 3
KINDS = [
    "bolt", "nut", "washer", "bearing", "housing", "gasket", "seal", "sensor", "cable", "connector",
    "bracket", "pcb", "motor", "valve", "spring", "filter", "shaft", "pump", "fan", "display",
]  # fmt: skip
UNITS = ["pcs", "pcs", "pcs", "pcs", "set", "m", "kg"]


def _ids(prefix: str, n: int) -> list[str]:
    width = max(2, len(str(n)))
    return [f"{prefix}{k:0{width}d}" for k in range(1, n + 1)]


def _round_up(x: float, step: float) -> float:
    return math.ceil(x / step - 1e-9) * step


def _or_zero(x: float) -> float:
    return 0.0 if math.isnan(x) else x


def _nice_ceil(x: float) -> float:
    """Round x up to two significant digits (1234 -> 1300)."""
    if x <= 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(x)) - 1)
    return round(_round_up(x, step), 6)


def generate(size: str, seed: int = 0) -> dict[str, pd.DataFrame]:
    """A planning workbook of the given size (a key of SIZES) as sheet name → DataFrame."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    dims = SIZES[size]
    rng = np.random.default_rng(seed)
    n, ns, T, n_prod = dims.items, dims.suppliers, dims.periods, dims.products
    item_ids, sup_ids, prod_ids = _ids("I", n), _ids("S", ns), _ids("P", n_prod)
    weeks = np.arange(1, T + 1)

    # --- suppliers ------------------------------------------------------------------------------------
    n_near = max(1, min(ns - 1, round(SHARE_NEAR_SUPPLIERS * ns)))
    near = rng.permutation(np.arange(ns) < n_near)
    sup_lead = np.where(near, rng.integers(0, 2, ns), rng.integers(2, 5, ns))
    distance = np.where(near, rng.integers(20, 300, ns), rng.integers(800, 9000, ns))
    delivery_cost = np.where(near, rng.integers(10, 41, ns), rng.integers(30, 81, ns)) * 5.0
    co2 = np.round(distance * np.where(near, rng.uniform(0.6, 1.0, ns), rng.uniform(0.1, 0.2, ns)))

    # --- items ----------------------------------------------------------------------------------------
    unit_cost = np.round(np.clip(rng.lognormal(math.log(6.0), 1.3, n), 0.5, 200.0), 2)
    volume = np.clip(rng.lognormal(math.log(0.002) + 0.3 * np.log(unit_cost / 6.0), 1.0, n), 1e-4, 0.5)
    volume = np.round(volume, 4)
    kinds = rng.choice(KINDS, n)
    units = rng.choice(UNITS, n)
    is_bom = rng.permutation(np.arange(n) < round(SHARE_BOM_ITEMS * n))
    bom_items = np.flatnonzero(is_bom)

    # --- BOM and production plan ----------------------------------------------------------------------
    bom: dict[tuple[int, int], int] = {}
    for p in range(n_prod):
        k = int(rng.integers(5, min(30, len(bom_items)) + 1))
        for i in rng.choice(bom_items, k, replace=False):
            bom[(p, int(i))] = int(rng.choice([1, 2, 3, 4], p=[0.55, 0.25, 0.1, 0.1]))
    used = {i for _, i in bom}
    for i in bom_items:  # every component goes into at least one product
        if int(i) not in used:
            bom[(int(rng.integers(n_prod)), int(i))] = int(rng.choice([1, 2], p=[0.7, 0.3]))

    plan = np.zeros((n_prod, T))
    for p in range(n_prod):
        rate = rng.lognormal(math.log(40.0), 0.7)
        season = 1 + rng.uniform(0.1, 0.3) * np.sin(2 * np.pi * (weeks / 52 + rng.random()))
        q = rate * season * rng.uniform(0.85, 1.15, T)
        q[rng.random(T) < 0.1] = 0  # weeks without production of this product
        step = 5 if rate > 20 else 1
        q = np.round(q / step) * step
        if q.sum() == 0:
            q[int(rng.integers(T))] = step
        plan[p] = q

    # --- direct demand: spare parts, and a few components also sold as spares ------------------------
    demand = np.zeros((n, T))
    sells_spares = ~is_bom | (rng.random(n) < 0.05)
    for i in np.flatnonzero(sells_spares):
        chance = rng.uniform(0.25, 0.8) if not is_bom[i] else rng.uniform(0.1, 0.2)
        mean = rng.lognormal(math.log(15.0), 0.9) * (6.0 / unit_cost[i]) ** 0.3
        season = 1 + rng.uniform(0.0, 0.4) * np.sin(2 * np.pi * (weeks / 52 + rng.random()))
        occurs = rng.random(T) < np.clip(chance * season, 0, 1)
        if not occurs.any():
            occurs[int(rng.integers(T))] = True
        sizes = np.maximum(1, np.round(mean * season * rng.lognormal(0, 0.5, T)))
        demand[i] = np.where(occurs, sizes, 0)

    req = demand.copy()
    for (p, i), qp in bom.items():
        req[i] += qp * plan[p]
    avg_req = np.maximum(req.mean(axis=1), 1.0)
    peak_req = req.max(axis=1)

    # --- offers ---------------------------------------------------------------------------------------
    offers = []  # dicts: s, i, price, lead, mult, min_order, max_order, order_cost
    for i in range(n):
        k = min(ns, int(rng.choice([1, 2, 3], p=[0.2, 0.6, 0.2])))
        for s in rng.choice(ns, k, replace=False):
            s = int(s)
            markup = rng.uniform(1.05, 1.3) if near[s] else rng.uniform(0.8, 1.0)
            lead = int(sup_lead[s] + (rng.random() < 0.15))
            lead = min(lead, 1) if near[s] else min(lead, 4)
            target = avg_req[i] * rng.uniform(0.2, 1.5) * (0.5 if near[s] else 1.0)
            mult = int(PACKS[PACKS <= max(1.0, target)].max())
            min_order = math.nan
            if rng.random() < 0.4:
                min_order = mult * int(rng.integers(1, max(1, int(3 * avg_req[i] // mult)) + 1))
            max_order = math.nan
            if rng.random() < 0.05:
                max_order = _round_up(max(2 * peak_req[i], 4 * avg_req[i], _or_zero(min_order)), mult)
            order_cost = float(rng.integers(1, 11) * 5) if rng.random() < 0.3 else math.nan
            offers.append(
                {
                    "s": s,
                    "i": i,
                    "price": max(0.01, round(unit_cost[i] * markup, 2)),
                    "lead": lead,
                    "mult": mult,
                    "min_order": min_order,
                    "max_order": max_order,
                    "order_cost": order_cost,
                }
            )
    for o in offers:
        o["min_q"] = max(o["mult"], _or_zero(o["min_order"]))  # smallest line
    by_item: list[list[dict]] = [[] for _ in range(n)]
    for o in offers:
        by_item[o["i"]].append(o)
    max_lead = np.array([max(o["lead"] for o in by_item[i]) for i in range(n)])

    # --- open orders, safety stock, on hand -----------------------------------------------------------
    open_rows = []
    for i in rng.choice(n, max(3, n // 15), replace=False):
        o = by_item[int(i)][int(rng.integers(len(by_item[int(i)])))]
        qty = _round_up(avg_req[i] * rng.uniform(1, 3), o["mult"])
        supplier = sup_ids[o["s"]] if rng.random() < 0.9 else None
        open_rows.append((int(i), int(rng.integers(1, 4)), qty, supplier))
    open_qty = np.zeros((n, T))
    for i, t, qty, _ in open_rows:
        open_qty[i, t - 1] += qty

    safety = np.where(rng.random(n) < 0.3, np.maximum(1, np.round(avg_req * rng.uniform(0.5, 2, n))), 0)
    cum_gap = np.cumsum(req - open_qty, axis=1)
    on_hand = np.zeros(n)
    for i in range(n):
        need = max(0.0, cum_gap[i, : max_lead[i]].max()) if max_lead[i] > 0 else 0.0
        extra = avg_req[i] * (rng.uniform(2, 6) if rng.random() < 0.1 else rng.uniform(0, 1.5))
        on_hand[i] = math.ceil(need + safety[i] + extra)

    # --- costs of an item -----------------------------------------------------------------------------
    holding = np.where(rng.random(n) < 0.15, np.round(unit_cost * rng.uniform(0.3, 0.5, n) / 52, 4), np.nan)
    hold_rate = np.where(np.isnan(holding), unit_cost * ANNUAL_HOLDING_RATE / 52, holding)
    stockout = np.round(unit_cost * rng.uniform(5, 20, n), 2)
    for i in range(n):
        emergency = max(
            o["min_q"] * (o["price"] + hold_rate[i] * T) + delivery_cost[o["s"]] + _or_zero(o["order_cost"])
            for o in by_item[i]
        )
        stockout[i] = max(stockout[i], math.ceil(emergency + 1))
    safety_cost = np.where(safety > 0, np.round(unit_cost * rng.uniform(1, 3, n), 2), np.nan)

    # --- supplier capacity and holiday weeks ----------------------------------------------------------
    avg_load = np.zeros(ns)  # if every item were bought evenly from its offers
    for o in offers:
        avg_load[o["s"]] += avg_req[o["i"]] / len(by_item[o["i"]])
    capacitated = rng.permutation(np.arange(ns) < round(SHARE_CAPACITATED_SUPPLIERS * ns))
    capacity = np.where(capacitated, avg_load * rng.uniform(1.5, 3.0, ns), np.inf)
    # holiday weeks: a capacitated supplier works at 30-70 % of its capacity, another one is closed;
    # from period 6 on, so that whatever is due then could also arrive a period earlier (lead <= 4)
    holiday: dict[tuple[int, int], float] = {}  # (supplier, period) -> share of the regular capacity
    while len(holiday) < max(1, ns // 4):
        limited = rng.random() < 0.7 and capacitated.any()
        s = int(rng.choice(np.flatnonzero(capacitated == limited)))
        holiday[(s, int(rng.integers(6, T + 1)))] = float(rng.uniform(0.3, 0.7)) if limited else 0.0
    for s in np.flatnonzero(capacitated):
        needed = _capacity_needed(s, offers, by_item, capacitated, req, max_lead, holiday)
        capacity[s] = _nice_ceil(max(capacity[s], needed))
    overrides = {key: math.floor(part * capacity[key[0]]) if part else 0 for key, part in holiday.items()}

    # --- warehouse ------------------------------------------------------------------------------------
    cum_in = on_hand[:, None] + np.cumsum(open_qty, axis=1)
    forced = np.maximum(0, cum_in - np.cumsum(req, axis=1))  # stock no plan can avoid
    forced_volume = max(float(volume @ on_hand), float((volume @ forced).max()))
    min_lot = np.array([min(o["min_q"] for o in by_item[i]) for i in range(n)])
    reserve = float(volume @ (safety + min_lot))
    typical = float(volume @ (safety + 0.5 * np.maximum(min_lot, 2 * avg_req)))
    warehouse = _nice_ceil(max(typical * rng.uniform(1.5, 2.5), 1.25 * (forced_volume + reserve)))

    # --- frames ---------------------------------------------------------------------------------------
    settings = pd.DataFrame(
        {
            "setting": [
                "periods", "start_date", "period_length", "warehouse_capacity",
                "annual_holding_rate", "stockout_policy", "currency",
            ],
            "value": [T, START_DATE, "week", warehouse, ANNUAL_HOLDING_RATE, "backlog", "EUR"],
        }
    )  # fmt: skip
    items = pd.DataFrame(
        {
            "item": item_ids,
            "description": [f"{k} {j + 1}" for j, k in enumerate(kinds)],
            "unit": units,
            "unit_cost": unit_cost,
            "holding_cost": holding,
            "stockout_cost": stockout,
            "on_hand": on_hand.astype(int),
            "safety_stock": safety.astype(int),
            "safety_stock_cost": safety_cost,
            "volume": volume,
        }
    )
    suppliers = pd.DataFrame(
        {
            "supplier": sup_ids,
            "name": [f"{'Nearby' if nr else 'Overseas'} supplier {k + 1}" for k, nr in enumerate(near)],
            "region": np.where(near, "near", "far"),
            "distance": distance,
            "delivery_cost": delivery_cost,
            "capacity": np.where(np.isfinite(capacity), capacity, np.nan),
            "co2_per_delivery": co2,
        }
    )
    offer_frame = pd.DataFrame(
        {
            "supplier": [sup_ids[o["s"]] for o in offers],
            "item": [item_ids[o["i"]] for o in offers],
            "unit_price": [o["price"] for o in offers],
            "lead_time": [o["lead"] for o in offers],
            "min_order": [o["min_order"] for o in offers],
            "order_multiple": [o["mult"] for o in offers],
            "max_order": [o["max_order"] for o in offers],
            "order_cost": [o["order_cost"] for o in offers],
        }
    ).sort_values(["supplier", "item"], ignore_index=True)
    nz = np.argwhere(demand > 0)
    demand_frame = pd.DataFrame(
        {
            "item": [item_ids[i] for i, _ in nz],
            "period": nz[:, 1] + 1,
            "quantity": demand[nz[:, 0], nz[:, 1]].astype(int),
        }
    )
    pz = np.argwhere(plan > 0)
    plan_frame = pd.DataFrame(
        {
            "product": [prod_ids[p] for p, _ in pz],
            "period": pz[:, 1] + 1,
            "quantity": plan[pz[:, 0], pz[:, 1]].astype(int),
        }
    )
    bom_frame = pd.DataFrame(
        [(prod_ids[p], item_ids[i], qp) for (p, i), qp in sorted(bom.items())],
        columns=["product", "item", "quantity_per"],
    )
    open_frame = pd.DataFrame(
        [(item_ids[i], t, qty, s) for i, t, qty, s in sorted(open_rows, key=lambda r: (r[0], r[1]))],
        columns=["item", "period", "quantity", "supplier"],
    )
    capacity_frame = pd.DataFrame(
        [(sup_ids[s], t, c) for (s, t), c in sorted(overrides.items())],
        columns=["resource", "period", "capacity"],
    )
    return {
        "Settings": settings,
        "Items": items,
        "Suppliers": suppliers,
        "SupplierItems": offer_frame,
        "Demand": demand_frame,
        "ProductionPlan": plan_frame,
        "BOM": bom_frame,
        "OpenOrders": open_frame,
        "Capacity": capacity_frame,
    }


def _capacity_needed(
    s: int,
    offers: list[dict],
    by_item: list[list[dict]],
    capacitated: np.ndarray,
    req: np.ndarray,
    max_lead: np.ndarray,
    holiday: dict[tuple[int, int], float],
) -> float:
    """Regular capacity per period that certainly lets supplier s carry the items that cannot go to
    a supplier without capacity (their requirement split evenly over their offers).

    Sufficient condition for jobs with release dates and deadlines on one resource: in every window
    [a, b], the load released no earlier than a and due by b — plus one minimal lot for each item with
    load in the window (rounding up to packs), with a 20 % margin — fits the window's capacity
    (``holiday`` lowers some periods to a share of the regular capacity). Requirements up to an item's
    longest lead time come from stock.
    """
    jobs = [
        (o["i"], 1 + o["lead"], 1 / len(by_item[o["i"]]), o["min_q"])
        for o in offers
        if o["s"] == s and all(capacitated[p["s"]] for p in by_item[o["i"]])
    ]
    T = req.shape[1]
    share = np.array([holiday.get((s, t), 1.0) for t in range(1, T + 1)])
    needed = 0.0
    for a in sorted({rel for _, rel, _, _ in jobs}):
        released = [j for j in jobs if j[1] >= a]
        due = np.array([part * req[i] * (np.arange(T) >= max_lead[i]) for i, _, part, _ in released])
        lots = np.array([lot for *_, lot in released])
        cum = np.cumsum(due[:, a - 1 :], axis=1)  # load per job in windows [a, b], b = a..T
        need = 1.2 * cum.sum(axis=0) + lots @ (cum > 0)
        room = np.cumsum(share[a - 1 :])
        needed = max(needed, float(np.max(need / np.maximum(room, 1e-9))))
    minimum_line = max((o["min_q"] for o in offers if o["s"] == s), default=0.0)
    return max(needed, 1.5 * minimum_line)


def write_instance(size: str, path: str | Path, seed: int = 0) -> Path:
    """Generate an instance and write it as a workbook."""
    return write_workbook(generate(size, seed), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m planner.benchdata.generate", description="Write a generated planning workbook."
    )
    parser.add_argument("size", choices=list(SIZES), help="instance size")
    parser.add_argument("out", type=Path, help="workbook to write (.xlsx)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    write_instance(args.size, args.out, args.seed)
    d = SIZES[args.size]
    print(f"{args.out}: {d.items} items, {d.suppliers} suppliers, {d.periods} periods (seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
