"""API clients authenticated by token, as a script would be."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient


def token_header(user):
    _instance, token = AuthToken.objects.create(user=user)
    return {"Authorization": f"Token {token}"}


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_header(user)["Authorization"])
    return client


@pytest.fixture
def root_api(root_user):
    return token_client(root_user)


@pytest.fixture
def district_api(district_cadre):
    return token_client(district_cadre)


@pytest.fixture
def other_district_api(other_district_cadre):
    return token_client(other_district_cadre)


@pytest.fixture
def steering_api(steering_user):
    return token_client(steering_user)


def errors(response):
    """(field, message) pairs of an error body."""
    return [(error["field"], error["message"]) for error in response.json()["errors"]]


@pytest.fixture
def grassroots_api(grassroots_cadre):
    return token_client(grassroots_cadre)


@pytest.fixture
def board_api(board_user):
    """The Provincial Organization Board: the level above every TCCSĐ, today and before the reform."""
    return token_client(board_user)
