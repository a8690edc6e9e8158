"""The year's ratings end to end in Chromium: a grassroots cadre fills the grid, meets a rule's message, fixes it
and sends it; the Board approves it; a steering user updates the dashboard's figures (through a real Celery
worker), sees the T2a tile change, drills down to the members behind it and downloads the Excel view. Each step
waits for what the user would see; a missing one fails the test."""

import io
import re
import time
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from evaluations.models import MemberRating, RatingYear, Submission, SubmissionState, rule_set_for_year
from indicators.services import snapshot_refresh
from members.models import StatusKind
from members.services import status_period_add
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role, make_member

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024  # G1 sat under D1 on 31/12/2024; D1 ended in 2025, so the Board decides for it now


@pytest.fixture
def people(tree, root_user):
    # A transactional test may start from a flushed database: the rating years of the data migration are gone.
    RatingYear.objects.get_or_create(year=YEAR, defaults={"rule_set": rule_set_for_year(YEAR)})
    grassroots = UserFactory(username="cadre_g1", first_name="Cán bộ Đảng bộ phường Bắc")
    give_role(grassroots, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    district = UserFactory(username="bantochuc", first_name="Ban Tổ chức Tỉnh ủy")
    give_role(district, tree["P"], RoleKind.BOARD)
    steering = UserFactory(username="bcd", first_name="Ban Chỉ đạo")
    give_role(steering, tree["P"], RoleKind.STEERING)
    members = [
        make_member(tree["C1"], full_name=name, admission_date=date(2019, 5, 19))
        for name in ("Lê Văn An", "Phạm Thị Bích", "Hoàng Văn Cường")
    ]
    members.append(make_member(tree["C2"], full_name="Đỗ Thị Dung", admission_date=date(2019, 2, 3)))
    exempt = members[1]
    status_period_add(actor=root_user, member=exempt, kind=StatusKind.EXEMPT, start=date(2023, 7, 1))
    # The dashboard's figures as they stood before any rating of the year was entered.
    snapshot_refresh(year=YEAR)
    return {"grassroots": grassroots, "district": district, "members": members, "exempt": exempt}


def _row(page, member):
    return page.locator(f"#dv-{member.pk}")


def _tile_value(page, code):
    tile = page.locator("article.tile").filter(has=page.locator(".tile-code", has_text=re.compile(f"^{code}$")))
    return tile, tile.locator(".tile-value")


def test_rating_year_from_the_grid_to_the_dashboard(seed_rows, page, tree, people, snapshot_worker, csp_violations):
    exempt = people["exempt"]

    # The grassroots cadre finds the grid through the menu and the year filter.
    log_in(page, "cadre_g1")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Xếp loại").click()
    page.get_by_label("Năm").select_option(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("link", name="Đảng bộ phường Bắc").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Xếp loại đảng viên năm {YEAR}")
    # The exemption on record is proposed as the reason, and said why.
    expect(_row(page, exempt).locator("select.rating")).to_have_value("EXEMPT")
    expect(_row(page, exempt)).to_contain_text("Miễn công tác và sinh hoạt đảng tại ngày 31/12/2024")

    # Fill the empty rows with "well completed", then (wrongly) rate the exempt member too and save.
    page.get_by_label("Điền các dòng còn trống bằng").select_option("GOOD")
    page.get_by_role("button", name="Điền", exact=True).click()
    _row(page, exempt).locator("select.rating").select_option("EXCELLENT")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu gì")
    expect(page.get_by_role("alert")).to_contain_text("Phạm Thị Bích")
    expect(page.locator(f"#dv-{exempt.pk} + tr.row-errors")).to_contain_text("nên không xếp loại")
    assert MemberRating.objects.count() == 0

    # Fix it (what was typed in the other rows is still there) and send for approval.
    expect(_row(page, people["members"][0]).locator("select.rating")).to_have_value("GOOD")
    _row(page, exempt).locator("select.rating").select_option("EXEMPT")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi kết quả xếp loại lên cấp trên để duyệt")
    expect(page.locator(".status-panel .state")).to_have_text("Đã gửi")
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    log_out(page)

    # The Board finds it waiting in the approval queue and approves it.
    log_in(page, "bantochuc")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Duyệt").click()
    page.get_by_label("Năm").select_option(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("navigation", name="Trạng thái").get_by_role("link", name="Chờ duyệt")).to_contain_text("1")
    page.get_by_role("link", name="Đảng bộ phường Bắc").click()
    expect(page.locator("#members-grid")).to_contain_text("Phạm Thị Bích")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt kết quả xếp loại")
    expect(page.locator(".status-panel")).to_contain_text("Ban Tổ chức Tỉnh ủy")

    submission = Submission.objects.get(organization=tree["G1"], year__year=YEAR)
    assert submission.state == SubmissionState.APPROVED
    assert submission.decided_by == people["district"]
    assert dict(MemberRating.objects.values_list("member__full_name", "not_rated_reason")) == {
        "Lê Văn An": "",
        "Phạm Thị Bích": "EXEMPT",
        "Hoàng Văn Cường": "",
        "Đỗ Thị Dung": "",
    }
    assert set(MemberRating.objects.exclude(level="").values_list("level", flat=True)) == {"GOOD"}
    log_out(page)

    # The steering committee opens the dashboard of the year: the figures predate the ratings.
    log_in(page, "bcd")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Bảng điều khiển").click()
    page.get_by_role("navigation", name="Năm").get_by_role("link", name=str(YEAR), exact=True).click()
    t2a, t2a_value = _tile_value(page, "T2a")
    expect(t2a_value).not_to_contain_text("100")
    # "Update the figures" enqueues refresh_snapshots_task; the worker process (snapshot_worker) runs it.
    page.get_by_role("button", name="Cập nhật số liệu").click()
    expect(page.locator(".messages")).to_contain_text(str(YEAR))
    deadline = time.monotonic() + 60
    while "100,00" not in t2a_value.inner_text():
        assert time.monotonic() < deadline, snapshot_worker.stdout.read1().decode(errors="replace")
        page.wait_for_timeout(500)
        page.reload()
    expect(t2a_value).to_have_text("100,00 %")  # 3 members rated good of 3 rated; the exempt one is not rated

    # From the number to the people behind it.
    t2a.locator(".tile-counts a").first.click()
    for name in ("Lê Văn An", "Hoàng Văn Cường", "Đỗ Thị Dung"):
        expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("main")).not_to_contain_text("Phạm Thị Bích")

    # The Excel view of the dashboard.
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải bảng này (Excel)").click()
    # Playwright stores the download under a name without extension, which openpyxl refuses: read the bytes.
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()), read_only=True)
    cells = [str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row]
    assert download_info.value.suggested_filename.endswith(".xlsx")
    assert "T2a" in " ".join(cells)
    assert tree["P"].name in " ".join(cells)
    # Every page of the flow ran under the Content-Security-Policy without a violation.
    assert csp_violations == []
