"""Read the data sheet of an uploaded workbook and turn its cells into values with the resource's widgets.

python-calamine reads the sheet: 100,000 rows in about 2 s against 22–27 s for openpyxl read-only (DESIGN §4).
"""

from dataclasses import dataclass, field
from functools import cached_property
from unicodedata import normalize

import python_calamine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.resources import EXAMPLE_MARK, REQUIRED, TOO_LONG, Column, _all_languages, import_columns
from party_portal.text import FORBIDDEN_PATTERN, clean_text, fold

from .bulk import collection_paused
from .errors import FileProblem, UnsafeFile
from .inspection import ROWS_ABOVE_DATA, TOO_MANY_ROWS, inspect_workbook

NOT_A_WORKBOOK = _("The file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
NO_HEADER = _("The sheet has no header row. Use the template: its first row holds the column names.")
MISSING_COLUMNS = _("Columns missing from the header row: %(columns)s.")
NO_ROWS = _("The file has no data rows.")
DATA_SHEET = pgettext_lazy("import sheet", "Data")


@dataclass
class Cells:
    """One data row: its row number in the sheet (as Excel shows it), the cleaned values, and the problems found."""

    number: int
    values: dict
    errors: list = field(default_factory=list)


@dataclass
class Sheet:
    """The data sheet of a workbook, with its header mapped onto the resource's columns."""

    columns: list
    positions: dict  # attribute -> column index in the sheet
    headers: dict  # attribute -> the header as written in the file
    rows: list  # the raw rows after the header: (row number, cells)

    @property
    def total(self):
        return len(self.rows)

    def header(self, column):
        """The column's name as the user's file spells it, so a rejection points at a column they can find."""
        return self.headers.get(column.attribute) or str(column.header)

    @cached_property
    def cleaners(self):
        """What clean_row needs of each column, looked up once per file rather than once per cell (a 100,000-row
        file has two million cells)."""
        return [
            (c.attribute, self.positions.get(c.attribute), c.widget.clean, self.header(c), c.required, c.max_length)
            for c in self.columns
        ]


def _pick_sheet(workbook):
    names = {fold(name) for name in _all_languages(DATA_SHEET)}
    visible = [m.name for m in workbook.sheets_metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]
    for name in visible:
        if fold(name) in names:
            return workbook.get_sheet_by_name(name)
    return workbook.get_sheet_by_name(visible[0] if visible else workbook.sheet_names[0])


def _blank(cells):
    return all(cell == "" or cell is None for cell in cells)


def open_sheet(fileobj, resource_class):
    """Read the workbook's data sheet; raise FileProblem when it cannot be imported at all (UnsafeFile when it
    must not even be parsed)."""
    inspect_workbook(fileobj)
    most = settings.IMPORT_MAX_ROWS + ROWS_ABOVE_DATA
    try:
        workbook = python_calamine.load_workbook(fileobj)
        sheet = _pick_sheet(workbook)
        # iter_rows starts at the sheet's first row (leading blank rows included), so the index is the row number.
        raw = []
        with collection_paused():
            for cells in sheet.iter_rows():
                if len(raw) == most:
                    raise UnsafeFile(
                        TOO_MANY_ROWS % {"part": sheet.name, "rows": sheet.height, "max": settings.IMPORT_MAX_ROWS}
                    )
                raw.append(cells)
    except FileProblem:
        raise
    except Exception as error:  # calamine raises its own errors, zip and XML errors alike
        raise FileProblem(NOT_A_WORKBOOK) from error
    columns = import_columns(resource_class)
    header_at = next((index for index, cells in enumerate(raw) if not _blank(cells)), None)
    if header_at is None:
        raise FileProblem(NO_HEADER)
    known = {}
    for column in columns:
        for spelling in column.headers():
            known.setdefault(fold(spelling.replace("*", "")), column)
    positions, headers = {}, {}
    for index, text in enumerate(raw[header_at]):
        column = known.get(fold(str(text).replace("*", "")))
        if column is not None and column.attribute not in positions and column.attribute:
            positions[column.attribute] = index
            headers[column.attribute] = " ".join(str(text).replace("*", "").split())
    missing = [str(c.header) for c in columns if c.in_header and c.attribute not in positions]
    if missing:
        raise FileProblem(MISSING_COLUMNS % {"columns": ", ".join(f"“{name}”" for name in missing)})
    serial = columns[0]
    serial_at = next((i for i, t in enumerate(raw[header_at]) if fold(str(t)) in map(fold, serial.headers())), None)
    example = {fold(v) for v in _all_languages(EXAMPLE_MARK)}
    rows = []
    for index in range(header_at + 1, len(raw)):
        cells = raw[index]
        if _blank(cells):
            continue
        serial_cell = cells[serial_at] if serial_at is not None and serial_at < len(cells) else None
        if isinstance(serial_cell, str) and fold(serial_cell) in example:
            continue
        rows.append((index + 1, cells))
    del raw
    if not rows:
        raise FileProblem(NO_ROWS)
    return Sheet(columns=[c for c in columns if c.attribute], positions=positions, headers=headers, rows=rows)


def clean_row(sheet, number, cells):
    """The row's cells cleaned by each column's widget; a cell that does not parse is recorded as a problem."""
    values = {}
    errors = []
    width = len(cells)
    for attribute, position, clean, header, required, max_length in sheet.cleaners:
        raw = cells[position] if position is not None and position < width else ""
        try:
            value = clean(raw)
        except ValueError as error:
            errors.append((header, str(error)))
            values[attribute] = None
            continue
        problem = None
        if max_length and isinstance(value, str):
            # clean_text's own test, inline: a clean text (nearly all of them) costs no call to it.
            if FORBIDDEN_PATTERN.search(value) is None:
                value = normalize("NFC", value)
            else:
                value, problem = _clean_typed_text(value, header)
        if problem:
            errors.append((header, problem))
        elif required and value in (None, ""):
            errors.append((header, str(REQUIRED)))
        elif max_length and isinstance(value, str) and len(value) > max_length:
            errors.append((header, str(TOO_LONG % {"max": max_length})))
            value = ""
        values[attribute] = value
    return Cells(number, values, errors)


def _clean_typed_text(value, header):
    """A text the file types (a name, a code) in NFC, or why it is refused: a control or invisible character."""
    try:
        return clean_text(value, label=header), None
    except ValidationError as error:
        return "", error.messages[0]


def column_named(sheet, attribute):
    """The header of the column holding `attribute`, as the file spells it."""
    for column in sheet.columns:
        if column.attribute == attribute:
            return sheet.header(column)
    raise KeyError(attribute)


__all__ = ["Cells", "Column", "FileProblem", "Sheet", "UnsafeFile", "clean_row", "column_named", "open_sheet"]
