"""The plan of a reorganization — what it will change, resolved and checked — and the members' side that
organizations.reorganizations calls without importing the members app."""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from .models import Organization


class MemberSide:
    """What a reorganization needs to know and do about members; the members app registers the real one."""

    def on_rolls(self, organization_ids, on):
        """{organization id: [(member id, label)]} of the members on each organization's own rolls on `on`."""
        return {}

    def count_in_subtree(self, path, on):
        return 0

    def events_after(self, organization_ids, on):
        """The ids among `organization_ids` with a movement event dated after `on`."""
        return set()

    def transfer(self, *, actor, member_ids, from_organization, to_organization, on, note):
        """Move the members from one organization to another on `on`."""

    def end_seats(self, *, actor, organization, last_day):
        """End the open committee seats of an organization that ends on `last_day`."""


_member_side = MemberSide()


def register_member_side(side):
    """Called once by the members app at start-up, like party_portal.closed_years.register."""
    global _member_side
    _member_side = side


@dataclass
class NewUnit:
    """A successor to create: a code not in use on the date, with its name, kind, type and parent."""

    code: str
    name: str = ""
    kind: str = ""
    org_type: str = ""
    parent: Organization | None = None
    created: Organization | None = None

    def label(self):
        return f"{self.code} – {self.name}"


def _label(unit):
    return unit.label() if isinstance(unit, NewUnit) else f"{unit.code} – {unit.name}"


@dataclass
class Plan:
    """Everything an operation will change, resolved and checked; the preview shows it and apply carries it out."""

    kind: str
    effective_on: object
    decision_number: str = ""
    decision_date: object = None
    note: str = ""
    ends: list = field(default_factory=list)  # organizations whose last day is the day before
    begins: list = field(default_factory=list)  # NewUnit
    successors: list = field(default_factory=list)  # Organization or NewUnit, in order
    unit_moves: list = field(default_factory=list)  # (sub-unit, its predecessor, successor)
    member_moves: list = field(default_factory=list)  # (member ids, predecessor, successor)
    organization: Organization | None = None
    new_parent: Organization | None = None
    new_name: str = ""

    @property
    def last_day(self):
        return self.effective_on - timedelta(days=1)

    def summary(self):
        """What the preview page and the API show: codes and names, never an internal id."""
        moved = {}
        for member_ids, source, target in self.member_moves:
            key = (_label(source), _label(target))
            moved[key] = moved.get(key, 0) + len(member_ids)
        return {
            "kind": self.kind,
            "effective_on": self.effective_on,
            "ends": [_label(org) for org in self.ends],
            "begins": [
                {"unit": unit.label(), "parent": _label(unit.parent) if unit.parent else ""} for unit in self.begins
            ],
            "units_moved": [
                {"unit": _label(unit), "from": _label(source), "to": _label(target)}
                for unit, source, target in self.unit_moves
            ]
            + (
                [{"unit": _label(self.organization), "from": "", "to": _label(self.new_parent)}]
                if self.new_parent
                else []
            ),
            "members_moved": [{"from": source, "to": target, "count": n} for (source, target), n in moved.items()],
            "renamed": [{"unit": _label(self.organization), "new_name": self.new_name}] if self.new_name else [],
        }

    def fingerprint(self):
        """A short digest of the summary: confirming a preview applies it only if nothing changed in between."""
        return hashlib.sha256(repr(self.summary()).encode()).hexdigest()[:16]


def member_side():
    return _member_side
