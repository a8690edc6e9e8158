"""The final review's comparable figures as a job (issue 13, item 3): the page and the workbook read a stored
result; without one the page says since when it is being computed and queues the job once. The province and its
hand counts are those of tests/reports/test_final_review.py."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.services import snapshot_refresh
from organizations.models import RoleKind
from party_portal.celery import app as celery_app
from party_portal.doors import OTHER, door
from reports.models import ComparableReview, RunStatus
from tests.factories import UserFactory, give_role
from tests.reports.final_review_world import build_reform

PAGE = "reports:final_review"
WAITING = "Số liệu so sánh được đang được tính (yêu cầu lúc"


@pytest.fixture
def reform(db, root_user):
    return build_reform(root_user)


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def _pairs(unit, code):
    return [None if f is None else (f.numerator, f.denominator) for _year, f in unit.series[code].years]


def test_comparable_page_without_a_result_queues_one_job_and_says_it_is_computing(
    client, reform, root_user, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    query = {"scope": reform["X"].pk, "mode": "comparable"}

    with django_capture_on_commit_callbacks() as callbacks:
        first = client.get(reverse(PAGE), query)
        again = client.get(reverse(PAGE), query)

    assert len(callbacks) == 1
    assert ComparableReview.objects.get().status == RunStatus.QUEUED
    for response in (first, again):
        assert response.status_code == 200
        assert WAITING in response.content.decode()
        assert response.context["blocks"] == []
        # No workbook to download yet: the link comes with the figures.
        assert reverse("reports:final_review_download") not in response.content.decode()
        assert "out of band" not in response.content.decode()  # the template's comment stays a comment


def test_comparable_page_shows_the_hand_counted_figures_once_the_job_ran(
    client, reform, root_user, eager, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    query = {"scope": reform["X"].pk, "mode": "comparable"}
    with door(OTHER), django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(PAGE), query)

    response = client.get(reverse(PAGE), query)

    page = response.content.decode()
    assert WAITING not in page
    assert "Số liệu so sánh được tính lúc" in page
    assert f'href="{reverse("reports:final_review_download")}?' in page
    review = response.context["review"]
    # X's TCCSĐ (A + B + S until 2024, N + S in 2025), as counted in test_final_review.py.
    assert _pairs(review.scope, "T2a") == [(4, 6), (0, 0), (4, 6), (0, 0), (8, 8), (3, 3)]
    assert _pairs(review.scope, "T3") == [(0, 7), (1, 7), (1, 8), (1, 9), (0, 10), (1, 10)]
    assert _pairs(next(c for c in review.children if c.node.code == "N"), "T3") == [
        (0, 5),
        (1, 5),
        (0, 6),
        (1, 6),
        (0, 7),
        (1, 7),
    ]
    assert [code for code, _name, _last in review.scope.traced] == ["A", "B"]
    assert review.scope.traced[0][2] == date(2025, 6, 30)
    assert "Chi bộ xã Bình (đến 30/06/2025)" in page


def test_district_cadre_never_sees_the_provinces_stored_result(
    client, reform, root_user, eager, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    with door(OTHER), django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(PAGE), {"scope": reform["P"].pk, "mode": "comparable"})
    cadre = UserFactory(username="cadre_d1_comparable")
    give_role(cadre, reform["D1"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30))
    client.force_login(cadre)

    with django_capture_on_commit_callbacks() as callbacks:
        province = client.get(reverse(PAGE), {"scope": reform["P"].pk, "mode": "comparable", "last": 2024})
        province_2025 = client.get(reverse(PAGE), {"scope": reform["P"].pk, "mode": "comparable"})
        download = client.get(reverse("reports:final_review_download"), {"scope": reform["P"].pk, "mode": "comparable"})
        own = client.get(reverse(PAGE), {"mode": "comparable"})

    assert (province.status_code, province_2025.status_code, download.status_code) == (404, 404, 404)
    assert "Đảng bộ tỉnh Thử Nghiệm" not in province.content.decode()
    # The cadre's own review (D1, 2020–2024) is a request of its own, not the province's row.
    assert own.status_code == 200
    assert own.context["review"].scope.node.code == "D1"
    assert len(callbacks) == 1
    assert sorted(ComparableReview.objects.values_list("scope__code", "last")) == [("D1", 2024), ("P", 2025)]


def test_comparable_download_reads_the_stored_result(
    client, reform, root_user, eager, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    url = reverse("reports:final_review_download")
    query = {"scope": reform["X"].pk, "mode": "comparable"}
    with door(OTHER), django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url, query)
    before = client.get(url, query)
    # The workbook is built from the stored counts: two more members rated "completed" in X's 2024 make 8 of 10.
    stored = ComparableReview.objects.get()
    stored.counts["units"][0]["years"]["2024"]["t2_COMPLETED"] = 2
    stored.save(update_fields=["counts"])

    after = client.get(url, query)

    assert waiting.status_code == 302
    assert waiting["Location"].startswith(reverse(PAGE))
    assert (before.status_code, after.status_code) == (200, 200)
    assert "Số liệu so sánh được (theo địa giới 31/12/2025)" in _cells(before)
    assert 80.0 not in _cells(before)
    assert 80.0 in _cells(after)


def _cells(response):
    book = load_workbook(BytesIO(response.content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_a_snapshot_refresh_or_a_failure_asks_for_the_comparable_figures_again(
    client, reform, root_user, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    query = {"scope": reform["X"].pk, "mode": "comparable"}
    with django_capture_on_commit_callbacks() as first_request:
        client.get(reverse(PAGE), query)
    ComparableReview.objects.update(status=RunStatus.FAILED, error="worker lost")

    with django_capture_on_commit_callbacks() as after_failure:
        client.get(reverse(PAGE), query)
    snapshot_refresh(year=2024)
    with django_capture_on_commit_callbacks() as after_refresh:
        page = client.get(reverse(PAGE), query)

    assert (len(first_request), len(after_failure), len(after_refresh)) == (1, 1, 1)
    first, second = ComparableReview.objects.order_by("pk")
    assert (first.status, first.error) == (RunStatus.QUEUED, "")
    assert second.status == RunStatus.QUEUED
    # The first was asked before any snapshot of 2024, the second after the refresh.
    assert "2024:-" in first.stamp
    assert "2024:-" not in second.stamp
    assert WAITING in page.content.decode()


def test_a_refresh_queues_the_comparable_review_of_the_top_node_as_its_reader(
    reform, django_capture_on_commit_callbacks
):
    from indicators.tasks import refresh_snapshots_task

    committee = UserFactory(username="ban_to_chuc")
    give_role(committee, reform["P"], RoleKind.BOARD)

    with django_capture_on_commit_callbacks() as after_refresh:
        refresh_snapshots_task(2024)
    with django_capture_on_commit_callbacks() as after_a_year_outside_the_program:
        refresh_snapshots_task(2019)

    # One top node (P), read by the one user with a role on it: its review over the whole program, queued once.
    review = ComparableReview.objects.get()
    assert (review.scope_id, review.first, review.last) == (reform["P"].pk, 2020, 2025)
    assert (review.status, review.requested_by) == (RunStatus.QUEUED, committee)
    assert "2024:-" not in review.stamp
    assert (len(after_refresh), len(after_a_year_outside_the_program)) == (1, 0)


def test_a_top_node_nobody_holds_a_role_on_is_not_warmed(reform, django_capture_on_commit_callbacks):
    from indicators.tasks import refresh_snapshots_task

    with django_capture_on_commit_callbacks() as after_refresh:
        refresh_snapshots_task(2024)

    assert (ComparableReview.objects.count(), len(after_refresh)) == (0, 0)
