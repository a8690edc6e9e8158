"""Write the generated province with bulk inserts: the rows the services would write, without their per-row cost.

No audit history rows are written (bulk_create sends no signals): the demo province's audit trail starts at
load time, as recorded in docs/decisions.md.
"""

from datetime import date
from itertools import islice

from members.models import (
    Code,
    CodeList,
    CommitteeSeat,
    Discipline,
    GovernmentPost,
    MeetingAttendance,
    Member,
    Membership,
    MovementEvent,
    StatusPeriod,
    TheoryQualification,
)
from organizations.models import LEVEL_OF_KIND, Organization, OrgKind, Placement
from party_portal.text import fold

from .records import coded_records

# Rows built and inserted per round trip. Django lowers it further on SQLite to stay under 999 variables per
# statement; 5,000 keeps memory flat at the large size (a quarter of a million members).
BATCH_SIZE = 5_000


def _day(ordinal):
    return date.fromordinal(ordinal) if ordinal is not None else None


def _chunks(rows, size=BATCH_SIZE):
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _bulk(model, rows):
    count = 0
    for chunk in _chunks(rows):
        model.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        count += len(chunk)
    return count


class Writer:
    def __init__(self, tree, people, extras, records_rng, posts):
        self.tree = tree
        self.people = people
        self.extras = extras
        self.posts = posts
        self.records_rng = records_rng
        self.org_ids = []
        self.member_ids = []
        self.counts = {}

    def write(self):
        self._organizations()
        self._placements()
        self._members()
        m = self.member_ids
        o = self.org_ids
        self.counts["events"] = _bulk(
            MovementEvent,
            (
                MovementEvent(
                    member_id=m[p.index],
                    kind=kind,
                    date=_day(day),
                    organization_id=o[unit],
                    transfer_scope=scope,
                    note=note,
                )
                for p in self.people
                for kind, day, unit, scope, note in p.events
            ),
        )
        self.counts["memberships"] = _bulk(
            Membership,
            (
                Membership(member_id=m[p.index], organization_id=o[unit], start=_day(start), end=_day(end))
                for p in self.people
                for unit, start, end in p.stints
            ),
        )
        self.counts["status_periods"] = _bulk(
            StatusPeriod,
            (
                StatusPeriod(
                    member_id=m[p.index],
                    kind=kind,
                    start=_day(start),
                    end=_day(end),
                    host_organization_id=o[host] if host is not None else None,
                    reason=reason,
                )
                for p, kind, start, end, host, reason in self.extras.statuses
            ),
        )
        self.counts["theory_levels"] = _bulk(
            TheoryQualification,
            (
                TheoryQualification(member_id=m[p.index], level=level, obtained_on=_day(day))
                for p, level, day in self.extras.theory
            ),
        )
        self.counts["disciplines"] = _bulk(
            Discipline,
            (
                Discipline(member_id=m[p.index], kind=kind, decided_on=_day(day), reason=reason)
                for p, kind, day, reason in self.extras.disciplines
            ),
        )
        self.counts["committee_seats"] = _bulk(
            CommitteeSeat,
            (
                CommitteeSeat(member_id=m[p.index], organization_id=o[org], role=role, start=_day(s), end=_day(e))
                for p, org, role, s, e in self.extras.seats
            ),
        )
        self._posts()
        return self.counts

    def _posts(self):
        m = self.member_ids
        o = self.org_ids
        kinds = dict(Code.objects.filter(list=CodeList.POST).values_list("code", "pk"))
        self.counts["government_posts"] = _bulk(
            GovernmentPost,
            (
                GovernmentPost(
                    member_id=m[p.index],
                    kind_id=kinds[code],
                    organization_id=o[org],
                    place=place,
                    start=_day(s),
                    end=_day(e),
                )
                for p, code, org, place, s, e in self.posts.posts
            ),
        )
        self.counts["meeting_attendance"] = _bulk(
            MeetingAttendance,
            (
                MeetingAttendance(
                    organization_id=o[cell],
                    year=year,
                    quarter=quarter,
                    member_id=m[p.index],
                    meetings_held=held,
                    meetings_attended=attended,
                )
                for cell, year, quarter, p, held, attended in self.posts.attendance
            ),
        )

    def _organizations(self):
        objects = [
            Organization(
                code=spec.code,
                name=spec.name,
                name_folded=fold(spec.name),
                kind=spec.kind,
                level=LEVEL_OF_KIND[OrgKind(spec.kind)],
                org_type=spec.org_type,
                valid_from=spec.valid_from,
                valid_to=spec.valid_to,
            )
            for spec in self.tree.orgs
        ]
        Organization.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.org_ids = [obj.pk for obj in objects]
        successors = []
        for spec, obj in zip(self.tree.orgs, objects, strict=True):
            if spec.successor_of is not None:
                obj.successor_of_id = self.org_ids[spec.successor_of]
                successors.append(obj)
        Organization.objects.bulk_update(successors, ["successor_of"], batch_size=BATCH_SIZE)
        self.counts["organizations"] = len(objects)

    def _placements(self):
        """Paths of ids as of each placement's first day, computed as the services compute them."""
        orgs = self.tree.orgs
        ids = self.org_ids
        located = {}

        def locate(index, day):
            for n, (_, start, end) in enumerate(orgs[index].segments):
                if start <= day and (end is None or day <= end):
                    return place(index, n)
            raise ValueError(f"{orgs[index].code} has no placement on {day}")

        def place(index, n):
            key = (index, n)
            if key not in located:
                parent, start, _ = orgs[index].segments[n]
                if parent is None:
                    located[key] = (f"/{ids[index]}/", 0)
                else:
                    path, depth = locate(parent, start)
                    located[key] = (f"{path}{ids[index]}/", depth + 1)
            return located[key]

        rows = []
        for spec in orgs:
            for n, (parent, start, end) in enumerate(spec.segments):
                path, depth = place(spec.index, n)
                rows.append(
                    Placement(
                        organization_id=ids[spec.index],
                        parent_id=ids[parent] if parent is not None else None,
                        valid_from=start,
                        valid_to=end,
                        path=path,
                        depth=depth,
                    )
                )
        self.counts["placements"] = _bulk(Placement, rows)

    def _members(self):
        ids = []
        records = coded_records(self.records_rng, self.people)
        for chunk in _chunks(self.people):
            objects = [
                Member(
                    full_name=p.full_name,
                    name_folded=fold(p.full_name),
                    gender=p.gender,
                    date_of_birth=_day(p.birth),
                    ethnicity=p.ethnicity,
                    religion=p.religion,
                    record_number=p.record_number,
                    card_number=p.card_number,
                    citizen_id=p.citizen_id,
                    admission_date=_day(p.admission),
                    **next(records),
                )
                for p in chunk
            ]
            Member.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            ids.extend(obj.pk for obj in objects)
        self.member_ids = ids
        self.counts["members"] = len(ids)
