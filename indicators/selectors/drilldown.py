"""Drill-down: the rows behind each number of a figure. The lists follow the aggregate queries of the
sources rule for rule, so their length is the figure's count; each measure names its list."""

from datetime import date

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.http import Http404

from evaluations import selectors as rating_selectors
from members.models import ADMISSION_KINDS, CommitteeSeat, Membership, MovementEvent, TheoryLevel
from members.models import TheoryQualification as Theory
from organizations.models import GRASSROOTS_KINDS

from .. import measures

NUMERATOR, DENOMINATOR, NOT_RATED, MISSING = "numerator", "denominator", "not_rated", "missing"
RATING_GROUPS = (NUMERATOR, DENOMINATOR, NOT_RATED, MISSING)
# What a drill-down lists: TCCSĐ (placements), member ratings, roll stints, admission events, committee seats.
ROWS_ORGANIZATIONS, ROWS_RATINGS, ROWS_STINTS, ROWS_ADMISSIONS, ROWS_SEATS = (
    "organizations",
    "ratings",
    "stints",
    "admissions",
    "seats",
)


def _theory_on(on):
    return Subquery(
        Theory.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )


def admissions_list(*, actor, year, organization_id, org_type=""):
    """Admissions and re-admissions dated in the year by the organizations of the node's subtree on 31/12
    (T3's numerator), oldest first."""
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    return (
        MovementEvent.objects.filter(kind__in=ADMISSION_KINDS, date__year=year, organization_id__in=org_ids)
        .select_related("member", "organization")
        .order_by("date", "member__name_folded", "pk")
    )


def rolls_at_start_list(*, actor, year, organization_id, org_type=""):
    """Stints on the rolls on 31/12 of the year before, in the organizations of the node's subtree as it
    stood on 31/12 of the year (T3's denominator)."""
    eve = date(year - 1, 12, 31)
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    return (
        Membership.objects.filter(organization_id__in=org_ids, start__lte=eve)
        .filter(Q(end__isnull=True) | Q(end__gt=eve))
        .select_related("member", "organization")
        .order_by("member__name_folded", "member_id")
    )


def committee_holders_list(*, actor, year, organization_id, qualified=False, org_type=""):
    """Holders of a seat on the committee of a TCCSĐ of the node's subtree on 31/12 of the year, once per
    committee (T4's denominator); with `qualified`, those with intermediate theory or higher that day (its
    numerator). Each seat carries `theory_level` on 31/12."""
    on = date(year, 12, 31)
    org_ids = (
        rating_selectors.subtree_placements(actor=actor, year=year, organization_id=organization_id, org_type=org_type)
        .filter(organization__kind__in=GRASSROOTS_KINDS)
        .values("organization_id")
    )
    in_force = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))
    # A person with two seats on one committee on that day counts once: keep their first seat.
    earlier = CommitteeSeat.objects.filter(
        in_force, organization=OuterRef("organization_id"), member=OuterRef("member_id"), pk__lt=OuterRef("pk")
    )
    seats = (
        CommitteeSeat.objects.filter(in_force, organization_id__in=org_ids)
        .exclude(Exists(earlier))
        .annotate(theory_level=_theory_on(on))
    )
    if qualified:
        seats = seats.filter(theory_level__gte=TheoryLevel.INTERMEDIATE)
    return seats.select_related("member", "organization").order_by("organization__code", "member__name_folded", "pk")


def figure_groups(definition):
    """The drill-down groups a definition has: a measure with a list opens it; a denominator that tells
    what went unrated opens the not-rated and missing lists too."""
    groups = []
    numerator = measures.MEASURES.get(definition.numerator)
    denominator = measures.MEASURES.get(definition.denominator) if definition.denominator else None
    if numerator is not None and numerator.rows is not None:
        groups.append(NUMERATOR)
    if denominator is not None and denominator.rows is not None:
        groups.append(DENOMINATOR)
    if denominator is not None and denominator.not_rated_rows is not None:
        groups.append(NOT_RATED)
    if denominator is not None and denominator.missing_rows is not None:
        groups.append(MISSING)
    return tuple(groups)


def figure_rows(*, actor, year, scope_id, indicator, group, reason="", org_type="", definition=None):
    """The rows behind one number of a figure of (scope, year) — numerator, denominator, not rated (optionally
    for one reason) or missing — as (kind of rows, queryset). Raises Http404 outside the actor's scope or for
    a group the indicator does not have. `definition`: the indicator's row when the caller has read it."""
    from ..definitions import definition_by_code

    definition = definition if definition is not None else definition_by_code(indicator)
    if definition is None or group not in figure_groups(definition):
        raise Http404
    if reason and reason not in rating_selectors.EXPLICIT_REASONS:
        raise Http404
    where = {"actor": actor, "year": year, "organization_id": scope_id, "org_type": org_type}
    if group == NUMERATOR:
        return measures.MEASURES[definition.numerator].rows(**where)
    denominator = measures.MEASURES[definition.denominator]
    if group == DENOMINATOR:
        return denominator.rows(**where)
    if group == NOT_RATED:
        return denominator.not_rated_rows(**where, reasons=[reason] if reason else rating_selectors.EXPLICIT_REASONS)
    return denominator.missing_rows(**where)


class _FigureGroups:
    """FIGURE_GROUPS[code]: the drill-down groups of the definition with that code (read from the table)."""

    def get(self, code, default=()):
        from ..definitions import definition_by_code

        definition = definition_by_code(code)
        return default if definition is None else figure_groups(definition)

    def __getitem__(self, code):
        groups = self.get(code, None)
        if groups is None:
            raise KeyError(code)
        return groups


FIGURE_GROUPS = _FigureGroups()
