"""One hand-worked case per rule and cost term of the contract.

Each optimal cost is worked out by hand in the comment beside it, and each case is chosen so that the
cost would be different if that rule were dropped from the model. Every solved plan is also audited by
the independent checker (tests/checker.py), which recomputes it from the Orders sheet alone.
"""

from __future__ import annotations

import pytest

from tests.workbooks import one_item, table


def test_purchase_cost_is_price_times_quantity(solve_case):
    # 10 units at 3.00, nothing else costs: 30.
    case = solve_case(one_item(demand={1: 10}, price=3.0))
    assert case.cost == pytest.approx(30.0)
    assert case.costs["purchase_cost"] == pytest.approx(30.0)


def test_delivery_and_holding_trade_off_matches_wagner_whitin_textbook(solve_case):
    # Demands 90,120,80,70; fixed 500 per delivery; holding 2: order 210 in 1 and 150 in 3 →
    # 2 × 500 + 2 × (120 + 70) = 1,380 (the textbook optimum).
    case = solve_case(
        one_item(demand={1: 90, 2: 120, 3: 80, 4: 70}, price=0, delivery_cost=500, holding_cost=2)
    )
    assert case.cost == pytest.approx(1380.0)
    assert case.costs["delivery_cost"] == pytest.approx(1000.0)
    assert case.costs["holding_cost"] == pytest.approx(380.0)


def test_order_cost_is_charged_per_order_line(solve_case):
    # 10 in period 1 and 10 in period 2, holding 1, order_cost 15 per line:
    # one line of 20 (15 + 10 held) = 25 beats two lines (30).
    case = solve_case(one_item(demand={1: 10, 2: 10}, price=0, holding_cost=1, offer={"order_cost": 15}))
    assert case.cost == pytest.approx(25.0)
    assert case.costs["order_cost"] == pytest.approx(15.0)


def test_one_delivery_carries_several_items(solve_case):
    # A: 5 in period 1 and 5 in period 2, holding 30 (so holding 5 units = 150 > delivery 100);
    # B: 5 in period 1. Deliveries in 1 (A and B together) and 2 (A): 2 × 100 = 200.
    # Charged per line instead it would be 300.
    sheets = {
        "Items": table(
            [
                {"item": "A", "holding_cost": 30, "stockout_cost": 1000},
                {"item": "B", "holding_cost": 30, "stockout_cost": 1000},
            ]
        ),
        "Suppliers": table([{"supplier": "S", "delivery_cost": 100}]),
        "SupplierItems": table(
            [{"supplier": "S", "item": "A", "unit_price": 0}, {"supplier": "S", "item": "B", "unit_price": 0}]
        ),
        "Demand": [["item", "period", "quantity"], ["A", 1, 5], ["A", 2, 5], ["B", 1, 5]],
    }
    case = solve_case(sheets)
    assert case.cost == pytest.approx(200.0)
    assert case.report.deliveries == 2
    assert case.report.order_lines == 3


def test_lead_time_delays_arrival_and_backlog_costs(solve_case):
    # Lead time 2: the earliest arrival is period 3. 10 needed in period 2 wait one period
    # (stockout 5 per unit and period = 50), then 10 bought at 1.00: 60.
    case = solve_case(one_item(demand={2: 10}, lead_time=2, stockout_cost=5, periods=4))
    assert case.cost == pytest.approx(60.0)
    assert case.costs["stockout_cost"] == pytest.approx(50.0)
    assert list(case.result.orders["order_period"]) == [1]
    assert list(case.result.orders["arrival_period"]) == [3]


def test_backlog_still_owed_at_the_end_costs_its_unit_cost(solve_case):
    # Nothing can arrive within 3 periods (lead time 5): 10 backlogged in periods 2 and 3 cost
    # 4 × 10 × 2 = 80, and the 10 still owed at the end cost unit_cost 7 each = 70: 150.
    case = solve_case(
        one_item(demand={2: 10}, lead_time=5, stockout_cost=4, item={"unit_cost": 7}, periods=3)
    )
    assert case.cost == pytest.approx(150.0)
    assert case.result.plan.kpis["service_level"] == pytest.approx(0.0)


def test_lost_sales_cost_each_lost_unit_once(solve_case):
    # Same case under lost_sales: 10 units lost once at 4 each: 40; nothing owed at the end.
    sheets = one_item(
        demand={2: 10},
        lead_time=5,
        stockout_cost=4,
        item={"unit_cost": 7},
        periods=3,
        settings={"stockout_policy": "lost_sales"},
    )
    case = solve_case(sheets)
    assert case.cost == pytest.approx(40.0)


def test_min_order_forces_a_bigger_line(solve_case):
    # min_order 50, need 10 in period 1 of 2, holding 0.5: buy 50 (50.00), hold 40 for 2 periods (40): 90.
    case = solve_case(one_item(demand={1: 10}, holding_cost=0.5, offer={"min_order": 50}, periods=2))
    assert case.cost == pytest.approx(90.0)


def test_order_multiple_rounds_up_to_whole_packs(solve_case):
    # Packs of 12, need 30: 36 bought (36.00), 6 held one period (6): 42.
    case = solve_case(one_item(demand={1: 30}, holding_cost=1, offer={"order_multiple": 12}))
    assert case.cost == pytest.approx(42.0)
    assert list(case.result.orders["quantity"]) == [36]


def test_order_multiple_zero_allows_any_quantity(solve_case):
    # Bulk goods: 2.5 kg at 2.00 = 5.00 (whole units would cost 6.00 and hold 0.5).
    case = solve_case(one_item(demand={1: 2.5}, price=2, holding_cost=1, offer={"order_multiple": 0}))
    assert case.cost == pytest.approx(5.0)
    assert list(case.result.orders["quantity"]) == [2.5]


def test_default_order_multiple_is_whole_units(solve_case):
    # Without order_multiple, 2.5 needed means 3 whole units (3.00) and 0.5 held at 1: 3.50.
    case = solve_case(one_item(demand={1: 2.5}, price=1, holding_cost=1))
    assert case.cost == pytest.approx(3.5)


@pytest.mark.parametrize("column", ["max_order", "capacity"])
def test_line_limit_spreads_orders_over_periods(solve_case, column):
    # At most 20 per line (max_order) or per period (item capacity); 30 needed in period 3:
    # 20 arrive in 3, 10 in 2 and are held one period (10): 30 + 10 = 40.
    case = solve_case(one_item(demand={3: 30}, holding_cost=1, offer={column: 20}))
    assert case.cost == pytest.approx(40.0)


def test_supplier_capacity_counts_units_and_changeovers(solve_case):
    # Capacity 100 per period; 2 per unit and 20 per line → at most 40 units a period.
    # 60 needed in period 2: 40 arrive in 2 and 20 in 1, held (20): 60 + 20 = 80.
    # (Without capacity_per_order it would be 50 + 10 → 70; without capacity at all 60.)
    case = solve_case(
        one_item(
            demand={2: 60},
            holding_cost=1,
            supplier={"capacity": 100},
            offer={"capacity_per_unit": 2, "capacity_per_order": 20},
        )
    )
    assert case.cost == pytest.approx(80.0)


def test_capacity_sheet_overrides_a_suppliers_period(solve_case):
    # The supplier is closed in period 2 (capacity 0 there): 10 needed in 2 arrive in 1, held: 10 + 10.
    sheets = one_item(demand={2: 10}, holding_cost=1, supplier={"capacity": 100})
    sheets["Capacity"] = [["resource", "period", "capacity"], ["S", 2, 0]]
    case = solve_case(sheets)
    assert case.cost == pytest.approx(20.0)


def test_warehouse_limits_end_of_period_stock(solve_case):
    # 10 needed in periods 1 and 2, volume 1 each, warehouse 5, delivery 100, no holding cost:
    # one delivery of 20 would leave 10 on the shelf; so two deliveries: 200 + 20 = 220.
    sheets = one_item(
        demand={1: 10, 2: 10}, delivery_cost=100, item={"volume": 1}, settings={"warehouse_capacity": 5}
    )
    case = solve_case(sheets)
    assert case.cost == pytest.approx(220.0)


def test_capacity_sheet_overrides_the_warehouse(solve_case):
    # Warehouse unlimited except 5 at the end of period 1: as above, 220.
    sheets = one_item(demand={1: 10, 2: 10}, delivery_cost=100, item={"volume": 1})
    sheets["Capacity"] = [["resource", "period", "capacity"], ["warehouse", 1, 5]]
    case = solve_case(sheets)
    assert case.cost == pytest.approx(220.0)


def test_safety_stock_is_kept_when_cheaper_than_its_shortfall(solve_case):
    # Safety stock 5 at 3 per unit and period below it, holding 1, 10 needed in period 1 of 2:
    # buy 15 (15) and hold 5 for 2 periods (10) = 25, against 10 + 5 × 2 × 3 = 40 without it.
    case = solve_case(
        one_item(demand={1: 10}, holding_cost=1, item={"safety_stock": 5, "safety_stock_cost": 3}, periods=2)
    )
    assert case.cost == pytest.approx(25.0)
    assert case.costs["safety_cost"] == pytest.approx(0.0)


def test_safety_shortfall_is_paid_when_stock_is_dearer(solve_case):
    # Same, but holding 4 > shortfall cost 3: hold nothing, pay 5 × 2 × 3 = 30 below the floor: 10 + 30.
    case = solve_case(
        one_item(demand={1: 10}, holding_cost=4, item={"safety_stock": 5, "safety_stock_cost": 3}, periods=2)
    )
    assert case.cost == pytest.approx(40.0)
    assert case.costs["safety_cost"] == pytest.approx(30.0)


def test_open_orders_arrive_free_and_use_no_capacity(solve_case):
    # 10 needed in period 1 arrive on an open order: nothing to buy, no delivery cost, even though the
    # supplier has no capacity left at all.
    sheets = one_item(demand={1: 10}, price=5, delivery_cost=100, supplier={"capacity": 0})
    sheets["OpenOrders"] = [["item", "period", "quantity", "supplier"], ["A", 1, 10, "S"]]
    case = solve_case(sheets)
    assert case.cost == pytest.approx(0.0)
    assert case.result.orders.empty


def test_start_stock_covers_requirement(solve_case):
    # 4 on hand, 10 needed: buy 6.
    case = solve_case(one_item(demand={1: 10}, item={"on_hand": 4}))
    assert case.cost == pytest.approx(6.0)


def test_carbon_price_prefers_the_cleaner_supplier(solve_case):
    # 100 units: far supplier 0.50 each with 100 kg CO2 per delivery, near one 1.00 with 10 kg.
    # Carbon price 2: far 50 + 200 = 250, near 100 + 20 = 120 → near, 120.
    sheets = {
        "Items": table([{"item": "A", "holding_cost": 0, "stockout_cost": 1000}]),
        "Suppliers": table(
            [{"supplier": "near", "co2_per_delivery": 10}, {"supplier": "far", "co2_per_delivery": 100}]
        ),
        "SupplierItems": table(
            [
                {"supplier": "near", "item": "A", "unit_price": 1.0},
                {"supplier": "far", "item": "A", "unit_price": 0.5},
            ]
        ),
        "Demand": [["item", "period", "quantity"], ["A", 1, 100]],
        "Settings": [["setting", "value"], ["carbon_price", 2]],
    }
    case = solve_case(sheets)
    assert case.cost == pytest.approx(120.0)
    assert case.costs["carbon_cost"] == pytest.approx(20.0)
    assert set(case.result.orders["supplier"]) == {"near"}


def test_default_holding_cost_comes_from_annual_rate(solve_case):
    # Price 10 → unit_cost 10; annual rate 0.52 over 52 weeks → 0.10 per unit and week.
    # 10 in periods 1 and 2, delivery 5: one delivery (5 + 200 + 10 × 0.10 = 206) beats two (210).
    sheets = one_item(
        demand={1: 10, 2: 10},
        price=10,
        delivery_cost=5,
        holding_cost=None,
        stockout_cost=None,
        settings={"annual_holding_rate": 0.52},
    )
    case = solve_case(sheets)
    assert case.cost == pytest.approx(206.0)
    assert case.costs["holding_cost"] == pytest.approx(1.0)


def test_bom_pulls_requirement_from_the_production_plan(solve_case):
    # 5 bikes in period 1 and 3 in period 2, 2 wheels each: 16 wheels at 1.00 = 16.
    sheets = one_item(demand={})
    del sheets["Demand"]
    sheets["ProductionPlan"] = [["product", "period", "quantity"], ["bike", 1, 5], ["bike", 2, 3]]
    sheets["BOM"] = [["product", "item", "quantity_per"], ["bike", "A", 2]]
    case = solve_case(sheets)
    assert case.cost == pytest.approx(16.0)
    assert case.report.inventory["requirement"].sum() == pytest.approx(16.0)


def test_cheaper_supplier_with_longer_lead_time_is_used_when_it_can_arrive(solve_case):
    # Near: 2.00, lead 0. Far: 1.00, lead 2. Need 10 in period 1 (only near can make it) and 10 in
    # period 3 (far, ordered in period 1): 20 + 10 = 30.
    sheets = {
        "Items": table([{"item": "A", "holding_cost": 0, "stockout_cost": 1000}]),
        "Suppliers": table([{"supplier": "near"}, {"supplier": "far"}]),
        "SupplierItems": table(
            [
                {"supplier": "near", "item": "A", "unit_price": 2.0},
                {"supplier": "far", "item": "A", "unit_price": 1.0, "lead_time": 2},
            ]
        ),
        "Demand": [["item", "period", "quantity"], ["A", 1, 10], ["A", 3, 10]],
    }
    case = solve_case(sheets)
    assert case.cost == pytest.approx(30.0)
    far = case.result.orders[case.result.orders["supplier"] == "far"]
    assert list(far["order_period"]) == [1] and list(far["arrival_period"]) == [3]
