"""The members file: new members with their admission and theory level, identity changes of existing ones.

Checked in memory with a constant number of queries per 10,000 rows, then written with bulk_create in batches:
the rows member_admit / member_update / theory_level_add would write (Member, the ADMITTED or READMITTED
MovementEvent, the Membership stint derived by stints_from_events, TheoryQualification), with their audit rows
written explicitly (bulk_create sends no signal to simple-history). Measured on 20,000 rows (DESIGN §4):
django-import-export's own loop 80 s by default and 7.5 s with its bulk settings, plain bulk_create 1.9 s.
"""

import json
import re
from collections import defaultdict
from datetime import date
from itertools import islice

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import (
    ADMISSION_KINDS,
    CARD_NUMBER_RE,
    CITIZEN_ID_RE,
    RECORD_NUMBER_RE,
    Gender,
    Member,
    Membership,
    MovementEvent,
    MovementKind,
    TheoryLevel,
    TheoryQualification,
)
from members.resources import MemberResource
from members.rolls import Event, stints_from_events
from members.services import CARD_IN_USE, CARD_ONLY_OFFICIAL, CITIZEN_ID_IN_USE, FUTURE_DATE
from organizations.models import Organization
from organizations.resources import REQUIRED, TOO_LONG
from party_portal.doors import current_door
from party_portal.text import fold

from .reading import clean_row
from .report import NEW, UNCHANGED, UPDATED, Report, change_text
from .scope import NOT_ON_DATE, ScopeIndex

ALREADY_IN_FILE = _("%(value)s is already on row %(row)s of this file.")
ADMISSION_DIFFERS = _(
    "The portal records this member's admission on %(date)s at %(org)s; an admission is changed through the "
    "member's movements, not by import."
)
THEORY_DATE_REQUIRED = _("Give the date the political theory level was obtained.")
THEORY_LEVEL_REQUIRED = _("A date is given but no political theory level.")
CARD_OF_ANOTHER = _("The party card number %(value)s belongs to the member with the record number %(record)s.")

# Rows per bulk_create round trip and per lookup query. 2,000 members with their event, stint, theory level and
# audit rows take about 0.6 s on PostgreSQL; SQLite caps a statement at 999 variables, Django splits further.
WRITE_BATCH = 2000
LOOKUP_BATCH = 900 if connection.vendor == "sqlite" else 10000
IDENTITY = ("full_name", "gender", "date_of_birth", "ethnicity", "religion", "card_number", "citizen_id")
# The model's check constraints, tested in Python before the insert so that a bad row is named, not the batch.
FORMATS = (
    ("record_number", re.compile(RECORD_NUMBER_RE), "member_record_number_format"),
    ("card_number", re.compile(CARD_NUMBER_RE), "member_card_format"),
    ("citizen_id", re.compile(CITIZEN_ID_RE), "member_citizen_id_format"),
)
# Optional identity cells left empty keep what the portal has (clearing a number is done on the member's page).
KEEP_WHEN_EMPTY = ("ethnicity", "religion", "card_number", "citizen_id")


def _constraint_message(name):
    constraint = next(c for c in Member._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


def _batches(items, size):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


class MemberRow:
    """One checked row, compact: a file of 100,000 rows is held in memory between the check and the writes."""

    __slots__ = (
        "admission_date",
        "admission_kind",
        "card_number",
        "changes",
        "citizen_id",
        "date_of_birth",
        "errors",
        "ethnicity",
        "full_name",
        "gender",
        "member_id",
        "new_theory",
        "number",
        "org_code",
        "org_id",
        "record_number",
        "religion",
        "theory_id",
        "theory_level",
        "theory_obtained_on",
    )

    def __init__(self, number, values, errors):
        self.number = number
        self.errors = errors
        self.record_number = re.sub(r"\s", "", values["record_number"] or "").upper()
        self.card_number = values["card_number"] or ""
        self.citizen_id = values["citizen_id"] or ""
        self.full_name = values["full_name"] or ""
        self.gender = values["gender"] or ""
        self.date_of_birth = values["date_of_birth"]
        self.ethnicity = values["ethnicity"] or ""
        self.religion = values["religion"] or ""
        self.org_code = values["organization_code"] or ""
        self.admission_date = values["admission_date"]
        self.admission_kind = values["admission_kind"] or MovementKind.ADMITTED
        level = values["theory_level"]
        self.theory_level = None if level in ("", None) else int(level)
        self.theory_obtained_on = values["theory_obtained_on"]
        self.member_id = None
        self.org_id = None
        self.theory_id = None
        self.changes = []
        self.new_theory = False

    # What the writes need of a checked row, in this order, when the plan is kept between the check and the import.
    PLAN_FIELDS = (
        "number",
        "record_number",
        "card_number",
        "citizen_id",
        "full_name",
        "gender",
        "date_of_birth",
        "ethnicity",
        "religion",
        "org_id",
        "admission_date",
        "admission_kind",
        "theory_level",
        "theory_obtained_on",
        "member_id",
        "theory_id",
        "new_theory",
        "changes",
    )
    DATES = ("date_of_birth", "admission_date", "theory_obtained_on")

    def dump(self):
        values = [getattr(self, name) for name in self.PLAN_FIELDS]
        return [v.toordinal() if isinstance(v, date) else v for v in values]

    @classmethod
    def load(cls, values):
        row = cls.__new__(cls)
        for name, value in zip(cls.PLAN_FIELDS, values, strict=True):
            setattr(row, name, date.fromordinal(value) if name in cls.DATES and value is not None else value)
        row.errors = []
        return row

    def official_today(self, today):
        # Member.official_from needs only admission_date: the same 12-month rule as member_admit.
        return self.admission_date is not None and today >= Member.official_from.fget(self)


class MemberImporter:
    resource = MemberResource
    inline_rows = 2000

    def __init__(self, *, actor, **_scope):
        self.actor = actor
        self.today = timezone.localdate()

    # --- check

    def check(self, sheet, progress):
        report = Report()
        rows = self._rows(sheet, progress)
        for row in rows:
            key = row.record_number or row.card_number
            outcome = NEW if row.member_id is None else UPDATED if row.changes else UNCHANGED
            detail = self._admission_text(row) if outcome == NEW and not row.errors else "; ".join(row.changes)
            report.add(row.number, outcome, key, row.full_name, detail, row.errors)
        report.plan = rows
        return report

    def _rows(self, sheet, progress):
        self.sheet = sheet
        self.header = {column.attribute: sheet.header(column) for column in sheet.columns}
        rows = []
        for number, cells in sheet.rows:
            cleaned = clean_row(sheet, number, cells)
            rows.append(MemberRow(number, cleaned.values, cleaned.errors))
            if len(rows) % 5000 == 0:
                progress(len(rows), sheet.total, phase="reading")
        progress(len(rows), sheet.total, phase="checking")
        for row in rows:
            self._check_formats(row)
        self._check_duplicates(rows)
        self._resolve(rows)
        progress(sheet.total, sheet.total, phase="checking")
        return rows

    def _error(self, row, attribute, message):
        row.errors.append((self.header[attribute], str(message)))

    def _check_formats(self, row):
        for attribute, pattern, constraint in FORMATS:
            value = getattr(row, attribute)
            if value and not pattern.match(value):
                self._error(row, attribute, _constraint_message(constraint))
        for attribute in ("full_name", "ethnicity", "religion"):
            limit = Member._meta.get_field(attribute).max_length
            if len(getattr(row, attribute)) > limit:
                self._error(row, attribute, TOO_LONG % {"max": limit})
        if row.admission_date and row.date_of_birth and row.admission_date <= row.date_of_birth:
            self._error(row, "admission_date", _constraint_message("member_admitted_after_birth"))
        if row.admission_date and row.admission_date > self.today:
            self._error(row, "admission_date", FUTURE_DATE)
        if row.theory_level and not row.theory_obtained_on:
            self._error(row, "theory_obtained_on", THEORY_DATE_REQUIRED)
        if row.theory_level is None and row.theory_obtained_on:
            self._error(row, "theory_level", THEORY_LEVEL_REQUIRED)

    def _check_duplicates(self, rows):
        for attribute in ("record_number", "card_number", "citizen_id"):
            seen = {}
            for row in rows:
                value = getattr(row, attribute)
                if not value:
                    continue
                if value in seen:
                    self._error(row, attribute, ALREADY_IN_FILE % {"value": value, "row": seen[value]})
                else:
                    seen[value] = row.number

    def _lookup(self, field, values, columns):
        found = {}
        for batch in _batches(sorted(values), LOOKUP_BATCH):
            for record in Member.objects.filter(**{f"{field}__in": batch}).values(field, *columns):
                found[record[field]] = record
        return found

    def _resolve(self, rows):
        """Match rows to existing members and organizations, and judge each row against the database."""
        columns = ("id", "record_number", *IDENTITY, "admission_date")
        by_record = self._lookup("record_number", {r.record_number for r in rows if r.record_number}, columns)
        by_card = self._lookup("card_number", {r.card_number for r in rows if r.card_number}, columns)
        by_citizen = self._lookup("citizen_id", {r.citizen_id for r in rows if r.citizen_id}, ("id", "record_number"))
        existing = {}
        for row in rows:
            record = by_record.get(row.record_number)
            if record is None and not row.record_number and row.card_number in by_card:
                # A row without a record number is matched on the party card.
                record = by_card[row.card_number]
                row.record_number = record["record_number"]
            if record is not None:
                row.member_id = record["id"]
                existing[record["id"]] = record
        ids = list(existing)
        admissions = self._admissions(ids)
        current_org = self._current_organizations(ids)
        theory = self._theory_levels(ids)
        codes = {r.org_code for r in rows if r.org_code}
        organizations = defaultdict(list)
        for org_id, code, start, end in Organization.objects.filter(code__in=codes).values_list(
            "id", "code", "valid_from", "valid_to"
        ):
            organizations[code].append((start, end, org_id))
        code_of = dict(
            Organization.objects.filter(
                pk__in={org for org, _day, _kind in admissions.values()} | set(current_org.values())
            ).values_list("id", "code")
        )
        scope = ScopeIndex(
            self.actor,
            {org for spans in organizations.values() for _s, _e, org in spans} | set(current_org.values()),
        )
        for row in rows:
            if not row.record_number:
                self._error(row, "record_number", REQUIRED)
            self._check_numbers(row, by_card, by_citizen)
            if row.member_id is None:
                self._check_new(row, organizations, scope)
            else:
                self._check_existing(row, existing[row.member_id], admissions, current_org, code_of, scope, theory)

    def _check_numbers(self, row, by_card, by_citizen):
        card = by_card.get(row.card_number) if row.card_number else None
        if card is not None and card["id"] != row.member_id:
            if row.member_id is None:
                self._error(row, "card_number", CARD_IN_USE % {"value": row.card_number})
            else:
                message = CARD_OF_ANOTHER % {"value": row.card_number, "record": card["record_number"]}
                self._error(row, "card_number", message)
        citizen = by_citizen.get(row.citizen_id) if row.citizen_id else None
        if citizen is not None and citizen["id"] != row.member_id:
            self._error(row, "citizen_id", CITIZEN_ID_IN_USE % {"value": row.citizen_id})

    def _check_new(self, row, organizations, scope):
        if row.card_number and row.admission_date and not row.official_today(self.today):
            self._error(row, "card_number", CARD_ONLY_OFFICIAL)
        if not row.org_code or row.admission_date is None:
            return
        day = row.admission_date
        row.org_id = next(
            (
                org
                for start, end, org in organizations.get(row.org_code, ())
                if start <= day and (end is None or day <= end)
            ),
            None,
        )
        if row.org_id is None:
            self._error(row, "organization_code", NOT_ON_DATE % {"code": row.org_code, "date": f"{day:%d/%m/%Y}"})
            return
        refusal = scope.refusal(row.org_id, day)
        if refusal:
            self._error(row, "organization_code", refusal)
        if row.theory_level:
            row.new_theory = True

    def _check_existing(self, row, record, admissions, current_org, code_of, scope, theory):
        # Rows of members outside the actor's subtree are refused even when nothing would change.
        refusal = scope.refusal(current_org.get(row.member_id), self.today)
        if refusal:
            self._error(row, "record_number", refusal)
            return
        admitted_at, _day, _kind = admissions.get(row.member_id, (None, record["admission_date"], None))
        if (row.admission_date and row.admission_date != record["admission_date"]) or (
            row.org_code and admitted_at and row.org_code != code_of.get(admitted_at)
        ):
            message = ADMISSION_DIFFERS % {
                "date": f"{record['admission_date']:%d/%m/%Y}",
                "org": code_of.get(admitted_at, "—"),
            }
            self._error(row, "admission_date", message)
            return
        for attribute in IDENTITY:
            new = getattr(row, attribute)
            old = record[attribute] or ""
            if attribute in KEEP_WHEN_EMPTY and not new:
                setattr(row, attribute, old)
                continue
            if new != old:
                row.changes.append(
                    change_text(self.header[attribute], _display(attribute, old), _display(attribute, new))
                )
        if row.card_number and row.card_number != (record["card_number"] or "") and not row.official_today(self.today):
            self._error(row, "card_number", CARD_ONLY_OFFICIAL)
        if row.theory_level:
            held = theory.get(row.member_id, {}).get(row.theory_level)
            if held is None:
                row.new_theory = True
                row.changes.append(self._theory_change("—", row))
            elif held[1] != row.theory_obtained_on:
                row.theory_id = held[0]
                row.changes.append(self._theory_change(f"{held[1]:%d/%m/%Y}", row))

    def _admission_text(self, row):
        """What a new member's row records: the admission, where, and the theory level."""
        parts = [f"{MovementKind(row.admission_kind).label} {row.admission_date:%d/%m/%Y} · {row.org_code}"]
        if row.theory_level:
            parts.append(f"{TheoryLevel(row.theory_level).label} {row.theory_obtained_on:%d/%m/%Y}")
        return " · ".join(parts)

    def _theory_change(self, old, row):
        label = f"{TheoryLevel(row.theory_level).label} {row.theory_obtained_on:%d/%m/%Y}"
        return change_text(self.header["theory_level"], old, label)

    def _admissions(self, ids):
        """Each member's latest admission or re-admission: organization, date, kind."""
        found = {}
        for batch in _batches(ids, LOOKUP_BATCH):
            events = (
                MovementEvent.objects.filter(member_id__in=batch, kind__in=ADMISSION_KINDS)
                .order_by("member_id", "date", "pk")
                .values_list("member_id", "organization_id", "date", "kind")
            )
            for member_id, org_id, day, kind in events:
                found[member_id] = (org_id, day, kind)
        return found

    def _current_organizations(self, ids):
        """The organization of each member's latest stint started by today (require_member_access's rule)."""
        found = {}
        for batch in _batches(ids, LOOKUP_BATCH):
            stints = (
                Membership.objects.filter(member_id__in=batch, start__lte=self.today)
                .order_by("member_id", "start")
                .values_list("member_id", "organization_id")
            )
            found.update(dict(stints))
        return found

    def _theory_levels(self, ids):
        found = defaultdict(dict)
        for batch in _batches(ids, LOOKUP_BATCH):
            for pk, member_id, level, day in TheoryQualification.objects.filter(member_id__in=batch).values_list(
                "id", "member_id", "level", "obtained_on"
            ):
                found[member_id][level] = (pk, day)
        return found

    # --- the plan kept between the check and the import

    def dump_plan(self, report):
        """The rows that write (new or changed), as JSON: the import reuses them when the portal has not changed."""
        return json.dumps([r.dump() for r in report.plan if r.member_id is None or r.changes]).encode()

    def load_plan(self, data):
        return [MemberRow.load(values) for values in json.loads(data)]

    # --- write

    def write(self, report, progress):
        rows = report.plan
        new = [r for r in rows if r.member_id is None]
        changed = [r for r in rows if r.member_id is not None and r.changes]
        audit = AuditCopy(self.actor)
        written = defaultdict(int)
        done = 0
        for batch in _batches(new, WRITE_BATCH):
            self._write_new(batch, audit, written)
            done += len(batch)
            progress(done, len(new) + len(changed), phase="writing")
        for batch in _batches(changed, WRITE_BATCH):
            self._write_changes(batch, audit, written)
            done += len(batch)
            progress(done, len(new) + len(changed), phase="writing")
        report.written = dict(written)
        return report

    def _write_new(self, batch, audit, written):
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

    def _write_changes(self, batch, audit, written):
        members = Member.objects.in_bulk([r.member_id for r in batch])
        dirty = []
        for row in batch:
            member = members[row.member_id]
            before = [getattr(member, name) for name in IDENTITY]
            for name in IDENTITY:
                setattr(member, name, getattr(row, name) or (None if name in ("card_number", "citizen_id") else ""))
            member.name_folded = fold(member.full_name)
            if [getattr(member, name) for name in IDENTITY] != before:
                dirty.append(member)
        Member.objects.bulk_update(dirty, [*IDENTITY, "name_folded"], batch_size=WRITE_BATCH)
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


class AuditCopy:
    """The audit rows of rows written in bulk, copied by the database (INSERT … SELECT from the rows just written).

    bulk_create sends no signal, so simple-history writes nothing by itself; its bulk_history_create builds one
    more Python object per row, which cost about a third of the write time of a 30,000-row file here.
    """

    def __init__(self, actor):
        self.actor = actor
        self.when = connection.ops.adapt_datetimefield_value(timezone.now())
        self.door = current_door()

    def copy(self, model, ids, history_type):
        if not ids:
            return
        quote = connection.ops.quote_name
        history = model.history.model
        columns = ", ".join(quote(field.column) for field in history.tracked_fields)
        extra = ", ".join(
            quote(name)
            for name in ("history_date", "history_change_reason", "history_type", "history_user_id", "history_door")
        )
        with connection.cursor() as cursor:
            for batch in _batches(ids, LOOKUP_BATCH):
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra}) "
                    f"SELECT {columns}, %s, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                    f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})",
                    [self.when, "", history_type, self.actor.pk, self.door, *batch],
                )


def _display(attribute, value):
    if attribute == "gender" and value:
        return str(Gender(value).label)
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value) if value else ""
