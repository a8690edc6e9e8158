"""The template workbook of each kind of file: a data sheet with the headers, drop-down lists on the coded columns,
an example row and dd/mm/yyyy date cells; an instructions sheet; a hidden sheet holding the lists."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy

from organizations.resources import EXAMPLE_MARK, YES, DayWidget, import_columns
from party_portal import excel
from party_portal.excel import Alignment, Comment, DataValidation, Font, PatternFill

from .inspection import limits_text
from .reading import DATA_SHEET

GUIDE_SHEET = pgettext_lazy("import sheet", "Instructions")
LISTS_SHEET = pgettext_lazy("import sheet", "Lists")
# Drop-down lists and cell formats reach this far down; a members file of a large province fits.
LAST_ROW = 400_000

HEADER_FILL = PatternFill("solid", fgColor="B3261E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
EXAMPLE_FONT = Font(italic=True, color="7B8794")
DATE_FORMAT = "DD/MM/YYYY"
# An empty template is filled by any unit: its header leaves the issuing body to be written in.
BLANK_BODY = "……………………………"


def template_workbook(resource_class, *, title, head=None, rows=(), notes=()):
    """The workbook as bytes. `rows` pre-fills the data sheet (a ratings file lists the members to rate); `head`
    (an excel.Letterhead) is printed in the page header and footer of the data sheet (its rows are data) and
    written above the instructions. Without one, the issuing body is left to be written in."""
    head = head or excel.Letterhead(committee=BLANK_BODY, day=timezone.localdate())
    columns = import_columns(resource_class)
    book = excel.new_workbook()
    data = excel.add_sheet(book, DATA_SHEET)
    guide = excel.add_sheet(book, GUIDE_SHEET)
    lists = excel.add_sheet(book, LISTS_SHEET)
    lists.sheet_state = "hidden"
    _data_sheet(data, lists, columns, rows)
    excel.page_setup(data, width=sum(column.width for column in columns), title_rows="1:1")
    excel.print_letterhead(data, head)
    _guide_sheet(guide, columns, title, notes, head)
    return excel.workbook_bytes(book)


def _cell_value(value):
    if isinstance(value, date) or value is None:
        return value
    return str(value)


def _data_sheet(sheet, lists, columns, rows):
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 32
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = excel.column_letter(index)
        header = str(column.header) + (" *" if column.required else "")
        cell = excel.put(sheet, 1, index, header, fill=HEADER_FILL, font=HEADER_FONT, alignment=HEADER_ALIGNMENT)
        if column.help_text:
            cell.comment = Comment(str(column.help_text), "Party Portal", width=260, height=90)
        sheet.column_dimensions[letter].width = column.width
        is_date = isinstance(column.widget, DayWidget)
        # Text format keeps the leading zeros of record numbers, card numbers and citizen IDs typed in.
        sheet.column_dimensions[letter].number_format = DATE_FORMAT if is_date else "@"
        excel.put(
            sheet,
            2,
            index,
            _cell_value(column.example),
            font=EXAMPLE_FONT,
            number_format=DATE_FORMAT if is_date else None,
        )
        choices = column.choices
        if choices:
            list_column += 1
            list_letter = excel.column_letter(list_column)
            for position, label in enumerate(choices, start=1):
                excel.put(lists, position, list_column, label)
            validation = DataValidation(
                type="list",
                formula1=f"'{lists.title}'!${list_letter}$1:${list_letter}${len(choices)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=gettext("Not in the list"),
                error=gettext("Choose a value from the drop-down list."),
            )
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
    for number, values in enumerate(rows, start=1):
        row_at = number + 2
        excel.put(sheet, row_at, 1, number)
        for index, column in enumerate(columns[1:], start=2):
            is_date = isinstance(column.widget, DayWidget)
            value = _cell_value(values.get(column.attribute, ""))
            excel.put(sheet, row_at, index, value, number_format=DATE_FORMAT if is_date else None)


def _guide_sheet(sheet, columns, title, notes, head):
    widths = {1: 34, 2: 12, 3: 90}
    for index, width in widths.items():
        sheet.column_dimensions[excel.column_letter(index)].width = width
    top = excel.write_lines(sheet, 1, excel.letterhead_lines(head, 3), widths)
    top = excel.write_lines(sheet, top + 1, excel.title_lines(3, title), widths) - 1
    lines = [
        gettext("Fill in the “%(sheet)s” sheet, one row per line of data, from row 3 down.") % {"sheet": DATA_SHEET},
        gettext("Row 2 is an example: its “%(column)s” cell says “%(mark)s”, so it is never imported.")
        % {"column": columns[0].header, "mark": EXAMPLE_MARK},
        gettext("Columns marked * are required. Dates are written dd/mm/yyyy (date cells are accepted too)."),
        gettext("Coded columns have a drop-down list; the Vietnamese or English label is accepted."),
        gettext("The portal shows a preview first. If any row is rejected, nothing at all is imported."),
        gettext("Importing the same file again changes nothing."),
        limits_text(),
        *map(str, notes),
    ]
    row = top + 2
    for line in lines:
        excel.put(sheet, row, 1, f"• {line}")
        row += 1
    row += 1
    for index, heading in enumerate(
        (pgettext("import", "Column"), pgettext("import column", "Required"), gettext("What to write")), start=1
    ):
        excel.put(sheet, row, index, heading, fill=HEADER_FILL, font=HEADER_FONT)
    for column in columns[1:]:
        row += 1
        excel.put(sheet, row, 1, column.header)
        excel.put(sheet, row, 2, YES if column.required else "")
        explanation = str(column.help_text or "")
        if column.listing:
            explanation = " ".join(filter(None, [explanation, gettext("One of: %s.") % "; ".join(column.listing)]))
        if isinstance(column.widget, DayWidget):
            explanation = " ".join(filter(None, [explanation, gettext("A date, dd/mm/yyyy.")]))
        excel.put(sheet, row, 3, explanation, alignment=Alignment(wrap_text=True, vertical="top"))
    excel.write_lines(sheet, row + 2, excel.signature_lines(head, 3), widths)
    excel.page_setup(sheet, width=sum(widths.values()))
