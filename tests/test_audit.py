"""planner check: every broken rule of a hand-made plan is found, with its place; costs as evaluate()."""

from __future__ import annotations

import pandas as pd
import pytest

import planner
from planner import cli
from planner.audit import audit, audit_workbook
from planner.plan import evaluate
from tests.workbooks import table, write_workbook

INPUT = {
    "Settings": [["setting", "value"], ["periods", 5], ["warehouse_capacity", 30]],
    "Items": table([{"item": "A", "volume": 1, "stockout_cost": 100},
                    {"item": "B", "volume": 1, "stockout_cost": 100}]),
    "Suppliers": table([{"supplier": "S", "delivery_cost": 10, "capacity": 100},
                        {"supplier": "T", "delivery_cost": 5}]),
    "SupplierItems": table([
        {"supplier": "S", "item": "A", "unit_price": 1, "lead_time": 1, "min_order": 10, "max_order": 50,
         "order_multiple": 5, "capacity": 45},
        {"supplier": "S", "item": "B", "unit_price": 3, "lead_time": 0},
        {"supplier": "T", "item": "B", "unit_price": 2, "lead_time": 0},
    ]),
    "Demand": [["item", "period", "quantity"], ["A", 3, 20], ["B", 4, 10]],
}  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = write_workbook(tmp_path_factory.mktemp("audit") / "in.xlsx", INPUT)
    return planner.read_workbook(path)


def lines(*rows: tuple) -> pd.DataFrame:
    """Orders rows (supplier, item, arrival_period, quantity[, order_period]) numbered from Excel row 2."""
    records = []
    for k, row in enumerate(rows, start=2):
        s, i, t, q, *rest = row
        records.append(
            {
                "supplier": s,
                "item": i,
                "arrival_period": t,
                "quantity": q,
                "order_period": rest[0] if rest else None,
                "row": k,
            }
        )
    return pd.DataFrame(records)


GOOD = [("S", "A", 3, 20), ("T", "B", 4, 10)]


def broken(data, *rows) -> dict[str, list[str]]:
    found = audit(data, lines(*GOOD, *rows))
    out: dict[str, list[str]] = {}
    for v in found.violations:
        out.setdefault(v.rule, []).append(str(v))
    return out


def test_a_plan_that_obeys_every_rule_is_costed_like_evaluate(data):
    found = audit(data, lines(*GOOD))
    assert found.ok, [str(v) for v in found.violations]
    orders = found.plan.orders
    assert list(orders["row"]) == [2, 3]
    expected = evaluate(data, orders.drop(columns=["row"]))
    assert found.plan.costs == pytest.approx(expected.costs)
    assert found.plan.costs["purchase_cost"] == 20 * 1 + 10 * 2
    assert found.plan.costs["delivery_cost"] == 15


def test_unknown_offer(data):
    assert broken(data, ("T", "A", 3, 10))["unknown offer"] == [
        "Orders row 4 (supplier T, item A, arrival period 3): supplier T does not offer item A "
        "(no such row in SupplierItems)"
    ]


def test_wrong_lead_time(data):
    [message] = broken(data, ("S", "A", 4, 10, 2))["lead time"]
    assert message.startswith("Orders row 4 (supplier S, item A, arrival period 4)")
    assert "arrival_period − order_period = 2, but S's lead time for A is 1 period" in message


def test_order_before_period_1(data):
    [message] = broken(data, ("S", "A", 1, 10))["before period 1"]
    assert "Orders row 4" in message and "ordered in period 0, before period 1" in message


def test_arrival_after_the_horizon(data):
    found = audit(data, lines(*GOOD, ("T", "B", 6, 10)))
    assert [str(v) for v in found.violations] == [
        "Orders row 4 (supplier T, item B, arrival period 6): arrives in period 6, after the last period 5"
    ]
    assert found.left_out == [4]


def test_min_order(data):
    assert "below the min_order 10" in broken(data, ("S", "A", 2, 5))["min_order"][0]


def test_max_order(data):
    assert "above the max_order 50" in broken(data, ("S", "A", 2, 55))["max_order"][0]


def test_order_multiple(data):
    assert (
        "12 is not a whole multiple of order_multiple 5"
        in broken(data, ("S", "A", 2, 12))["order_multiple"][0]
    )


def test_item_capacity(data):
    assert broken(data, ("S", "A", 2, 50))["item capacity"] == [
        "Orders row 4: 50 of A from S arrive in period 2, above the item capacity 45"
    ]


def test_supplier_capacity(data):
    assert broken(data, ("S", "A", 2, 45), ("S", "B", 2, 60))["supplier capacity"] == [
        "Orders rows 4, 5: supplier S in arrival period 2: the lines use 105, its capacity is 100"
    ]


def test_warehouse(data):
    messages = broken(data, ("T", "B", 1, 100))["warehouse"]
    assert messages[0].startswith("warehouse, period 1: the stock at the end of the period needs volume 100")
    assert len(messages) == 5  # 100 of B on hand at every period end (10 more arrive in 4, 10 are used)


def test_duplicate_line(data):
    assert broken(data, ("T", "B", 4, 5))["duplicate line"] == [
        "Orders rows 3, 4: supplier T, item B, arrival period 4 appear 2 times: one order line each"
    ]


def test_unreadable_cells_are_reported_and_left_out(data):
    found = audit(data, lines(*GOOD, ("T", "B", "soon", 5), ("T", "B", 2, "lots")))
    assert sorted(v.rule for v in found.violations) == ["unreadable", "unreadable"]
    assert found.left_out == [4, 5]


def test_check_command_exit_codes(tmp_path, capsys):
    source = write_workbook(tmp_path / "in.xlsx", INPUT)
    header = ["supplier", "item", "arrival_period", "quantity"]
    good = write_workbook(tmp_path / "good.xlsx", {"Orders": [header, *map(list, GOOD)]})
    bad = write_workbook(tmp_path / "bad.xlsx", {"Orders": [header, *map(list, GOOD), ["S", "A", 2, 12]]})
    assert cli.main(["check", str(source), str(good)]) == cli.EXIT_OPTIMAL
    assert "obeys every rule" in capsys.readouterr().out
    assert cli.main(["check", str(source), str(bad)]) == cli.EXIT_BROKEN_RULES == 6
    out = capsys.readouterr().out
    assert "Orders row 4 (supplier S, item A, arrival period 2): quantity 12 is not a whole multiple" in out
    assert "total_cost" in out and "breaks 1 rule(s)" in out
    assert audit_workbook(planner.read_workbook(source), bad).rules_broken() == {"order_multiple"}


def test_check_without_orders_sheet_is_bad_input(tmp_path, capsys):
    source = write_workbook(tmp_path / "in.xlsx", INPUT)
    plan = write_workbook(tmp_path / "plan.xlsx", {"Summary": [["metric", "value"]]})
    assert cli.main(["check", str(source), str(plan)]) == cli.EXIT_BAD_INPUT
    assert "no Orders sheet" in capsys.readouterr().err
