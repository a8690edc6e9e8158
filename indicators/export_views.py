"""The Excel download of a drill-down list: every row behind one number of the dashboard, as on the page."""

from django.contrib.auth.decorators import login_required

from party_portal import excel
from party_portal.excel_lists import every_row

from . import exports, selectors
from .views import (
    STATE_COLUMNS,
    _display_rows,
    _group_title,
    _year_end,
    drilldown_rows,
    pending_state_label,
    progress_data,
)


@login_required
def drilldown_export_view(request):
    form, scope, kind, rows = drilldown_rows(request, selectors.default_program())
    year, indicator, group, reason = form.year, form.indicator, form.group, form.reason
    rows = _display_rows(kind, list(rows))
    definition = form.definition
    title = f"{indicator} – {definition.name}: {_group_title(definition, group, reason, year)}"
    content = exports.drilldown_workbook(scope=scope, year=year, kind=kind, rows=rows, title=title, on=_year_end(year))
    return excel.xlsx_response(content, f"chi-tiet-{indicator}-{group}-{year}-{scope.code}.xlsx")


@login_required
def progress_export_view(request):
    """The rating progress page as an Excel file: the same year, scope and lists, every page."""
    data = progress_data(request)
    scope, year = data["scope"], data["year"]
    content = exports.progress_workbook(
        scope=scope,
        year=year,
        on=data["on"],
        due=data["due"],
        overdue=data["overdue"],
        columns=STATE_COLUMNS,
        rows=data["rows"],
        totals=data["totals"],
        pending=((p, pending_state_label(p)) for p in every_row(data["pending"])),
    )
    return excel.xlsx_response(content, f"tien-do-{year}-{scope.code}.xlsx")
