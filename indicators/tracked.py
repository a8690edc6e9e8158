"""Tracked figures of the program's other commitments (docs/counting-rules.md §7): one aggregate query per
measure at the finest grain (a Counter per organization), summed over the scope's subtree on 31/12 of the year.

Each measure takes `org_ids`, a subquery of the organizations of the scope as of 31/12 of the year (already
limited to the actor's scope by evaluations.selectors.subtree_org_ids), so a measure never decides who may read.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import formats

from evaluations import selectors as rating_selectors
from members.models import Discipline, Membership, MovementEvent, MovementKind, TheoryLevel
from members.models import TheoryQualification as Theory
from organizations.models import GRASSROOTS_KINDS, Organization, OrgType

from . import tracked_records as record_measures

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
    qualified = stints.annotate(theory=_theory_on(on)).filter(theory__gte=TheoryLevel.INTERMEDIATE)
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


MEASURES = (removal_counts, discipline_counts, theory_counts, non_state_counts, *record_measures.MEASURES)


def tracked_counts(*, actor, year, scope_id=None):
    """Every tracked measure of the scope's subtree on 31/12 of the year, as a Counter per organization."""
    org_ids = rating_selectors.subtree_org_ids(actor=actor, year=year, organization_id=scope_id)
    per_org = defaultdict(Counter)
    for measure in MEASURES:
        for org_id, counts in measure(year, org_ids).items():
            per_org[org_id].update(counts)
    return per_org


@dataclass(frozen=True)
class TrackedFigure:
    code: str
    numerator: int
    denominator: int | None  # None: a count, not a rate
    per: int = 100  # 100: a percentage; 1000: per thousand
    change: int | None = None  # the count's change over the year before (None: no figure that year)

    @property
    def text(self):
        """The figure as shown: a count with thousands separators, a rate with two decimals (91,24 %, 1,25 ‰),
        "—" for no data."""
        value = self.value
        if value is None:
            return "—"
        if self.denominator is None:
            return formats.number_format(value, force_grouping=True)
        rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{formats.number_format(rounded, 2, force_grouping=True)} {'%' if self.per == 100 else '‰'}"

    @property
    def value(self):
        """The exact rate (a Fraction), the count for a count, or None for a rate with a zero denominator."""
        if self.denominator is None:
            return self.numerator
        if not self.denominator:
            return None
        return Fraction(self.numerator * self.per, self.denominator)


def _scope_total(per_org):
    total = Counter()
    for counts in per_org.values():
        total.update(counts)
    return total


def _previous_count(actor, year, scope_id):
    try:
        per_org = non_state_counts(
            year - 1, rating_selectors.subtree_org_ids(actor=actor, year=year - 1, organization_id=scope_id)
        )
    except Http404:  # the scope did not exist (or was not the actor's) at the end of the year before
        return None
    return _scope_total(per_org)["non_state_tccsd"]


def tracked_figures(*, actor, year, scope_id=None):
    """The tracked figures of the scope for the year, by code (raises Http404 outside the actor's scope)."""
    total = _scope_total(tracked_counts(actor=actor, year=year, scope_id=scope_id))
    previous = _previous_count(actor, year, scope_id)
    non_state = total["non_state_tccsd"]
    base, rolls = total["rolls_start"], total["rolls_end"]
    figures = [
        TrackedFigure("STRUCK_OFF", total["removed_struck_off"], None),
        TrackedFigure("STRUCK_OFF_RATE", total["removed_struck_off"], base, per=1000),
        TrackedFigure("EXPELLED", total["removed_expelled"], None),
        TrackedFigure("EXPELLED_RATE", total["removed_expelled"], base, per=1000),
        TrackedFigure("DISCIPLINED", total["disciplined_total"], None),
        TrackedFigure("DISCIPLINED_RATE", total["disciplined_total"], base, per=1000),
        TrackedFigure("THEORY_INTERMEDIATE", total["theory_qualified"], rolls),
        TrackedFigure("NON_STATE_TCCSD", non_state, None, change=None if previous is None else non_state - previous),
        TrackedFigure("SECRETARY_COMMUNE_CHAIR", total["commune_secretary_holding"], total["commune_secretary_total"]),
        TrackedFigure("CELL_SECRETARY_VILLAGE_HEAD", total["cell_secretary_holding"], total["cell_secretary_total"]),
        TrackedFigure("MEETING_ATTENDANCE", total["meetings_attended"], total["meetings_held"]),
        TrackedFigure("MEETING_ATTENDANCE_COVERAGE", total["attendance_cells"], total["cells_total"]),
    ]
    for group in record_measures.ADMISSION_GROUPS:
        admitted = total[f"admitted_{group.lower()}"]
        figures.append(TrackedFigure(f"ADMITTED_{group}", admitted, None))
        figures.append(TrackedFigure(f"ADMITTED_{group}_SHARE", admitted, total["admitted_total"]))
    return {figure.code: figure for figure in figures}


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
