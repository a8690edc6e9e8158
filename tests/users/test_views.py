"""The user administration pages: the list scoped to the subtree, its filters, creating a login, the first login
that must change the password, and the gate."""

from datetime import date

import pytest
from django.urls import reverse

from organizations.models import Role, RoleKind
from tests.factories import UserFactory, give_role
from users import services
from users.models import Account

START = date(2026, 1, 1)


@pytest.fixture
def g2_cadre(tree):
    user = UserFactory(username="cadre_g2", first_name="Nguyễn Văn Ánh")
    give_role(user, tree["G2"], RoleKind.GRASSROOTS_CADRE, valid_from=START)
    return user


def _listed(response):
    return sorted((role.user.username, role.organization.code) for role in response.context["roles"])


def test_role_list_shows_only_the_roles_of_the_actors_subtree(
    client, tree, other_ward, ward_cadre, grassroots_cadre, g2_cadre, x2_cadre, board_user
):
    client.force_login(ward_cadre)

    response = client.get(reverse("users:list"))

    # X1's own role, G1's and G2's cadres; not X2's cadre, nor the Board's role on the province above.
    assert _listed(response) == [("cadre_g1", "G1"), ("cadre_g2", "G2"), ("cadre_x1", "X1")]
    assert "cadre_x2" not in response.text


def test_role_list_filters_by_unit_kind_state_and_folded_name(client, tree, board_user, grassroots_cadre, g2_cadre):
    ended = UserFactory(username="old_g1", first_name="Phạm Thị Cũ")
    give_role(ended, tree["G1"], RoleKind.GRASSROOTS_CADRE, valid_from=date(2020, 1, 1), valid_to=date(2024, 12, 31))
    client.force_login(board_user)

    under_g1 = client.get(reverse("users:list"), {"to_chuc": tree["G1"].pk})
    district = client.get(reverse("users:list"), {"vai_tro": RoleKind.BOARD})
    ended_only = client.get(reverse("users:list"), {"tinh_trang": "ended"})
    everything = client.get(reverse("users:list"), {"tinh_trang": "all", "to_chuc": tree["G1"].pk})
    by_name = client.get(reverse("users:list"), {"q": "nguyen van anh"})

    assert _listed(under_g1) == [("cadre_g1", "G1")]
    assert _listed(district) == [("board", "P")]
    assert _listed(ended_only) == [("old_g1", "G1")]
    assert _listed(everything) == [("cadre_g1", "G1"), ("old_g1", "G1")]
    assert _listed(by_name) == [("cadre_g2", "G2")]


def test_role_list_refuses_a_steering_user_and_an_ended_role(client, steering_user, district_cadre):
    client.force_login(steering_user)
    steering = client.get(reverse("users:list"))
    client.force_login(district_cadre)
    ended = client.get(reverse("users:list"))

    assert steering.status_code == 403
    assert ended.status_code == 403


def test_user_detail_hides_a_user_outside_the_subtree(client, tree, other_ward, ward_cadre, x2_cadre):
    client.force_login(ward_cadre)

    response = client.get(reverse("users:detail", args=[x2_cadre.pk]))

    assert response.status_code == 404


def test_user_detail_shows_roles_and_the_audit_trail(client, tree, board_user, ward_cadre):
    user, _password = services.user_create(
        actor=board_user,
        username="cb_moi",
        full_name="Đỗ Văn Mới",
        kind=RoleKind.GRASSROOTS_CADRE,
        organization=tree["G1"],
        valid_from=START,
    )
    services.role_end(actor=ward_cadre, role=Role.objects.get(user=user), last_day=date(2026, 11, 30))
    client.force_login(board_user)

    response = client.get(reverse("users:detail", args=[user.pk]))

    subjects = [
        (row["entry"].who.username, row["entry"].action, row["entry"].subject) for row in response.context["audit"]
    ]
    assert ("cadre_x1", "~", "Cán bộ cơ sở – Đảng bộ phường Bắc") in subjects or (
        "cadre_x1",
        "~",
        "Grassroots cadre – Đảng bộ phường Bắc",
    ) in subjects
    assert {who for who, _a, _s in subjects} == {"board", "cadre_x1"}
    assert "30/11/2026" in response.text


def test_user_create_page_shows_the_generated_password_once(client, tree, ward_cadre):
    client.force_login(ward_cadre)
    data = {
        "username": "cb_g2_moi",
        "full_name": "Lê Văn Tư",
        "kind": RoleKind.GRASSROOTS_CADRE,
        "organization": tree["G2"].pk,
        "valid_from": "01/01/2026",
    }

    response = client.post(reverse("users:create"), data)

    user = Role.objects.get(user__username="cb_g2_moi").user
    password = response.context["password"]
    assert user.check_password(password)
    assert password in response.text
    assert "no-store" in response["Cache-Control"]


def test_user_create_page_refuses_an_organization_not_offered_without_naming_its_id(
    client, tree, other_ward, ward_cadre
):
    client.force_login(ward_cadre)
    data = {
        "username": "cb_g3",
        "full_name": "Lê Văn Tư",
        "kind": RoleKind.GRASSROOTS_CADRE,
        "organization": other_ward["G3"].pk,
        "valid_from": "01/01/2026",
    }

    response = client.post(reverse("users:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert str(other_ward["G3"].pk) not in " ".join(response.context["form"].errors["organization"])
    assert not Role.objects.filter(user__username="cb_g3").exists()


def test_user_deactivate_page_refuses_a_user_with_a_role_outside(
    client, tree, other_ward, ward_cadre, grassroots_cadre
):
    give_role(grassroots_cadre, other_ward["G3"], RoleKind.GRASSROOTS_CADRE, valid_from=START)
    client.force_login(ward_cadre)

    response = client.post(reverse("users:deactivate", args=[grassroots_cadre.pk]))

    grassroots_cadre.refresh_from_db()
    assert response.status_code == 403
    assert grassroots_cadre.is_active is True


def test_first_login_must_change_the_initial_password(client, tree, board_user):
    user, password = services.user_create(
        actor=board_user,
        username="cb_x1_moi",
        full_name="Vũ Thị Năm",
        kind=RoleKind.DISTRICT_CADRE,
        organization=tree["X1"],
        valid_from=START,
    )
    client.post(reverse("login"), {"username": "cb_x1_moi", "password": password})

    sent_away = client.get(reverse("organizations:tree"))
    same = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Cay-to-chuc-2026", "new_password2": "Cay-to-chuc-2026"},
    )
    opened = client.get(reverse("organizations:tree"))

    assert sent_away.status_code == 302
    assert sent_away["Location"] == reverse("accounts:password_change")
    assert same.status_code == 200
    assert same.context["form"].errors["new_password2"]
    assert changed.status_code == 302
    assert Account.objects.get(user=user).must_change_password is False
    assert opened.status_code == 200


def test_role_list_organization_box_takes_a_code_or_a_name_in_the_administered_part(
    client, tree, other_ward, ward_cadre, grassroots_cadre, g2_cadre, x2_cadre
):
    client.force_login(ward_cadre)

    by_code = client.get(reverse("users:list"), {"to_chuc": "g2"})
    by_name = client.get(reverse("users:list"), {"to_chuc": "phuong bac"})
    outside = client.get(reverse("users:list"), {"to_chuc": "X2"})

    assert _listed(by_code) == [("cadre_g2", "G2")]
    # "Đảng bộ phường Bắc" is G1's name.
    assert _listed(by_name) == [("cadre_g1", "G1")]
    # X2 is the other ward's: refused as unknown, and the list is not filtered to it.
    assert "“X2”" in str(outside.context["form"].errors["to_chuc"])
    assert "cadre_x2" not in outside.text


def test_role_list_picker_suggests_the_administered_part_only(client, tree, other_ward, ward_cadre):
    client.force_login(ward_cadre)

    today = client.get(reverse("organizations:picker"), {"ghi": "1", "q": ""}).json()["results"]

    # X1 since 01/07/2025 with G1, G2 and G1's cells: what the ward's cadre administers today; not X2.
    assert [row["code"] for row in today] == ["X1", "G1", "G2", "C1", "C2"]


def test_role_organization_is_picked_by_code_in_the_part_the_actor_administers(client, tree, other_ward, ward_cadre):
    client.force_login(ward_cadre)
    base = {"full_name": "Lê Văn Tư", "kind": RoleKind.GRASSROOTS_CADRE, "valid_from": "01/01/2026"}

    page = client.get(reverse("users:create")).content.decode()
    by_code = client.post(reverse("users:create"), {**base, "username": "cb_g2_ma", "organization": "g2"})
    outside = client.post(reverse("users:create"), {**base, "username": "cb_g3_ma", "organization": "G3"})
    ambiguous = client.post(reverse("users:create"), {**base, "username": "cb_kp", "organization": "khu pho"})

    assert 'data-org-picker-write="1"' in page
    assert "Chi bộ Sở Tư pháp" not in page  # no drop-down listing the units
    assert by_code.status_code == 200
    assert Role.objects.get(user__username="cb_g2_ma").organization == tree["G2"]
    assert outside.context["form"].errors["organization"] == [
        "Hôm nay, trong phần cây tổ chức do đồng chí quản trị không có tổ chức nào có mã hoặc tên này. Hãy gõ mã, "
        "hoặc chọn một tổ chức trong danh sách gợi ý."
    ]
    # C1 and C2 are both "Chi bộ khu phố …".
    assert ambiguous.context["form"].errors["organization"] == [
        "có 2 tổ chức trong phạm vi phụ trách có “khu pho” trong tên. Hãy gõ mã của tổ chức cần chọn, hoặc chọn một "
        "tổ chức trong danh sách gợi ý."
    ]
    assert not Role.objects.filter(user__username__in=["cb_g3_ma", "cb_kp"]).exists()
