"""The final review (tổng kết) 2020–2025 and mid-term reviews: every target per year, historical and comparable
across the 1 July 2025 reform (docs/decisions.md, issue 12).

The province, counted by hand (base members admitted on 01/06/2019, so on the rolls at every year's start):

    P ─ D1 (district, ends 30/06/2025)
       │  ├ A  đảng bộ xã An (TCCSĐ)  its cell A1 holds a1 a2 a3; a4 admitted by A1 on 10/03/2021  ┐ merged on
       │  ├ B  chi bộ xã Bình (TCCSĐ) b1 b2; b3 admitted 20/05/2023                                  ┘ 01/07/2025 into N
       │  └ S  chi bộ trường THCS (TCCSĐ) s1 s2; s3 admitted 01/08/2022        → moved under X on 01/07/2025
       ├ D2 (district, ends 30/06/2025)
       │  └ K  chi bộ xã Khánh (TCCSĐ) k1 k2                                    → moved under Y on 01/07/2025
       ├ X  đảng bộ xã An Bình, formed 01/07/2025: N (đảng bộ, successor of A and B; admits x1 on 15/09/2025), S
       └ Y  đảng bộ xã Khánh Hòa, formed 01/07/2025: K

Member ratings (T2a: good or better / rated): 2020 A a1 a2 GOOD a3 COMPLETED, B b1 EXCELLENT b2 NOT_COMPLETED, S s1
GOOD → X's TCCSĐ 4/6; 2022 A a1 a4 GOOD a2 a3 COMPLETED, B b1 b2 GOOD → 4/6; 2024 A a1–a4, B b1 b2, S s1 s2 GOOD →
8/8; 2025 N a1 b1 b3 GOOD → 3/3. 2021 and 2023: nobody rated.
TCCSĐ ratings (T1a): 2020 A GOOD, B COMPLETED, S GOOD (X's 2 of 3), K GOOD; 2024 A EXCELLENT, B GOOD, S GOOD (3/3);
2025 S GOOD (1/1: N, formed after 30 June, is not rated).
T3 of X's TCCSĐ (admissions / rolls on 31/12 of the year before): 2020 0/7, 2021 1/7 (a4), 2022 1/8 (s3), 2023 1/9
(b3), 2024 0/10, 2025 1/10 (x1; A's and B's rolls of 31/12/2024 go to N). K: 0/2 every year.
T4 (committee people with intermediate theory or more / people): a1 (intermediate since 01/06/2019) secretary of A, b1
(none) secretary of B until 30/06/2025, both then on N's committee → 1/2 every year.
"""

from datetime import date
from fractions import Fraction
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators.selectors.series import COMPARABLE, HISTORICAL, final_review
from organizations import reorganizations as R
from organizations.models import Organization, OrgKind, RoleKind
from organizations.services import organization_close, organization_create, organization_move
from party_portal.celery import app as celery_app
from party_portal.doors import OTHER, door
from tests.factories import UserFactory, give_role, make_member, make_org
from tests.reports.final_review_world import BASE_DAY, REFORM_DAY, build_reform

YEARS = [2020, 2021, 2022, 2023, 2024, 2025]


@pytest.fixture
def reform(db, root_user):
    return build_reform(root_user)


def _pairs(unit, code):
    return [None if f is None else (f.numerator, f.denominator) for _year, f in unit.series[code].years]


def _child(review, code):
    return next(child for child in review.children if child.node.code == code)


# X's TCCSĐ (A + B + S until 2024, N + S in 2025), summed by hand above.
X_T2A = [(4, 6), (0, 0), (4, 6), (0, 0), (8, 8), (3, 3)]
X_T1A = [(2, 3), (0, 0), (0, 0), (0, 0), (3, 3), (1, 1)]
X_T3 = [(0, 7), (1, 7), (1, 8), (1, 9), (0, 10), (1, 10)]
X_T4 = [(1, 2)] * 6


def test_final_review_comparable_series_of_a_commune_formed_on_1_july_2025_is_the_sum_of_its_tccsd(reform, root_user):
    review = final_review(actor=root_user, scope_id=reform["X"].pk, mode=COMPARABLE)

    x = review.scope
    assert review.years == YEARS
    assert _pairs(x, "T2a") == X_T2A
    assert _pairs(x, "T1a") == X_T1A
    assert _pairs(x, "T3") == X_T3
    assert _pairs(x, "T4") == X_T4
    # Its sub-units at the end of the span: N (A and B before the merger) and S.
    assert _pairs(_child(review, "N"), "T3") == [(0, 5), (1, 5), (0, 6), (1, 6), (0, 7), (1, 7)]
    assert _pairs(_child(review, "S"), "T3") == [(0, 2), (0, 2), (1, 2), (0, 3), (0, 3), (0, 3)]
    assert [code for code, _name, _last in x.traced] == ["A", "B"]


def test_final_review_historical_shows_a_new_commune_only_in_2025(reform, root_user):
    review = final_review(actor=root_user, scope_id=reform["X"].pk, mode=HISTORICAL)

    x = review.scope
    assert _pairs(x, "T2a") == [None, None, None, None, None, (3, 3)]
    assert _pairs(x, "T3") == [None, None, None, None, None, (1, 10)]
    assert x.series["T2a"].achieved == 1
    assert x.series["T3"].rate.mean == Fraction(1, 10)


def test_final_review_counts_achieved_years_mean_pooled_and_deadline(reform, root_user):
    review = final_review(actor=root_user, scope_id=reform["X"].pk, mode=COMPARABLE)

    series = review.scope.series
    # T2a ≥ 90 %: 2024 (8/8) and 2025 (3/3); 4/6 twice falls short, 2021 and 2023 have no data.
    assert series["T2a"].achieved == 2
    # T1a > 90 %: 2024 (3/3) and 2025 (1/1).
    assert series["T1a"].achieved == 2
    # T3: (0 + 1/7 + 1/8 + 1/9 + 0 + 1/10) / 6 = (360 + 315 + 280 + 252) / 2520 / 6; pooled 4 / 51.
    assert series["T3"].rate.mean == Fraction(1207, 15120)
    assert series["T3"].rate.pooled == Fraction(4, 51)
    assert series["T3"].rate.status == "met"
    # T4 judged in 2025: 1 of 2 people, not > 90 %.
    assert series["T4"].deadline_year == 2025
    assert (series["T4"].deadline.numerator, series["T4"].deadline.denominator) == (1, 2)
    assert series["T4"].deadline.status == "not_met"


def test_final_review_province_lists_the_units_of_each_mode(reform, root_user):
    historical = final_review(actor=root_user, scope_id=reform["P"].pk, mode=HISTORICAL)
    comparable = final_review(actor=root_user, scope_id=reform["P"].pk, mode=COMPARABLE)

    assert [child.node.code for child in historical.children] == ["D1", "D2", "X", "Y"]
    assert _pairs(_child(historical, "D1"), "T3") == [(0, 7), (1, 7), (1, 8), (1, 9), (0, 10), None]
    assert [child.node.code for child in comparable.children] == ["X", "Y"]
    assert _pairs(_child(comparable, "Y"), "T3") == [(0, 2)] * 6
    # Nothing was dissolved: the province is the same in both modes, 9 members at the start of 2020.
    province = [(0, 9), (1, 9), (1, 10), (1, 11), (0, 12), (1, 12)]
    assert _pairs(historical.scope, "T3") == province
    assert _pairs(comparable.scope, "T3") == province


def test_final_review_mid_term_span(reform, root_user):
    review = final_review(actor=root_user, scope_id=reform["D1"].pk, first=2021, last=2023, mode=HISTORICAL)

    assert (review.years, review.is_whole_program) == ([2021, 2022, 2023], False)
    assert _pairs(review.scope, "T3") == [(1, 7), (1, 8), (1, 9)]
    # (1/7 + 1/8 + 1/9) / 3 = (72 + 63 + 56) / 504 / 3; pooled 3 / 24.
    assert review.scope.series["T3"].rate.mean == Fraction(191, 1512)
    assert review.scope.series["T3"].rate.pooled == Fraction(1, 8)
    assert _pairs(review.scope, "T2a") == [(0, 0), (4, 6), (0, 0)]
    assert review.scope.series["T2a"].achieved == 0
    # T4's deadline (2025) lies past the span: its last year is shown as progress, not judged.
    assert review.scope.series["T4"].deadline_year == 2023
    assert review.scope.series["T4"].deadline.judged is False


def test_final_review_page_is_scoped_to_the_actors_part_of_the_tree(client, reform):
    cadre = UserFactory(username="cadre_d1_review")
    give_role(cadre, reform["D1"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30))
    client.force_login(cadre)
    url = reverse("reports:final_review")

    own = client.get(url, {"scope": reform["D1"].pk, "first": 2021, "last": 2023})
    other = client.get(url, {"scope": reform["D2"].pk, "first": 2021, "last": 2023})
    other_export = client.get(reverse("reports:final_review_download"), {"scope": reform["D2"].pk, "last": 2023})

    assert own.status_code == 200
    assert "Huyện ủy Đông Sơn" in own.content.decode()
    assert other.status_code == 404
    assert "Huyện ủy Tây Hòa" not in other.content.decode()
    assert other_export.status_code == 404


def test_final_review_of_a_unit_that_ended_stops_at_its_last_year(client, reform):
    cadre = UserFactory(username="cadre_d1_ended")
    give_role(cadre, reform["D1"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30))
    client.force_login(cadre)

    response = client.get(reverse("reports:final_review"), {"scope": reform["D1"].pk, "last": 2025})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sơ kết giữa kỳ giai đoạn 2020–2024" in page
    assert "Đơn vị đã chọn không còn vào ngày 31/12/2025: bảng dừng ở năm 2024, năm cuối của đơn vị." in page


def test_final_review_comparable_series_of_a_commune_committee_merged_from_two_tccsd(db, root_user):
    """The commune committee itself is the successor of two older TCCSĐ (QA, QB: the members go onto its own rolls);
    QY, as the demo records it, names the district QD as its predecessor, and only QC moved under it."""
    q = make_org("Q", OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Hai")
    qd = make_org("QD", OrgKind.DISTRICT_COMMITTEE, parent=q, name="Huyện ủy Bắc")
    qa = make_org("QA", OrgKind.GRASSROOTS_CELL, parent=qd, name="Chi bộ xã Đông")
    qb = make_org("QB", OrgKind.GRASSROOTS_CELL, parent=qd, name="Chi bộ xã Tây")
    qc = make_org("QC", OrgKind.GRASSROOTS_CELL, parent=qd, name="Chi bộ xã Nam")
    for unit, admitted in ((qa, BASE_DAY), (qa, BASE_DAY), (qa, date(2022, 4, 1)), (qb, BASE_DAY), (qb, BASE_DAY)):
        make_member(unit, admission_date=admitted)
    for _ in range(3):
        make_member(qc, admission_date=BASE_DAY)
    qy = organization_create(
        actor=root_user,
        code="QY",
        name="Đảng bộ xã Nam Bắc",
        kind=OrgKind.COMMUNE_COMMITTEE,
        parent=q,
        valid_from=REFORM_DAY,
        successor_of=qd,
    )
    R.reorganization_apply(
        actor=root_user,
        kind="MERGE",
        predecessors=[qa, qb],
        successor=R.NewUnit(code="QX", name="Đảng bộ xã Đông Tây", kind=OrgKind.COMMUNE_COMMITTEE, parent=q),
        effective_on=REFORM_DAY,
    )
    organization_move(actor=root_user, organization=qc, new_parent=qy, on=REFORM_DAY)
    organization_close(actor=root_user, organization=qd, last_day=date(2025, 6, 30))
    qx = Organization.objects.get(code="QX")

    x_review = final_review(actor=root_user, scope_id=qx.pk, mode=COMPARABLE)
    y_review = final_review(actor=root_user, scope_id=qy.pk, mode=COMPARABLE)

    # QA + QB: 4 on the rolls from 2019, one admitted on 01/04/2022; 2025 counts their rolls carried to QX.
    assert _pairs(x_review.scope, "T3") == [(0, 4), (0, 4), (1, 4), (0, 5), (0, 5), (0, 5)]
    assert [code for code, _name, _last in x_review.scope.traced] == ["QA", "QB"]
    # QY: QC's 3 members only, not the whole district QD.
    assert _pairs(y_review.scope, "T3") == [(0, 3)] * 6
    assert y_review.scope.traced == ()


def test_final_review_workbook_holds_the_pages_summaries(
    client, reform, root_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    client.force_login(root_user)
    url = reverse("reports:final_review_download")
    # The comparable figures are computed by a job the first request queues (tests/reports/test_comparable_reviews.py).
    with door(OTHER), django_capture_on_commit_callbacks(execute=True):
        client.get(url, {"scope": reform["X"].pk, "mode": "comparable"})

    response = client.get(url, {"scope": reform["X"].pk, "mode": "comparable"})

    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "Đạt 2/6 năm" in values  # T2a and T1a
    assert "Bình quân chương trình 7,98 %; tỷ lệ gộp 7,84 %" in values
    assert "Số liệu so sánh được (theo địa giới 31/12/2025)" in values
    # The result cells are numbers: X's T2a of 2024 is 8 of 8.
    assert 100.0 in values


@pytest.mark.parametrize("mode", [HISTORICAL, COMPARABLE])
def test_final_review_queries_do_not_grow_with_the_units(reform, root_user, mode):
    with CaptureQueriesContext(connection) as small:
        final_review(actor=root_user, scope_id=reform["P"].pk, mode=mode)
    for number in range(3):
        unit = make_org(f"XT{number}", OrgKind.GRASSROOTS_CELL, parent=reform["X"], valid_from=date(2025, 8, 1))
        make_member(unit, admission_date=date(2025, 8, 2))

    with CaptureQueriesContext(connection) as larger:
        final_review(actor=root_user, scope_id=reform["P"].pk, mode=mode)

    assert len(larger) == len(small)


def test_final_review_scope_is_picked_by_code_or_name_on_the_spans_last_year(client, reform):
    cadre = UserFactory(username="cadre_d1_picker")
    give_role(cadre, reform["D1"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30))
    client.force_login(cadre)
    url = reverse("reports:final_review")

    by_code = client.get(url, {"scope": "s", "last": 2024})
    outside = client.get(url, {"scope": "K", "last": 2024})
    ambiguous = client.get(url, {"scope": "xa", "last": 2024})

    assert by_code.context["review"].scope.node.code == "S"
    assert 'data-org-picker-year="last"' in by_code.content.decode()
    # Refused: the picker's message, and the review of the cadre's own scope.
    assert outside.context["review"].scope.node.code == "D1"
    assert (
        "Phạm vi: ngày 31/12/2024, trong phạm vi phụ trách không có tổ chức nào có mã hoặc tên “K”. Hãy gõ mã, "
        "hoặc chọn một tổ chức trong danh sách gợi ý." in outside.content.decode()
    )
    # "Đảng bộ xã An" and "Chi bộ xã Bình".
    assert ambiguous.context["review"].scope.node.code == "D1"
    assert "có 2 tổ chức trong phạm vi phụ trách có “xa” trong tên." in ambiguous.content.decode()
