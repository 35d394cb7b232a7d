"""The one neutralising helper every CSV and XLSX export uses (shop/spreadsheets.py)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from shop.spreadsheets import csv_cell, xlsx_cell

HOSTILE = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Spring sale", "林小姐", "", "1+1", "a=b", None, 12, Decimal("-5.00"), -3,
                                   datetime.date(2025, 3, 1)])
def test_other_csv_cells_are_left_exactly_as_they_are(value):
    assert csv_cell(value) == value


def test_a_formatted_negative_figure_stays_a_figure_in_csv():
    assert csv_cell("-12.50", number=True) == "-12.50"


def _round_trip(values):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([xlsx_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = next(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    return [(cell.value, cell.data_type) for cell in row]


def test_xlsx_texts_are_text_cells_with_exactly_what_was_typed_and_numbers_stay_numbers():
    cells = _round_trip([*HOSTILE[:4], "#N/A", Decimal("-5.00"), 7, "bell\x07"])
    assert cells == [(text, "s") for text in HOSTILE[:4]] + [("#N/A", "s"), (-5, "n"), (7, "n"), ("bell", "s")]


def test_xlsx_cells_work_in_write_only_workbooks_too():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([xlsx_cell(sheet, "=1+1"), xlsx_cell(sheet, Decimal("2.50"))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = next(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [(cell.value, cell.data_type) for cell in row] == [("=1+1", "s"), (2.5, "n")]
