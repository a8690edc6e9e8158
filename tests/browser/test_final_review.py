"""The final review (tổng kết) 2020–2025 of the province in Chromium, historical then comparable: the Board reads
the commune formed on 01/07/2025 over the whole program (tests/reports/final_review_world.py, counted by hand in
tests/reports/test_final_review.py).

Screenshots go to the folder named by PORTAL_SCREENSHOTS (docs/screenshots/ when refreshing them), else to the
test's temporary folder."""

import pytest
from playwright.sync_api import expect

from evaluations.models import RatingYear, YearState
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role, superuser
from tests.reports.final_review_world import build_reform

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(seed_rows):
    units = build_reform(superuser())
    # 2020–2024 closed: their verdicts are final; 2025 is still open (provisional).
    RatingYear.objects.filter(year__lt=2025).update(state=YearState.CLOSED)
    person = UserFactory(username="bantochuc", first_name="Nguyễn Văn Tổ Chức")
    give_role(person, units["P"], RoleKind.BOARD)
    return units


def _unit_row(page, target, unit):
    block = page.locator("section.final-review-block").filter(has=page.get_by_role("heading", name=target))
    return block.locator("tbody tr").filter(has_text=unit)


def test_final_review_of_the_province_in_both_modes(page, board, shots, eager_jobs, csp_violations):
    page.set_viewport_size({"width": 1700, "height": 1000})
    log_in(page, "bantochuc")
    page.goto("/bao-cao/")
    page.get_by_role("link", name="Tổng kết chương trình").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng kết chương trình giai đoạn 2020–2025")
    expect(page.get_by_role("link", name="Số liệu lịch sử")).to_have_attribute("aria-current", "page")
    # Historical: the commune X exists only in 2025 (T3 1 admission over 10), so its mean is 2025 alone.
    t3 = "T3 – "
    expect(_unit_row(page, t3, "Đảng bộ xã An Bình")).to_contain_text("Bình quân chương trình 10,00 %")
    expect(_unit_row(page, t3, "Huyện ủy Đông Sơn")).to_be_visible()
    page.screenshot(path=str(shots / "final-review-province.png"), full_page=True)

    page.get_by_role("link", name="Số liệu so sánh được (theo địa giới 31/12/2025)").click()

    expect(page.get_by_role("link", name="Số liệu so sánh được (theo địa giới 31/12/2025)")).to_have_attribute(
        "aria-current", "page"
    )
    # The comparable figures are a job: the page says so, then shows them when they land (it polls every 3 s).
    expect(page.locator("#review-figures [role=status]")).to_contain_text("Số liệu so sánh được đang được tính")
    download = page.get_by_role("link", name="Tải tệp Excel (.xlsx)")
    expect(download).to_have_count(0)  # no workbook before the figures: the link comes with them
    expect(page.get_by_text("Số liệu so sánh được tính lúc")).to_be_visible(timeout=10_000)
    expect(download).to_be_visible()
    # Comparable: X over A + B + S for 2020–2024 — (0 + 1/7 + 1/8 + 1/9 + 0 + 1/10) / 6 = 7,98 %; pooled 4/51.
    row = _unit_row(page, t3, "Đảng bộ xã An Bình")
    expect(row).to_contain_text("Bình quân chương trình 7,98 %; tỷ lệ gộp 7,84 %")
    expect(_unit_row(page, t3, "Huyện ủy Đông Sơn")).to_have_count(0)
    # T2a ≥ 90 %: met in 2024 (8/8) and 2025 (3/3) only.
    expect(_unit_row(page, "T2a – ", "Đảng bộ xã An Bình")).to_contain_text("Đạt 2/6 năm")
    page.screenshot(path=str(shots / "final-review-comparable.png"), full_page=True)
    assert csp_violations == []
