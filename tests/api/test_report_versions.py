"""Report versions over the API: every version listed with its number, the versions of one report, issuing
(the board only), and no method that changes or deletes an issued version."""

import pytest

from reports.models import ReportRun, RunStatus
from reports.services import report_run_execute, report_run_start
from tests.api.conftest import errors
from tests.indicators.conftest import rated_2024  # noqa: F401


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def two_versions(tree, root_user, rated_2024):  # noqa: F811
    """Two done versions of the province's 2024 report and one of D1's."""
    runs = []
    for code in ("P", "P", "D1"):
        run = report_run_start(actor=root_user, year=2024, scope_id=tree[code].pk)
        report_run_execute(run.pk)
        runs.append(run.pk)
    return runs


def test_the_board_issues_a_version_and_the_list_shows_its_number(two_versions, board_api, steering_api):
    first, second, _district = two_versions

    issued = board_api.post(f"/api/reports/{second}/issue/")
    listed = steering_api.get("/api/reports/", {"year": 2024, "scope": "P"}).json()["results"]
    only_issued = steering_api.get("/api/reports/", {"issued": "true"}).json()["results"]

    assert issued.status_code == 200
    assert (issued.json()["number"], issued.json()["issued"], issued.json()["issued_by"]) == (
        "1-BC/BTCTU",
        True,
        "board",
    )
    assert [(r["id"], r["version"], r["number"], r["issued"]) for r in listed] == [
        (second, 2, "1-BC/BTCTU", True),
        (first, 1, "", False),
    ]
    assert [r["id"] for r in only_issued] == [second]


def test_the_versions_of_one_report(two_versions, district_api, steering_api):
    first, second, district = two_versions

    province = steering_api.get(f"/api/reports/{first}/versions/").json()
    other = district_api.get(f"/api/reports/{first}/versions/")
    own = district_api.get(f"/api/reports/{district}/versions/").json()

    assert [(v["id"], v["version"], v["status"], v["requested_by"]) for v in province] == [
        (second, 2, RunStatus.DONE, "root"),
        (first, 1, RunStatus.DONE, "root"),
    ]
    assert other.status_code == 404
    assert [v["id"] for v in own] == [district]


def test_issuing_is_refused_to_other_roles_and_twice(two_versions, board_api, steering_api):
    first, _second, _district = two_versions

    refused = steering_api.post(f"/api/reports/{first}/issue/")
    board_api.post(f"/api/reports/{first}/issue/")
    twice = board_api.post(f"/api/reports/{first}/issue/")

    assert refused.status_code == 403
    assert errors(refused) == [(None, "Vai trò của bạn không cho phép ban hành báo cáo có số.")]
    assert twice.status_code == 400
    assert errors(twice) == [(None, "Phiên bản 1 của báo cáo này đã được ban hành với số 1-BC/BTCTU.")]
    assert ReportRun.objects.filter(number_seq__isnull=False).count() == 1


def test_no_api_method_changes_or_deletes_an_issued_version(two_versions, board_api, root_api):
    first, _second, _district = two_versions
    board_api.post(f"/api/reports/{first}/issue/")
    run = ReportRun.objects.get(pk=first)
    before = (run.status, run.number, run.workbook.name, run.results)

    answers = [
        root_api.put(f"/api/reports/{first}/", {"status": "FAILED"}, format="json").status_code,
        root_api.patch(f"/api/reports/{first}/", {"number": "9-BC/BTCTU"}, format="json").status_code,
        root_api.delete(f"/api/reports/{first}/").status_code,
        root_api.delete(f"/api/reports/{first}/download/").status_code,
        root_api.post(f"/api/reports/{first}/versions/").status_code,
    ]
    restart = root_api.post("/api/reports/", {"year": 2024, "scope": "P"}, format="json")

    assert answers == [405, 405, 405, 405, 405]
    assert (restart.status_code, restart.json()["version"]) == (202, 3)
    run.refresh_from_db()
    assert (run.status, run.number, run.workbook.name, run.results) == before
    download = root_api.get(f"/api/reports/{first}/download/")
    assert download["Content-Disposition"] == f'attachment; filename="bao-cao-2024-P-so-1-{run.number_year}.xlsx"'
