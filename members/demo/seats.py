"""Committee seats (cấp ủy viên): TCCSĐ committees for the 2015, 2020 and 2025 terms, and the district, bloc and
commune committees above them. A mixin of Extras: it needs the members' stints and their status periods."""

from datetime import date

from members.models import SeatRole
from organizations.models import OrgKind

from .people import END
from .tree import REFORM_DAY

REFORM = REFORM_DAY.toordinal()


def ordinal(y, m, d):
    return date(y, m, d).toordinal()


def stop_day(person):
    """The last day the person is on the rolls (within the data)."""
    end = person.stints[-1][2]
    return end - 1 if end is not None else END


class SeatsMixin:
    def _seats(self):
        rng = self.rng
        tree = self.tree
        self.unit_stints = {}
        for person in self.people:
            for unit, start, end in person.stints:
                self.unit_stints.setdefault(unit, []).append((person, start, end))
        congresses = (
            (ordinal(2015, 3, 10), ordinal(2015, 7, 20)),
            (ordinal(2020, 3, 10), ordinal(2020, 7, 20)),
            (ordinal(2025, 3, 15), ordinal(2025, 6, 25)),
        )
        for index in tree.tccsd:
            org = tree.orgs[index]
            units = [u for u in tree.subtree(index) if tree.orgs[u].is_unit]
            days = [rng.randint(a, b) for a, b in congresses]
            unit_set = set(units)
            for start, end in _terms(rng, org, days):
                on_rolls = self._on_rolls(units, start)
                size = _grassroots_size(rng, org.kind, len(on_rolls))
                holders = self._elect(on_rolls, start, size)
                self._committee(index, holders, _roles(size), start, end, units, unit_set)
        self._upper_seats()

    def _on_rolls(self, units, day):
        found = []
        for unit in units:
            for person, start, end in self.unit_stints.get(unit, ()):
                if start <= day and (end is None or end > day):
                    found.append(person)
        return found

    def _elect(self, on_rolls, day, size, preferred=frozenset()):
        """Official members aged 25–60, not exempt or suspended; mostly 33–57, secretaries below first."""
        rng = self.rng
        eligible = [
            p for p in on_rolls if p.official_from <= day and 25 <= p.age(day) <= 60 and not self._is_busy(p, day)
        ]
        eligible.sort(key=lambda p: p.index)
        ranked = sorted(
            eligible,
            key=lambda p: rng.random() + (0 if 33 <= p.age(day) <= 57 else 0.6) - (0.8 if p.index in preferred else 0),
        )
        return ranked[:size]

    def _seat(self, person, organization, role, start, end, units):
        """The seat ends the day before its holder leaves the organization's rolls (moving between its cells is
        staying)."""
        leave = None
        found = False
        for unit, first, last in person.stints:
            if not found:
                if first <= start and (last is None or last > start):
                    found, leave = True, last
                continue
            if leave is not None and first == leave and unit in units:
                leave = last
            else:
                break
        if leave is not None and (end is None or leave - 1 < end):
            end = leave - 1
        seat = [person, organization, role, start, end]
        self.seats.append(seat)
        self.seats_by_org.setdefault(organization, []).append(seat)
        return seat

    def _committee(self, organization, holders, roles, start, end, units, unit_set):
        """Seat a committee for a term."""
        self.committee_units[organization] = (units, unit_set)
        term = [
            self._seat(p, organization, role, start, end, unit_set) for role, p in zip(roles, holders, strict=False)
        ]
        if term:
            self.keep_secretary(term[0], end)

    def keep_secretary(self, secretary, end):
        """When the secretary leaves before `end` (the term's), the deputy steps up, or a secretary is elected."""
        organization = secretary[1]
        units, unit_set = self.committee_units[organization]
        for _ in range(4):
            if secretary[4] is None or secretary[4] == end or secretary[4] >= END:
                return
            day = secretary[4] + 1
            sitting = [s for s in self.seats_by_org[organization] if s[3] <= day and _open(s, day)]
            deputies = [s for s in sitting if s[2] == SeatRole.DEPUTY_SECRETARY and s[3] < day]
            if deputies:
                deputies[0][4] = day - 1
                person = deputies[0][0]
            else:
                taken = {s[0].index for s in sitting}
                chosen = [p for p in self._elect(self._on_rolls(units, day), day, 4) if p.index not in taken]
                if not chosen:
                    return
                person = chosen[0]
            secretary = self._seat(person, organization, SeatRole.SECRETARY, day, end, unit_set)

    def _upper_seats(self):
        """District, bloc and (from 1/7/2025) commune committees, drawn mostly from TCCSĐ secretaries."""
        rng = self.rng
        tree = self.tree
        secretaries = {}
        for person, organization, role, start, end in self.seats:
            if role == SeatRole.SECRETARY:
                secretaries.setdefault(organization, []).append((person.index, start, end))
        for index in tree.districts + tree.directs + tree.communes:
            org = tree.orgs[index]
            if org.kind == OrgKind.COMMUNE_COMMITTEE:
                moved = [t for t, parent in tree.reform_parent.items() if parent == index]
                congress = rng.randint(ordinal(2025, 9, 10), ordinal(2025, 10, 20))
                terms, size_range, standing = [(REFORM, congress - 1), (congress, None)], (15, 25), 5
            else:
                moved = [t for t in tree.tccsd if tree.orgs[t].upper == index]
                first = rng.randint(ordinal(2015, 7, 15), ordinal(2015, 9, 15))
                second = rng.randint(ordinal(2020, 7, 15), ordinal(2020, 9, 15))
                if org.kind == OrgKind.DISTRICT_COMMITTEE:
                    terms, size_range, standing = (
                        [(first, second - 1), (second, org.valid_to.toordinal())],
                        (33, 45),
                        11,
                    )
                else:
                    third = rng.randint(ordinal(2025, 7, 10), ordinal(2025, 9, 15))
                    terms = [(first, second - 1), (second, third - 1), (third, None)]
                    size_range, standing = (25, 35), 7
            units = {u for t in moved for u in tree.subtree(t) if tree.orgs[u].is_unit}
            ordered = sorted(units)
            for start, end in terms:
                on_rolls = self._on_rolls(ordered, start)
                preferred = frozenset(
                    p for t in moved for p, s, e in secretaries.get(t, ()) if s <= start and (e is None or e >= start)
                )
                size = min(rng.randint(*size_range), len(on_rolls))
                holders = self._elect(on_rolls, start, size, preferred=preferred)
                self._committee(index, holders, _roles(size, standing=standing), start, end, ordered, units)


def _open(seat, day):
    return seat[4] is None or seat[4] >= day


def _terms(rng, org, congresses):
    """(start, end) of each committee term of a TCCSĐ: congresses of 2015, 2020 and 2025, or appointment."""
    founded = org.valid_from.toordinal()
    closed = org.valid_to.toordinal() if org.valid_to else None
    terms = []
    for n, congress in enumerate(congresses):
        following = congresses[n + 1] if n + 1 < len(congresses) else None
        if founded < congress:
            start = congress
        elif following is None or founded < following - 60:
            start = founded + rng.randint(10, 45)
        else:
            continue
        end = following - 1 if following else None
        if closed is not None:
            if closed < start:
                continue
            end = closed if end is None else min(end, closed)
        if start <= END and (end is None or end >= start):
            terms.append((start, end))
    return terms


def _grassroots_size(rng, kind, members):
    """Đảng ủy cơ sở of 3–9 by size; chi ủy of 3 from 9 members, else a secretary (and a deputy)."""
    if kind == OrgKind.GRASSROOTS_COMMITTEE:
        if members < 50:
            return rng.choice([3, 5])
        return rng.choice([5, 7]) if members < 150 else rng.choice([7, 9])
    return 3 if members >= 9 else rng.choice([1, 2])


def _roles(size, standing=None):
    """Secretary, deputies and standing members first; a standing committee exists from 9 seats."""
    if standing is None:
        standing = 3 if size >= 9 else 0
    deputies = 2 if size >= 15 else 1
    roles = [SeatRole.SECRETARY] + [SeatRole.DEPUTY_SECRETARY] * deputies
    roles += [SeatRole.STANDING_MEMBER] * max(0, standing - len(roles))
    return (roles + [SeatRole.MEMBER] * size)[:size]
