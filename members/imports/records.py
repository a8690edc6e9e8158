"""What the files of a member's dated records share: members found by their party record number, and an importer
for the records written one by one through their service (discipline, status periods: a few per member a year).

Such an importer checks every row by calling the service itself inside a transaction that is rolled back, so the
preview refuses exactly what the import would, with the service's own messages, by row and column.
"""

from abc import ABC, abstractmethod

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations import scoping
from party_portal.imports.bulk import LOOKUP_BATCH, batches
from party_portal.imports.reading import clean_row
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report

# A member who does not exist and one outside the actor's subtree get the same message: a file reveals nothing.
NO_MEMBER = _("No party member with the record number %(value)s is in your part of the tree.")
ALREADY_IN_FILE = _("The same record is already on row %(row)s of this file.")


def member_ids_by_record(records):
    """{record number: (member id, full name)} for the record numbers that exist."""
    found = {}
    for batch in batches(sorted(records), LOOKUP_BATCH):
        for pk, record, name in Member.objects.filter(record_number__in=batch).values_list(
            "id", "record_number", "full_name"
        ):
            found[record] = (pk, name)
    return found


class RecordRow:
    __slots__ = ("errors", "member", "number", "outcome", "record_number", "stored", "values")

    def __init__(self, number, values, errors):
        self.number = number
        self.values = values
        self.errors = errors
        self.record_number = "".join((values.pop("record_number") or "").split()).upper()
        self.member = self.stored = None
        self.outcome = NEW


class RecordImporter(ABC):
    """Rows of (record number, the service's fields). A kind declares its resource, `add` and `natural_key`, and
    may declare `compare` (an identical record is UNCHANGED; a different one an error or, through `update`, a
    change)."""

    resource = None
    inline_rows = 2000
    model = None
    # Service argument → column attribute, for the service's errors (the rest land on the record number).
    error_columns = {}

    def __init__(self, *, actor, **_scope):
        self.actor = actor
        self.today = timezone.localdate()

    @abstractmethod
    def natural_key(self, values):
        """What identifies a record of the member (a re-imported row matches the stored record on it)."""

    @abstractmethod
    def add(self, member, values):
        """Write one new record through its service."""

    def compare(self, stored, values):
        """UNCHANGED, UPDATED (then the kind's `update(stored, values)` writes it) or a (column attribute, message)
        refusal. Only a kind whose compare may answer UPDATED defines `update`."""
        return UNCHANGED

    def describe(self, row):
        return ""

    def check(self, sheet, progress):
        self.header = {column.attribute: sheet.header(column) for column in sheet.columns}
        rows = []
        for number, cells in sheet.rows:
            cleaned = clean_row(sheet, number, cells)
            rows.append(RecordRow(number, cleaned.values, cleaned.errors))
        progress(len(rows), sheet.total, phase="checking")
        members = Member.objects.in_bulk(
            [pk for pk, _name in member_ids_by_record({r.record_number for r in rows if r.record_number}).values()]
        )
        by_record = {member.record_number: member for member in members.values()}
        stored = {}
        for batch in batches(sorted(members), LOOKUP_BATCH):
            for record in self.model.objects.filter(member_id__in=batch):
                stored[(record.member_id, *self.natural_key(record.__dict__))] = record
        seen = {}
        with transaction.atomic():
            for row in rows:
                self._check_row(row, by_record, stored, seen)
            transaction.set_rollback(True)
        report = Report()
        for row in rows:
            name = row.member.full_name if row.member else ""
            report.add(row.number, row.outcome, row.record_number, name, self.describe(row), row.errors)
        report.plan = [row for row in rows if row.outcome != UNCHANGED]
        progress(sheet.total, sheet.total, phase="checking")
        return report

    def _error(self, row, attribute, message):
        row.errors.append((self.header.get(attribute, self.header["record_number"]), str(message)))

    def _check_row(self, row, by_record, stored, seen):
        row.member = by_record.get(row.record_number)
        if row.record_number and row.member is None:
            self._error(row, "record_number", NO_MEMBER % {"value": row.record_number})
        if row.errors:
            return
        key = (row.member.pk, *self.natural_key(row.values))
        if key in seen:
            self._error(row, "record_number", ALREADY_IN_FILE % {"row": seen[key]})
            return
        seen[key] = row.number
        row.stored = stored.get(key)
        if row.stored is not None:
            verdict = self.compare(row.stored, row.values)
            if verdict in (UNCHANGED, UPDATED):
                row.outcome = verdict
            else:
                self._error(row, *verdict)
        if row.outcome != UNCHANGED:
            self._try(row)

    def _try(self, row):
        """The service's answer to the row, in a savepoint of the check's rolled-back transaction."""
        try:
            with transaction.atomic():
                self._apply(row)
        except ValidationError as error:
            for field, messages in (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            ):
                for message in messages:
                    self._error(row, self.error_columns.get(field, "record_number"), message)
        except PermissionDenied as error:
            refusal = (
                str(error) if str(error) != str(scoping.NOT_IN_SCOPE) else NO_MEMBER % {"value": row.record_number}
            )
            self._error(row, "record_number", refusal)

    def _apply(self, row):
        if row.outcome == UPDATED:
            return self.update(row.stored, row.values)
        return self.add(row.member, row.values)

    def write(self, report, progress):
        written = {"added": 0, "changed": 0}
        for done, row in enumerate(report.plan, start=1):
            # A row refused since the preview raises here: the job fails and its transaction writes nothing.
            self._apply(row)
            written["changed" if row.outcome == UPDATED else "added"] += 1
            if done % 200 == 0:
                progress(done, len(report.plan), phase="writing")
        report.written = written
        return report
