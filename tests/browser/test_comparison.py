"""The Steering Committee compares the reporting units in Chromium: the menu entry, the ranked table of T1b (lower
is better), who improved most, the new unit marked, the workbook download — and a district cadre sees no entry.

The screenshot is written to the folder named by PORTAL_SCREENSHOTS (docs/screenshots/ when refreshing them), else
to the test's temporary folder."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.reports.comparison_data import three_districts

from .conftest import log_in, log_out

__all__ = ["three_districts"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU_COMPARE = "So sánh đơn vị"


def test_the_steering_committee_compares_the_units(
    seed_rows, page, three_districts, steering_user, district_cadre, shots, csp_violations
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, steering_user.username)

    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name=MENU_COMPARE).click()
    page.locator("select[name=year]").select_option("2024")
    page.locator("select[name=indicator]").select_option("T1b")
    page.get_by_role("button", name="So sánh", exact=True).click()

    expect(page.locator("h1")).to_have_text("So sánh các đơn vị 2024")
    ranking = page.locator("#ranking tbody tr")
    expect(ranking).to_have_count(3)
    # T1b, lower is better: D1 and D2 (0 %) share the first place, D3 (1 of 1 TCCSĐ not completed) is third.
    expect(ranking.nth(0)).to_contain_text("Huyện ủy Đông Sơn")
    expect(ranking.nth(1)).to_contain_text("Huyện ủy Tây Hòa")
    expect(ranking.nth(2)).to_contain_text("Huyện ủy Mới")
    assert [ranking.nth(n).locator("td").first.inner_text() for n in range(3)] == ["1", "1", "3"]
    expect(ranking.nth(2)).to_contain_text("Đơn vị mới")
    expect(page.locator("#ranking")).to_contain_text("Thấp hơn là tốt hơn")
    # Who improved most: D2's T1b fell from 100 % to 0 %, D1's T2a rose from 50 % to 75 %.
    improved = page.locator("#improved")
    expect(improved.locator("tr", has_text="T1b")).to_contain_text("Huyện ủy Tây Hòa (−100,00)")
    expect(improved.locator("tr", has_text="T2a")).to_contain_text("Huyện ủy Đông Sơn (+25,00)")
    page.screenshot(path=str(shots / "comparison-2024.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng so sánh (Excel)").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames[1:] == ["T1a", "T1b", "T2a", "T2b", "T3", "T4"]

    # A unit's name leads to its own dashboard.
    page.locator("#ranking").get_by_role("link", name="Huyện ủy Mới").click()
    page.wait_for_url("**/bang-dieu-khien/**")
    log_out(page)

    log_in(page, district_cadre.username)
    nav = page.get_by_role("navigation", name="Menu chính")
    expect(nav.get_by_role("link", name=MENU_COMPARE)).to_have_count(0)
    assert csp_violations == []
