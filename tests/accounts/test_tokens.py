"""API tokens: obtained at /api/token/, expiring after REST_KNOX["TOKEN_TTL"] (10 hours), revoked by the token
logout, by a password change and by a deactivation through every door that can make them."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from organizations.models import OrgKind, RoleKind
from tests.factories import UserFactory, give_role, make_org, superuser

TREE = "/api/organizations/tree/?on=2024-06-01"


@pytest.fixture
def cadre(db):
    # A reader of the province: without a role in force the API answers 403 to everything (organizations.policy).
    user = UserFactory(username="cadre", password="old-password-1")
    give_role(user, make_org("T", OrgKind.PROVINCE_COMMITTEE), RoleKind.STEERING)
    return user


def obtain(username="cadre", password="old-password-1"):
    response = APIClient().post("/api/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_comes_with_its_expiry_ten_hours_ahead(cadre):
    before = timezone.now()

    body = obtain()

    expiry = parse_datetime(body["expiry"])
    assert set(body) == {"token", "expiry"}
    assert before + timedelta(hours=10) <= expiry <= timezone.now() + timedelta(hours=10)
    assert with_token(body["token"]).get(TREE).status_code == 200


def test_tokens_are_stored_hashed(cadre):
    token = obtain()["token"]

    stored = AuthToken.objects.get(user=cadre)
    assert token not in (stored.digest, stored.token_key)
    assert token.startswith(stored.token_key)


def test_expired_token_is_refused(cadre):
    token = obtain()["token"]
    AuthToken.objects.filter(user=cadre).update(expiry=timezone.now() - timedelta(seconds=1))

    response = with_token(token).get(TREE)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_logout_revokes_that_token_only(cadre):
    first, second = obtain()["token"], obtain()["token"]

    logout = with_token(first).post("/api/token/logout/")

    assert logout.status_code == 204
    assert with_token(first).get(TREE).status_code == 401
    assert with_token(second).get(TREE).status_code == 200


def test_logout_all_revokes_every_token_of_the_user(cadre):
    other = UserFactory(username="other", password="other-password-1")
    give_role(other, cadre.party_roles.get().organization, RoleKind.STEERING)
    first, second, others = obtain()["token"], obtain()["token"], obtain("other", "other-password-1")["token"]

    logout = with_token(first).post("/api/token/logout-all/")

    assert logout.status_code == 204
    assert with_token(first).get(TREE).status_code == 401
    assert with_token(second).get(TREE).status_code == 401
    assert with_token(others).get(TREE).status_code == 200


def test_logout_without_a_token_is_401_in_the_api_shape(db):
    response = APIClient().post("/api/token/logout/")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_password_change_page_revokes_the_tokens(client, cadre):
    token = obtain()["token"]
    client.force_login(cadre)

    response = client.post(
        "/mat-khau/doi/",
        {"old_password": "old-password-1", "new_password1": "Gio-mua-xuan-2026", "new_password2": "Gio-mua-xuan-2026"},
    )

    assert response.status_code == 302
    assert with_token(token).get(TREE).status_code == 401
    assert not AuthToken.objects.filter(user=cadre).exists()


def test_admin_password_change_revokes_the_tokens(client, cadre):
    token = obtain()["token"]
    client.force_login(superuser())

    response = client.post(
        f"/admin/auth/user/{cadre.pk}/password/",
        {"password1": "Gio-mua-xuan-2026", "password2": "Gio-mua-xuan-2026", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert with_token(token).get(TREE).status_code == 401


def test_admin_deactivation_revokes_the_tokens(client, cadre):
    token = obtain()["token"]
    client.force_login(superuser())
    change = client.get(f"/admin/auth/user/{cadre.pk}/change/").context["adminform"].form
    data = {name: value for name, value in change.initial.items() if value is not None and name != "is_active"}
    data.update({"username": "cadre", "date_joined_0": "01/01/2024", "date_joined_1": "08:00:00"})
    data.update({"groups": [], "user_permissions": []})

    response = client.post(f"/admin/auth/user/{cadre.pk}/change/", data)

    cadre.refresh_from_db()
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert cadre.is_active is False
    assert with_token(token).get(TREE).status_code == 401


def test_password_set_by_a_command_or_script_revokes_the_tokens(cadre):
    token = obtain()["token"]

    user = get_user_model().objects.get(pk=cadre.pk)
    user.set_password("Gio-mua-xuan-2026")
    user.save()

    assert with_token(token).get(TREE).status_code == 401


def test_signing_in_or_editing_the_name_keeps_the_tokens(client, cadre):
    token = obtain()["token"]

    client.post("/dang-nhap/", {"username": "cadre", "password": "old-password-1"})  # saves last_login
    cadre.refresh_from_db()
    cadre.first_name = "Nguyễn Văn A"
    cadre.save()

    assert with_token(token).get(TREE).status_code == 200


def test_token_door_takes_json_only_and_refuses_missing_fields_by_name(db):
    form = APIClient().post("/api/token/", {"username": "cadre", "password": "x"})
    empty = APIClient().post("/api/token/", {}, format="json")

    assert form.status_code == 415
    assert empty.status_code == 400
    assert sorted(error["field"] for error in empty.json()["errors"]) == ["password", "username"]
