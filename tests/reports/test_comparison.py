"""The peer comparison of the reporting units (issue 12, item 7): three district-level committees rated by hand for
2023 and 2024, ranked per indicator, with the change in points against the year before — for the Board and the
Steering Committee only, aggregates only."""

from datetime import date
from fractions import Fraction
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
from indicators.selectors import comparison
from indicators.selectors.comparison import HIGHER, LOWER, competition_ranks
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


def _rows(result, code):
    """{unit code: (numerator, denominator, rank)} of one indicator."""
    return {
        row.node.code: (row.figure.numerator, row.figure.denominator, row.rank) for row in result.indicator(code).rows
    }


def test_competition_ranking_shares_a_rank_and_skips_the_next():
    values = {"A": (9, 10), "B": (3, 4), "C": (6, 8), "D": (1, 2)}

    assert competition_ranks(values, HIGHER) == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert competition_ranks(values, LOWER) == {"D": 1, "B": 2, "C": 2, "A": 4}


def test_comparison_ranks_each_unit_with_a_tie_and_the_unit_without_data_last(three_districts, board_user):
    result = comparison(actor=board_user, year=2024)

    assert [unit.code for unit in result.units] == ["D1", "D2", "D3"]
    # T2a ≥ 90 %: 3/4 = 6/8 = 75 % share the first place, 1/4 is third.
    assert _rows(result, "T2a") == {"D1": (3, 4, 1), "D2": (6, 8, 1), "D3": (1, 4, 3)}
    assert [row.figure.status for row in result.indicator("T2a").rows] == ["not_met"] * 3
    # T4: only G1 has a committee (a1 intermediate of a1, a2): D2 and D3 have no denominator, unranked and last.
    t4 = result.indicator("T4").rows
    assert [(row.node.code, row.rank) for row in t4] == [("D1", 1), ("D2", None), ("D3", None)]
    assert (t4[0].figure.numerator, t4[0].figure.denominator) == (1, 2)


def test_lower_is_better_for_t1b(three_districts, board_user):
    result = comparison(actor=board_user, year=2024)

    # T1a > 90 %: G1 GOOD (1/1) first; G2 COMPLETED and G3 NOT_COMPLETED (0/1) share the second place.
    assert _rows(result, "T1a") == {"D1": (1, 1, 1), "D2": (0, 1, 2), "D3": (0, 1, 2)}
    # T1b < 0,3 %: the unit with a TCCSĐ not completed (1/1 = 100 %) is last, the two at 0 % share the first place.
    assert result.indicator("T1b").direction == LOWER
    assert _rows(result, "T1b") == {"D1": (0, 1, 1), "D2": (0, 1, 1), "D3": (1, 1, 3)}


def test_improvement_in_points_against_the_year_before(three_districts, board_user):
    result = comparison(actor=board_user, year=2024)

    t2a = {row.node.code: row.change for row in result.indicator("T2a").rows}
    # D1 50 % → 75 %: +25 points, most improved; D2 87,5 % → 75 %: −12,5 points; D3 did not exist in 2023.
    assert (t2a["D1"].points, t2a["D1"].rank) == (Fraction(25), 1)
    assert (t2a["D2"].points, t2a["D2"].rank) == (Fraction(-25, 2), 2)
    assert (t2a["D3"].new, t2a["D3"].points, t2a["D3"].rank) == (True, None, None)
    assert [row.node.code for row in result.indicator("T2a").most_improved] == ["D1"]
    # T1b, lower is better: D2 100 % → 0 % falls 100 points, an improvement of 100; D1 stays at 0 %.
    t1b = {row.node.code: row.change for row in result.indicator("T1b").rows}
    assert (t1b["D2"].points, t1b["D2"].improvement, t1b["D2"].rank) == (Fraction(-100), Fraction(100), 1)
    assert (t1b["D1"].points, t1b["D1"].rank) == (Fraction(0), 2)
    assert [row.node.code for row in result.indicator("T1b").most_improved] == ["D2"]


def test_the_trend_holds_each_units_values_over_the_program_years(three_districts, board_user):
    result = comparison(actor=board_user, year=2024)

    trend = {row.node.code: dict(row.trend) for row in result.indicator("T2a").rows}
    assert result.years == (2020, 2021, 2022, 2023, 2024)
    assert (trend["D1"][2023].numerator, trend["D1"][2023].denominator) == (2, 4)
    assert (trend["D2"][2023].numerator, trend["D2"][2023].denominator) == (7, 8)
    assert trend["D3"][2023] is None  # D3 was formed in 2024
    assert trend["D1"][2022] is None  # no snapshot computed for 2022


def test_comparison_is_none_without_a_snapshot_of_the_year(three_districts, steering_user):
    assert comparison(actor=steering_user, year=2022) is None


def test_the_page_shows_the_ranking_and_no_member(client, three_districts, board_user):
    client.force_login(board_user)

    response = client.get(reverse("reports:comparison"), {"year": 2024, "indicator": "T2a"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "So sánh các đơn vị" in text
    for name in ("Huyện ủy Đông Sơn", "Huyện ủy Tây Hòa", "Huyện ủy Mới"):
        assert name in text
    for value in ("75,00 %", "25,00 %", "+25,00"):
        assert value in text
    for member in three_districts["members"]:
        assert member.full_name not in text
    # Each unit links to its own dashboard.
    assert f"pham-vi={three_districts['D1'].pk}" in text


def test_a_bad_year_is_refused_naming_the_field(client, three_districts, board_user):
    client.force_login(board_user)

    response = client.get(reverse("reports:comparison"), {"year": "1990"})

    assert response.status_code == 400
    assert "Năm" in response.content.decode()


def test_the_workbook_holds_the_ranked_table(client, three_districts, steering_user):
    client.force_login(steering_user)

    response = client.get(reverse("reports:comparison_download"), {"year": 2024})

    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["T2a"]
    rows = list(sheet.iter_rows(values_only=True))
    body = {row[2]: row for row in rows if row[2] in ("Huyện ủy Đông Sơn", "Huyện ủy Tây Hòa", "Huyện ủy Mới")}
    # (STT, rank, unit, code, numerator, denominator, value in %, …)
    assert body["Huyện ủy Đông Sơn"][1:7] == (1, "Huyện ủy Đông Sơn", "D1", 3, 4, 75.0)
    assert body["Huyện ủy Tây Hòa"][1:7] == (1, "Huyện ủy Tây Hòa", "D2", 6, 8, 75.0)
    assert body["Huyện ủy Mới"][1:7] == (3, "Huyện ủy Mới", "D3", 1, 4, 25.0)


def test_the_api_answers_the_comparison(client, three_districts, board_user):
    client.force_login(board_user)

    response = client.get("/api/reports/comparison/", {"year": 2024})

    assert response.status_code == 200
    t1b = next(item for item in response.json()["indicators"] if item["code"] == "T1b")
    assert t1b["direction"] == "lower"
    assert [(row["code"], row["rank"]) for row in t1b["rows"]] == [("D1", 1), ("D2", 1), ("D3", 3)]
    assert t1b["most_improved"] == ["D2"]


@pytest.mark.parametrize("url", ["/bao-cao/so-sanh/?year=2024", "/bao-cao/so-sanh/tai-xuong/?year=2024"])
def test_a_district_cadre_is_refused(client, three_districts, district_cadre, url):
    client.force_login(district_cadre)

    response = client.get(url)

    assert response.status_code == 403
    assert "so sánh các đơn vị" in response.content.decode()


def test_the_api_refuses_a_grassroots_cadre(client, three_districts, grassroots_cadre):
    client.force_login(grassroots_cadre)

    response = client.get("/api/reports/comparison/", {"year": 2024})

    assert response.status_code == 403
