"""The steering committee's dashboard, the drill-down lists behind its numbers, the completeness panel,
the Excel view and the "recompute" button. All reads go through the scoped selectors; the dashboard reads
the precomputed snapshots only, so no request runs the heavy aggregate queries."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations import selectors as rating_selectors
from evaluations.models import Level, NotRatedReason, SubmissionState
from members.models import MovementKind, SeatRole, TheoryLevel
from organizations import scoping
from organizations import selectors as org_selectors
from organizations.models import OrgType
from party_portal import counting, excel

from . import dashboard, dashboard_cache, exports, selectors, services
from .definitions import definitions_for
from .forms import DashboardForm, DrilldownForm, RefreshForm

PAGE_SIZE = 50
PAGE_PARAM = "trang"
STATE_COLUMNS = [
    (SubmissionState.DRAFT, SubmissionState.DRAFT.label),
    (SubmissionState.SUBMITTED, SubmissionState.SUBMITTED.label),
    (SubmissionState.RETURNED, SubmissionState.RETURNED.label),
    (SubmissionState.APPROVED, SubmissionState.APPROVED.label),
    (rating_selectors.NO_SUBMISSION, gettext_lazy("Nothing entered")),
]


def _year_end(year):
    return date(year, 12, 31)


def _default_year(actor, program):
    """The latest program year up to this one in which the actor has a part of the tree (a district cadre's
    district ended on 30/06/2025, so their default is 2024)."""
    last = min(program.last_year, timezone.localdate().year)
    for year in range(last, program.first_year - 1, -1):
        if scoping.scope_paths(actor, _year_end(year)):
            return year
    return last


def _form(form_class, request, program, **kwargs):
    form = form_class.from_request(request, years=program.years, default_year=None, **kwargs)
    if not form.year_given:
        form.default_year = _default_year(request.user, program)
    return form


def _page_context(request, program, year, scope):
    on = _year_end(year)
    return {
        "program": program,
        "year": year,
        "years": [(y, dashboard.dashboard_url(year=y, scope_id=scope.id)) for y in program.years],
        "scope": scope,
        "scope_is_grassroots": dashboard.is_grassroots(scope),
        # A callable: the template reads it only when the page head is rendered (not when it comes from the cache).
        "ancestors": lambda: [
            (name, dashboard.dashboard_url(year=year, scope_id=org_id))
            for org_id, name in selectors.scope_ancestors(actor=request.user, node=scope, on=on)
        ],
        "on": on,
        "due": rating_selectors.ratings_due_date(year),
        "scope_param": dashboard.SCOPE_PARAM,
        "year_param": dashboard.YEAR_PARAM,
    }


def _head_cache_key(request, year, scope, stamp):
    """The page head of a user (breadcrumb by what the actor may see, title, years) and the shared key of the
    figures it was shown with: keyed on the node's snapshots, the targets and the language (the stamp), never
    shared across users."""
    return f"indicators:dashboard:{translation.get_language()}:{request.user.pk}:{year}:{scope.id}:{stamp}"


def _render_head(request, page_context):
    """The page head (breadcrumb, title, years): everything but the figures and the per-request toolbar (CSRF
    token, pending recompute)."""
    return render_to_string("indicators/_dashboard_head.html", page_context, request=request)


@login_required
def dashboard_view(request):
    """Reads the snapshots only. The figures part is cached until a snapshot of the node is recomputed, shared by
    the node's readers and warmed by the refresh job (indicators.dashboard_cache): on the large province it is
    ~100 ms of rendering (150 sub-units by six indicators) against ~10 ms for the rest."""
    program = selectors.default_program()
    form = _form(DashboardForm, request, program)
    year = form.year
    try:
        scope = selectors.resolve_scope(actor=request.user, scope_id=form.scope_id, on=_year_end(year))
    except Http404:
        if form.scope_id is not None:
            raise
        # No role reaches any node in that year (e.g. a district cadre after the 2025 reform): say so.
        return render(
            request,
            "indicators/dashboard_no_scope.html",
            {"form": form, "year": year, "years": [(y, dashboard.dashboard_url(year=y)) for y in program.years]},
        )
    versions = selectors.snapshot_versions(actor=request.user, node=scope, program=program)
    computed_at = versions.get(year)
    context = _page_context(request, program, year, scope)
    context.update(
        form=form,
        computed_at=computed_at,
        can_refresh=selectors.can_refresh_figures(request.user),
        refresh_pending=selectors.refresh_pending(year, computed_at),
    )
    if computed_at is None:
        return render(request, "indicators/dashboard_no_data.html", context)
    # The figures part is shared by the node's readers (and warmed by the refresh job); the head is the user's.
    seconds = dashboard_cache.cache_seconds()
    stamp = dashboard_cache.node_stamp(program=program, versions=versions)
    head_key = _head_cache_key(request, year, scope, stamp)
    entry = cache.get(head_key) if seconds else None
    body = cache.get(entry[1]) if entry is not None else None
    if body is None:
        body, body_key = dashboard_cache.shared_body(
            actor=request.user, program=program, year=year, scope=scope, stamp=stamp
        )
        head = entry[0] if entry is not None else _render_head(request, context)
        if seconds:
            cache.set(head_key, (head, body_key), seconds)
    else:
        head = entry[0]
    context["head"], context["body"] = mark_safe(head), mark_safe(body)
    return render(request, "indicators/dashboard.html", context)


@login_required
def group_view(request):
    """The sub-unit and TCCSĐ-type tables of one definition group after the program's targets (e.g. the other
    tracked figures), for the node and year of the dashboard that links here; read from the snapshots and shared
    through the same cache as the dashboard's figures."""
    program = selectors.default_program()
    form = _form(DashboardForm, request, program)
    year = form.year
    group = request.GET.get(dashboard.TABLES_PARAM, "")
    groups = dashboard.group_order(program)
    if group not in groups[1:]:
        raise Http404
    scope = selectors.resolve_scope(actor=request.user, scope_id=form.scope_id, on=_year_end(year))
    versions = selectors.snapshot_versions(actor=request.user, node=scope, program=program)
    if year not in versions:
        raise Http404
    stamp = dashboard_cache.node_stamp(program=program, versions=versions)
    body, _key = dashboard_cache.shared_body(
        actor=request.user, program=program, year=year, scope=scope, stamp=stamp, tables_of=group
    )
    context = _page_context(request, program, year, scope)
    context.update(
        computed_at=versions[year],
        group_title=dashboard.group_title(group),
        dashboard_url=dashboard.dashboard_url(year=year, scope_id=scope.id),
        body=mark_safe(body),
    )
    return render(request, "indicators/dashboard_group.html", context)


@login_required
def export_view(request):
    program = selectors.default_program()
    form = _form(DashboardForm, request, program)
    result = selectors.compliance_snapshot(actor=request.user, year=form.year, scope_id=form.scope_id, program=program)
    if result is None:
        messages.warning(request, _("The figures of %(year)s have not been computed yet.") % {"year": form.year})
        return redirect(dashboard.dashboard_url(year=form.year, scope_id=form.scope_id))
    content = exports.dashboard_workbook(result=result, tiles=dashboard.tiles(result))
    return excel.xlsx_response(content, f"bang-dieu-khien-{result.year}-{result.scope.node.code}.xlsx")


@login_required
@require_POST
def refresh_view(request):
    """Enqueue the recompute of a year's figures once the request commits; the page says it is pending."""
    if not selectors.can_refresh_figures(request.user):
        raise PermissionDenied(_("Only the Organization Board and the Steering Committee can recompute the figures."))
    program = selectors.default_program()
    form = RefreshForm(request.POST, years=program.years)
    if not form.is_valid():
        raise Http404
    year = form.cleaned_data[dashboard.YEAR_PARAM]
    services.snapshot_refresh_request(actor=request.user, year=year)
    messages.success(
        request,
        _("The figures of %(year)s are being recomputed; reload this page in a minute or two.") % {"year": year},
    )
    return redirect(dashboard.dashboard_url(year=year, scope_id=form.cleaned_data.get(dashboard.SCOPE_PARAM)))


def _rating_label(level, reason):
    if level:
        return Level(level).label
    if reason:
        return NotRatedReason(reason).label
    return NotRatedReason.PENDING.label


def _display_rows(kind, rows):
    """Label the rows of one page for display (the template only prints)."""
    for row in rows:
        if kind == selectors.ROWS_ORGANIZATIONS:
            row.rating_label = _rating_label(row.rating_level, row.rating_reason)
            row.type_label = OrgType(row.organization.org_type).label if row.organization.org_type else ""
        elif kind == selectors.ROWS_RATINGS:
            row.rating_label = _rating_label(row.level, row.not_rated_reason)
        elif kind == selectors.ROWS_ADMISSIONS:
            row.kind_label = MovementKind(row.kind).label
        elif kind == selectors.ROWS_SEATS:
            row.role_label = SeatRole(row.role).label
            row.theory_label = TheoryLevel(row.theory_level or TheoryLevel.NONE).label
    return rows


def _group_title(definition, group, reason, year):
    """The group in plain words: what is counted (the tile's own labels), never "numerator" or "denominator"."""
    counted, out_of = dashboard.figure_labels(definition, year)
    titles = {
        selectors.NUMERATOR: capfirst(counted),
        selectors.DENOMINATOR: capfirst(out_of),
        selectors.NOT_RATED: _("Not rated"),
        selectors.MISSING: _("Not yet rated"),
    }
    title = titles[group]
    if reason:
        title = f"{title}: {NotRatedReason(reason).label}"
    return title


def _figure_count(figure, group, reason):
    """The count the dashboard shows for this group of the figure."""
    if group == selectors.NUMERATOR:
        return figure.numerator
    if group == selectors.DENOMINATOR:
        return figure.denominator
    if group == selectors.MISSING:
        return figure.not_rated.get(NotRatedReason.PENDING, 0)
    if reason:
        return figure.not_rated.get(reason, 0)
    return sum(n for r, n in figure.not_rated.items() if r != NotRatedReason.PENDING)


def _figure_summary(figure):
    """The figure behind the list in one line: value, verdict (provisional while the year is open), coverage."""
    if figure is None:
        return ""
    parts = [dashboard.figure_percent(figure), dashboard.verdict_text(figure), dashboard.coverage_text(figure)]
    return " · ".join(part for part in parts if part)


def drilldown_rows(request, program):
    """The drill-down's filters, its scope and the rows behind the figure: what the page and its download show."""
    form = _form(DrilldownForm, request, program, definitions=definitions_for(program))
    scope = selectors.resolve_scope(actor=request.user, scope_id=form.scope_id, on=_year_end(form.year))
    kind, rows = selectors.figure_rows(
        actor=request.user,
        year=form.year,
        scope_id=scope.id,
        indicator=form.indicator,
        group=form.group,
        reason=form.reason,
        org_type=form.org_type,
        definition=form.definition,
    )
    return form, scope, kind, rows


@login_required
def drilldown_view(request):
    program = selectors.default_program()
    form, scope, kind, rows = drilldown_rows(request, program)
    year, indicator, group, reason, org_type = form.year, form.indicator, form.group, form.reason, form.org_type
    figures, computed_at = selectors.snapshot_figures(
        actor=request.user, node=scope, year=year, program=program, org_type=org_type
    )
    figure = (figures or {}).get(indicator)
    figure_count = _figure_count(figure, group, reason) if figure is not None else None
    # Beyond a thousand rows the page trusts the snapshot's count (else the planner's estimate) until asked to count.
    paginator = counting.LargeCountPaginator(
        rows,
        PAGE_SIZE,
        key=counting.cache_key("indicators:drilldown", request.user.pk, counting.filters_of(request, PAGE_PARAM)),
        exact=counting.wants_exact(request),
        estimate=figure_count,
    )
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    _display_rows(kind, page.object_list)
    context = _page_context(request, program, year, scope)
    context.update(
        form=form,
        kind=kind,
        page=page,
        indicator=indicator,
        indicator_title=form.definition.name,
        group=group,
        group_title=_group_title(form.definition, group, reason, year),
        org_type_label=OrgType(org_type).label if org_type else "",
        figure=figure,
        figure_summary=_figure_summary(figure),
        figure_count=figure_count,
        # An estimated count is the figure's own: only an exact count can tell that the data changed since.
        figure_changed=figure_count is not None and not paginator.is_estimate and figure_count != paginator.count,
        computed_at=computed_at,
        groups=[
            (
                g,
                _group_title(form.definition, g, "", year),
                dashboard.drill_url(year=year, scope_id=scope.id, indicator=indicator, group=g, org_type=org_type),
            )
            for g in selectors.figure_groups(form.definition)
        ],
        day=_year_end(year).strftime("%d/%m/%Y"),
        years=_year_links(request, program),
        back_url=dashboard.dashboard_url(year=year, scope_id=scope.id),
        export_url=excel.download_url(request, "indicators:drilldown_export", page_param=PAGE_PARAM),
    )
    return render(request, "indicators/drilldown.html", context)


def progress_data(request):
    """The rating progress page's lists for the request's year and scope: the counts per sub-unit (rows and
    totals) and the TCCSĐ not yet approved (a queryset, every page). Shared by the page and its download."""
    program = selectors.default_program()
    form = _form(DashboardForm, request, program)
    year = form.year
    on = _year_end(year)
    scope = selectors.resolve_scope(actor=request.user, scope_id=form.scope_id, on=on)
    counts = rating_selectors.submission_progress(actor=request.user, year=year, organization_id=scope.id)
    due = rating_selectors.ratings_due_date(year)
    overdue = timezone.localdate() > due
    units = [(scope.id, scope.name, scope.code, "")] if dashboard.is_grassroots(scope) else []
    units += [
        (
            p.organization_id,
            p.organization.name,
            p.organization.code,
            dashboard.progress_url(year=year, scope_id=p.organization_id),
        )
        for p in org_selectors.tree_children(actor=request.user, parent_id=scope.id, on=on)
        if p.organization_id in counts
    ]
    rows, totals = [], dict.fromkeys([s for s, _ in STATE_COLUMNS] + ["total", "late"], 0)
    for org_id, name, code, url in units:
        by_state = counts.get(org_id, {})
        values = [by_state.get(state, 0) for state, _label in STATE_COLUMNS]
        total = sum(values)
        late = total - by_state.get(SubmissionState.APPROVED, 0) if overdue else 0
        approved = by_state.get(SubmissionState.APPROVED, 0)
        rows.append(
            {
                "name": name,
                "code": code,
                "url": url,
                "values": values,
                "total": total,
                "late": late,
                "approved_share": round(100 * approved / total) if total else 0,
            }
        )
        for (state, _label), value in zip(STATE_COLUMNS, values, strict=True):
            totals[state] += value
        totals["total"] += total
        totals["late"] += late
    pending = rating_selectors.late_grassroots_list(actor=request.user, year=year, organization_id=scope.id)
    return {
        "program": program,
        "form": form,
        "year": year,
        "on": on,
        "scope": scope,
        "due": due,
        "overdue": overdue,
        "rows": rows,
        "totals": totals,
        "pending": pending,
    }


def pending_state_label(placement):
    state = placement.submission_state
    return SubmissionState(state).label if state else STATE_COLUMNS[-1][1]


@login_required
def progress_view(request):
    data = progress_data(request)
    program, year, scope, totals = data["program"], data["year"], data["scope"], data["totals"]
    page = Paginator(data["pending"], PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    for placement in page.object_list:
        placement.state_label = pending_state_label(placement)
    context = _page_context(request, program, year, scope)
    context.update(
        form=data["form"],
        columns=[label for _state, label in STATE_COLUMNS],
        rows=data["rows"],
        totals=[totals[state] for state, _label in STATE_COLUMNS],
        grand_total=totals["total"],
        late_total=totals["late"],
        overdue=data["overdue"],
        page=page,
        years=_year_links(request, program),
        dashboard_link=dashboard.dashboard_url(year=year, scope_id=scope.id),
        export_url=excel.download_url(request, "indicators:progress_export", page_param=PAGE_PARAM),
    )
    return render(request, "indicators/progress.html", context)


def _year_links(request, program):
    """The same page for each program year (the other parameters kept, back to the first page)."""
    links = []
    for year in program.years:
        params = request.GET.copy()
        params[dashboard.YEAR_PARAM] = year
        params.pop(PAGE_PARAM, None)
        links.append((year, f"?{params.urlencode()}"))
    return links
