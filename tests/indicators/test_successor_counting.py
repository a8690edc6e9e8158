"""A unit that ended inside the year by merger or split counts for that year through its successor
(docs/counting-rules.md §3): its admissions in the year and its rolls on 31/12 of the year before go where the
successor sits on 31/12 of the year.

The province, counted by hand (every base member admitted on 01/06/2019):

    P ─ D1 ─ A  (chi bộ cơ sở)   a1, a2; a3 admitted 10/03/2024        ┐ merged on 01/07/2024 into N,
       │    ├ B  (đảng bộ cơ sở) b1 on its own rolls; cell B1: c1,     ┘ a new unit under D2 (B1 follows)
       │    │                    c2 admitted 15/05/2024 by B1
       │    └ S  (chi bộ cơ sở)  s1, s2; s3 admitted 02/02/2024; s4 left for K on 01/04/2024;
       │                         split on 01/10/2024 into S1 (under D1, the first successor) and S2 (under D2) with
       │                         s2 going to S2, everyone else to S1
       └ D2 ─ K  (chi bộ cơ sở)  k1
             N admits n1 on 10/09/2024

2024 — admissions a3, c2, n1 (N's, through D2) and s3 (S1's, through D1): 4; rolls on 31/12/2023: a1, a2, b1, c1
(N's), k1, s2 (S2's), s1 and s4 (S1's: s4 left before the split, so the first successor): 8 — D1 1 of 2, D2 3 of 6,
N 3 of 4. Rolls on 31/12/2024: N a1 a2 a3 b1 n1, B1 c1 c2, K k1 s4, S1 s1 s3, S2 s2 — 12 = 8 + 4 (nobody left the
province). Ratings: N gave a1 GOOD and a3 COMPLETED, S2 gave s2 GOOD.
2020–2023: no admission; the rolls on 31/12 of each year before were the 8 base members (D1 7, D2 only k1).
"""

from datetime import date
from fractions import Fraction

import pytest

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save
from indicators.selectors import admissions_list, compliance, compliance_snapshot, rolls_at_start_list
from indicators.services import snapshot_refresh
from members.services import member_transfer
from organizations import reorganizations as R
from organizations.models import Organization, OrgKind, OrgType
from tests.factories import make_member, make_org

BASE_DAY = date(2019, 6, 1)


@pytest.fixture
def reorganized(db, root_user):
    p = make_org("P", OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Thử Nghiệm")
    d1 = make_org("D1", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Đông Sơn")
    d2 = make_org("D2", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Tây Hòa")
    a = make_org("A", OrgKind.GRASSROOTS_CELL, parent=d1, name="Chi bộ xã An")
    b = make_org("B", OrgKind.GRASSROOTS_COMMITTEE, parent=d1, name="Đảng bộ xã Bình")
    b1 = make_org("B1", OrgKind.CELL, parent=b, name="Chi bộ thôn 1")
    s = make_org("S", OrgKind.GRASSROOTS_CELL, parent=d1, org_type=OrgType.STATE_AGENCY, name="Chi bộ Sở Xây dựng")
    k = make_org("K", OrgKind.GRASSROOTS_CELL, parent=d2, name="Chi bộ xã Khánh")
    people = {}
    for name, unit in (("a1", a), ("a2", a), ("b1", b), ("c1", b1), ("s1", s), ("s2", s), ("s4", s), ("k1", k)):
        people[name] = make_member(unit, full_name=f"Đảng viên {name}", admission_date=BASE_DAY)
    people["a3"] = make_member(a, full_name="Đảng viên a3", admission_date=date(2024, 3, 10))
    people["c2"] = make_member(b1, full_name="Đảng viên c2", admission_date=date(2024, 5, 15))
    people["s3"] = make_member(s, full_name="Đảng viên s3", admission_date=date(2024, 2, 2))
    member_transfer(actor=root_user, member=people["s4"], to_organization=k, date=date(2024, 4, 1))
    R.reorganization_apply(
        actor=root_user,
        kind="MERGE",
        predecessors=[a, b],
        successor=R.NewUnit(
            code="N", name="Đảng bộ xã An Bình", kind=OrgKind.GRASSROOTS_COMMITTEE, org_type=OrgType.COMMUNE, parent=d2
        ),
        effective_on=date(2024, 7, 1),
    )
    R.reorganization_apply(
        actor=root_user,
        kind="SPLIT",
        predecessor=s,
        successors=[
            R.NewUnit(
                code="S1", name="Chi bộ Sở Xây dựng 1", kind=OrgKind.GRASSROOTS_CELL, org_type=OrgType.STATE_AGENCY
            ),
            R.NewUnit(
                code="S2",
                name="Chi bộ Sở Xây dựng 2",
                kind=OrgKind.GRASSROOTS_CELL,
                org_type=OrgType.STATE_AGENCY,
                parent=d2,
            ),
        ],
        mapping={people["s2"].record_number: "S2"},
        effective_on=date(2024, 10, 1),
    )
    units = {org.code: org for org in Organization.objects.all()}
    people["n1"] = make_member(units["N"], full_name="Đảng viên n1", admission_date=date(2024, 9, 10))
    year = RatingYear.objects.get(year=2024)
    member_ratings_save(
        actor=root_user,
        organization=units["N"],
        year=year,
        entries=[{"member_id": people["a1"].pk, "level": "GOOD"}, {"member_id": people["a3"].pk, "level": "COMPLETED"}],
    )
    member_ratings_save(
        actor=root_user, organization=units["S2"], year=year, entries=[{"member_id": people["s2"].pk, "level": "GOOD"}]
    )
    return units


# scope: (T3 admissions, T3 base, T3 program mean 2020–2024, T2a good, T2a rated, rolls on 31/12/2024)
EXPECTED_2024 = {
    "P": (4, 8, Fraction(1, 10), 2, 3, 12),  # (0 + 0 + 0 + 0 + 4/8) / 5
    "D1": (1, 2, Fraction(1, 10), 0, 0, 2),  # (0 × 4 over 7 + 1/2) / 5
    "D2": (3, 6, Fraction(1, 10), 2, 3, 10),  # (0 × 4 over 1 + 3/6) / 5
    "N": (3, 4, Fraction(3, 4), 1, 2, 7),  # N began in 2024: one year
}
ADMITTED_2024 = {"P": ["a3", "c2", "n1", "s3"], "D1": ["s3"], "D2": ["a3", "c2", "n1"], "N": ["a3", "c2", "n1"]}
ROLLS_START_2024 = {
    "P": ["a1", "a2", "b1", "c1", "k1", "s1", "s2", "s4"],
    "D1": ["s1", "s4"],
    "D2": ["a1", "a2", "b1", "c1", "k1", "s2"],
    "N": ["a1", "a2", "b1", "c1"],
}


def _numbers(result):
    figures = result.scope.figures
    return (
        figures["T3"].numerator,
        figures["T3"].denominator,
        result.t3_program.mean,
        figures["T2a"].numerator,
        figures["T2a"].denominator,
        figures["T2a"].total,
    )


def _names(rows):
    return sorted(row.member.full_name.removeprefix("Đảng viên ") for row in rows)


def test_successor_counting_takes_the_ended_units_figures_where_the_successor_sits(reorganized, root_user):
    for code, expected in EXPECTED_2024.items():
        assert _numbers(compliance(actor=root_user, year=2024, scope_id=reorganized[code].pk)) == expected, code


def test_successor_counting_children_add_up_to_the_province(reorganized, root_user):
    result = compliance(actor=root_user, year=2024, scope_id=reorganized["P"].pk)

    t3 = {
        child.node.code: (child.figures["T3"].numerator, child.figures["T3"].denominator) for child in result.children
    }

    assert t3 == {"D1": (1, 2), "D2": (3, 6)}


def test_successor_counting_drilldown_lists_agree_with_the_counts(reorganized, root_user):
    for code in EXPECTED_2024:
        where = {"actor": root_user, "year": 2024, "organization_id": reorganized[code].pk}
        assert _names(admissions_list(**where)) == ADMITTED_2024[code], code
        assert _names(rolls_at_start_list(**where)) == ROLLS_START_2024[code], code


def test_successor_counting_snapshots_agree_with_the_live_figures(reorganized, root_user):
    for year in range(2020, 2025):
        snapshot_refresh(year=year)

    for code, expected in EXPECTED_2024.items():
        stored = compliance_snapshot(actor=root_user, year=2024, scope_id=reorganized[code].pk)
        assert _numbers(stored) == expected, code


def test_successor_counting_leaves_the_year_before_unchanged(reorganized, root_user):
    # 2023: A, B and S still stood under D1; no admission over the 7 base members of D1 and k1 of D2.
    for code, base in (("P", 8), ("D1", 7), ("D2", 1)):
        figure = compliance(actor=root_user, year=2023, scope_id=reorganized[code].pk).scope.figures["T3"]
        assert (figure.numerator, figure.denominator) == (0, base), code


def test_successor_counting_holds_in_the_series_of_a_later_year(reorganized, root_user):
    # 2025 has no admission; its base is the 12 of 31/12/2024 (D1: s1, s3; D2: the other 10).
    for code, expected_2024, base_2025 in (("P", (4, 8), 12), ("D1", (1, 2), 2), ("D2", (3, 6), 10)):
        series = compliance(actor=root_user, year=2025, scope_id=reorganized[code].pk).t3_program
        yearly = dict(zip(series.years, zip(series.admissions, series.bases, strict=True), strict=True))
        assert (yearly[2024], yearly[2025]) == (expected_2024, (0, base_2025)), code
