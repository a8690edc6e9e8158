"""The hard edges of API requests: bodies too large or too deeply nested, malformed JSON and fields the request
does not take all get the one error shape with a 4xx, never an HTML page or a server error."""

import pytest
from rest_framework.test import APIClient

from members.models import Member
from tests.api.conftest import errors
from tests.api.test_members import _new_member
from tests.indicators.conftest import rated_2024  # noqa: F401


@pytest.fixture
def people(rated_2024):  # noqa: F811
    return rated_2024


def test_deeply_nested_json_on_the_token_door_is_a_400_in_the_error_shape(db):
    response = APIClient().post("/api/token/", "[" * 100000, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": None, "message": "Yêu cầu không hợp lệ: JSON lồng nhau quá sâu.", "code": "parse_error"}]
    }


def test_deeply_nested_json_in_a_write_is_a_400(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", '{"entries": ' + "[" * 50000, content_type="application/json")

    assert response.status_code == 400
    assert errors(response) == [(None, "Yêu cầu không hợp lệ: JSON lồng nhau quá sâu.")]


def test_body_over_the_size_limit_is_a_413_in_the_error_shape(tree, grassroots_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    body = _new_member(tree, full_name="A" * 3000)

    anonymous = APIClient().post("/api/token/", {"username": "x" * 3000, "password": "pw"}, format="json")
    write = grassroots_api.post("/api/members/", body, format="json")

    for response in (anonymous, write):
        assert response.status_code == 413
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"] == [
            {"field": None, "message": "Nội dung yêu cầu lớn hơn mức 2,0\xa0KB mà API chấp nhận.", "code": "too_large"}
        ]
    assert not Member.objects.filter(record_number="654321TN").exists()


def test_malformed_json_is_a_400_in_the_error_shape(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", '{"full_name": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_an_unknown_field_in_a_write_is_a_400_naming_it_and_writes_nothing(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", _new_member(tree, card_numbr="12345678"), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "card_numbr",
            "message": "Trường không xác định “card_numbr”: yêu cầu này không nhận trường này.",
            "code": "unknown_field",
        }
    ]
    assert not Member.objects.filter(record_number="654321TN").exists()


def test_an_unknown_field_in_a_row_of_a_grid_is_named_with_its_row(tree, people, grassroots_api):
    entries = [{"member": people["A"].pk, "level": "GOOD"}, {"member": people["B"].pk, "levle": "GOOD"}]

    response = grassroots_api.post(
        "/api/ratings/members/", {"organization": tree["G1"].pk, "year": 2024, "entries": entries}, format="json"
    )

    assert response.status_code == 400
    assert errors(response) == [
        ("entries.1.levle", "Trường không xác định “levle”: yêu cầu này không nhận trường này.")
    ]


def test_a_read_only_field_sent_in_an_update_is_refused(tree, people, grassroots_api):
    response = grassroots_api.patch(f"/api/members/{people['B'].pk}/", {"id": 1, "full_name": "X"}, format="json")

    assert response.status_code == 400
    assert [field for field, _message in errors(response)] == ["id"]


def test_an_empty_accept_header_means_any_type_not_a_406(tree, grassroots_api):
    logout = APIClient().post("/api/token/logout/", HTTP_ACCEPT="")
    read = grassroots_api.get("/api/members/", HTTP_ACCEPT="")
    unacceptable = grassroots_api.get("/api/members/", HTTP_ACCEPT="text/csv")

    assert logout.status_code == 401  # not signed in: the token door answers, in JSON
    assert read.status_code == 200
    assert read["Content-Type"] == "application/json"
    assert unacceptable.status_code == 406  # a type the API cannot give is still refused
