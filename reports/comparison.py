"""The peer comparison as the page and the workbook show it: texts and cells built from the selector's Comparison
(indicators.selectors.comparison) without touching the database. Aggregates only: units and their figures."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import dashboard, figure_cells
from indicators.models import Unit
from indicators.selectors.comparison import HIGHER, LOWER
from party_portal.excel_lists import CODE, COUNT, TEXT, Column, ListSheet, Number, list_workbook, unit_letterhead

POINTS_FORMAT = "+0.00;-0.00;0.00"
NO_RANK = "—"


def points_text(points):
    """Points with a sign and two decimals in the language's format: "+25,00", "−12,50", "0,00"; "—" without."""
    if points is None:
        return NO_RANK
    rounded = Decimal(points.numerator) / Decimal(points.denominator)
    rounded = rounded.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return sign + dashboard.percent(abs(rounded), symbol="").strip()


def direction_text(item):
    if item.direction == HIGHER:
        return _("Higher is better")
    if item.direction == LOWER:
        return _("Lower is better")
    return _("No better value: shown, not ranked")


def value_text(figure):
    return NO_RANK if figure is None else dashboard.figure_percent(figure)


def rank_text(rank):
    return NO_RANK if rank is None else str(rank)


def change_text(change):
    if change.new:
        return _("New unit: not compared")
    return points_text(change.points)


@dataclass(frozen=True)
class PageRow:
    name: str
    code: str
    url: str
    rank: str
    numerator: str
    denominator: str
    value: str
    status: str
    verdict: str
    change: str
    improvement_rank: str
    new: bool
    trend: list  # value texts, one per year


@dataclass(frozen=True)
class OverviewRow:
    name: str
    code: str
    url: str
    cells: list  # (value text, rank text, status) per indicator


def _page_row(row, year):
    figure = row.figure
    return PageRow(
        name=row.node.name,
        code=row.node.code,
        url=dashboard.dashboard_url(year=year, scope_id=row.node.id),
        rank=rank_text(row.rank),
        numerator=dashboard.count(figure.numerator) if figure else NO_RANK,
        denominator=dashboard.count(figure.denominator) if figure and figure.unit != Unit.COUNT else "",
        value=value_text(figure),
        status=dashboard.status_of(figure) if figure else "no_data",
        verdict=dashboard.verdict_text(figure) if figure else str(dashboard.VERDICTS["no_data"]),
        change=change_text(row.change),
        improvement_rank=rank_text(row.change.rank),
        new=row.change.new,
        trend=[value_text(f) for _y, f in row.trend],
    )


def indicator_rows(result, item):
    """The selected indicator's ranked table (unranked units last), each unit linking to its dashboard."""
    return [_page_row(row, result.year) for row in item.rows]


def overview_rows(result):
    """Every unit side by side: per indicator its value and rank, units in code order."""
    by_unit = {unit.id: {} for unit in result.units}
    for item in result.indicators:
        for row in item.rows:
            status = dashboard.status_of(row.figure) if row.figure else "no_data"
            rank = f"#{row.rank}" if row.rank is not None else ""
            by_unit[row.node.id][item.code] = (value_text(row.figure), rank, status)
    return [
        OverviewRow(
            name=unit.name,
            code=unit.code,
            url=dashboard.dashboard_url(year=result.year, scope_id=unit.id),
            cells=[by_unit[unit.id][item.code] for item in result.indicators],
        )
        for unit in result.units
    ]


def improved_lines(result):
    """Per indicator: (code, short title, [(unit name, points text)] of the units that improved most)."""
    return [
        (
            item.code,
            item.definition.short_name,
            [(row.node.name, points_text(row.change.points)) for row in item.most_improved],
        )
        for item in result.indicators
    ]


# ---------------------------------------------------------------- the workbook


def _cell(cell):
    value, number_format = figure_cells.excel_value(cell)
    return Number(value, number_format) if number_format else value


def _subtitle(result):
    computed = timezone.localtime(result.computed_at).strftime("%d/%m/%Y %H:%M") if result.computed_at else ""
    return _("%(scope)s · tree as of 31/12/%(year)s; figures computed at %(when)s") % {
        "scope": result.scope.name,
        "year": result.year,
        "when": computed,
    }


def _title(result, what):
    return f"{what.upper()} – " + _("year %(year)s") % {"year": result.year}


def _indicator_sheet(result, item):
    unit = item.definition.unit
    previous = result.year - 1
    columns = [
        Column(_("Rank"), CODE, 7),
        Column(_("Unit"), TEXT, 30),
        Column(_("Code"), CODE, 9),
        Column(_("Numerator"), COUNT, 11),
        Column(_("Denominator"), COUNT, 11),
        Column(_("Result"), COUNT, 10),
        Column(_("Verdict"), TEXT, 14),
        Column(_("Change against %(year)s (points)") % {"year": previous}, COUNT, 14),
        Column(_("Improvement rank"), CODE, 11),
        *(Column(str(year), COUNT, 9) for year in result.years),
    ]
    rows = []
    for row in item.rows:
        data = row.figure.as_dict() if row.figure else None
        change = row.change
        if change.new:
            points = _("New unit")
        elif change.points is None:
            points = None
        else:
            points = Number(float(change.points), POINTS_FORMAT)
        rows.append(
            [
                row.rank,
                row.node.name,
                row.node.code,
                row.figure.numerator if row.figure else None,
                row.figure.denominator if row.figure and unit != Unit.COUNT else None,
                _cell(figure_cells.value(data, unit)) if data else None,
                _cell(figure_cells.verdict(data)) if data else None,
                points,
                change.rank,
                *(_cell(figure_cells.value(f.as_dict(), unit)) if f else None for _y, f in row.trend),
            ]
        )
    notes = [
        f"{item.code} – {item.definition.name}: {direction_text(item)}.",
        _("Ties share a rank (1, 2, 2, 4); a unit without a denominator is not ranked and is listed last."),
    ]
    name = f"{item.code} – {item.definition.short_name}"
    return ListSheet(item.code, _title(result, name), columns, rows, _subtitle(result), notes)


def _overview_sheet(result):
    columns = [Column(_("Unit"), TEXT, 30), Column(_("Code"), CODE, 9)]
    for item in result.indicators:
        columns += [Column(f"{item.code} – {_('Result')}", COUNT, 10), Column(f"{item.code} – {_('Rank')}", CODE, 8)]
    ranks = {item.code: {row.node.id: row for row in item.rows} for item in result.indicators}
    rows = []
    for unit in result.units:
        line = [unit.name, unit.code]
        for item in result.indicators:
            row = ranks[item.code][unit.id]
            data = row.figure.as_dict() if row.figure else None
            line += [_cell(figure_cells.value(data, item.definition.unit)) if data else None, row.rank]
        rows.append(line)
    return ListSheet(_("Side by side"), _title(result, _("Comparison of the units")), columns, rows, _subtitle(result))


def comparison_workbook(result):
    """The workbook's bytes: the units side by side, then a sheet per indicator (ranked, with the change against
    the year before and the yearly values)."""
    sheets = [_overview_sheet(result), *(_indicator_sheet(result, item) for item in result.indicators)]
    return list_workbook(
        head=unit_letterhead(result.scope), sheets=sheets, title=_title(result, _("Comparison of the units"))
    )


def workbook_name(result):
    return f"so-sanh-don-vi-{result.year}-{result.scope.code}.xlsx"
