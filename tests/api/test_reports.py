"""Report runs over the API: start (the job is enqueued after commit), status, download — scoped like the
report pages."""

import pytest

from reports.models import ReportRun, RunStatus
from reports.services import report_run_execute
from tests.api.conftest import errors
from tests.indicators.conftest import rated_2024  # noqa: F401

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_start_defaults_to_the_top_of_the_callers_scope(tree, district_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = district_api.post("/api/reports/", {"year": 2024}, format="json")

    body = response.json()
    assert response.status_code == 202
    assert (body["status"], body["scope"]["code"], body["requested_by"], body["download_url"]) == (
        "QUEUED",
        "D1",
        "cadre_d1",
        None,
    )
    assert len(callbacks) == 1  # the Celery job, enqueued once the run is committed


def test_start_for_a_scope_outside_the_callers_is_refused(tree, district_api):
    other = district_api.post("/api/reports/", {"year": 2024, "scope": "D2"}, format="json")
    unknown = district_api.post("/api/reports/", {"year": 2024, "scope": "KHONG"}, format="json")

    assert other.status_code == 403
    assert errors(other) == [(None, "Tổ chức này nằm ngoài phạm vi bạn phụ trách.")]
    assert unknown.status_code == 403
    assert not ReportRun.objects.exists()


def test_start_outside_the_program_gives_the_services_message(tree, root_api):
    response = root_api.post("/api/reports/", {"year": 2019}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "year_outside_program"


def test_status_list_and_download_once_done(tree, rated_2024, district_api, other_district_api):  # noqa: F811
    run_id = district_api.post("/api/reports/", {"year": 2024, "scope": "G1"}, format="json").json()["id"]
    before = district_api.get(f"/api/reports/{run_id}/download/")
    report_run_execute(run_id)

    status = district_api.get(f"/api/reports/{run_id}/").json()
    download = district_api.get(status["download_url"])

    assert before.status_code == 404
    assert (status["status"], status["progress"]) == (RunStatus.DONE, 100)
    assert status["results"]["scope"]["code"] == "G1"
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a zip: an xlsx workbook
    assert [run["id"] for run in district_api.get("/api/reports/").json()["results"]] == [run_id]
    assert other_district_api.get("/api/reports/").json()["count"] == 0
    assert other_district_api.get(f"/api/reports/{run_id}/").status_code == 404
    assert other_district_api.get(f"/api/reports/{run_id}/download/").status_code == 404
