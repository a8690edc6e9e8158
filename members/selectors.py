"""Every read of members a page, API or report needs; all scoped to the acting user."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404

from organizations import periods, scoping
from organizations.models import Placement
from party_portal import counting
from party_portal.text import fold

from .models import (
    CODED_FIELDS,
    DECREASE_KINDS,
    INCREASE_KINDS,
    CommitteeSeat,
    Member,
    Membership,
    MovementEvent,
    StatusPeriod,
    TheoryQualification,
)


def _on_rolls_q(on, prefix=""):
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))


def _org_ids(actor, on, organization_id=None):
    """Organization ids in scope on `on`, optionally narrowed to one node's subtree."""
    placements = scoping.visible_placements(actor, on)
    if organization_id is not None:
        root = placements.filter(organization_id=organization_id).first()
        if root is None:
            raise Http404
        placements = placements.filter(path__startswith=root.path)
    return placements.values("organization_id")


def _theory_level_on(on):
    return Subquery(
        TheoryQualification.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )


def rolls(*, actor, on, organization_id=None):
    """Stints on the rolls on `on` of the organizations in scope (the Biểu 1-BTCTW "có đến" count)."""
    return Membership.objects.filter(_on_rolls_q(on), organization_id__in=_org_ids(actor, on, organization_id))


def member_list(*, actor, on, query="", organization_id=None, gender="", theory_level=None, positioned=False):
    """Members on the rolls on `on` in scope, searchable by name without diacritics or by number.

    `positioned`: the caller reads the rows after (or before) a row of this list, so its walk of the name index
    starts there and a search needs no lower bound of its own (see _first_matching_name)."""
    stints = rolls(actor=actor, on=on, organization_id=organization_id)
    if query:
        match = _search_q(query)
        stints = stints.filter(_prefixed(match, "member__"))
        first = None if positioned else _first_matching_name(match, fold(query))
        if first is not None:
            stints = stints.filter(member__name_folded__gte=first) if first else stints.none()
    if gender:
        stints = stints.filter(member__gender=gender)
    stints = stints.annotate(theory_level=_theory_level_on(on))
    if theory_level is not None:
        stints = (
            stints.filter(theory_level=theory_level)
            if theory_level
            else stints.filter(Q(theory_level__isnull=True) | Q(theory_level=0))
        )
    return stints.select_related("member", "organization").order_by("member__name_folded", "member_id")


def _search_q(query):
    """Members whose name contains `query` without diacritics, or whose record, card or citizen number it is."""
    needle = query.strip().upper()
    return Q(name_folded__contains=fold(query)) | Q(record_number=needle) | Q(card_number=needle) | Q(citizen_id=needle)


def _prefixed(condition, prefix):
    """`condition` (a Q on Member's fields) on a relation's member: `prefix` before every field name."""
    copy = condition.copy()
    copy.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return copy


# Beyond this many matches (the planner's estimate) the search walks the name index from the start: the matches
# are then common enough that the first page's lie near the start of the alphabet.
FEW_MATCHES = 50_000
# How long a search's bound is kept; a write of any member changes its key first (_first_match_key).
FIRST_MATCH_SECONDS = 3600


def _first_matching_name(match, folded):
    """The smallest folded name among the members `match` finds, when that is worth looking up, else None.

    The list is in name order, so PostgreSQL walks the name index and checks every member it passes. For a
    search whose matches sit late in the alphabet ("nguyen van" on the large demo: 24,122 matches, the first
    after 174,868 other names) that walk reads most of the members table for one page. The smallest matching
    name, read through the trigram index, is a lower bound every match meets, so the list filtered by
    `name_folded >= it` holds exactly the same rows, and the walk starts where the matches start (205 → 48 ms).
    Looked up only on PostgreSQL, for a term of three letters or more (a trigram), when the planner expects
    at most FEW_MATCHES matches. "" when no member matches at all.

    The answer is kept per search until a member is written (_first_match_key), so a search asked again — the
    common names are asked all day — costs two index lookups instead of rechecking every match (27 ms).
    """
    members = Member.objects.filter(match)
    if len(folded.strip()) < 3 or connections[members.db].vendor != "postgresql":
        return None
    key = _first_match_key(members)
    found = cache.get(key)
    if found is None:
        estimate = counting.planner_estimate(members)
        if estimate is None or estimate > FEW_MATCHES:
            found = (None,)
        else:
            # MIN over an expression, not the bare column: PostgreSQL would otherwise answer MIN(name_folded) by
            # walking the name index from the start, the very walk this lookup is here to avoid.
            first = members.aggregate(first=Min(Concat("name_folded", Value(""))))["first"]
            found = (first or "",)
        cache.set(key, found, FIRST_MATCH_SECONDS)
    return found[0]


def _first_match_key(members):
    """The cache key of a search's bound: the search and what dates the members' names.

    Every write of a member leaves a row in its history (simple_history on a save; the imports' audit rows on a
    bulk write), and a new member takes a new id: a rename, an addition or a deletion changes the newest history
    row or member, hence the key, so a kept bound is never read past a change that could lower it. (A bound
    read while a write commits may be lower than needed: still a bound every match meets.)"""
    newest = Member.history.using(members.db).aggregate(history=Max("history_id"))["history"]
    latest = Member.objects.using(members.db).aggregate(member=Max("pk"))["member"]
    search = hashlib.sha256(str(members.query).encode()).hexdigest()
    return f"members:first-match:{connections[members.db].settings_dict['NAME']}:{newest}:{latest}:{search}"


def member_get(*, actor, member_id, on):
    """A member whose current (or last) organization is in the actor's scope; 404 otherwise."""
    member = Member.objects.filter(pk=member_id).select_related(*CODED_FIELDS).first()
    if member is None:
        raise Http404
    stint = member.memberships.filter(start__lte=on).order_by("-start").first()
    if stint is None or not scoping.can_access(actor, stint.organization_id, on):
        raise Http404
    return member


@dataclass
class MemberHistory:
    events: list
    memberships: list
    status_periods: list
    theory_levels: list
    disciplines: list
    committee_seats: list
    government_posts: list
    meeting_attendance: list


def member_history(*, member):
    """Everything dated about a member, each list oldest first (the member page)."""
    return MemberHistory(
        events=list(member.events.select_related("organization").order_by("date", "pk")),
        memberships=list(member.memberships.select_related("organization").order_by("start")),
        status_periods=list(member.status_periods.select_related("host_organization").order_by("start")),
        theory_levels=list(member.theory_levels.order_by("obtained_on")),
        disciplines=list(member.disciplines.order_by("decided_on")),
        committee_seats=list(member.committee_seats.select_related("organization").order_by("start")),
        government_posts=list(member.government_posts.select_related("kind", "organization").order_by("start")),
        meeting_attendance=list(
            member.meeting_attendance.select_related("organization").order_by("year", "quarter", "organization__code")
        ),
    )


def seat_organizations(*, actor, member):
    """Committees the actor may give the member a seat on: the units the member has been on the rolls of and
    the units above them at the time, those the actor may change today, in tree order (the service then checks
    the seat's own dates)."""
    condition = Q()
    for stint in member.memberships.all():
        covers = Q(organization_id=stint.organization_id) & (Q(valid_to__isnull=True) | Q(valid_to__gte=stint.start))
        if stint.end is not None:
            covers &= Q(valid_from__lt=stint.end)
        condition |= covers
    if not condition:
        return Placement.objects.none()
    ids = set()
    for path in Placement.objects.filter(condition).values_list("path", flat=True):
        ids.update(int(part) for part in path.strip("/").split("/"))
    return (
        scoping.present_placements()
        .filter(organization_id__in=ids)
        .filter(organization_id__in=scoping.writable_now_org_ids(actor))
        .select_related("organization")
        .order_by("path")
    )


def seat_get(*, actor, seat_id):
    """A seat on a committee the actor may read at the seat's start; 404 otherwise."""
    seat = CommitteeSeat.objects.select_related("member", "organization").filter(pk=seat_id).first()
    if seat is None or not scoping.can_access(actor, seat.organization_id, seat.start):
        raise Http404
    return seat


def status_period_get(*, actor, period_id):
    """A status period of a member the actor may read at the period's start; 404 otherwise."""
    period = StatusPeriod.objects.select_related("member").filter(pk=period_id).first()
    if period is None:
        raise Http404
    member_get(actor=actor, member_id=period.member_id, on=period.start)
    return period


def committee_on(*, organization_id, on):
    """Seats on the organization's committee on `on`, with each holder's theory level on that date."""
    return (
        CommitteeSeat.objects.filter(organization_id=organization_id, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .annotate(theory_level=_theory_level_on(on))
        .select_related("member")
        .order_by("role", "member__name_folded")
    )


def status_on(*, member_ids, on):
    """Exemption / suspension / temporary periods in force on `on` for the given members."""
    return StatusPeriod.objects.filter(member_id__in=member_ids, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )


@dataclass
class RollsMovement:
    """Form Biểu 1-BTCTW for one scope and period: end = start + increases − decreases."""

    start: int
    end: int
    increases: Counter = field(default_factory=Counter)
    decreases: Counter = field(default_factory=Counter)

    @property
    def total_increase(self):
        return sum(self.increases.values())

    @property
    def total_decrease(self):
        return sum(self.decreases.values())


def rolls_movement(*, actor, organization_id, period_start, period_end):
    """Rolls on the eve of the period and at its end, and the movements between, over one fixed set of
    organizations: the subtree as of the period's last day with the units that ended inside the period
    (organizations.periods; the statistics form itself is reports.forms.bieu1)."""
    placement = periods.scope_placement(actor, organization_id, period_end) if organization_id is not None else None
    org_ids = periods.period_org_ids(actor, placement, period_start, period_end)
    eve = period_start.fromordinal(period_start.toordinal() - 1)
    start = Membership.objects.filter(_on_rolls_q(eve), organization_id__in=org_ids).count()
    end = Membership.objects.filter(_on_rolls_q(period_end), organization_id__in=org_ids).count()
    events = MovementEvent.objects.filter(
        organization_id__in=org_ids, date__gte=period_start, date__lte=period_end
    ).values_list("kind", flat=True)
    counts = Counter(events)
    return RollsMovement(
        start=start,
        end=end,
        increases=Counter({k: counts[k] for k in INCREASE_KINDS if counts[k]}),
        decreases=Counter({k: counts[k] for k in DECREASE_KINDS if counts[k]}),
    )


def placement_of_member_org(*, organization_id, on):
    return Placement.objects.on(on).filter(organization_id=organization_id).select_related("organization").first()
