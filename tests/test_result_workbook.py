"""The result workbook as a planner opens it: tables, formats, colours, charts, pegging, reasons."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from tests.checker import assert_plan_consistent
from tests.workbooks import table, write_workbook

CONTRACT = ["Summary", "Orders", "Inventory", "Deliveries", "Utilisation"]

SHEETS = {
    "Settings": [["setting", "value"], ["periods", 4], ["start_date", dt.date(2027, 1, 4)],
                 ["period_length", "week"], ["warehouse_capacity", 50], ["currency", "EUR"]],
    "Items": table([{"item": "A", "volume": 1, "stockout_cost": 100, "holding_cost": 0.1},
                    {"item": "=B", "volume": 1, "stockout_cost": 100, "holding_cost": 0.1}]),
    "Suppliers": table([{"supplier": "S", "delivery_cost": 10, "capacity": 100},
                        {"supplier": "T", "delivery_cost": 5}]),
    "SupplierItems": table([{"supplier": "S", "item": "A", "unit_price": 1, "lead_time": 2},
                            {"supplier": "T", "item": "=B", "unit_price": 2, "lead_time": 0}]),
    "ProductionPlan": [["product", "period", "quantity"], ["BIKE", 1, 10], ["BIKE", 2, 10], ["BIKE", 3, 10],
                       ["BIKE", 4, 10]],
    "BOM": [["product", "item", "quantity_per"], ["BIKE", "A", 1]],
    "Demand": [["item", "period", "quantity"], ["=B", 1, 5], ["=B", 3, 5], ["A", 4, 3]],
}  # fmt: skip
"""A needs 10 a week for BIKE (and 3 spare parts in week 4) but arrives two weeks after ordering:
weeks 1 and 2 are short, for lead time. =B (a name that looks like a formula) is bought from T."""


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    import planner

    folder = tmp_path_factory.mktemp("result")
    source = write_workbook(folder / "in.xlsx", SHEETS, as_text=True)
    result = planner.solve(planner.read_workbook(source), planner.SolveOptions(gap=0.0, time_limit=30))
    assert result.status is planner.Status.OPTIMAL
    output = planner.write_result(result, folder / "in-plan.xlsx", input_path=source)
    assert_plan_consistent(source, output, kpis=True)
    return result, output, openpyxl.load_workbook(output)


def test_dashboard_first_then_the_contract_sheets(solved):
    _, _, wb = solved
    assert wb.sheetnames[0] == "Dashboard" and wb.active.title == "Dashboard"
    assert set(CONTRACT + ["Shortages", "Pegging", "KPIs", "DeliveryCalendar"]) <= set(wb.sheetnames)


def test_every_table_sheet_is_an_excel_table_with_a_frozen_header(solved):
    _, _, wb = solved
    for ws in wb.worksheets[1:]:
        assert list(ws.tables) == [f"{ws.title}Table"], ws.title
        ref = ws.tables[f"{ws.title}Table"].ref
        assert ref.startswith("A1:") and int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) >= max(
            ws.max_row, 2
        )
        assert ws.freeze_panes == "A2"
    assert wb["Orders"].tables["OrdersTable"].ref == f"A1:J{wb['Orders'].max_row}"


def header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def test_number_formats_and_dates_beside_periods(solved):
    _, _, wb = solved
    orders = wb["Orders"]
    col = header(orders)
    assert list(col)[:7] == [
        "supplier",
        "item",
        "order_period",
        "arrival_period",
        "quantity",
        "unit_price",
        "line_value",
    ]
    assert orders.cell(2, col["line_value"]).number_format == "#,##0.00"
    assert orders.cell(2, col["arrival_date"]).number_format == "yyyy-mm-dd"
    assert orders.cell(2, col["quantity"]).number_format == "#,##0"
    util = wb["Utilisation"]
    ucol = header(util)
    assert list(ucol)[:3] == ["resource", "period", "date"]
    assert util.cell(2, ucol["utilisation"]).number_format == "0.0%"
    kpis = wb["KPIs"]
    kcol = header(kpis)
    assert kpis.cell(2, kcol["inventory_value"]).number_format == "#,##0.00"
    assert kpis.cell(2, kcol["service_level"]).number_format == "0.0%"


def rules(ws) -> dict[str, list]:
    return {str(rng.sqref): [(r.operator, r.formula) for r in rng.rules] for rng in ws.conditional_formatting}


def test_backlog_red_and_utilisation_amber_by_range_rules(solved):
    _, _, wb = solved
    inv = wb["Inventory"]
    letter = openpyxl.utils.get_column_letter(header(inv)["backlog"])
    assert rules(inv)[f"{letter}2:{letter}{inv.max_row}"] == [("greaterThan", ["0"])]
    util = wb["Utilisation"]
    letter = openpyxl.utils.get_column_letter(header(util)["utilisation"])
    assert rules(util)[f"{letter}2:{letter}{util.max_row}"] == [("greaterThan", ["0.9"])]
    red = next(iter(inv.conditional_formatting)).rules[0].dxf
    assert red.fill.fgColor.rgb.endswith("FFC7CE") or red.fill.bgColor.rgb.endswith("FFC7CE")


def refs(chart) -> tuple[list[str], list[str]]:
    values = [s.val.numRef.f for s in chart.series]
    cats = [s.cat.numRef.f if s.cat.numRef is not None else s.cat.strRef.f for s in chart.series]
    for extra in getattr(chart, "_charts", [])[1:]:
        values += [s.val.numRef.f for s in extra.series]
    return values, cats


def test_dashboard_charts_reference_the_right_ranges(solved):
    result, _, wb = solved
    charts = wb["Dashboard"]._charts
    assert len(charts) == 4
    T = result.data.T
    kpis = header(wb["KPIs"])
    cal = header(wb["DeliveryCalendar"])
    L = openpyxl.utils.get_column_letter

    inventory, warehouse, deliveries, costs = charts
    assert refs(inventory) == (
        [f"'KPIs'!${L(kpis['inventory_value'])}$2:${L(kpis['inventory_value'])}${T + 1}"],
        [f"'KPIs'!$A$2:$A${T + 1}"],
    )
    assert inventory.series[0].tx.strRef.f == f"'KPIs'!{L(kpis['inventory_value'])}1"  # the header names it
    values, _ = refs(warehouse)
    assert f"'KPIs'!${L(kpis['warehouse_used'])}$2:${L(kpis['warehouse_used'])}${T + 1}" in values
    suppliers = [c for c in cal if c not in ("period", "date")]
    values, cats = refs(deliveries)
    assert values == [f"'DeliveryCalendar'!${L(cal[s])}$2:${L(cal[s])}${T + 1}" for s in suppliers]
    assert deliveries.grouping == "stacked"
    values, cats = refs(costs)
    assert values == ["'Dashboard'!$B$7:$B$13"] and cats == ["'Dashboard'!$A$7:$A$13"]
    dash = wb["Dashboard"]
    assert [dash.cell(r, 2).value for r in range(7, 14)] == pytest.approx(
        [result.plan.costs[k] for k in planner_cost_terms()]
    )


def planner_cost_terms():
    from planner.data import COST_TERMS

    return COST_TERMS


def test_no_formulas_and_input_text_stays_text(solved):
    _, _, wb = solved
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    items = [c.value for c in wb["Orders"]["B"][1:]]
    assert "=B" in items


def test_summary_stays_readable_by_pandas_and_has_the_new_kpis(solved):
    result, output, _ = solved
    summary = pd.read_excel(output, sheet_name="Summary", engine="openpyxl")
    assert list(summary.columns) == ["metric", "value"]
    values = dict(zip(summary["metric"], summary["value"], strict=False))
    for key in (
        "service_level",
        "inventory_to_sales",
        "line_fill_rate",
        "peak_inventory_value",
        "average_order_value",
        "deliveries_per_period",
        "peak_warehouse_utilisation",
    ):
        assert key in values, key
    assert float(values["service_level"]) == pytest.approx(result.plan.kpis["service_level"])
    assert float(values["service_level"]) == pytest.approx(
        1 - 20 / 53
    )  # A's 10 in weeks 1 and 2 of 43 + 10 units


def test_pegging_and_covers_explain_each_order(solved):
    _, output, _ = solved
    orders = pd.read_excel(output, sheet_name="Orders", engine="openpyxl")
    pegging = pd.read_excel(output, sheet_name="Pegging", engine="openpyxl")
    assert list(pegging.columns)[:7] == [
        "supplier",
        "item",
        "receipt",
        "arrival_period",
        "requirement_period",
        "source",
        "quantity",
    ]
    a = pegging[pegging["item"] == "A"]
    assert a["quantity"].sum() == pytest.approx(43)  # all of A's requirement is served, weeks 1-2 late
    late = a[a["requirement_period"] < a["arrival_period"]]
    assert set(late["requirement_period"]) == {1, 2} and (late["source"] == "BIKE").all()
    first_a = orders[orders["item"] == "A"].iloc[0]
    assert first_a["covers"].startswith(
        "period 1 (backlog): BIKE 10; period 2 (backlog): BIKE 10; period 3: BIKE 10"
    )
    spare = pegging[(pegging["item"] == "A") & (pegging["source"] == "demand")]
    assert spare["requirement_period"].tolist() == [4]


def test_shortages_give_the_reason_in_words(solved):
    _, output, _ = solved
    short = pd.read_excel(output, sheet_name="Shortages", engine="openpyxl")
    assert list(short["item"]) == ["A", "A"] and list(short["period"]) == [1, 2]
    assert list(short["quantity_short"]) == [10, 10] and list(short["served_in"]) == [3, 3]
    assert all(
        r.startswith("lead time: the quickest offer (S, lead time 2) can deliver from period 3")
        for r in short["reason"]
    )


def test_kpis_per_period(solved):
    result, output, _ = solved
    kpis = pd.read_excel(output, sheet_name="KPIs", engine="openpyxl")
    assert list(kpis["period"]) == [1, 2, 3, 4]
    assert list(kpis["service_level"])[1:] == pytest.approx([0.0, 1.0, 1.0])
    assert kpis.loc[0, "service_level"] == pytest.approx(5 / 15)  # =B's 5 met, A's 10 not
    assert kpis["deliveries"].sum() == result.plan.kpis["deliveries"]
    assert kpis["order_lines"].sum() == result.plan.kpis["order_lines"]


def test_long_tables_streamed_as_xml_read_back_as_written_by_openpyxl(solved, tmp_path, monkeypatch):
    """Rows of long tables are streamed into the file (planner.excel_stream): same values and formats."""
    import planner
    import planner.excel_stream

    result, _, _ = solved
    plain = planner.write_result(result, tmp_path / "plain.xlsx")
    monkeypatch.setattr(planner.excel_stream, "STREAM_ROWS", 1)
    streamed = planner.write_result(result, tmp_path / "streamed.xlsx")
    a, b = openpyxl.load_workbook(plain), openpyxl.load_workbook(streamed)
    assert a.sheetnames == b.sheetnames
    for ws in a.worksheets:
        other = b[ws.title]
        assert (ws.max_row, ws.max_column) == (other.max_row, other.max_column), ws.title
        assert dict(ws.tables.items()) == dict(other.tables.items())  # TableList.items(): (name, ref)
        for row_a, row_b in zip(ws.iter_rows(), other.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                where = f"{ws.title}!{x.coordinate}"
                same = (
                    x.value == pytest.approx(y.value, rel=1e-15)
                    if isinstance(x.value, float)
                    else x.value == y.value
                )
                assert same, where
                assert x.number_format == y.number_format, where
                assert y.data_type != "f", where
    assert "=B" in [c.value for c in b["Orders"]["B"]]


def test_shortage_reasons_no_supplier_and_supplier_capacity(tmp_path):
    import warnings

    import planner
    from planner.errors import PlannerWarning
    from planner.pegging import peg
    from planner.shortages import shortages
    from tests.workbooks import write_workbook

    sheets = {
        "Items": table([{"item": "C", "stockout_cost": 100}, {"item": "D", "stockout_cost": 100}]),
        "Suppliers": table([{"supplier": "U", "capacity": 5}]),
        "SupplierItems": table([{"supplier": "U", "item": "D", "unit_price": 1}]),
        "Demand": [["item", "period", "quantity"], ["C", 1, 4], ["D", 1, 8]],
    }
    source = write_workbook(tmp_path / "short.xlsx", sheets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)  # C has requirements and no supplier: warned
        data = planner.read_workbook(source)
    result = planner.solve(data, planner.SolveOptions(gap=0.0))
    plan = result.plan
    reasons = shortages(data, plan, peg(data, plan.orders)).set_index("item")["reason"]
    assert reasons["C"].startswith("no supplier offers C")
    assert reasons["D"] == (
        "supplier capacity: every offer that could arrive in time is at its limit — U at capacity in period 1"
    )
