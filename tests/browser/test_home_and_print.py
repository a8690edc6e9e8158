"""Each role's day starts on its home page, in Chromium: the tasks first, the menu with only what the role can use,
a top bar that fits from a phone to a wide screen; and the dashboard printed to PDF: every sub-unit row, the unit
and the date on top, no navigation and no button.

Screenshots of each role's home and of the printed dashboard's first page are written to the folder named by
PORTAL_SCREENSHOTS (docs/screenshots/ when refreshing them), else to the test's temporary folder."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluations.models import RatingYear, Submission, SubmissionState, YearState
from indicators.services import snapshot_refresh
from organizations import scoping
from organizations.models import OrgKind, RoleKind
from tests.factories import UserFactory, give_role, make_member, make_org

from .conftest import log_in, log_out, open_user_menu
from .pdf import page_png, page_texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 1, 10)  # the 2025 ratings are due on 20/01/2026
EXTRA_DISTRICTS = 40  # a province's worth of sub-units: more than one printed page, more than the scroll box shows
MENU_IMPORT = "Nhập dữ liệu"
MENU_USERS = "Người dùng"  # every role that writes administers the users of its own part of the tree
MENU_COMPARE = "So sánh đơn vị"  # the Board and the Steering Committee compare the reporting units


@pytest.fixture
def day(seed_rows, tree, monkeypatch):
    """2020–2024 closed, 2025 open, today 10/01/2026; G1 has sent its 2025 ratings, G2 has not started."""
    monkeypatch.setattr(scoping, "today", lambda: TODAY)
    RatingYear.objects.filter(year__lt=2025).update(state=YearState.CLOSED)
    Submission.objects.create(
        organization=tree["G1"], year=RatingYear.objects.get(year=2025), state=SubmissionState.SUBMITTED
    )


@pytest.fixture
def people(tree, day):
    def user(username, name, organization, kind, **dates):
        person = UserFactory(username=username, first_name=name)
        give_role(person, organization, kind, **dates)
        return person

    return {
        "board": user("bantochuc", "Nguyễn Văn Tổ Chức", tree["P"], RoleKind.BOARD),
        "steering": user("bcd", "Trần Thị Chỉ Đạo", tree["P"], RoleKind.STEERING),
        "ward": user("cb_phuong", "Lê Văn Phường", tree["X1"], RoleKind.DISTRICT_CADRE, valid_from=date(2025, 7, 1)),
        "grassroots": user("cb_coso", "Phạm Thị Cơ Sở", tree["G2"], RoleKind.GRASSROOTS_CADRE),
    }


# (who, the first task's text and the page it opens, the menu entries beyond everyone's, imports in the menu)
ROLES = [
    (
        "board",
        "1 bản xếp loại năm 2025 chờ bạn duyệt",
        "/duyet/?nam=2025",
        {"Duyệt", "Năm đánh giá", MENU_USERS, "Chỉ tiêu", "Danh mục chỉ tiêu", "Danh mục mã", MENU_COMPARE},
        True,
    ),
    ("steering", None, None, {MENU_COMPARE}, False),
    ("ward", "1 bản xếp loại năm 2025 chờ bạn duyệt", "/duyet/?nam=2025", {"Duyệt", MENU_USERS}, True),
    ("grassroots", "1 bảng xếp loại năm 2025 cần nhập và gửi", "/xep-loai/{G2}/2025/", {MENU_USERS}, True),
]
EVERYONE = {"Việc của tôi", "Bảng điều khiển", "Tổ chức đảng", "Đảng viên", "Xếp loại", "Báo cáo", "Kế hoạch và sơ kết"}


def test_each_role_starts_on_its_tasks_with_only_usable_menu_entries(
    page, live_server, tree, people, shots, csp_violations
):
    page.set_viewport_size({"width": 1280, "height": 860})
    for who, first_task, target, extra_entries, imports in ROLES:
        log_in(page, people[who].username)
        assert page.url == f"{live_server.url}/"
        tasks = page.locator("section.tasks")
        if first_task is None:
            expect(tasks).to_contain_text("Không có việc nào chờ bạn.")
        else:
            expect(tasks.locator("li.task").first).to_contain_text(first_task)
        nav = page.get_by_role("navigation", name="Menu chính")
        labels = {text.strip() for text in nav.locator("a").all_inner_texts()}
        assert labels == EVERYONE | extra_entries | ({MENU_IMPORT} if imports else set()), who
        # The first task (when any) is a link to the page where it is done.
        if first_task is not None:
            tasks.locator("li.task a").first.click()
            page.wait_for_url(f"{live_server.url}{target.format(G2=tree['G2'].pk)}*")
            expect(page.locator("h1")).to_be_visible()
            page.go_back()
        page.screenshot(path=str(shots / f"home-{who}.png"), full_page=True)
        log_out(page)
    assert csp_violations == []


@pytest.mark.parametrize("width", [1024, 1440])
def test_the_user_menu_fits_the_window_and_holds_log_out_and_language(page, people, tree, width):
    person = people["ward"]
    person.first_name = "Lê Văn Phường Có Một Cái Tên Rất Dài Để Thử Thanh Trên Cùng"
    person.save()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, person.username)

    summary = page.locator("details.usermenu summary")
    expect(summary).to_contain_text("Cán bộ cấp huyện · Đảng bộ phường Trung Tâm")
    menu = open_user_menu(page)
    for target in (
        menu.get_by_role("button", name="Đăng xuất"),
        menu.locator(".langswitch button").first,
        menu.get_by_role("link", name="Hồ sơ và vai trò"),
        menu.get_by_role("link", name="Đổi mật khẩu"),
        menu.get_by_role("link", name="Hướng dẫn"),
    ):
        expect(target).to_be_visible()
        box = target.bounding_box()
        assert 0 <= box["x"] <= box["x"] + box["width"] <= width, (target, box)
    # Nothing sticks out of the page sideways, and the top bar grew with its content instead of overflowing.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    bar = page.locator("header.topbar").bounding_box()
    assert summary.bounding_box()["y"] + summary.bounding_box()["height"] <= bar["y"] + bar["height"] + 1


def test_a_phone_reads_the_home_page_without_sideways_scrolling(page, people, shots):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, people["grassroots"].username)

    expect(page.locator("li.task").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "home-phone.png"), full_page=True)
    log_out(page)


def test_the_dashboard_prints_every_sub_unit_with_the_unit_and_date_and_no_navigation(page, tree, people, shots):
    names = [f"Huyện ủy Thử Nghiệm số {n:02d}" for n in range(1, EXTRA_DISTRICTS + 1)]
    for n, name in enumerate(names, start=1):
        make_org(f"E{n:02d}", OrgKind.DISTRICT_COMMITTEE, parent=tree["P"], name=name)
    snapshot_refresh(year=2024)
    page.set_viewport_size({"width": 1280, "height": 860})
    log_in(page, people["steering"].username)
    page.goto("/bang-dieu-khien/?nam=2024")
    expect(page.locator("#sub-units tbody tr")).to_have_count(EXTRA_DISTRICTS + 2)  # and D1, D2

    pdf = page.pdf(format="A4", print_background=True)

    texts = page_texts(pdf)
    text = " ".join(" ".join(t.split()) for t in texts)
    for name in [*names, tree["D1"].name, tree["D2"].name]:
        assert name in text, name
    assert tree["P"].name.upper() in text  # the unit, in the printed header
    assert "In ngày" in text
    assert "Trần Thị Chỉ Đạo" in text
    for chrome in ("Việc của tôi", "Đăng xuất", "Tải bảng này (Excel)", "Cập nhật số liệu", "Tiến độ đánh giá"):
        assert chrome not in text, chrome
    # The sub-unit table starts on a page of its own, after the tiles and the trend.
    first_table_page = next(i for i, t in enumerate(texts) if names[0] in " ".join(t.split()))
    assert first_table_page >= 1
    assert "T1a" in texts[0]
    (shots / "dashboard-print-page1.png").write_bytes(page_png(pdf, 0))
    (shots / f"dashboard-print-page{first_table_page + 1}.png").write_bytes(page_png(pdf, first_table_page))


def test_the_rating_grid_prints_every_member_and_no_button(page, tree, people, shots):
    names = [f"Đảng viên Thử {n:02d}" for n in range(1, 31)]
    for name in names:
        make_member(tree["C1"], full_name=name, admission_date=date(2025, 2, 3))
    # G1's draft: the grid shows its buttons on screen.
    Submission.objects.filter(organization=tree["G1"]).update(state=SubmissionState.DRAFT)
    page.set_viewport_size({"width": 1280, "height": 860})
    log_in(page, people["board"].username)
    page.goto(f"/xep-loai/{tree['G1'].pk}/2025/")
    expect(page.get_by_role("button", name="Gửi duyệt")).to_be_visible()

    pdf = page.pdf(format="A4", print_background=True)

    text = " ".join(" ".join(t.split()) for t in page_texts(pdf))
    for name in names:
        assert name in text, name
    assert tree["G1"].name.upper() in text  # the grid's organization, in the printed header
    for chrome in ("Việc của tôi", "Đăng xuất", "Lưu nháp", "Gửi duyệt", "Điền các dòng còn trống"):
        assert chrome not in text, chrome
    (shots / "rating-grid-print-page1.png").write_bytes(page_png(pdf, 0))


def _excel_links(page):
    return page.locator("a", has_text="(Excel)")


def _download_each(page, links):
    """Click every Excel link of the page; the workbooks, opened."""
    books = []
    for index in range(links.count()):
        with page.expect_download() as download:
            links.nth(index).click()
        path = download.value.path()
        books.append(
            (download.value.suggested_filename, load_workbook(BytesIO(Path(path).read_bytes()), read_only=True))
        )
    return books


def _cells(book):
    return [value for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value]


def test_every_excel_the_dashboard_and_its_drilldown_offer_downloads_and_opens(page, tree, people):
    snapshot_refresh(year=2024)
    log_in(page, people["steering"].username)
    page.goto("/bang-dieu-khien/?nam=2024")
    dashboard_links = _excel_links(page)
    expect(dashboard_links).to_have_count(1)

    dashboard_books = _download_each(page, dashboard_links)
    page.goto(page.locator("a[href*='/chi-tiet/']").first.get_attribute("href"))
    drilldown_books = _download_each(page, _excel_links(page))

    assert len(drilldown_books) == 1
    for name, book in dashboard_books + drilldown_books:
        assert name.endswith(".xlsx"), name
        cells = _cells(book)
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells, name
    dashboard_cells = " ".join(str(value) for value in _cells(dashboard_books[0][1]))
    for unit in (tree["D1"], tree["D2"]):
        assert unit.name in dashboard_cells
