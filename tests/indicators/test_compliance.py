"""Indicators on a small province counted by hand (see the `tree` fixture in tests/conftest.py)."""

from datetime import date

import pytest

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
from indicators.selectors import compliance
from members.models import SeatRole, StatusKind, TheoryLevel
from members.services import committee_seat_add, status_period_add, theory_level_add
from tests.factories import make_member


@pytest.fixture
def rated_2024(tree, root_user):
    """2024: G1 (under D1) has A, B and N (admitted 10/09/2024) in its cell C1; G2 (under D2) has E (exempt
    since 2023) and F. A and B sit on G1's committee; A holds intermediate theory, B elementary."""
    a = make_member(tree["C1"], full_name="Lê Văn An", admission_date=date(2019, 3, 2))
    b = make_member(tree["C1"], full_name="Trần Thị Bình", admission_date=date(2019, 4, 3))
    n = make_member(tree["C1"], full_name="Phạm Minh Nam", admission_date=date(2024, 9, 10))
    e = make_member(tree["G2"], full_name="Đỗ Văn Em", admission_date=date(2019, 1, 5))
    f = make_member(tree["G2"], full_name="Vũ Thị Phương", admission_date=date(2019, 6, 1))
    status_period_add(actor=root_user, member=e, kind=StatusKind.EXEMPT, start=date(2023, 2, 1))
    theory_level_add(actor=root_user, member=a, level=TheoryLevel.INTERMEDIATE, obtained_on=date(2020, 5, 1))
    theory_level_add(actor=root_user, member=b, level=TheoryLevel.ELEMENTARY, obtained_on=date(2019, 5, 1))
    committee_seat_add(
        actor=root_user, member=a, organization=tree["G1"], role=SeatRole.SECRETARY, start=date(2020, 8, 1)
    )
    committee_seat_add(actor=root_user, member=b, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2020, 8, 1))
    year = RatingYear.objects.get(year=2024)
    member_ratings_save(
        actor=root_user,
        organization=tree["G1"],
        year=year,
        entries=[
            {"member_id": a.pk, "level": "EXCELLENT"},
            {"member_id": b.pk, "level": "GOOD"},
            {"member_id": n.pk, "not_rated_reason": "NEW_MEMBER"},
        ],
    )
    member_ratings_save(
        actor=root_user,
        organization=tree["G2"],
        year=year,
        entries=[
            {"member_id": e.pk, "not_rated_reason": "EXEMPT"},
            {"member_id": f.pk, "level": "COMPLETED"},
        ],
    )
    organization_rating_save(actor=root_user, organization=tree["G1"], year=year, level="GOOD")
    organization_rating_save(actor=root_user, organization=tree["G2"], year=year, level="NOT_COMPLETED")
    return {"A": a, "B": b, "N": n, "E": e, "F": f}


def _figure(result, code):
    return result.scope.as_dict()["indicators"][code]


def test_compliance_province_2024(tree, root_user, rated_2024):
    result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)

    t1a, t1b, t2a = _figure(result, "T1a"), _figure(result, "T1b"), _figure(result, "T2a")
    assert (t1a["numerator"], t1a["denominator"], t1a["status"], t1a["margin"]) == (1, 2, "not_met", -1)
    assert (t1b["numerator"], t1b["denominator"], t1b["status"], t1b["margin"]) == (1, 2, "not_met", -1)
    # Members: A excellent + B good of 3 rated (A, B, F); N new, E exempt: 5 on the rolls.
    assert (t2a["numerator"], t2a["denominator"], t2a["ratio"], t2a["status"]) == (2, 3, "66.6667", "not_met")
    assert t2a["coverage"]["total"] == 5
    assert t2a["coverage"]["not_rated"] == {
        "EXEMPT": 1,
        "SUSPENDED": 0,
        "NEW_MEMBER": 1,
        "NEW_ORGANIZATION": 0,
        "PENDING": 0,
    }
    assert _figure(result, "T2b")["numerator"] == 0
    # T3: N admitted in 2024 over the 4 members on the rolls on 31/12/2023.
    t3 = _figure(result, "T3")
    assert (t3["numerator"], t3["denominator"], t3["ratio"], t3["status"]) == (1, 4, "25.0000", "met")
    # T4: A of A and B on G1's committee; progress only before 2025.
    t4 = _figure(result, "T4")
    assert (t4["numerator"], t4["denominator"], t4["judged"]) == (1, 2, False)


def test_compliance_children_are_districts_in_2024_and_sum_to_the_province(tree, root_user, rated_2024):
    result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)

    children = {child.node.code: child.as_dict()["indicators"] for child in result.children}
    assert sorted(children) == ["D1", "D2"]
    assert children["D1"]["T1a"]["numerator"] == 1
    assert children["D1"]["T1a"]["status"] == "met"
    assert children["D2"]["T1b"]["numerator"] == 1
    assert children["D1"]["T2a"]["denominator"] + children["D2"]["T2a"]["denominator"] == 3


def test_compliance_2024_of_district_unchanged_after_the_reform_and_ward_holds_both_in_2025(
    tree, root_user, rated_2024
):
    d1_2024 = compliance(actor=root_user, year=2024, scope_id=tree["D1"].pk)
    x1_2025 = compliance(actor=root_user, year=2025, scope_id=tree["X1"].pk)

    assert _figure(d1_2024, "T2a")["coverage"]["total"] == 3
    assert _figure(d1_2024, "T1a")["denominator"] == 1
    # 2025: nothing rated yet, so T1/T2 have no data, but both re-attached TCCSĐ and their 5 members are there.
    assert _figure(x1_2025, "T1a")["status"] == "no_data"
    assert _figure(x1_2025, "T1a")["coverage"]["not_rated"]["PENDING"] == 2
    assert _figure(x1_2025, "T2a")["coverage"]["total"] == 5
    # T3 2025: no admission; base = the 5 members on 31/12/2024.
    assert (_figure(x1_2025, "T3")["numerator"], _figure(x1_2025, "T3")["denominator"]) == (0, 5)
    assert _figure(x1_2025, "T4")["judged"] is True
