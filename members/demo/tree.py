"""The demo province's organization tree, as plain Python objects (no database): identities and dated placements."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from organizations.models import OrgKind, OrgType

from . import names
from .naming import PROVINCE_CODE, PROVINCE_NAME, Namer, PlaceNames

# The tree is taken as in force since 1960, so that the oldest members' admission dates fall inside
# their cell's validity (an event at an organization that did not exist yet would break the rolls).
TREE_ORIGIN = date(1960, 1, 1)
REFORM_DAY = date(2025, 7, 1)
LAST_DISTRICT_DAY = REFORM_DAY - timedelta(days=1)
HISTORY_START = date(2019, 1, 1)
DATA_END = date(2025, 12, 31)

# TCCSĐ with at least this many members are đảng bộ cơ sở (docs/counting-rules.md §1), smaller ones chi bộ cơ sở.
COMMITTEE_THRESHOLD = 30


@dataclass(frozen=True)
class SizeSpec:
    districts: int
    communes_per_district: tuple
    others_per_district: int
    # (committee key, number of TCCSĐ under it)
    direct: tuple
    members: int
    new_tccsd: int
    dissolved_tccsd: int
    sub_committees: int


SIZES = {
    "tiny": SizeSpec(2, (2, 2), 1, (("CA", 2),), 300, 1, 1, 1),
    "province": SizeSpec(8, (17, 23), 40, (("KCQ", 120), ("KDN", 80), ("QS", 60), ("CA", 60)), 60_000, 12, 8, 15),
    "large": SizeSpec(16, (22, 30), 44, (("KCQ", 160), ("KDN", 120), ("QS", 55), ("CA", 55)), 250_000, 20, 12, 30),
    # The templates the `national` and `xlarge` demos copy inside PostgreSQL (party_portal/replicate.py): the
    # large tree (≈ 1,520 TCCSĐ, 34 × that ≈ the country's 52k) with a 34th of the country's 5.6 M members, and a
    # quarter of a 600k-member merged province.
    "national_province": SizeSpec(
        16, (22, 30), 44, (("KCQ", 160), ("KDN", 120), ("QS", 55), ("CA", 55)), 165_000, 20, 12, 30
    ),
    "merged_part": SizeSpec(
        16, (22, 30), 44, (("KCQ", 160), ("KDN", 120), ("QS", 55), ("CA", 55)), 150_000, 20, 12, 30
    ),
}

DIRECT_COMMITTEES = {
    "KCQ": (
        "Đảng ủy Khối các cơ quan tỉnh",
        {"party_mass": 12, "state": 45, "public": 35, "other": 3, "non_public": 5},
    ),
    "KDN": ("Đảng ủy Khối Doanh nghiệp tỉnh", {"state_ent": 35, "private": 45, "fdi": 15, "coop": 5}),
    "QS": ("Đảng ủy Quân sự tỉnh", {"army": 1}),
    "CA": ("Đảng ủy Công an tỉnh", {"police": 1}),
}
DISTRICT_MUST = ["party_mass", "party_mass", "army", "police", "health"]
DISTRICT_MIX = {"state": 14, "school": 60, "public": 6, "state_ent": 3, "private": 8, "coop": 5, "non_public": 2}
NEW_TCCSD_MIX = {"private": 5, "fdi": 3, "non_public": 2, "state": 1, "school": 1, "coop": 2}
DISSOLVABLE = ("state", "private", "state_ent", "school", "coop", "public")

# key: (loại hình, member profile, raw size range at district level, raw size range at province level)
TCCSD_TYPES = {
    "commune": (OrgType.COMMUNE, "commune", (120, 260), (120, 260)),
    "ward": (OrgType.WARD, "ward", (100, 220), (100, 220)),
    "township": (OrgType.TOWNSHIP, "commune", (150, 280), (150, 280)),
    "party_mass": (OrgType.PARTY_MASS_AGENCY, "agency", (8, 30), (12, 45)),
    "state": (OrgType.STATE_AGENCY, "agency", (8, 40), (15, 90)),
    "school": (OrgType.PUBLIC_SERVICE_UNIT, "school", (6, 30), (20, 120)),
    "health": (OrgType.PUBLIC_SERVICE_UNIT, "health", (40, 120), (60, 260)),
    "public": (OrgType.PUBLIC_SERVICE_UNIT, "agency", (6, 30), (10, 60)),
    "non_public": (OrgType.NON_PUBLIC_SERVICE_UNIT, "school", (4, 16), (4, 20)),
    "state_ent": (OrgType.STATE_ENTERPRISE, "enterprise", (10, 60), (15, 150)),
    "private": (OrgType.PRIVATE_ENTERPRISE, "enterprise", (3, 25), (3, 40)),
    "fdi": (OrgType.FOREIGN_INVESTED_ENTERPRISE, "enterprise", (3, 25), (4, 40)),
    "coop": (OrgType.COOPERATIVE, "coop", (3, 12), (3, 15)),
    "army": (OrgType.ARMY, "army", (30, 70), (15, 150)),
    "police": (OrgType.POLICE, "police", (40, 120), (15, 90)),
    "other": (OrgType.OTHER, "agency", (5, 20), (5, 20)),
}
# Average members per cell (chi bộ trực thuộc) of a đảng bộ cơ sở, by profile.
CELL_AVERAGE = {
    "commune": 17,
    "ward": 14,
    "agency": 11,
    "school": 11,
    "health": 15,
    "enterprise": 12,
    "army": 11,
    "police": 11,
    "coop": 8,
}
COMMUNE_CELL_PROFILE = {"Quân sự": "army", "Công an": "police", "Trạm Y tế": "health"}


@dataclass
class OrgSpec:
    index: int
    code: str
    name: str
    kind: str
    org_type: str = ""
    valid_from: date = TREE_ORIGIN
    valid_to: date | None = None
    successor_of: int | None = None
    # [parent index or None, start, end] in date order; end inclusive, None while in force.
    segments: list = field(default_factory=list)
    children: list = field(default_factory=list)
    profile: str = ""
    # The district-level committee a TCCSĐ or a unit came under before the reform.
    upper: int | None = None
    tccsd: int | None = None
    # Members at the start of 2019 (units) or planned (TCCSĐ).
    size: int = 0
    minority_share: float = 0.0
    type_key: str = ""
    # District committees: "Huyện", "Thị" or "Thành" and the place name.
    title: str = ""
    place: str = ""

    @property
    def is_unit(self):
        """Members sit in cells and in chi bộ cơ sở."""
        return self.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL)


@dataclass
class Tree:
    orgs: list = field(default_factory=list)
    province: int = 0
    districts: list = field(default_factory=list)
    directs: list = field(default_factory=list)
    communes: list = field(default_factory=list)
    tccsd: list = field(default_factory=list)
    # The commune committee each moved TCCSĐ went under on 1 July 2025.
    reform_parent: dict = field(default_factory=dict)

    def add(self, *, code, name, kind, parent, valid_from=TREE_ORIGIN, org_type="", **extra):
        spec = OrgSpec(len(self.orgs), code, name, kind, org_type=org_type, valid_from=valid_from, **extra)
        spec.segments.append([parent, valid_from, None])
        self.orgs.append(spec)
        if parent is not None:
            self.orgs[parent].children.append(spec.index)
        return spec

    def subtree(self, index):
        out = [index]
        for child in self.orgs[index].children:
            out.extend(self.subtree(child))
        return out

    @property
    def units(self):
        return [o.index for o in self.orgs if o.is_unit]


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def build_tree(rng, spec):
    """The province's tree from the beginning to 31/12/2025, including the 1 July 2025 reform."""
    places = PlaceNames(rng)
    namer = Namer(rng, places)
    tree = Tree()
    province = tree.add(
        code=PROVINCE_CODE,
        name=f"Đảng bộ tỉnh {PROVINCE_NAME}",
        kind=OrgKind.PROVINCE_COMMITTEE,
        parent=None,
    )
    tree.province = province.index
    _add_districts(rng, spec, tree, namer, places)
    _add_directs(rng, spec, tree, namer)
    _scale_sizes(spec, tree)
    for index in list(tree.tccsd):
        _add_cells(rng, tree, namer, index)
    _add_sub_committees(rng, spec, tree)
    _add_new_tccsd(rng, spec, tree, namer)
    _dissolve(rng, spec, tree)
    _reform(rng, tree, places)
    return tree


def _add_districts(rng, spec, tree, namer, places):
    titles = ["Thành"] + (["Thị"] if spec.districts > 2 else []) + ["Huyện"] * spec.districts
    for number in range(1, spec.districts + 1):
        title = titles[number - 1]
        place = places.take()
        district = tree.add(
            code=f"H{number:02d}",
            name=f"{title} ủy {place}",
            kind=OrgKind.DISTRICT_COMMITTEE,
            parent=tree.province,
            minority_share=rng.choices([0.02, 0.04, 0.08, 0.2, 0.45], weights=[3, 3, 2, 1, 1])[0],
            title=title,
            place=place,
        )
        tree.districts.append(district.index)
        keys = _commune_keys(rng, title, rng.randint(*spec.communes_per_district))
        must = DISTRICT_MUST if spec.others_per_district >= len(DISTRICT_MUST) else []
        keys += must + [_weighted(rng, DISTRICT_MIX) for _ in range(spec.others_per_district - len(must))]
        for key in keys:
            _add_tccsd(rng, tree, namer, key, district, title=title, district=place)


def _commune_keys(rng, title, count):
    if title == "Thành":
        return ["ward"] * (count * 2 // 3) + ["commune"] * (count - count * 2 // 3)
    if title == "Thị":
        return ["ward"] * (count // 3) + ["commune"] * (count - count // 3)
    return ["township"] + ["commune"] * (count - 1) if count > 2 else ["commune"] * count


def _add_directs(rng, spec, tree, namer):
    for number, (key, count) in enumerate(spec.direct, start=1):
        name, mix = DIRECT_COMMITTEES[key]
        direct = tree.add(code=f"K{number:02d}", name=name, kind=OrgKind.DIRECT_COMMITTEE, parent=tree.province)
        direct.minority_share = 0.06
        tree.directs.append(direct.index)
        for _ in range(count):
            _add_tccsd(rng, tree, namer, _weighted(rng, mix), direct)


def _add_tccsd(rng, tree, namer, key, upper, *, title="", district=None, valid_from=TREE_ORIGIN):
    org_type, profile, district_range, province_range = TCCSD_TYPES[key]
    label, refined = namer.tccsd(key, district=district, title=title)
    number = len(upper.children) + 1
    share = upper.minority_share * rng.uniform(0.3, 2.0) if key in ("commune", "township") else upper.minority_share
    spec = tree.add(
        code=f"{upper.code}.{number:03d}",
        name=label,  # the prefix depends on the kind, known once sizes are scaled
        kind=OrgKind.GRASSROOTS_CELL,
        parent=upper.index,
        org_type=org_type,
        valid_from=valid_from,
        profile=refined or profile,
        upper=upper.index,
        minority_share=min(share, 0.9),
        type_key=key,
    )
    low, high = district_range if district else province_range
    spec.size = rng.randint(low, high)
    spec.tccsd = spec.index
    tree.tccsd.append(spec.index)
    return spec


def _scale_sizes(spec, tree):
    """Scale the raw sizes so that the province starts 2019 with ~84 % of the target (it grows ~2.5 %/year)."""
    target = round(spec.members * 0.84)
    raw = sum(tree.orgs[i].size for i in tree.tccsd)
    for index in tree.tccsd:
        org = tree.orgs[index]
        org.size = max(3, round(org.size * target / raw))
        _name_by_kind(org, OrgKind.GRASSROOTS_COMMITTEE if org.size >= COMMITTEE_THRESHOLD else OrgKind.GRASSROOTS_CELL)


def _name_by_kind(org, kind):
    org.kind = kind
    org.name = f"{'Đảng bộ' if kind == OrgKind.GRASSROOTS_COMMITTEE else 'Chi bộ'} {org.name}"


def _split(total, weights, minimum=3):
    """Split `total` into parts of at least `minimum`, proportional to `weights` (largest remainder)."""
    spare = total - minimum * len(weights)
    scale = spare / sum(weights)
    shares = [w * scale for w in weights]
    parts = [minimum + int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _add_cells(rng, tree, namer, index):
    org = tree.orgs[index]
    if org.kind != OrgKind.GRASSROOTS_COMMITTEE:
        return
    average = CELL_AVERAGE[org.profile]
    count = max(3, min(30, round(org.size / average)))
    labels, weights, profiles = [], [], []
    if org.type_key in ("commune", "ward", "township"):
        agency = min(3, count // 4)
        where = org.name.removeprefix("Đảng bộ ")
        for label in names.COMMUNE_AGENCY_CELLS[:agency]:
            labels.append(f"Chi bộ {label} {where}")
            weights.append(0.35)
            profiles.append(COMMUNE_CELL_PROFILE.get(label, "agency"))
        if org.type_key == "ward":
            style = rng.choice(["tổ dân phố số", "khu phố"])
        else:
            style = "bản" if org.minority_share > 0.5 else rng.choice(["thôn", "xóm"])
        villages = rng.sample(namer.common, count - agency)
        for n in range(1, count - agency + 1):
            name = str(n) if style == "tổ dân phố số" or rng.random() < 0.3 else villages[n - 1]
            labels.append(f"Chi bộ {style} {name}")
            weights.append(rng.uniform(0.6, 1.4))
            profiles.append(org.profile)
    else:
        named, numbered = names.CELL_NAMES.get(org.profile, names.CELL_NAMES["agency"])
        for n in range(count):
            label = named[n] if n < len(named) else numbered.format(n=n - len(named) + 1)
            labels.append(f"Chi bộ {label}")
            weights.append(rng.uniform(0.6, 1.4))
            profiles.append(org.profile)
    sizes = _split(org.size, weights)
    for n, (label, size, profile) in enumerate(zip(labels, sizes, profiles, strict=True), start=1):
        tree.add(
            code=f"{org.code}.{n:02d}",
            name=label,
            kind=OrgKind.CELL,
            parent=index,
            valid_from=org.valid_from,
            profile=profile,
            upper=org.upper,
            tccsd=index,
            size=size,
            minority_share=org.minority_share,
        )


def _add_sub_committees(rng, spec, tree):
    """A few large đảng bộ cơ sở group their cells under đảng bộ bộ phận (e.g. a regiment's battalions)."""
    candidates = [i for i in tree.tccsd if len(tree.orgs[i].children) >= 4]
    candidates.sort(key=lambda i: (tree.orgs[i].type_key in ("commune", "ward", "township"), -tree.orgs[i].size, i))
    for index in candidates[: spec.sub_committees]:
        org = tree.orgs[index]
        cells = org.children[:]
        groups = 2 if len(cells) < 9 else 3
        org.children = []
        for g in range(groups):
            sub = tree.add(
                code=f"{org.code}.B{g + 1}",
                name=names.SUB_COMMITTEE_NAMES.get(org.profile, names.DEFAULT_SUB_COMMITTEE_NAMES)[g],
                kind=OrgKind.SUB_COMMITTEE,
                parent=index,
                upper=org.upper,
                tccsd=index,
            )
            for cell in cells[g::groups]:
                tree.orgs[cell].segments[0][0] = sub.index
                sub.children.append(cell)


def _random_day(rng, first, last):
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _add_new_tccsd(rng, spec, tree, namer):
    """Chi bộ cơ sở founded during 2019–2025 (new enterprises, schools), filled by transfers on their first day."""
    uppers = tree.districts + [d for d in tree.directs if tree.orgs[d].name.startswith("Đảng ủy Khối")]
    for n in range(spec.new_tccsd):
        upper = tree.orgs[uppers[n % len(uppers)]]
        district = upper.kind == OrgKind.DISTRICT_COMMITTEE
        key = _weighted(rng, NEW_TCCSD_MIX)
        day = _random_day(rng, date(2019, 3, 1), date(2025, 11, 30))
        if district and date(2025, 6, 1) <= day <= date(2025, 7, 31):
            day = date(2025, 9, 2)  # no unit is founded across the reform weeks
        place = upper.place if district else None
        org = _add_tccsd(rng, tree, namer, key, upper, title=upper.title, district=place, valid_from=day)
        org.size = rng.randint(5, 20)
        _name_by_kind(org, OrgKind.GRASSROOTS_CELL)


def _dissolve(rng, spec, tree):
    """A few TCCSĐ are dissolved before the reform (agencies merged, enterprises closed); members move on."""
    candidates = [
        i for i in tree.tccsd if tree.orgs[i].type_key in DISSOLVABLE and tree.orgs[i].valid_from == TREE_ORIGIN
    ]
    for index in rng.sample(candidates, min(spec.dissolved_tccsd, len(candidates))):
        last_day = _random_day(rng, date(2019, 7, 1), date(2025, 5, 31))
        for node in tree.subtree(index):
            org = tree.orgs[node]
            org.valid_to = last_day
            org.segments[-1][2] = last_day


def _reform(rng, tree, places):
    """1 July 2025: districts end, commune committees start under the province, each TCCSĐ moves with its subtree.

    Direct committees (khối, quân sự, công an) are left where they are: the demo keeps the reform to the
    district level, which is the part every report crosses.
    """
    number = 0
    for district_index in tree.districts:
        district = tree.orgs[district_index]
        live = [i for i in district.children if tree.orgs[i].valid_to is None]
        communes = [i for i in live if tree.orgs[i].type_key in ("commune", "ward", "township")]
        others = [i for i in live if i not in communes]
        groups = []
        rest = communes[:]
        while rest:
            take = min(len(rest), rng.choice([2, 3, 3, 4]))
            if len(rest) - take == 1:
                take += 1
            groups.append(rest[:take])
            rest = rest[take:]
        committees = []
        for group in groups:
            number += 1
            ward = any(tree.orgs[i].type_key == "ward" for i in group)
            committee = tree.add(
                code=f"X{number:03d}",
                name=f"Đảng bộ {'phường' if ward else 'xã'} {places.take()}",
                kind=OrgKind.COMMUNE_COMMITTEE,
                parent=tree.province,
                valid_from=REFORM_DAY,
                successor_of=district_index,
                minority_share=district.minority_share,
            )
            tree.communes.append(committee.index)
            committees.append(committee.index)
            for index in group:
                _move(tree, index, committee.index)
        for index in others:
            target = committees[0] if rng.random() < 0.6 else rng.choice(committees)
            _move(tree, index, target)
        district.valid_to = LAST_DISTRICT_DAY
        district.segments[-1][2] = LAST_DISTRICT_DAY


def _move(tree, index, new_parent):
    """As organizations.services.organization_move: close the subtree's placements, reopen them under the new parent."""
    tree.reform_parent[index] = new_parent
    org = tree.orgs[index]
    if org.valid_from >= REFORM_DAY:
        org.segments[0][0] = new_parent
        tree.orgs[new_parent].children.append(index)
        return
    for node in tree.subtree(index):
        segment = tree.orgs[node].segments[-1]
        parent = new_parent if node == index else segment[0]
        segment[2] = LAST_DISTRICT_DAY
        tree.orgs[node].segments.append([parent, REFORM_DAY, None])
    tree.orgs[new_parent].children.append(index)
