"""The users and roles file (nguoi-dung): the grant rules of the user pages, all or nothing, and a re-import that
changes nothing. Tree of tests/conftest.py: X1 holds G1 and G2 since 01/07/2025."""

from datetime import date

import pytest

from evaluations.models import ImportState
from organizations.models import OrgKind, Role, RoleKind
from party_portal.imports.workbook import template_workbook
from tests.conftest import REFORM_DAY
from tests.factories import make_org
from users.imports.users import UserRoleResource
from users.models import Account

from .conftest import FIRST_ROW, confirm, errors_of, upload

SLUG = "nguoi-dung"


def _file(rows):
    return template_workbook(UserRoleResource, title="test", rows=rows)


def _row(username, full_name, kind, code, valid_from="01/01/2026", valid_to="", email=""):
    return {
        "username": username,
        "full_name": full_name,
        "email": email,
        "kind": kind,
        "organization_code": code,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


@pytest.fixture
def x2(tree):
    return make_org(
        "X2", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=REFORM_DAY, name="Đảng bộ xã Hòa Bình"
    )


def test_users_file_creates_logins_grants_roles_and_changes_dates(client, tree, board_user, grassroots_cadre):
    client.force_login(board_user)
    rows = [
        _row("cb_moi", "Nguyễn Văn Mới", "Cán bộ cấp huyện", "X1", email="moi@example.vn"),
        _row("cb_moi", "Nguyễn Văn Mới", "Cán bộ cơ sở", "G2", valid_to="31/12/2027"),
        _row("cadre_g1", "Cán bộ G1", "Cán bộ cơ sở", "G1", valid_from="01/07/2025"),
    ]

    job = upload(client, SLUG, _file(rows))
    assert job.report["counts"] == {"new": 2, "updated": 1, "unchanged": 0, "rejected": 0}, job.report
    assert not Role.objects.filter(user__username="cb_moi").exists()
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    roles = Role.objects.filter(user__username="cb_moi").order_by("organization__code")
    assert [(r.organization.code, r.kind, r.valid_from, r.valid_to) for r in roles] == [
        ("G2", RoleKind.GRASSROOTS_CADRE, date(2026, 1, 1), date(2027, 12, 31)),
        ("X1", RoleKind.DISTRICT_CADRE, date(2026, 1, 1), None),
    ]
    assert Account.objects.get(user__username="cb_moi").must_change_password is True
    assert Role.objects.get(user=grassroots_cadre).valid_from == date(2025, 7, 1)
    assert Role.objects.get(user=grassroots_cadre).history.latest().history_door == "import"


def test_users_file_reimport_changes_nothing(client, tree, board_user):
    client.force_login(board_user)
    content = _file([_row("cb_moi", "Nguyễn Văn Mới", "Cán bộ cấp huyện", "X1")])
    confirm(client, upload(client, SLUG, content))
    history = Role.history.count()

    again = confirm(client, upload(client, SLUG, content))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert Role.history.count() == history


def test_users_file_with_one_bad_row_writes_nothing(client, tree, x2, ward_cadre):
    client.force_login(ward_cadre)
    rows = [
        _row("cb_g1_moi", "Lê Thị Hai", "Cán bộ cơ sở", "G1"),
        _row("cb_bcd", "Lê Văn Ba", "Ban Chỉ đạo", "X1"),
        _row("cb_x2", "Lê Văn Bốn", "Cán bộ cấp huyện", "X2"),
        _row("cb_g1_moi", "Lê Thị Hai", "Cán bộ cơ sở", "G1"),
    ]

    job = upload(client, SLUG, _file(rows))

    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Vai trò sử dụng",
            "Vai trò của bạn không được cấp vai trò “Ban Chỉ đạo”: vai trò này cao hơn vai trò của bạn.",
        ),
        (FIRST_ROW + 2, "Mã tổ chức", "Không có tổ chức nào mang mã X2 trong phạm vi bạn quản trị."),
        (FIRST_ROW + 3, "Tên đăng nhập", "Vai trò này của tài khoản này đã có ở dòng 3 của tệp."),
    ]
    assert job.report["counts"]["rejected"] == 3
    assert not Role.objects.filter(user__username__startswith="cb_").exists()
    assert not Account.objects.exists()
