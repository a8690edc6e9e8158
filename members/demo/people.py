"""The demo members and their movements 2019–2025, simulated year by year over the tree (no database).

Dates are proleptic ordinals (ints) until the rows are written: the simulation compares millions of them.
"""

import math
from datetime import date

from members.models import MovementKind, TransferScope

from . import names
from .tree import DATA_END, HISTORY_START, TREE_ORIGIN

ADMITTED, READMITTED, TRANSFER_IN, RESTORED = "ADMITTED", "READMITTED", "TRANSFER_IN", "RESTORED"
TRANSFER_OUT, DECEASED, EXPELLED, STRUCK_OFF, WITHDRAWN = (
    MovementKind.TRANSFER_OUT.value,
    MovementKind.DECEASED.value,
    MovementKind.EXPELLED.value,
    MovementKind.STRUCK_OFF.value,
    MovementKind.WITHDRAWN.value,
)
DECREASES = (TRANSFER_OUT, DECEASED, EXPELLED, STRUCK_OFF, WITHDRAWN)
WITHIN, OUTSIDE = TransferScope.WITHIN_PROVINCE.value, TransferScope.OUTSIDE_PROVINCE.value
YEAR = 365.2425
ORIGIN = TREE_ORIGIN.toordinal()
START = HISTORY_START.toordinal()
END = DATA_END.toordinal()

# profile: (female share, ages on 1/1/2019 as [(weight, low, high)], admission age (low, mode, high),
#           admissions a year per member, transfers within the province, transfers out of it)
PROFILES = {
    "commune": (0.36, [(40, 24, 45), (30, 45, 60), (30, 60, 92)], (18, 27, 42), 0.040, 0.012, 0.006),
    "ward": (0.42, [(35, 24, 45), (30, 45, 60), (35, 60, 92)], (18, 28, 42), 0.032, 0.015, 0.008),
    "agency": (0.45, [(1, 26, 60)], (22, 28, 40), 0.032, 0.020, 0.006),
    "school": (0.72, [(1, 24, 58)], (22, 27, 38), 0.045, 0.015, 0.005),
    "health": (0.62, [(1, 25, 58)], (23, 29, 40), 0.038, 0.012, 0.006),
    "enterprise": (0.33, [(1, 24, 58)], (22, 28, 40), 0.028, 0.012, 0.010),
    "army": (0.06, [(3, 20, 35), (1, 35, 52)], (19, 21, 28), 0.070, 0.040, 0.025),
    "police": (0.15, [(2, 22, 40), (1, 40, 55)], (20, 24, 32), 0.050, 0.025, 0.008),
    "coop": (0.35, [(1, 30, 70)], (25, 35, 50), 0.020, 0.008, 0.004),
}
ARRIVALS = 0.007  # transfers in from other provinces, a year per member
EXPEL, STRIKE, WITHDRAW = 0.00025, 0.0008, 0.0002
RESTORE = 0.08  # share of expulsions and strikes-off annulled on appeal
READMISSIONS = 0.0012  # people re-admitted over 2019–2025, per target member
# Admission ceremonies cluster around 3/2, 19/5 and 2/9.
ADMISSION_MONTHS = [6, 10, 9, 8, 10, 9, 8, 9, 10, 8, 7, 8]
LEAVING_NOTES = {
    STRUCK_OFF: ["Bỏ sinh hoạt đảng không có lý do chính đáng", "Không đóng đảng phí nhiều tháng"],
    WITHDRAWN: ["Tự nguyện xin ra khỏi Đảng"],
    EXPELLED: ["Vi phạm nghiêm trọng, bị kỷ luật khai trừ"],
}


class Person:
    __slots__ = (
        "admission",
        "birth",
        "card_number",
        "citizen_id",
        "ethnicity",
        "events",
        "full_name",
        "gender",
        "index",
        "last",
        "origin",
        "record_number",
        "religion",
        "script",
        "stints",
        "unit",
    )

    def __init__(self, index):
        self.index = index
        self.events = []
        self.unit = None
        self.last = 0
        self.origin = ""
        self.script = None
        self.stints = []
        self.card_number = None
        self.citizen_id = None

    def add(self, kind, day, unit, scope="", note=""):
        self.events.append((kind, day, unit, scope, note))
        self.last = day
        if kind in (ADMITTED, READMITTED, TRANSFER_IN, RESTORED):
            self.unit = unit
            if kind in (ADMITTED, READMITTED):
                self.admission = day
        else:
            self.unit = None

    def age(self, day):
        return (day - self.birth) / YEAR

    @property
    def official_from(self):
        """As Member.official_from: 12 months after the latest admission (28/2 for a 29/2 admission)."""
        day = date.fromordinal(self.admission)
        try:
            return day.replace(year=day.year + 1).toordinal()
        except ValueError:
            return day.replace(year=day.year + 1, day=28).toordinal()


def death_rate(age):
    if age < 40:
        return 0.0005
    if age < 60:
        return 0.003
    if age < 70:
        return 0.012
    if age < 80:
        return 0.035
    if age < 90:
        return 0.09
    return 0.2


def stochastic_round(rng, value):
    whole = math.floor(value)
    return whole + (rng.random() < value - whole)


def year_bounds(year):
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


class Population:
    """Creates people with names, births and ethnicities fitting the unit they join."""

    def __init__(self, rng, tree):
        self.rng = rng
        self.tree = tree
        self.people = []
        self._families = list(names.FAMILY_NAMES)
        self._family_weights = list(names.FAMILY_NAMES.values())
        self._minorities = list(names.MINORITIES)
        self._minority_weights = [names.MINORITIES[m][0] for m in self._minorities]

    def new(self, unit, *, age=None, on=START):
        rng = self.rng
        org = self.tree.orgs[unit]
        female_share, ages, _, _, _, _ = PROFILES[org.profile]
        person = Person(len(self.people))
        self.people.append(person)
        if age is None:
            low, high = rng.choices([(lo, hi) for _, lo, hi in ages], weights=[w for w, _, _ in ages])[0]
            age = rng.uniform(low, high)
        person.birth = on - int(age * YEAR) - rng.randint(0, 364)
        female = rng.random() < female_share
        person.gender = "F" if female else "M"
        if rng.random() < org.minority_share:
            ethnicity = rng.choices(self._minorities, weights=self._minority_weights)[0]
            family = rng.choice(names.MINORITIES[ethnicity][1])
        else:
            ethnicity = "Kinh"
            family = rng.choices(self._families, weights=self._family_weights)[0]
        person.ethnicity = ethnicity
        person.religion = self._religion(ethnicity)
        middle_pool = names.FEMALE_MIDDLE if female else names.MALE_MIDDLE
        middle = rng.choices(list(middle_pool), weights=list(middle_pool.values()))[0]
        if female and middle.startswith("Thị") and person.birth > date(1990, 1, 1).toordinal() and rng.random() < 0.5:
            middle = rng.choice(["Ngọc", "Thu", "Phương", "Khánh", "Minh"])
        given = rng.choice(names.FEMALE_GIVEN if female else names.MALE_GIVEN)
        person.full_name = f"{family} {middle} {given}"
        return person

    def _religion(self, ethnicity):
        draw = self.rng.random()
        if ethnicity == "Khmer":
            return "Phật giáo" if draw < 0.6 else ""
        if ethnicity == "Hoa":
            return "Phật giáo" if draw < 0.2 else ""
        if ethnicity == "H'Mông":
            return "Tin lành" if draw < 0.1 else ""
        if draw < 0.015:
            return "Phật giáo"
        if draw < 0.021:
            return "Công giáo"
        return ""


def admission_day(rng, first, last):
    """A ceremony day in [first, last], clustered on the anniversaries when the window allows."""
    if last - first < 300:
        return rng.randint(first, last)
    year = date.fromordinal(first).year if rng.random() < 0.5 else date.fromordinal(last).year
    month = rng.choices(range(1, 13), weights=ADMISSION_MONTHS)[0]
    day = date(year, month, 1).toordinal() + rng.randint(0, 27)
    return min(max(day, first), last)


class Simulation:
    def __init__(self, rng, tree, spec):
        self.rng = rng
        self.tree = tree
        self.spec = spec
        self.population = Population(rng, tree)
        self.units = tree.units
        self.unit_end = {u: (tree.orgs[u].valid_to.toordinal() if tree.orgs[u].valid_to else None) for u in self.units}
        self.unit_start = {u: tree.orgs[u].valid_from.toordinal() for u in self.units}
        # Per unit, a fixed factor around the profile's admission rate: some cells recruit, some do not.
        self.drive = {u: rng.uniform(0.5, 1.5) for u in self.units}
        self.restorations = []
        self.readmissions = []

    @property
    def people(self):
        return self.population.people

    def run(self):
        self._initial()
        self._lapsed()
        self._scripts()
        for year in range(HISTORY_START.year, DATA_END.year + 1):
            self._year(year)
        return self.people

    def _initial(self):
        """Members on the rolls on 1/1/2019, each with one old admission at their cell."""
        rng = self.rng
        for unit in self.units:
            if self.unit_start[unit] != ORIGIN:
                continue
            low, mode, high = PROFILES[self.tree.orgs[unit].profile][2]
            for _ in range(self.tree.orgs[unit].size):
                person = self.population.new(unit)
                age_now = person.age(START)
                joined_at = rng.triangular(low, min(max(high, low + 1), age_now - 0.2), min(mode, age_now - 0.5))
                day = person.birth + int(joined_at * YEAR)
                if day <= ORIGIN:
                    day = ORIGIN + rng.randint(1, 3000)
                person.add(ADMITTED, min(day, START - 1), unit)

    def _stable_units(self, day):
        return [u for u in self.units if self.unit_start[u] < day and self.unit_end[u] is None]

    def _lapsed(self):
        """People struck off or who withdrew long ago, re-admitted during 2019–2025 (kết nạp lại)."""
        rng = self.rng
        stable = self._stable_units(ORIGIN + 1)
        count = max(1, round(self.spec.members * READMISSIONS))
        for n in range(count):
            unit = rng.choice(stable)
            back = rng.randint(START, END - 30) if n else date(2022, 3, 3).toordinal()
            person = self.population.new(unit, age=rng.uniform(35, 58), on=back)
            admitted = person.birth + int(rng.uniform(21, 28) * YEAR)
            left = min(admitted + int(rng.uniform(3, 12) * YEAR), date(2015, 12, 31).toordinal())
            if admitted <= ORIGIN or left <= admitted:
                admitted, left = ORIGIN + rng.randint(1, 3000), ORIGIN + 4000
            kind = rng.choice([STRUCK_OFF, WITHDRAWN])
            person.add(ADMITTED, admitted, unit)
            person.add(kind, left, unit, note=rng.choice(LEAVING_NOTES[kind]))
            self.readmissions.append((back, person, unit))

    def _scripts(self):
        """A few members of the first district with one of each movement, so even the tiny province has them all."""
        tree = self.tree
        first = tree.districts[0]
        units = [u for u in self.units if tree.orgs[u].upper == first and self.unit_end[u] is None]
        people = [p for p in self.people if p.unit in units and 30 <= p.age(START) <= 55]
        elsewhere = next(u for u in self.units if tree.orgs[u].upper != first and self.unit_end[u] is None)

        def on(y, m, d):
            return date(y, m, d).toordinal()

        scripts = [
            [(on(2020, 3, 14), DECEASED, None)],
            [(on(2021, 4, 12), TRANSFER_OUT, elsewhere)],
            [(on(2022, 8, 20), TRANSFER_OUT, "outside")],
            [(on(2020, 10, 5), STRUCK_OFF, None), (on(2021, 5, 18), RESTORED, None)],
            [(on(2023, 6, 9), EXPELLED, None)],
            [(on(2022, 11, 23), WITHDRAWN, None)],
            "EXEMPT",
            "TEMPORARY_ELSEWHERE",
            "REPRIMAND",
        ]
        for person, script in zip(people, scripts, strict=False):
            person.script = script
        self.scripted = [p for p in people if isinstance(p.script, list)]
        arrival = self.population.new(units[0], age=34, on=on(2021, 6, 15))
        arrival.admission = arrival.birth + int(24 * YEAR)
        arrival.origin = "HN"
        arrival.add(TRANSFER_IN, on(2021, 6, 15), units[0], OUTSIDE, "Chuyển đến từ Đảng bộ thành phố Hà Nội")
        arrival.script = "ARRIVAL"

    def _year(self, year):
        first, last = year_bounds(year)
        roster = [p for p in self.people if p.unit is not None]
        headcount = {}
        for person in roster:
            headcount[person.unit] = headcount.get(person.unit, 0) + 1
        stable = self._stable_units(first)
        by_upper = {}
        for unit in stable:
            by_upper.setdefault(self.tree.orgs[unit].upper, []).append(unit)
        for person in roster:
            if person.script is None:
                self._maybe_move(person, first, last, stable, by_upper)
        for person in self.scripted:
            self._scripted(person, first, last)
        self._found(first, last)
        self._arrivals(first, last, headcount)
        self._restore(last)
        self._dissolve(first, last, by_upper, stable)

    def _scripted(self, person, first, last):
        for day, kind, target in person.script:
            if not first <= day <= last:
                continue
            unit = person.unit
            if kind == RESTORED:
                person.add(RESTORED, day, self._left_unit(person))
            elif kind == TRANSFER_OUT and target == "outside":
                person.add(TRANSFER_OUT, day, unit, OUTSIDE, "Chuyển sinh hoạt đến Đảng bộ tỉnh Bắc Ninh")
            elif kind == TRANSFER_OUT:
                person.add(TRANSFER_OUT, day, unit, WITHIN)
                person.add(TRANSFER_IN, day, target, WITHIN)
            else:
                person.add(kind, day, unit, note=self.rng.choice(LEAVING_NOTES.get(kind, [""])))

    @staticmethod
    def _left_unit(person):
        return person.events[-1][2]

    def _maybe_move(self, person, first, last, stable, by_upper):
        rng = self.rng
        unit = person.unit
        profile = PROFILES[self.tree.orgs[unit].profile]
        age = person.age(first)
        thresholds = (death_rate(age), profile[4], profile[5], EXPEL, STRIKE, WITHDRAW)
        draw = rng.random()
        choice = None
        for n, rate in enumerate(thresholds):
            if draw < rate:
                choice = n
                break
            draw -= rate
        if choice is None:
            return
        day = rng.randint(first, last)
        end = self.unit_end[unit]
        if day <= person.last or (end is not None and day >= end):
            return
        if choice == 0:
            person.add(DECEASED, day, unit)
        elif choice == 1:
            pool = by_upper.get(self.tree.orgs[unit].upper, stable) if rng.random() < 0.5 else stable
            target = rng.choice(pool)
            if target == unit:
                return
            person.add(TRANSFER_OUT, day, unit, WITHIN)
            person.add(TRANSFER_IN, day, target, WITHIN)
        elif choice == 2:
            province = rng.choice(names.OUTSIDE_PROVINCES)[0]
            person.add(TRANSFER_OUT, day, unit, OUTSIDE, f"Chuyển sinh hoạt đến Đảng bộ {province}")
        else:
            kind = (EXPELLED, STRUCK_OFF, WITHDRAWN)[choice - 3]
            if kind == EXPELLED and day < person.official_from:
                # Probationary members are not expelled (only reprimanded or warned); they are struck off.
                kind = STRUCK_OFF
            person.add(kind, day, unit, note=rng.choice(LEAVING_NOTES[kind]))
            if kind != WITHDRAWN and rng.random() < RESTORE:
                back = day + rng.randint(90, 365)
                if back <= END and self.unit_end[unit] is None:
                    self.restorations.append((back, person, unit))

    def _found(self, first, last):
        """New chi bộ cơ sở start on their first day with members transferred from elsewhere in the province."""
        rng = self.rng
        for unit in self.units:
            start = self.unit_start[unit]
            if not first <= start <= last or start == ORIGIN:
                continue
            donors = [
                p
                for p in self.people
                if p.unit is not None
                and p.script is None
                and p.last < start
                and self.unit_end[p.unit] is None
                and self.unit_start[p.unit] < start
                and 24 <= p.age(start) <= 55
            ]
            for person in rng.sample(donors, min(len(donors), self.tree.orgs[unit].size)):
                person.add(TRANSFER_OUT, start, person.unit, WITHIN)
                person.add(TRANSFER_IN, start, unit, WITHIN)

    def _arrivals(self, first, last, headcount):
        rng = self.rng
        for unit in self.units:
            begin = max(first, self.unit_start[unit] + 1)
            end = self.unit_end[unit]
            finish = min(last, end - 1) if end is not None else last
            if begin > finish:
                continue
            size = headcount.get(unit, 0)
            profile = PROFILES[self.tree.orgs[unit].profile]
            for _ in range(stochastic_round(rng, size * profile[3] * self.drive[unit])):
                day = admission_day(rng, begin, finish)
                low, mode, high = profile[2]
                person = self.population.new(unit, age=rng.triangular(low, high, mode), on=day)
                person.add(ADMITTED, day, unit)
            for _ in range(stochastic_round(rng, size * ARRIVALS)):
                day = rng.randint(begin, finish)
                person = self.population.new(unit, age=rng.uniform(24, 55), on=day)
                person.admission = day - int(rng.uniform(1, min(25.0, person.age(day) - 19)) * YEAR)
                province, letters = rng.choice(names.OUTSIDE_PROVINCES)
                person.origin = letters
                person.add(TRANSFER_IN, day, unit, OUTSIDE, f"Chuyển đến từ Đảng bộ {province}")
        for day, person, unit in self.readmissions:
            if first <= day <= last:
                person.add(READMITTED, day, unit)

    def _restore(self, last):
        due = [r for r in self.restorations if r[0] <= last]
        self.restorations = [r for r in self.restorations if r[0] > last]
        for day, person, unit in due:
            if person.unit is None and day > person.last:
                person.add(RESTORED, day, unit)

    def _dissolve(self, first, last, by_upper, stable):
        """On a TCCSĐ's last day its members are transferred to another TCCSĐ of the same district or bloc."""
        closing = {}
        for unit in self.units:
            end = self.unit_end[unit]
            if end is not None and first <= end <= last:
                closing[unit] = end
        if not closing:
            return
        targets = {}
        for unit in closing:
            org = self.tree.orgs[unit]
            pool = [u for u in by_upper.get(org.upper, stable) if self.tree.orgs[u].tccsd != org.tccsd]
            pool = [u for u in pool if u not in closing] or [u for u in stable if u not in closing]
            targets[unit] = self.rng.choice(pool)
        for person in self.people:
            if person.unit in closing:
                day = closing[person.unit]
                target = targets[person.unit]
                person.add(TRANSFER_OUT, day, person.unit, WITHIN, "Tổ chức đảng giải thể")
                person.add(TRANSFER_IN, day, target, WITHIN, "Tổ chức đảng giải thể")


def simulate(rng, tree, spec):
    """Everyone who was on the rolls of the province at some time in 2019–2025, with their movements."""
    people = Simulation(rng, tree, spec).run()
    for person in people:
        # A transfer out comes before the transfer in of the same day (as members.rolls orders them).
        person.events.sort(key=lambda e: (e[1], 0 if e[0] in DECREASES else 1))
    return people
