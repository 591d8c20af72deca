"""Reading and validating input workbooks: defaults, name matching, dates, and every problem at once."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planner import read
from planner.errors import InputError, Problem, UnreadableFileError
from planner.read import read_workbook
from planner.validate import load_workbook, validate
from tests.workbooks import as_frames, write_workbook


def make_workbook(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    """Write ``sheets`` (name -> rows, the header first) to an .xlsx file at ``path``."""

    def hide(book: openpyxl.Workbook) -> None:
        for name in hidden:
            book[name].sheet_state = "hidden"

    return write_workbook(path, sheets, edit=hide)


def base() -> dict[str, list[list]]:
    """A small valid workbook: two suppliers, three items, four periods of demand."""
    return {
        "Settings": [["setting", "value"], ["annual_holding_rate", 0.2]],
        "Items": [
            ["item", "description", "unit_cost", "on_hand", "volume"],
            ["bolt", "M8 bolt", None, 10, 1],
            ["nut", "M8 nut", 0.4, 0, 0.5],
            [1001, None, None, 0, 0],
        ],
        "Suppliers": [
            ["supplier", "delivery_cost", "capacity", "region"],
            ["acme", 50, 500, "north"],
            ["bravo", 40, None, "south"],
        ],
        "SupplierItems": [
            ["supplier", "item", "unit_price", "lead_time", "max_order"],
            ["acme", "bolt", 2.0, 1, None],
            ["bravo", "bolt", 1.5, 2, 300],
            ["acme", "nut", 0.5, 0, None],
        ],
        "Demand": [["item", "period", "quantity"], ["bolt", 1, 20], ["bolt", 3, 30], ["nut", 4, 100]],
    }


def load(tmp_path: Path, sheets: dict[str, list[list]], name: str = "in.xlsx"):
    return load_workbook(make_workbook(tmp_path / name, sheets))


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# --- a valid workbook --------------------------------------------------------------------------------


def test_valid_workbook_resolves_defaults_to_hand_computed_values(tmp_path):
    data, warnings = load(tmp_path, base())
    assert warnings == []
    assert data.source == "in.xlsx"
    assert data.T == 4  # the last period with a requirement
    items = data.items
    assert list(items.index) == ["bolt", "nut", "1001"]  # a numeric id becomes text, without ".0"
    assert items.at["bolt", "unit_cost"] == 1.5  # the lowest unit_price offered
    assert items.at["nut", "unit_cost"] == 0.4  # given
    assert items.at["1001", "unit_cost"] == 0.0  # offered by nobody
    assert items.at["bolt", "holding_cost"] == pytest.approx(0.2 * 1.5 / 52)
    assert items.at["nut", "holding_cost"] == pytest.approx(0.2 * 0.4 / 52)
    assert items.at["bolt", "stockout_cost"] == pytest.approx(15.0)
    assert items.at["bolt", "safety_stock_cost"] == pytest.approx(15.0)
    assert items.at["bolt", "safety_stock"] == 0 and items.at["bolt", "on_hand"] == 10
    assert items.at["1001", "description"] == ""

    offers = data.offers
    assert offers.index.names == ["supplier", "item"]
    assert offers.at[("bravo", "bolt"), "lead_time"] == 2 and offers["lead_time"].dtype == "int64"
    assert offers.at[("acme", "bolt"), "max_order"] == math.inf
    assert offers.at[("bravo", "bolt"), "max_order"] == 300
    assert offers.at[("acme", "nut"), "order_multiple"] == 1
    assert offers.at[("acme", "nut"), "capacity_per_unit"] == 1
    assert offers.at[("acme", "nut"), "capacity"] == math.inf

    assert data.suppliers.at["bravo", "capacity"] == math.inf
    assert data.suppliers.at["acme", "region"] == "north"  # descriptive columns are kept
    assert data.requirement == {("bolt", 1): 20, ("bolt", 3): 30, ("nut", 4): 100}
    assert data.settings.stockout_policy == "backlog" and data.settings.time_limit == 60
    assert data.rows[("Items", "nut")] == 3
    assert data.rows[("Suppliers", "bravo")] == 3
    assert data.rows[("SupplierItems", "acme", "nut")] == 4


def test_monthly_periods_divide_the_holding_rate_by_twelve(tmp_path):
    sheets = base()
    sheets["Settings"] += [["period_length", "month"], ["periods", 6], ["annual_holding_rate", 0.24]]
    del sheets["Settings"][1]
    data, _ = load(tmp_path, sheets)
    assert data.T == 6
    assert data.items.at["bolt", "holding_cost"] == pytest.approx(0.24 * 1.5 / 12)


def test_sheet_and_header_names_match_in_any_spelling(tmp_path):
    sheets = base()
    sheets["Supplier Items"] = [
        ["Supplier", " ITEM ", "Unit-Price", "Lead Time"],
        ["acme", "bolt", 2, 1],
        ["acme", "nut", 1, 0],
    ]
    del sheets["SupplierItems"]
    sheets["  items"] = sheets.pop("Items")
    sheets["  items"][0] = [" ITEM ", "Description", "unit cost", "On_Hand", "VOLUME"]
    data, warnings = load(tmp_path, sheets)
    assert warnings == []
    assert data.offers.at[("acme", "bolt"), "lead_time"] == 1
    assert data.items.at["bolt", "on_hand"] == 10


def test_dates_in_period_cells_fall_into_weeks(tmp_path):
    sheets = base()
    sheets["Settings"] += [["start_date", dt.date(2025, 1, 6)], ["period_length", "week"]]
    sheets["Demand"] = [
        ["item", "period", "quantity"],
        ["bolt", dt.datetime(2025, 1, 6), 1],  # first day of period 1
        ["bolt", dt.datetime(2025, 1, 12), 2],  # last day of period 1
        ["bolt", dt.datetime(2025, 1, 13), 4],  # period 2
        ["nut", "2025-02-03", 8],  # ISO text: period 5
        ["nut", 3, 16],  # a period number still works
    ]
    data, _ = load(tmp_path, sheets)
    assert data.requirement == {("bolt", 1): 3, ("bolt", 2): 4, ("nut", 3): 16, ("nut", 5): 8}
    assert data.T == 5


def test_dates_in_period_cells_fall_into_months(tmp_path):
    sheets = base()
    sheets["Settings"] += [["start_date", dt.datetime(2025, 1, 1)], ["period_length", "Month"]]
    sheets["Demand"] = [
        ["item", "period", "quantity"],
        ["bolt", dt.datetime(2025, 3, 15), 5],
        ["bolt", dt.datetime(2025, 1, 31), 7],
    ]
    data, _ = load(tmp_path, sheets)
    assert data.requirement == {("bolt", 1): 7, ("bolt", 3): 5}
    assert data.settings.period_length == "month"
    assert data.items.at["bolt", "holding_cost"] == pytest.approx(0.2 * 1.5 / 12)


def test_repeated_demand_rows_add_up(tmp_path):
    sheets = base()
    sheets["Demand"] += [["bolt", 1, 5], [" bolt ", 1.0, "7"]]
    data, _ = load(tmp_path, sheets)
    assert data.requirement[("bolt", 1)] == 32
    assert data.requirements["period"].dtype == "int64"


def test_bom_pulls_plan_quantity_times_quantity_per(tmp_path):
    sheets = base()
    sheets["ProductionPlan"] = [["product", "period", "quantity"], ["frame", 2, 10], ["frame", 3, 5]]
    sheets["ProductionPlan"].append([7, 3, 2])
    sheets["BOM"] = [
        ["product", "item", "quantity_per"],
        ["frame", "bolt", 4],
        ["frame", "nut", 4],
        [7, "bolt", 0.5],  # a numeric product id is the text "7"
    ]
    data, _ = load(tmp_path, sheets)
    assert data.requirement == {
        ("bolt", 1): 20,
        ("bolt", 2): 40,
        ("bolt", 3): 30 + 20 + 1,
        ("nut", 2): 40,
        ("nut", 3): 20,
        ("nut", 4): 100,
    }
    split = data.requirement_sources
    bolt3 = split[(split["item"] == "bolt") & (split["period"] == 3)]
    assert bolt3.set_index("source")["quantity"].to_dict() == {"demand": 30, "frame": 20, "7": 1}


def test_production_plan_alone_with_bom_is_a_requirement_source(tmp_path):
    sheets = base()
    del sheets["Demand"]
    sheets["ProductionPlan"] = [["product", "period", "quantity"], ["frame", 2, 10]]
    sheets["BOM"] = [["product", "item", "quantity_per"], ["frame", "bolt", 4]]
    data, _ = load(tmp_path, sheets)
    assert data.requirement == {("bolt", 2): 40} and data.T == 2


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    sheets = base()
    sheets["SupplierItems"] = [
        sheets["SupplierItems"][0],
        [None] * 5,
        ["acme", "bolt", 2, "two"],
        ["  ", None, None, None, None],
        ["acme", "nut", 1, 0],
    ]
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, sheets)
    assert problems_of(excinfo) == [
        'SupplierItems row 3, lead_time: "two" is not a whole number of periods (≥ 0)'
    ]


def test_hidden_sheets_are_read(tmp_path):
    data, _ = load_workbook(make_workbook(tmp_path / "h.xlsx", base(), hidden=("Suppliers",)))
    assert list(data.suppliers.index) == ["acme", "bravo"]


def test_open_orders_and_capacity_overrides(tmp_path):
    sheets = base()
    sheets["OpenOrders"] = [
        ["item", "period", "quantity", "supplier"],
        ["bolt", 2, 30, None],
        ["nut", 1, 5, "acme"],
    ]
    sheets["Capacity"] = [["resource", "period", "capacity"], ["Warehouse", 1, 100], ["acme", 2, 0]]
    data, _ = load(tmp_path, sheets)
    assert data.open_orders.to_dict("records") == [
        {"item": "bolt", "period": 2, "quantity": 30.0, "supplier": "", "row": 2},
        {"item": "nut", "period": 1, "quantity": 5.0, "supplier": "acme", "row": 3},
    ]
    assert data.warehouse_capacity == {1: 100.0}
    assert data.supplier_capacity[("acme", 2)] == 0 and data.supplier_capacity[("acme", 1)] == 500


# --- warnings ------------------------------------------------------------------------------------------


def test_warnings_are_returned_not_raised(tmp_path):
    sheets = base()
    sheets["Notes"] = [["anything"], ["at all"]]
    sheets["Items"][0].append("colour")
    sheets["Items"][1].append("red")
    sheets["Items"].append(["washer", None, None, 0, 0])
    sheets["Items"][2][2] = None  # nut: unit_cost from its price
    sheets["Items"][0].append("stockout_cost")
    sheets["Items"][2] += [None, 0.1]  # nut: running short is cheaper than its price 0.5
    sheets["Demand"].append(["washer", 2, 5])
    sheets["Settings"] += [["colour", "blue"], ["warehouse_capacity", 5]]
    sheets["Suppliers"][0].append("delivery cots")
    _, warnings = load(tmp_path, sheets)
    assert {(w.sheet, w.row, w.column) for w in warnings} == {
        ("Notes", None, None),
        ("Items", 1, "colour"),
        ("Settings", 3, "setting"),
        ("Items", 5, "item"),
        ("Items", 3, "stockout_cost"),
        ("Items", None, "on_hand"),
        ("Suppliers", 1, "delivery cots"),
    }
    shown = {str(w) for w in warnings}
    for message in [
        'Items row 3, stockout_cost: "0.1" is below the lowest unit_price of this item (0.5): running short '
        "would cost less than buying",
        "Items, on_hand: the start stock takes a volume of 10 (Σ volume × on_hand), more than the warehouse "
        "capacity of period 1 (5)",
        'Suppliers row 1, delivery cots: is not a column the planner uses (did you mean "delivery_cost"?): '
        "kept as a description",
        'Items row 5, item: "washer" has requirements but no supplier offers it in SupplierItems: only stock '
        "and open orders can meet them",
    ]:
        assert message in shown


def test_blank_header_above_data_is_warned_about(tmp_path):
    sheets = base()
    sheets["Demand"][0].append(None)
    sheets["Demand"][2].append("note")
    _, warnings = load(tmp_path, sheets)
    assert [str(w) for w in warnings] == [
        "Demand row 1, column D: has no header but holds data (rows 3): ignored"
    ]


# --- errors --------------------------------------------------------------------------------------------


def broken() -> dict[str, list[list]]:
    """A workbook with many different problems, each at a known place."""
    return {
        "Settings": [
            ["setting", "value"],
            ["periods", "twelve"],  # row 2: not a whole number
            ["period_length", "fortnight"],  # row 3: not a choice
            ["Periods", 8],  # row 4: setting given twice
            ["mip_gap", -1],  # row 5: negative
        ],
        "Items": [
            ["item", "unit_cost", "holding_cost", "on_hand"],
            ["bolt", 1, None, 10],
            ["nut", "abc", None, -5],  # row 3: text in a number; negative
            ["bolt", 1, True, 0],  # row 4: duplicate id; a boolean
            [None, 1, 1, 1],  # row 5: blank required id
        ],
        "Suppliers": [
            ["supplier", "delivery_cost", "Delivery Cost"],  # C1: the same column twice
            ["acme", 10, 11],
            ["acme", 20, 21],  # row 3: duplicate supplier
        ],
        "SupplierItems": [
            ["supplier", "item", "unit_price", "lead_time", "min_order", "max_order"],
            ["acme", "bolt", 2, 1, 0, None],
            ["acme", "nut", 1, "two", 0, None],  # row 3: not a whole number
            ["zeta", "blot", 1, 0, 0, None],  # row 4: unknown supplier and item
            ["acme", "nut", 1, 0, 100, 50],  # row 5: duplicate pair; min_order > max_order
            ["acme", "washer", None, 2.5, 0, "unlimited"],  # row 6: unknown item; blank price; 2.5; text
        ],
        "Demand": [
            ["item", "period", "quantity"],
            ["bolt", 0, 10],  # row 2: period 0
            ["bolt", dt.datetime(2025, 1, 6), 10],  # row 3: a date without a calendar
            ["nut", 3, "many"],  # row 4: not a number
            ["Bolt", 2, 5],  # row 5: unknown item (case)
            ["nut", 4, 1],
        ],
        "ProductionPlan": [["product", "period", "quantity"], ["car", 1, 1]],  # row 2: no BOM rows
        "BOM": [["product", "item", "quantity_per"], ["bike", "bolt", 2], ["bike", "bolt", 3]],  # row 3 twice
        "OpenOrders": [["item", "period", "supplier"], ["bolt", 9, "acme"]],  # no quantity column
        "Capacity": [["resource", "period", "capacity"], ["moon", 1, 5], ["acme", 99, 5]],  # unknown; > T
    }


def test_a_broken_workbook_reports_every_problem_in_one_error(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, broken(), name="broken.xlsx")
    error = excinfo.value
    assert error.source == "broken.xlsx"
    found = {(p.sheet, p.row, p.column) for p in error.problems}
    expected = {
        ("Settings", 2, "periods"),  # type
        ("Settings", 3, "period_length"),  # choice
        ("Settings", 4, "setting"),  # duplicate setting
        ("Settings", 5, "mip_gap"),  # negative setting
        ("Items", 3, "unit_cost"),  # text in a number column
        ("Items", 3, "on_hand"),  # negative
        ("Items", 4, "item"),  # duplicate id
        ("Items", 4, "holding_cost"),  # boolean
        ("Items", 5, "item"),  # blank required cell
        ("Suppliers", 1, "delivery_cost"),  # the same header twice
        ("Suppliers", 3, "supplier"),  # duplicate supplier
        ("SupplierItems", 3, "lead_time"),  # not a whole number
        ("SupplierItems", 4, "supplier"),  # unknown supplier
        ("SupplierItems", 4, "item"),  # unknown item
        ("SupplierItems", 5, "supplier + item"),  # duplicate pair
        ("SupplierItems", 5, "min_order"),  # min_order > max_order
        ("SupplierItems", 6, "item"),
        ("SupplierItems", 6, "unit_price"),  # blank required
        ("SupplierItems", 6, "lead_time"),  # 2.5 periods
        ("SupplierItems", 6, "max_order"),  # "unlimited"
        ("Demand", 2, "period"),  # period 0
        ("Demand", 3, "period"),  # a date without start_date / period_length
        ("Demand", 4, "quantity"),
        ("Demand", 5, "item"),
        ("ProductionPlan", 2, "product"),  # no BOM rows
        ("BOM", 3, "product + item"),  # duplicate BOM pair
        ("OpenOrders", 1, "quantity"),  # missing required column
        ("OpenOrders", 2, "period"),  # outside 1..T (T = 4 from Demand)
        ("Capacity", 2, "resource"),  # neither supplier nor warehouse
        ("Capacity", 3, "period"),
    }
    assert expected <= found, expected - found
    assert found <= expected, found - expected
    shown = set(problems_of(excinfo))
    for message in [
        'SupplierItems row 3, lead_time: "two" is not a whole number of periods (≥ 0)',
        'SupplierItems row 6, lead_time: "2.5" is not a whole number of periods (≥ 0)',
        'SupplierItems row 4, supplier: "zeta" is not a supplier in Suppliers',
        'SupplierItems row 4, item: "blot" is not an item in Items (did you mean "bolt"?)',
        'SupplierItems row 5, supplier + item: "acme + nut" is listed twice (also row 3)',
        'SupplierItems row 5, min_order: "100" is more than max_order (50)',
        "SupplierItems row 6, unit_price: is required but blank",
        'SupplierItems row 6, max_order: "unlimited" is not a number of units (≥ 0): leave the cell '
        "blank for unlimited",
        'Settings row 2, periods: "twelve" is not a whole number of periods (≥ 1)',
        'Settings row 3, period_length: "fortnight" is not one of: day, week, month',
        'Settings row 4, setting: "Periods" is given twice (also row 2)',
        'Settings row 5, mip_gap: "-1" is negative: expected a number (≥ 0)',
        'Items row 3, unit_cost: "abc" is not a number (≥ 0)',
        'Items row 3, on_hand: "-5" is negative: expected a number of units (≥ 0)',
        'Items row 4, item: "bolt" is listed twice (also row 2)',
        'Items row 4, holding_cost: "True" is not a number (≥ 0)',
        'Suppliers row 1, delivery_cost: "Delivery Cost" repeats the header "delivery_cost" in column B: '
        "keep one of them",
        'Demand row 2, period: "0" is not a period: expected a whole number ≥ 1',
        'Demand row 3, period: "2025-01-06" is a date: set start_date and period_length in Settings to use '
        "dates in period cells",
        'Demand row 5, item: "Bolt" is not an item in Items (did you mean "bolt"?)',
        'ProductionPlan row 2, product: "car" has no rows in BOM: its items are unknown',
        "OpenOrders row 1, quantity: is a required column but the header row does not have it",
        'OpenOrders row 2, period: "9" is outside the planning horizon 1..4 (the last period with a '
        "requirement; set periods in Settings to plan further)",
        'Capacity row 2, resource: "moon" is neither a supplier in Suppliers nor "warehouse"',
    ]:
        assert message in shown
    assert str(error).startswith(f"broken.xlsx: {len(error.problems)} problem(s) found\n  BOM row 3")


def test_a_missing_required_sheet_is_an_error_naming_it(tmp_path):
    sheets = base()
    del sheets["Suppliers"]
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, sheets)
    assert [p.sheet for p in excinfo.value.problems] == ["Suppliers"]
    assert problems_of(excinfo)[0].startswith("Suppliers: sheet is missing: it is required")


def test_no_source_of_requirements_is_an_error(tmp_path):
    sheets = base()
    del sheets["Demand"]
    sheets["ProductionPlan"] = [["product", "period", "quantity"], ["frame", 1, 1]]
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, sheets)
    # Reported once for the sheet, not again for every product of the plan.
    assert problems_of(excinfo) == [
        "BOM: sheet is missing: ProductionPlan needs it to know which items a product uses"
    ]


def test_neither_demand_nor_production_plan_is_an_error(tmp_path):
    sheets = base()
    del sheets["Demand"]
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, sheets)
    assert problems_of(excinfo) == [
        "Demand: sheet is missing: give Demand, or ProductionPlan with BOM, for what to plan"
    ]


def test_dates_before_start_date_and_beyond_the_horizon(tmp_path):
    sheets = base()
    sheets["Settings"] += [["start_date", "2025-01-06"], ["period_length", "week"], ["periods", 4]]
    sheets["Demand"] += [["nut", dt.datetime(2025, 1, 5), 1], ["nut", dt.datetime(2025, 2, 3), 1]]
    with pytest.raises(InputError) as excinfo:
        load(tmp_path, sheets)
    assert problems_of(excinfo) == [
        'Demand row 5, period: "2025-01-05" is before start_date 2025-01-06, the first day of period 1',
        'Demand row 6, period: "2025-02-03" falls in period 5, outside the planning horizon 1..4 (periods in '
        "Settings)",
    ]


def test_data_frames_are_validated_like_sheets():
    frames = as_frames(base())
    frames["supplier_items"] = frames.pop("SupplierItems")
    data, warnings = validate(frames)
    assert warnings == [] and data.source == "frames"
    assert data.items.at["bolt", "unit_cost"] == 1.5
    frames["Demand"].loc[1, "quantity"] = -3
    with pytest.raises(InputError) as excinfo:
        validate(frames, source="script")
    assert problems_of(excinfo) == [
        'Demand row 3, quantity: "-3" is negative: expected a number of units (≥ 0)'
    ]
    assert str(excinfo.value).startswith("script: 1 problem(s) found")


def test_frames_keep_their_row_numbers_and_same_named_sheets_clash():
    frames = as_frames(base())
    frames["Demand"] = frames["Demand"].astype(object)
    frames["Demand"]["_row"] = [10, 11, 12]
    frames["Demand"].loc[2, "period"] = "soon"
    frames["demand"] = frames["Demand"].copy()
    with pytest.raises(InputError) as excinfo:
        validate(frames)
    assert problems_of(excinfo) == [
        'Demand: "demand" is the same sheet as "Demand": keep one',
        'Demand row 12, period: "soon" is not a period: expected a whole number ≥ 1',
    ]


def test_problem_prints_sheet_row_column_value_and_expectation():
    problem = Problem("SupplierItems", 7, "lead_time", "two", "is not a whole number of periods (≥ 0)")
    assert str(problem) == 'SupplierItems row 7, lead_time: "two" is not a whole number of periods (≥ 0)'


# --- unreadable files ----------------------------------------------------------------------------------


def unreadable(path: Path) -> str:
    with pytest.raises(UnreadableFileError) as excinfo:
        read_workbook(path)
    message = str(excinfo.value)
    assert "\n" not in message and str(path) in message
    return message


def test_missing_file(tmp_path):
    assert "file not found" in unreadable(tmp_path / "nowhere.xlsx")


def test_csv_file(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("item,period,quantity\nbolt,1,10\n")
    assert "a .csv file is not supported: save it as .xlsx" in unreadable(path)
    renamed = tmp_path / "plan-csv.xlsx"
    renamed.write_text("item,period,quantity\nbolt,1,10\n")
    assert "text file" in unreadable(renamed) and "save it as .xlsx" in unreadable(renamed)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    assert "not an .xlsx workbook" in unreadable(path)


def test_truncated_workbook(tmp_path):
    good = make_workbook(tmp_path / "good.xlsx", base()).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "damaged or incomplete" in unreadable(path)


def test_ole_file_is_old_xls_or_password_protected(tmp_path):
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    (tmp_path / "locked.xlsx").write_bytes(ole)
    message = unreadable(tmp_path / "locked.xlsx")
    assert "old .xls" in message and "password-protected" in message
    (tmp_path / "old.xls").write_bytes(ole)
    message = unreadable(tmp_path / "old.xls")
    assert "an .xls file (old Excel format) is not supported: save it as .xlsx" in message


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)
    monkeypatch.setattr(read, "RATIO_CHECK_BYTES", 1_000_000)
    assert "zip bomb" in unreadable(path)
    monkeypatch.setattr(read, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    assert "unpacks to" in unreadable(path)


def test_xml_with_entities_is_refused(tmp_path):
    good = make_workbook(tmp_path / "good.xlsx", base())
    path = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            target.writestr(member, data)
    assert "contains unsafe XML (EntitiesForbidden), refused" in unreadable(path)


def test_damaged_sheet_xml(tmp_path):
    good = make_workbook(tmp_path / "good.xlsx", base())
    path = tmp_path / "cut-sheet.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            cut = member.filename.endswith("sheet1.xml")
            target.writestr(member, data[: len(data) // 2] if cut else data)
    assert "is damaged: its XML cannot be parsed" in unreadable(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an .xlsx workbook" in unreadable(path)
