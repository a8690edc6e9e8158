"""Reads for the coded lists, government posts and meeting attendance pages (members.record_models)."""

from datetime import date

from django.db.models import Count, Q
from django.http import Http404

from organizations import scoping
from organizations.models import Organization, OrgKind, OrgLevel, Placement

from .models import CommitteeSeat, Member
from .record_models import Code, CodeList, GovernmentPost, MeetingAttendance

# The levels whose committee members a TCCSĐ assigns to attend a cell's meetings: its own committee and, where
# there is one, the sub-committee between it and the cell.
ASSIGNING_LEVELS = (OrgLevel.GRASSROOTS, OrgLevel.BELOW_GRASSROOTS)


def code_references():
    """(model, field name, list) of every foreign key to a code: the members' coded fields and the posts' kind."""
    for model in (Member, GovernmentPost):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Code:
                yield model, field.name, field.remote_field.limit_choices_to["list"]


def code_usage(code_list):
    """How many records use each code of the list (a member's field, a post): one query per field referring to
    the list, whatever the number of codes."""
    usage = {}
    for model, name, referred in code_references():
        if referred != code_list:
            continue
        rows = model.objects.filter(**{f"{name}__isnull": False}).values_list(name).annotate(n=Count("pk")).order_by()
        for code_id, count in rows:
            usage[code_id] = usage.get(code_id, 0) + count
    return usage


def code_is_used(code):
    return any(
        model.objects.filter(**{name: code}).exists()
        for model, name, referred in code_references()
        if referred == code.list
    )


def code_lists():
    """Every coded list with its number of codes and of active codes, in the lists' own order."""
    counts = {
        row["list"]: row
        for row in Code.objects.values("list").annotate(total=Count("pk"), active=Count("pk", filter=Q(active=True)))
    }
    return [
        {
            "list": code_list,
            "total": counts.get(code_list.value, {}).get("total", 0),
            "active": counts.get(code_list.value, {}).get("active", 0),
        }
        for code_list in CodeList
    ]


def code_list_get(value):
    if value not in CodeList.values:
        raise Http404
    return CodeList(value)


def codes_of(code_list, *, with_usage):
    """The codes of a list in their order; `with_usage`: each with `usage`, the records using it across the
    province (for the Board only, whose roles cover it: a count over other units is not the others' to read)."""
    codes = list(Code.objects.filter(list=code_list).order_by("position", "code"))
    if with_usage:
        usage = code_usage(code_list)
        for code in codes:
            code.usage = usage.get(code.pk, 0)
    return codes


def code_get(code_id):
    code = Code.objects.filter(pk=code_id).first()
    if code is None:
        raise Http404
    return code


def choosable_codes(code_list, current=None):
    """The active codes of a list, and the current value of a record even when since deactivated."""
    condition = Q(active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Code.objects.filter(condition, list=code_list).order_by("position", "code")


def government_post_get(*, actor, post_id):
    """A post serving an organization the actor may read at the post's start; 404 otherwise."""
    post = GovernmentPost.objects.select_related("member", "kind", "organization").filter(pk=post_id).first()
    if post is None or not scoping.can_access(actor, post.organization_id, post.start):
        raise Http404
    return post


def quarter_dates(year, quarter):
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def cell_get(*, actor, organization_id, year, quarter):
    """A party cell (chi bộ trực thuộc) the actor may read on the last day of the quarter it existed in; 404
    for any other unit, a quarter out of 1–4 or a cell out of sight."""
    if quarter not in (1, 2, 3, 4):
        raise Http404
    first, last = quarter_dates(year, quarter)
    placement = (
        Placement.objects.filter(organization_id=organization_id, organization__kind=OrgKind.CELL)
        .filter(valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .select_related("organization")
        .order_by("-valid_from")
        .first()
    )
    if placement is None or not scoping.can_access(actor, organization_id, attendance_day(placement, last)):
        raise Http404
    return placement


def attendance_day(placement, last):
    """The day a quarter's attendance stands for: the quarter's last day, or the cell's last day in it."""
    return min(last, placement.valid_to) if placement.valid_to else last


def assigned_committee_members(*, placement, year, quarter):
    """The members who held a seat during the quarter on the committee of the TCCSĐ above the cell (or of a
    sub-committee between them), and those already recorded for the cell and quarter, by name."""
    first, last = quarter_dates(year, quarter)
    committees = Organization.objects.filter(pk__in=placement.ancestor_ids, level__in=ASSIGNING_LEVELS)
    seated = CommitteeSeat.objects.filter(organization_id__in=committees, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)
    )
    recorded = MeetingAttendance.objects.filter(organization_id=placement.organization_id, year=year, quarter=quarter)
    return Member.objects.filter(
        Q(pk__in=seated.values("member_id")) | Q(pk__in=recorded.values("member_id"))
    ).order_by("name_folded", "pk")


def attendance_of(*, organization_id, year, quarter):
    """The quarter's rows of the cell, by member id."""
    rows = MeetingAttendance.objects.filter(organization_id=organization_id, year=year, quarter=quarter)
    return {row.member_id: row for row in rows}
