"""Reminders and urges seen in Chromium: the Steering Committee urges the TCCSĐ late with their 2025 ratings from the
progress page; a TCCSĐ cadre sees the bell's count, opens the list (unread highlighted), marks one read and the
count goes down. Screenshots of the bell and the list go to PORTAL_SCREENSHOTS (docs/screenshots/ when refreshing
them), else to the test's temporary folder."""

from datetime import date

import pytest
from playwright.sync_api import expect

from evaluations.models import RatingYear, YearState
from notifications.models import Kind, Notification
from organizations import scoping
from organizations.models import RoleKind
from reviews.tasks import send_reminders_task
from tests.factories import UserFactory, give_role

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 1, 24)  # the 2025 ratings were due on 20/01/2026


@pytest.fixture
def people(seed_rows, tree, monkeypatch):
    monkeypatch.setattr(scoping, "today", lambda: TODAY)
    RatingYear.objects.filter(year__lt=2025).update(state=YearState.CLOSED)

    def user(username, name, organization, kind):
        person = UserFactory(username=username, first_name=name, email=f"{username}@example.vn")
        give_role(person, organization, kind)
        return person

    return {
        "steering": user("bcd", "Trần Thị Chỉ Đạo", tree["P"], RoleKind.STEERING),
        "g1": user("canbo_g1", "Lê Văn Cơ Sở", tree["G1"], RoleKind.GRASSROOTS_CADRE),
    }


def test_an_urge_and_a_reminder_reach_the_bell_and_the_list(page, tree, people, shots, csp_violations):
    # The daily beat: G1 has not sent its 2025 ratings (neither has G2, which has no cadre).
    send_reminders_task.run(today=TODAY.isoformat())

    log_in(page, "bcd")
    page.goto(f"/bang-dieu-khien/tien-do/?nam=2025&pham-vi={tree['P'].pk}")
    page.get_by_role("button", name="Đôn đốc các đơn vị chậm").click()
    expect(page.locator(".messages")).to_contain_text("Đã đôn đốc 1 đơn vị chậm (gửi 1 thông báo).")
    expect(page.locator(".messages")).to_contain_text("1 đơn vị chậm không có ai giữ vai trò để nhận thông báo.")
    log_out(page)

    log_in(page, "canbo_g1")
    bell = page.locator("a.bell")
    expect(bell.locator(".bell-count")).to_have_text("2")
    page.locator("header.topbar").screenshot(path=str(shots / "notifications-bell.png"))
    bell.click()
    page.wait_for_url("**/thong-bao/")
    items = page.locator("li.notification")
    expect(items).to_have_count(2)
    expect(page.locator("li.notification.unread")).to_have_count(2)
    expect(items.first).to_contain_text("Đôn đốc: gửi kết quả xếp loại năm 2025 của Đảng bộ phường Bắc")
    expect(items.nth(1)).to_contain_text("Kết quả xếp loại năm 2025 của Đảng bộ phường Bắc đã quá hạn")
    page.screenshot(path=str(shots / "notifications-list.png"), full_page=True)

    items.first.get_by_role("button", name="Đánh dấu đã đọc").click()
    page.wait_for_url("**/thong-bao/")

    expect(page.locator("li.notification.unread")).to_have_count(1)
    expect(page.locator("a.bell .bell-count")).to_have_text("1")
    assert list(
        Notification.objects.filter(recipient=people["g1"], read_at__isnull=False).values_list("kind", flat=True)
    ) == [Kind.URGE]
    assert csp_violations == []
