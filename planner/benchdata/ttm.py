"""Trigeiro, Thomas & McClain (1989) capacitated lot-sizing instances (.DAT) as planning workbooks.

The TTM problem: n items share one capacity per period; producing item i in period t uses b_i capacity
per unit plus a setup time st_i, and costs a setup cost sc_i; holding cost hc_i per unit on end-of-period
stock; no start stock, no backlog. In the workbook contract (docs/workbook.md) that is one supplier
``PLANT`` whose ``capacity`` is the capacity per period, and per item one offer with lead time 0, price 0,
any quantity (``order_multiple`` 0), ``capacity_per_unit`` = b, ``capacity_per_order`` = st and
``order_cost`` = sc. The literature's objective (setup + holding cost) is then the plan's total cost.

File layout (whitespace-separated, see /work/shared/benchmarks/README.md): n T; unit production cost
(always 1, not in the objective); capacity; n lines ``b hc st sc``; then the demand, one row per period,
printed in panels of at most 15 item columns — with more than 15 items the first T rows hold items
1–15, the next T rows items 16–30, and so on. Text after the n·T demand values (a legend, a DOS end of
file byte 0x1a, NUL padding) is ignored.

Command line::

    python -m planner.benchdata.ttm IN.DAT OUT.xlsx [--unit-capacity-use]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.benchdata.workbook_io import write_workbook

PANEL_WIDTH = 15  # item columns per demand panel in the .DAT files
SUPPLIER = "PLANT"

# Backlog must never pay, or the plan's cost would not be the literature's objective (which forbids
# backlog). A unit backlogged for one period costs STOCKOUT_FACTOR × (Σi sc_i + 1): a hundred times the
# cost of setting up every item once. Backlog can save at most the plan's setups and holding (less than
# T × Σi sc_i plus holding), so it could pay only if a total backlog below about T/100 unit-periods made a
# setup unnecessary — conceivable with fractional quantities, never seen; the benchmark run checks that a
# plan matching the published optimum has no backlog. (10× would leave that door wider, 1e6× would hurt
# the solver's numerics.)
STOCKOUT_FACTOR = 100

# LOTSIZELIB "tr" instances (Belvaux & Wolsey 2000, CORE DP 2000/39) with their proven optima, as listed
# in /work/shared/benchmarks/ttm-trigeiro1989/lemoine_TRIGEIRO1989-LITERATURE-SEED-v0.12.0.csv.
# name -> (.DAT file stem in G/, every capacity use per unit set to 1, published optimum).
# tr6-15 is G30 with unit capacity use; its optimum 37721 is the literature value for that variant (the
# catalogue lists the variant without a value and warns not to transfer it to the original G30).
TR_INSTANCES: dict[str, tuple[str, bool, int]] = {
    "tr6-15": ("G30", True, 37721),
    "tr6-30": ("G62", False, 61746),
    "tr12-15": ("G53", False, 74634),
    "tr12-30": ("G69", False, 130596),
    "tr24-15": ("G57", False, 136509),
    "tr24-30": ("G72", False, 287929),
}


@dataclass(frozen=True)
class TTMInstance:
    """One TTM instance; item lists are indexed 0..n-1, ``demand[i][t]`` is item i+1 in period t+1."""

    n_items: int
    n_periods: int
    capacity: float
    b: list[float]  # capacity use per unit
    hc: list[float]  # holding cost per unit and period
    st: list[float]  # setup time (capacity used by a setup)
    sc: list[float]  # setup cost
    demand: list[list[float]]
    name: str = ""

    @property
    def total_demand(self) -> float:
        return sum(sum(row) for row in self.demand)


def read_dat(path: str | Path) -> TTMInstance:
    """Read a TTM .DAT file, demand panels of 15 item columns unscrambled."""
    path = Path(path)
    text = path.read_bytes().split(b"\x1a", 1)[0].decode("latin-1")
    tokens = text.split()
    pos = 0

    def take(k: int) -> list[float]:
        nonlocal pos
        if pos + k > len(tokens):
            raise ValueError(f"{path}: expected {k} more numbers after value {pos}, file ends")
        try:
            values = [float(tok) for tok in tokens[pos : pos + k]]
        except ValueError as exc:
            raise ValueError(f"{path}: not a number among values {pos + 1}..{pos + k}: {exc}") from None
        pos += k
        return values

    n_f, t_f = take(2)
    n, T = int(n_f), int(t_f)
    if n != n_f or T != t_f or n < 1 or T < 1:
        raise ValueError(f"{path}: items and periods must be positive whole numbers, got {n_f} {t_f}")
    take(1)  # unit production cost: always 1, not part of the objective
    (capacity,) = take(1)
    rows = [take(4) for _ in range(n)]
    demand = [[0.0] * T for _ in range(n)]
    for first in range(0, n, PANEL_WIDTH):
        panel = range(first, min(first + PANEL_WIDTH, n))
        for t in range(T):
            for i, value in zip(panel, take(len(panel)), strict=False):
                demand[i][t] = value
    return TTMInstance(
        n_items=n,
        n_periods=T,
        capacity=capacity,
        b=[r[0] for r in rows],
        hc=[r[1] for r in rows],
        st=[r[2] for r in rows],
        sc=[r[3] for r in rows],
        demand=demand,
        name=path.stem,
    )


def item_id(inst: TTMInstance, i: int) -> str:
    """Id of item i (0-based): I01..I24, zero-padded so that ids sort in file order."""
    return f"I{i + 1:0{len(str(inst.n_items))}d}"


def to_frames(inst: TTMInstance, unit_capacity_use: bool = False) -> dict[str, pd.DataFrame]:
    """The instance as workbook sheets; ``unit_capacity_use`` sets every capacity use per unit to 1
    (LOTSIZELIB's tr6-15 is G30 so modified)."""
    ids = [item_id(inst, i) for i in range(inst.n_items)]
    stockout_cost = STOCKOUT_FACTOR * (sum(inst.sc) + 1)
    settings = pd.DataFrame({"setting": ["periods", "stockout_policy"], "value": [inst.n_periods, "backlog"]})
    items = pd.DataFrame(
        {
            "item": ids,
            "description": [f"{inst.name} item {i + 1}" for i in range(inst.n_items)],
            "unit_cost": 0.0,
            "holding_cost": inst.hc,
            "stockout_cost": stockout_cost,
            "on_hand": 0,
        }
    )
    suppliers = pd.DataFrame(
        {"supplier": [SUPPLIER], "name": ["shared production capacity"], "capacity": [inst.capacity]}
    )
    offers = pd.DataFrame(
        {
            "supplier": SUPPLIER,
            "item": ids,
            "unit_price": 0.0,
            "lead_time": 0,
            "order_multiple": 0,
            "order_cost": inst.sc,
            "capacity_per_unit": [1.0] * inst.n_items if unit_capacity_use else inst.b,
            "capacity_per_order": inst.st,
        }
    )
    demand = pd.DataFrame(
        [(ids[i], t + 1, q) for i in range(inst.n_items) for t, q in enumerate(inst.demand[i]) if q > 0],
        columns=["item", "period", "quantity"],
    )
    return {
        "Settings": settings,
        "Items": items,
        "Suppliers": suppliers,
        "SupplierItems": offers,
        "Demand": demand,
    }


def write_tr_instance(name: str, data_dir: str | Path, out: str | Path) -> Path:
    """Write LOTSIZELIB instance ``name`` (a key of TR_INSTANCES) from the TTM ``G/`` folder in data_dir."""
    stem, unit_use, _ = TR_INSTANCES[name]
    inst = read_dat(Path(data_dir) / "G" / f"{stem}.DAT")
    return write_workbook(to_frames(inst, unit_capacity_use=unit_use), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m planner.benchdata.ttm", description="Convert a TTM .DAT file to a planning workbook."
    )
    parser.add_argument("dat", type=Path, help="TTM .DAT file")
    parser.add_argument("out", type=Path, help="workbook to write (.xlsx)")
    parser.add_argument(
        "--unit-capacity-use",
        action="store_true",
        help="set every capacity use per unit to 1 (tr6-15 is G30 so modified)",
    )
    args = parser.parse_args(argv)
    inst = read_dat(args.dat)
    write_workbook(to_frames(inst, unit_capacity_use=args.unit_capacity_use), args.out)
    print(f"{args.out}: {inst.n_items} items x {inst.n_periods} periods, total demand {inst.total_demand:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
