"""The template workbook of each kind of file: a data sheet with the headers, drop-down lists on the coded columns,
an example row and dd/mm/yyyy date cells; an instructions sheet; a hidden sheet holding the lists."""

from datetime import date
from io import BytesIO

from django.utils.translation import gettext, pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from organizations.resources import EXAMPLE_MARK, YES, DayWidget, import_columns

from .reading import DATA_SHEET

GUIDE_SHEET = pgettext_lazy("import sheet", "Instructions")
LISTS_SHEET = pgettext_lazy("import sheet", "Lists")
# Drop-down lists and cell formats reach this far down; a members file of a large province fits.
LAST_ROW = 400_000

HEADER_FILL = PatternFill("solid", fgColor="B3261E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
EXAMPLE_FONT = Font(italic=True, color="7B8794")
TITLE_FONT = Font(bold=True, size=13)


def template_workbook(resource_class, *, title, rows=(), notes=()):
    """The workbook as bytes. `rows` pre-fills the data sheet (a ratings file lists the members to rate)."""
    columns = import_columns(resource_class)
    book = Workbook()
    data = book.active
    data.title = str(DATA_SHEET)
    guide = book.create_sheet(str(GUIDE_SHEET))
    lists = book.create_sheet(str(LISTS_SHEET))
    lists.sheet_state = "hidden"
    _data_sheet(data, lists, columns, rows)
    _guide_sheet(guide, columns, title, notes)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell_value(column, value):
    if isinstance(value, date) or value is None:
        return value
    return str(value)


def _data_sheet(sheet, lists, columns, rows):
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 32
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=str(column.header) + (" *" if column.required else ""))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.help_text:
            cell.comment = Comment(str(column.help_text), "Party Portal", width=260, height=90)
        sheet.column_dimensions[letter].width = column.width
        is_date = isinstance(column.widget, DayWidget)
        # Text format keeps the leading zeros of record numbers, card numbers and citizen IDs typed in.
        sheet.column_dimensions[letter].number_format = "DD/MM/YYYY" if is_date else "@"
        example = sheet.cell(row=2, column=index, value=_cell_value(column, column.example))
        example.font = EXAMPLE_FONT
        if is_date:
            example.number_format = "DD/MM/YYYY"
        choices = column.choices
        if choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            for position, label in enumerate(choices, start=1):
                lists.cell(row=position, column=list_column, value=label)
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
        sheet.cell(row=row_at, column=1, value=number)
        for index, column in enumerate(columns[1:], start=2):
            cell = sheet.cell(row=row_at, column=index, value=_cell_value(column, values.get(column.attribute, "")))
            if isinstance(column.widget, DayWidget):
                cell.number_format = "DD/MM/YYYY"


def _guide_sheet(sheet, columns, title, notes):
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    sheet.cell(row=1, column=1, value=str(title)).font = TITLE_FONT
    lines = [
        gettext("Fill in the “%(sheet)s” sheet, one row per line of data, from row 3 down.") % {"sheet": DATA_SHEET},
        gettext("Row 2 is an example: its “%(column)s” cell says “%(mark)s”, so it is never imported.")
        % {"column": columns[0].header, "mark": EXAMPLE_MARK},
        gettext("Columns marked * are required. Dates are written dd/mm/yyyy (date cells are accepted too)."),
        gettext("Coded columns have a drop-down list; the Vietnamese or English label is accepted."),
        gettext("The portal shows a preview first. If any row is rejected, nothing at all is imported."),
        gettext("Importing the same file again changes nothing."),
        *map(str, notes),
    ]
    row = 3
    for line in lines:
        sheet.cell(row=row, column=1, value=f"• {line}")
        row += 1
    row += 1
    for index, heading in enumerate(
        (pgettext("import", "Column"), pgettext("import column", "Required"), gettext("What to write")), start=1
    ):
        cell = sheet.cell(row=row, column=index, value=heading)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for column in columns[1:]:
        row += 1
        sheet.cell(row=row, column=1, value=str(column.header))
        sheet.cell(row=row, column=2, value=str(YES) if column.required else "")
        explanation = str(column.help_text or "")
        if column.choices:
            explanation = " ".join(filter(None, [explanation, gettext("One of: %s.") % "; ".join(column.choices)]))
        if isinstance(column.widget, DayWidget):
            explanation = " ".join(filter(None, [explanation, gettext("A date, dd/mm/yyyy.")]))
        cell = sheet.cell(row=row, column=3, value=explanation)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
