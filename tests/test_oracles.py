"""The independent oracles themselves: Wagner–Whitin and the plan checker.

These tests never touch ``planner``: they prove that the yardsticks used on the planner's plans are
right, against textbook optima and against plans whose costs are worked out by hand below.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.checker import COST_TERMS, Calendar, assert_plan_consistent, check_plan
from tests.wagner_whitin import lot_sizing_cost, wagner_whitin
from tests.workbooks import write_workbook as write_fresh

BENCHMARK = Path("/work/shared/benchmarks/single-item-textbook/instances.json")


def _instances() -> list[Any]:
    if not BENCHMARK.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{BENCHMARK} not found"))]
    params = []
    for inst in json.loads(BENCHMARK.read_text())["instances"]:
        capacitated = inst.get("capacity") is not None or inst.get("storage_max") is not None
        skip = pytest.mark.skip(reason="capacitated: Wagner–Whitin is for the uncapacitated case")
        params.append(pytest.param(inst, id=inst["name"], marks=[skip] if capacitated else []))
    return params


# ============================================================================ Wagner–Whitin


def test_wagner_whitin_textbook_example_costs_1380() -> None:
    cost, orders = wagner_whitin([90, 120, 80, 70], fixed_cost=500, holding_cost=2)
    assert cost == pytest.approx(1380)
    assert orders == [210, 0, 150, 0]


@pytest.mark.parametrize("inst", _instances())
def test_wagner_whitin_reproduces_benchmark(inst: dict[str, Any]) -> None:
    args = (inst["fixed_cost"], inst["holding_cost"], inst["purchase_cost"])
    cost, orders = wagner_whitin(inst["demand"], *args)
    assert cost == pytest.approx(inst["optimal_cost"], rel=1e-9)
    # The plan returned really costs that, and the published plan is optimal under our convention.
    assert lot_sizing_cost(inst["demand"], orders, *args) == pytest.approx(cost, rel=1e-9)
    assert lot_sizing_cost(inst["demand"], inst["optimal_order_qty"], *args) == pytest.approx(cost, rel=1e-9)


def _brute_force(demand: list[int], fixed: list[float], hold: list[float], price: list[float]) -> float:
    """Every integer plan, no structural shortcut (not even zero-inventory ordering)."""
    total = sum(demand)
    best = float("inf")
    for orders in itertools.product(range(total + 1), repeat=len(demand)):
        if sum(orders) != total:  # ending with stock never pays with non-negative costs
            continue
        try:
            best = min(best, lot_sizing_cost(demand, orders, fixed, hold, price))
        except ValueError:
            continue
    return best


@pytest.mark.parametrize("seed", range(8))
def test_wagner_whitin_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n = 4
    demand = [rng.randint(0, 2) for _ in range(n)]
    fixed = [rng.choice([0, 1, 3, 5]) for _ in range(n)]
    hold = [rng.choice([0, 0.5, 1, 2]) for _ in range(n)]
    price = [rng.choice([0, 1, 2, 4]) for _ in range(n)]
    cost, orders = wagner_whitin(demand, fixed, hold, price)
    assert cost == pytest.approx(_brute_force(demand, fixed, hold, price))
    assert lot_sizing_cost(demand, orders, fixed, hold, price) == pytest.approx(cost)


def test_wagner_whitin_zero_demand_orders_nothing() -> None:
    assert wagner_whitin([0, 0, 0], 100, 1) == (0.0, [0.0, 0.0, 0.0])


def test_wagner_whitin_rejects_wrong_length_costs() -> None:
    with pytest.raises(ValueError, match="fixed_cost"):
        wagner_whitin([1, 2, 3], [1, 2], 1)


# ============================================================================ workbook builders

Sheets = dict[str, list[list[Any]]]

# One item A, one supplier S, lead time 1, delivery cost 100, holding 1, price 10, demand 5 in
# periods 2 and 3 (T = 3). Default stockout_cost = 10 × unit_cost = 100 per unit per period.
BASE: Sheets = {
    "Items": [["item", "holding_cost"], ["A", 1]],
    "Suppliers": [["supplier", "delivery_cost"], ["S", 100]],
    "SupplierItems": [["supplier", "item", "unit_price", "lead_time"], ["S", "A", 10, 1]],
    "Demand": [["item", "period", "quantity"], ["A", 2, 5], ["A", 3, 5]],
}
OFFER = ["supplier", "item", "unit_price", "lead_time"]
ORDERS_HEADER = ["supplier", "item", "order_period", "arrival_period", "quantity", "unit_price", "line_value"]


_WRITTEN: dict[str, Path] = {}


def write_workbook(path: Path, sheets: Sheets) -> Path:
    """A workbook with one sheet per entry, first row the header.

    Writing is the slow part of these tests, so a workbook with the same content as one written
    before (in this session) is not written again: that earlier file is returned instead.
    """
    key = f"{path.name}:{sheets!r}"
    if key in _WRITTEN and _WRITTEN[key].exists():
        return _WRITTEN[key]
    _WRITTEN[key] = write_fresh(path, sheets)
    return path


def make_input(tmp_path: Path, **changes: list[list[Any]]) -> Path:
    """BASE with whole sheets replaced or added (``Settings=[...]``); a value of [] drops the sheet."""
    sheets = copy.deepcopy(BASE)
    for name, rows in changes.items():
        if rows:
            sheets[name] = rows
        else:
            sheets.pop(name, None)
    return write_workbook(tmp_path / "input.xlsx", sheets)


def make_plan(
    tmp_path: Path, orders: list[tuple], summary: dict[str, float] | None = None, **extra: Any
) -> Path:
    """A plan with Orders (supplier, item, order, arrival, quantity, unit_price[, line_value]) and Summary."""
    rows = [ORDERS_HEADER]
    for order in orders:
        line_value = order[6] if len(order) > 6 else order[4] * order[5]
        rows.append([*order[:6], line_value])
    sheets: Sheets = {"Summary": [["metric", "value"], ["status", "optimal"]], "Orders": rows}
    for metric, value in (summary or {}).items():
        sheets["Summary"].append([metric, value])
    sheets.update(extra)
    return write_workbook(tmp_path / "plan.xlsx", sheets)


def summary_of(deliveries: int = 0, order_lines: int = 0, **costs: float) -> dict[str, float]:
    """A full Summary: the given costs, every other cost 0, total their sum, and the counts."""
    out = {term: 0.0 for term in COST_TERMS}
    out.update(costs)
    out["total_cost"] = sum(v for k, v in out.items() if k != "total_cost")
    return {**out, "deliveries": deliveries, "order_lines": order_lines}


# ============================================================================ checker: costs by hand


def test_hand_plan_one_delivery(tmp_path: Path) -> None:
    # Order 10 in period 1, arriving in 2: purchase 10 × 10 = 100, one delivery 100,
    # closing stock 0, 5, 0 → holding 5 × 1 = 5. Total 205.
    plan = make_plan(
        tmp_path,
        [("S", "A", 1, 2, 10, 10)],
        summary_of(1, 1, purchase_cost=100, delivery_cost=100, holding_cost=5),
        # Other result sheets are never read: garbage here must change nothing.
        Inventory=[["item", "period", "closing"], ["A", 1, 999]],
    )
    report = assert_plan_consistent(make_input(tmp_path), plan)
    assert report.costs["total_cost"] == pytest.approx(205)
    assert report.inventory["closing"].tolist() == [0, 5, 0]
    assert report.inventory["receipts"].tolist() == [0, 10, 0]
    assert report.service_level == 1.0
    # Inventory value 5 × 10 over requirement value 10 × 10.
    assert report.inventory_to_sales == pytest.approx(0.5)
    assert (report.deliveries, report.order_lines) == (1, 1)


def test_summary_mismatches_are_all_listed(tmp_path: Path) -> None:
    summary = summary_of(2, purchase_cost=100, delivery_cost=100, holding_cost=4)
    summary["total_cost"] = 200
    del summary["order_lines"]
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10, 10)], summary)
    with pytest.raises(AssertionError) as err:
        assert_plan_consistent(make_input(tmp_path), plan)
    message = str(err.value)
    for metric in ("holding_cost", "total_cost", "deliveries", "order_lines: missing"):
        assert metric in message


def test_backlog_costs_stockout_each_period(tmp_path: Path) -> None:
    # 10 arrive in period 3 only: backlog 5 at the end of period 2 → 5 × 100 = 500; then served.
    # purchase 100 + delivery 100 + stockout 500 = 700. Service: 5 of 10 units late → 0.5.
    report = check_plan(make_input(tmp_path), make_plan(tmp_path, [("S", "A", 2, 3, 10, 10)]))
    assert not report.violations
    assert report.inventory["backlog"].tolist() == [0, 5, 0]
    assert report.costs["stockout_cost"] == pytest.approx(500)
    assert report.costs["total_cost"] == pytest.approx(700)
    assert report.service_level == pytest.approx(0.5)


def test_backlog_left_at_horizon_end_also_costs_unit_cost(tmp_path: Path) -> None:
    # No orders: backlog 5 then 10 → 100 × 15 = 1500, plus unit_cost 10 × 10 still owed = 1600.
    report = check_plan(make_input(tmp_path), make_plan(tmp_path, []))
    assert report.costs["stockout_cost"] == pytest.approx(1600)
    assert report.costs["total_cost"] == pytest.approx(1600)
    assert report.service_level == 0.0
    assert (report.deliveries, report.order_lines) == (0, 0)


@pytest.mark.parametrize("via", ["settings", "argument"])
def test_lost_sales(tmp_path: Path, via: str) -> None:
    # 10 arrive in period 3: 5 lost in period 2 (5 × 100 = 500), 5 left over at the end of 3
    # (holding 5). purchase 100 + delivery 100 + holding 5 + stockout 500 = 705.
    settings = [["setting", "value"], ["stockout_policy", "lost_sales"]] if via == "settings" else []
    policy = "lost_sales" if via == "argument" else None
    plan = make_plan(tmp_path, [("S", "A", 2, 3, 10, 10)])
    report = check_plan(make_input(tmp_path, Settings=settings), plan, stockout_policy=policy)
    assert report.inventory["lost"].tolist() == [0, 5, 0]
    assert report.inventory["backlog"].tolist() == [0, 0, 0]
    assert report.inventory["closing"].tolist() == [0, 0, 5]
    assert report.costs["total_cost"] == pytest.approx(705)
    assert report.service_level == pytest.approx(0.5)


def test_argument_overrides_settings_policy(tmp_path: Path) -> None:
    settings = [["setting", "value"], ["stockout_policy", "lost_sales"]]
    report = check_plan(make_input(tmp_path, Settings=settings), make_plan(tmp_path, []), "backlog")
    assert report.costs["stockout_cost"] == pytest.approx(1600)


def test_lost_sales_without_orders(tmp_path: Path) -> None:
    # Everything lost, nothing owed at the end: 10 × 100 = 1000.
    report = check_plan(make_input(tmp_path), make_plan(tmp_path, []), stockout_policy="lost_sales")
    assert report.costs["total_cost"] == pytest.approx(1000)


def test_safety_stock_shortfall(tmp_path: Path) -> None:
    # Hand plan (205) with a floor of 2 at 3 per unit: closing 0, 5, 0 → short 2 + 0 + 2 → 12.
    items = [["item", "holding_cost", "safety_stock", "safety_stock_cost"], ["A", 1, 2, 3]]
    report = check_plan(make_input(tmp_path, Items=items), make_plan(tmp_path, [("S", "A", 1, 2, 10, 10)]))
    assert report.costs["safety_cost"] == pytest.approx(12)
    assert report.costs["total_cost"] == pytest.approx(217)


def test_carbon_per_delivery(tmp_path: Path) -> None:
    # Two deliveries of 5: purchase 100, delivery 200, no stock; carbon 2 × 40 kg × 0.5 = 40. Total 340.
    suppliers = [["supplier", "delivery_cost", "co2_per_delivery"], ["S", 100, 40]]
    settings = [["setting", "value"], ["carbon_price", 0.5]]
    plan = make_plan(
        tmp_path,
        [("S", "A", 1, 2, 5, 10), ("S", "A", 2, 3, 5, 10)],
        summary_of(2, 2, purchase_cost=100, delivery_cost=200, carbon_cost=40),
    )
    report = assert_plan_consistent(make_input(tmp_path, Suppliers=suppliers, Settings=settings), plan)
    assert report.costs["total_cost"] == pytest.approx(340)


def test_one_delivery_carries_several_items(tmp_path: Path) -> None:
    # A and B (price 4) on one truck in period 2: one delivery (100), two lines at 7 each (14).
    # purchase 10 × 10 + 5 × 4 = 120; holding A 5; total 239.
    items = [["item", "holding_cost"], ["A", 1], ["B", 0]]
    offers = [[*OFFER, "order_cost"], ["S", "A", 10, 1, 7], ["S", "B", 4, 1, 7]]
    demand = [["item", "period", "quantity"], ["A", 2, 5], ["A", 3, 5], ["B", 2, 5]]
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10, 10), ("S", "B", 1, 2, 5, 4)])
    report = check_plan(make_input(tmp_path, Items=items, SupplierItems=offers, Demand=demand), plan)
    assert not report.violations
    assert (report.deliveries, report.order_lines) == (1, 2)
    assert report.costs["delivery_cost"] == pytest.approx(100)
    assert report.costs["order_cost"] == pytest.approx(14)
    assert report.costs["total_cost"] == pytest.approx(239)


def test_open_orders_and_on_hand_cost_nothing_but_hold(tmp_path: Path) -> None:
    # on_hand 2 and an open order of 3 in period 2 cover the 5 required in period 2.
    # Closing: 2, 0, 0 → holding 2. New: 5 arriving in period 3: purchase 50, delivery 100. Total 152.
    items = [["item", "holding_cost", "on_hand"], ["A", 1, 2]]
    open_orders = [["item", "period", "quantity", "supplier"], ["A", 2, 3, "S"]]
    plan = make_plan(tmp_path, [("S", "A", 2, 3, 5, 10)])
    report = check_plan(make_input(tmp_path, Items=items, OpenOrders=open_orders), plan)
    assert not report.violations
    assert report.inventory["receipts"].tolist() == [0, 3, 5]
    assert report.costs["total_cost"] == pytest.approx(152)
    assert (report.deliveries, report.order_lines) == (1, 1)


def test_production_plan_through_bom(tmp_path: Path) -> None:
    # Product P: 2 in period 3 × 1.5 A each → requirement of A in period 3 = 5 + 3 = 8.
    # 13 arriving in period 2: closing 0, 8, 0 → holding 8; 130 + 100 + 8 = 238.
    production = [["product", "period", "quantity"], ["P", 3, 2]]
    bom = [["product", "item", "quantity_per"], ["P", "A", 1.5]]
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 13, 10)])
    report = check_plan(make_input(tmp_path, ProductionPlan=production, BOM=bom), plan)
    assert report.inventory["requirement"].tolist() == [0, 5, 8]
    assert report.costs["total_cost"] == pytest.approx(238)


@pytest.mark.parametrize(
    ("period_length", "per_year"), [(None, 52), ("week", 52), ("month", 12), ("day", 365)]
)
def test_defaults_from_offers(tmp_path: Path, period_length: str | None, per_year: int) -> None:
    # unit_cost = lowest price (8, from T2); holding = 0.2 × 8 / periods per year;
    # stockout = 10 × 8 = 80; safety_stock_cost = stockout_cost.
    items = [["item", "safety_stock"], ["A", 1]]
    suppliers = [["supplier"], ["S"], ["T2"]]
    offers = [["supplier", "item", "unit_price", "lead_time"], ["S", "A", 10, 1], ["T2", "A", 8, 1]]
    settings = [["setting", "value"], ["period_length", period_length]] if period_length else []
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10, 10)])
    path = make_input(tmp_path, Items=items, Suppliers=suppliers, SupplierItems=offers, Settings=settings)
    report = check_plan(path, plan)
    assert not report.violations
    assert report.costs["holding_cost"] == pytest.approx(5 * 0.2 * 8 / per_year)
    assert report.costs["safety_cost"] == pytest.approx(80 * (1 + 0 + 1))
    assert report.costs["delivery_cost"] == 0
    # And without orders: backlog 5 + 10 at 80, plus 8 × 10 owed at the end.
    report = check_plan(path, make_plan(tmp_path, []))
    assert report.costs["stockout_cost"] == pytest.approx(80 * 15 + 80)


def test_annual_holding_rate_setting(tmp_path: Path) -> None:
    items = [["item"], ["A"]]
    settings = [["setting", "value"], ["annual_holding_rate", 0.26]]
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10, 10)])
    report = check_plan(make_input(tmp_path, Items=items, Settings=settings), plan)
    assert report.costs["holding_cost"] == pytest.approx(5 * 0.26 * 10 / 52)


def test_names_are_normalised_and_ids_are_text(tmp_path: Path) -> None:
    sheets: Sheets = {
        " Settings": [["Setting", "Value"], ["Stockout Policy", "lost_sales"], ["Periods", 4]],
        "items": [["ITEM", "Holding Cost"], [1001, 1]],
        "Suppliers": [["Supplier", "Delivery-Cost"], ["S", 100]],
        "Supplier Items": [["supplier", "Item", "Unit Price", "Lead_Time"], ["S", 1001, 10, 1]],
        "DEMAND": [["Item", "Period", "Quantity"], [" 1001 ", 2, 5], [1001, 3, 2], [1001, 3, 3]],
    }
    path = write_workbook(tmp_path / "input.xlsx", sheets)
    report = check_plan(path, make_plan(tmp_path, [("S", "1001", 1, 2, 10, 10)]))
    assert not report.violations
    # T = 4 from Settings; holding 5 at the end of period 2 only.
    assert report.inventory["period"].tolist() == [1, 2, 3, 4]
    assert report.costs["total_cost"] == pytest.approx(205)


def test_horizon_from_last_requirement_and_periods_setting(tmp_path: Path) -> None:
    plan = make_plan(tmp_path, [("S", "A", 3, 4, 10, 10)])
    report = check_plan(make_input(tmp_path), plan)
    assert any("after the horizon T = 3" in v for v in report.violations)
    report = check_plan(make_input(tmp_path, Settings=[["setting", "value"], ["periods", 4]]), plan)
    assert not any("horizon" in v for v in report.violations)


def test_dates_as_periods(tmp_path: Path) -> None:
    settings = [["setting", "value"], ["start_date", dt.datetime(2024, 1, 1)], ["period_length", "week"]]
    demand = [
        ["item", "period", "quantity"],
        ["A", dt.datetime(2024, 1, 8), 5],  # week 2
        ["A", dt.date(2024, 1, 20), 5],  # week 3
    ]
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10, 10)])
    report = check_plan(make_input(tmp_path, Settings=settings, Demand=demand), plan)
    assert report.inventory["requirement"].tolist() == [0, 5, 5]
    assert report.costs["total_cost"] == pytest.approx(205)


@pytest.mark.parametrize(
    ("start", "length", "day", "period"),
    [
        (dt.date(2024, 1, 1), "day", dt.date(2024, 1, 1), 1),
        (dt.date(2024, 1, 1), "day", dt.date(2024, 1, 10), 10),
        (dt.date(2024, 1, 1), "week", dt.date(2024, 1, 7), 1),
        (dt.date(2024, 1, 1), "week", dt.date(2024, 1, 8), 2),
        (dt.date(2024, 1, 15), "month", dt.date(2024, 3, 14), 2),
        (dt.date(2024, 1, 15), "month", dt.date(2024, 3, 15), 3),
        (dt.date(2024, 1, 31), "month", dt.date(2024, 2, 28), 1),
        (dt.date(2024, 1, 31), "month", dt.date(2024, 2, 29), 2),
        (dt.date(2024, 1, 31), "month", dt.date(2024, 3, 30), 2),
        (dt.date(2023, 12, 1), "month", dt.date(2024, 1, 1), 2),
    ],
)
def test_calendar_periods(start: dt.date, length: str, day: dt.date, period: int) -> None:
    assert Calendar(start, length).period_of_date(day) == period


def test_calendar_rejects_day_before_start() -> None:
    with pytest.raises(ValueError, match="before start_date"):
        Calendar(dt.date(2024, 1, 1), "week").period_of_date(dt.date(2023, 12, 31))


def test_fractional_quantities_when_order_multiple_is_zero(tmp_path: Path) -> None:
    offers = [["supplier", "item", "unit_price", "lead_time", "order_multiple"], ["S", "A", 10, 1, 0]]
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10.25, 10)])
    assert not check_plan(make_input(tmp_path, SupplierItems=offers), plan).violations
    plan = make_plan(tmp_path, [("S", "A", 1, 2, 10 - 1e-9, 10)])  # solver dust on whole units
    assert not check_plan(make_input(tmp_path), plan).violations


# Both oracles agree: a WW plan written as a workbook costs the WW optimum in the checker.
@pytest.mark.parametrize("name", ["snyder_example_3_9", "snyder_problem_3_27", "snyder_problem_3_29"])
def test_checker_agrees_with_wagner_whitin(tmp_path: Path, name: str) -> None:
    if not BENCHMARK.exists():
        pytest.skip(f"{BENCHMARK} not found")
    inst = next(i for i in json.loads(BENCHMARK.read_text())["instances"] if i["name"] == name)
    fixed, price = inst["fixed_cost"], inst["purchase_cost"]
    cost, orders = wagner_whitin(inst["demand"], fixed, inst["holding_cost"], price)
    sheets: Sheets = {
        "Items": [["item", "holding_cost"], ["A", inst["holding_cost"]]],
        "Suppliers": [["supplier", "delivery_cost"], ["S", inst["fixed_cost"]]],
        "SupplierItems": [["supplier", "item", "unit_price"], ["S", "A", inst["purchase_cost"]]],
        "Demand": [["item", "period", "quantity"]] + [["A", t + 1, d] for t, d in enumerate(inst["demand"])],
    }
    path = write_workbook(tmp_path / "input.xlsx", sheets)
    lines = [("S", "A", t + 1, t + 1, q, price) for t, q in enumerate(orders) if q > 0]
    n = len(lines)
    purchase = price * sum(orders)
    holding = cost - n * fixed - purchase
    summary = summary_of(n, n, purchase_cost=purchase, delivery_cost=n * fixed, holding_cost=holding)
    report = assert_plan_consistent(path, make_plan(tmp_path, lines, summary))
    assert report.costs["total_cost"] == pytest.approx(cost)


# ============================================================================ checker: broken plans

BROKEN: list[tuple[str, dict[str, list[list[Any]]], list[tuple], str]] = [
    ("no offer", {}, [("X", "A", 1, 2, 10, 10)], "no offer from supplier X for item A"),
    ("no offer for item", {}, [("S", "Z", 1, 2, 10, 10)], "no offer from supplier S for item Z"),
    ("lead time", {}, [("S", "A", 1, 3, 10, 10)], "but lead_time is 1"),
    ("order before period 1", {}, [("S", "A", 0, 1, 10, 10)], "order_period 0 is before period 1"),
    ("arrival after horizon", {}, [("S", "A", 3, 4, 10, 10)], "arrival_period 4 is after the horizon"),
    ("zero quantity", {}, [("S", "A", 1, 2, 0, 10)], "quantity 0 is not positive"),
    ("negative quantity", {}, [("S", "A", 1, 2, -5, 10)], "quantity -5 is not positive"),
    (
        "min order",
        {"SupplierItems": [[*OFFER, "min_order"], ["S", "A", 10, 1, 20]]},
        [("S", "A", 1, 2, 10, 10)],
        "below min_order 20",
    ),
    (
        "max order",
        {"SupplierItems": [[*OFFER, "max_order"], ["S", "A", 10, 1, 8]]},
        [("S", "A", 1, 2, 10, 10)],
        "above max_order 8",
    ),
    (
        "item capacity",
        {"SupplierItems": [[*OFFER, "capacity"], ["S", "A", 10, 1, 8]]},
        [("S", "A", 1, 2, 10, 10)],
        "above the item capacity 8",
    ),
    (
        "item capacity over duplicate lines",
        {"SupplierItems": [[*OFFER, "capacity"], ["S", "A", 10, 1, 8]]},
        [("S", "A", 1, 2, 5, 10), ("S", "A", 1, 2, 5, 10)],
        "10 units are above the item capacity 8",
    ),
    (
        "order multiple",
        {"SupplierItems": [[*OFFER, "order_multiple"], ["S", "A", 10, 1, 4]]},
        [("S", "A", 1, 2, 10, 10)],
        "not a whole multiple of order_multiple 4",
    ),
    ("whole units by default", {}, [("S", "A", 1, 2, 10.5, 10)], "not a whole multiple of order_multiple 1"),
    (
        "duplicate line",
        {},
        [("S", "A", 1, 2, 5, 10), ("S", "A", 1, 2, 5, 10)],
        "more than one order line for supplier S, item A, arrival period 2",
    ),
    (
        "supplier capacity per unit and per order",
        {
            "Suppliers": [["supplier", "delivery_cost", "capacity"], ["S", 100, 12]],
            "SupplierItems": [[*OFFER, "capacity_per_unit", "capacity_per_order"], ["S", "A", 10, 1, 1, 3]],
        },
        [("S", "A", 1, 2, 10, 10)],  # 1 × 10 + 3 = 13 > 12
        "supplier S capacity exceeded in period 2: uses 13 > capacity 12",
    ),
    (
        "supplier capacity from the Capacity sheet",
        {"Capacity": [["resource", "period", "capacity"], ["S", 2, 9], ["S", 3, 100]]},
        [("S", "A", 1, 2, 10, 10)],
        "supplier S capacity exceeded in period 2: uses 10 > capacity 9",
    ),
    (
        "warehouse",
        {
            "Items": [["item", "holding_cost", "volume"], ["A", 1, 2]],
            "Settings": [["setting", "value"], ["warehouse_capacity", 8]],
        },
        [("S", "A", 1, 2, 10, 10)],  # 5 units × 2 = 10 > 8 at the end of period 2
        "warehouse capacity exceeded in period 2: volume 10 > capacity 8",
    ),
    (
        "warehouse from the Capacity sheet",
        {
            "Items": [["item", "holding_cost", "volume"], ["A", 1, 2]],
            "Settings": [["setting", "value"], ["warehouse_capacity", 100]],
            "Capacity": [["resource", "period", "capacity"], ["warehouse", 2, 9]],
        },
        [("S", "A", 1, 2, 10, 10)],
        "warehouse capacity exceeded in period 2",
    ),
    ("unit price", {}, [("S", "A", 1, 2, 10, 9)], "unit_price 9 differs from the offer's unit_price 10"),
    ("line value", {}, [("S", "A", 1, 2, 10, 10, 90)], "line_value 90 is not quantity × unit_price = 100"),
]


@pytest.mark.parametrize(
    ("changes", "orders", "expected"), [pytest.param(*case[1:], id=case[0]) for case in BROKEN]
)
def test_broken_plan_is_reported(
    tmp_path: Path, changes: dict[str, list[list[Any]]], orders: list[tuple], expected: str
) -> None:
    with pytest.raises(AssertionError, match="plan breaks rules") as err:
        assert_plan_consistent(make_input(tmp_path, **changes), make_plan(tmp_path, orders, summary_of()))
    assert expected in str(err.value)


def test_capacity_overrides_can_also_raise_limits(tmp_path: Path) -> None:
    # Suppliers.capacity 5 and warehouse 1 would be broken, but the Capacity sheet lifts both in period 2.
    changes = {
        "Items": [["item", "holding_cost", "volume"], ["A", 1, 2]],
        "Suppliers": [["supplier", "delivery_cost", "capacity"], ["S", 100, 5]],
        "Settings": [["setting", "value"], ["warehouse_capacity", 1]],
        "Capacity": [["resource", "period", "capacity"], ["S", 2, 10], ["warehouse", 2, 10]],
    }
    report = check_plan(make_input(tmp_path, **changes), make_plan(tmp_path, [("S", "A", 1, 2, 10, 10)]))
    assert report.violations == []


def test_broken_line_messages_name_the_row(tmp_path: Path) -> None:
    report = check_plan(make_input(tmp_path), make_plan(tmp_path, [("S", "A", 1, 2, 10, 9)]))
    assert report.violations == [
        "Orders row 2 (supplier S, item A, arrival period 2): "
        "unit_price 9 differs from the offer's unit_price 10"
    ]
