"""Write ``examples/plant.xlsx``: the shipped example, a small electric-bicycle assembly plant.

The plant (near Cologne) assembles three e-bikes from 33 purchased components over a 12-week spring
ramp-up starting Monday 2027-01-04:

- ``CITY``  city e-bike, hub motor, 28" wheels
- ``CARGO`` long-tail cargo e-bike, mid-drive motor, two batteries, 20" wheels
- ``MTB``   e-mountain bike, mid-drive motor, suspension fork, 29" wheels

Five suppliers with distinct profiles:

- ``ASIAPARTS`` far-away low-cost supplier of the big-ticket lines only (city and MTB frames, 28" wheels,
  hub motors): sea freight, lead time 6 weeks (start stock and a container at sea cover until then),
  expensive deliveries (a container), large minimum orders and pack sizes, customs paperwork per order
  line, limited weekly capacity in container slots (halved in week 10: Chinese New Year sailings)
- ``VELOPOL``   nearshore component maker: lead time 2 weeks, medium prices, any quantity, a truck
- ``RHEINRAD``  local distributor of small parts: lead time 0-1 week, dearer, limited stock of some
  lines, cheap deliveries
- ``VOLTDRIVE`` battery and motor specialist: lead time 2-3 weeks, capacity in batteries and motors
- ``PACKWERK``  packaging and consumables: cartons, grease, screws; minimum orders and pack sizes

Six items have two suppliers (frames, 28" wheels and hub motors far or near; suspension forks and 28"
tyres nearshore or local). The warehouse (85 m3, less in the stocktake week) binds when the container
arrives.

The data is tuned to solve to proven optimality in seconds. What makes such plans hard is many items
sharing one supplier's delivery cost (joint replenishment), together with minimum orders, pack sizes and
per-line costs on those items: the far supplier therefore sells only four lines, and minimum orders,
packs and line costs sit with it and the packaging supplier; the near suppliers deliver cheaply, in any
quantity.

Carbon is priced (transport and storage), and one disruption is possible: a 20 % chance that battery
deliveries due in weeks 6-9 come a week late — the plan is the cheapest in expectation over both cases.

The data is fixed (no randomness) and the written file is byte-for-byte reproducible. Before writing,
``check_coverage`` confirms the example can be planned without any backlog. Run from anywhere:

    python examples/make_example.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

OUTPUT = Path(__file__).with_name("plant.xlsx")
START = dt.date(2027, 1, 4)  # a Monday
PERIODS = 12
FIXED_TIMESTAMP = dt.datetime(2026, 12, 1, 8, 0, 0)  # document properties, for reproducible bytes

SETTINGS: list[tuple[str, object]] = [
    ("periods", PERIODS),
    ("start_date", START),
    ("period_length", "week"),
    ("warehouse_capacity", 85),  # m3
    ("stockout_policy", "backlog"),
    ("annual_holding_rate", 0.25),
    ("currency", "EUR"),
    ("time_limit", 60),
    ("mip_gap", 0),
    ("carbon_price", 0.08),  # EUR per kg CO2e (80 EUR per tonne)
    ("storage_co2_per_volume", 1.5),  # kg CO2e per m3 stored for a week (heated, lit warehouse)
]

PRODUCTS = ("CITY", "CARGO", "MTB")

# Bikes per week, a spring ramp-up.
PLAN: dict[str, list[int]] = {
    "CITY": [30, 30, 32, 35, 35, 38, 40, 42, 45, 48, 50, 55],
    "CARGO": [10, 10, 12, 12, 14, 14, 15, 16, 18, 18, 20, 20],
    "MTB": [15, 15, 15, 18, 18, 20, 22, 25, 25, 28, 30, 30],
}
# These ProductionPlan rows give the period as a date (a Monday, or any day inside the week).
PLAN_DATES: dict[tuple[str, int], dt.date] = {
    ("MTB", 10): dt.date(2027, 3, 8),
    ("MTB", 11): dt.date(2027, 3, 17),  # a Wednesday: falls into week 11
    ("MTB", 12): dt.date(2027, 3, 22),
}

# The data tables below are laid out as tables; ruff format leaves them alone.
# fmt: off
# item, description, unit, unit_cost, stockout_cost, on_hand, safety_stock, volume (m3 per unit)
# A blank (None) unit_cost defaults to the item's lowest price; a blank stockout_cost to 10 x unit_cost.
# on_hand covers the weeks before the item's shortest lead time, and is such that what is left to buy
# over the horizon is a whole number of every pack size the item is sold in: the plan can end with no
# pack-rounding leftovers, which narrows the gap between the LP bound and the best plan.
ITEMS: list[tuple[str, str, str, float | None, float | None, float, float | None, float]] = [
    ("FRM-CITY", "Frame, city, aluminium 50 cm", "pcs", None, None, 80, None, 0.15),
    ("FRM-CARGO", "Frame, long-tail cargo, steel", "pcs", 150, 1500, 24, None, 0.35),
    ("FRM-MTB", "Frame, MTB full-suspension 29\"", "pcs", None, None, 41, None, 0.15),
    ("FORK-RIG", "Fork, rigid, aluminium", "pcs", None, None, 209, None, 0.03),
    ("FORK-SUS", "Fork, suspension 140 mm", "pcs", None, None, 26, None, 0.04),
    ("WHL-28", "Wheel 28\", disc, built", "pcs", None, None, 160, None, 0.05),
    ("WHL-20", "Wheel 20\", cargo, built", "pcs", None, None, 48, None, 0.035),
    ("WHL-29", "Wheel 29\", MTB, built", "pcs", None, None, 72, None, 0.055),
    ("TYR-28", "Tyre 28 x 1.75, reflective", "pcs", None, 40, 216, None, 0.008),
    ("TYR-20", "Tyre 20 x 2.4, cargo", "pcs", None, None, 78, None, 0.007),
    ("TYR-29", "Tyre 29 x 2.4, MTB", "pcs", None, None, 82, None, 0.01),
    ("KICKSTAND", "Kickstand, dual-leg", "pcs", None, None, 259, None, 0.004),
    ("MOT-HUB", "Motor, rear hub 250 W", "pcs", None, 2000, 80, 15, 0.012),
    ("MOT-MID", "Motor, mid-drive 250 W 85 Nm", "pcs", None, 3500, 60, 15, 0.012),
    ("BAT-500", "Battery 36 V 500 Wh, frame-integrated", "pcs", 300, 3000, 189, 40, 0.006),
    ("CHG-4A", "Charger 4 A", "pcs", None, None, 130, None, 0.004),
    ("CTRL", "Motor controller", "pcs", None, None, 130, None, 0.002),
    ("DSP", "Display, LCD with remote", "pcs", None, None, 170, None, 0.002),
    ("BRK-HYD", "Brake set, hydraulic disc (front + rear)", "pcs", None, None, 40, None, 0.006),
    ("PAD", "Brake pads, pair", "pcs", None, 25, 320, None, 0.0002),
    ("CHAIN", "Chain, e-bike 11-speed", "pcs", None, 60, 120, None, 0.0005),
    ("CASS-9", "Cassette 9-speed 11-36", "pcs", None, None, 159, None, 0.001),
    ("CASS-12", "Cassette 12-speed 10-51", "pcs", None, None, 41, None, 0.0015),
    ("SADDLE", "Saddle, comfort", "pcs", None, None, 320, None, 0.008),
    ("HBAR", "Handlebar, alloy 680 mm", "pcs", None, None, 170, None, 0.01),
    ("GRIPS", "Grips, ergonomic, pair", "pcs", None, None, 320, None, 0.001),
    ("PEDAL", "Pedals, platform, pair", "pcs", None, None, 320, None, 0.003),
    ("LIGHT", "Light set, front + rear, 6 V", "pcs", None, None, 109, None, 0.002),
    ("CABLE", "Cable housing, brake/shift", "m", None, None, 428.5, None, 0.0001),
    ("SCREW", "Screw M5 x 12, stainless", "pcs", 0.05, None, 3512, None, 0.0001),
    ("CARTON", "Shipping carton, bike", "pcs", None, None, 141, None, 0.02),
    ("CARTON-XL", "Shipping carton, cargo bike", "pcs", None, None, 39, None, 0.03),
    ("GREASE", "Assembly grease", "kg", None, None, 8, None, 0.0012),
]

# supplier, name, region, distance_km, delivery_cost, capacity, co2_per_delivery
SUPPLIERS: list[tuple[str, str, str, int, float, float | None, float]] = [
    ("ASIAPARTS", "Shenzhen Cycle Parts Co.", "Asia", 18500, 900, 3000, 2100),
    ("VELOPOL", "VeloPol Components, Wroclaw", "Europe (nearshore)", 900, 60, None, 380),
    ("RHEINRAD", "Rheinrad Fahrradteile GmbH", "Local", 40, 20, None, 12),
    ("VOLTDRIVE", "VoltDrive Systems", "Europe", 650, 60, 400, 160),
    ("PACKWERK", "Packwerk Verpackung", "Local", 120, 25, None, 30),
]

# supplier, item, unit_price, lead_time, min_order, order_multiple, max_order, order_cost, capacity,
# capacity_per_unit. None = blank cell (the contract's default).
OFFERS: list[tuple] = [
    # Far away and cheap, by sea: only the big-ticket lines; container lots, customs paperwork per line;
    # capacity in container slots.
    ("ASIAPARTS", "FRM-CITY", 58.0, 6, 100, 20, None, 25, None, 3),
    ("ASIAPARTS", "FRM-MTB", 85.0, 6, 100, 20, None, 25, None, 3),
    ("ASIAPARTS", "WHL-28", 19.0, 6, 200, 50, None, 25, None, 2),
    ("ASIAPARTS", "MOT-HUB", 128.0, 6, 100, 20, 300, 25, None, None),
    # Nearshore: two weeks, medium prices, any quantity; a cheap truck delivery.
    ("VELOPOL", "FRM-CITY", 72.0, 2, None, None, 150, None, None, None),
    ("VELOPOL", "FRM-CARGO", 145.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "FRM-MTB", 104.0, 2, None, None, 150, None, None, None),
    ("VELOPOL", "FORK-RIG", 18.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "FORK-SUS", 120.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "WHL-28", 25.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "WHL-20", 27.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "WHL-29", 39.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "TYR-28", 7.8, 2, None, None, None, None, None, None),
    ("VELOPOL", "TYR-20", 11.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "TYR-29", 14.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "BRK-HYD", 48.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "CHAIN", 8.5, 2, None, None, None, None, None, None),
    ("VELOPOL", "CASS-9", 16.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "CASS-12", 46.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "LIGHT", 16.0, 2, None, None, None, None, None, None),
    ("VELOPOL", "CABLE", 0.9, 2, None, None, None, None, None, None),
    # Local distributor: from stock, dear, any quantity; limited stock of some lines.
    ("RHEINRAD", "FORK-SUS", 142.0, 1, None, None, 20, None, None, None),
    ("RHEINRAD", "TYR-28", 9.5, 1, None, None, None, None, None, None),
    ("RHEINRAD", "KICKSTAND", 5.9, 1, None, None, None, None, None, None),
    ("RHEINRAD", "SADDLE", 10.5, 1, None, None, None, None, None, None),
    ("RHEINRAD", "HBAR", 8.9, 1, None, None, None, None, None, None),
    ("RHEINRAD", "GRIPS", 2.9, 1, None, None, None, None, None, None),
    ("RHEINRAD", "PEDAL", 6.4, 1, None, None, None, None, None, None),
    ("RHEINRAD", "PAD", 5.5, 0, None, None, None, None, None, None),
    # Battery and motor specialist: capacity counts batteries and motors; bought-in electronics use none.
    ("VOLTDRIVE", "MOT-HUB", 165.0, 2, None, None, None, None, None, None),
    ("VOLTDRIVE", "MOT-MID", 310.0, 3, None, None, None, None, 80, None),
    ("VOLTDRIVE", "BAT-500", 290.0, 2, None, None, 200, None, None, None),
    ("VOLTDRIVE", "CHG-4A", 38.0, 2, None, None, None, None, None, 0),
    ("VOLTDRIVE", "CTRL", 62.0, 2, None, None, None, None, None, 0),
    ("VOLTDRIVE", "DSP", 45.0, 2, None, None, None, None, None, 0),
    # Packaging and consumables.
    ("PACKWERK", "CARTON", 3.4, 1, 50, 25, None, None, None, None),
    ("PACKWERK", "CARTON-XL", 5.9, 1, 20, 10, None, None, None, None),
    ("PACKWERK", "GREASE", 14.0, 1, 5, 0, None, None, None, None),  # any quantity, at least 5 kg
    ("PACKWERK", "SCREW", 0.05, 1, 2000, 1000, None, None, None, None),
]

# Product-specific parts: product, item, quantity_per.
_OWN_PARTS: dict[str, list[tuple[str, float]]] = {
    "CITY": [("FRM-CITY", 1), ("FORK-RIG", 1), ("WHL-28", 2), ("TYR-28", 2), ("KICKSTAND", 1),
             ("MOT-HUB", 1), ("BAT-500", 1), ("CASS-9", 1), ("LIGHT", 1), ("CABLE", 3), ("CARTON", 1),
             ("SCREW", 24)],
    "CARGO": [("FRM-CARGO", 1), ("FORK-RIG", 1), ("WHL-20", 2), ("TYR-20", 2), ("KICKSTAND", 1),
              ("MOT-MID", 1), ("BAT-500", 2), ("CASS-9", 1), ("LIGHT", 1), ("CABLE", 4.5), ("CARTON-XL", 1),
              ("SCREW", 32)],
    "MTB": [("FRM-MTB", 1), ("FORK-SUS", 1), ("WHL-29", 2), ("TYR-29", 2), ("MOT-MID", 1), ("BAT-500", 1),
            ("CASS-12", 1), ("CABLE", 3), ("CARTON", 1), ("SCREW", 24)],
}
# Parts every bike gets, same quantity.
_COMMON_PARTS: list[tuple[str, float]] = [
    ("CHG-4A", 1), ("CTRL", 1), ("DSP", 1), ("BRK-HYD", 1), ("PAD", 2), ("CHAIN", 1), ("SADDLE", 1),
    ("HBAR", 1), ("GRIPS", 1), ("PEDAL", 1), ("GREASE", 0.05),
]
BOM: list[tuple[str, str, float]] = [
    (product, item, per) for product in PRODUCTS for item, per in _OWN_PARTS[product] + _COMMON_PARTS
]

# Spare parts for the service shop: item, period (or date), quantity.
DEMAND: list[tuple[str, int | dt.date, float]] = [
    ("TYR-28", 2, 12), ("TYR-28", 5, 12), ("TYR-28", 8, 16), ("TYR-28", 11, 16),
    ("PAD", 3, 40), ("PAD", dt.date(2027, 2, 10), 40), ("PAD", 9, 50), ("PAD", 12, 50),
    ("CHAIN", 4, 15), ("CHAIN", 8, 15), ("CHAIN", 12, 20),
]

# fmt: on

# Already in transit: item, arrival period, quantity, supplier.
OPEN_ORDERS: list[tuple[str, int, float, str]] = [
    ("BRK-HYD", 1, 100, "VELOPOL"),
    ("MOT-MID", 2, 40, "VOLTDRIVE"),
    ("FRM-CITY", 3, 120, "ASIAPARTS"),  # one container, two lines
    ("WHL-28", 3, 150, "ASIAPARTS"),
]

# Per-period overrides: resource, period, capacity.
CAPACITY: list[tuple[str, int, float]] = [
    ("ASIAPARTS", 10, 1500),  # Chinese New Year: half the usual container slots arriving in week 10
    ("warehouse", 9, 70),  # stocktake in week 9: part of the racking is blocked
]


# Possible supply disruptions: supplier, item (None = all its items), from week, to week, probability,
# delay (weeks), capacity factor. Kept to one row (two scenarios) so the example still solves quickly.
DISRUPTIONS: list[tuple] = [
    ("VOLTDRIVE", "BAT-500", 6, 9, 0.2, 1, None),  # cell supply squeeze at the battery maker
]


def period_of(value: int | dt.date) -> int:
    """Period number of a period cell: the number itself, or the week that contains the date."""
    if isinstance(value, dt.date):
        return (value - START).days // 7 + 1
    return value


def requirements() -> dict[str, list[float]]:
    """Requirement of every item in periods 1..T: BOM explosion of the plan plus spare-part demand."""
    req = {item[0]: [0.0] * PERIODS for item in ITEMS}
    for product, item, per in BOM:
        for t, qty in enumerate(PLAN[product]):
            req[item][t] += per * qty
    for item, period, qty in DEMAND:
        req[item][period_of(period) - 1] += qty
    return req


def check_coverage() -> None:
    """Check by construction that the example can be planned without backlog.

    Before the first period a new order can arrive (1 + the shortest lead time), every item's
    requirement must be met from on_hand and open orders; after that, each supplier's capacity must
    comfortably exceed the weekly needs it could be asked to serve, and the start stock must fit the
    warehouse.
    """
    req = requirements()
    lead: dict[str, int] = {}
    for _supplier, item, _price, lead_time, *_ in OFFERS:
        lead[item] = min(lead.get(item, lead_time), lead_time)
    items = {row[0]: row for row in ITEMS}
    for item, row in items.items():
        assert item in lead, f"{item} has no supplier"
        stock = row[5]
        for t in range(1, lead[item] + 1):  # periods no new order can reach
            stock += sum(q for i, p, q, _ in OPEN_ORDERS if i == item and p == t) - req[item][t - 1]
            assert stock >= 0, f"{item} short in period {t} before its first possible arrival"
    for supplier, *_, capacity, _co2 in SUPPLIERS:
        if capacity is None:
            continue
        for t in range(PERIODS):
            load = sum(req[i][t] * (1 if cpu is None else cpu) for s, i, *_, cpu in OFFERS if s == supplier)
            override = [c for r, p, c in CAPACITY if r == supplier and p == t + 1]
            assert load <= 0.9 * (override[0] if override else capacity), f"{supplier} tight in {t + 1}"
    start_volume = sum(row[5] * row[7] for row in ITEMS)
    assert start_volume <= dict(SETTINGS)["warehouse_capacity"], "start stock does not fit the warehouse"
    for item, row in items.items():  # see ITEMS: what is left to buy is a whole number of every pack
        to_buy = sum(req[item]) - row[5] - sum(q for i, _p, q, _s in OPEN_ORDERS if i == item)
        for _s, i, _price, _lead, _min, multiple, *_ in OFFERS:
            if i == item and multiple:
                packs = to_buy / multiple
                assert abs(packs - round(packs)) < 1e-9, f"{item}: {to_buy} is not whole packs of {multiple}"


def add_sheet(wb: Workbook, title: str, header: list[str], rows: list[tuple]) -> None:
    """Add a sheet: bold header, data from row 2, dates formatted as dates, columns sized to content."""
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    widths = [len(h) for h in header]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
                text = "yyyy-mm-dd"
            else:
                text = "" if cell.value is None else str(cell.value)
            widths[cell.column - 1] = max(widths[cell.column - 1], len(text))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 3, 45)
    ws.freeze_panes = "A2"


def build_workbook() -> Workbook:
    """The example as an openpyxl workbook. A few headers are typed the way a planner would."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "planner examples/make_example.py"
    wb.properties.created = FIXED_TIMESTAMP
    add_sheet(wb, "Settings", ["setting", "value"], SETTINGS)
    add_sheet(
        wb,
        "Items",
        ["item", "description", "unit", "unit_cost", "stockout_cost", "on_hand", "safety_stock", "volume"],
        ITEMS,
    )
    add_sheet(
        wb,
        "Suppliers",
        ["supplier", "name", "region", "distance_km", "delivery_cost", "capacity", "co2_per_delivery"],
        SUPPLIERS,
    )
    add_sheet(
        wb,
        "Supplier Items",
        [
            "Supplier",
            "Item",
            "Unit Price",
            "Lead Time",
            "Min Order",
            "Order Multiple",
            "Max Order",
            "Order Cost",
            "Capacity",
            "Capacity per Unit",
        ],
        OFFERS,
    )
    add_sheet(wb, "BOM", ["product", "item", "quantity_per"], BOM)
    plan_rows = [
        (product, PLAN_DATES.get((product, t), t), qty)
        for product in PRODUCTS
        for t, qty in enumerate(PLAN[product], start=1)
    ]
    add_sheet(wb, "ProductionPlan", ["product", "period", "quantity"], plan_rows)
    add_sheet(wb, "Demand", ["item", "period", "quantity"], DEMAND)
    add_sheet(wb, "OpenOrders", ["item", "period", "quantity", "supplier"], OPEN_ORDERS)
    add_sheet(wb, "Capacity", ["resource", "period", "capacity"], CAPACITY)
    add_sheet(
        wb,
        "Disruptions",
        ["supplier", "item", "from_period", "to_period", "probability", "delay", "capacity_factor"],
        DISRUPTIONS,
    )
    return wb


def reproducible_bytes(wb: Workbook) -> bytes:
    """Save the workbook with fixed timestamps (document properties and zip entries).

    openpyxl stamps the save time into docProps/core.xml and the zip entries; fixing both keeps
    the committed file unchanged when the script is rerun.
    """
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def main() -> None:
    check_coverage()
    OUTPUT.write_bytes(reproducible_bytes(build_workbook()))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
