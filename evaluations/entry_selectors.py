"""Reads of the data-entry pages: the rating grid, the approval queue and the rating years; scoped to the actor.

Kept apart from evaluations/selectors.py (the dashboard's, the API's and the reports' reads), which several
people edit at once; the same rules apply: every read goes through organizations.scoping.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import Member, Membership
from organizations import scoping
from organizations import selectors as org_selectors
from organizations.models import GRASSROOTS_KINDS, OrgKind, Placement

from . import rules, services
from .models import MemberRating, OrganizationRating, RatingYear, Submission, YearState

# Cells and sub-committees are rated by their đảng ủy cơ sở on the grid; party groups (tổ đảng) are not rated.
RATED_UNIT_KINDS = (OrgKind.SUB_COMMITTEE, OrgKind.CELL)
# The state of a TCCSĐ that has no Submission row for the year yet.
NOT_STARTED = "NONE"


def year_end(year):
    return date(year, 12, 31)


@dataclass
class GridRow:
    """One member on the grid: where they are on the rolls on 31/12, the facts the rules use, and their rating."""

    member: Member
    unit: object  # the Organization whose rolls the member is on on 31/12
    facts: rules.MemberFacts
    derived_reason: str
    rating: MemberRating | None


@dataclass
class UnitRow:
    """A cell (or sub-committee) of the TCCSĐ with its rating for the year."""

    placement: Placement
    rating: OrganizationRating | None


@dataclass
class Grid:
    year: RatingYear
    placement: Placement
    submission: Submission | None
    rows: list = field(default_factory=list)
    units: list = field(default_factory=list)
    own_rating: OrganizationRating | None = None
    reopenings: list = field(default_factory=list)

    @property
    def organization(self):
        return self.placement.organization


def rating_year_get(*, year):
    """The rating year, or 404."""
    rating_year = RatingYear.objects.filter(year=year).select_related("closed_by").first()
    if rating_year is None:
        raise Http404
    return rating_year


def rating_year_default():
    """The year the data-entry pages open on: the latest open rating year, else the latest one."""
    return (
        RatingYear.objects.filter(state=YearState.OPEN).order_by("-year").first()
        or RatingYear.objects.order_by("-year").first()
    )


def grid_get(*, actor, organization_id, year):
    """Everything the rating grid of one TCCSĐ and year shows, in a constant number of queries: its members on
    the rolls on 31/12 (services.members_to_rate) with their facts and ratings, its cells with theirs, its own
    rating and its submission. 404 when the TCCSĐ is not visible to the actor on 31/12 or is not a TCCSĐ."""
    end = year_end(year.year)
    placement = org_selectors.placement_get(actor=actor, organization_id=organization_id, on=end)
    if placement.organization.kind not in GRASSROOTS_KINDS:
        raise Http404
    organization = placement.organization
    member_ids = list(services.members_to_rate(organization, year.year))
    stints = (
        Membership.objects.filter(member_id__in=member_ids, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gt=end))
        .select_related("member", "organization")
        .order_by("organization__code", "member__name_folded", "member_id")
    )
    facts = services.member_facts(member_ids, year.year)
    ratings = {r.member_id: r for r in MemberRating.objects.filter(year=year, member_id__in=member_ids)}
    rows = [
        GridRow(
            member=stint.member,
            unit=stint.organization,
            facts=facts[stint.member_id],
            derived_reason=rules.derived_reason(facts[stint.member_id], year.year),
            rating=ratings.get(stint.member_id),
        )
        for stint in stints
    ]
    units = list(
        Placement.objects.on(end)
        .filter(path__startswith=placement.path, organization__kind__in=RATED_UNIT_KINDS)
        .select_related("organization")
        .order_by("path")
    )
    org_ratings = {
        r.organization_id: r
        for r in OrganizationRating.objects.filter(
            year=year, organization_id__in=[organization.pk, *(u.organization_id for u in units)]
        )
    }
    submission = (
        Submission.objects.filter(organization=organization, year=year)
        .select_related("submitted_by", "decided_by")
        .first()
    )
    reopenings = list(submission.reopenings.select_related("by").order_by("-at", "-pk")) if submission else []
    return Grid(
        year=year,
        placement=placement,
        submission=submission,
        rows=rows,
        units=[UnitRow(placement=u, rating=org_ratings.get(u.organization_id)) for u in units],
        own_rating=org_ratings.get(organization.pk),
        reopenings=reopenings,
    )


def _submission_state(year):
    return Submission.objects.filter(organization=OuterRef("organization_id"), year__year=year).values("state")[:1]


def grassroots_with_state(*, actor, year, approver=False, state="", writer_kinds=None):
    """TCCSĐ on 31/12/year with their submission state (NOT_STARTED when none): those the actor may read, or,
    with `approver`, those directly under a node the actor may write (the level above, which approves them),
    or, with `writer_kinds`, those the actor may write through a role of those kinds (the ones who enter them).
    With `state`, only those in it."""
    on = year_end(year)
    placements = Placement.objects.on(on).filter(organization__kind__in=GRASSROOTS_KINDS)
    if approver:
        placements = placements.filter(parent_id__in=scoping.visible_org_ids(actor, on, write=True))
    elif writer_kinds:
        placements = placements.filter(
            organization_id__in=scoping.visible_org_ids(actor, on, write=True, kinds=writer_kinds)
        )
    else:
        placements = placements.filter(organization_id__in=scoping.visible_org_ids(actor, on))
    placements = placements.annotate(submission_state=Coalesce(Subquery(_submission_state(year)), Value(NOT_STARTED)))
    if state:
        placements = placements.filter(submission_state=state)
    return placements.select_related("organization", "parent").order_by("parent__code", "organization__code")


def state_counts(placements):
    """{state: number of TCCSĐ} over `grassroots_with_state` rows (one aggregate query)."""
    return dict(placements.order_by().values_list("submission_state").annotate(n=Count("pk")))


def submissions_of(*, organization_ids, year):
    """({organization id: Submission with who submitted and decided}, {organization id: its own rating})."""
    submissions = {
        s.organization_id: s
        for s in Submission.objects.filter(organization_id__in=organization_ids, year__year=year).select_related(
            "submitted_by", "decided_by"
        )
    }
    ratings = {
        r.organization_id: r
        for r in OrganizationRating.objects.filter(organization_id__in=organization_ids, year__year=year)
    }
    return submissions, ratings


def submissions_for_decision(*, actor, submission_ids, year):
    """Submissions of the year ticked on the approval queue, among those the actor can see (an id from outside
    their part of the tree is left out, unnamed); the services check the actor may decide each."""
    visible = scoping.visible_org_ids(actor, year_end(year))
    return list(
        Submission.objects.filter(pk__in=submission_ids, year__year=year, organization_id__in=visible)
        .select_related("organization", "year")
        .order_by("organization__code")
    )


def rating_year_list():
    """Every rating year, newest first, each with {state: number of submissions} as `submission_counts`."""
    years = list(RatingYear.objects.select_related("closed_by").order_by("-year"))
    counts = {}
    rows = Submission.objects.order_by().values_list("year_id", "state").annotate(n=Count("pk"))
    for year_id, state, n in rows:
        counts.setdefault(year_id, {})[state] = n
    for year in years:
        year.submission_counts = counts.get(year.pk, {})
    return years
