"""Delegated user administration in Chromium: the Board creates a cadre for a commune-level committee with a
generated initial password; the cadre logs in, is made to choose their own password, and then sees only their own
committee's part of the tree, never the other ward's."""

import pytest
from playwright.sync_api import expect

from organizations.models import OrgKind, OrgType, RoleKind
from tests.conftest import REFORM_DAY
from tests.factories import UserFactory, give_role, make_org

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Phuong-Trung-Tam-2026"


@pytest.fixture
def province(tree):
    x2 = make_org("X2", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=REFORM_DAY, name="Đảng bộ xã Hòa Bình")
    make_org(
        "G3",
        OrgKind.GRASSROOTS_CELL,
        parent=x2,
        valid_from=REFORM_DAY,
        org_type=OrgType.STATE_AGENCY,
        name="Chi bộ Trạm Y tế Hòa Bình",
    )
    board = UserFactory(username="bantochuc", first_name="Ban Tổ chức Tỉnh ủy")
    give_role(board, tree["P"], RoleKind.BOARD)
    return {**tree, "X2": x2}


def test_board_creates_a_cadre_who_must_change_the_password_and_sees_only_their_ward(page, province, csp_violations):
    # The Board creates the login from the menu, with a generated password.
    log_in(page, "bantochuc")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Người dùng").click()
    page.get_by_role("link", name="Người dùng mới").click()
    page.get_by_label("Tên đăng nhập").fill("cb_trungtam")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Vai trò sử dụng").select_option(RoleKind.DISTRICT_CADRE.value)
    page.get_by_label("Tổ chức đảng").fill(province["X1"].code)
    page.get_by_label("Từ ngày").fill("01/12/2026")
    page.get_by_role("button", name="Tạo mới", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mật khẩu ban đầu")
    password = page.locator("#shown-password").inner_text().strip()
    assert len(password) == 12
    log_out(page)

    # The cadre signs in with it and is sent to choose a password of their own before anything else.
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("cb_trungtam")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/mat-khau/doi/")
    expect(page.get_by_role("status")).to_contain_text("Mật khẩu của bạn do người quản trị đặt")
    page.goto("/to-chuc/")
    page.wait_for_url("**/mat-khau/doi/")
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.wait_for_url("**/mat-khau/doi/xong/")

    # Now the tree opens, on the cadre's own ward only.
    page.goto("/to-chuc/")
    tree_body = page.locator("main")
    expect(tree_body).to_contain_text("Đảng bộ phường Trung Tâm")
    expect(tree_body).not_to_contain_text("Đảng bộ xã Hòa Bình")
    expect(tree_body).not_to_contain_text("Đảng bộ tỉnh Thử Nghiệm")
    refused = page.goto(f"/to-chuc/{province['X2'].pk}/")
    assert refused.status == 404
    page.goto("/dang-vien/")
    expect(page.locator("main")).not_to_contain_text("Đảng bộ xã Hòa Bình")

    assert csp_violations == []
