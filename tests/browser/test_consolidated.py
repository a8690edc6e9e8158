"""The province's consolidated report in Chromium: the Board makes the 2024 report from the reports page, downloads
the Word document and finds in it the province's T2a figure, the late unit and a unit's proposal."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from party_portal import word
from tests.indicators.conftest import rated_2024
from tests.reports.conftest import PROPOSAL_D1, closed_2024, reporting_2024

from .conftest import log_in

__all__ = ["closed_2024", "rated_2024", "reporting_2024"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_makes_and_downloads_the_consolidated_report(
    seed_rows, page, tree, board_user, closed_2024, reporting_2024, eager_jobs, csp_violations
):
    log_in(page, "board")
    page.goto("/bao-cao/")
    page.get_by_role("link", name="Báo cáo tổng hợp gửi Ban Thường vụ").click()
    page.get_by_label("Năm").select_option("2024")
    page.get_by_role("button", name="Tạo báo cáo tổng hợp").click()

    expect(page.locator("#consolidated")).to_contain_text("Năm 2024")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về (.docx)").click()
    text = word.text_of(Path(download.value.path()).read_bytes())
    assert download.value.suggested_filename == "bao-cao-tong-hop-2024-v1.docx"
    # Province T2a 2024: A (excellent) and B (good) of the three members rated (A, B, F) = 2/3 = 66,67 %.
    assert "(T2a): 66,67 % (2/3" in text
    assert "- Huyện ủy Tây Hòa: hạn 15/01/2025, gửi ngày 20/01/2025." in text
    assert PROPOSAL_D1 in text
    assert csp_violations == []
