"""The one way the portal writes Excel files: every workbook, template and export is built, filled and saved here.

Safe by construction. openpyxl turns any text that starts with "=" into a formula; here every text cell is stored
as text (t="inlineStr"), and text a spreadsheet would take for the start of a formula (OWASP's = + - @ tab CR) also
carries Excel's quote prefix: the apostrophe a user types before such text, kept as a style, so editing the cell in
Excel leaves it text. The text itself is unchanged, so a name exported and imported again is the same name. No cell
holds a formula at all: the portal writes the values it computed (a total Excel recomputes could disagree with the
counted figure). `workbook_bytes` makes every cell of the workbook safe once more just before saving, so a cell
written another way cannot slip through either.
"""

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

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
    set_value(cell, value)
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


def set_value(cell, value):
    """Store `value` in `cell`: numbers and dates as themselves, anything else as text, never as a formula."""
    if value is None or isinstance(value, NUMBER_TYPES):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, str(value))
    _make_safe(cell)


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
        if not hasattr(sheet, "_cells"):
            continue  # a write-only sheet: its cells went through set_value as they were appended
        # _cells holds only the cells written; iter_rows would create every empty cell of the used range.
        for cell in list(sheet._cells.values()):
            if not isinstance(cell, MergedCell):
                _make_safe(cell)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_url(request, name, *, page_param):
    """The Excel download of the list on a page: the URL named `name` with the page's filters, every page."""
    params = request.GET.copy()
    params.pop(page_param, None)
    return f"{reverse(name)}?{params.urlencode()}" if params else reverse(name)


def xlsx_response(content, filename):
    """An HTTP download of an .xlsx file's bytes."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- the Party document every sheet is dressed as
# The issuing body at the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date at the right, the title centred,
# the table, and the statistics forms' signature block: "NGƯỜI LẬP BIỂU" at the left, the head of the board (or the
# secretary of a committee without a board) at the right (RESEARCH.md §5.1).

FONT_NAME = "Times New Roman"  # the typeface of the Party's documents
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="F2F2F2")
# Explicit formats: counts as integers with a thousands separator, numbers in percent (91.24) with " %" after them
# and in per mille with " ‰" (indicators.figure_cells writes every figure with them). Excel and LibreOffice show
# the reader's separators (1.234 and 91,24 % in Vietnamese).
ORDINAL_FORMAT = "0"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = '0.00" %"'
PER_MILLE_FORMAT = '0.00" ‰"'
DATE_FORMAT = "DD/MM/YYYY"
# A4 with the margins below holds about this many width units of columns across at 100 % (a unit is a digit of
# the default font, about 7 pixels plus padding): a little more is scaled down by "fit to page width".
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 100, 138
LINE_POINTS = 14


@dataclass(frozen=True)
class Letterhead:
    committee: str  # "TỈNH ỦY …", "HUYỆN ỦY …" or the unit's name in capitals
    board: str = ""  # "BAN TỔ CHỨC" under a committee that has one
    place: str = ""
    day: date | None = None
    number: str = ""  # the document number line, e.g. "Số: 12-BC/BTCTU"


def letterhead(*, name, with_board, day, number=""):
    """The header of a document issued for the unit called `name` (its board's when `with_board`)."""
    prefixes = {
        "Đảng bộ tỉnh ": _("PROVINCIAL PARTY COMMITTEE OF %(name)s"),
        "Đảng bộ thành phố ": _("CITY PARTY COMMITTEE OF %(name)s"),
        "Đảng bộ thị xã ": _("TOWN PARTY COMMITTEE OF %(name)s"),
        "Đảng bộ huyện ": _("DISTRICT PARTY COMMITTEE OF %(name)s"),
    }
    committee, place = name.upper(), ""
    for prefix, pattern in prefixes.items():
        if name.startswith(prefix):
            place = name[len(prefix) :]
            committee = pattern % {"name": place.upper()}
            break
    board = _("ORGANIZATION BOARD") if with_board else ""
    return Letterhead(committee=committee, board=board, place=place, day=day, number=number)


def date_line(head):
    """'Quảng Trị, ngày 05 tháng 01 năm 2026', or 'Ngày … tháng … năm …' without a place."""
    values = {"day": f"{head.day.day:02d}", "month": f"{head.day.month:02d}", "year": head.day.year}
    if head.place:
        return _("%(place)s, %(day)s/%(month)s/%(year)s") % {"place": head.place, **values}
    return _("Date: %(day)s/%(month)s/%(year)s") % values


def _font(size=11, **kwargs):
    return Font(name=FONT_NAME, size=size, **kwargs)


@dataclass(frozen=True)
class Segment:
    first: int
    last: int
    text: str
    font: Font
    horizontal: str = "center"
    wrap: bool = False


def _sides(ncols):
    left = min(3, max(1, ncols // 2))
    return left, max(left + 1, ncols - 3)


def letterhead_lines(head, ncols):
    """The header's rows (4 of them: body, board and date, '*', number), as segments across `ncols` columns."""
    left, right = _sides(ncols)
    ncols = max(ncols, right)
    return [
        [
            Segment(1, left, head.committee, _font(), wrap=True),
            Segment(right, ncols, _("COMMUNIST PARTY OF VIETNAM"), _font(bold=True, underline="single")),
        ],
        [
            Segment(1, left, head.board, _font(bold=True), wrap=True),
            Segment(right, ncols, date_line(head), _font(italic=True), wrap=True),
        ],
        [Segment(1, left, "*", _font(bold=True))],
        [Segment(1, left, head.number, _font())] if head.number else [],
    ]


def title_lines(ncols, title, subtitle=""):
    lines = [[Segment(1, ncols, title, _font(size=14, bold=True), wrap=True)]]
    if subtitle:
        lines.append([Segment(1, ncols, subtitle, _font(italic=True), wrap=True)])
    return lines


def signature_lines(head, ncols):
    left, right = _sides(ncols)
    ncols = max(ncols, right)
    signer = _("HEAD OF THE BOARD") if head.board else _("SECRETARY")
    return [
        [Segment(1, left, _("PREPARED BY"), _font(bold=True)), Segment(right, ncols, signer, _font(bold=True))],
        [
            Segment(1, left, _("(Sign and write full name; phone number)"), _font(size=10, italic=True), wrap=True),
            Segment(right, ncols, _("(Sign, seal and write full name)"), _font(size=10, italic=True), wrap=True),
        ],
    ]


def _height(segment, widths):
    """Points a wrapped merged segment needs (Excel never grows a merged row by itself)."""
    width = sum(widths.get(column, 9) for column in range(segment.first, segment.last + 1))
    per_line = max(1, int(width * 1.1))
    lines = max(1, -(-len(segment.text) // per_line))
    return lines * (segment.font.size or 11) * 1.35 + 2


def write_lines(sheet, row, lines, widths=None):
    """Write header, title or signature rows into a sheet from `row`; returns the row after them."""
    widths = widths or {}
    for segments in lines:
        for segment in segments:
            put(
                sheet,
                row,
                segment.first,
                segment.text,
                font=segment.font,
                alignment=Alignment(horizontal=segment.horizontal, vertical="center", wrap_text=segment.wrap),
            )
            if segment.last > segment.first:
                sheet.merge_cells(start_row=row, start_column=segment.first, end_row=row, end_column=segment.last)
            if segment.wrap:
                sheet.row_dimensions[row].height = max(sheet.row_dimensions[row].height or 0, _height(segment, widths))
        row += 1
    return row


def page_setup(sheet, *, width, title_rows=None, one_page=False):
    """A4, portrait or landscape by the columns' total `width`, fitted to the page width; the `title_rows`
    ("7:8") repeated on every printed page; page numbers in the footer."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = (
        Worksheet.ORIENTATION_PORTRAIT if width <= PORTRAIT_WIDTH else Worksheet.ORIENTATION_LANDSCAPE
    )
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.center.text = "&P / &N"


def _header_text(text):
    return str(text).replace("&", "&&")  # "&" starts a code in a page header (&P is the page number)


def print_letterhead(sheet, head):
    """The Party header and signature block in the printed page header and footer: for a sheet whose rows are
    data read back by the portal (an import template), where header rows would be read as data."""
    sheet.oddHeader.left.text = _header_text("\n".join(filter(None, [head.committee, head.board])))
    sheet.oddHeader.center.text = _header_text(_("COMMUNIST PARTY OF VIETNAM"))
    sheet.oddHeader.right.text = _header_text(date_line(head))
    sheet.oddFooter.left.text = _header_text(_("PREPARED BY"))
    sheet.oddFooter.right.text = _header_text(_("HEAD OF THE BOARD") if head.board else _("SECRETARY"))
    sheet.page_margins.top = sheet.page_margins.bottom = 0.9
    sheet.page_margins.header = sheet.page_margins.footer = 0.3


def target_format(symbol, threshold, *, suffix=" %"):
    """The number format of a target in its unit: '"≥ "0.0" %"' shows 0.3 as "≥ 0,3 %" with the reader's
    separator; as many decimals as the target has, so 90 shows "≥ 90 %" (" ‰" for per mille, "" for a count)."""
    decimals = max(0, -threshold.normalize().as_tuple().exponent) if threshold is not None else 0
    digits = "0." + "0" * decimals if decimals else "0"
    unit = f'"{suffix}"' if suffix else ""
    return f'"{symbol} "{digits}{unit}' if symbol else f"{digits}{unit}"
