"""The bulk writes of a checked movements file: the rows movement_record / member_transfer / member_arrive would
write, in batches, with their audit rows; then the touched members' stints re-derived in bulk."""

from members.models import ADMISSION_KINDS, Member, Membership, MovementEvent
from members.rolls import Event, stints_from_events
from party_portal.imports.bulk import LOOKUP_BATCH, WRITE_BATCH, batches
from party_portal.text import fold


def write_arrivals(rows, audit):
    """The members who arrive from another province and are new to the portal; sets each row's member_id."""
    members = [
        Member(
            full_name=r.full_name,
            name_folded=fold(r.full_name),
            gender=r.gender,
            date_of_birth=r.date_of_birth,
            ethnicity=r.ethnicity or Member._meta.get_field("ethnicity").default,
            religion=r.religion,
            record_number=r.record_number,
            card_number=r.card_number or None,
            citizen_id=r.citizen_id or None,
            admission_date=r.admission_date,
        )
        for r in rows
    ]
    Member.objects.bulk_create(members, batch_size=WRITE_BATCH)
    audit.copy(Member, [m.pk for m in members], "+")
    return {r.record_number: m.pk for r, m in zip(rows, members, strict=True)}


def write_events(rows, member_ids, audit):
    """Every row's events, in file order within a day (the order stints_from_events breaks ties with)."""
    events = [
        MovementEvent(
            member_id=member_ids[row.record_number],
            kind=kind,
            date=day,
            organization_id=org_id,
            transfer_scope=scope,
            note=row.note,
        )
        for row in rows
        for kind, day, org_id, scope in row.events
    ]
    MovementEvent.objects.bulk_create(events, batch_size=WRITE_BATCH)
    audit.copy(MovementEvent, [e.pk for e in events], "+")
    return len(events)


def move_admission_dates(rows, member_ids, audit):
    """A re-admission later than the member's admission date becomes it, as movement_record does."""
    latest = {}
    for row in rows:
        for kind, day, _org, _scope in row.events:
            if kind in ADMISSION_KINDS:
                member_id = member_ids[row.record_number]
                latest[member_id] = max(day, latest.get(member_id, day))
    changed = []
    for batch in batches(list(latest), LOOKUP_BATCH):
        for member in Member.objects.filter(pk__in=batch).only("pk", "admission_date"):
            if latest[member.pk] > member.admission_date:
                member.admission_date = latest[member.pk]
                changed.append(member)
    Member.objects.bulk_update(changed, ["admission_date"], batch_size=WRITE_BATCH)
    audit.copy(Member, [m.pk for m in changed], "~")
    return len(changed)


def memberships_rebuild_bulk(member_ids):
    """Re-derive the stints of many members from their events, a batch of members per query (the per-member
    rebuild costs three queries a member); an impossible sequence raises and the import writes nothing."""
    written = 0
    for batch in batches(sorted(member_ids), LOOKUP_BATCH):
        events = {}
        rows = (
            MovementEvent.objects.filter(member_id__in=batch)
            .order_by("member_id", "date", "pk")
            .values_list("member_id", "kind", "date", "organization_id", "pk")
        )
        for member_id, kind, day, org_id, pk in rows:
            events.setdefault(member_id, []).append(Event(kind, day, org_id, pk))
        stints = [
            Membership(member_id=member_id, organization_id=s.organization_id, start=s.start, end=s.end)
            for member_id, member_events in events.items()
            for s in stints_from_events(member_events)
        ]
        Membership.objects.filter(member_id__in=batch).delete()
        Membership.objects.bulk_create(stints, batch_size=WRITE_BATCH)
        written += len(stints)
    return written
