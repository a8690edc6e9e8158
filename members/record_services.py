"""Writes of the coded lists (the Board's), of government posts and of attendance at cell meetings: validated,
scoped to the acting user and audited, like members.services."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy, scoping
from organizations.models import OrgKind
from party_portal import closed_years

from . import record_selectors
from .record_models import CODE_RE, Code, CodeList, GovernmentPost, MeetingAttendance
from .services import END_BEFORE_START, _check_end, _day, _field_error, member_under_during

GROUP_RE = r"^[A-Z0-9_]{0,32}$"
CODE_FORMAT = _("The code “%(code)s” is not valid: a code is 1–16 capital letters, digits or underscores.")
GROUP_FORMAT = _("The group “%(group)s” is not valid: a group is up to 32 capital letters, digits or underscores.")
CODE_TAKEN = _("The list “%(list)s” already has the code “%(code)s”.")
CODE_USED = _(
    "The code “%(code)s” is used by %(count)s records and cannot change: rename the entry or deactivate it instead."
)
NOT_A_POST = _("Choose an active post of the list of government and community posts.")
POST_BEFORE_ORGANIZATION = _("The organization was formed on %(date)s: a post serving it cannot start before.")
POST_NOT_UNDER = _(
    "Between %(start)s and %(end)s the member was never on the rolls of %(org)s or of a unit under it: "
    "a post recorded there needs a member of its party organization."
)
POST_HELD = _("This post is already recorded for the member from %(date)s.")
QUARTER_RANGE = _("The quarter is 1, 2, 3 or 4.")
QUARTER_AHEAD = _("Quarter %(quarter)s of %(year)s has not begun: attendance is recorded once meetings are held.")
NOT_A_CELL = _("Attendance at meetings is recorded for party cells (chi bộ trực thuộc) only.")
ATTENDANCE_INCOMPLETE = _("%(name)s: enter both the meetings held and the meetings attended, or neither.")
ATTENDED_ABOVE_HELD = _("%(name)s: %(attended)s meetings attended is more than the %(held)s meetings held.")
NOT_ASSIGNED = _("%(name)s held no seat on the committee of the party organization above this cell during the quarter.")


# --- coded lists ------------------------------------------------------------------------------------------------


def _check_code(entry):
    if not re.fullmatch(CODE_RE, entry.code or ""):
        raise _field_error("code", CODE_FORMAT, code=entry.code)
    if not re.fullmatch(GROUP_RE, entry.group or ""):
        raise _field_error("group", GROUP_FORMAT, group=entry.group)
    if Code.objects.filter(list=entry.list, code=entry.code).exclude(pk=entry.pk).exists():
        raise _field_error("code", CODE_TAKEN, code=entry.code, list=CodeList(entry.list).label)


def _save_code(actor, entry, **kwargs):
    _check_code(entry)
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry._history_user = actor
    entry.save(**kwargs)
    return entry


@transaction.atomic
def code_add(*, actor, code_list, code, name, name_en="", group="", position=0, active=True):
    """Add a code to a list; the Board only."""
    policy.require(actor, policy.MANAGE_CODES)
    entry = Code(list=code_list, code=code, name=name, name_en=name_en, group=group, position=position, active=active)
    return _save_code(actor, entry)


@transaction.atomic
def code_update(*, actor, entry, **values):
    """Rename, regroup, reorder, deactivate or reactivate a code (`values`: the fields to set, `code` among
    them); the Board only. The code itself changes only while no record uses it: imports and the API name codes,
    so a used one keeps its spelling."""
    policy.require(actor, policy.MANAGE_CODES)
    entry = Code.objects.select_for_update().get(pk=entry.pk)
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    if not changed:
        return entry
    if "code" in changed:
        count = record_selectors.code_usage(entry.list).get(entry.pk, 0)
        if count:
            raise _field_error("code", CODE_USED, code=entry.code, count=count)
    for name in changed:
        setattr(entry, name, values[name])
    return _save_code(actor, entry, update_fields=changed)


# --- government and community posts -----------------------------------------------------------------------------


@transaction.atomic
def government_post_add(*, actor, member, kind, organization, start, end=None, place=""):
    """Record a post the member holds, serving an organization the actor may change at the post's start; the
    member must be on the rolls of that organization's subtree at some point of the post, as for a seat."""
    if not Code.objects.filter(pk=kind.pk, list=CodeList.POST, active=True).exists():
        raise ValidationError({"kind": NOT_A_POST})
    if start < organization.valid_from:
        raise _field_error("start", POST_BEFORE_ORGANIZATION, date=_day(organization.valid_from))
    scoping.require_access(actor, organization.pk, start, write=True)
    if end is not None and end < start:
        raise _field_error("end", END_BEFORE_START, date=_day(start))
    if not member_under_during(member, organization.pk, start, end):
        shown_end = _day(end) if end else _("today")
        raise _field_error("organization", POST_NOT_UNDER, start=_day(start), end=shown_end, org=organization.name)
    if GovernmentPost.objects.filter(member=member, kind=kind, start=start).exists():
        raise _field_error("start", POST_HELD, date=_day(start))
    closed_years.require_open(start, until=end, field="start")
    post = GovernmentPost(member=member, kind=kind, organization=organization, place=place, start=start, end=end)
    post.full_clean()
    post._history_user = actor
    post.save()
    return post


@transaction.atomic
def government_post_end(*, actor, post, end):
    """End an open post on `end` (its last day): the actor must be able to change the organization it serves on
    that day (or on the organization's last day, when it has ended), and every year end from then on must be
    open (the post leaves the secretaries' figures)."""
    post = GovernmentPost.objects.select_for_update().select_related("organization").get(pk=post.pk)
    valid_to = post.organization.valid_to
    scoping.require_access(actor, post.organization_id, min(end, valid_to) if valid_to else end, write=True)
    _check_end(post, post.start, end)
    closed_years.require_open(end, field="end")
    post.end = end
    post._history_user = actor
    post.save(update_fields=["end"])
    return post


# --- attendance at cell meetings ---------------------------------------------------------------------------------


def _check_quarter(organization, year, quarter):
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": QUARTER_RANGE})
    if organization.kind != OrgKind.CELL:
        raise ValidationError(NOT_A_CELL)
    first, _last = record_selectors.quarter_dates(year, quarter)
    if first > timezone.localdate():
        raise ValidationError(QUARTER_AHEAD, params={"quarter": quarter, "year": year})


def _check_entry(member, held, attended, assigned):
    name = member.full_name
    if member.pk not in assigned:
        raise ValidationError(NOT_ASSIGNED, params={"name": name})
    if (held is None) != (attended is None):
        raise ValidationError(ATTENDANCE_INCOMPLETE, params={"name": name})
    if held is not None and attended > held:
        raise ValidationError(ATTENDED_ABOVE_HELD, params={"name": name, "held": held, "attended": attended})


def _write_attendance(actor, row, held, attended):
    """Create, change or (both values blank) delete one row; returns whether anything was written."""
    if held is None:
        if row.pk is None:
            return False
        row._history_user = actor
        row.delete()
        return True
    if row.pk is not None and (row.meetings_held, row.meetings_attended) == (held, attended):
        return False
    row.meetings_held, row.meetings_attended = held, attended
    row._history_user = actor
    row.save(**({"update_fields": ["meetings_held", "meetings_attended"]} if row.pk else {}))
    return True


@transaction.atomic
def attendance_save(*, actor, placement, year, quarter, entries):
    """Record, for a cell and a quarter, the meetings held and attended by each committee member assigned to it:
    `entries` is [(member, held, attended)], both None to clear a member's row. All or nothing: every wrong entry
    is named, and nothing is written while one is wrong. Returns how many rows were written."""
    organization = placement.organization
    _check_quarter(organization, year, quarter)
    _first, last = record_selectors.quarter_dates(year, quarter)
    day = record_selectors.attendance_day(placement, last)
    scoping.require_access(actor, organization.pk, day, write=True)
    # The quarter's figures belong to its year only.
    closed_years.require_open(day, until=day, field="quarter")
    assigned = set(
        record_selectors.assigned_committee_members(placement=placement, year=year, quarter=quarter).values_list(
            "pk", flat=True
        )
    )
    errors = []
    for member, held, attended in entries:
        try:
            _check_entry(member, held, attended, assigned)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    rows = record_selectors.attendance_of(organization_id=organization.pk, year=year, quarter=quarter)
    written = 0
    for member, held, attended in entries:
        row = rows.get(member.pk) or MeetingAttendance(
            organization=organization, year=year, quarter=quarter, member=member
        )
        written += _write_attendance(actor, row, held, attended)
    return written
