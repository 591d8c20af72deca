"""The Dashboard sheet: what the plan costs, how well it serves, and four native Excel charts.

The charts read ranges of the workbook's own tables — KPIs (inventory value; warehouse volume against
capacity), DeliveryCalendar (value delivered per supplier and period) and the Dashboard's cost table —
so a planner can follow every picture back to its numbers. Only values are written, never formulas.
"""

from __future__ import annotations

import math

import openpyxl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from planner.data import COST_TERMS
from planner.excel_format import (
    COUNT,
    DECIMAL,
    HEADER_FILL,
    HEADER_FONT,
    MONEY,
    PERCENT,
    RATIO,
    Written,
    print_wide,
    set_widths,
)
from planner.solve import Result, Status

TITLE = "Dashboard"
COST_LABELS = {
    "purchase_cost": "Purchase",
    "delivery_cost": "Deliveries",
    "order_cost": "Order lines",
    "holding_cost": "Holding stock",
    "stockout_cost": "Shortages (stockout)",
    "safety_cost": "Below safety stock",
    "carbon_cost": "Carbon",
}
KEY_FIGURES = (
    ("Service level (units on time)", "service_level", PERCENT),
    ("Line fill rate (lines complete on time)", "line_fill_rate", PERCENT),
    ("Units short on time", "units_short_on_time", DECIMAL),
    ("Backlog at the end", "backlog_at_end", DECIMAL),
    ("Inventory to sales", "inventory_to_sales", RATIO),
    ("Capital tied up in stock, average", "average_inventory_value", MONEY),
    ("Capital tied up in stock, peak", "peak_inventory_value", MONEY),
    ("Stock value at the end", "end_inventory_value", MONEY),
    ("Order lines", "order_lines", COUNT),
    ("Average order size (units)", "average_order_size", DECIMAL),
    ("Average order value", "average_order_value", MONEY),
    ("Deliveries", "deliveries", COUNT),
    ("Deliveries per period", "deliveries_per_period", DECIMAL),
    ("Supplier utilisation, average", "average_supplier_utilisation", PERCENT),
    ("Supplier utilisation, peak", "peak_supplier_utilisation", PERCENT),
    ("Warehouse utilisation, average", "average_warehouse_utilisation", PERCENT),
    ("Warehouse utilisation, peak", "peak_warehouse_utilisation", PERCENT),
)
STATUS_COLOURS = {Status.OPTIMAL: "375623", Status.FEASIBLE: "9C5700"}

COST_HEADER_ROW = 6
CHART_WIDTH, CHART_HEIGHT = 17.0, 8.0  # cm
CHART_ANCHORS = ("E2", "O2", "E20", "O20")


def add_dashboard(workbook: openpyxl.Workbook, result: Result, written: dict[str, Written]) -> Worksheet:
    """Add the Dashboard as the first sheet, and make it the sheet the workbook opens on."""
    ws = workbook.create_sheet(TITLE, 0)
    workbook.active = 0
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    data = result.data
    currency = data.settings.currency
    set_widths(ws, A=40, B=18, C=10, D=3)

    ws["A1"] = "Order plan"
    ws["A1"].font = Font(bold=True, size=18, color="1F4E78")
    ws["A2"] = _scope(result)
    ws["A3"] = result.message
    ws["A3"].font = Font(bold=True, color=STATUS_COLOURS.get(result.status, "9C0006"))
    if result.gap is not None:
        ws["A4"] = (
            f"gap to the lower bound {result.gap:.2%}; solved in {result.timings.get('total', 0.0):.1f} s"
        )
    for cell in ("A2", "A3", "A4"):
        ws[cell].alignment = Alignment(wrap_text=False)

    plan = result.plan
    if plan is None:
        print_wide(ws)
        return ws
    cost_rows = _cost_table(ws, plan.costs, currency)
    _key_figures(ws, plan.kpis, cost_rows[1] + 3)
    charts = [
        _inventory_chart(written.get("KPIs"), currency),
        _warehouse_chart(written.get("KPIs")),
        _deliveries_chart(written.get("DeliveryCalendar"), currency),
        _cost_chart(ws, cost_rows),
    ]
    for anchor, chart in zip(CHART_ANCHORS, [c for c in charts if c is not None], strict=False):
        chart.width, chart.height = CHART_WIDTH, CHART_HEIGHT
        ws.add_chart(chart, anchor)
    print_wide(ws)
    ws.page_setup.fitToHeight = 1
    return ws


def _scope(result: Result) -> str:
    data = result.data
    text = f"{data.source}: {len(data.items)} items, {len(data.suppliers)} suppliers, {data.T} periods"
    if data.settings.has_dates:
        text += f" of a {data.settings.period_length} from {data.settings.period_start(1):%Y-%m-%d}"
    return text


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT


def _cost_table(ws: Worksheet, costs: dict[str, float], currency: str | None) -> tuple[int, int]:
    """Cost terms, their amounts and shares, then the total. Returns the first and last term rows."""
    _header(ws, COST_HEADER_ROW, ["Cost", f"Amount ({currency})" if currency else "Amount", "Share"])
    total = costs["total_cost"]
    row = COST_HEADER_ROW
    for term in COST_TERMS:
        row += 1
        ws.cell(row=row, column=1, value=COST_LABELS.get(term, term.replace("_", " ").capitalize()))
        ws.cell(row=row, column=2, value=float(costs.get(term, 0.0))).number_format = MONEY
        share = costs.get(term, 0.0) / total if total else 0.0
        ws.cell(row=row, column=3, value=float(share)).number_format = PERCENT
    first, last = COST_HEADER_ROW + 1, row
    row += 1
    line = Border(top=Side(style="thin"))
    ws.cell(row=row, column=1, value="Total").font = Font(bold=True)
    cell = ws.cell(row=row, column=2, value=float(total))
    cell.number_format = MONEY
    cell.font = Font(bold=True)
    for col in (1, 2, 3):
        ws.cell(row=row, column=col).border = line
    return first, last


def _key_figures(ws: Worksheet, kpis: dict[str, float], top: int) -> None:
    _header(ws, top, ["Key figure", "Value"])
    row = top
    for label, key, fmt in KEY_FIGURES:
        value = kpis.get(key)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            continue
        row += 1
        ws.cell(row=row, column=1, value=label)
        ws.cell(row=row, column=2, value=float(value)).number_format = fmt


def _axes(chart, y_format: str | None = None) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.title = "period"
    if y_format:
        chart.y_axis.number_format = y_format


def _categories(table: Written) -> Reference:
    col = table.columns["period"]
    return Reference(table.ws, min_col=col, max_col=col, min_row=2, max_row=table.last_row)


def _column(table: Written, name: str) -> Reference:
    """One column of a written table, header included (the series takes its title from it)."""
    col = table.columns[name]
    return Reference(table.ws, min_col=col, min_row=1, max_row=table.last_row)


def _inventory_chart(kpis: Written | None, currency: str | None) -> LineChart | None:
    if kpis is None or kpis.last_row < 2:
        return None
    chart = LineChart()
    chart.title = "Capital tied up in stock (inventory value)"
    chart.add_data(_column(kpis, "inventory_value"), titles_from_data=True)
    chart.set_categories(_categories(kpis))
    chart.legend = None
    chart.series[0].smooth = False
    chart.y_axis.title = currency or "value"
    _axes(chart, "#,##0")
    return chart


def _warehouse_chart(kpis: Written | None) -> BarChart | None:
    if kpis is None or "warehouse_used" not in kpis.columns or kpis.last_row < 2:
        return None
    bars = BarChart()
    bars.title = "Warehouse: volume stored against capacity"
    bars.add_data(_column(kpis, "warehouse_used"), titles_from_data=True)
    bars.set_categories(_categories(kpis))
    bars.series[0].tx = SeriesLabel(v="volume stored at the end of the period")
    bars.y_axis.title = "volume"
    _axes(bars, "#,##0")
    line = LineChart()
    line.add_data(_column(kpis, "warehouse_capacity"), titles_from_data=True)
    line.series[0].tx = SeriesLabel(v="warehouse capacity")
    line.series[0].smooth = False
    line.series[0].graphicalProperties.line.solidFill = "C00000"
    line.series[0].graphicalProperties.line.width = 28575
    bars += line
    bars.legend.position = "b"
    return bars


def _deliveries_chart(calendar: Written | None, currency: str | None) -> BarChart | None:
    if calendar is None or calendar.last_row < 2:
        return None
    suppliers = [k for name, k in calendar.columns.items() if name not in ("period", "date")]
    if not suppliers:
        return None
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Deliveries per supplier and period (value)"
    chart.add_data(
        Reference(
            calendar.ws, min_col=min(suppliers), max_col=max(suppliers), min_row=1, max_row=calendar.last_row
        ),
        titles_from_data=True,
    )
    chart.set_categories(_categories(calendar))
    chart.y_axis.title = currency or "value"
    chart.legend.position = "b"
    _axes(chart, "#,##0")
    return chart


def _cost_chart(ws: Worksheet, rows: tuple[int, int]) -> BarChart:
    first, last = rows
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Cost breakdown"
    chart.add_data(Reference(ws, min_col=2, min_row=first, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.legend = None
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    for flag in ("showCatName", "showSerName", "showLegendKey", "showPercent"):
        setattr(chart.dataLabels, flag, False)
    chart.dataLabels.numFmt = "#,##0"
    chart.x_axis.scaling.orientation = "maxMin"  # the first term on top, as in the table
    _axes(chart, "#,##0")
    chart.x_axis.title = None
    return chart
