"""The movements file (chuyen-sinh-hoat): one row per movement of form Biểu 1-BTCTW — arrivals from and departures
to another province, moves within the province (between any two units the actor may write), deaths, expulsions,
striking off, withdrawals, re-admissions and restorations.

The rules of members.services (movement_record, member_transfer, member_arrive) checked in memory, a constant
number of queries per 10,000 rows: every event's organization in the actor's writable subtree on its date, no
date in the future or in a closed year, and each member's events replayed through members.rolls with those the
portal holds, so an impossible sequence is named on its row. A movement already recorded (same member, movement,
date and unit) is unchanged: re-importing a file adds nothing. Written in bulk: movement_writes.py.
"""

import json
import re
from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import (
    CARD_NUMBER_RE,
    CITIZEN_ID_RE,
    RECORD_NUMBER_RE,
    Member,
    MovementEvent,
    MovementKind,
    TransferScope,
)
from members.rolls import Event, stints_from_events
from members.services import (
    ARRIVAL_BEFORE_ADMISSION,
    CARD_IN_USE,
    CARD_ONLY_OFFICIAL,
    CITIZEN_ID_IN_USE,
    FUTURE_DATE,
    NOT_A_MEMBER_ON,
    SAME_ORGANIZATION,
)
from organizations import scoping
from organizations.models import Organization, Placement, Role
from organizations.resources import REQUIRED
from party_portal import closed_years
from party_portal.imports import Kind, register
from party_portal.imports.bulk import LOOKUP_BATCH, AuditCopy, batches, data_version
from party_portal.imports.reading import clean_row
from party_portal.imports.report import NEW, UNCHANGED, Report
from party_portal.imports.scope import NOT_ON_DATE, ScopeIndex

from .movement_resource import EVENT_OF, TO_A_UNIT, FileMovement, MovementResource
from .movement_rows import MemberState, MovementRow
from .movement_writes import memberships_rebuild_bulk, move_admission_dates, write_arrivals, write_events

NO_MEMBER = _("No member with the party record number %(value)s is in your part of the tree.")
SAME_ROW = _("The same movement is already on row %(row)s of this file.")
NUMBER_IN_FILE = _("%(value)s is already on row %(row)s of this file.")
UNIT_REQUIRED = _("This movement puts the member on a unit's rolls: give the unit's code.")
FORMATS = (
    ("record_number", re.compile(RECORD_NUMBER_RE), "member_record_number_format"),
    ("card_number", re.compile(CARD_NUMBER_RE), "member_card_format"),
    ("citizen_id", re.compile(CITIZEN_ID_RE), "member_citizen_id_format"),
)
ARRIVAL_IDENTITY = ("full_name", "gender", "date_of_birth", "admission_date")
# New events sort after every stored one on the same day, in the order the file is read (members.rolls).
NEW_ORDER = 10**15


def _constraint_message(name):
    return next(c for c in Member._meta.constraints if c.name == name).get_violation_error_message()


class MovementImporter:
    resource = MovementResource
    inline_rows = 2000

    def __init__(self, *, actor, **_scope):
        self.actor = actor
        self.today = timezone.localdate()
        self.closed = closed_years.closed_until_today()
        self._order = NEW_ORDER

    # --- check

    def check(self, sheet, progress):
        report = Report()
        rows = []
        self.header = {column.attribute: sheet.header(column) for column in sheet.columns}
        for number, cells in sheet.rows:
            cleaned = clean_row(sheet, number, cells)
            rows.append(MovementRow(number, cleaned.values, cleaned.errors))
            if len(rows) % 5000 == 0:
                progress(len(rows), sheet.total, phase="reading")
        progress(len(rows), sheet.total, phase="checking")
        self._check(rows)
        progress(sheet.total, sheet.total, phase="checking")
        for row in rows:
            outcome = NEW if row.events else UNCHANGED
            report.add(row.number, outcome, row.record_number, row.full_name, self._text(row), row.errors)
        report.plan = rows
        return report

    def _error(self, row, attribute, message):
        row.errors.append((self.header[attribute], str(message)))

    def _check(self, rows):
        self._check_formats_and_duplicates(rows)
        numbers = {r.record_number for r in rows if r.record_number}
        states = self._states(numbers)
        self._load_organizations(rows, states)
        for row in rows:
            if not row.errors and row.record_number not in states and row.movement == FileMovement.ARRIVAL:
                self._check_arrival_identity(row)
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.number)):
            if row.errors:
                continue
            state = states.get(row.record_number)
            if state is None and row.movement == FileMovement.ARRIVAL:
                state = states[row.record_number] = MemberState(None, row.full_name, [], set())
                row.is_new = True
            self._check_row(row, state)
            if state is not None and not row.full_name and not row.errors:
                row.full_name = state.name

    def _check_formats_and_duplicates(self, rows):
        seen = {}
        numbers = {"card_number": {}, "citizen_id": {}}
        for row in rows:
            for attribute, pattern, constraint in FORMATS:
                value = getattr(row, attribute)
                if value and not pattern.match(value):
                    self._error(row, attribute, _constraint_message(constraint))
            if row.date and row.date > self.today:
                self._error(row, "date", FUTURE_DATE)
            key = (row.record_number, row.movement, row.date, row.org_code.upper())
            if key in seen:
                self._error(row, "movement", SAME_ROW % {"row": seen[key]})
            else:
                seen[key] = row.number
            for attribute, first in numbers.items():
                value = getattr(row, attribute)
                if value and first.setdefault(value, (row.number, row.record_number))[1] != row.record_number:
                    self._error(row, attribute, NUMBER_IN_FILE % {"value": value, "row": first[value][0]})

    def _states(self, numbers):
        """The members the file names, each with the events the portal holds."""
        members = {}
        for batch in batches(sorted(numbers), LOOKUP_BATCH):
            for pk, number, name in Member.objects.filter(record_number__in=batch).values_list(
                "pk", "record_number", "full_name"
            ):
                members[pk] = (number, name)
        events = defaultdict(list)
        known = defaultdict(set)
        for batch in batches(sorted(members), LOOKUP_BATCH):
            stored = (
                MovementEvent.objects.filter(member_id__in=batch)
                .order_by("member_id", "date", "pk")
                .values_list("member_id", "kind", "date", "organization_id", "transfer_scope", "pk")
            )
            for member_id, kind, day, org_id, scope, pk in stored:
                events[member_id].append(Event(kind, day, org_id, pk))
                known[member_id].add((kind, day, org_id, scope))
        return {number: MemberState(pk, name, events[pk], known[pk]) for pk, (number, name) in members.items()}

    def _load_organizations(self, rows, states):
        codes = {r.org_code.upper() for r in rows if r.org_code}
        self.spans = defaultdict(list)
        for org_id, code, start, end in Organization.objects.filter(code__in=codes).values_list(
            "id", "code", "valid_from", "valid_to"
        ):
            self.spans[code.upper()].append((start, end, org_id))
        stored = {e.organization_id for state in states.values() for e in state.events}
        in_file = {org for spans in self.spans.values() for _s, _e, org in spans}
        self.code_of = dict(Organization.objects.filter(pk__in=stored).values_list("id", "code"))
        self.code_of.update({org: code for code, spans in self.spans.items() for _s, _e, org in spans})
        self.scope = ScopeIndex(self.actor, stored | in_file)
        self.cards = self._taken("card_number", {r.card_number for r in rows if r.card_number})
        self.citizens = self._taken("citizen_id", {r.citizen_id for r in rows if r.citizen_id})

    def _taken(self, field, values):
        taken = set()
        for batch in batches(sorted(values), LOOKUP_BATCH):
            taken.update(Member.objects.filter(**{f"{field}__in": batch}).values_list(field, flat=True))
        return taken

    def _check_arrival_identity(self, row):
        for attribute in ARRIVAL_IDENTITY:
            if getattr(row, attribute) in ("", None):
                self._error(row, attribute, REQUIRED)
        if row.admission_date and row.date_of_birth and row.admission_date <= row.date_of_birth:
            self._error(row, "admission_date", _constraint_message("member_admitted_after_birth"))
        if row.admission_date and row.date and row.admission_date > row.date:
            self._error(row, "admission_date", ARRIVAL_BEFORE_ADMISSION)
        if row.card_number in self.cards:
            self._error(row, "card_number", CARD_IN_USE % {"value": row.card_number})
        if row.citizen_id in self.citizens:
            self._error(row, "citizen_id", CITIZEN_ID_IN_USE % {"value": row.citizen_id})
        if (
            row.card_number
            and row.admission_date
            and not Member(admission_date=row.admission_date).is_official_on(self.today)
        ):
            self._error(row, "card_number", CARD_ONLY_OFFICIAL)

    def _organization(self, row):
        """The unit the row names, in force on its date, if the actor may write it then; else an error, None."""
        day = row.date
        org_id = next(
            (
                o
                for start, end, o in self.spans.get(row.org_code.upper(), ())
                if start <= day and (end is None or day <= end)
            ),
            None,
        )
        refusal = self.scope.refusal(org_id, day) if org_id is not None else scoping.NOT_IN_SCOPE
        if refusal == scoping.NOT_IN_SCOPE:
            self._error(row, "organization_code", NOT_ON_DATE % {"code": row.org_code, "date": f"{day:%d/%m/%Y}"})
            return None
        if refusal:
            self._error(row, "organization_code", refusal)
            return None
        return org_id

    def _check_row(self, row, state):
        day = row.date
        year = closed_years.reached(day, self.closed, until=self.today)
        if year is not None:
            self._error(row, "date", closed_years.refusal_text(day, year))
            return
        if state is None:
            self._error(row, "record_number", NO_MEMBER % {"value": row.record_number})
            return
        if not row.is_new:
            last = state.last_organization(day)
            if last is None or self.scope.refusal(last, day) == scoping.NOT_IN_SCOPE:
                self._error(row, "record_number", NO_MEMBER % {"value": row.record_number})
                return
        events = self._events(row, state)
        if events is None:
            return
        if all(event in state.known for event in events):
            return  # already recorded: unchanged
        for _kind, _day, org_id, _scope in events:
            refusal = self.scope.refusal(org_id, day)
            if refusal:
                message = NOT_ON_DATE % {"code": self.code_of.get(org_id, ""), "date": f"{day:%d/%m/%Y}"}
                self._error(row, "organization_code", message if refusal == scoping.NOT_IN_SCOPE else refusal)
                return
        replayed = list(state.events)
        for kind, event_day, org_id, _scope in events:
            self._order += 1
            replayed.append(Event(kind, event_day, org_id, self._order))
        try:
            stints_from_events(replayed)
        except ValidationError as error:
            self._error(row, "date", error.messages[0])
            return
        state.events = replayed
        state.known.update(events)
        row.events = events

    def _events(self, row, state):
        """The events the row records, or None after naming what is wrong."""
        day = row.date
        if row.movement in TO_A_UNIT and not row.org_code:
            self._error(row, "organization_code", UNIT_REQUIRED)
            return None
        target = self._organization(row) if row.org_code else None
        if row.org_code and target is None:
            return None
        if row.movement == FileMovement.WITHIN:
            scope = TransferScope.WITHIN_PROVINCE.value
            arrived = (MovementKind.TRANSFER_IN.value, day, target, scope)
            if arrived in state.known:
                origin = next(
                    (
                        e
                        for e in state.known
                        if e[0] == MovementKind.TRANSFER_OUT.value and e[1] == day and e[3] == scope
                    ),
                    None,
                )
                if origin is not None:
                    return [origin, arrived]
            stint = state.stint_on(day)
            if stint is None:
                self._error(row, "date", NOT_A_MEMBER_ON % {"date": f"{day:%d/%m/%Y}"})
                return None
            if stint.organization_id == target:
                self._error(row, "organization_code", SAME_ORGANIZATION)
                return None
            return [(MovementKind.TRANSFER_OUT.value, day, stint.organization_id, scope), arrived]
        kind, scope = EVENT_OF[row.movement]
        if target is None:
            # A decrease without a unit: the member's own unit that day (or the one already recorded).
            recorded = next((e for e in state.known if e[0] == kind and e[1] == day and e[3] == scope), None)
            if recorded is not None:
                return [recorded]
            stint = state.stint_on(day)
            if stint is None:
                self._error(row, "date", NOT_A_MEMBER_ON % {"date": f"{day:%d/%m/%Y}"})
                return None
            target = stint.organization_id
        return [(kind, day, target, scope)]

    def _text(self, row):
        if not row.movement or not row.date:
            return ""
        parts = [f"{FileMovement(row.movement).label} {row.date:%d/%m/%Y}"]
        codes = [self.code_of.get(org_id, "") for _k, _d, org_id, _s in row.events]
        if codes:
            parts.append(" → ".join(codes))
        elif row.org_code:
            parts.append(row.org_code)
        return " · ".join(parts)

    # --- the plan kept between the check and the import

    def dump_plan(self, report):
        """The rows that write, as JSON: the import reuses them when the portal has not changed since the check."""
        return json.dumps([r.dump() for r in report.plan if r.events]).encode()

    def load_plan(self, data):
        return [MovementRow.load(values) for values in json.loads(data)]

    def plan_version(self):
        """What the check relied on: the members and their events, the tree, the roles, the rating years, the day."""
        from evaluations.models import RatingYear  # evaluations sits above members: read at run time

        audited = (Member, MovementEvent, Organization, Placement, Role, RatingYear)
        return data_version(audited, unaudited=(Member, MovementEvent, Placement, Role))

    # --- write

    def write(self, report, progress):
        rows = sorted((r for r in report.plan if r.events), key=lambda r: (r.date, r.number))
        audit = AuditCopy(self.actor)
        progress(0, len(rows), phase="writing")
        member_ids = dict(
            Member.objects.filter(record_number__in={r.record_number for r in rows if not r.is_new}).values_list(
                "record_number", "pk"
            )
        )
        member_ids.update(write_arrivals([r for r in rows if r.is_new], audit))
        movements = write_events(rows, member_ids, audit)
        changed = move_admission_dates(rows, member_ids, audit)
        stints = memberships_rebuild_bulk({member_ids[r.record_number] for r in rows})
        progress(len(rows), len(rows), phase="writing")
        report.written = {
            "members": sum(r.is_new for r in rows),
            "movements": movements,
            "admission_dates": changed,
            "memberships": stints,
        }
        return report


@register
class MovementFileKind(Kind):
    slug = "chuyen-sinh-hoat"
    label = _("Member movements")
    help_text = _(
        "One row per movement: arrivals from another province (with the identity of a person new to the portal), "
        "departures to another province, moves within the province between any two units you may change, deaths, "
        "expulsions, striking off, withdrawals, re-admissions. Members are matched on the party record number; a "
        "movement already recorded is left as it is."
    )
    importer = MovementImporter
    template_title = _("Template: member movements")
    template_notes = (
        _(
            "A move within the province writes a transfer out of the member's unit on that day and a transfer in "
            "to the unit given."
        ),
        _("Arrivals keep the admission date of the member's party record; they are not admissions of the year."),
    )
    written_labels = {
        "members": _("Members arriving from another province"),
        "movements": _("Movements recorded"),
        "admission_dates": _("Admission dates moved by a re-admission"),
        "memberships": _("Periods on the rolls"),
    }
    order = 25
