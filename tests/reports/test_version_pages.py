"""Report versions on the report page and in the admin: the history of a (year, scope), issuing from the page,
and no door there that changes or deletes an issued version."""

import pytest
from django.urls import reverse

from organizations.models import RoleKind
from reports import issuing, services
from reports.models import ReportRun, RunStatus
from tests.factories import UserFactory, give_role


@pytest.fixture
def versions(tree, root_user, district_cadre, rated_2024):
    """Two done versions of D1's 2024 report (the root's, then the district cadre's) and one of D2's."""
    runs = []
    for actor, code in ((root_user, "D1"), (district_cadre, "D1"), (root_user, "D2")):
        run = services.report_run_start(actor=actor, year=2024, scope_id=tree[code].pk)
        services.report_run_execute(run.pk)
        runs.append(ReportRun.objects.get(pk=run.pk))
    return runs


def _snapshot(run):
    run.refresh_from_db()
    return (run.status, run.number, run.workbook.name, run.results, run.requested_by_id, run.finished_at)


def test_the_report_page_lists_every_version_of_its_year_and_scope(client, versions, district_cadre):
    first, second, _other = versions
    client.force_login(district_cadre)

    response = client.get(reverse("reports:detail", args=[first.pk]))

    html = response.content.decode()
    listed = [(v.version, v.requested_by.username, v.status) for v in response.context["versions"]]
    assert listed == [(2, "cadre_d1", RunStatus.DONE), (1, "root", RunStatus.DONE)]
    assert reverse("reports:download", args=[second.pk]) in html
    assert reverse("reports:download", args=[first.pk]) in html
    assert "Các phiên bản của báo cáo này" in html
    # The district cadre may not issue: no button.
    assert reverse("reports:issue", args=[first.pk]) not in html


def test_the_board_issues_from_the_page_and_sees_the_number(client, versions, board_user):
    first, second, _other = versions
    client.force_login(board_user)

    before = client.get(reverse("reports:detail", args=[second.pk])).content.decode()
    response = client.post(reverse("reports:issue", args=[second.pk]), follow=True)

    html = response.content.decode()
    second.refresh_from_db()
    assert reverse("reports:issue", args=[second.pk]) in before
    assert second.number == "1-BC/BTCTU"
    assert "Đã ban hành phiên bản 2 với số 1-BC/BTCTU." in html
    assert "đã ban hành, số 1-BC/BTCTU" in html
    assert reverse("reports:issue", args=[second.pk]) not in html
    assert ReportRun.objects.get(pk=first.pk).number == ""


def test_no_page_door_changes_an_issued_version(client, versions, board_user, steering_user):
    first, _second, _other = versions
    issuing.report_run_issue(actor=board_user, run_id=first.pk)
    before = _snapshot(first)

    client.force_login(steering_user)
    refused = client.post(reverse("reports:issue", args=[first.pk]), follow=True)
    client.force_login(board_user)
    again = client.post(reverse("reports:issue", args=[first.pk]), follow=True)
    rerun = client.post(reverse("reports:rerun", args=[first.pk]))

    assert "Vai trò của bạn không cho phép ban hành báo cáo có số." in refused.content.decode()
    assert "Phiên bản 1 của báo cáo này đã được ban hành với số 1-BC/BTCTU." in again.content.decode()
    new = ReportRun.objects.get(scope=first.scope, version=3)
    assert rerun["Location"] == reverse("reports:detail", args=[new.pk])
    assert _snapshot(first) == before
    download = client.get(reverse("reports:download", args=[first.pk]))
    assert download["Content-Disposition"].endswith("-so-1-" + str(first.number_year) + '.xlsx"')


def test_issue_of_a_version_outside_the_scope_is_not_found(client, versions, tree):
    _first, _second, other = versions
    # A board role in force on the ward X1, which did not exist on 31/12/2024: D2's 2024 report is out of sight.
    ward_board = UserFactory(username="board_x1")
    give_role(ward_board, tree["X1"], RoleKind.BOARD)
    client.force_login(ward_board)

    response = client.post(reverse("reports:issue", args=[other.pk]))

    assert response.status_code == 404
    assert ReportRun.objects.get(pk=other.pk).number == ""


def test_the_admin_shows_an_issued_version_but_cannot_change_or_delete_it(client, versions, root_user, board_user):
    first, _second, _other = versions
    issuing.report_run_issue(actor=board_user, run_id=first.pk)
    before = _snapshot(first)
    client.force_login(root_user)

    page = client.get(reverse("admin:reports_reportrun_change", args=[first.pk]))
    change = client.post(reverse("admin:reports_reportrun_change", args=[first.pk]), {"status": "FAILED"})
    delete = client.post(reverse("admin:reports_reportrun_delete", args=[first.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:reports_reportrun_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
    )

    assert page.status_code == 200
    assert "1-BC/BTCTU" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert (change.status_code, delete.status_code) == (403, 403)
    assert bulk.status_code in (200, 302)
    assert _snapshot(first) == before
