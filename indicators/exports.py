"""The dashboard view as an Excel file: the six tiles, the sub-units and the TCCSĐ types, as on the page, each
sheet a Party document (party_portal.excel_lists).

Knows nothing of the ORM: it takes the figures and tiles indicators.dashboard built. Figures become cells through
indicators.figure_cells, as in the report workbook: the same figure is the same value with the same format in
both (a percentage in percent with '0.00" %"', a target "≥ … %", a count '#,##0'), so Excel shows the reader's
separators.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from organizations.models import OrgType
from party_portal.excel_lists import (
    COUNT,
    DATE,
    TEXT,
    Column,
    ListSheet,
    Number,
    list_workbook,
    unit_letterhead,
)

from . import figure_cells, selectors


def _figure_cell(cell):
    """A figure cell as the report workbook writes it (indicators.figure_cells): the value and its format."""
    value, number_format = figure_cells.excel_value(cell)
    return Number(value, number_format) if number_format else value


def _figure_cells(figure, definition):
    """Numerator, denominator (none for a count), value in its unit, and verdict of one figure."""
    data = figure.as_dict()
    count = figure_cells.unit_kind(definition.unit) == figure_cells.INT
    return [
        figure.numerator,
        None if count else figure.denominator,
        _figure_cell(figure_cells.value(data, definition.unit)),
        _figure_cell(figure_cells.verdict(data)),
    ]


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
        Column(_("Result"), COUNT, 10),
        Column(_("Target"), COUNT, 10),
        Column(_("Verdict"), TEXT, 12),
        Column(_("Margin"), TEXT, 24),
        Column(_("Coverage"), TEXT, 22),
        Column(_("Not rated"), TEXT, 22),
    ]
    rows = []
    for tile in tiles:
        definition = result.definitions[tile.code]
        figure = result.scope.figures[tile.code]
        numerator, denominator, value, verdict = _figure_cells(figure, definition)
        target = _figure_cell(figure_cells.target(figure.as_dict(), definition.unit))
        not_rated = "; ".join(f"{item.label}: {item.count}" for item in tile.not_rated)
        rows.append(
            [
                tile.code,
                tile.title,
                numerator,
                denominator,
                value,
                target,
                verdict,
                tile.margin,
                tile.coverage,
                not_rated,
            ]
        )
    notes = [f"{tile.code}: {note}" for tile in tiles for note in tile.notes]
    return ListSheet(_("Indicators"), _title(result, _("Indicators")), columns, rows, _subtitle(result), notes)


def _rows_sheet(result, name, units, first_title, *, with_code):
    """A sheet of units (name, code, figures by code): per definition its numerator, denominator, value and
    verdict, as the report's sheets write them."""
    columns = [Column(first_title, TEXT, 28)]
    if with_code:
        columns.append(Column(_("Code"), TEXT, 9))
    for code in result.scope.figures:
        columns += [
            Column(f"{code} – {_('Numerator')}", COUNT, 8),
            Column(f"{code} – {_('Denominator')}", COUNT, 8),
            Column(f"{code} – {_('Result')}", COUNT, 8.5),
            Column(code, TEXT, 9),
        ]
    values = []
    for unit_name, code, figures in units:
        line = [unit_name, code] if with_code else [unit_name]
        for indicator in result.scope.figures:
            line += _figure_cells(figures[indicator], result.definitions[indicator])
        values.append(line)
    return ListSheet(name, _title(result, name), columns, values, _subtitle(result))


def dashboard_workbook(*, result, tiles):
    """The workbook's bytes: sheet 1 the scope's indicators, sheet 2 its sub-units, sheet 3 the TCCSĐ types
    (each list sheet is there even when empty, so every download has the same sheets)."""
    units = [(child.node.name, child.node.code, child.figures) for child in result.children]
    types = [(str(OrgType(org_type).label), org_type, figures) for org_type, figures in result.by_type]
    sheets = [
        _tiles_sheet(result, tiles),
        _rows_sheet(result, _("Sub-units"), units, _("Sub-unit"), with_code=True),
        _rows_sheet(result, _("By TCCSĐ type"), types, _("TCCSĐ type"), with_code=False),
    ]
    return list_workbook(head=unit_letterhead(result.scope.node), sheets=sheets, title=_title(result, _("Indicators")))


def _drill_columns(kind, on):
    return {
        selectors.ROWS_ORGANIZATIONS: [
            Column(_("Code"), TEXT, 10),
            Column(_("TCCSĐ"), TEXT, 34),
            Column(_("Type"), TEXT, 18),
            Column(_("Directly under"), TEXT, 26),
            Column(_("Rating"), TEXT, 20),
        ],
        selectors.ROWS_RATINGS: [
            Column(_("Full name"), TEXT, 26),
            Column(_("Record number"), TEXT, 13),
            Column(_("Rated by"), TEXT, 30),
            Column(_("Rating"), TEXT, 20),
        ],
        selectors.ROWS_STINTS: [
            Column(_("Full name"), TEXT, 26),
            Column(_("Record number"), TEXT, 13),
            Column(_("On the rolls of"), TEXT, 34),
            Column(_("Since"), DATE, 12),
        ],
        selectors.ROWS_ADMISSIONS: [
            Column(_("Date"), DATE, 12),
            Column(_("Movement"), TEXT, 16),
            Column(_("Full name"), TEXT, 26),
            Column(_("Record number"), TEXT, 13),
            Column(_("Organization"), TEXT, 30),
        ],
        selectors.ROWS_SEATS: [
            Column(_("Full name"), TEXT, 26),
            Column(_("Role"), TEXT, 16),
            Column(_("Committee of"), TEXT, 30),
            Column(_("Political theory on %(on)s") % {"on": formats.date_format(on)}, TEXT, 18),
        ],
    }[kind]


def _drill_values(kind, row):
    if kind == selectors.ROWS_ORGANIZATIONS:
        parent = row.parent.name if row.parent else ""
        return [row.organization.code, row.organization.name, row.type_label, parent, row.rating_label]
    if kind == selectors.ROWS_RATINGS:
        return [row.member.full_name, row.member.record_number, row.organization.name, row.rating_label]
    if kind == selectors.ROWS_STINTS:
        return [row.member.full_name, row.member.record_number, row.organization.name, row.start]
    if kind == selectors.ROWS_ADMISSIONS:
        return [row.date, row.kind_label, row.member.full_name, row.member.record_number, row.organization.name]
    return [row.member.full_name, row.role_label, row.organization.name, row.theory_label]


def drilldown_workbook(*, scope, year, kind, rows, title, on):
    """The rows behind one number (labelled as on the page) as a one-sheet workbook."""
    subtitle = _("%(scope)s (code %(code)s) · organization tree as of %(date)s") % {
        "scope": scope.name,
        "code": scope.code,
        "date": on.strftime("%d/%m/%Y"),
    }
    sheet = ListSheet(
        _("List"),
        f"{title.upper()} – {_('YEAR %(year)s') % {'year': year}}",
        _drill_columns(kind, on),
        (_drill_values(kind, row) for row in rows),
        subtitle,
        empty_text=_("Nobody and nothing is behind this number."),
    )
    return list_workbook(head=unit_letterhead(scope), sheets=[sheet], title=title)


def progress_workbook(*, scope, year, on, due, overdue, columns, rows, totals, pending):
    """The rating progress page as a workbook: the counts per sub-unit and the TCCSĐ not yet approved, as on
    the page. `columns` are the state columns ((state, label) pairs), `rows` and `totals` the page's, `pending`
    (placement, state label) pairs, every page."""
    due_text = _("Rating progress · due on %(due)s") % {"due": due.strftime("%d/%m/%Y")}
    tree_text = _("%(scope)s (code %(code)s) · organization tree as of %(date)s") % {
        "scope": scope.name,
        "code": scope.code,
        "date": on.strftime("%d/%m/%Y"),
    }
    subtitle = f"{due_text} · {tree_text}"
    total_parts = [
        (_("TCCSĐ"), totals["total"]),
        *((str(label), totals[state]) for state, label in columns),
        (_("Late"), totals["late"]),
    ]
    total_text = "; ".join(f"{label} {value}" for label, value in total_parts)
    year_text = _("YEAR %(year)s") % {"year": year}
    counts = ListSheet(
        _("By sub-unit"),
        f"{_('Rating progress').upper()} – {year_text}",
        [
            Column(_("Sub-unit"), TEXT, 30),
            Column(_("Code"), TEXT, 10),
            Column(_("TCCSĐ"), COUNT, 9),
            *(Column(str(label), COUNT, 10) for _state, label in columns),
            Column(_("Late"), COUNT, 9),
            Column(_("Share approved"), COUNT, 10),
        ],
        (
            [
                row["name"],
                row["code"],
                row["total"],
                *row["values"],
                row["late"],
                Number(row["approved_share"], '0" %"'),
            ]
            for row in rows
        ),
        subtitle,
        notes=[f"{_('Total')}: {total_text}"],
        empty_text=_("No sub-unit has a TCCSĐ to rate."),
    )
    late_title = _("TCCSĐ late") if overdue else _("TCCSĐ not yet approved")
    late = ListSheet(
        _("Late") if overdue else _("Not yet approved"),
        f"{late_title.upper()} – {year_text}",
        [
            Column(_("Code"), TEXT, 10),
            Column(_("TCCSĐ"), TEXT, 34),
            Column(_("Directly under"), TEXT, 28),
            Column(_("Ratings status"), TEXT, 16),
        ],
        ([p.organization.code, p.organization.name, p.parent.name if p.parent else "", label] for p, label in pending),
        subtitle,
        empty_text=_("Every TCCSĐ has its ratings approved."),
    )
    return list_workbook(head=unit_letterhead(scope), sheets=[counts, late], title=_("Rating progress"))
