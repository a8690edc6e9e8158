"""The compliance endpoint answers compliance(...).as_dict(), the numbers of the command line, read from the year's
snapshot with the time it was computed; a year without one is a 404 saying how to ask; a POST asks for it."""

import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from evaluations.models import MemberRating
from indicators.models import IndicatorSnapshot
from indicators.selectors import compliance
from indicators.services import snapshot_refresh
from party_portal.celery import app as celery_app
from party_portal.doors import OTHER, door
from reports.models import ComparableReview
from tests.api.conftest import errors
from tests.indicators.conftest import rated_2024  # noqa: F401


@pytest.fixture(autouse=True)
def empty_cache():
    """The answers are cached (keyed on the snapshots' times); each test starts without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def computed_2024(rated_2024):  # noqa: F811
    """The people of rated_2024, with the snapshots of 2020–2024 computed (what the nightly job or a POST does;
    the means over the program read every year's)."""
    for year in range(2020, 2025):
        snapshot_refresh(year=year)
    return rated_2024


def _computed_at(year):
    return IndicatorSnapshot.objects.filter(year=year).first().computed_at.isoformat()


def test_compliance_is_the_live_computation_read_from_the_snapshot(tree, computed_2024, root_user, root_api):
    response = root_api.get("/api/indicators/compliance/?year=2024&scope=P")

    live = json.loads(json.dumps(compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).as_dict()))
    body = response.json()
    assert response.status_code == 200
    # Every number the same; the time the figures were computed given (live: null).
    assert body["computed_at"] == _computed_at(2024)
    assert live["computed_at"] is None
    assert {**body, "computed_at": None} == live


def test_compliance_matches_the_command_line(tree, computed_2024, root_api):
    out = StringIO()
    call_command("compliance", year=2024, scope="P", format="json", stdout=out)

    body = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()

    assert {**body, "computed_at": None} == json.loads(out.getvalue())


def test_compliance_of_a_district_is_the_live_computation_too(tree, computed_2024, district_cadre, district_api):
    body = district_api.get("/api/indicators/compliance/?year=2024&scope=D1").json()

    live = json.loads(json.dumps(compliance(actor=district_cadre, year=2024, scope_id=tree["D1"].pk).as_dict()))
    assert {**body, "computed_at": None} == live


def test_figures_are_those_of_the_snapshot_until_it_is_recomputed(tree, computed_2024, root_api):
    # The snapshot's counts changed behind its back (as data entered after it would be): the API serves the
    # snapshot as it is, with its time, and computes nothing live.
    IndicatorSnapshot.objects.filter(year=2024, organization=tree["P"]).update(counts={})

    body = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()

    assert body["scope"]["indicators"]["T2a"]["numerator"] == 0
    assert body["computed_at"] == _computed_at(2024)


def test_a_recomputed_snapshot_is_served_at_once(tree, computed_2024, root_api):
    first = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()
    # A's rating (excellent) removed: the snapshot, and so the API, still count it until the figures are recomputed.
    MemberRating.objects.filter(member=computed_2024["A"]).delete()
    before = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()
    snapshot_refresh(year=2024)
    after = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()

    t2a = [
        (body["scope"]["indicators"]["T2a"]["numerator"], body["scope"]["indicators"]["T2a"]["denominator"])
        for body in (first, before, after)
    ]
    # Rated after: B good, F completed (A pending, N new, E exempt): 1 of 2.
    assert t2a == [(2, 3), (2, 3), (1, 2)]
    assert first["computed_at"] == before["computed_at"] != after["computed_at"]
    assert after["computed_at"] == _computed_at(2024)


def test_a_year_without_snapshot_says_how_to_ask_for_it(tree, rated_2024, root_api):  # noqa: F811
    response = root_api.get("/api/indicators/compliance/?year=2024&scope=P")

    assert response.status_code == 404
    assert errors(response) == [
        (
            None,
            "Số liệu năm 2024 chưa được tính. Ban Tổ chức Tỉnh ủy hoặc Ban Chỉ đạo có thể yêu cầu tính: "
            'POST /api/indicators/compliance/ với {"year": 2024}.',
        )
    ]
    assert response.json()["errors"][0]["code"] == "not_computed"


def test_compliance_counted_by_hand(tree, computed_2024, root_api):
    # G1: A excellent, B good, N new member; G2: E exempt, F completed. TCCSĐ: G1 good, G2 not completed.
    body = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()

    figures = body["scope"]["indicators"]
    assert (figures["T2a"]["numerator"], figures["T2a"]["denominator"]) == (2, 3)
    assert (figures["T1b"]["numerator"], figures["T1b"]["denominator"]) == (1, 2)
    assert body["as_of"] == "2024-12-31"
    assert [child["code"] for child in body["children"]] == ["D1", "D2"]


def test_compliance_defaults_to_the_top_of_the_callers_scope(tree, computed_2024, district_api):
    body = district_api.get("/api/indicators/compliance/?year=2024").json()

    assert body["scope"]["code"] == "D1"
    assert body["scope"]["indicators"]["T2a"]["denominator"] == 2


def test_compliance_of_other_district_is_404(tree, computed_2024, district_api):
    response = district_api.get("/api/indicators/compliance/?year=2024&scope=D2")

    assert response.status_code == 404


def test_compliance_needs_a_year(tree, district_api):
    response = district_api.get("/api/indicators/compliance/?scope=D1")

    assert response.status_code == 400
    assert errors(response) == [("year", "Trường này là bắt buộc.")]


# --- asking for a recompute -----------------------------------------------------------------------------------


@pytest.fixture
def people(rated_2024):  # noqa: F811
    return rated_2024


def test_steering_asks_for_a_refresh_and_the_job_computes_the_figures(
    tree,
    people,
    steering_user,
    steering_api,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)

    # The eager task marks the process's audit door as "task"; the block puts it back for the next tests.
    with door(OTHER), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = steering_api.post("/api/indicators/compliance/", {"year": 2024}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert (body["year"], body["computed_at"], body["url"]) == (2024, None, "/api/indicators/compliance/?year=2024")
    assert body["requested_at"]
    # The refresh, then the comparable final review of the top node P it queued (issue 13), as P's reader.
    assert len(callbacks) == 2
    assert ComparableReview.objects.get().scope_id == tree["P"].pk
    after = steering_api.get("/api/indicators/compliance/?year=2024&scope=P")
    assert after.status_code == 200
    assert after.json()["computed_at"] == _computed_at(2024)
    # G1: A excellent, B good, N new member; G2: E exempt, F completed: 2 of the 3 rated are good or better.
    t2a = after.json()["scope"]["indicators"]["T2a"]
    assert (t2a["numerator"], t2a["denominator"]) == (2, 3)


def test_until_the_job_lands_the_answer_says_it_is_being_computed(
    tree,
    people,
    steering_api,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        steering_api.post("/api/indicators/compliance/", {"year": 2024}, format="json")

    response = steering_api.get("/api/indicators/compliance/?year=2024&scope=P")

    assert response.status_code == 404
    assert errors(response)[0][1].startswith("Số liệu năm 2024 chưa được tính: đã được yêu cầu lúc ")
    assert errors(response)[0][1].endswith("và đang được tính; hãy hỏi lại sau một hai phút.")


def test_a_district_cadre_may_not_ask_for_a_refresh(
    tree,
    people,
    district_api,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = district_api.post("/api/indicators/compliance/", {"year": 2024}, format="json")

    assert response.status_code == 403
    assert callbacks == []
    assert IndicatorSnapshot.objects.count() == 0


def test_a_refresh_of_a_year_outside_the_program_is_refused(tree, board_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = board_api.post("/api/indicators/compliance/", {"year": 2019}, format="json")

    assert response.status_code == 400
    assert errors(response) == [("year", "Năm 2019 không thuộc chương trình (2020–2025).")]
    assert callbacks == []
