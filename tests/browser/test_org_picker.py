"""The organization picker in Chromium (issue 13): typing in the member list's organization box fills its
suggestions from the JSON endpoint — the actor's subtree only — and submitting a code filters the list."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import make_member

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_suggests_the_units_of_the_subtree_and_a_code_filters(page, tree, district_cadre, csp_violations):
    make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name="Phan Văn Một")
    make_member(tree["C2"], admission_date=date(2020, 3, 2), full_name="Phan Văn Hai")
    make_member(tree["G2"], admission_date=date(2020, 3, 2), full_name="Phan Văn Ba")
    log_in(page, "cadre_d1")
    page.goto("/dang-vien/?ngay=31/12/2024")
    box = page.locator("input[name=to_chuc]")
    suggestions = page.locator("#id_to_chuc-options option")

    box.press_sequentially("chi bo", delay=30)

    # C1 and C2 are D1's cells; G2 ("Chi bộ Sở Tư pháp") is the other district's and is never offered.
    expect(suggestions).to_have_count(2)
    assert [option.get_attribute("value") for option in suggestions.all()] == ["C1", "C2"]

    box.fill("C2")
    box.press("Enter")
    page.wait_for_url("**to_chuc=C2**")
    rows = page.locator("table.grid tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phan Văn Hai")
    assert csp_violations == []
