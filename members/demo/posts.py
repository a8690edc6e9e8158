"""Cell committees, government and community posts, and attendance of committee members at cell meetings.

Drawn after the TCCSĐ seats from a stream of their own (`{seed}:posts`), so adding them reshuffles no other
generated row. The shares and where they come from are in docs/decisions.md ("Demo posts and attendance").
"""

from datetime import date

from members.models import SeatRole
from organizations.models import OrgKind, OrgType

from .people import END
from .seats import SeatsMixin, _open, _terms, ordinal

# Chi bộ trực thuộc hold their congresses between those of their đảng bộ (terms 2017–2020, 2020–2022, 2022–2025,
# 2025–2027 in the provinces' calendars); the window of each congress.
CELL_CONGRESSES = (
    (ordinal(2017, 4, 1), ordinal(2017, 6, 30)),
    (ordinal(2020, 4, 1), ordinal(2020, 5, 31)),
    (ordinal(2022, 7, 1), ordinal(2022, 9, 30)),
    (ordinal(2025, 3, 1), ordinal(2025, 5, 31)),
)
CELL_DEPUTY_FROM = 9  # a cell of nine members or more elects a deputy secretary too
COMMUNE_TYPES = (OrgType.COMMUNE, OrgType.WARD, OrgType.TOWNSHIP)
RESIDENTIAL_PROFILES = ("commune", "ward")  # the village and residential-group cells of a commune or ward
# People's Council terms: the elections of 22/5/2016 and 23/5/2021; the first session elects the chair.
COUNCIL_TERMS = ((ordinal(2016, 6, 25), ordinal(2021, 6, 24)), (ordinal(2021, 6, 25), None))
# Share of communes where the party secretary chairs the People's Council, by council term (assumed, see decisions).
SECRETARY_CHAIRS_COUNCIL = (0.65, 0.85)
SECRETARY_CHAIRS_COMMITTEE = 0.05  # where the secretary does not chair the council, the People's Committee
DEPUTY_CHAIRS_COMMITTEE = 0.8  # the People's Committee chair is usually the deputy secretary
# Share of residential cells whose secretary is also the village or group head, by cell term (from Hải Dương's
# districts: 15 % in 2018, 56.8 % in 2019, 100 % in one district in 2022; a province's mean kept below).
SECRETARY_HEADS_VILLAGE = (0.4, 0.55, 0.65, 0.7)
# Attendance at cell meetings: the đảng ủy cơ sở that record it, from which year, and how often members come.
RECORDING_SHARE = 0.6
RECORDING_FROM = (2020, 2021, 2021, 2022)
ATTENDANCE_YEARS = range(2020, 2026)
MEETINGS_HELD = ((3, 0.6), (4, 0.4))  # monthly meetings, plus a thematic one in some quarters
ATTENDS_MEETING = 0.85


class Posts(SeatsMixin):
    def __init__(self, rng, tree, extras):
        self.rng = rng
        self.tree = tree
        self.extras = extras
        self.unit_stints = extras.unit_stints
        # Cell seats join the seats the writer writes; the mixin's keep_secretary reads these registries.
        self.seats = extras.seats
        self.seats_by_org = extras.seats_by_org
        self.committee_units = extras.committee_units
        self.posts = []  # (person, post code, organization index, place, start, end)
        self.attendance = []  # (cell index, year, quarter, person, held, attended)

    def _is_busy(self, person, day):
        return self.extras._is_busy(person, day)

    def build(self):
        cells = [o.index for o in self.tree.orgs if o.kind == OrgKind.CELL]
        for cell in cells:
            self._cell_committee(cell)
        self._commune_posts()
        self._village_heads(cells)
        self._attendance(cells)
        return self

    def _cell_committee(self, cell):
        org = self.tree.orgs[cell]
        days = [self.rng.randint(a, b) for a, b in CELL_CONGRESSES]
        for start, end in _terms(self.rng, org, days):
            on_rolls = self._on_rolls([cell], start)
            size = 2 if len(on_rolls) >= CELL_DEPUTY_FROM else 1
            holders = self._elect(on_rolls, start, size)
            self._committee(cell, holders, [SeatRole.SECRETARY, SeatRole.DEPUTY_SECRETARY], start, end, [cell], {cell})

    def _add_post(self, person, code, organization, start, end):
        if start > END or (end is not None and end < start):
            return
        place = self.tree.orgs[organization].name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")
        self.posts.append((person, code, organization, place, start, end))

    def _commune_posts(self):
        """Each commune decides per council term whether its secretary chairs the council; the successor of a
        secretary who leaves mid-term takes the chair at the council's next session."""
        rng = self.rng
        for index in self.tree.tccsd:
            if self.tree.orgs[index].org_type not in COMMUNE_TYPES:
                continue
            seats = self.seats_by_org.get(index, ())
            for (first, last), share in zip(COUNCIL_TERMS, SECRETARY_CHAIRS_COUNCIL, strict=True):
                chairs = rng.random() < share
                committee = not chairs and rng.random() < SECRETARY_CHAIRS_COMMITTEE
                for person, _, role, start, end in seats:
                    span = _overlap(start, end, first, last)
                    if span is None:
                        continue
                    begin = span[0] if span[0] == first else span[0] + rng.randint(15, 45)
                    if role == SeatRole.SECRETARY and (chairs or committee):
                        self._add_post(person, "CT_HDND_XA" if chairs else "CT_UBND_XA", index, begin, span[1])
                    elif role == SeatRole.DEPUTY_SECRETARY and not committee and rng.random() < DEPUTY_CHAIRS_COMMITTEE:
                        self._add_post(person, "CT_UBND_XA", index, begin, span[1])

    def _village_heads(self, cells):
        rng = self.rng
        for cell in cells:
            org = self.tree.orgs[cell]
            if org.profile not in RESIDENTIAL_PROFILES:
                continue
            code = "TO_TRUONG_TDP" if "tổ dân phố" in org.name or "khu phố" in org.name else "TRUONG_THON"
            for person, _, role, start, end in self.seats_by_org.get(cell, ()):
                if role != SeatRole.SECRETARY:
                    continue
                term = sum(start >= a for a, _ in CELL_CONGRESSES[1:])
                if rng.random() < SECRETARY_HEADS_VILLAGE[term]:
                    self._add_post(person, code, cell, start + rng.randint(0, 40), end)

    def _attendance(self, cells):
        """Each recording đảng ủy cơ sở assigns its committee members to its cells in turn, quarter by quarter."""
        rng = self.rng
        by_tccsd = {}
        for cell in cells:
            by_tccsd.setdefault(self.tree.orgs[cell].tccsd, []).append(cell)
        weights = [w for _, w in MEETINGS_HELD]
        for tccsd, own in by_tccsd.items():
            if rng.random() >= RECORDING_SHARE:
                continue
            since = rng.choice(RECORDING_FROM)
            for year in ATTENDANCE_YEARS:
                for quarter in range(1, 5):
                    first, last = _quarter(year, quarter)
                    seated = [s for s in self.seats_by_org.get(tccsd, ()) if s[3] <= first and _open(s, last)]
                    if year < since or not seated:
                        continue
                    for n, cell in enumerate(own):
                        if self._exists(cell, first, last):
                            held = rng.choices([h for h, _ in MEETINGS_HELD], weights=weights)[0]
                            attended = sum(rng.random() < ATTENDS_MEETING for _ in range(held))
                            self.attendance.append((cell, year, quarter, seated[n % len(seated)][0], held, attended))

    def _exists(self, cell, first, last):
        org = self.tree.orgs[cell]
        return org.valid_from.toordinal() <= first and last <= (org.valid_to.toordinal() if org.valid_to else END)


def _quarter(year, quarter):
    """The first and last days (ordinals) of a quarter."""
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return ordinal(year, 3 * quarter - 2, 1), following.toordinal() - 1


def _overlap(start, end, first, last):
    """The days a seat [start, end] shares with a council term [first, last] (None: open), or None."""
    begin = max(start, first)
    finish = end if last is None else (last if end is None else min(end, last))
    if begin > END or (finish is not None and finish < begin):
        return None
    return begin, finish


def build_posts(rng, tree, extras):
    return Posts(rng, tree, extras).build()
