"""Fixtures for the indicator tests: a small province rated by hand for 2024."""

from datetime import date

import pytest

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
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
