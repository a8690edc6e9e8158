"""The rows of a movements file as the check holds them, and each member's events as the file is replayed."""

import re
from datetime import date

from members.rolls import stints_from_events


class MovementRow:
    """One checked row, compact: a file of 100,000 rows is held in memory between the check and the writes."""

    __slots__ = (
        "admission_date",
        "card_number",
        "citizen_id",
        "date",
        "date_of_birth",
        "errors",
        "ethnicity",
        "events",
        "full_name",
        "gender",
        "is_new",
        "movement",
        "note",
        "number",
        "org_code",
        "record_number",
        "religion",
    )

    def __init__(self, number, values, errors):
        self.number = number
        self.errors = errors
        self.record_number = re.sub(r"\s", "", values["record_number"] or "").upper()
        self.movement = values["movement"] or ""
        self.date = values["date"]
        self.org_code = (values["organization_code"] or "").strip()
        self.full_name = values["full_name"] or ""
        self.gender = values["gender"] or ""
        self.date_of_birth = values["date_of_birth"]
        self.admission_date = values["admission_date"]
        self.ethnicity = values["ethnicity"] or ""
        self.religion = values["religion"] or ""
        self.card_number = re.sub(r"\s", "", str(values["card_number"] or ""))
        self.citizen_id = re.sub(r"\s", "", str(values["citizen_id"] or ""))
        self.note = values["note"] or ""
        self.is_new = False
        self.events = []  # (kind, date, organization id, transfer scope) to write

    # What the writes need of a row that writes, kept as JSON between the check and the import.
    PLAN_FIELDS = (
        "number",
        "record_number",
        "is_new",
        "date",
        "full_name",
        "gender",
        "date_of_birth",
        "admission_date",
        "ethnicity",
        "religion",
        "card_number",
        "citizen_id",
        "note",
    )
    DATES = ("date", "date_of_birth", "admission_date")

    def dump(self):
        values = [getattr(self, name) for name in self.PLAN_FIELDS]
        values = [v.toordinal() if isinstance(v, date) else v for v in values]
        return [*values, [[kind, day.toordinal(), org_id, scope] for kind, day, org_id, scope in self.events]]

    @classmethod
    def load(cls, values):
        row = cls.__new__(cls)
        *fields, events = values
        for name, value in zip(cls.PLAN_FIELDS, fields, strict=True):
            setattr(row, name, date.fromordinal(value) if name in cls.DATES and value is not None else value)
        row.events = [(kind, date.fromordinal(day), org_id, scope) for kind, day, org_id, scope in events]
        row.errors = []
        return row


class MemberState:
    """A member's events as the file is replayed over them: those stored, then the file's, row by row."""

    def __init__(self, member_id, name, events, known):
        self.member_id = member_id
        self.name = name
        self.events = events  # members.rolls.Event
        self.known = known  # (kind, date, organization id, transfer scope) already recorded

    def stint_on(self, day):
        stints = stints_from_events(self.events)
        return next((s for s in stints if s.start <= day and (s.end is None or s.end > day)), None)

    def last_organization(self, day):
        stints = stints_from_events(self.events)
        started = [s for s in stints if s.start <= day] or stints
        return started[-1].organization_id if started else None
