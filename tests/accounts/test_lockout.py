"""The login lockout on the three doors that check a password: the portal's login page, the admin's login and
/api/token/. Limits of the settings: 5 failures per (username, address), 20 per address, 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from tests.factories import UserFactory

ATTACKER, OFFICE = "203.0.113.7", "198.51.100.20"
LOCKED = "Đăng nhập sai quá nhiều lần: tạm khóa đăng nhập trong 15 phút."


@pytest.fixture
def cadre(db):
    # Staff, so that the admin's login lets the right password in too.
    return UserFactory(username="cadre", password="right-password-1", is_staff=True)


def portal_login(client, username, password, address):
    return client.post("/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address)


def admin_login(client, username, password, address):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", data, REMOTE_ADDR=address)


def api_login(client, username, password, address):
    return APIClient().post(
        "/api/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


DOORS = [portal_login, admin_login, api_login]


@pytest.mark.parametrize("door", DOORS)
def test_fifth_wrong_password_locks_that_username_out_from_that_address(client, cadre, door):
    answers = [door(client, "cadre", "wrong", ATTACKER).status_code for _ in range(5)]
    right_password_from_attacker = door(client, "cadre", "right-password-1", ATTACKER)

    wrong = 400 if door is api_login else 200
    assert answers == [wrong, wrong, wrong, wrong, 429]
    assert right_password_from_attacker.status_code == 429


@pytest.mark.parametrize("door", DOORS)
def test_the_user_still_signs_in_from_another_address(client, cadre, door):
    for _ in range(5):
        door(client, "cadre", "wrong", ATTACKER)

    response = door(client, "cadre", "right-password-1", OFFICE)

    assert response.status_code == (200 if door is api_login else 302)


def test_lockout_page_says_why_and_for_how_long_in_vietnamese(client, cadre):
    for _ in range(5):
        response = portal_login(client, "cadre", "wrong", ATTACKER)

    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page
    assert "Quên mật khẩu" in page


def test_lockout_on_the_api_is_in_the_api_error_shape(client, cadre):
    for _ in range(5):
        response = api_login(client, "cadre", "wrong", ATTACKER)

    assert response.status_code == 429
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "message": LOCKED + " Hãy thử lại sau, hoặc đề nghị quản trị viên mở khóa.",
                "code": "locked_out",
            }
        ]
    }


def test_an_address_trying_many_usernames_is_locked_out_at_the_address_limit(client, settings, cadre):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    # Two wrong passwords on each of four usernames: no (username, address) pair reaches 5.
    answers = [
        portal_login(client, f"user{n}", "wrong", ATTACKER).status_code for n in range(4) for _attempt in range(2)
    ]

    assert answers == [200] * 7 + [429]
    assert portal_login(client, "cadre", "right-password-1", ATTACKER).status_code == 429
    assert portal_login(client, "cadre", "right-password-1", OFFICE).status_code == 302


def test_a_few_typing_mistakes_in_one_office_lock_nobody_else_out(client, db):
    for n in range(4):
        UserFactory(username=f"office{n}", password="right-password-1")
    # Four colleagues behind one address each mistype twice (8 failures, under the address limit of 20).
    for n in range(4):
        for _attempt in range(2):
            portal_login(client, f"office{n}", "wrong", OFFICE)

    response = portal_login(client, "office3", "right-password-1", OFFICE)

    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, cadre):
    for _ in range(5):
        portal_login(client, "cadre", "wrong", ATTACKER)
    assert portal_login(client, "cadre", "right-password-1", ATTACKER).status_code == 429
    # 15 minutes and a second later.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=15, seconds=1)
        attempt.save()

    response = portal_login(client, "cadre", "right-password-1", ATTACKER)

    assert response.status_code == 302


def test_attempts_while_locked_out_do_not_extend_the_lockout(client, cadre):
    for _ in range(5):
        portal_login(client, "cadre", "wrong", ATTACKER)
    locked_at = AccessAttempt.objects.get().attempt_time

    for _ in range(3):
        assert portal_login(client, "cadre", "wrong", ATTACKER).status_code == 429

    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == locked_at
    assert attempt.failures_since_start == 5


def test_a_successful_sign_in_clears_earlier_failures(client, cadre):
    for _ in range(4):
        portal_login(client, "cadre", "wrong", ATTACKER)
    assert portal_login(client, "cadre", "right-password-1", ATTACKER).status_code == 302
    client.logout()

    answers = [portal_login(client, "cadre", "wrong", ATTACKER).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 200]


def test_behind_a_trusted_proxy_the_client_address_is_read_from_x_forwarded_for(client, settings, cadre):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(5):
        client.post(
            "/dang-nhap/",
            {"username": "cadre", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}",  # the client wrote 1.2.3.4 itself
        )

    from_office = client.post(
        "/dang-nhap/",
        {"username": "cadre", "password": "right-password-1"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )

    assert AccessAttempt.objects.get().ip_address == ATTACKER
    assert from_office.status_code == 302
