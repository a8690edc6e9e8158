"""Every read of report runs, and the lists a report shows; all scoped to the acting user."""

from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from evaluations.models import Level, NotRatedReason, OrganizationRating, Submission, SubmissionState
from organizations import policy, scoping
from organizations import selectors as org_selectors

from .models import ConsolidatedReport, ReportRun


def _year_end(year):
    return date(year, 12, 31)


def report_run_list(*, actor):
    """The runs whose scope lies inside the actor's part of the tree as it stood on 31/12 of the run's year
    (a district cadre keeps seeing the 2024 reports of their district after the 2025 reform)."""
    years = sorted(set(ReportRun.objects.values_list("year", flat=True)))
    visible = Q(pk__in=[])
    for year in years:
        # One scoping query per year a report exists for (six at most for a program), whatever the runs.
        visible |= Q(year=year, scope_id__in=scoping.visible_org_ids(actor, _year_end(year)))
    return ReportRun.objects.filter(visible).select_related("program", "scope", "requested_by", "issued_by")


def report_run_get(*, actor, pk):
    """One run, if its scope lies inside the actor's part of the tree on 31/12 of its year; 404 otherwise."""
    run = ReportRun.objects.select_related("program", "scope", "requested_by", "issued_by").filter(pk=pk).first()
    if run is None or not scoping.can_access(actor, run.scope_id, _year_end(run.year)):
        raise Http404
    return run


def report_versions(*, actor, run):
    """Every version of the report `run` is one of (same program, year and scope), newest first; `run` comes
    from report_run_get, so the actor may read them all."""
    return (
        ReportRun.objects.filter(program_id=run.program_id, year=run.year, scope_id=run.scope_id)
        .select_related("requested_by", "issued_by")
        .order_by("-version")
    )


def consolidated_report_list(*, actor):
    """The consolidated reports of the provinces the actor reads as a whole (a role at the province, on 31/12 of
    the report's year): a district's cadre sees none."""
    if not policy.can(actor, policy.RUN_REPORTS):
        return ConsolidatedReport.objects.none()
    years = sorted(set(ConsolidatedReport.objects.values_list("year", flat=True)))
    visible = Q(pk__in=[])
    for year in years:
        visible |= Q(year=year, province_id__in=scoping.visible_org_ids(actor, _year_end(year)))
    return (
        ConsolidatedReport.objects.filter(visible)
        .select_related("program", "province", "requested_by", "issued_by", "annex")
        .order_by("-year", "-version")
    )


def consolidated_report_get(*, actor, pk):
    """One consolidated report, if the actor reads its province on 31/12 of its year; 404 otherwise."""
    report = (
        ConsolidatedReport.objects.select_related("program", "province", "requested_by", "issued_by", "annex")
        .filter(pk=pk)
        .first()
    )
    if report is None or not policy.can(actor, policy.RUN_REPORTS, report.province_id, on=_year_end(report.year)):
        raise Http404
    return report


def _grassroots(actor, year, scope_id):
    """The TCCSĐ under the scope as the tree stood on 31/12 of the year (404 outside the actor's scope)."""
    return org_selectors.grassroots_under(actor=actor, organization_id=scope_id, on=_year_end(year))


def organizations_not_completed(*, actor, year, scope_id):
    """TCCSĐ of the scope rated NOT_COMPLETED for the year, with the unit they sit under, in tree order."""
    rated = OrganizationRating.objects.filter(year__year=year, level=Level.NOT_COMPLETED).values("organization_id")
    return (
        _grassroots(actor, year, scope_id)
        .filter(organization_id__in=rated)
        .select_related("organization", "parent")
        .order_by("path")
    )


def organizations_not_approved(*, actor, year, scope_id):
    """TCCSĐ of the scope whose ratings for the year are missing or not approved: no rating of the TCCSĐ
    itself (or one still pending), or a submission missing or not approved. Each placement carries
    `submission_state`, `submission_comment`, `rating_level` and `rating_reason` (None when absent)."""
    submission = Submission.objects.filter(organization_id=OuterRef("organization_id"), year__year=year)
    rating = OrganizationRating.objects.filter(organization_id=OuterRef("organization_id"), year__year=year)
    return (
        _grassroots(actor, year, scope_id)
        .annotate(
            submission_state=Subquery(submission.values("state")[:1]),
            submission_comment=Subquery(submission.values("comment")[:1]),
            rating_level=Subquery(rating.values("level")[:1]),
            rating_reason=Subquery(rating.values("not_rated_reason")[:1]),
        )
        .filter(
            Q(submission_state__isnull=True)
            | ~Q(submission_state=SubmissionState.APPROVED)
            | Q(rating_level__isnull=True)
            | Q(rating_reason=NotRatedReason.PENDING)
        )
        .select_related("organization", "parent")
        .order_by("path")
    )


def submissions_with_warnings(*, actor, year, scope_id):
    """The year's submissions of the scope's TCCSĐ that carry soft-rule warnings (stored at their last save),
    as (placement, warnings) pairs in tree order."""
    grassroots = _grassroots(actor, year, scope_id)
    submissions = Submission.objects.filter(
        year__year=year, organization_id__in=grassroots.values("organization_id")
    ).values_list("organization_id", "warnings")
    flagged = {org_id: warnings for org_id, warnings in submissions if warnings}
    placements = grassroots.filter(organization_id__in=list(flagged)).select_related("organization", "parent")
    return sorted(((p, flagged[p.organization_id]) for p in placements), key=lambda pair: pair[0].path)
