"""Every cell of every CSV and XLSX export passes through here (OWASP "CSV injection").

Visitors write campaign names, search terms, e-mail addresses and shipping addresses; a
marketer or operator opens the export in a spreadsheet. A cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return may be run as a formula there
(``=HYPERLINK(…)``, ``@SUM(…)``, ``+cmd|…``). So:

- CSV has no cell types: such a text gets a leading apostrophe (``'=HYPERLINK(…)``), which
  spreadsheets show as text and never evaluate. The apostrophe stays visible; that is the
  price of a format without types.
- XLSX has cell types: every text is written as a string cell (``data_type "s"``), never
  a formula, so the cell shows exactly what the visitor typed, with no apostrophe. Control
  characters XLSX cannot hold are dropped rather than failing the export.
- Only texts are touched: numbers (``int``, ``Decimal``, a negative amount included),
  dates and empty cells pass unchanged, and so does a CSV text the caller marks as a
  formatted number (``number=True``: "-12.50" on a report is a figure, not a formula).

``SpreadsheetExportMixin`` routes Wagtail's own exports (listings with ``list_export``,
reports) through the same two functions.
"""

import datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, *, number: bool = False):
    """``value`` as a CSV cell: a text a spreadsheet would run as a formula gets a leading
    apostrophe; anything else is returned unchanged."""
    if number or not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    return "'" + value


def xlsx_cell(sheet, value) -> Cell:
    """An openpyxl cell for ``sheet`` (write-only or not; ``sheet.append`` takes it)
    holding ``value``: a text is a string cell, never a formula or an error code; numbers
    and dates keep their types."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = Cell(sheet, row=1, column=1, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class SpreadsheetExportMixin:
    """Put first in the bases of a Wagtail view with ``list_export`` (an ``IndexView``, a
    ``ReportView``): its CSV and XLSX rows then pass ``csv_cell``/``xlsx_cell``."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow({
            field: csv_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
            for field, value in row_dict.items()
        })

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            cell = xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))
            if date_format and isinstance(value, datetime.datetime):
                cell.number_format = date_format
            yield cell


__all__ = ["FORMULA_TRIGGERS", "SpreadsheetExportMixin", "csv_cell", "xlsx_cell"]
