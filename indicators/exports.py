"""The dashboard view as an Excel file: the six tiles, the sub-units and the TCCSĐ types, as on the page, each
sheet a Party document (party_portal.excel_lists).

Knows nothing of the ORM: it takes the rows indicators.dashboard built. Ratios are numbers with a percentage
format and targets numbers in percent with a "≥ … %" format, so Excel shows the reader's decimal separator.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from party_portal import excel
from party_portal.excel_lists import COUNT, FRACTION, TEXT, Column, ListSheet, Number, list_workbook, unit_letterhead

from .models import Comparator


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def _subtitle(result):
    computed = timezone.localtime(result.computed_at).strftime("%d/%m/%Y %H:%M") if result.computed_at else ""
    scope = f"{result.scope.node.name} ({result.scope.node.code})"
    when = _("Tree as of 31/12/%(year)s; figures computed at %(when)s") % {"year": result.year, "when": computed}
    return f"{scope} · {when}"


def _title(result, what):
    program = _("Action program %(program)s – year %(year)s") % {"program": result.program.code, "year": result.year}
    return f"{what.upper()} – {program}"


def _tiles_sheet(result, tiles):
    columns = [
        Column(_("Indicator"), TEXT, 9),
        Column(_("Content"), TEXT, 34),
        Column(_("Numerator"), COUNT, 11),
        Column(_("Denominator"), COUNT, 11),
        Column(_("Ratio"), FRACTION, 10),
        Column(_("Target"), COUNT, 10),
        Column(_("Verdict"), TEXT, 12),
        Column(_("Margin"), TEXT, 24),
        Column(_("Coverage"), TEXT, 22),
        Column(_("Not rated"), TEXT, 22),
    ]
    rows = [
        [
            tile.code,
            tile.title,
            tile.numerator,
            tile.denominator,
            _ratio(tile.numerator, tile.denominator),
            Number(
                float(tile.target) if tile.target is not None else None,
                excel.target_format(Comparator(tile.comparator).label if tile.comparator else "", tile.target),
            ),
            tile.verdict,
            tile.margin,
            tile.coverage,
            "; ".join(f"{item.label}: {item.count}" for item in tile.not_rated),
        ]
        for tile in tiles
    ]
    notes = [f"{tile.code}: {note}" for tile in tiles for note in tile.notes]
    return ListSheet(_("Indicators"), _title(result, _("Indicators")), columns, rows, _subtitle(result), notes)


def _rows_sheet(result, name, rows, first_title, codes, *, with_code):
    columns = [Column(first_title, TEXT, 28)]
    if with_code:
        columns.append(Column(_("Code"), TEXT, 9))
    for code in codes:
        columns += [
            Column(f"{code} – {_('Numerator')}", COUNT, 8),
            Column(f"{code} – {_('Denominator')}", COUNT, 8),
            Column(f"{code} – {_('Ratio')}", FRACTION, 8.5),
            Column(code, TEXT, 9),
        ]
    values = []
    for row in rows:
        line = [row.name, row.code] if with_code else [row.name]
        for cell in row.cells:
            line += [cell.numerator, cell.denominator, _ratio(cell.numerator, cell.denominator), cell.verdict]
        values.append(line)
    return ListSheet(name, _title(result, name), columns, values, _subtitle(result))


def dashboard_workbook(*, result, tiles, rows, type_rows):
    """The workbook's bytes: sheet 1 the scope's indicators, sheet 2 its sub-units, sheet 3 the TCCSĐ types
    (each list sheet is there even when empty, so every download has the same sheets)."""
    codes = [tile.code for tile in tiles]
    sheets = [
        _tiles_sheet(result, tiles),
        _rows_sheet(result, _("Sub-units"), rows, _("Sub-unit"), codes, with_code=True),
        _rows_sheet(result, _("By TCCSĐ type"), type_rows, _("TCCSĐ type"), codes, with_code=False),
    ]
    return list_workbook(head=unit_letterhead(result.scope.node), sheets=sheets, title=_title(result, _("Indicators")))
