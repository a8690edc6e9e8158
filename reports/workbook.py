"""The compliance workbook (written through party_portal.excel) from a run's results dict: knows nothing of the ORM.

Each sheet is laid out like the Party's statistics forms: the issuing committee and its board at the
left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date at the right, the title centred, a two-row column
header with a numbered index row, and the signature block at the bottom.

Numbers are stored as numbers, never as text, through indicators.figure_cells (the dashboard's workbook writes
figures through it too): counts with '#,##0', percentages in percent (91.24) with '0.00" %"'. The separators
come from the reader's locale, so LibreOffice or Excel set to Vietnamese shows
"91,24 %" and "12.345". (A fraction with '0.00%' would show "91,24%" without the space Vietnamese
typography puts before %.)
"""

import math

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from indicators import figure_cells
from party_portal import excel
from party_portal.excel import Alignment, Border, Font, PatternFill, Side

from . import tables
from .tables import CODE, INT, MARGIN, PCT, PER_MILLE, TARGET, TEXT, VERDICT, YEAR

NUMBER_KINDS = (INT, MARGIN, PCT, PER_MILLE, TARGET)
FONT = "Times New Roman"  # the typeface of the Party's documents (Nghị định 30/2020 prescribes it for state ones)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="FFF8E1")
# Verdicts carry a word and a fill (and a font colour), so they read in black and white too.
VERDICT_STYLES = {
    tables.MET: ("C6EFCE", "006100"),
    tables.NOT_MET: ("FFC7CE", "9C0006"),
    tables.NO_DATA: ("EDEDED", "404040"),
    tables.PROGRESS_MET: ("E2F0D9", "375623"),
    tables.PROGRESS_NOT_MET: ("FFEB9C", "7F4F00"),
    tables.PROVISIONAL_MET: ("E2F0D9", "006100"),
    tables.PROVISIONAL_NOT_MET: ("FCE4D6", "9C0006"),
}
NUMBER_BLANK = "\u00a0" * 8
HEADER_ROWS = 8  # rows above the first table: the form's header and title
MIN_WIDTH, MAX_WIDTH, NAME_MAX_WIDTH = 6, 44, 40
TEXT_MIN_WIDTH = 16  # a name column of an empty list still holds a name
PERCENT_WIDTH = 9
LINE_HEIGHT = 13  # points per line of 10-point text
CHARS_PER_WIDTH_UNIT = 1.3
ONE_PAGE_ROWS = 50  # a province's 20-odd sub-units and its total, with the form's header and signature


def _font(**kwargs):
    return Font(name=FONT, size=kwargs.pop("size", 11), **kwargs)


def _merge(ws, row, first, last, value, *, font=None, align="center", wrap=False, height=None):
    cell = excel.put(
        ws,
        row,
        first,
        value,
        font=font or _font(),
        alignment=Alignment(horizontal=align, vertical="center", wrap_text=wrap),
    )
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    if height:
        ws.row_dimensions[row].height = height
    return cell


def _document_number(results, number):
    """The number line under the header: the one given, else the issued version's, else a blank to fill by hand
    on a draft (as on paper)."""
    if number:
        return number
    report = results["report"]
    value = report.get("number") or f"{NUMBER_BLANK}-{report.get('number_suffix', '')}"
    return pgettext("document number", "No. %(number)s") % {"number": value}


def _form_header(ws, sheet, results, ncols, widths, number):
    # Rows 1-4: the Party document header (party_portal.excel), the number line in row 4.
    head = tables.letterhead(results, number=_document_number(results, number))
    excel.write_lines(ws, 1, excel.letterhead_lines(head, ncols), widths)
    year = results["year"]
    if sheet.key == "summary":
        title = _("REPORT ON THE RESULTS OF THE ACTION PROGRAM, YEAR %(year)s") % {"year": year}
        subtitle = f"“{results['report']['program_name']}”"
    else:
        title = sheet.title.upper()
        if sheet.dated:
            title += " – " + _("YEAR %(year)s") % {"year": year}
        subtitle = _("Action program “%(name)s”") % {"name": results["report"]["program_name"]}
    # Title rows wrap and take the height their text needs, so a narrow sheet (an empty list) cuts nothing.
    excel.write_lines(ws, 5, excel.title_lines(ncols, title, subtitle), widths)
    scope_last = ncols - 4 if sheet.unit and ncols > 6 else ncols
    scope_width = sum(widths[column] for column in range(1, scope_last + 1))
    scope = tables.scope_line(results)
    _merge(ws, 7, 1, scope_last, scope, font=_font(italic=True), wrap=True, height=_lines(scope, scope_width) * 15)
    if sheet.unit and ncols > 6:
        _merge(ws, 7, scope_last + 1, ncols, sheet.unit, font=_font(italic=True), align="right")


def _header_cell(ws, row, column, value, *, font=None):
    return excel.put(
        ws,
        row,
        column,
        value,
        font=font or _font(bold=True, size=10),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        border=BORDER,
        fill=HEADER_FILL,
    )


def _lines(text, width):
    """Lines a wrapped text takes in a column `width` units wide. A width unit is a digit of the default
    font; Times New Roman 10 fits about 1.3 average characters in it (seen in LibreOffice's PDF)."""
    if not text:
        return 1
    per_line = max(1.0, width * CHARS_PER_WIDTH_UNIT - 2)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _write_header(ws, block, row, widths):
    """Two header rows (group headings over their columns; ungrouped columns span both) and the
    numbered index row of the statistics forms. Returns the first row after them."""
    column = 1
    for label, span, is_group in block.header_groups():
        if is_group:
            _header_cell(ws, row, column, label)
            for offset in range(span):
                _header_cell(ws, row + 1, column + offset, block.columns[column - 1 + offset].label)
                if offset:
                    _header_cell(ws, row, column + offset, None)
            if span > 1:
                ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
        else:
            _header_cell(ws, row, column, label)
            _header_cell(ws, row + 1, column, None)
            ws.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
        column += span
    for index in range(len(block.columns)):
        _header_cell(ws, row + 2, index + 1, f"({index + 1})", font=_font(italic=True, size=9))
    top, bottom, spanning = 1, 1, 1
    column = 1
    for label, span, is_group in block.header_groups():
        width = sum(widths[column + offset] for offset in range(span))
        if is_group:
            top = max(top, _lines(label, width))
            bottom = max(
                [
                    bottom,
                    *(_lines(c.label, widths[column + o]) for o, c in enumerate(block.columns[column - 1 :][:span])),
                ]
            )
        else:
            spanning = max(spanning, _lines(label, width))
        column += span
    bottom = max(bottom, spanning - top)
    ws.row_dimensions[row].height = LINE_HEIGHT * top + 4
    ws.row_dimensions[row + 1].height = LINE_HEIGHT * bottom + 4
    return row + 3


def _write_cell(ws, row, column, cell, *, total=False):
    # Value and number format come from indicators.figure_cells, as in the dashboard's workbook.
    value, number_format = figure_cells.excel_value(cell)
    if cell.kind == CODE and isinstance(cell.value, int):
        number_format = excel.ORDINAL_FORMAT
    target = excel.put(ws, row, column, value, number_format=number_format)
    if cell.kind == VERDICT:
        fill, colour = VERDICT_STYLES.get(cell.status, ("FFFFFF", "000000"))
        target.fill = PatternFill("solid", fgColor=fill)
        target.font = _font(bold=True, color=colour, size=10)
    else:
        target.font = _font(bold=total, size=10)
        if total:
            target.fill = TOTAL_FILL
    target.alignment = Alignment(horizontal=_horizontal(cell), vertical="center", wrap_text=cell.kind == TEXT)
    target.border = BORDER


def _horizontal(cell):
    if cell.kind in (VERDICT, CODE, YEAR) or (cell.kind in NUMBER_KINDS and cell.value is None):
        return "center"
    return "right" if cell.kind in NUMBER_KINDS else "left"


def _row_height(ws, row, cells, widths):
    lines = max(_lines(cell.value, widths[column]) if cell.kind == TEXT else 1 for column, cell in enumerate(cells, 1))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines + 3


def _write_block(ws, block, row, widths):
    ncols = len(block.columns)
    if block.heading:
        _merge(ws, row, 1, ncols, block.heading, font=_font(bold=True), align="left")
        row += 1
    header_row = row
    row = _write_header(ws, block, row, widths)
    first_data = row
    for cells, total in [*((cells, False) for cells in block.rows), *([(block.total, True)] if block.total else [])]:
        for column, cell in enumerate(cells, start=1):
            _write_cell(ws, row, column, cell, total=total)
        _row_height(ws, row, cells, widths)
        row += 1
    table_width = sum(widths[column] for column in range(1, ncols + 1))
    for note in block.notes:
        _merge(ws, row, 1, ncols, note, font=_font(italic=True, size=10), align="left", wrap=True)
        ws.row_dimensions[row].height = LINE_HEIGHT * _lines(note, table_width) + 3
        row += 1
    return header_row, first_data, row


def _text_width(cell):
    """The width a cell's content needs, in width units (bold verdicts run a little wider than digits)."""
    if cell.value is None:
        return 2
    if cell.kind == VERDICT:
        return math.ceil(len(tables.verdict_word(cell.status)) * 0.95)
    if cell.kind in (PCT, PER_MILLE):
        return PERCENT_WIDTH
    if cell.kind == TARGET:
        return len(tables.target_text(cell)) + 1
    if cell.kind in (INT, MARGIN):
        return len(f"{cell.value:,}") + 1
    if cell.kind == TEXT:
        return math.ceil(len(str(cell.value)) / CHARS_PER_WIDTH_UNIT)
    return len(str(cell.value))


def _widths(sheet):
    widths = {}
    for block in sheet.blocks:
        for index, column in enumerate(block.columns, start=1):
            # Headers wrap, so their longest word sets the floor, not their whole length.
            longest_word = max((len(word) for word in column.label.split()), default=0)
            wanted = max(longest_word + 1, len(column.label) // 3)
            for cells in [*block.rows, *([block.total] if block.total else [])]:
                wanted = max(wanted, _text_width(cells[index - 1]) + 1)
            cap = NAME_MAX_WIDTH if column.kind == TEXT else MAX_WIDTH
            floor = TEXT_MIN_WIDTH if column.kind == TEXT and index > 1 else MIN_WIDTH
            widths[index] = max(widths.get(index, 0), min(max(wanted, floor), cap))
    return widths


def _page_setup(ws, header_row, index_row, widths):
    # A4, portrait or landscape by the table's width (party_portal.excel). A short sheet is printed on one page,
    # so its total and signature never sit alone on a second one; a long list runs on as many pages as it
    # needs, its header repeated on each.
    excel.page_setup(
        ws,
        width=sum(widths.values()),
        title_rows=f"{header_row}:{index_row}",
        one_page=ws.max_row <= ONE_PAGE_ROWS,
    )


def _write_sheet(wb, sheet, results, number):
    ws = excel.add_sheet(wb, sheet.name)
    ncols = max(len(block.columns) for block in sheet.blocks)
    widths = _widths(sheet)
    for index, width in widths.items():
        ws.column_dimensions[excel.column_letter(index)].width = width
    _form_header(ws, sheet, results, ncols, widths, number)
    row = HEADER_ROWS + 1
    frozen = None
    for block in sheet.blocks:
        header_row, first_data, row = _write_block(ws, block, row, widths)
        if frozen is None:
            frozen = (header_row, first_data, block)
        row += 1
    # Every sheet is signed, the lists too: each may be printed and filed on its own.
    excel.write_lines(ws, row + 1, excel.signature_lines(tables.letterhead(results), ncols), widths)
    header_row, first_data, block = frozen
    # Keep the column headers and the unit names in view while scrolling.
    keep_columns = 3 if len(block.columns) > 2 and block.columns[1].kind == TEXT else 2
    ws.freeze_panes = f"{excel.column_letter(keep_columns)}{first_data}"
    _page_setup(ws, header_row, first_data - 1, widths)


def build(results, *, number=""):
    """The workbook's bytes (.xlsx) for a run's results dict, in the active language; `number` is the
    document number line under the header ("Số: 12-BC/BTCTU") of an issued report."""
    wb = excel.new_workbook()
    wb.properties.title = _("Compliance report %(year)s – %(scope)s") % {
        "year": results["year"],
        "scope": results["scope"]["name"],
    }
    wb.properties.creator = _("Party Committee Portal")
    for sheet in tables.sheets(results):
        _write_sheet(wb, sheet, results, number)
    return excel.workbook_bytes(wb)
