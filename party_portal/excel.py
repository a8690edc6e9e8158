"""The one way the portal writes Excel files: every workbook, template and export is built, filled and saved here.

Safe by construction. openpyxl turns any text that starts with "=" into a formula; here every text cell is stored
as text (t="inlineStr"), and text a spreadsheet would take for the start of a formula (OWASP's = + - @ tab CR) also
carries Excel's quote prefix: the apostrophe a user types before such text, kept as a style, so editing the cell in
Excel leaves it text. The text itself is unchanged, so a name exported and imported again is the same name. No cell
holds a formula at all: the portal writes the values it computed (a total Excel recomputes could disagree with the
counted figure). `workbook_bytes` makes every cell of the workbook safe once more just before saving, so a cell
written another way cannot slip through either.
"""

from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP CSV/formula injection: a cell starting with one of these is read as a formula by some spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold; openpyxl raises on them. Shown as the replacement character instead.
REPLACEMENT = "\ufffd"
NUMBER_TYPES = (bool, int, float, date, datetime)

__all__ = [
    "XLSX_CONTENT_TYPE",
    "Alignment",
    "Border",
    "Comment",
    "DataValidation",
    "Font",
    "PageSetupProperties",
    "PatternFill",
    "Side",
    "add_sheet",
    "column_letter",
    "new_workbook",
    "put",
    "workbook_bytes",
    "xlsx_response",
]

column_letter = get_column_letter


def new_workbook(*, first_sheet=None):
    """An empty workbook; `first_sheet` names its first sheet, None leaves it without any."""
    book = Workbook()
    if first_sheet is None:
        book.remove(book.active)
    else:
        book.active.title = str(first_sheet)[:31]
    return book


def add_sheet(book, title):
    """A new sheet at the end of `book` (Excel allows 31 characters in a sheet name)."""
    return book.create_sheet(str(title)[:31])


def put(sheet, row, column, value, *, font=None, fill=None, alignment=None, border=None, number_format=None):
    """Write `value` into a cell: numbers and dates as themselves, anything else as text, never as a formula."""
    cell = sheet.cell(row=row, column=column)
    if value is None or isinstance(value, NUMBER_TYPES):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, str(value))
    _make_safe(cell)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _make_safe(cell):
    value = cell.value
    if cell.data_type == "f" and not isinstance(value, str):
        # An ArrayFormula or DataTableFormula object: only code can put one there, and the portal writes none.
        raise ValueError(f"{cell.coordinate} holds a formula; write the computed value instead")
    if not isinstance(value, str):
        return
    # openpyxl guessed "f" for "=…": the type is forced back to text.
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def workbook_bytes(book):
    """The .xlsx bytes of `book`, after making every cell of every sheet text-or-value (never a formula)."""
    for sheet in book.worksheets:
        # _cells holds only the cells written; iter_rows would create every empty cell of the used range.
        for cell in list(sheet._cells.values()):
            if not isinstance(cell, MergedCell):
                _make_safe(cell)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content, filename):
    """An HTTP download of an .xlsx file's bytes."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
