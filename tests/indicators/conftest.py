"""Fixtures for the indicator tests: a small province rated by hand for 2024, a second province with committees."""

from datetime import date

import pytest

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
from members.models import SeatRole, StatusKind, TheoryLevel
from members.services import committee_seat_add, member_transfer, status_period_add, theory_level_add
from organizations.models import OrgKind, OrgType
from tests.factories import make_member, make_org


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


def committee_world(root_user):
    """A root TP ─ TD (TG1 committee with cell TC1; TG3 cell) and TD2 (TG4 cell); A and B admitted to TC1, C to
    TG3; A holds intermediate theory, B elementary, C none; from 01/08/2020 A and B sit on TG1's committee, C on
    TG3's. Returns ({code: Organization}, {name: Member}); the callers then move A."""
    p = make_org("TP", OrgKind.PROVINCE_COMMITTEE)
    d = make_org("TD", OrgKind.DISTRICT_COMMITTEE, parent=p)
    d2 = make_org("TD2", OrgKind.DISTRICT_COMMITTEE, parent=p)
    g1 = make_org("TG1", OrgKind.GRASSROOTS_COMMITTEE, parent=d, org_type=OrgType.WARD)
    c1 = make_org("TC1", OrgKind.CELL, parent=g1)
    g3 = make_org("TG3", OrgKind.GRASSROOTS_CELL, parent=d, org_type=OrgType.STATE_AGENCY)
    g4 = make_org("TG4", OrgKind.GRASSROOTS_CELL, parent=d2, org_type=OrgType.STATE_AGENCY)
    a = make_member(c1, full_name="Lê Văn An", admission_date=date(2019, 3, 2))
    b = make_member(c1, full_name="Trần Thị Bình", admission_date=date(2019, 4, 3))
    c = make_member(g3, full_name="Hoàng Văn Cường", admission_date=date(2019, 5, 4))
    theory_level_add(actor=root_user, member=a, level=TheoryLevel.INTERMEDIATE, obtained_on=date(2020, 5, 1))
    theory_level_add(actor=root_user, member=b, level=TheoryLevel.ELEMENTARY, obtained_on=date(2019, 5, 1))
    seat = {"actor": root_user, "role": SeatRole.MEMBER}
    committee_seat_add(**seat, member=a, organization=g1, start=date(2020, 8, 1))
    committee_seat_add(**seat, member=b, organization=g1, start=date(2020, 8, 1))
    committee_seat_add(**seat, member=c, organization=g3, start=date(2020, 8, 1))
    orgs = {"TP": p, "TD": d, "TD2": d2, "TG1": g1, "TC1": c1, "TG3": g3, "TG4": g4}
    return orgs, {"A": a, "B": b, "C": c}


@pytest.fixture
def second_province(root_user):
    """committee_world, then A transferred to TG4 (district TD2) on 01/03/2024 and on its committee from
    01/04/2024: on 31/12/2024 A sits on the committees of TG1 (district TD) and TG4, B on TG1's, C on TG3's."""
    orgs, people = committee_world(root_user)
    a = people["A"]
    member_transfer(actor=root_user, member=a, to_organization=orgs["TG4"], date=date(2024, 3, 1))
    committee_seat_add(
        actor=root_user, role=SeatRole.MEMBER, member=a, organization=orgs["TG4"], start=date(2024, 4, 1)
    )
    return orgs
