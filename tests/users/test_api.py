"""Users and roles over the API: the same services and rules as the pages."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from organizations.models import Role, RoleKind
from tests.factories import UserFactory, give_role
from users import services

START = date(2026, 1, 1)


@pytest.fixture
def api():
    return APIClient()


def test_roles_api_lists_only_the_callers_subtree(api, tree, other_ward, ward_cadre, grassroots_cadre, x2_cadre):
    api.force_authenticate(ward_cadre)

    response = api.get(reverse("api-roles"))

    listed = sorted((row["user"]["username"], row["organization"]["code"]) for row in response.json()["results"])
    assert listed == [("cadre_g1", "G1"), ("cadre_x1", "X1")]


def test_users_api_creates_a_login_and_answers_its_password_once(api, tree, ward_cadre):
    api.force_authenticate(ward_cadre)
    body = {
        "username": "cb_api",
        "full_name": "Hà Văn Sáu",
        "kind": RoleKind.GRASSROOTS_CADRE,
        "organization": tree["G2"].pk,
        "valid_from": "2026-01-01",
    }

    response = api.post(reverse("api-users"), body, format="json")

    assert response.status_code == 201
    user = Role.objects.get(user__username="cb_api").user
    assert user.check_password(response.json()["password"])


def test_roles_api_refuses_a_grant_outside_the_subtree(api, tree, other_ward, ward_cadre, grassroots_cadre):
    api.force_authenticate(ward_cadre)
    body = {
        "user": grassroots_cadre.pk,
        "organization": other_ward["G3"].pk,
        "kind": RoleKind.GRASSROOTS_CADRE,
        "valid_from": "2026-01-01",
    }

    response = api.post(reverse("api-roles"), body, format="json")

    assert response.status_code == 403
    assert Role.objects.filter(user=grassroots_cadre).count() == 1


def test_roles_api_refuses_a_kind_above_the_caller(api, tree, ward_cadre, grassroots_cadre):
    api.force_authenticate(ward_cadre)
    body = {
        "user": grassroots_cadre.pk,
        "organization": tree["P"].pk,
        "kind": RoleKind.BOARD,
        "valid_from": "2026-01-01",
    }

    response = api.post(reverse("api-roles"), body, format="json")

    assert response.status_code == 403
    assert Role.objects.filter(user=grassroots_cadre).count() == 1


def test_roles_api_ends_a_role_and_deactivates_a_login(api, tree, ward_cadre, grassroots_cadre):
    role = Role.objects.get(user=grassroots_cadre)
    api.force_authenticate(ward_cadre)

    ended = api.post(reverse("api-role-end", args=[role.pk]), {"last_day": "2026-11-30"}, format="json")
    deactivated = api.post(reverse("api-user-deactivate", args=[grassroots_cadre.pk]), format="json")

    role.refresh_from_db()
    grassroots_cadre.refresh_from_db()
    assert (ended.status_code, ended.json()["valid_to"]) == (200, "2026-11-30")
    assert deactivated.status_code == 200
    assert role.valid_to == date(2026, 11, 30)
    assert grassroots_cadre.is_active is False


def test_users_api_refuses_a_caller_who_does_not_manage_users(api, steering_user):
    api.force_authenticate(steering_user)

    response = api.get(reverse("api-users"))

    assert response.status_code == 403


def test_token_api_refuses_a_login_with_an_initial_password(api, tree, board_user):
    _user, password = services.user_create(
        actor=board_user,
        username="cb_token",
        full_name="Mai Văn Bảy",
        kind=RoleKind.DISTRICT_CADRE,
        organization=tree["X1"],
        valid_from=START,
    )

    response = api.post(reverse("api-token"), {"username": "cb_token", "password": password}, format="json")

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "password_change_required"


def test_token_api_gives_a_token_once_the_password_is_changed(api, tree):
    user = UserFactory(username="cb_own")
    give_role(user, tree["X1"], RoleKind.DISTRICT_CADRE, valid_from=START)

    response = api.post(reverse("api-token"), {"username": "cb_own", "password": "pw"}, format="json")

    assert response.status_code == 200
