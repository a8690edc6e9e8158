"""Token and session authentication, the one error shape, and the schema with its offline docs pages."""

from rest_framework.test import APIClient

from tests.api.conftest import errors

TREE = "/api/organizations/tree/?on=2024-06-01"


def test_token_obtained_with_username_and_password_opens_the_api(tree, district_cadre):
    client = APIClient()

    response = client.post("/api/token/", {"username": "cadre_d1", "password": "pw"}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    roots = client.get(TREE)

    assert response.status_code == 200
    assert [node["code"] for node in roots.json()["results"]] == ["D1"]


def test_token_wrong_password_is_400_in_vietnamese(tree, district_cadre):
    response = APIClient().post("/api/token/", {"username": "cadre_d1", "password": "sai"}, format="json")

    assert response.status_code == 400
    assert errors(response) == [(None, "Không thể đăng nhập với thông tin đã nhập.")]


def test_no_credentials_is_401_with_token_challenge(tree):
    response = APIClient().get(TREE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_unknown_token_is_401(tree):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = client.get(TREE)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_session_of_the_browser_is_accepted(tree, district_cadre):
    client = APIClient()
    client.force_login(district_cadre)

    response = client.get(TREE)

    assert response.status_code == 200


def test_session_write_without_csrf_token_is_refused(tree, district_cadre):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(district_cadre)

    response = client.post("/api/members/", {}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["message"]


def test_unknown_path_under_api_is_a_json_404(tree, district_api):
    response = district_api.get("/api/khong-co/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_bad_date_is_a_field_error(tree, district_api):
    response = district_api.get("/api/organizations/tree/?on=31-12-2024")

    assert response.status_code == 400
    assert errors(response) == [("on", "Nhập một ngày hợp lệ.")]


def test_messages_follow_the_language_chosen_with_the_switch(tree, district_api):
    district_api.cookies["django_language"] = "en"

    response = district_api.get("/api/organizations/tree/?on=31-12-2024")

    assert errors(response) == [("on", "Enter a valid date.")]


def test_schema_is_openapi_3_and_lists_every_area(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/organizations/tree/",
        "/api/members/{member_id}/",
        "/api/ratings/members/",
        "/api/submissions/{submission_id}/approve/",
        "/api/indicators/compliance/",
        "/api/token/",
    ):
        assert path in schema["paths"]
    assert schema["components"]["securitySchemes"]["knoxApiToken"]["type"] == "apiKey"


def test_docs_pages_load_their_scripts_from_the_sidecar_not_a_cdn(client):
    swagger = client.get("/api/docs/").content.decode()
    redoc = client.get("/api/redoc/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in swagger
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in redoc
    for page in (swagger, redoc):
        assert "cdn." not in page
        assert "unpkg" not in page
