"""The province of tests/reports/test_final_review.py, across the 1 July 2025 reform: a commune X formed on
01/07/2025 whose TCCSĐ N is the successor of two older TCCSĐ (A and B), beside S moved under it."""

from datetime import date

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
from members.models import SeatRole, TheoryLevel
from members.services import committee_seat_add, theory_level_add
from organizations import reorganizations as R
from organizations.models import Organization, OrgKind, OrgType
from organizations.services import organization_close, organization_move
from tests.factories import make_member, make_org

BASE_DAY = date(2019, 6, 1)
REFORM_DAY = date(2025, 7, 1)


def build_reform(root_user):
    """The province of the module docstring of tests/reports/test_final_review.py; {code: Organization}."""
    p = make_org("P", OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Thử Nghiệm")
    d1 = make_org("D1", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Đông Sơn")
    d2 = make_org("D2", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Tây Hòa")
    a = make_org("A", OrgKind.GRASSROOTS_COMMITTEE, parent=d1, name="Đảng bộ xã An")
    a1 = make_org("A1", OrgKind.CELL, parent=a, name="Chi bộ thôn An Thượng")
    b = make_org("B", OrgKind.GRASSROOTS_CELL, parent=d1, name="Chi bộ xã Bình")
    s = make_org("S", OrgKind.GRASSROOTS_CELL, parent=d1, org_type=OrgType.PUBLIC_SERVICE_UNIT, name="Chi bộ THCS")
    k = make_org("K", OrgKind.GRASSROOTS_CELL, parent=d2, name="Chi bộ xã Khánh")
    people = {}
    for name, unit, day in (
        ("a1", a1, BASE_DAY),
        ("a2", a1, BASE_DAY),
        ("a3", a1, BASE_DAY),
        ("a4", a1, date(2021, 3, 10)),
        ("b1", b, BASE_DAY),
        ("b2", b, BASE_DAY),
        ("b3", b, date(2023, 5, 20)),
        ("s1", s, BASE_DAY),
        ("s2", s, BASE_DAY),
        ("s3", s, date(2022, 8, 1)),
        ("k1", k, BASE_DAY),
        ("k2", k, BASE_DAY),
    ):
        people[name] = make_member(unit, full_name=f"Đảng viên {name}", admission_date=day)
    theory_level_add(actor=root_user, member=people["a1"], level=TheoryLevel.INTERMEDIATE, obtained_on=BASE_DAY)
    committee_seat_add(actor=root_user, member=people["a1"], organization=a, role=SeatRole.SECRETARY, start=BASE_DAY)
    committee_seat_add(actor=root_user, member=people["b1"], organization=b, role=SeatRole.SECRETARY, start=BASE_DAY)
    _rate(
        root_user,
        2020,
        {
            a: {"a1": "GOOD", "a2": "GOOD", "a3": "COMPLETED"},
            b: {"b1": "EXCELLENT", "b2": "NOT_COMPLETED"},
            s: {"s1": "GOOD"},
        },
        people,
    )
    _rate(
        root_user,
        2022,
        {a: {"a1": "GOOD", "a4": "GOOD", "a2": "COMPLETED", "a3": "COMPLETED"}, b: {"b1": "GOOD", "b2": "GOOD"}},
        people,
    )
    _rate(
        root_user,
        2024,
        {
            a: dict.fromkeys(("a1", "a2", "a3", "a4"), "GOOD"),
            b: {"b1": "GOOD", "b2": "GOOD"},
            s: {"s1": "GOOD", "s2": "GOOD"},
        },
        people,
    )
    for year, levels in (
        (2020, {a: "GOOD", b: "COMPLETED", s: "GOOD", k: "GOOD"}),
        (2024, {a: "EXCELLENT", b: "GOOD", s: "GOOD"}),
    ):
        for org, level in levels.items():
            organization_rating_save(
                actor=root_user, organization=org, year=RatingYear.objects.get(year=year), level=level
            )
    x = make_org("X", OrgKind.COMMUNE_COMMITTEE, parent=p, valid_from=REFORM_DAY, name="Đảng bộ xã An Bình")
    y = make_org("Y", OrgKind.COMMUNE_COMMITTEE, parent=p, valid_from=REFORM_DAY, name="Đảng bộ xã Khánh Hòa")
    R.reorganization_apply(
        actor=root_user,
        kind="MERGE",
        predecessors=[a, b],
        successor=R.NewUnit(
            code="N",
            name="Đảng bộ xã An Bình (cơ sở)",
            kind=OrgKind.GRASSROOTS_COMMITTEE,
            org_type=OrgType.COMMUNE,
            parent=x,
        ),
        effective_on=REFORM_DAY,
    )
    organization_move(actor=root_user, organization=s, new_parent=x, on=REFORM_DAY)
    organization_move(actor=root_user, organization=k, new_parent=y, on=REFORM_DAY)
    organization_close(actor=root_user, organization=d1, last_day=date(2025, 6, 30))
    organization_close(actor=root_user, organization=d2, last_day=date(2025, 6, 30))
    units = {org.code: org for org in Organization.objects.all()}
    n = units["N"]
    people["x1"] = make_member(n, full_name="Đảng viên x1", admission_date=date(2025, 9, 15))
    committee_seat_add(actor=root_user, member=people["a1"], organization=n, role=SeatRole.SECRETARY, start=REFORM_DAY)
    committee_seat_add(
        actor=root_user, member=people["b1"], organization=n, role=SeatRole.DEPUTY_SECRETARY, start=REFORM_DAY
    )
    _rate(root_user, 2025, {n: {"a1": "GOOD", "b1": "GOOD", "b3": "GOOD"}}, people)
    organization_rating_save(
        actor=root_user, organization=units["S"], year=RatingYear.objects.get(year=2025), level="GOOD"
    )
    return units


def _rate(actor, year, by_unit, people):
    for org, levels in by_unit.items():
        member_ratings_save(
            actor=actor,
            organization=org,
            year=RatingYear.objects.get(year=year),
            entries=[{"member_id": people[name].pk, "level": level} for name, level in levels.items()],
        )
