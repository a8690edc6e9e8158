"""Everything dated around the movements: stints, status periods, committee seats, theory levels, disciplines,
and the identity numbers. Plain Python over the simulated people; dates are ordinals."""

from datetime import date

from members.models import DisciplineKind, SeatRole, StatusKind
from members.rolls import Event, stints_from_events
from organizations.models import OrgKind

from . import names
from .naming import PROVINCE_CODE
from .people import END, EXPELLED, START, YEAR
from .seats import SeatsMixin, ordinal, stop_day

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
# Committee members when first seated: mostly intermediate or better.
SEAT_THEORY = [5, 25, 45, 20, 5]
DISCIPLINE_RATE = 0.002  # a year per member on the rolls


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


class Extras(SeatsMixin):
    def __init__(self, rng, tree, people):
        self.rng = rng
        self.tree = tree
        self.people = people
        self.units = tree.units
        self.stable = [u for u in self.units if tree.orgs[u].valid_to is None and tree.orgs[u].valid_from.year < 2019]
        self.statuses = []  # (person, kind, start, end, host unit, reason)
        self.busy = {}  # person index -> [(start, end)] exempt or suspended
        self.seats = []  # [person, organization index, role, start, end]
        self.seats_by_org = {}
        self.committee_units = {}  # organization index -> (units in order, set of units) its members sit in
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
            stop = stop_day(person)
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
                    person,
                    StatusKind.EXEMPT,
                    max(first, ordinal(2020, 1, 2)),
                    ordinal(2021, 12, 31),
                    None,
                    "Ốm đau dài ngày",
                )
                continue
            if person.script == "TEMPORARY_ELSEWHERE":
                host = next(u for u in self.stable if u != unit)
                reason = "Đi công tác có thời hạn"
                self._add_status(
                    person, StatusKind.TEMPORARY_ELSEWHERE, ordinal(2022, 9, 1), ordinal(2023, 8, 31), host, reason
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
            cap = stop_day(person)
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
                self._obtain(held, 2, max(seated, max(held.values(), default=0) + 365), min(cap, ordinal(2024, 12, 31)))
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
                    (person, DisciplineKind.REPRIMAND, ordinal(2023, 5, 16), names.DISCIPLINE_REASONS[1])
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
                    term_end, seat[4] = seat[4], day - 1
                    if seat[2] == SeatRole.SECRETARY:
                        self.keep_secretary(seat, term_end)
            self.disciplines.append((person, kind, day, rng.choice(names.DISCIPLINE_REASONS)))


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
    recent = ordinal(2021, 7, 1)
    for person in people:
        if rng.random() >= (0.93 if stop_day(person) >= recent else 0.4):
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
