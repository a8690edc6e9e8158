"""Password change and reset pages for every user, the validators, and the demo password with DEBUG off."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from party_portal.passwords import DEMO_PASSWORD
from tests.factories import UserFactory

NEW = "Gio-mua-xuan-2026"
DEMO_REFUSED = "Đây là mật khẩu công khai của các tài khoản dùng thử: hãy chọn mật khẩu khác."


@pytest.fixture
def cadre(db):
    # Not staff: any user changes their own password.
    return UserFactory(username="cadre", password="old-password-1", email="cadre@example.vn")


@pytest.fixture
def demo_user(db):
    return UserFactory(username="cb_coso", password=DEMO_PASSWORD)


def test_menu_links_to_the_password_change_page(client, cadre):
    client.force_login(cadre)

    page = client.get("/").content.decode()

    assert 'href="/mat-khau/doi/"' in page
    assert "Đổi mật khẩu" in page


def test_login_page_links_to_the_password_reset_page(client, db):
    page = client.get("/dang-nhap/").content.decode()

    assert 'href="/mat-khau/quen/"' in page
    assert "Quên mật khẩu?" in page


def test_every_user_changes_their_own_password(client, cadre):
    client.force_login(cadre)

    form = client.get("/mat-khau/doi/")
    response = client.post(
        "/mat-khau/doi/", {"old_password": "old-password-1", "new_password1": NEW, "new_password2": NEW}
    )
    done = client.get(response["Location"])

    cadre.refresh_from_db()
    assert form.status_code == 200
    assert response["Location"] == "/mat-khau/doi/xong/"
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert cadre.check_password(NEW)


def test_password_change_page_needs_a_signed_in_user(client, db):
    response = client.get("/mat-khau/doi/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_password_change_refuses_the_demo_password_and_writes_nothing(client, cadre):
    client.force_login(cadre)

    response = client.post(
        "/mat-khau/doi/",
        {"old_password": "old-password-1", "new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD},
    )

    cadre.refresh_from_db()
    assert response.status_code == 200
    assert DEMO_REFUSED in response.content.decode()
    assert cadre.check_password("old-password-1")


@pytest.mark.parametrize(
    ("password", "refused_by"),
    [
        ("cadre2026", "UserAttributeSimilarityValidator"),
        ("Ab1-xyz", "MinimumLengthValidator"),
        ("password123", "CommonPasswordValidator"),
        ("8264019375", "NumericPasswordValidator"),
        (DEMO_PASSWORD, "DemoPasswordValidator"),
    ],
)
def test_each_validator_refuses_its_kind_of_password(cadre, password, refused_by):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=cadre)

    codes = {error.code for error in refused.value.error_list}
    expected = {
        "UserAttributeSimilarityValidator": "password_too_similar",
        "MinimumLengthValidator": "password_too_short",
        "CommonPasswordValidator": "password_too_common",
        "NumericPasswordValidator": "password_entirely_numeric",
        "DemoPasswordValidator": "demo_password",
    }[refused_by]
    assert expected in codes


def test_a_good_password_passes_every_validator(cadre):
    assert validate_password(NEW, user=cadre) is None


def test_the_demo_password_is_accepted_as_a_new_password_with_debug_on(settings, cadre):
    settings.DEBUG = True

    assert validate_password(DEMO_PASSWORD, user=cadre) is None


def test_demo_password_opens_nothing_with_debug_off(client, demo_user):
    page = client.post("/dang-nhap/", {"username": "cb_coso", "password": DEMO_PASSWORD})
    api = APIClient().post("/api/token/", {"username": "cb_coso", "password": DEMO_PASSWORD}, format="json")

    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert api.status_code == 400


def test_demo_password_signs_in_with_debug_on(client, settings, demo_user):
    settings.DEBUG = True

    response = client.post("/dang-nhap/", {"username": "cb_coso", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(demo_user.pk)


def test_password_reset_by_e_mail_from_the_request_to_the_new_password(client, cadre):
    asked = client.post("/mat-khau/quen/", {"email": "cadre@example.vn"})
    link = re.search(r"https?://[^/]+(/mat-khau/dat-lai/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    cadre.refresh_from_db()
    assert asked["Location"] == "/mat-khau/quen/da-gui/"
    assert mail.outbox[0].to == ["cadre@example.vn"]
    assert mail.outbox[0].subject == "Cổng thông tin Đảng bộ: đặt mật khẩu mới"
    assert saved["Location"] == "/mat-khau/dat-lai/xong/"
    assert cadre.check_password(NEW)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, cadre):
    response = client.post("/mat-khau/quen/", {"email": "nobody@example.vn"})

    assert response["Location"] == "/mat-khau/quen/da-gui/"
    assert mail.outbox == []


def test_a_used_reset_link_is_refused_with_a_message(client, cadre):
    client.post("/mat-khau/quen/", {"email": "cadre@example.vn"})
    link = re.search(r"https?://[^/]+(/mat-khau/dat-lai/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    again = client.get(link, follow=True)

    assert "Liên kết này không còn dùng được" in again.content.decode()
