"""A list on a page as a Party document in Excel: the header, the title, the numbered table and the signature
block, on A4 fitted to the page width, its column headers repeated on every printed page.

Written row by row in openpyxl's write-only mode, so a province's member list (tens of thousands of rows) costs
little memory; every cell still goes through `excel.set_value` (text never a formula). Column widths are
declared with the columns (write-only sheets cannot be measured after writing); long texts wrap.
"""

from copy import copy
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from . import excel
from .excel import Alignment

UPPER_KINDS = ("PROVINCE_COMMITTEE", "DISTRICT_COMMITTEE", "DIRECT_COMMITTEE")  # OrgKind values with a board

TEXT, CODE, COUNT, PERCENT, DATE = "text", "code", "count", "percent", "date"
FORMATS = {
    COUNT: excel.COUNT_FORMAT,
    PERCENT: excel.PERCENT_FORMAT,
    DATE: excel.DATE_FORMAT,
}
ALIGN = {TEXT: "left", CODE: "center", DATE: "center"}
NUMBER_WIDTH = 6  # the "STT" column
CHARS_PER_UNIT = 1.15  # characters of 10-point Times New Roman per width unit (a digit of the default font)


@dataclass(frozen=True)
class Number:
    """A value with a number format of its own (a target "≥ 90 %" in a column of counts)."""

    value: object
    number_format: str


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT
    width: float = 14


@dataclass
class ListSheet:
    name: str  # the tab, at most 31 characters
    title: str
    columns: list
    rows: object  # an iterable of lists of values, one per column (the "STT" number is added here)
    subtitle: str = ""
    notes: list = field(default_factory=list)
    empty_text: str = ""


def _cell(ws, value, *, styles, font, kind=TEXT, border=True, fill=None, wrap=False, horizontal=None):
    """A write-only cell holding `value` (through excel.set_value) in its style. `styles`, a dict kept for one
    sheet, remembers each style made: openpyxl looks a font, an alignment, a border and a fill up in the
    workbook's tables by hashing them field by field on every assignment, 85 % of the time of writing a long
    list (measured: a 5,000-row member list 9.2 s); a remembered style is copied as the few numbers it is."""
    cell = WriteOnlyCell(ws)
    number_format = FORMATS.get(kind)
    if isinstance(value, Number):
        value, number_format = value.value, value.number_format
    if value is None:
        number_format = None
    # The font and fill are kept with their style: their ids in the key cannot be reused while the dict lives.
    key = (id(font), kind, border, id(fill), wrap, horizontal, number_format)
    made = styles.get(key)
    if made is not None:
        cell._style = copy(made[0])
    else:
        cell.font = font
        cell.alignment = Alignment(
            horizontal=horizontal or ALIGN.get(kind, "right"), vertical="center", wrap_text=wrap or kind == TEXT
        )
        if border:
            cell.border = excel.GRID
        if fill is not None:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        styles[key] = (copy(cell._style), font, fill)
    # After the style: a text starting like a formula gets its quote prefix (part of the style) on top of it.
    excel.set_value(cell, value)
    return cell


class _Writer:
    def __init__(self, ws, widths):
        self.ws, self.widths, self.row = ws, widths, 0
        self.styles = {}  # _cell's styles of this sheet

    def lines(self, lines):
        """Header, title or signature rows: merged segments (write-only sheets take their merges as ranges)."""
        for segments in lines:
            self.row += 1
            cells = []
            height = 0
            for segment in segments:
                cells += [None] * (segment.first - 1 - len(cells))
                cell = _cell(
                    self.ws,
                    segment.text,
                    font=segment.font,
                    border=False,
                    wrap=segment.wrap,
                    horizontal=segment.horizontal,
                    styles=self.styles,
                )
                cells.append(cell)
                if segment.last > segment.first:
                    self.ws.merged_cells.add(
                        f"{excel.column_letter(segment.first)}{self.row}:{excel.column_letter(segment.last)}{self.row}"
                    )
                    cells += [None] * (segment.last - segment.first)
                if segment.wrap:
                    height = max(height, excel._height(segment, self.widths))
            if height:
                self.ws.row_dimensions[self.row].height = height
            self.ws.append(cells)

    def append(self, cells, height=None):
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)


def _lines(text, width):
    return max(1, -(-len(text) // max(1, int(width * CHARS_PER_UNIT))))


def _row_height(columns, values):
    """Points a row of wrapped texts needs, or None for one line (Excel and LibreOffice do not grow the rows
    of a file by themselves)."""
    lines = max(
        (_lines(v, c.width) for c, v in zip(columns, values, strict=True) if c.kind == TEXT and isinstance(v, str)),
        default=1,
    )
    return lines * excel.LINE_POINTS + 2 if lines > 1 else None


def _header_height(columns, widths):
    lines = max(_lines(column.label, widths[index]) for index, column in enumerate(columns, 1))
    return lines * excel.LINE_POINTS + 4


def _write_sheet(book, head, sheet):
    ws = book.create_sheet(str(sheet.name)[:31])
    columns = [Column(pgettext("serial number column", "No."), CODE, NUMBER_WIDTH), *sheet.columns]
    ncols = len(columns)
    widths = {index: column.width for index, column in enumerate(columns, 1)}
    for index, width in widths.items():
        ws.column_dimensions[excel.column_letter(index)].width = width
    letterhead = excel.letterhead_lines(head, ncols)
    titles = excel.title_lines(ncols, sheet.title, sheet.subtitle)
    header_row = len(letterhead) + len(titles) + 3
    # The sheet's properties, view and page setup before the first row: write-only sheets write them first.
    excel.page_setup(ws, width=sum(widths.values()), title_rows=f"{header_row}:{header_row + 1}")
    ws.freeze_panes = f"C{header_row + 2}"
    writer = _Writer(ws, widths)
    writer.lines([*letterhead, [], *titles, []])
    header_font, ordinal_font = excel._font(10, bold=True), excel._font(9, italic=True)
    styles = writer.styles
    writer.append(
        [
            _cell(ws, c.label, font=header_font, fill=excel.GREY, wrap=True, horizontal="center", styles=styles)
            for c in columns
        ],
        height=_header_height(columns, widths),
    )
    writer.append(
        [
            _cell(ws, f"({index})", font=ordinal_font, horizontal="center", styles=styles)
            for index in range(1, ncols + 1)
        ]
    )
    body_font = excel._font(10)
    count = 0
    for count, values in enumerate(sheet.rows, start=1):
        cells = [_cell(ws, Number(count, excel.ORDINAL_FORMAT), font=body_font, kind=CODE, styles=styles)]
        cells += [
            _cell(ws, v, font=body_font, kind=c.kind, styles=styles) for c, v in zip(sheet.columns, values, strict=True)
        ]
        writer.append(cells, height=_row_height(sheet.columns, values))
    notes = list(sheet.notes)
    if not count:
        notes.insert(0, sheet.empty_text or _("None."))
    for note in notes:
        writer.lines([[excel.Segment(1, ncols, note, excel._font(10, italic=True), horizontal="left", wrap=True)]])
    writer.lines([[]])
    writer.lines(excel.signature_lines(head, ncols))
    return count


def every_row(queryset, chunk_size=2000):
    """The rows of `queryset` streamed for a list that holds them all (a download), in little memory.

    On PostgreSQL they are read in a transaction of their own planned for every row (cursor_tuple_fraction = 1):
    the planner gives a server-side cursor a plan that starts fast, and outside a transaction Django declares it
    WITH HOLD, which runs it to the end before the first row anyway. The province's member list took 6.4 s so
    against 1.4 s planned for all its rows (measured on the `large` demo). The transaction ends when the rows
    are read to the end, as a list document reads them: a caller that stops early closes the generator."""
    using = queryset.db
    if connections[using].vendor != "postgresql":
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        yield from queryset.iterator(chunk_size=chunk_size)


def unit_letterhead(organization, *, day=None, number=""):
    """The header of a document issued for `organization`: its board's when it is a committee that has one."""
    return excel.letterhead(
        name=organization.name,
        with_board=organization.kind in UPPER_KINDS,
        day=day or timezone.localdate(),
        number=number,
    )


def list_workbook(*, head, sheets, title=""):
    """The .xlsx bytes of `sheets` (ListSheet), each dressed with `head` (an excel.Letterhead)."""
    book = Workbook(write_only=True)
    book.properties.title = str(title)
    book.properties.creator = _("Party Committee Portal")
    for sheet in sheets:
        _write_sheet(book, head, sheet)
    return excel.workbook_bytes(book)
