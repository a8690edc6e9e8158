"""The statistics forms in Chromium: choose a scope and a year, see Biểu 1, download it, under the policy."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.reports.forms.conftest import province

from .conftest import log_in

__all__ = ["province"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_form_page_shows_and_downloads_bieu1(page, province, csp_violations):
    log_in(page, "root")
    # Straight to the forms: the reports list needs the program row, which a transactional test may have flushed.
    page.goto("/bao-cao/bieu-mau/")
    page.get_by_role("link", name="Biểu 1 – tăng, giảm đảng viên").click()

    page.get_by_label("Năm").fill("2024")
    page.locator("input[name=to_chuc]").fill(province["orgs"]["D2"].code)
    page.get_by_role("button", name="Xem biểu").click()

    expect(page.locator("body")).to_contain_text("Biểu số 1-BTCTW")
    start = page.locator("tr", has_text="A. Tổng số đảng viên cuối kỳ trước chuyển sang")
    expect(start.locator("td").nth(1)).to_have_text("6")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về (.xlsx)").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    values = [cell.value for row in book.worksheets[0].iter_rows() for cell in row]
    assert "Biểu số 1-BTCTW" in " ".join(str(v) for v in values if v)
    assert csp_violations == []
