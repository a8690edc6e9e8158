"""Tracked measures counted from the member records of the program's commitments (docs/counting-rules.md §7):
admissions by group, secretaries also holding government or community posts, and attendance at cell meetings.
Each takes `org_ids`, the organizations of the scope on 31/12 of the year, as indicators.tracked does."""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum

from evaluations import selectors as rating_selectors
from members.models import (
    ADMISSION_KINDS,
    CommitteeSeat,
    GovernmentPost,
    MeetingAttendance,
    MovementEvent,
    SeatRole,
    TheoryQualification,
)
from organizations.models import GRASSROOTS_KINDS, Organization, OrgKind, OrgType, Placement

# TCCSĐ whose secretary can chair the commune's People's Council or Committee (and whose cells are residential).
COMMUNE_TYPES = (OrgType.COMMUNE, OrgType.WARD, OrgType.TOWNSHIP)
CHAIR_GROUP = "CHU_TICH_XA"  # code group of the chair posts of the commune People's Council and Committee
VILLAGE_HEAD_GROUP = "TRUONG_THON_TO"  # code group of the village and residential-group heads

# The admission groups of program §II.3.4: code → the condition on the admitted member.
ADMISSION_GROUPS = {
    "YOUTH_UNION": Q(member__youth_union_at_admission=True),
    "PRIVATE_WORKER": Q(member__occupation_at_admission__group="CONG_NHAN_NNN"),
    "INTELLECTUAL": Q(member__qualification__group="TRI_THUC"),
    "STUDENT": Q(member__occupation_at_admission__group="HS_SV"),
    "RESERVIST_MILITIA": Q(member__occupation_at_admission__group="DU_BI_DQTV"),
    "ETHNIC_MINORITY": Q(member__ethnicity_code__group="THIEU_SO"),
    "RELIGIOUS": Q(member__religion_code__group="TON_GIAO"),
}


def _theory_on(on):
    """The member's highest political theory level obtained on or before `on` (the drill-down's seat rows)."""
    return Subquery(
        TheoryQualification.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )


def _in_force(on, prefix=""):
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on}))


def admission_group_counts(year, org_ids):
    """Admissions and re-admissions dated in the year at each unit (T3's numerator), and those in each group."""
    counts = defaultdict(Counter)
    groups = {f"admitted_{code.lower()}": Count("id", filter=where) for code, where in ADMISSION_GROUPS.items()}
    rows = (
        MovementEvent.objects.filter(kind__in=ADMISSION_KINDS, date__year=year, organization_id__in=org_ids)
        .values("organization_id")
        .annotate(admitted_total=Count("id"), **groups)
        .order_by()
    )
    for row in rows:
        org_id = row.pop("organization_id")
        counts[org_id].update(row)
    return counts


def _secretary_holds(on, post_group):
    """Whether the unit's secretary on `on` holds, that day, a post of the code group."""
    post = GovernmentPost.objects.filter(_in_force(on), member=OuterRef("member_id"), kind__group=post_group)
    seats = CommitteeSeat.objects.filter(_in_force(on), organization=OuterRef("pk"), role=SeatRole.SECRETARY)
    return Exists(seats.filter(Exists(post)))


def _secretary_counts(units, on, post_group, key):
    counts = defaultdict(Counter)
    rows = Organization.objects.filter(pk__in=units).annotate(holds=_secretary_holds(on, post_group))
    for org_id, holds in rows.values_list("pk", "holds"):
        counts[org_id][f"{key}_total"] += 1
        counts[org_id][f"{key}_holding"] += int(holds)
    return counts


def secretary_chair_counts(year, org_ids):
    """Commune-level TCCSĐ on 31/12 and those whose secretary chairs the commune People's Council or Committee."""
    on = date(year, 12, 31)
    units = Organization.objects.filter(
        pk__in=org_ids, kind__in=GRASSROOTS_KINDS, org_type__in=COMMUNE_TYPES
    ).values_list("pk", flat=True)
    return _secretary_counts(list(units), on, CHAIR_GROUP, "commune_secretary")


def residential_cells(on, org_ids):
    """The cells among `org_ids` under a TCCSĐ of a commune, ward or township on `on` (the tree of that day)."""
    communes = set(
        Placement.objects.on(on)
        .filter(organization__kind__in=GRASSROOTS_KINDS, organization__org_type__in=COMMUNE_TYPES)
        .values_list("organization_id", flat=True)
    )
    cells = Placement.objects.on(on).filter(organization_id__in=org_ids, organization__kind=OrgKind.CELL)
    return [
        org_id
        for org_id, path in cells.values_list("organization_id", "path")
        if communes.intersection(int(part) for part in path.strip("/").split("/"))
    ]


def cell_secretary_head_counts(year, org_ids):
    """Residential cells on 31/12 and those whose secretary is village or residential-group head that day."""
    on = date(year, 12, 31)
    return _secretary_counts(residential_cells(on, org_ids), on, VILLAGE_HEAD_GROUP, "cell_secretary")


def attendance_counts(year, org_ids):
    """Meetings held and attended by the committee members assigned to each cell, over the quarters recorded,
    and the cells that recorded any (`attendance_cells`) among all cells (`cells_total`: the coverage)."""
    counts = defaultdict(Counter)
    rows = (
        MeetingAttendance.objects.filter(year=year, organization_id__in=org_ids)
        .values_list("organization_id")
        .annotate(held=Sum("meetings_held"), attended=Sum("meetings_attended"))
        .order_by()
    )
    for org_id, held, attended in rows:
        counts[org_id].update({"meetings_held": held, "meetings_attended": attended, "attendance_cells": 1})
    for org_id in Organization.objects.filter(pk__in=org_ids, kind=OrgKind.CELL).values_list("pk", flat=True):
        counts[org_id]["cells_total"] += 1
    return counts


def admissions_in_group_list(*, actor, year, organization_id, group=None, org_type=""):
    """The year's admissions by the units of the node's subtree, only those of `group` when given."""
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    rows = MovementEvent.objects.filter(kind__in=ADMISSION_KINDS, date__year=year, organization_id__in=org_ids)
    if group is not None:
        rows = rows.filter(ADMISSION_GROUPS[group])
    return rows.select_related("member", "organization").order_by("date", "member__name_folded", "pk")


def secretaries_holding_list(*, actor, year, organization_id, residential=False, org_type=""):
    """The secretaries on 31/12 of the commune-level TCCSĐ (or, `residential`, of the residential cells) of the
    node's subtree who hold that day a chair post (a village or residential-group head post)."""
    on = date(year, 12, 31)
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    if residential:
        units, post_group = residential_cells(on, org_ids), VILLAGE_HEAD_GROUP
    else:
        units = Organization.objects.filter(pk__in=org_ids, kind__in=GRASSROOTS_KINDS, org_type__in=COMMUNE_TYPES)
        post_group = CHAIR_GROUP
    post = GovernmentPost.objects.filter(_in_force(on), member=OuterRef("member_id"), kind__group=post_group)
    return (
        CommitteeSeat.objects.filter(_in_force(on), organization_id__in=units, role=SeatRole.SECRETARY)
        .filter(Exists(post))
        .annotate(theory_level=_theory_on(on))
        .select_related("member", "organization")
        .order_by("organization__code", "member__name_folded")
    )
