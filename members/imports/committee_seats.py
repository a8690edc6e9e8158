"""The committee seats file (cap-uy): seats with their terms, new ones and the end of open ones.

The rules are members.services.committee_seat_add's and committee_seat_end's, checked in memory with a constant
number of queries per 10,000 rows (a province's seats after a congress run to tens of thousands), then written
with bulk_create / bulk_update in batches, with their audit rows.
"""

import json
from collections import defaultdict
from datetime import date

from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import CommitteeSeat, Member, MovementEvent, SeatRole
from members.services import ALREADY_ENDED, END_BEFORE_START, SEAT_AFTER_ORGANIZATION, SEAT_NOT_UNDER, SEAT_OVERLAP
from organizations.models import Organization, Placement, Role
from organizations.resources import ChoiceWidget, Column, DayWidget, field_length, serial_column
from party_portal.imports import Kind, register
from party_portal.imports.bulk import LOOKUP_BATCH, WRITE_BATCH, AuditCopy, batches, data_version
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report, change_text
from party_portal.imports.scope import ScopeIndex

from .checked_rows import CheckedRowsImporter, day_text
from .records import NO_MEMBER, member_ids_by_record
from .tenure import Tenure

SEAT_TWICE = _("The same seat is already on row %(row)s of this file.")
SEAT_OVERLAP_IN_FILE = _("This seat overlaps the member's seat on the same committee on row %(row)s of this file.")


class CommitteeSeatResource(resources.Resource):
    """One row per seat: whose, on which committee, which role, from when and (when it ended) to when."""

    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        required=True,
        example="012345TN",
        width=16,
        max_length=field_length(Member, "record_number"),
    )
    organization_code = Column(
        "organization_code",
        _("Committee of (organization code)"),
        required=True,
        example="DU0101",
        width=18,
        help_text=_("The code of the organization whose committee the seat is on, as it was at the term's start."),
        max_length=field_length(Organization, "code"),
    )
    role = Column(
        "role",
        _("Role"),
        # "Ủy viên" is how committee lists usually write a plain member's seat.
        ChoiceWidget(SeatRole, aliases={SeatRole.MEMBER: ("Ủy viên", "Ủy viên cấp ủy")}),
        required=True,
        example=SeatRole.SECRETARY.label,
        width=24,
    )
    start = Column("start", _("Term from"), DayWidget(), required=True, example=date(2020, 8, 15), width=13)
    end = Column(
        "end",
        _("Term to"),
        DayWidget(),
        example="",
        width=13,
        help_text=_("The last day of the seat; empty while it lasts. A seat already recorded open is ended so."),
    )

    class Meta:
        fields = ("serial", "record_number", "organization_code", "role", "start", "end")


class SeatRow:
    """One checked row, compact: a congress's file is held in memory between the check and the writes."""

    __slots__ = (
        "end",
        "errors",
        "member_id",
        "number",
        "org_code",
        "org_id",
        "record_number",
        "role",
        "seat_id",
        "start",
        "unchanged",
    )
    PLAN_FIELDS = ("number", "member_id", "org_id", "role", "start", "end", "seat_id")

    def __init__(self, number, values, errors):
        self.number = number
        self.errors = errors
        self.record_number = "".join((values["record_number"] or "").split()).upper()
        self.org_code = values["organization_code"] or ""
        self.role = values["role"] or ""
        self.start = values["start"]
        self.end = values["end"]
        self.member_id = self.org_id = self.seat_id = None
        self.unchanged = False

    def dump(self):
        return [v.toordinal() if isinstance(v, date) else v for v in (getattr(self, n) for n in self.PLAN_FIELDS)]

    @classmethod
    def load(cls, values):
        row = cls.__new__(cls)
        for name, value in zip(cls.PLAN_FIELDS, values, strict=True):
            setattr(row, name, date.fromordinal(value) if name in ("start", "end") and value is not None else value)
        row.errors = []
        row.unchanged = False
        return row


class CommitteeSeatImporter(CheckedRowsImporter):
    resource = CommitteeSeatResource
    row_class = SeatRow

    # --- check

    def check(self, sheet, progress):
        rows = self.read_rows(sheet, progress)
        names = self._resolve(rows)
        report = Report()
        for row in rows:
            outcome = NEW if row.seat_id is None else UNCHANGED if row.unchanged else UPDATED
            report.add(
                row.number, outcome, row.record_number, names.get(row.member_id, ""), self._text(row), row.errors
            )
        report.plan = [row for row in rows if not row.errors]
        progress(sheet.total, sheet.total, phase="checking")
        return report

    def _resolve(self, rows):
        members = member_ids_by_record({row.record_number for row in rows if row.record_number})
        organizations = defaultdict(list)
        for org_id, code, start, end, name in Organization.objects.filter(
            code__in={row.org_code for row in rows if row.org_code}
        ).values_list("id", "code", "valid_from", "valid_to", "name"):
            organizations[code].append((start, end, org_id, name))
        self.org_end = {org: end for spans in organizations.values() for _s, end, org, _n in spans}
        self.org_name = {org: name for spans in organizations.values() for _s, _e, org, name in spans}
        scope = ScopeIndex(self.actor, set(self.org_end))
        for row in rows:
            row.member_id, _name = members.get(row.record_number, (None, ""))
            if row.record_number and row.member_id is None:
                self._error(row, "record_number", NO_MEMBER % {"value": row.record_number})
            if row.org_code and row.start is not None:
                self._organization(row, organizations, scope)
        ids = {row.member_id for row in rows if row.member_id is not None}
        self.tenure = Tenure(ids, self.today)
        stored = self._stored_seats(ids)
        self._judge(rows, stored)
        return dict(members.values())

    def _judge(self, rows, stored):
        """Match each row on (member, committee, role, start); a new seat follows committee_seat_add's rules, an end
        committee_seat_end's. Overlaps are judged against the stored seats with the ends this file gives them."""
        ends = {}
        seen = {}
        fresh = []
        for row in rows:
            if row.member_id is None or row.org_id is None or row.start is None or row.errors:
                continue
            key = (row.member_id, row.org_id, row.role, row.start)
            if key in seen:
                self._error(row, "start", SEAT_TWICE % {"row": seen[key]})
                continue
            seen[key] = row.number
            self._check_dates(row)
            match = next((seat for seat in stored[key[:2]] if seat[1:3] == (row.role, row.start)), None)
            if match is None:
                fresh.append(row)
            else:
                self._check_end(row, match, ends)
        placed = {}
        for seat_id, role, start, end in (s for seats in stored.values() for s in seats):
            placed[seat_id] = (start, ends.get(seat_id, end), role)
        for row in sorted(fresh, key=lambda r: (r.start, r.number)):
            self._check_new(row, stored, placed, ends)

    def _check_dates(self, row):
        if row.end is not None and row.end < row.start:
            self._error(row, "end", END_BEFORE_START % {"date": day_text(row.start)})
        last_day = self.org_end.get(row.org_id)
        if last_day is not None and (row.end is None or row.end > last_day):
            self._error(row, "end", SEAT_AFTER_ORGANIZATION % {"date": day_text(last_day)})

    def _check_end(self, row, match, ends):
        seat_id, _role, _start, end = match
        row.seat_id = seat_id
        if end == row.end:
            row.unchanged = True
            return
        if end is not None:
            self._error(row, "end", ALREADY_ENDED % {"date": day_text(end)})
            return
        ends[seat_id] = row.end
        self._year_open(row, "end", row.end, None)

    def _check_new(self, row, stored, placed, ends):
        if not self.tenure.under(row.member_id, row.org_id, row.start, row.end):
            shown_end = day_text(row.end) if row.end else _("today")
            self._error(
                row,
                "organization_code",
                SEAT_NOT_UNDER % {"start": day_text(row.start), "end": shown_end, "org": self.org_name[row.org_id]},
            )
        key = (row.member_id, row.org_id)
        last = row.end or date.max
        for seat_id, _role, _start, _end in stored[key]:
            start, end, role = placed[seat_id]
            if start <= last and (end is None or end >= row.start):
                message = SEAT_OVERLAP % {"date": day_text(start), "role": SeatRole(role).label}
                self._error(row, "start", message)
                break
        for other in self.new_seats.get(key, ()):
            if other.start <= last and (other.end is None or other.end >= row.start):
                self._error(row, "start", SEAT_OVERLAP_IN_FILE % {"row": other.number})
                break
        self.new_seats[key].append(row)
        self._year_open(row, "start", row.start, row.end)

    def _stored_seats(self, ids):
        self.new_seats = defaultdict(list)
        stored = defaultdict(list)
        for batch in batches(sorted(ids), LOOKUP_BATCH):
            for pk, member_id, org_id, role, start, end in CommitteeSeat.objects.filter(
                member_id__in=batch
            ).values_list("id", "member_id", "organization_id", "role", "start", "end"):
                stored[(member_id, org_id)].append((pk, role, start, end))
        return stored

    def _text(self, row):
        if row.errors:
            return ""
        if row.seat_id is not None:
            return change_text(self.header["end"], "", day_text(row.end)) if row.end and not row.unchanged else ""
        term = f"{day_text(row.start)} – {day_text(row.end) if row.end else '…'}"
        return f"{SeatRole(row.role).label} · {row.org_code} · {term}"

    # --- the plan kept between the check and the import

    def dump_plan(self, report):
        rows = [row for row in report.plan if not row.unchanged]
        return json.dumps([row.dump() for row in rows]).encode()

    def load_plan(self, data):
        return [SeatRow.load(values) for values in json.loads(data)]

    def plan_version(self):
        """What the check relied on: the seats, the members and their movements, the tree, the roles, the rating
        years, and the day."""
        from evaluations.models import RatingYear  # evaluations sits above members: read at run time

        audited = (CommitteeSeat, Member, MovementEvent, Organization, Placement, Role, RatingYear)
        return data_version(audited, unaudited=(CommitteeSeat, MovementEvent, Placement, Role))

    # --- write

    def write(self, report, progress):
        rows = report.plan
        new = [row for row in rows if row.seat_id is None]
        ended = {row.seat_id: row.end for row in rows if row.seat_id is not None and not row.unchanged}
        audit = AuditCopy(self.actor)
        done = closed = 0
        for batch in batches(new, WRITE_BATCH):
            seats = [
                CommitteeSeat(member_id=r.member_id, organization_id=r.org_id, role=r.role, start=r.start, end=r.end)
                for r in batch
            ]
            CommitteeSeat.objects.bulk_create(seats, batch_size=WRITE_BATCH)
            audit.copy(CommitteeSeat, [seat.pk for seat in seats], "+")
            done += len(batch)
            progress(done, len(new) + len(ended), phase="writing")
        for batch in batches(sorted(ended), WRITE_BATCH):
            seats = CommitteeSeat.objects.in_bulk(batch)
            # Only a seat still open is ended: one ended since the preview is left as it is.
            open_seats = [seat for seat in seats.values() if seat.end is None]
            for seat in open_seats:
                seat.end = ended[seat.pk]
            CommitteeSeat.objects.bulk_update(open_seats, ["end"], batch_size=WRITE_BATCH)
            audit.copy(CommitteeSeat, [seat.pk for seat in open_seats], "~")
            closed += len(open_seats)
            done += len(batch)
            progress(done, len(new) + len(ended), phase="writing")
        report.written = {"seats": len(new), "seats_ended": closed}
        return report


@register
class CommitteeSeatFileKind(Kind):
    slug = "cap-uy"
    label = _("Committee seats")
    help_text = _(
        "Seats on the committees of party organizations with their terms: new seats, and the end of seats recorded "
        "open (matched on the record number, the committee, the role and the start of the term)."
    )
    importer = CommitteeSeatImporter
    template_title = _("Template: committee seats")
    template_notes = (
        _(
            "The member must be on the rolls of the organization, or of a unit under it, on at least one day of "
            "the term."
        ),
    )
    written_labels = {"seats": _("Committee seats recorded"), "seats_ended": _("Committee seats ended")}
    order = 50
