"""A report table as a file: CSV holds the texts the screen shows; XLSX the same rows
with numbers as numbers (money as decimals, rates as percent values). Every cell passes
``shop.spreadsheets`` (campaign names and labels come from visitors)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from content.reports.tables import ReportTable
from shop.spreadsheets import csv_cell, xlsx_cell


def table_csv(table: ReportTable, *, with_total: bool = True) -> str:
    """The header, every row and the totals row, cell for cell as on screen."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(heading) for heading in table.header()])
    for row, cells in table.lines():
        if with_total or row.kind != "total":
            writer.writerow([csv_cell(cell.text, number=cell.kind != "text") for cell in cells])
    return buffer.getvalue()


def table_xlsx(table: ReportTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Report"
    sheet.append([xlsx_cell(sheet, heading) for heading in table.header()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, cells in table.lines():
        sheet.append([xlsx_cell(sheet, cell.value if cell.kind != "text" else cell.text) for cell in cells])
        formats = {"money": "0.00", "percent": '0.00"%"'}
        for sheet_cell, cell in zip(sheet[sheet.max_row], cells, strict=True):
            if cell.kind in formats:
                sheet_cell.number_format = formats[cell.kind]
            if row.kind == "total":
                sheet_cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
