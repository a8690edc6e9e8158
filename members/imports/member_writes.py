"""The bulk writes of a checked members file: the rows member_admit / member_update / theory_level_add would write,
in batches, with their audit rows."""

from unicodedata import normalize

from members.models import CODED_FIELDS, Member, Membership, MovementEvent, TheoryQualification
from members.rolls import Event, stints_from_events
from party_portal.imports.bulk import WRITE_BATCH, reserve_ids
from party_portal.text import fold

# The identity fields a members file may change on an existing member (member_update's fields).
IDENTITY = ("full_name", "gender", "date_of_birth", "ethnicity", "religion", "card_number", "citizen_id")
# The coded records (foreign keys to members.Code, held on a checked row as the code's id) and the youth union flag.
CODED = CODED_FIELDS
RECORDS = (*CODED, "youth_union_at_admission")


def record_values(row):
    """The coded records of a checked row, as Member attributes."""
    return {f"{name}_id": getattr(row, name) for name in CODED} | {
        "youth_union_at_admission": row.youth_union_at_admission
    }


# The columns COPY writes, every column of each table (tests/imports/test_member_copy.py holds them to the models).
MEMBER_FIELDS = (
    "id",
    "full_name",
    "name_folded",
    "gender",
    "date_of_birth",
    "ethnicity",
    "religion",
    "record_number",
    "card_number",
    "citizen_id",
    "admission_date",
    *(f"{name}_id" for name in CODED),
    "youth_union_at_admission",
)
EVENT_FIELDS = ("id", "member_id", "kind", "date", "organization_id", "transfer_scope", "note")
STINT_FIELDS = ("member_id", "organization_id", "start", "end")
THEORY_FIELDS = ("id", "member_id", "level", "obtained_on")


def copy_new(batch, writer, written):
    """New members as write_new writes them, from plain tuples with COPY (PostgreSQL): ids come from the sequences,
    and a new member's single admission is one stint from its day, open-ended (stints_from_events of one event)."""
    ethnicity_default = Member._meta.get_field("ethnicity").default
    rows = list(zip(reserve_ids(Member, len(batch)), batch, strict=True))
    theory = [(member_id, r) for member_id, r in rows if r.new_theory]
    writer.write(
        Member,
        MEMBER_FIELDS,
        [
            (
                member_id,
                normalize("NFC", r.full_name),
                fold(r.full_name),
                r.gender,
                r.date_of_birth,
                normalize("NFC", r.ethnicity or ethnicity_default),
                normalize("NFC", r.religion),
                r.record_number,
                r.card_number or None,
                r.citizen_id or None,
                r.admission_date,
                *(getattr(r, name) for name in CODED),
                r.youth_union_at_admission,
            )
            for member_id, r in rows
        ],
    )
    writer.write(
        MovementEvent,
        EVENT_FIELDS,
        [
            (pk, member_id, r.admission_kind, r.admission_date, r.org_id, "", "")
            for pk, (member_id, r) in zip(reserve_ids(MovementEvent, len(rows)), rows, strict=True)
        ],
    )
    writer.write(Membership, STINT_FIELDS, [(member_id, r.org_id, r.admission_date, None) for member_id, r in rows])
    writer.write(
        TheoryQualification,
        THEORY_FIELDS,
        [
            (pk, member_id, r.theory_level, r.theory_obtained_on)
            for pk, (member_id, r) in zip(reserve_ids(TheoryQualification, len(theory)), theory, strict=True)
        ],
    )
    written["members"] += len(batch)
    written["movements"] += len(batch)
    written["memberships"] += len(batch)
    written["theory_levels"] += len(theory)


def write_new(batch, audit, written):
    """New members with what member_admit writes beside them: the admission event, the stint, the theory level
    (bulk_create: the path where COPY is not available)."""
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
            **record_values(r),
        )
        for r in batch
    ]
    Member.objects.bulk_create(members, batch_size=WRITE_BATCH)
    events = [
        MovementEvent(member=m, kind=r.admission_kind, date=r.admission_date, organization_id=r.org_id)
        for r, m in zip(batch, members, strict=True)
    ]
    MovementEvent.objects.bulk_create(events, batch_size=WRITE_BATCH)
    stints = [
        Membership(member=e.member, organization_id=s.organization_id, start=s.start, end=s.end)
        for e in events
        for s in stints_from_events([Event(e.kind, e.date, e.organization_id, e.pk)])
    ]
    Membership.objects.bulk_create(stints, batch_size=WRITE_BATCH)
    theory = [
        TheoryQualification(member=m, level=r.theory_level, obtained_on=r.theory_obtained_on)
        for r, m in zip(batch, members, strict=True)
        if r.new_theory
    ]
    TheoryQualification.objects.bulk_create(theory, batch_size=WRITE_BATCH)
    for model, objects in ((Member, members), (MovementEvent, events), (TheoryQualification, theory)):
        audit.copy(model, [obj.pk for obj in objects], "+")
    written["members"] += len(members)
    written["movements"] += len(events)
    written["memberships"] += len(stints)
    written["theory_levels"] += len(theory)


def write_changes(batch, audit, written):
    """Identity and coded-record changes and new or re-dated theory levels of existing members (member_update,
    theory_level_add)."""
    members = Member.objects.in_bulk([r.member_id for r in batch])
    dirty = []
    for row in batch:
        member = members[row.member_id]
        records = record_values(row)
        before = [getattr(member, name) for name in (*IDENTITY, *records)]
        for name in IDENTITY:
            setattr(member, name, getattr(row, name) or (None if name in ("card_number", "citizen_id") else ""))
        for name, value in records.items():
            setattr(member, name, value)
        member.name_folded = fold(member.full_name)
        if [getattr(member, name) for name in (*IDENTITY, *records)] != before:
            dirty.append(member)
    Member.objects.bulk_update(dirty, [*IDENTITY, *RECORDS, "name_folded"], batch_size=WRITE_BATCH)
    added = [
        TheoryQualification(member_id=r.member_id, level=r.theory_level, obtained_on=r.theory_obtained_on)
        for r in batch
        if r.new_theory
    ]
    TheoryQualification.objects.bulk_create(added, batch_size=WRITE_BATCH)
    redated = TheoryQualification.objects.in_bulk([r.theory_id for r in batch if r.theory_id])
    for row in batch:
        if row.theory_id:
            redated[row.theory_id].obtained_on = row.theory_obtained_on
    TheoryQualification.objects.bulk_update(list(redated.values()), ["obtained_on"], batch_size=WRITE_BATCH)
    audit.copy(Member, [m.pk for m in dirty], "~")
    audit.copy(TheoryQualification, [t.pk for t in added], "+")
    audit.copy(TheoryQualification, list(redated), "~")
    written["members_changed"] += len(dirty)
    written["theory_levels"] += len(added) + len(redated)
