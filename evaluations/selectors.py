"""Every read of ratings and submissions a page, API or report needs; all scoped to the acting user.

A year's ratings are read with the tree as of 31/12 of that year: the organization concerned must be in the
actor's scope on that date.

NOTE (API helper): an uncommitted version of this file, written by another helper, was overwritten by
mistake at 05:28 UTC when the API helper created its own selectors here. The rating pages' reads were since
restored by their author as evaluations/entry_selectors.py. The sections "completeness panel" and
"dashboard drill-down" below, used by indicators/, were RECONSTRUCTED from their call sites
(indicators/views.py and selectors.py) with the counting rules of indicators/selectors.py; check them against
your own version and replace them freely. The section "API" at the end is the API helper's own.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404

from members.models import Membership
from organizations import scoping
from organizations.models import GRASSROOTS_KINDS, Organization, OrgKind, OrgLevel, Placement

from .models import MemberRating, NotRatedReason, OrganizationRating, RatingYear, Submission, SubmissionState

# The state shown for a TCCSĐ that has no submission for the year yet.
NO_SUBMISSION = "NONE"
# Reasons recorded on a rating row and listed under "not rated"; PENDING is shown with the missing rows,
# as the figures count it (indicators.selectors._not_rated).
EXPLICIT_REASONS = [reason.value for reason in NotRatedReason if reason != NotRatedReason.PENDING]
# Cells (chi bộ trực thuộc) and sub-committees are rated by their TCCSĐ, as the figures count them apart.
UNIT_KINDS = (OrgKind.CELL, OrgKind.SUB_COMMITTEE)
# District reports are due about 20 days after the year ends (docs/counting-rules.md §4).
RATINGS_DUE = (1, 20)


def year_end(year):
    return date(year, 12, 31)


# --- rating years ----------------------------------------------------------------------------------------------


def rating_year_get(*, year):
    """The rating year `year`; 404 if there is none (rating years are the same for everyone)."""
    rating_year = RatingYear.objects.filter(year=year).first()
    if rating_year is None:
        raise Http404
    return rating_year


def ratings_due_date(year):
    """The day the TCCSĐ ratings of `year` are due at the level above."""
    return date(year + 1, *RATINGS_DUE)


# --- completeness panel ------------------------------------------------------------------------------------------


def _year_id(year):
    """The RatingYear id as a subquery: filtering on year_id lets PostgreSQL use the (year, organization)
    indexes, where a join on the rating year made it scan every year's rows (measured: 1.4 s against 0.1 s
    for T2's missing members on the large province)."""
    return Subquery(RatingYear.objects.filter(year=year).values("pk")[:1])


def _with_state(placements, year):
    submission = Submission.objects.filter(organization=OuterRef("organization_id"), year_id=_year_id(year))
    return placements.annotate(submission_state=Subquery(submission.values("state")[:1]))


def submission_progress(*, actor, year, organization_id):
    """{unit id: {state or NO_SUBMISSION: n}}: the TCCSĐ under each direct sub-unit of the node (and the node
    itself when it is a TCCSĐ) on 31/12, counted by the state of their submission."""
    on = year_end(year)
    visible = scoping.visible_placements(actor, on)
    root = visible.filter(organization_id=organization_id).first()
    if root is None:
        raise Http404
    placements = _with_state(
        visible.filter(path__startswith=root.path, organization__kind__in=GRASSROOTS_KINDS), year
    ).values_list("organization_id", "path", "submission_state")
    depth = root.depth
    counts = {}
    for org_id, path, state in placements:
        ids = [int(part) for part in path.strip("/").split("/")]
        unit = org_id if org_id == organization_id else ids[depth + 1]
        by_state = counts.setdefault(unit, {})
        by_state[state or NO_SUBMISSION] = by_state.get(state or NO_SUBMISSION, 0) + 1
    return counts


def late_grassroots_list(*, actor, year, organization_id):
    """The TCCSĐ of the node's subtree on 31/12 whose ratings are not approved yet, with `submission_state`."""
    placements = subtree_placements(actor=actor, year=year, organization_id=organization_id).filter(
        organization__kind__in=GRASSROOTS_KINDS
    )
    return (
        _with_state(placements, year)
        .filter(Q(submission_state__isnull=True) | ~Q(submission_state=SubmissionState.APPROVED))
        .select_related("organization", "parent")
        .order_by("organization__code", "pk")
    )


# --- dashboard drill-down ----------------------------------------------------------------------------------------


def subtree_placements(*, actor, year, organization_id, org_type=""):
    """Placements on 31/12 of the year of the node's subtree within the actor's scope (404 if the node is not
    in scope then); with `org_type`, only the organizations belonging to a TCCSĐ of that type (the by-type
    table of the figures)."""
    visible = scoping.visible_placements(actor, year_end(year))
    if organization_id is None:
        placements = visible
    else:
        root = visible.filter(organization_id=organization_id).first()
        if root is None:
            raise Http404
        placements = visible.filter(path__startswith=root.path)
    if org_type:
        # A node belongs to the TCCSĐ on its path (itself for a TCCSĐ): keep the subtrees of the TCCSĐ of that type.
        grassroots_paths = list(
            placements.filter(organization__kind__in=GRASSROOTS_KINDS, organization__org_type=org_type).values_list(
                "path", flat=True
            )
        )
        if not grassroots_paths:
            return placements.none()
        placements = placements.under_paths(grassroots_paths)
    return placements


def subtree_org_ids(*, actor, year, organization_id, org_type=""):
    """A subquery of the organization ids of subtree_placements."""
    return subtree_placements(actor=actor, year=year, organization_id=organization_id, org_type=org_type).values(
        "organization_id"
    )


def _with_rating(placements, year):
    rating = OrganizationRating.objects.filter(organization=OuterRef("organization_id"), year_id=_year_id(year))
    return placements.annotate(
        rating_level=Subquery(rating.values("level")[:1]),
        rating_reason=Subquery(rating.values("not_rated_reason")[:1]),
    )


def grassroots_ratings_list(*, actor, year, organization_id, org_type="", levels=None, reasons=None, missing=False):
    """The TCCSĐ of the node's subtree on 31/12 (T1's rows), each with `rating_level` and `rating_reason` for
    the year: rated at one of `levels`, not rated for one of `reasons`, or (`missing`) with no rating or a
    pending one."""
    placements = subtree_placements(actor=actor, year=year, organization_id=organization_id, org_type=org_type).filter(
        organization__kind__in=GRASSROOTS_KINDS
    )
    placements = _with_rating(placements, year)
    if levels is not None:
        placements = placements.filter(rating_level__in=list(levels))
    if reasons is not None:
        placements = placements.filter(rating_reason__in=list(reasons))
    if missing:
        placements = placements.filter(Q(rating_level__isnull=True) | Q(rating_reason=NotRatedReason.PENDING))
    return placements.select_related("organization", "parent").order_by("organization__code")


def grassroots_above(*, year, organization_id):
    """The TCCSĐ a unit below grassroots level (a cell, a sub-committee) belongs to on 31/12 of the year, or
    None for a TCCSĐ or a node above one. The caller has checked the node is in the actor's scope."""
    if organization_id is None:
        return None
    placement = Placement.objects.on(year_end(year)).filter(organization_id=organization_id).first()
    if placement is None:
        return None
    ancestors = placement.ancestor_ids
    found = set(Organization.objects.filter(pk__in=ancestors, kind__in=GRASSROOTS_KINDS).values_list("pk", flat=True))
    return next((org_id for org_id in reversed(ancestors) if org_id in found), None)


def _on_rolls_in(org_ids, on):
    return Membership.objects.filter(member=OuterRef("member_id"), organization_id__in=org_ids, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gt=on)
    )


def member_ratings_list(*, actor, year, organization_id, org_type="", levels=None, reasons=None):
    """Member ratings for the year given by the TCCSĐ of the node's subtree on 31/12 (T2's rows), at one of
    `levels` or not rated for one of `reasons`. Below a TCCSĐ (a cell): the ratings its TCCSĐ gave to the
    members on the node's rolls on 31/12, as T2 counts them per cell."""
    org_ids = subtree_org_ids(actor=actor, year=year, organization_id=organization_id, org_type=org_type)
    ratings = MemberRating.objects.filter(year_id=_year_id(year))
    grassroots = grassroots_above(year=year, organization_id=organization_id)
    if grassroots is None:
        ratings = ratings.filter(organization_id__in=org_ids)
    else:
        ratings = ratings.filter(Q(organization_id__in=org_ids) | Q(organization_id=grassroots)).filter(
            Exists(_on_rolls_in(org_ids, year_end(year)))
        )
    if levels is not None:
        ratings = ratings.filter(level__in=list(levels))
    if reasons is not None:
        ratings = ratings.filter(not_rated_reason__in=list(reasons))
    return ratings.select_related("member", "organization").order_by(
        "organization__code", "member__name_folded", "member_id"
    )


def members_unrated_list(*, actor, year, organization_id, org_type=""):
    """Stints on the rolls on 31/12 in the node's subtree whose member has no rating for the year, or a pending
    one (T2's missing data)."""
    on = year_end(year)
    org_ids = subtree_org_ids(actor=actor, year=year, organization_id=organization_id, org_type=org_type)
    # As T2 counts: the rolls of the units under a TCCSĐ, less the ratings given within the same subtree
    # (below a TCCSĐ, by that TCCSĐ too).
    given_by = Q(organization_id__in=org_ids)
    grassroots = grassroots_above(year=year, organization_id=organization_id)
    if grassroots is not None:
        given_by |= Q(organization_id=grassroots)
    rated = (
        MemberRating.objects.filter(member=OuterRef("member_id"), year_id=_year_id(year))
        .filter(given_by)
        .exclude(not_rated_reason=NotRatedReason.PENDING)
    )
    return (
        Membership.objects.filter(organization_id__in=org_ids, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .filter(organization__level__in=(OrgLevel.GRASSROOTS, OrgLevel.BELOW_GRASSROOTS))
        .exclude(Exists(rated))
        .select_related("member", "organization")
        .order_by("member__name_folded", "member_id")
    )


# --- API ---------------------------------------------------------------------------------------------------------


def _org_ids(actor, year, organization_id=None):
    """Organization ids in scope on 31/12 of the year, optionally narrowed to one node's subtree (404 if the
    node is not in scope on that date)."""
    placements = scoping.visible_placements(actor, year_end(year))
    if organization_id is not None:
        root = placements.filter(organization_id=organization_id).first()
        if root is None:
            raise Http404
        placements = placements.filter(path__startswith=root.path)
    return placements.values("organization_id")


def member_rating_list(*, actor, year, organization_id=None):
    """Members' ratings for the year given by the TCCSĐ in scope (in a node's subtree when given)."""
    return (
        MemberRating.objects.filter(year__year=year, organization_id__in=_org_ids(actor, year, organization_id))
        .select_related("member", "organization", "year")
        .order_by("organization__code", "member__name_folded", "member_id")
    )


def organization_rating_list(*, actor, year, organization_id=None):
    """Ratings of the TCCSĐ and cells in scope for the year (in a node's subtree when given)."""
    return (
        OrganizationRating.objects.filter(year__year=year, organization_id__in=_org_ids(actor, year, organization_id))
        .select_related("organization", "year")
        .order_by("organization__code")
    )


def submission_list(*, actor, year, organization_id=None):
    """The year's submissions of the TCCSĐ in scope (in a node's subtree when given)."""
    return (
        Submission.objects.filter(year__year=year, organization_id__in=_org_ids(actor, year, organization_id))
        .select_related("organization", "year", "submitted_by", "decided_by")
        .order_by("organization__code")
    )


def submission_get(*, actor, submission_id):
    """A submission whose TCCSĐ is in the actor's scope on 31/12 of its year; 404 otherwise."""
    submission = (
        Submission.objects.select_related("organization", "year", "submitted_by", "decided_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not scoping.can_access(actor, submission.organization_id, year_end(submission.year.year)):
        raise Http404
    return submission


def reopenings_of(*, submission):
    """The recorded reopens of a submission, oldest first (the caller obtained it through submission_get)."""
    return submission.reopenings.select_related("by").order_by("at", "pk")
