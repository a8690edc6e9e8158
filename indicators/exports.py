"""The dashboard view as an Excel file: the six tiles, the sub-units and the TCCSĐ types, as on the page.

Knows nothing of the ORM: it takes the rows indicators.dashboard built. Ratios are stored as numbers with a
percentage format, so Excel shows them with the reader's decimal separator (a comma in Vietnamese Excel).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from party_portal import excel
from party_portal.excel import Alignment, Font, PatternFill

PERCENT_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="F2E6E5")
TOP_WRAPPED = Alignment(wrap_text=True, vertical="top")
STATUS_FONTS = {"met": Font(color="1E7A46"), "not_met": Font(color="B3261E", bold=True)}


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def _header(sheet, row, titles):
    for column, title in enumerate(titles, start=1):
        excel.put(sheet, row, column, title, font=Font(bold=True), fill=HEADER_FILL, alignment=TOP_WRAPPED)


def _widths(sheet, widths):
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[excel.column_letter(column)].width = width


def _title_block(sheet, result):
    computed = timezone.localtime(result.computed_at).strftime("%d/%m/%Y %H:%M") if result.computed_at else ""
    title = _("Action program %(program)s – year %(year)s") % {"program": result.program.code, "year": result.year}
    excel.put(sheet, 1, 1, title, font=Font(bold=True, size=13))
    excel.put(sheet, 2, 1, f"{result.scope.node.name} ({result.scope.node.code})")
    excel.put(
        sheet,
        3,
        1,
        _("Tree as of 31/12/%(year)s; figures computed at %(when)s") % {"year": result.year, "when": computed},
    )


def _tiles_sheet(sheet, result, tiles):
    _title_block(sheet, result)
    _header(
        sheet,
        5,
        [
            _("Indicator"),
            _("Content"),
            _("Numerator"),
            _("Denominator"),
            _("Ratio"),
            _("Target"),
            _("Verdict"),
            _("Margin"),
            _("Coverage"),
            _("Not rated"),
        ],
    )
    for offset, tile in enumerate(tiles):
        row = 6 + offset
        not_rated = "; ".join(f"{item.label}: {item.count}" for item in tile.not_rated)
        values = [
            tile.code,
            tile.title,
            tile.numerator,
            tile.denominator,
            _ratio(tile.numerator, tile.denominator),
            tile.threshold,
            tile.verdict,
            tile.margin,
            tile.coverage,
            not_rated,
        ]
        for column, value in enumerate(values, start=1):
            excel.put(sheet, row, column, value, alignment=TOP_WRAPPED)
        sheet.cell(row=row, column=3).number_format = COUNT_FORMAT
        sheet.cell(row=row, column=4).number_format = COUNT_FORMAT
        sheet.cell(row=row, column=5).number_format = PERCENT_FORMAT
        sheet.cell(row=row, column=7).font = STATUS_FONTS.get(tile.status, Font())
    notes = [f"{tile.code}: {note}" for tile in tiles for note in tile.notes]
    for offset, note in enumerate(notes):
        excel.put(sheet, 7 + len(tiles) + offset, 1, note)
    _widths(sheet, [10, 42, 12, 12, 10, 10, 16, 30, 30, 40])
    sheet.freeze_panes = "C6"


def _rows_sheet(sheet, result, rows, first_title, codes):
    _title_block(sheet, result)
    titles = [first_title, _("Code")]
    for code in codes:
        titles += [f"{code} – {_('Numerator')}", f"{code} – {_('Denominator')}", f"{code} – {_('Ratio')}", code]
    _header(sheet, 5, titles)
    for offset, row in enumerate(rows):
        values = [row.name, row.code]
        for cell in row.cells:
            values += [cell.numerator, cell.denominator, _ratio(cell.numerator, cell.denominator), cell.verdict]
        for column, value in enumerate(values, start=1):
            excel.put(sheet, 6 + offset, column, value)
        for index, cell in enumerate(row.cells):
            base = 3 + index * 4
            sheet.cell(row=6 + offset, column=base).number_format = COUNT_FORMAT
            sheet.cell(row=6 + offset, column=base + 1).number_format = COUNT_FORMAT
            sheet.cell(row=6 + offset, column=base + 2).number_format = PERCENT_FORMAT
            sheet.cell(row=6 + offset, column=base + 3).font = STATUS_FONTS.get(cell.status, Font())
    _widths(sheet, [40, 12, *([10, 10, 9, 13] * len(codes))])
    sheet.freeze_panes = "C6"


def dashboard_workbook(*, result, tiles, rows, type_rows):
    """The workbook's bytes: sheet 1 the scope's indicators, sheet 2 its sub-units, sheet 3 the TCCSĐ types."""
    workbook = excel.new_workbook()
    _tiles_sheet(excel.add_sheet(workbook, _("Indicators")), result, tiles)
    codes = [tile.code for tile in tiles]
    if rows:
        _rows_sheet(excel.add_sheet(workbook, _("Sub-units")), result, rows, _("Sub-unit"), codes)
    if type_rows:
        _rows_sheet(excel.add_sheet(workbook, _("By TCCSĐ type")), result, type_rows, _("TCCSĐ type"), codes)
    return excel.workbook_bytes(workbook)
