"""Benchmark instances: the generator's promises (deterministic, consistent, feasible without backlog)
and the TTM reader (demand panels, DOS end of file), checked against numbers read off the files by eye."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.benchdata.generate import SIZES, generate
from planner.benchdata.ttm import TR_INSTANCES, read_dat, to_frames

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = ROOT / "instances"
TTM = Path(os.environ.get("PLANNER_BENCHMARKS", "/work/shared/benchmarks")) / "ttm-trigeiro1989"
needs_ttm = pytest.mark.skipif(not TTM.is_dir(), reason=f"TTM benchmark files not found in {TTM}")

CONTRACT_COLUMNS = {
    "Settings": {"setting", "value"},
    "Items": {
        "item", "description", "unit", "unit_cost", "holding_cost", "stockout_cost", "on_hand",
        "safety_stock", "safety_stock_cost", "volume",
    },
    "Suppliers": {"supplier", "delivery_cost", "capacity", "co2_per_delivery", "name", "region", "distance"},
    "SupplierItems": {
        "supplier", "item", "unit_price", "lead_time", "min_order", "order_multiple", "max_order",
        "order_cost", "capacity", "capacity_per_unit", "capacity_per_order",
    },
    "Demand": {"item", "period", "quantity"},
    "ProductionPlan": {"product", "period", "quantity"},
    "BOM": {"product", "item", "quantity_per"},
    "OpenOrders": {"item", "period", "quantity", "supplier"},
    "Capacity": {"resource", "period", "capacity"},
}  # fmt: skip


GENERATED = [("S", 0), ("S", 1), ("S", 7), ("M", 0), ("L", 0)]


@pytest.fixture(scope="module")
def instances() -> dict[tuple[str, int], dict[str, pd.DataFrame]]:
    # XL (about 1 s to generate) is left out to keep this file fast; it passes the same checks
    return {key: generate(*key) for key in GENERATED}


def settings(frames: dict[str, pd.DataFrame]) -> dict[str, object]:
    return dict(zip(frames["Settings"]["setting"], frames["Settings"]["value"], strict=False))


def requirement(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """r[item, period] (items × periods 1..T) from Demand + ProductionPlan × BOM, recomputed here."""
    T = int(settings(frames)["periods"])
    exploded = frames["ProductionPlan"].merge(frames["BOM"], on="product")
    exploded["quantity"] = exploded["quantity"] * exploded["quantity_per"]
    both = pd.concat([frames["Demand"], exploded[["item", "period", "quantity"]]])
    r = both.pivot_table(index="item", columns="period", values="quantity", aggfunc="sum", fill_value=0)
    return r.reindex(index=frames["Items"]["item"], columns=range(1, T + 1), fill_value=0)


# --- generator ---------------------------------------------------------------------------------------


def test_generator_is_deterministic_for_a_seed() -> None:
    a, b = generate("S", seed=3), generate("S", seed=3)
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_generator_differs_between_seeds(instances) -> None:
    a, b = instances[("S", 0)], instances[("S", 1)]
    assert not a["Items"].equals(b["Items"])
    assert not a["SupplierItems"].equals(b["SupplierItems"])


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown size"):
        generate("XXL")


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_sizes_have_the_stated_counts(instances, size) -> None:
    frames, dims = instances[(size, 0)], SIZES[size]
    assert frames["Items"]["item"].is_unique and len(frames["Items"]) == dims.items
    assert frames["Suppliers"]["supplier"].is_unique and len(frames["Suppliers"]) == dims.suppliers
    assert frames["ProductionPlan"]["product"].nunique() == dims.products
    s = settings(frames)
    assert s["periods"] == dims.periods
    assert s["period_length"] == "week" and s["stockout_policy"] == "backlog"
    assert s["warehouse_capacity"] > 0 and 0 < s["annual_holding_rate"] < 1
    assert s["start_date"] is not None


def test_s_counts_are_20_items_4_suppliers_13_periods(instances) -> None:
    frames = instances[("S", 0)]
    assert (len(frames["Items"]), len(frames["Suppliers"]), settings(frames)["periods"]) == (20, 4, 13)


@pytest.mark.parametrize("key", GENERATED)
def test_generated_instance_is_consistent_and_needs_no_backlog(instances, key) -> None:
    frames = instances[key]
    for name, frame in frames.items():
        assert set(frame.columns) <= CONTRACT_COLUMNS[name], name
    T = int(settings(frames)["periods"])
    items, suppliers = set(frames["Items"]["item"]), set(frames["Suppliers"]["supplier"])
    offers = frames["SupplierItems"]
    products = set(frames["BOM"]["product"])

    # every id referenced exists; periods are in 1..T; a supplier-item pair at most once
    assert set(offers["supplier"]) <= suppliers and set(offers["item"]) <= items
    assert not offers.duplicated(["supplier", "item"]).any()
    assert set(frames["Demand"]["item"]) <= items and set(frames["BOM"]["item"]) <= items
    assert set(frames["ProductionPlan"]["product"]) <= products
    assert set(frames["OpenOrders"]["item"]) <= items
    assert set(frames["OpenOrders"]["supplier"].dropna()) <= suppliers
    assert set(frames["Capacity"]["resource"]) <= suppliers | {"warehouse"}
    for name in ["Demand", "ProductionPlan", "OpenOrders", "Capacity"]:
        assert frames[name]["period"].between(1, T).all(), name

    # offers: 1-3 per item, packs, minimums and maximums that fit together
    per_item = offers.groupby("item").size()
    assert per_item.between(1, 3).all() and set(per_item.index) == items
    with_min = offers[offers["min_order"].notna()]
    assert (with_min["min_order"] % with_min["order_multiple"] == 0).all()
    with_max = offers[offers["max_order"].notna()]
    assert (with_max["max_order"] >= with_max["min_order"].fillna(0)).all()
    assert (with_max["max_order"] % with_max["order_multiple"] == 0).all()
    assert frames["Items"]["unit_cost"].between(0.5, 200).all()

    # every item with a requirement has an offer; early requirements are covered, so no forced backlog
    r = requirement(frames)
    assert (r.sum(axis=1) > 0).all()  # every item is needed
    lead = offers.groupby("item")["lead_time"].agg(["min", "max"]).reindex(r.index)
    open_in = (
        frames["OpenOrders"]
        .pivot_table(index="item", columns="period", values="quantity", aggfunc="sum", fill_value=0)
        .reindex(index=r.index, columns=range(1, T + 1), fill_value=0)
    )
    stock = frames["Items"].set_index("item")["on_hand"].reindex(r.index)
    short = (r.cumsum(axis=1) - open_in.cumsum(axis=1)).sub(stock, axis=0)  # > 0: not covered by then
    periods = np.arange(1, T + 1)
    before_min_lead = periods[None, :] < 1 + lead["min"].to_numpy()[:, None]
    assert not (short.to_numpy() > 1e-9)[before_min_lead].any()
    # the generator promises more: covered up to the longest lead time, safety stock included
    before_max_lead = periods[None, :] < 1 + lead["max"].to_numpy()[:, None]
    safety = frames["Items"].set_index("item")["safety_stock"].reindex(r.index).to_numpy()[:, None]
    assert not ((short.to_numpy() + safety) > 1e-9)[before_max_lead].any()

    # start stock fits the warehouse; a shortage costs more than the dearest price
    volume = frames["Items"].set_index("item")["volume"].reindex(r.index)
    assert float(volume @ stock) <= settings(frames)["warehouse_capacity"]
    dearest = offers.groupby("item")["unit_price"].max().reindex(r.index)
    assert (frames["Items"].set_index("item")["stockout_cost"].reindex(r.index) > dearest).all()


def test_about_seventy_percent_of_items_come_from_a_bom(instances) -> None:
    frames = instances[("L", 0)]
    share = frames["BOM"]["item"].nunique() / len(frames["Items"])
    assert 0.65 <= share <= 0.75


def test_stored_s_workbook_is_the_seed_0_instance(instances) -> None:
    stored = pd.read_excel(INSTANCES / "S.xlsx", sheet_name=None, engine="openpyxl")
    fresh = instances[("S", 0)]
    assert list(stored) == list(fresh)
    for name in ["Items", "Suppliers", "SupplierItems", "Demand", "ProductionPlan", "BOM", "OpenOrders"]:
        pd.testing.assert_frame_equal(stored[name], fresh[name], check_dtype=False, obj=name)


# --- TTM reader --------------------------------------------------------------------------------------


def dat_demand_total(path: Path) -> float:
    """Σ of the n·T demand values, read as a flat list (panel order does not matter for the sum)."""
    tokens = path.read_bytes().split(b"\x1a")[0].split()
    n, T = int(tokens[0]), int(tokens[1])
    return sum(float(tok) for tok in tokens[4 + 4 * n : 4 + 4 * n + n * T])


@needs_ttm
def test_read_g30() -> None:
    inst = read_dat(TTM / "G" / "G30.DAT")
    assert (inst.n_items, inst.n_periods, inst.capacity) == (6, 15, 728)
    assert inst.b == [0.5, 0.7, 0.9, 1.1, 1.3, 1.5]
    assert inst.hc == [5, 5, 1, 3, 2, 1]
    assert inst.st == [40, 20, 20, 20, 40, 50]  # printed as "40."
    assert inst.sc == [800, 800, 600, 400, 400, 800]
    assert [inst.demand[i][0] for i in range(6)] == [119, 85, 0, 102, 84, 89]
    assert [inst.demand[i][14] for i in range(6)] == [125, 97, 109, 80, 103, 95]


@needs_ttm
def test_read_g57_demand_in_panels_of_15_items() -> None:
    inst = read_dat(TTM / "G" / "G57.DAT")
    assert (inst.n_items, inst.n_periods, inst.capacity) == (24, 15, 2912)
    assert inst.demand[0][0] == 120 and inst.demand[14][0] == 91  # first row of panel 1
    assert inst.demand[15][0] == 112  # item 16, period 1: first row of panel 2 (row 16 of the grid)
    assert inst.demand[18][0] == 118 and inst.demand[23][0] == 0
    assert inst.demand[0][1] == 118  # item 1, period 2: second row, not a wrapped panel-1 row
    assert inst.demand[14][14] == 107 and inst.demand[23][14] == 100


@needs_ttm
def test_read_x32228a_stops_before_the_dos_end_of_file() -> None:
    path = TTM / "X" / "X32228A.DAT"
    assert b"\x1a" in path.read_bytes()
    inst = read_dat(path)
    assert (inst.n_items, inst.n_periods, inst.capacity) == (30, 20, 3859)
    assert inst.demand[0][0] == 146 and inst.demand[0][19] == 165
    assert inst.demand[15][0] == 131 and inst.demand[15][19] == 44 and inst.demand[29][19] == 17


@needs_ttm
@pytest.mark.parametrize("rel", ["G/G30.DAT", "G/G57.DAT", "G/G72.DAT", "X/X32228A.DAT"])
def test_converted_demand_totals_the_file(rel) -> None:
    path = TTM / rel
    frames = to_frames(read_dat(path))
    assert frames["Demand"]["quantity"].sum() == pytest.approx(dat_demand_total(path))
    assert (frames["Demand"]["quantity"] > 0).all()


@needs_ttm
def test_ttm_mapping_onto_the_workbook() -> None:
    inst = read_dat(TTM / "G" / "G30.DAT")
    frames = to_frames(inst)
    assert settings(frames)["periods"] == 15
    assert list(frames["Suppliers"]["supplier"]) == ["PLANT"] and frames["Suppliers"]["capacity"][0] == 728
    offers = frames["SupplierItems"]
    assert (offers["supplier"] == "PLANT").all() and list(offers["item"]) == list(frames["Items"]["item"])
    assert (offers[["unit_price", "lead_time", "order_multiple"]] == 0).all().all()
    assert list(offers["capacity_per_unit"]) == inst.b
    assert list(offers["capacity_per_order"]) == inst.st and list(offers["order_cost"]) == inst.sc
    items = frames["Items"]
    assert list(items["holding_cost"]) == inst.hc
    assert (items["unit_cost"] == 0).all() and (items["on_hand"] == 0).all()
    assert (items["stockout_cost"] >= 10 * (sum(inst.sc) + 1)).all()
    unit = to_frames(inst, unit_capacity_use=True)["SupplierItems"]
    assert (unit["capacity_per_unit"] == 1).all()


@needs_ttm
def test_tr_instances_name_existing_files_with_their_published_optima() -> None:
    assert TR_INSTANCES == {
        "tr6-15": ("G30", True, 37721),
        "tr6-30": ("G62", False, 61746),
        "tr12-15": ("G53", False, 74634),
        "tr12-30": ("G69", False, 130596),
        "tr24-15": ("G57", False, 136509),
        "tr24-30": ("G72", False, 287929),
    }
    for name, (stem, _, _) in TR_INSTANCES.items():
        inst = read_dat(TTM / "G" / f"{stem}.DAT")
        assert name == f"tr{inst.n_items}-{inst.n_periods}"


@needs_ttm
@pytest.mark.parametrize("name", list(TR_INSTANCES))
def test_stored_tr_workbook_matches_its_dat_file(name) -> None:
    stem, unit_use, _ = TR_INSTANCES[name]
    fresh = to_frames(read_dat(TTM / "G" / f"{stem}.DAT"), unit_capacity_use=unit_use)
    stored = pd.read_excel(INSTANCES / f"{name}.xlsx", sheet_name=None, engine="openpyxl")
    assert list(stored) == list(fresh)
    for sheet in fresh:
        pd.testing.assert_frame_equal(stored[sheet], fresh[sheet], check_dtype=False, obj=sheet)
