"""Aggregates of the program's other commitments (docs/counting-rules.md §7): one query per source at the
finest grain (a Counter per organization), which indicators.tracked_measures registers; the tracked definitions
(migration 0008) turn them into figures through the same engine as the program's targets.

Each aggregate takes `org_ids`, a subquery of the organizations of the scope as of 31/12 of the year (already
limited to the actor's scope by evaluations.selectors.subtree_org_ids), so a measure never decides who may read.
"""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from evaluations import selectors as rating_selectors
from members.models import Discipline, Membership, MovementEvent, MovementKind, TheoryLevel
from members.models import TheoryQualification as Theory
from organizations.models import GRASSROOTS_KINDS, Organization, OrgType

# "Đơn vị kinh tế ngoài khu vực nhà nước" (program §3.3): the Biểu 5 line "doanh nghiệp ngoài khu vực nhà nước".
NON_STATE_TYPES = (OrgType.PRIVATE_ENTERPRISE,)
REMOVAL_KINDS = (MovementKind.STRUCK_OFF, MovementKind.EXPELLED)


def _on_rolls(on):
    return Membership.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


def _theory_on(on):
    return Subquery(
        Theory.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )


def _add(counts, rows, key):
    for org_id, n in rows:
        counts[org_id][key] += n


def removal_counts(year, org_ids):
    """Members struck off (xóa tên) and expelled (khai trừ) in the year, at the unit that recorded the movement,
    and the rolls on 31/12 of the year before (the base of the per-thousand rates)."""
    counts = defaultdict(Counter)
    rows = (
        MovementEvent.objects.filter(kind__in=REMOVAL_KINDS, date__year=year, organization_id__in=org_ids)
        .values_list("organization_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, kind, n in rows:
        counts[org_id][f"removed_{kind.lower()}"] += n
        counts[org_id]["removed_total"] += n
    eve = date(year - 1, 12, 31)
    base = _on_rolls(eve).filter(organization_id__in=org_ids).values_list("organization_id").annotate(n=Count("id"))
    _add(counts, base.order_by(), "rolls_start")
    return counts


def _unit_at_decision():
    """The unit of the member's latest stint begun on or before the decision date: the unit holding them that
    day, or the one they last left (an expulsion takes the member off the rolls on the decision date)."""
    return Subquery(
        Membership.objects.filter(member=OuterRef("member_id"), start__lte=OuterRef("decided_on"))
        .order_by("-start")
        .values("organization_id")[:1]
    )


def discipline_counts(year, org_ids):
    """Discipline decisions dated in the year, at the unit holding the member on the decision date."""
    counts = defaultdict(Counter)
    rows = (
        Discipline.objects.filter(decided_on__year=year)
        .annotate(unit=_unit_at_decision())
        .filter(unit__in=org_ids)
        .values_list("unit", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, kind, n in rows:
        counts[org_id][f"disciplined_{kind.lower()}"] += n
        counts[org_id]["disciplined_total"] += n
    return counts


def theory_counts(year, org_ids):
    """Members on the rolls on 31/12 of the year and those of them holding intermediate theory or higher then."""
    on = date(year, 12, 31)
    counts = defaultdict(Counter)
    stints = _on_rolls(on).filter(organization_id__in=org_ids)
    _add(counts, stints.values_list("organization_id").annotate(n=Count("id")).order_by(), "rolls_end")
    # "Highest level obtained by then >= intermediate" is "some level >= intermediate obtained by then": an
    # EXISTS, which PostgreSQL runs as one semi-join, where the MAX subquery ran once per stint.
    held = Theory.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on, level__gte=TheoryLevel.INTERMEDIATE)
    qualified = stints.filter(Exists(held))
    _add(counts, qualified.values_list("organization_id").annotate(n=Count("id")).order_by(), "theory_qualified")
    return counts


def non_state_counts(year, org_ids):
    """TCCSĐ of non-state enterprises in the tree on 31/12 of the year (one each)."""
    counts = defaultdict(Counter)
    rows = Organization.objects.filter(
        pk__in=org_ids, kind__in=GRASSROOTS_KINDS, org_type__in=NON_STATE_TYPES
    ).values_list("pk", flat=True)
    for org_id in rows:
        counts[org_id]["non_state_tccsd"] += 1
    return counts


def removals_list(*, actor, year, organization_id, kinds=REMOVAL_KINDS, org_type=""):
    """The members struck off or expelled in the year by the units of the node's subtree (the numerator rows)."""
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    return (
        MovementEvent.objects.filter(kind__in=kinds, date__year=year, organization_id__in=org_ids)
        .select_related("member", "organization")
        .order_by("date", "member__name_folded", "pk")
    )


def disciplines_list(*, actor, year, organization_id, org_type=""):
    """The discipline decisions of the year on members of the node's subtree, each with `unit`."""
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    return (
        Discipline.objects.filter(decided_on__year=year)
        .annotate(unit=_unit_at_decision())
        .filter(unit__in=org_ids)
        .select_related("member")
        .order_by("decided_on", "member__name_folded", "pk")
    )


def theory_qualified_list(*, actor, year, organization_id, org_type=""):
    """Stints on the rolls on 31/12 with intermediate theory or higher that day, each with `theory_level`."""
    on = date(year, 12, 31)
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    return (
        _on_rolls(on)
        .filter(organization_id__in=org_ids)
        .annotate(theory_level=_theory_on(on))
        .filter(theory_level__gte=TheoryLevel.INTERMEDIATE)
        .select_related("member", "organization")
        .order_by("member__name_folded", "member_id")
    )


def non_state_tccsd_list(*, actor, year, organization_id, org_type=""):
    """The TCCSĐ of non-state enterprises in the node's subtree on 31/12 of the year."""
    return (
        rating_selectors.subtree_placements(actor=actor, year=year, organization_id=organization_id, org_type=org_type)
        .filter(organization__kind__in=GRASSROOTS_KINDS, organization__org_type__in=NON_STATE_TYPES)
        .select_related("organization")
        .order_by("organization__code")
    )
