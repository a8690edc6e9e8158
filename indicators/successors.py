"""T3 through successors (docs/counting-rules.md §3): a unit that ended inside year Y by merger or split still
counts for Y where its successor sits on 31/12/Y — its admissions dated in Y and its rolls on 31/12/(Y−1).

Each record of the ended unit follows its member: to the successor whose rolls took the member on the day of
the reorganization, or to the first successor when none did (a member who had left before, or was no longer
on the rolls). A successor that itself ended inside Y passes the record on the same way."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from members.models import ADMISSION_KINDS, Membership, MovementEvent, MovementKind
from organizations.models import Organization, SuccessorLink

# A chain of reorganizations inside one year is short; the bound only guards against a cycle in bad data.
MAX_CHAIN = 20


@dataclass(frozen=True)
class Carried:
    """One record of an ended unit and the unit in force on 31/12 of the year that counts it."""

    pk: int  # a MovementEvent (admission) or a Membership (stint on the rolls on 31/12 of the year before)
    destination: int
    readmission: bool = False


@dataclass(frozen=True)
class CarriedRecords:
    admissions: tuple
    base: tuple

    def counts(self, organization_ids=None):
        """T3 counts per destination ({org_id: Counter}), only for destinations in `organization_ids` if given."""
        result = {}
        for key, records in (("t3_admissions", self.admissions), ("t3_base", self.base)):
            for record in records:
                if organization_ids is not None and record.destination not in organization_ids:
                    continue
                counts = result.setdefault(record.destination, Counter())
                counts[key] += 1
                if record.readmission:
                    counts["t3_readmissions"] += 1
        return result

    def destinations(self):
        return {record.destination for record in (*self.admissions, *self.base)}


def _ended(year):
    """{unit id: first day after it} for the units that were in force on 31/12/(Y−1) or began in Y, ended before
    31/12/Y and have successors."""
    eve, end = date(year - 1, 12, 31), date(year, 12, 31)
    rows = (
        Organization.objects.filter(valid_to__gte=eve, valid_to__lt=end, successor_links__isnull=False)
        .distinct()
        .values_list("pk", "valid_to")
    )
    return {pk: valid_to + timedelta(days=1) for pk, valid_to in rows}


def carried_records(year):
    """The admissions in `year` and the stints on the rolls on 31/12/(year−1) of units that ended inside the
    year, each with the unit in force on 31/12/year that counts it."""
    ended = _ended(year)
    if not ended:
        return CarriedRecords((), ())
    successors = {}
    for predecessor, successor in (
        SuccessorLink.objects.filter(predecessor_id__in=ended)
        .order_by("pk")
        .values_list("predecessor_id", "successor_id")
    ):
        successors.setdefault(predecessor, []).append(successor)
    eve = date(year - 1, 12, 31)
    admissions = list(
        MovementEvent.objects.filter(kind__in=ADMISSION_KINDS, date__year=year, organization_id__in=ended).values_list(
            "pk", "member_id", "organization_id", "kind"
        )
    )
    base = list(
        Membership.objects.filter(organization_id__in=ended, start__lte=eve)
        .filter(Q(end__isnull=True) | Q(end__gt=eve))
        .values_list("pk", "member_id", "organization_id")
    )
    members = {row[1] for row in admissions} | {row[1] for row in base}
    all_successors = {s for targets in successors.values() for s in targets}
    # Where the reorganization put each member: the stint that began at a successor on the day it took effect.
    taken = {
        (member_id, organization_id, start)
        for member_id, organization_id, start in Membership.objects.filter(
            member_id__in=members, organization_id__in=all_successors, start__in=set(ended.values())
        ).values_list("member_id", "organization_id", "start")
    }

    def destination(member_id, unit):
        for _ in range(MAX_CHAIN):
            if unit not in ended or unit not in successors:
                return unit
            targets = successors[unit]
            unit = next((t for t in targets if (member_id, t, ended[unit]) in taken), targets[0])
        return unit

    return CarriedRecords(
        admissions=tuple(
            Carried(pk, destination(member_id, unit), readmission=kind == MovementKind.READMITTED)
            for pk, member_id, unit, kind in admissions
        ),
        base=tuple(Carried(pk, destination(member_id, unit)) for pk, member_id, unit in base),
    )
