"""Read an export back as a marketer's spreadsheet would: CSV rows, and XLSX cells with their types."""

import csv
import io

import openpyxl


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))


def xlsx_cells(response) -> list[list[tuple[object, str]]]:
    """Every row as (value, openpyxl data type) pairs: "s" text, "n" number, "f" formula."""
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
