"""The peer comparison of the reporting units (issue 12, item 7): three district-level committees rated by hand for
2023 and 2024, ranked per indicator, with the change in points against the year before — for the Board and the
Steering Committee only, aggregates only."""

from fractions import Fraction
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators.selectors import comparison
from indicators.selectors.comparison import HIGHER, LOWER, competition_ranks
from indicators.services import snapshot_refresh
from organizations.models import OrgKind
from tests.factories import make_org
from tests.reports.comparison_data import three_districts

__all__ = ["three_districts"]


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


def test_the_comparison_reads_as_many_queries_for_more_units(three_districts, board_user):
    fresh = type(board_user).objects.get  # a user object per call: the policy reads its roles once per object
    actor = fresh(pk=board_user.pk)
    with CaptureQueriesContext(connection) as three:
        comparison(actor=actor, year=2024)
    for n in range(4, 9):
        make_org(f"D{n}", OrgKind.DISTRICT_COMMITTEE, parent=three_districts["P"], name=f"Huyện ủy số {n}")
    snapshot_refresh(year=2024)
    actor = fresh(pk=board_user.pk)

    with CaptureQueriesContext(connection) as eight:
        result = comparison(actor=actor, year=2024)

    assert len(result.units) == 8
    assert len(eight.captured_queries) == len(three.captured_queries)


def test_after_the_reform_the_units_are_those_under_the_province_and_a_new_one_is_marked(
    three_districts, steering_user
):
    snapshot_refresh(year=2025)

    result = comparison(actor=steering_user, year=2025)

    # D1 and D2 ended on 30/06/2025; X1 (formed 01/07/2025) took over G1 and G2; D3 goes on.
    assert [unit.code for unit in result.units] == ["D3", "X1"]
    changes = {row.node.code: row.change for row in result.indicator("T2a").rows}
    assert (changes["X1"].new, changes["X1"].rank) == (True, None)
    assert changes["D3"].new is False


def test_tracked_figures_without_a_comparator_are_shown_not_ranked(client, three_districts, board_user):
    result = comparison(actor=board_user, year=2024, group="other")
    client.force_login(board_user)

    response = client.get(reverse("reports:comparison"), {"year": 2024, "group": "other", "indicator": "XOA_TEN"})

    struck_off = result.indicator("XOA_TEN")
    assert struck_off.direction is None
    assert [row.rank for row in struck_off.rows] == [None, None, None]
    assert response.status_code == 200
    assert "Không có chiều tốt hơn: chỉ hiển thị, không xếp hạng" in response.content.decode()
