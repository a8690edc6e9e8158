"""Everything dated around the movements: stints, status periods, committee seats, theory levels, disciplines,
and the identity numbers. Plain Python over the simulated people; dates are ordinals."""

from datetime import date

from members.models import DisciplineKind, SeatRole, StatusKind
from members.rolls import Event, stints_from_events
from organizations.models import OrgKind

from . import names
from .people import END, EXPELLED, START, YEAR
from .tree import PROVINCE_CODE, REFORM_DAY

LOCAL_CITIZEN_PREFIX = "097"  # CCCD province-of-birth code; unused by real provinces, like the demo province
CITIZEN_PREFIX = {
    "HN": "001",
    "HP": "031",
    "BN": "027",
    "PT": "025",
    "TQ": "008",
    "LS": "020",
    "NA": "040",
    "TH": "038",
    "NB": "037",
    "QN": "022",
    "LC": "010",
    "HCM": "079",
    "DNG": "048",
    "DL": "066",
    "CT": "092",
}
# Highest theory level of ordinary members by profile: weights of NONE .. BACHELOR.
ORDINARY_THEORY = {
    "agency": [15, 35, 35, 12, 3],
    "school": [35, 45, 17, 3, 0],
    "health": [35, 45, 17, 3, 0],
    "army": [30, 40, 22, 7, 1],
    "police": [30, 40, 22, 7, 1],
}
DEFAULT_THEORY = [50, 38, 10, 2, 0]
# Committee members when first seated: mostly intermediate or better (Quy định 214 on cadre standards).
SEAT_THEORY = [5, 25, 45, 20, 5]
DISCIPLINE_RATE = 0.002  # a year per member on the rolls
REFORM = REFORM_DAY.toordinal()


def _day(y, m, d):
    return date(y, m, d).toordinal()


def derive_stints(people):
    """The same function the services use turns each member's events into stints (raises if impossible)."""
    for person in people:
        events = [
            Event(kind, date.fromordinal(day), unit, n) for n, (kind, day, unit, _, _) in enumerate(person.events)
        ]
        person.stints = [
            (s.organization_id, s.start.toordinal(), s.end.toordinal() if s.end else None)
            for s in stints_from_events(events)
        ]


def _stop(person):
    """The last day the person is on the rolls (within the data)."""
    end = person.stints[-1][2]
    return end - 1 if end is not None else END


class Extras:
    def __init__(self, rng, tree, people):
        self.rng = rng
        self.tree = tree
        self.people = people
        self.units = tree.units
        self.stable = [u for u in self.units if tree.orgs[u].valid_to is None and tree.orgs[u].valid_from.year < 2019]
        self.statuses = []  # (person, kind, start, end, host unit, reason)
        self.busy = {}  # person index -> [(start, end)] exempt or suspended
        self.seats = []  # [person, organization index, role, start, end]
        self.theory = []  # (person, level, day)
        self.disciplines = []  # (person, kind, day, reason)

    def build(self):
        self._statuses()
        self._seats()
        self._theory()
        self._disciplines()
        _identities(self.rng, self.people)
        return self

    # Status periods ------------------------------------------------------------------------------------------

    def _add_status(self, person, kind, start, end, host=None, reason=""):
        self.statuses.append((person, kind, start, end, host, reason))
        if kind != StatusKind.TEMPORARY_ELSEWHERE:
            self.busy.setdefault(person.index, []).append((start, end if end is not None else END))

    def _statuses(self):
        rng = self.rng
        for person in self.people:
            unit, first, end = person.stints[-1]
            stop = _stop(person)
            for _, began, ended in person.stints:
                expelled = any(k == EXPELLED and d == ended for k, d, _, _, _ in person.events)
                if expelled and (isinstance(person.script, list) or rng.random() < 0.5):
                    # Suspended while the case was examined, up to the expulsion.
                    start = max(ended - rng.randint(40, 150), began)
                    if start < ended:
                        reason = names.SUSPENDED_REASONS[0]
                        self._add_status(person, StatusKind.SUSPENDED, start, ended - 1, None, reason)
            if person.script == "EXEMPT":
                self._add_status(
                    person, StatusKind.EXEMPT, max(first, _day(2020, 1, 2)), _day(2021, 12, 31), None, "Ốm đau dài ngày"
                )
                continue
            if person.script == "TEMPORARY_ELSEWHERE":
                host = next(u for u in self.stable if u != unit)
                reason = "Đi công tác có thời hạn"
                self._add_status(
                    person, StatusKind.TEMPORARY_ELSEWHERE, _day(2022, 9, 1), _day(2023, 8, 31), host, reason
                )
                continue
            if person.script is not None or person.index in self.busy:
                continue
            window_start = max(first, START)
            if person.age(stop) >= 68 and rng.random() < 0.14:
                start = max(first, person.birth + int(rng.uniform(68, 82) * YEAR), START - 6 * 365)
                if start <= stop:
                    self._add_status(
                        person, StatusKind.EXEMPT, start, end - 1 if end else None, None, names.EXEMPT_REASONS[0]
                    )
                continue
            draw = rng.random()
            if draw < 0.004 and stop - window_start > 200:
                start = rng.randint(window_start, stop - 180)
                finish = min(start + rng.randint(180, 720), stop)
                self._add_status(person, StatusKind.EXEMPT, start, finish, None, names.EXEMPT_REASONS[1])
            elif draw < 0.0052 and stop - window_start > 100:
                start = rng.randint(window_start, stop - 60)
                finish = min(start + rng.randint(60, 270), stop)
                reason = rng.choice(names.SUSPENDED_REASONS)
                self._add_status(person, StatusKind.SUSPENDED, start, finish, None, reason)
            elif draw < 0.0172 and stop - window_start > 120 and person.age(window_start) < 55:
                start = rng.randint(window_start, stop - 90)
                finish = min(start + rng.randint(90, 540), stop)
                if rng.random() < 0.7:
                    host, reason = rng.choice(self.stable), rng.choice(names.TEMPORARY_REASONS)
                    if host == unit:
                        continue
                else:
                    host, reason = None, f"Sinh hoạt tạm thời tại Đảng bộ {rng.choice(names.OUTSIDE_PROVINCES)[0]}"
                self._add_status(person, StatusKind.TEMPORARY_ELSEWHERE, start, finish, host, reason)

    def _is_busy(self, person, day):
        return any(start <= day <= end for start, end in self.busy.get(person.index, ()))

    # Committee seats -----------------------------------------------------------------------------------------

    def _seats(self):
        rng = self.rng
        tree = self.tree
        self.unit_stints = {}
        for person in self.people:
            for unit, start, end in person.stints:
                self.unit_stints.setdefault(unit, []).append((person, start, end))
        congresses = (
            (_day(2015, 3, 10), _day(2015, 7, 20)),
            (_day(2020, 3, 10), _day(2020, 7, 20)),
            (_day(2025, 3, 15), _day(2025, 6, 25)),
        )
        self.secretaries = {}  # (upper index, term start year) -> [person]
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
        return seat

    def _committee(self, organization, holders, roles, start, end, units, unit_set):
        """Seat a committee for a term; when the secretary leaves, the deputy steps up (or one is elected)."""
        term = [
            self._seat(p, organization, role, start, end, unit_set) for role, p in zip(roles, holders, strict=False)
        ]
        secretary = term[0] if term else None
        for _ in range(4):
            if secretary is None or secretary[4] == end or secretary[4] >= END:
                return
            day = secretary[4] + 1
            deputies = [s for s in term if s[2] == SeatRole.DEPUTY_SECRETARY and s[3] < day and _open(s, day)]
            if deputies:
                deputies[0][4] = day - 1
                person = deputies[0][0]
            else:
                sitting = {s[0].index for s in term if s[3] <= day and _open(s, day)}
                chosen = [p for p in self._elect(self._on_rolls(units, day), day, 4) if p.index not in sitting]
                if not chosen:
                    return
                person = chosen[0]
            secretary = self._seat(person, organization, SeatRole.SECRETARY, day, end, unit_set)
            term.append(secretary)

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
                congress = rng.randint(_day(2025, 9, 10), _day(2025, 10, 20))
                terms, size_range, standing = [(REFORM, congress - 1), (congress, None)], (15, 25), 5
            else:
                moved = [t for t in tree.tccsd if tree.orgs[t].upper == index]
                first = rng.randint(_day(2015, 7, 15), _day(2015, 9, 15))
                second = rng.randint(_day(2020, 7, 15), _day(2020, 9, 15))
                if org.kind == OrgKind.DISTRICT_COMMITTEE:
                    terms, size_range, standing = (
                        [(first, second - 1), (second, org.valid_to.toordinal())],
                        (33, 45),
                        11,
                    )
                else:
                    third = rng.randint(_day(2025, 7, 10), _day(2025, 9, 15))
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

    # Theory levels -------------------------------------------------------------------------------------------

    def _theory(self):
        rng = self.rng
        first_seat = {}
        upper_seat = {}
        for person, organization, _, start, _ in self.seats:
            first_seat[person.index] = min(first_seat.get(person.index, start), start)
            if self.tree.orgs[organization].kind not in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL):
                upper_seat[person.index] = min(upper_seat.get(person.index, start), start)
        for person in self.people:
            cap = _stop(person)
            joined = min(person.admission, person.events[0][1])
            seated = first_seat.get(person.index)
            weights = SEAT_THEORY if seated else ORDINARY_THEORY.get(self._profile(person), DEFAULT_THEORY)
            top = rng.choices(range(5), weights=weights)[0]
            held = {}
            day = max(joined + int(rng.uniform(0.2, 3) * YEAR), person.birth + 19 * 365)
            for level in range(1, top + 1):
                if level < top and (rng.random() < 0.4 or (top == 4 and level == 3)):
                    continue
                if day > cap:
                    break
                held[level] = day
                day += int(rng.uniform(2, 7) * YEAR)
            # Committee members study towards intermediate during the term (the 2020–2025 push).
            if seated and max(held, default=0) < 2 and rng.random() < 0.6:
                self._obtain(held, 2, max(seated, max(held.values(), default=0) + 365), min(cap, _day(2024, 12, 31)))
            upper = upper_seat.get(person.index)
            if upper and max(held, default=0) < 3 and rng.random() < 0.5:
                self._obtain(held, 3, max(upper - 3 * 365, max(held.values(), default=0) + 365), min(cap, END))
            for level, obtained in sorted(held.items()):
                self.theory.append((person, level, obtained))

    def _obtain(self, held, level, first, last):
        if first <= last and level not in held:
            held[level] = self.rng.randint(first, last)

    def _profile(self, person):
        return self.tree.orgs[person.stints[0][0]].profile

    # Disciplines ---------------------------------------------------------------------------------------------

    def _disciplines(self):
        rng = self.rng
        seats_of = {}
        for seat in self.seats:
            seats_of.setdefault(seat[0].index, []).append(seat)
        for person in self.people:
            for kind, day, _, _, _ in person.events:
                if kind == EXPELLED:
                    self.disciplines.append(
                        (person, DisciplineKind.EXPULSION, day, rng.choice(names.DISCIPLINE_REASONS))
                    )
            spans = [(max(s, START), (e - 1 if e else END)) for _, s, e in person.stints if (e or END + 1) > START]
            spans = [(a, b) for a, b in spans if a <= b]
            if person.script == "REPRIMAND":
                self.disciplines.append(
                    (person, DisciplineKind.REPRIMAND, _day(2023, 5, 16), names.DISCIPLINE_REASONS[1])
                )
                continue
            years = sum(b - a + 1 for a, b in spans) / YEAR
            if not spans or rng.random() >= DISCIPLINE_RATE * years:
                continue
            a, b = rng.choice(spans)
            day = rng.randint(a, b)
            if day < person.official_from:
                kind = rng.choices([DisciplineKind.REPRIMAND, DisciplineKind.WARNING], weights=[7, 3])[0]
            else:
                kind = rng.choices(
                    [DisciplineKind.REPRIMAND, DisciplineKind.WARNING, DisciplineKind.REMOVAL], weights=[6, 3, 1]
                )[0]
            if kind == DisciplineKind.REMOVAL:
                held = [s for s in seats_of.get(person.index, ()) if s[3] < day and (s[4] is None or s[4] >= day)]
                if not held:
                    kind = DisciplineKind.WARNING
                for seat in held:
                    # Cách chức: the seat ends the day before the decision.
                    seat[4] = day - 1
            self.disciplines.append((person, kind, day, rng.choice(names.DISCIPLINE_REASONS)))


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


def _identities(rng, people):
    """Record numbers (local ones in order of admission), card numbers for official members, CCCD for most."""
    local = sorted((p for p in people if not p.origin), key=lambda p: (p.events[0][1], p.index))
    number = 10_000 + rng.randint(0, 5_000)
    for person in local:
        number += rng.randint(1, 2)
        person.record_number = f"{number:06d}{PROVINCE_CODE}"
    used = set()
    for person in people:
        if person.origin:
            while True:
                record = f"{rng.randint(1, 999_999):06d}{person.origin}"
                if record not in used:
                    used.add(record)
                    person.record_number = record
                    break
    card = rng.randint(10_000_000, 20_000_000)
    for person in sorted(people, key=lambda p: (p.official_from, p.index)):
        if person.official_from <= END and rng.random() < 0.96:
            card += rng.randint(1, 9)
            person.card_number = f"{card:08d}"
    taken = set()
    recent = _day(2021, 7, 1)
    for person in people:
        if rng.random() >= (0.93 if _stop(person) >= recent else 0.4):
            continue
        born = date.fromordinal(person.birth).year
        prefix = CITIZEN_PREFIX.get(person.origin, LOCAL_CITIZEN_PREFIX)
        century = (0 if born < 2000 else 2) + (person.gender == "F")
        while True:
            citizen = f"{prefix}{century}{born % 100:02d}{rng.randint(0, 999_999):06d}"
            if citizen not in taken:
                taken.add(citizen)
                person.citizen_id = citizen
                break


def build_extras(rng, tree, people):
    derive_stints(people)
    return Extras(rng, tree, people).build()
