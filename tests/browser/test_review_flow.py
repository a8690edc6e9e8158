"""A yearly review (sơ kết) end to end in Chromium: a district cadre drafts the 2024 review with its figures already
filled in, writes the narrative, previews and submits it; the Board returns it with a reason; the cadre fixes it
and submits again; the Board receives it, then makes the province's consolidated report and opens its Word document.
One step per helper.

Screenshots (the overview, the review form, its preview) go to PORTAL_SCREENSHOTS (docs/screenshots/ when
refreshing them), else to the test's temporary folder."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import Program
from party_portal import word
from reviews.models import ReviewStatus, YearlyReview
from tests.reviews.conftest import YEAR, build_province, build_units, rate_g1

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSAL = "Đề nghị Tỉnh ủy mở lớp trung cấp lý luận chính trị cho cấp ủy viên cơ sở."
REASON = "Bổ sung nguyên nhân của hạn chế về kết nạp đảng viên."


@pytest.fixture
def reporting(seed_rows):
    province = build_province()
    units = build_units(province, Program.objects.get(code="CTHD-2020-2025"))
    rate_g1(province)  # G1: GOOD, GOOD, GOOD, COMPLETED → D1's T2a is 3 of 4, 75,00 %
    return {"province": province, "units": units}


def draft_review(page, shots):
    """The district cadre opens the overview, then the unit, starts the 2024 review: the figures are filled."""
    log_in(page, "rv_cadre_d1")
    page.get_by_role("link", name="Kế hoạch và sơ kết").first.click()
    page.get_by_role("link", name=str(YEAR), exact=True).click()
    expect(page.locator("#reporting-overview")).to_contain_text("Huyện ủy Đông Sơn")
    page.get_by_role("link", name="Huyện ủy Đông Sơn").click()
    page.get_by_role("button", name=f"Viết báo cáo sơ kết năm {YEAR}").click()
    expect(page.locator("h1")).to_contain_text(f"Báo cáo sơ kết năm {YEAR}")
    figures = page.locator("#review-figures")
    expect(figures.locator("tr", has_text="T2a")).to_contain_text("75,00 %")
    expect(figures.locator("tr", has_text="T1a")).to_contain_text("100,00 %")


def write_narrative(page, shots):
    page.locator("textarea[name=achievements]").fill(
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt 100%."
    )
    page.locator("textarea[name=shortcomings]").fill("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên chưa đạt.")
    page.locator("textarea[name=proposals]").fill(PROPOSAL)
    page.screenshot(path=str(shots / "review-form.png"), full_page=True)
    page.get_by_role("button", name="Lưu và xem trước").click()
    document = page.locator("#review-document")
    expect(document).to_contain_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    expect(document).to_contain_text(f"Sơ kết năm {YEAR} thực hiện Chương trình hành động")
    expect(document).to_contain_text(PROPOSAL)
    expect(document.locator("#review-figures")).to_contain_text("75,00 %")
    page.screenshot(path=str(shots / "review-preview.png"), full_page=True)
    page.get_by_role("link", name="Quay lại báo cáo").click()


def submit(page):
    page.get_by_role("button", name="Gửi Ban Tổ chức Tỉnh ủy").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo đến Ban Tổ chức Tỉnh ủy.")
    expect(page.locator(".page-head")).to_contain_text("Đã gửi")
    log_out(page)


def open_as_board(page, shots, screenshot=None):
    log_in(page, "rv_board")
    page.goto(f"/so-ket/nam/{YEAR}/")
    if screenshot:
        page.screenshot(path=str(shots / screenshot), full_page=True)
    page.locator("#reporting-overview tr", has_text="Huyện ủy Đông Sơn").get_by_role("link", name="Đã gửi").click()


def board_returns(page, shots):
    open_as_board(page, shots, screenshot="review-overview.png")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(page.locator("#return-form .errors")).to_contain_text("Nêu lý do trả lại báo cáo.")
    page.locator("textarea[name=reason]").fill(REASON)
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(page.locator(".page-head")).to_contain_text("Bị trả lại")
    log_out(page)


def cadre_fixes_and_resubmits(page):
    log_in(page, "rv_cadre_d1")
    page.goto(f"/so-ket/nam/{YEAR}/")
    page.locator("#reporting-overview tr", has_text="Huyện ủy Đông Sơn").get_by_role("link", name="Bị trả lại").click()
    expect(page.locator("#return-reason")).to_contain_text(REASON)
    page.locator("textarea[name=causes]").fill("Công tác tạo nguồn kết nạp đảng viên ở khu dân cư còn hạn chế.")
    submit(page)


def board_receives(page, shots):
    open_as_board(page, shots)
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận báo cáo.")
    expect(page.locator(".page-head")).to_contain_text("Đã tiếp nhận")


def board_makes_the_consolidated_report(page):
    """Still signed in as the Board: the reports page, the consolidated reports, the 2024 report made and downloaded."""
    page.goto("/bao-cao/")
    page.get_by_role("link", name="Báo cáo tổng hợp gửi Ban Thường vụ").click()
    page.get_by_label("Năm").select_option(str(YEAR))
    page.get_by_role("button", name="Tạo báo cáo tổng hợp").click()
    expect(page.locator("#consolidated")).to_contain_text(f"Năm {YEAR}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về (.docx)").click()
    return word.text_of(Path(download.value.path()).read_bytes())


def test_a_district_drafts_submits_is_returned_resubmits_and_the_board_receives(
    page, reporting, shots, eager_jobs, csp_violations
):
    draft_review(page, shots)
    write_narrative(page, shots)
    submit(page)
    board_returns(page, shots)
    cadre_fixes_and_resubmits(page)
    board_receives(page, shots)
    text = board_makes_the_consolidated_report(page)

    review = YearlyReview.objects.get(unit=reporting["units"]["D1"], year=YEAR)
    assert review.status == ReviewStatus.RECEIVED
    assert review.proposals == PROPOSAL
    assert (
        review.figures["scope"]["indicators"]["T2a"]["numerator"],
        review.figures["scope"]["indicators"]["T2a"]["denominator"],
    ) == (3, 4)
    assert review.return_reason == REASON
    # The province's T2a 2024, counted by hand: G1's four members rated, three of them good or better; G2's one
    # member is not rated, so not counted (DOMAIN §3: rated members) → 3/4 = 75,00 %.
    assert "(T2a): 75,00 % (3/4" in text
    # The units' table carries D1's figures as its review froze them: T1a 1/1 (G1 rated good), T1b 0/1, T2a 3/4.
    table = text.split("2. Số liệu của các đơn vị báo cáo")[1].split("II. TÌNH HÌNH")[0].splitlines()
    row = table.index("Huyện ủy Đông Sơn")
    assert table[row + 2 : row + 5] == ["100,00", "0,00", "75,00"]
    # Due 15/12/2024: D1 sent its review on the test's day (after the due date) → late; D2 and the party delegation
    # sent nothing → not reported; D1's proposal gathered.
    late = text.split("1. Đơn vị báo cáo chậm")[1].split("2. Đơn vị chưa báo cáo")[0]
    missing = text.split("2. Đơn vị chưa báo cáo")[1].split("III.")[0]
    assert "Huyện ủy Đông Sơn" in late
    assert "Huyện ủy Tây Hòa" in missing
    assert "Đảng đoàn Hội đồng nhân dân tỉnh" in missing
    assert PROPOSAL in text
    assert csp_violations == []
