"""The members file (dang-vien): new members with their admission and theory level, identity changes of existing ones.

Checked in memory with a constant number of queries per 10,000 rows, then written with bulk_create in batches:
the rows member_admit / member_update / theory_level_add would write (Member, the ADMITTED or READMITTED
MovementEvent, the Membership stint derived by stints_from_events, TheoryQualification), with their audit rows
written explicitly (bulk_create sends no signal to simple-history): see member_writes.py. Measured on 20,000 rows
(DESIGN §4): django-import-export's own loop 80 s by default and 7.5 s with its bulk settings, plain bulk_create 1.9 s.
"""

import json
import re
from collections import defaultdict, deque
from datetime import date
from operator import attrgetter

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import (
    ADMISSION_KINDS,
    CARD_NUMBER_RE,
    CITIZEN_ID_RE,
    RECORD_NUMBER_RE,
    Code,
    Gender,
    Member,
    Membership,
    MovementEvent,
    MovementKind,
    TheoryLevel,
    TheoryQualification,
)
from members.resources import MemberResource
from members.services import CARD_IN_USE, CARD_ONLY_OFFICIAL, CITIZEN_ID_IN_USE, FUTURE_DATE
from organizations import scoping
from organizations.models import Organization, Placement, Role
from organizations.resources import NO, REQUIRED, YES
from party_portal import closed_years
from party_portal.imports import Kind, register
from party_portal.imports.bulk import (
    COPY_BATCH,
    LOOKUP_BATCH,
    WRITE_BATCH,
    AnyOf,
    AuditCopy,
    CopyWriter,
    batches,
    collection_paused,
    copy_supported,
    data_version,
)
from party_portal.imports.reading import clean_row
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report, change_text
from party_portal.imports.scope import NOT_ON_DATE, ScopeIndex

from .codes import CodeIndex, list_of
from .member_writes import CODED, IDENTITY, RECORDS, copy_new, write_changes, write_new

ALREADY_IN_FILE = _("%(value)s is already on row %(row)s of this file.")
ADMISSION_DIFFERS = _(
    "The portal records this member's admission on %(date)s at %(org)s; an admission is changed through the "
    "member's movements, not by import."
)
THEORY_DATE_REQUIRED = _("Give the date the political theory level was obtained.")
THEORY_LEVEL_REQUIRED = _("A date is given but no political theory level.")

# The model's check constraints, tested in Python before the insert so that a bad row is named, not the batch.
FORMATS = (
    ("record_number", re.compile(RECORD_NUMBER_RE), "member_record_number_format"),
    ("card_number", re.compile(CARD_NUMBER_RE), "member_card_format"),
    ("citizen_id", re.compile(CITIZEN_ID_RE), "member_citizen_id_format"),
)
# The layout of a kept plan (MemberRow.dump_all): a plan kept by an earlier layout is not read, the file is checked
# again.
PLAN_FORMAT = "columns-1"
# Optional identity cells left empty keep what the portal has (clearing a number is done on the member's page).
KEEP_WHEN_EMPTY = ("ethnicity", "religion", "card_number", "citizen_id")


def _constraint_message(name):
    constraint = next(c for c in Member._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


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
        "ethnicity_code",
        "full_name",
        "gender",
        "general_education",
        "given_record_number",
        "member_id",
        "new_theory",
        "number",
        "occupation_at_admission",
        "occupation_now",
        "org_code",
        "org_id",
        "qualification",
        "record_number",
        "religion",
        "religion_code",
        "theory_id",
        "theory_level",
        "theory_obtained_on",
        "youth_union_at_admission",
    )

    def __init__(self, number, values, errors):
        self.number = number
        self.errors = errors
        self.record_number = "".join((values["record_number"] or "").split()).upper()
        self.given_record_number = self.record_number
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
        # The cells of the coded lists as written until resolved, then the code's id (None: the cell is empty).
        for name in CODED:
            setattr(self, name, values.get(name) or None)
        self.youth_union_at_admission = values.get("youth_union_at_admission")
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
        *RECORDS,
        "member_id",
        "theory_id",
        "new_theory",
        "changes",
    )
    DATES = ("date_of_birth", "admission_date", "theory_obtained_on")

    @classmethod
    def dump_all(cls, rows):
        """The rows as JSON, one list per field: a column is read with one map over the rows, where a list per row
        cost 1.2 s to write and 2 s to read back on 100,000 rows (issue 13)."""
        columns = {name: list(map(attrgetter(name), rows)) for name in cls.PLAN_FIELDS}
        for name in cls.DATES:
            columns[name] = [None if day is None else day.toordinal() for day in columns[name]]
        return json.dumps({"count": len(rows), "columns": columns}).encode()

    @classmethod
    def load_all(cls, data):
        plan = json.loads(data)
        columns = plan["columns"]
        for name in cls.DATES:
            columns[name] = [None if day is None else date.fromordinal(day) for day in columns[name]]
        rows = [cls.__new__(cls) for _ in range(plan["count"])]
        for name in cls.PLAN_FIELDS:
            deque(map(cls.__dict__[name].__set__, rows, columns[name]), maxlen=0)
        for row in rows:
            row.errors = []
        return rows

    def official_today(self, today):
        # Member.official_from needs only admission_date: the same 12-month rule as member_admit.
        return self.admission_date is not None and today >= Member.official_from.fget(self)


class MemberImporter:
    resource = MemberResource
    inline_rows = 2000

    def __init__(self, *, actor, **_scope):
        self.actor = actor
        self.today = timezone.localdate()
        self.closed = closed_years.closed_until_today()

    # --- check

    def check(self, sheet, progress):
        report = Report()
        rows = self._rows(sheet, progress)
        for row in rows:
            key = row.record_number or row.card_number
            outcome = NEW if row.member_id is None else UPDATED if row.changes else UNCHANGED
            listed = outcome == NEW and not row.errors and report.lists(NEW)
            detail = self._admission_text(row) if listed else "; ".join(row.changes)
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
        self.codes = CodeIndex()
        self.code_lists = [(name, list_of(Member, name)) for name in CODED]
        for row in rows:
            self._check_formats(row)
            self._resolve_codes(row)
        self._check_duplicates(rows)
        self._resolve(rows)
        progress(sheet.total, sheet.total, phase="checking")
        return rows

    def _error(self, row, attribute, message):
        row.errors.append((self.header[attribute], str(message)))

    def _check_year_open(self, row, attribute, day):
        """A dated fact reaching a closed rating year is refused, as by members.services."""
        if day is None:
            return
        year = closed_years.reached(day, self.closed, until=self.today)
        if year is not None:
            self._error(row, attribute, closed_years.refusal_text(day, year))

    def _check_formats(self, row):
        for attribute, pattern, constraint in FORMATS:
            value = getattr(row, attribute)
            if value and not pattern.match(value):
                self._error(row, attribute, _constraint_message(constraint))
        if row.admission_date and row.date_of_birth and row.admission_date <= row.date_of_birth:
            self._error(row, "admission_date", _constraint_message("member_admitted_after_birth"))
        if row.admission_date and row.admission_date > self.today:
            self._error(row, "admission_date", FUTURE_DATE)
        if row.theory_level and not row.theory_obtained_on:
            self._error(row, "theory_obtained_on", THEORY_DATE_REQUIRED)
        if row.theory_level is None and row.theory_obtained_on:
            self._error(row, "theory_level", THEORY_LEVEL_REQUIRED)

    def _resolve_codes(self, row):
        for name, code_list in self.code_lists:
            text = getattr(row, name)
            if text is None:
                continue
            pk, refusal = self.codes.resolve(code_list, text)
            setattr(row, name, pk)
            if refusal:
                self._error(row, name, refusal)

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
        for batch in batches(sorted(values), LOOKUP_BATCH):
            for record in Member.objects.filter(AnyOf(F(field), batch)).values(field, *columns):
                found[record[field]] = record
        return found

    def _resolve(self, rows):
        """Match rows to existing members and organizations, and judge each row against the database."""
        columns = ("id", "record_number", *IDENTITY, *RECORDS, "admission_date")
        by_record = self._lookup("record_number", {r.record_number for r in rows if r.record_number}, columns)
        by_card = self._lookup("card_number", {r.card_number for r in rows if r.card_number}, columns)
        by_citizen = self._lookup("citizen_id", {r.citizen_id for r in rows if r.citizen_id}, ("id", "record_number"))
        existing = {}
        for row in rows:
            record = by_record.get(row.record_number)
            if record is None and not row.record_number and row.card_number in by_card:
                # A row without a record number is matched on the party card.
                record = by_card[row.card_number]
                row.given_record_number, row.record_number = row.record_number, record["record_number"]
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
            # The other member may be outside the actor's subtree: the message does not say who it is.
            self._error(row, "card_number", CARD_IN_USE % {"value": row.card_number})
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
        refusal = scope.refusal(row.org_id, day) if row.org_id is not None else None
        # A lazy text compared with == is translated first: once per row cost 0.5 s on 100,000 rows. None (the row
        # may be written) is by far the usual answer and is never NOT_IN_SCOPE.
        if row.org_id is None or (refusal is not None and refusal == scoping.NOT_IN_SCOPE):
            self._error(row, "organization_code", NOT_ON_DATE % {"code": row.org_code, "date": f"{day:%d/%m/%Y}"})
            return
        if refusal:
            self._error(row, "organization_code", refusal)
        self._check_year_open(row, "admission_date", day)
        if row.theory_level:
            row.new_theory = True
            self._check_year_open(row, "theory_obtained_on", row.theory_obtained_on)

    def _check_existing(self, row, record, admissions, current_org, code_of, scope, theory):
        # Rows of members outside the actor's subtree are refused even when nothing would change.
        refusal = scope.refusal(current_org.get(row.member_id), self.today)
        if refusal:
            self._error(row, "record_number", refusal)
            # A row matched on its card shows the card it gave, not the record number of someone else's member.
            row.record_number = row.given_record_number
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
        self._compare_records(row, record)
        if row.card_number and row.card_number != (record["card_number"] or "") and not row.official_today(self.today):
            self._error(row, "card_number", CARD_ONLY_OFFICIAL)
        if row.theory_level:
            held = theory.get(row.member_id, {}).get(row.theory_level)
            if held is None:
                row.new_theory = True
                row.changes.append(self._theory_change("—", row))
                self._check_year_open(row, "theory_obtained_on", row.theory_obtained_on)
            elif held[1] != row.theory_obtained_on:
                row.theory_id = held[0]
                row.changes.append(self._theory_change(f"{held[1]:%d/%m/%Y}", row))
                self._check_year_open(row, "theory_obtained_on", min(held[1], row.theory_obtained_on or held[1]))

    def _compare_records(self, row, record):
        """The coded records and the youth union flag: an empty cell keeps what the portal has."""
        for name in RECORDS:
            new, old = getattr(row, name), record[name]
            if new is None:
                setattr(row, name, old)
            elif new != old:
                row.changes.append(
                    change_text(self.header[name], self._record_text(name, old), self._record_text(name, new))
                )

    def _record_text(self, name, value):
        if value is None:
            return ""
        if name == "youth_union_at_admission":
            return str(YES if value else NO)
        return self.codes.name(value)

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
        for batch in batches(ids, LOOKUP_BATCH):
            events = (
                MovementEvent.objects.filter(AnyOf(F("member_id"), batch), kind__in=ADMISSION_KINDS)
                .order_by("member_id", "date", "pk")
                .values_list("member_id", "organization_id", "date", "kind")
            )
            for member_id, org_id, day, kind in events:
                found[member_id] = (org_id, day, kind)
        return found

    def _current_organizations(self, ids):
        """The organization of each member's latest stint started by today (require_member_access's rule)."""
        found = {}
        for batch in batches(ids, LOOKUP_BATCH):
            stints = (
                Membership.objects.filter(AnyOf(F("member_id"), batch), start__lte=self.today)
                .order_by("member_id", "start")
                .values_list("member_id", "organization_id")
            )
            found.update(dict(stints))
        return found

    def _theory_levels(self, ids):
        found = defaultdict(dict)
        for batch in batches(ids, LOOKUP_BATCH):
            held = TheoryQualification.objects.filter(AnyOf(F("member_id"), batch))
            for pk, member_id, level, day in held.values_list("id", "member_id", "level", "obtained_on"):
                found[member_id][level] = (pk, day)
        return found

    # --- the plan kept between the check and the import

    def dump_plan(self, report):
        """The rows that write (new or changed), as JSON: the import reuses them when the portal has not changed."""
        return MemberRow.dump_all([r for r in report.plan if r.member_id is None or r.changes])

    def load_plan(self, data):
        with collection_paused():
            return MemberRow.load_all(data)

    def plan_version(self):
        """What the check relied on: the members, their events and theory levels, the coded lists (a code
        deactivated since), the tree, the roles (their dates are checked again), the rating years (a year closed or
        reopened since), and the day."""
        from evaluations.models import RatingYear  # evaluations sits above members: read at run time

        audited = (Member, MovementEvent, TheoryQualification, Code, Organization, Placement, Role, RatingYear)
        return [PLAN_FORMAT, *data_version(audited, unaudited=(Member, MovementEvent, Placement, Role))]

    # --- write

    def write(self, report, progress):
        rows = report.plan
        new = [r for r in rows if r.member_id is None]
        changed = [r for r in rows if r.member_id is not None and r.changes]
        audit = AuditCopy(self.actor)
        written = defaultdict(int)
        done = 0
        if copy_supported():
            writer, size = CopyWriter(self.actor), COPY_BATCH
            add = lambda batch: copy_new(batch, writer, written)  # noqa: E731
        else:
            size = WRITE_BATCH
            add = lambda batch: write_new(batch, audit, written)  # noqa: E731
        for batch in batches(new, size):
            add(batch)
            done += len(batch)
            progress(done, len(new) + len(changed), phase="writing")
        for batch in batches(changed, WRITE_BATCH):
            write_changes(batch, audit, written)
            done += len(batch)
            progress(done, len(new) + len(changed), phase="writing")
        report.written = dict(written)
        return report


def _display(attribute, value):
    if attribute == "gender" and value:
        return str(Gender(value).label)
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value) if value else ""


@register
class MemberKind(Kind):
    slug = "dang-vien"
    label = _("Party members")
    help_text = _(
        "New members with their admission and political theory level, and identity changes of existing members "
        "(matched on the party record number, or on the card number when the record number is empty), with their "
        "coded records: ethnicity, religion, education, qualification, occupation and youth union at admission."
    )
    importer = MemberImporter
    template_title = _("Template: party members")
    written_labels = {
        "members": _("Members created"),
        "movements": _("Admissions recorded"),
        "memberships": _("Periods on the rolls"),
        "theory_levels": _("Political theory levels"),
        "members_changed": _("Members changed"),
    }
    order = 20
