"""The attendance file (du-sinh-hoat-chi-bo): how many of a cell's meetings in a quarter each committee member
assigned to it attended, one row per (cell, year, quarter, member); a row already recorded with other numbers
updates them. Checked in memory with a constant number of queries, written in bulk with the audit rows."""

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import CommitteeSeat, MeetingAttendance, Member
from organizations import scoping
from organizations.models import Organization, OrgKind
from organizations.resources import Column, CountWidget, field_length, serial_column
from party_portal import closed_years
from party_portal.imports import Kind, register
from party_portal.imports.bulk import LOOKUP_BATCH, WRITE_BATCH, AuditCopy, batches
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report, change_text
from party_portal.imports.scope import NOT_ON_DATE, ScopeIndex

from .checked_rows import CheckedRowsImporter
from .records import member_ids_by_record

YEAR_RANGE = _("%(value)s is not a year from %(first)s to this year.")
QUARTER_AHEAD = _("Quarter %(quarter)s/%(year)s has not begun yet.")
NOT_A_CELL = _("%(code)s is not a party cell (chi bộ under a grassroots party committee).")
ATTENDED_ABOVE_HELD = _("%(attended)s meetings attended is more than the %(held)s meetings held.")
# A record number that does not exist and one without a seat get the same message: a file reveals nothing.
NOT_COMMITTEE_MEMBER = _(
    "No member with the record number %(value)s held a seat during quarter %(quarter)s/%(year)s on the committee "
    "of an organization above the cell %(code)s."
)
ROW_TWICE = _("The same cell, quarter and member are already on row %(row)s of this file.")


class MeetingAttendanceResource(resources.Resource):
    """One row per committee member assigned to a cell, per quarter: meetings held and attended."""

    serial = serial_column()
    organization_code = Column(
        "organization_code",
        _("Party cell code"),
        required=True,
        example="CB010101",
        width=16,
        max_length=field_length(Organization, "code"),
    )
    year = Column("year", _("Year"), CountWidget(most=9999), required=True, example=2025, width=8)
    quarter = Column("quarter", _("Quarter"), CountWidget(1, 4), required=True, example=1, width=8)
    record_number = Column(
        "record_number",
        _("Party record number"),
        required=True,
        example="012345TN",
        width=16,
        help_text=_("A member of the committee of an organization above the cell, assigned to attend its meetings."),
        max_length=field_length(Member, "record_number"),
    )
    meetings_held = Column("meetings_held", _("Meetings held"), CountWidget(), required=True, example=3, width=12)
    meetings_attended = Column(
        "meetings_attended", _("Meetings attended"), CountWidget(), required=True, example=2, width=12
    )

    class Meta:
        fields = (
            "serial",
            "organization_code",
            "year",
            "quarter",
            "record_number",
            "meetings_held",
            "meetings_attended",
        )


def quarter_days(year, quarter):
    """The first and the last day of the quarter."""
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


class AttendanceRow:
    __slots__ = (
        "attended",
        "errors",
        "held",
        "member_id",
        "number",
        "org_code",
        "org_id",
        "quarter",
        "record_id",
        "record_number",
        "stored",
        "year",
    )

    def __init__(self, number, values, errors):
        self.number = number
        self.errors = errors
        self.org_code = values["organization_code"] or ""
        self.year = values["year"]
        self.quarter = values["quarter"]
        self.record_number = "".join((values["record_number"] or "").split()).upper()
        self.held = values["meetings_held"]
        self.attended = values["meetings_attended"]
        self.member_id = self.org_id = self.record_id = self.stored = None

    @property
    def outcome(self):
        if self.record_id is None:
            return NEW
        return UNCHANGED if self.stored == (self.held, self.attended) else UPDATED


class MeetingAttendanceImporter(CheckedRowsImporter):
    resource = MeetingAttendanceResource
    row_class = AttendanceRow

    # --- check

    def check(self, sheet, progress):
        rows = self.read_rows(sheet, progress)
        for row in rows:
            self._check_values(row)
        names = self._resolve(rows)
        report = Report()
        for row in rows:
            report.add(
                row.number, row.outcome, row.record_number, names.get(row.member_id, ""), self._text(row), row.errors
            )
        report.plan = [row for row in rows if not row.errors and row.outcome != UNCHANGED]
        progress(sheet.total, sheet.total, phase="checking")
        return report

    def _check_values(self, row):
        if row.year is not None and not closed_years.FIRST_YEAR <= row.year <= self.today.year:
            self._error(row, "year", YEAR_RANGE % {"value": row.year, "first": closed_years.FIRST_YEAR})
            row.year = None
        if row.year is not None and row.quarter is not None:
            first, last = quarter_days(row.year, row.quarter)
            if first > self.today:
                self._error(row, "quarter", QUARTER_AHEAD % {"quarter": row.quarter, "year": row.year})
            else:
                # Attendance counts in its own year only: that year must be open.
                year = closed_years.reached(last, self.closed, until=last)
                if year is not None:
                    self._error(row, "year", closed_years.refusal_text(last, year))
        if row.held is not None and row.attended is not None and row.attended > row.held:
            self._error(row, "meetings_attended", ATTENDED_ABOVE_HELD % {"attended": row.attended, "held": row.held})

    def _resolve(self, rows):
        members = member_ids_by_record({row.record_number for row in rows if row.record_number})
        organizations = defaultdict(list)
        for org_id, code, start, end, kind in Organization.objects.filter(
            code__in={row.org_code for row in rows if row.org_code}
        ).values_list("id", "code", "valid_from", "valid_to", "kind"):
            organizations[code].append((start, end, org_id, kind))
        scope = ScopeIndex(self.actor, {org for spans in organizations.values() for _s, _e, org, _k in spans})
        for row in rows:
            row.member_id, _name = members.get(row.record_number, (None, ""))
            if row.org_code and row.year is not None and row.quarter is not None:
                self._cell(row, organizations, scope)
        ids = {row.member_id for row in rows if row.member_id is not None}
        seats = self._seats(ids)
        stored = self._stored(ids)
        seen = {}
        for row in rows:
            if row.org_id is None or row.errors:
                continue
            self._check_member(row, seats, scope)
            key = (row.org_id, row.year, row.quarter, row.member_id)
            if row.errors:
                continue
            if key in seen:
                self._error(row, "record_number", ROW_TWICE % {"row": seen[key]})
                continue
            seen[key] = row.number
            row.record_id, row.stored = stored.get(key, (None, None))
        return dict(members.values())

    def _cell(self, row, organizations, scope):
        """The cell with the code in force on the quarter's last day, in the actor's part of the tree that day."""
        _first, last = quarter_days(row.year, row.quarter)
        found = next(
            (
                (org, kind)
                for start, end, org, kind in organizations.get(row.org_code, ())
                if start <= last <= (end or last)
            ),
            None,
        )
        refusal = scope.refusal(found[0], last) if found is not None else None
        if found is None or refusal == scoping.NOT_IN_SCOPE:
            self._error(row, "organization_code", NOT_ON_DATE % {"code": row.org_code, "date": f"{last:%d/%m/%Y}"})
        elif refusal:
            self._error(row, "organization_code", refusal)
        elif found[1] != OrgKind.CELL:
            self._error(row, "organization_code", NOT_A_CELL % {"code": row.org_code})
        else:
            row.org_id = found[0]

    def _check_member(self, row, seats, scope):
        """The member held, on some day of the quarter, a seat on the committee of an organization above the cell
        (the tree of the quarter's last day): the committee members the program asks to attend cell meetings."""
        first, last = quarter_days(row.year, row.quarter)
        path = scope.path_on(row.org_id, last) or ""
        above = {int(part) for part in path.strip("/").split("/")[:-1]}
        if not any(
            org_id in above and start <= last and (end is None or end >= first)
            for org_id, start, end in seats.get(row.member_id, ())
        ):
            message = NOT_COMMITTEE_MEMBER % {
                "value": row.record_number,
                "quarter": row.quarter,
                "year": row.year,
                "code": row.org_code,
            }
            self._error(row, "record_number", message)

    def _seats(self, ids):
        seats = defaultdict(list)
        for batch in batches(sorted(ids), LOOKUP_BATCH):
            for member_id, org_id, start, end in CommitteeSeat.objects.filter(member_id__in=batch).values_list(
                "member_id", "organization_id", "start", "end"
            ):
                seats[member_id].append((org_id, start, end))
        return seats

    def _stored(self, ids):
        stored = {}
        for batch in batches(sorted(ids), LOOKUP_BATCH):
            for pk, org_id, year, quarter, member_id, held, attended in MeetingAttendance.objects.filter(
                member_id__in=batch
            ).values_list(
                "id", "organization_id", "year", "quarter", "member_id", "meetings_held", "meetings_attended"
            ):
                stored[(org_id, year, quarter, member_id)] = (pk, (held, attended))
        return stored

    def _text(self, row):
        if row.errors:
            return ""
        if row.record_id is None:
            return f"{row.org_code} · Q{row.quarter}/{row.year} · {row.attended}/{row.held}"
        held, attended = row.stored
        changes = [
            change_text(self.header[name], str(old), str(new))
            for name, old, new in (("meetings_held", held, row.held), ("meetings_attended", attended, row.attended))
            if old != new
        ]
        return "; ".join(changes)

    # --- write

    def write(self, report, progress):
        rows = report.plan
        new = [row for row in rows if row.record_id is None]
        changed = {row.record_id: row for row in rows if row.record_id is not None}
        audit = AuditCopy(self.actor)
        for batch in batches(new, WRITE_BATCH):
            records = [
                MeetingAttendance(
                    organization_id=r.org_id,
                    year=r.year,
                    quarter=r.quarter,
                    member_id=r.member_id,
                    meetings_held=r.held,
                    meetings_attended=r.attended,
                )
                for r in batch
            ]
            MeetingAttendance.objects.bulk_create(records, batch_size=WRITE_BATCH)
            audit.copy(MeetingAttendance, [record.pk for record in records], "+")
        for batch in batches(sorted(changed), WRITE_BATCH):
            records = list(MeetingAttendance.objects.in_bulk(batch).values())
            for record in records:
                record.meetings_held = changed[record.pk].held
                record.meetings_attended = changed[record.pk].attended
            MeetingAttendance.objects.bulk_update(
                records, ["meetings_held", "meetings_attended"], batch_size=WRITE_BATCH
            )
            audit.copy(MeetingAttendance, [record.pk for record in records], "~")
        progress(len(rows), len(rows), phase="writing")
        report.written = {"attendance": len(new), "attendance_changed": len(changed)}
        return report


@register
class MeetingAttendanceKind(Kind):
    slug = "du-sinh-hoat-chi-bo"
    label = _("Attendance at cell meetings")
    help_text = _(
        "How many of a party cell's meetings in a quarter each committee member assigned to it attended (one row "
        "per cell, year, quarter and member); a row already recorded with other numbers updates them."
    )
    importer = MeetingAttendanceImporter
    template_title = _("Template: attendance at cell meetings")
    template_notes = (
        _(
            "The member must hold, on some day of the quarter, a seat on the committee of an organization above the "
            "cell (its grassroots party committee or higher). A quarter not recorded counts as missing, not as zero."
        ),
    )
    written_labels = {"attendance": _("Quarters recorded"), "attendance_changed": _("Quarters updated")}
    order = 57
