"""Every write to members: validated, scoped to the acting user, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.models import Placement
from party_portal import closed_years
from party_portal.text import fold

from .models import (
    ADMISSION_KINDS,
    PROBATIONARY_DISCIPLINE,
    CommitteeSeat,
    Discipline,
    Member,
    Membership,
    MovementEvent,
    MovementKind,
    StatusPeriod,
    TheoryQualification,
    TransferScope,
)
from .rolls import Event, stints_from_events

CARD_IN_USE = _("The party card number %(value)s is already used by another member.")
CITIZEN_ID_IN_USE = _("The citizen ID %(value)s is already used by another member.")
RECORD_IN_USE = _("The party record number %(value)s is already used by another member.")
CARD_ONLY_OFFICIAL = _("Only official members (12 months after admission) hold a party card.")
PROBATIONARY_DISCIPLINE_ONLY = _("A probationary member can only be reprimanded or warned.")
NOT_A_MEMBER_ON = _("On %(date)s the member is not on the rolls of an organization you are responsible for.")
SAME_ORGANIZATION = _("The member already belongs to this organization.")
FUTURE_DATE = _("The date cannot be in the future.")
THEORY_LEVEL_HELD = _("This political theory level is already recorded for the member.")
ARRIVAL_BEFORE_ADMISSION = _("The admission date must not be after the date of arrival in the province.")
SEAT_AFTER_ORGANIZATION = _("The organization ended on %(date)s: a seat on its committee must end by that day.")
SEAT_BEFORE_ORGANIZATION = _("The organization was formed on %(date)s: a seat on its committee cannot start before.")
SEAT_NOT_UNDER = _(
    "Between %(start)s and %(end)s the member was never on the rolls of %(org)s or of a unit under it: "
    "a seat on its committee needs a member of its party organization."
)
SEAT_OVERLAP = _("The member already holds a seat on this committee from %(date)s (%(role)s): end that seat first.")
ALREADY_ENDED = _("This record already ends on %(date)s: it cannot be ended again.")
END_BEFORE_START = _("The end date must not be before the start date (%(date)s).")


def _check_unique(field, value, message, exclude_pk=None):
    if not value:
        return
    clash = Member.objects.filter(**{field: value})
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({field: ValidationError(message, params={"value": value})})


def _validate_identity(member):
    _check_unique("record_number", member.record_number, RECORD_IN_USE, member.pk)
    _check_unique("card_number", member.card_number, CARD_IN_USE, member.pk)
    _check_unique("citizen_id", member.citizen_id, CITIZEN_ID_IN_USE, member.pk)
    member.full_clean(validate_unique=False, validate_constraints=True)


def _save_member(member, *, actor, **kwargs):
    # simple-history finds the user by itself only inside a web request; commands, tasks and imports
    # act too, so every service names its actor on the audit row.
    member._history_user = actor
    try:
        with transaction.atomic():
            member.save(**kwargs)
    except IntegrityError as error:
        # A concurrent writer took the same number between our check and the insert.
        raise ValidationError(_("This card number, citizen ID or record number is already in use.")) from error


def rebuild_memberships(member):
    """Re-derive the member's stints on the rolls from their events; refuse an impossible sequence."""
    events = [
        Event(e.kind, e.date, e.organization_id, e.pk)
        for e in MovementEvent.objects.filter(member=member).order_by("date", "pk")
    ]
    stints = stints_from_events(events)
    Membership.objects.filter(member=member).delete()
    Membership.objects.bulk_create(
        Membership(member=member, organization_id=s.organization_id, start=s.start, end=s.end) for s in stints
    )
    return stints


def _check_not_future(day, field="date"):
    if day > timezone.localdate():
        raise ValidationError({field: FUTURE_DATE})


def _create_member(
    *, actor, organization, day, field, admission_date, event_kind, transfer_scope="", note="", **identity
):
    """The new member and the one event that puts them on `organization`'s rolls on `day`."""
    scoping.require_access(actor, organization.pk, day, write=True)
    _check_not_future(day, field)
    _check_not_future(admission_date, "admission_date")
    closed_years.require_open(day, field=field)
    member = Member(admission_date=admission_date, **identity)
    member.name_folded = fold(member.full_name)
    if member.card_number and not member.is_official_on(timezone.localdate()):
        raise ValidationError({"card_number": CARD_ONLY_OFFICIAL})
    _validate_identity(member)
    _save_member(member, actor=actor)
    event = MovementEvent(
        member=member, kind=event_kind, date=day, organization=organization, transfer_scope=transfer_scope, note=note
    )
    event._history_user = actor
    event.save()
    rebuild_memberships(member)
    return member


@transaction.atomic
def member_admit(*, actor, organization, admission_date, readmission=False, **identity):
    """Admit (or re-admit) a new person into `organization`: creates the member and the admission event."""
    return _create_member(
        actor=actor,
        organization=organization,
        day=admission_date,
        field="admission_date",
        admission_date=admission_date,
        event_kind=MovementKind.READMITTED if readmission else MovementKind.ADMITTED,
        **identity,
    )


@transaction.atomic
def member_arrive(*, actor, organization, arrival_date, admission_date, note="", **identity):
    """Enter a member who transfers in from another province (Biểu 1 "chuyển đến"): their own admission date is
    kept, and the only event in the province is the arrival, so T3 does not count them as an admission."""
    if admission_date > arrival_date:
        raise ValidationError({"admission_date": ARRIVAL_BEFORE_ADMISSION})
    return _create_member(
        actor=actor,
        organization=organization,
        day=arrival_date,
        field="arrival_date",
        admission_date=admission_date,
        event_kind=MovementKind.TRANSFER_IN,
        transfer_scope=TransferScope.OUTSIDE_PROVINCE,
        note=note,
        **identity,
    )


@transaction.atomic
def member_update(*, actor, member, **fields):
    """Change identity fields; the member must be in the actor's writable scope today."""
    require_member_access(actor, member, write=True)
    for name, value in fields.items():
        setattr(member, name, value)
    member.name_folded = fold(member.full_name)
    if member.card_number and not member.is_official_on(timezone.localdate()):
        raise ValidationError({"card_number": CARD_ONLY_OFFICIAL})
    _validate_identity(member)
    _save_member(member, actor=actor, update_fields=[*fields, "name_folded"])
    return member


def require_member_access(actor, member, *, on=None, write=False):
    """The member's organization on `on` (or their last one) must be in the actor's scope."""
    on = on or timezone.localdate()
    stint = member.memberships.filter(start__lte=on).order_by("-start").first()
    if stint is None:
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    # The same refusal as for organizations: a read-only role is told so, not that the member is out of scope.
    scoping.require_access(actor, stint.organization_id, on, write=write)
    return stint


@transaction.atomic
def movement_record(*, actor, member, kind, date, organization, transfer_scope="", note=""):
    """Record one movement (Biểu 1-BTCTW) at `organization`; the rolls are re-derived from all events."""
    scoping.require_access(actor, organization.pk, date, write=True)
    _check_not_future(date)
    closed_years.require_open(date)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    event = MovementEvent(
        member=member,
        kind=kind,
        date=date,
        organization=organization,
        transfer_scope=transfer_scope if kind in (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT) else "",
        note=note,
    )
    event._history_user = actor
    event.save()
    rebuild_memberships(member)
    if kind in ADMISSION_KINDS and date > member.admission_date:
        member.admission_date = date
        member._history_user = actor
        member.save(update_fields=["admission_date"])
    return event


@transaction.atomic
def member_transfer(*, actor, member, to_organization, date, note=""):
    """Move a member between two organizations of the province: a transfer out and a transfer in."""
    stint = member.memberships.filter(start__lte=date).exclude(end__lte=date).first()
    if stint is None:
        raise ValidationError({"date": ValidationError(NOT_A_MEMBER_ON, params={"date": date.strftime("%d/%m/%Y")})})
    if stint.organization_id == to_organization.pk:
        raise ValidationError({"to_organization": SAME_ORGANIZATION})
    movement_record(
        actor=actor,
        member=member,
        kind=MovementKind.TRANSFER_OUT,
        date=date,
        organization=stint.organization,
        transfer_scope=TransferScope.WITHIN_PROVINCE,
        note=note,
    )
    return movement_record(
        actor=actor,
        member=member,
        kind=MovementKind.TRANSFER_IN,
        date=date,
        organization=to_organization,
        transfer_scope=TransferScope.WITHIN_PROVINCE,
        note=note,
    )


@transaction.atomic
def status_period_add(*, actor, member, kind, start, end=None, host_organization=None, reason=""):
    """Record an exemption, suspension or temporary activity elsewhere for a member in scope."""
    require_member_access(actor, member, on=start, write=True)
    closed_years.require_open(start, until=end, field="start")
    period = StatusPeriod(
        member=member,
        kind=kind,
        start=start,
        end=end,
        host_organization=host_organization,
        reason=reason,
    )
    period.full_clean()
    period._history_user = actor
    period.save()
    return period


@transaction.atomic
def theory_level_add(*, actor, member, level, obtained_on):
    """Record a political theory level obtained on a date."""
    require_member_access(actor, member, write=True)
    closed_years.require_open(obtained_on, field="obtained_on")
    if TheoryQualification.objects.filter(member=member, level=level).exists():
        raise ValidationError({"level": THEORY_LEVEL_HELD})
    qualification = TheoryQualification(member=member, level=level, obtained_on=obtained_on)
    qualification._history_user = actor
    qualification.save()
    return qualification


@transaction.atomic
def discipline_add(*, actor, member, kind, decided_on, reason=""):
    """Record a discipline; probationary members can only be reprimanded or warned (Party Charter art. 35)."""
    require_member_access(actor, member, on=decided_on, write=True)
    # A discipline weighs on the rating of its own year only (evaluations.rules).
    closed_years.require_open(decided_on, until=decided_on, field="decided_on")
    if not member.is_official_on(decided_on) and kind not in PROBATIONARY_DISCIPLINE:
        raise ValidationError({"kind": PROBATIONARY_DISCIPLINE_ONLY})
    discipline = Discipline(member=member, kind=kind, decided_on=decided_on, reason=reason)
    discipline._history_user = actor
    discipline.save()
    return discipline


def _day(value):
    return value.strftime("%d/%m/%Y")


def _field_error(field, message, **params):
    return ValidationError({field: ValidationError(message, params=params)})


def member_under_during(member, organization_id, start, end):
    """Whether the member was on the rolls of the organization or of a unit under it (as the tree then stood)
    on some day from `start` to `end` (open-ended: to today, or to `start` when it lies ahead)."""
    last = end or max(start, timezone.localdate())
    condition = Q()
    for stint in member.memberships.all():
        # A stint covers [start, end): the member is off the rolls on its end day.
        if stint.start > last or (stint.end is not None and stint.end <= start):
            continue
        low = max(stint.start, start)
        covers = Q(organization_id=stint.organization_id, valid_from__lte=last)
        covers &= Q(valid_to__isnull=True) | Q(valid_to__gte=low)
        if stint.end is not None:
            covers &= Q(valid_from__lt=stint.end)
        condition |= covers
    if not condition:
        return False
    return Placement.objects.filter(condition, path__contains=f"/{organization_id}/").exists()


def _check_formed(organization, start):
    if start < organization.valid_from:
        raise _field_error("start", SEAT_BEFORE_ORGANIZATION, date=_day(organization.valid_from))


def check_seat(*, member, organization, start, end):
    """The rules of a seat that need no actor: the organization's dates, the member in its party organization
    during the seat, and no second seat of the member on the same committee at once."""
    _check_formed(organization, start)
    if organization.valid_to is not None and (end is None or end > organization.valid_to):
        raise _field_error("end", SEAT_AFTER_ORGANIZATION, date=_day(organization.valid_to))
    if end is not None and end < start:
        raise _field_error("end", END_BEFORE_START, date=_day(start))
    if not member_under_during(member, organization.pk, start, end):
        shown_end = _day(end) if end else _("today")
        raise _field_error("organization", SEAT_NOT_UNDER, start=_day(start), end=shown_end, org=organization.name)
    overlapping = CommitteeSeat.objects.filter(member=member, organization=organization).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    clash = overlapping.order_by("start").first()
    if clash is not None:
        raise _field_error("start", SEAT_OVERLAP, date=_day(clash.start), role=clash.get_role_display())


@transaction.atomic
def committee_seat_add(*, actor, member, organization, role, start, end=None):
    """Give a member a seat on the committee of an organization the actor may change at the seat's start, for a
    term; the member must be on the rolls of that organization's subtree at some point of the term."""
    # Before the scope: on a day the organization did not exist, the scope would only say it is out of reach.
    _check_formed(organization, start)
    scoping.require_access(actor, organization.pk, start, write=True)
    check_seat(member=member, organization=organization, start=start, end=end)
    closed_years.require_open(start, until=end, field="start")
    seat = CommitteeSeat(member=member, organization=organization, role=role, start=start, end=end)
    seat.full_clean()
    seat._history_user = actor
    seat.save()
    return seat


def _check_end(record, start, end):
    if record.end is not None:
        raise _field_error("end", ALREADY_ENDED, date=_day(record.end))
    if end < start:
        raise _field_error("end", END_BEFORE_START, date=_day(start))


@transaction.atomic
def committee_seat_end(*, actor, seat, end):
    """End an open seat on `end` (its last day): the actor must be able to change the committee on that day, and
    every year end from then on must be open (the seat leaves their T4 counts)."""
    seat = CommitteeSeat.objects.select_for_update().select_related("organization").get(pk=seat.pk)
    organization = seat.organization
    if organization.valid_to is not None and end > organization.valid_to:
        raise _field_error("end", SEAT_AFTER_ORGANIZATION, date=_day(organization.valid_to))
    scoping.require_access(actor, seat.organization_id, end, write=True)
    _check_end(seat, seat.start, end)
    closed_years.require_open(end, field="end")
    seat.end = end
    seat._history_user = actor
    seat.save(update_fields=["end"])
    return seat


@transaction.atomic
def status_period_end(*, actor, period, end):
    """End an open exemption, suspension or temporary activity on `end` (its last day), for a member in scope
    on that day; every year end from then on must be open (the status counts when in force on 31/12)."""
    period = StatusPeriod.objects.select_for_update().select_related("member").get(pk=period.pk)
    require_member_access(actor, period.member, on=end, write=True)
    _check_end(period, period.start, end)
    closed_years.require_open(end, field="end")
    period.end = end
    period._history_user = actor
    period.save(update_fields=["end"])
    return period


def memberships_rebuild_many(*, member_ids):
    """Re-derive the stints of many members, one transaction per member; returns how many changed.

    Used after bulk loads and repairs: the stints are a cache of the events and can always be rebuilt.
    """
    changed = 0
    for member in Member.objects.filter(pk__in=member_ids).order_by("pk"):
        with transaction.atomic():
            before = sorted(member.memberships.values_list("organization_id", "start", "end"))
            after = sorted((s.organization_id, s.start, s.end) for s in rebuild_memberships(member))
            changed += before != after
    return changed
