"""Three district-level committees rated by hand for 2023 and 2024: the peer comparison's data (tests/reports and
the browser test)."""

from datetime import date

import pytest

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
from indicators.services import snapshot_refresh
from members.models import SeatRole, TheoryLevel
from members.services import committee_seat_add, theory_level_add
from organizations.models import OrgKind, OrgType
from tests.factories import make_member, make_org

NEW_DISTRICT_DAY = date(2024, 1, 1)


def _rate(actor, organization, year, members, levels):
    member_ratings_save(
        actor=actor,
        organization=organization,
        year=RatingYear.objects.get(year=year),
        entries=[{"member_id": m.pk, "level": level} for m, level in zip(members, levels, strict=True)],
    )


@pytest.fixture
def three_districts(tree, root_user):
    """D1 (G1: a1–a4 in its cell C1), D2 (G2: b1–b8) and D3, formed on 01/01/2024 (G3: c1–c4, admitted
    02/01/2024). Ratings counted by hand below; a1 (intermediate theory) and a2 sit on G1's committee, nobody on
    G2's or G3's."""
    d3 = make_org("D3", OrgKind.DISTRICT_COMMITTEE, parent=tree["P"], valid_from=NEW_DISTRICT_DAY, name="Huyện ủy Mới")
    g3 = make_org(
        "G3", OrgKind.GRASSROOTS_CELL, parent=d3, valid_from=NEW_DISTRICT_DAY, org_type=OrgType.COMMUNE,
        name="Chi bộ xã Mới",
    )  # fmt: skip
    a = [make_member(tree["C1"], full_name=f"Lê Văn A{n}", admission_date=date(2019, 3, 2)) for n in range(1, 5)]
    b = [make_member(tree["G2"], full_name=f"Trần Thị B{n}", admission_date=date(2019, 3, 2)) for n in range(1, 9)]
    c = [make_member(g3, full_name=f"Phạm Văn C{n}", admission_date=date(2024, 1, 2)) for n in range(1, 5)]
    theory_level_add(actor=root_user, member=a[0], level=TheoryLevel.INTERMEDIATE, obtained_on=date(2020, 5, 1))
    committee_seat_add(
        actor=root_user, member=a[0], organization=tree["G1"], role=SeatRole.SECRETARY, start=date(2020, 8, 1)
    )
    committee_seat_add(
        actor=root_user, member=a[1], organization=tree["G1"], role=SeatRole.MEMBER, start=date(2020, 8, 1)
    )
    # 2023: D1 2 of 4 members good or better (50 %); D2 7 of 8 (87,5 %); G1 GOOD, G2 NOT_COMPLETED.
    _rate(root_user, tree["G1"], 2023, a, ["GOOD", "GOOD", "COMPLETED", "COMPLETED"])
    _rate(root_user, tree["G2"], 2023, b, ["GOOD"] * 7 + ["COMPLETED"])
    organization_rating_save(
        actor=root_user, organization=tree["G1"], year=RatingYear.objects.get(year=2023), level="GOOD"
    )
    organization_rating_save(
        actor=root_user, organization=tree["G2"], year=RatingYear.objects.get(year=2023), level="NOT_COMPLETED"
    )
    # 2024: D1 3 of 4 (75 %); D2 6 of 8 (75 %: a tie, by cross-multiplication); D3 1 of 4 (25 %), one not completed.
    _rate(root_user, tree["G1"], 2024, a, ["EXCELLENT", "GOOD", "GOOD", "COMPLETED"])
    _rate(root_user, tree["G2"], 2024, b, ["GOOD"] * 6 + ["COMPLETED"] * 2)
    _rate(root_user, g3, 2024, c, ["GOOD", "COMPLETED", "COMPLETED", "NOT_COMPLETED"])
    year = RatingYear.objects.get(year=2024)
    organization_rating_save(actor=root_user, organization=tree["G1"], year=year, level="GOOD")
    organization_rating_save(actor=root_user, organization=tree["G2"], year=year, level="COMPLETED")
    organization_rating_save(actor=root_user, organization=g3, year=year, level="NOT_COMPLETED")
    snapshot_refresh(year=2023)
    snapshot_refresh(year=2024)
    return {**tree, "D3": d3, "G3": g3, "members": [*a, *b, *c]}
