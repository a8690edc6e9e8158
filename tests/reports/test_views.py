"""Report pages: scoped list, request form, progress, report page, download."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from organizations.models import RoleKind
from reports import services
from reports.models import ReportRun, RunStatus
from reports.tables import percent, percent_text
from tests.factories import UserFactory, give_role

from .workbook_checks import check_hand_counted, open_workbook


@pytest.fixture
def done_runs(tree, root_user, rated_2024):
    """The 2024 report of each district, computed."""
    runs = {}
    for code in ("D1", "D2"):
        run = services.report_run_start(actor=root_user, year=2024, scope_id=tree[code].pk)
        services.report_run_execute(run.pk)
        runs[code] = ReportRun.objects.get(pk=run.pk)
    return runs


def _get(client, name, *args, **kwargs):
    return client.get(reverse(name, args=args), **kwargs)


@pytest.mark.parametrize("name", ["reports:list"])
def test_report_pages_require_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_run_list_shows_only_runs_inside_the_users_scope(client, done_runs, district_cadre):
    client.force_login(district_cadre)

    response = _get(client, "reports:list")

    assert [run.scope.code for run in response.context["page"]] == ["D1"]


def test_run_list_of_the_province_shows_every_run(client, done_runs, steering_user):
    client.force_login(steering_user)

    response = _get(client, "reports:list")

    assert sorted(run.scope.code for run in response.context["page"]) == ["D1", "D2"]


def test_run_of_another_district_is_not_found_in_page_progress_and_download(client, done_runs, district_cadre):
    client.force_login(district_cadre)
    other = done_runs["D2"].pk

    for name in ("reports:detail", "reports:progress", "reports:download"):
        assert _get(client, name, other).status_code == 404
    assert client.post(reverse("reports:rerun", args=[other])).status_code == 404


def test_run_detail_shows_the_workbooks_tables(client, done_runs, district_cadre):
    client.force_login(district_cadre)

    response = _get(client, "reports:detail", done_runs["D1"].pk)

    html = response.content.decode()
    assert response.status_code == 200
    # D1's members: A excellent and B good of 2 rated (N not rated): 100,00 % good or better.
    # The sheet of the members rated is titled by its two definitions (migration 0007's names).
    assert "Đảng viên hoàn thành tốt nhiệm vụ trở lên; Đảng viên không hoàn thành nhiệm vụ" in html
    assert "100,00 %" in html
    assert '<td class="rv rv-met">Đạt</td>' in html
    assert "Chưa đạt (tiến độ)" in html


def test_run_download_is_the_stored_workbook(client, tree, root_user, closed_2024, steering_user):
    run = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    services.report_run_execute(run.pk)
    client.force_login(steering_user)

    response = _get(client, "reports:download", run.pk)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2024-P-v1.xlsx"'
    check_hand_counted(b"".join(response.streaming_content))


def test_new_report_form_starts_a_run_in_the_users_scope(client, tree, district_cadre):
    client.force_login(district_cadre)

    response = client.post(reverse("reports:create"), {"nam": "2024", "to_chuc": str(tree["D1"].pk)})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[run.pk])
    assert (run.year, run.scope, run.requested_by, run.status) == (2024, tree["D1"], district_cadre, RunStatus.QUEUED)


def test_new_report_form_refuses_a_scope_outside_the_users(client, tree, district_cadre):
    client.force_login(district_cadre)

    response = client.post(reverse("reports:create"), {"nam": "2024", "to_chuc": str(tree["D2"].pk)})

    assert response.status_code == 400
    assert "to_chuc" in response.context["form"].errors
    assert not ReportRun.objects.exists()


def test_new_report_scope_is_picked_by_code_or_name_in_the_users_part_of_the_tree(client, tree, district_cadre):
    client.force_login(district_cadre)

    page = _get(client, "reports:list", data={"nam": "2024"}).content.decode()
    by_code = client.post(reverse("reports:create"), {"nam": "2024", "to_chuc": "g1"})

    assert 'data-org-picker="/to-chuc/chon/"' in page
    assert "<option" not in page.split('name="to_chuc"')[1].split("</label>")[0]
    assert by_code.status_code == 302
    assert ReportRun.objects.get().scope == tree["G1"]


def test_new_report_scope_outside_the_users_part_or_ambiguous_is_refused_with_the_pickers_message(
    client, tree, district_cadre
):
    client.force_login(district_cadre)

    outside = client.post(reverse("reports:create"), {"nam": "2024", "to_chuc": "G2"})
    ambiguous = client.post(reverse("reports:create"), {"nam": "2024", "to_chuc": "khu pho"})

    assert (outside.status_code, ambiguous.status_code) == (400, 400)
    assert outside.context["form"].errors["to_chuc"] == [
        "ngày 31/12/2024, trong phạm vi phụ trách không có tổ chức nào có mã hoặc tên “G2”. Hãy gõ mã, hoặc chọn "
        "một tổ chức trong danh sách gợi ý."
    ]
    # C1 and C2 are both "Chi bộ khu phố …".
    assert ambiguous.context["form"].errors["to_chuc"] == [
        "có 2 tổ chức trong phạm vi phụ trách có “khu pho” trong tên. Hãy gõ mã của tổ chức cần chọn, hoặc chọn một "
        "tổ chức trong danh sách gợi ý."
    ]
    assert not ReportRun.objects.exists()


def test_progress_polls_while_the_run_is_active_then_reloads_the_page(client, tree, root_user, rated_2024):
    run = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    client.force_login(root_user)

    polling = _get(client, "reports:progress", run.pk, headers={"HX-Request": "true"})
    services.report_run_execute(run.pk)
    finished = _get(client, "reports:progress", run.pk, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 1s"' in polling.content.decode()
    assert finished["HX-Refresh"] == "true"


def test_rerun_from_the_page_queues_a_new_version_and_shows_it(client, done_runs, district_cadre):
    client.force_login(district_cadre)

    response = client.post(reverse("reports:rerun", args=[done_runs["D1"].pk]))

    new = ReportRun.objects.get(scope=done_runs["D1"].scope, version=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[new.pk])
    assert (new.status, new.requested_by) == (RunStatus.QUEUED, district_cadre)
    assert ReportRun.objects.get(pk=done_runs["D1"].pk).status == RunStatus.DONE


def test_run_list_runs_a_constant_number_of_queries(client, tree, root_user, rated_2024):
    """Runs in three years over every scope: the query count does not grow with the runs."""
    cadre = UserFactory(username="cadre_p")
    give_role(cadre, tree["P"], RoleKind.STEERING)
    client.force_login(cadre)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, "reports:list").status_code == 200
        return len(queries)

    services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    few = count()
    for year in (2022, 2023, 2024):
        for code in ("P", "D1", "D2", "G1", "G2"):
            services.report_run_start(actor=root_user, year=year, scope_id=tree[code].pk)
    many = count()

    # One query per year reports exist for (scoping as of its 31/12), the rest fixed.
    assert many == few + 2
    assert many <= 16


def test_percentages_on_the_page_are_rounded_like_the_workbook():
    """1 of 1,521 is 0.0657 %: the workbook's "0.00" format shows 0,07 %, so must the page (not 0,06 %)."""
    with translation.override("vi"):
        assert percent_text(percent(1, 1521)) == "0,07 %"
        assert percent_text(percent(1413, 1521)) == "92,90 %"


def test_run_detail_follows_the_ui_language_while_the_workbook_stays_vietnamese(client, done_runs, district_cadre):
    client.force_login(district_cadre)
    client.post(reverse("set_language"), {"language": "en"})

    response = _get(client, "reports:detail", done_runs["D1"].pk)

    html = response.content.decode()
    assert "Members rated well completed or better; Members rated not completed" in html
    assert "100.00 %" in html
    with done_runs["D1"].workbook.open("rb") as workbook:
        assert open_workbook(workbook.read())["summary"]["A5"].value.startswith("BÁO CÁO KẾT QUẢ")
