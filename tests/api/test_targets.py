"""The targets over the API: read by every role, changed by the Organization Board through the page's services."""

from datetime import date

from indicators.models import Target, TargetOverride
from party_portal.doors import API
from tests.api.conftest import errors


def _target(code):
    return Target.objects.get(program__code="CTHD-2020-2025", indicator=code)


def test_targets_api_board_sets_an_override_and_every_reader_sees_it_within_their_scope(
    board_api, district_api, other_district_api, board_user, tree
):
    target = _target("T3")

    response = board_api.post(
        f"/api/targets/{target.pk}/overrides/",
        {"organization": tree["D1"].pk, "threshold": "6.5", "decided_on": "2024-03-15", "decision_number": "15-QĐ/TU"},
        format="json",
    )

    assert response.status_code == 200, response.content
    override = TargetOverride.objects.get(target=target, organization=tree["D1"])
    assert (str(override.threshold), override.decided_on, override.decision_number) == (
        "6.500",
        date(2024, 3, 15),
        "15-QĐ/TU",
    )
    row = override.history.get()
    assert (row.history_user, row.history_door) == (board_user, API)
    own = district_api.get(f"/api/targets/{target.pk}/").json()
    assert [o["organization_code"] for o in own["overrides"]] == ["D1"]
    assert own["overrides"][0]["decision_number"] == "15-QĐ/TU"
    foreign = other_district_api.get("/api/targets/").json()
    assert all(item["overrides"] == [] for item in foreign)


def test_targets_api_refuses_a_cadre_and_writes_nothing(district_api, tree):
    target = _target("T1a")

    response = district_api.patch(
        f"/api/targets/{target.pk}/",
        {"threshold": "10", "decided_on": "2024-03-15", "decision_number": "1-QĐ/TU"},
        format="json",
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert str(target.threshold) == "90.000"


def test_targets_api_board_changes_a_target_and_a_bad_body_names_the_field(board_api, tree):
    target = _target("T2b")

    bad = board_api.patch(
        f"/api/targets/{target.pk}/",
        {"threshold": "0.5", "decided_on": "2024-03-15", "decision_number": "1", "deadline": "2025"},
        format="json",
    )
    good = board_api.patch(
        f"/api/targets/{target.pk}/",
        {"threshold": "0.5", "decided_on": "2024-03-15", "decision_number": "4-QĐ/TU"},
        format="json",
    )

    assert bad.status_code == 400
    assert [field for field, _message in errors(bad)] == ["deadline"]
    assert good.status_code == 200
    assert (good.json()["threshold"], good.json()["decision_number"]) == ("0.500", "4-QĐ/TU")


def test_targets_api_ends_an_override(board_api, tree):
    target = _target("T3")
    body = {"organization": tree["D2"].pk, "decided_on": "2024-03-15", "decision_number": "2-QĐ/TU"}
    board_api.post(f"/api/targets/{target.pk}/overrides/", {**body, "threshold": "3"}, format="json")

    response = board_api.post(f"/api/targets/{target.pk}/overrides/end/", body, format="json")
    again = board_api.post(f"/api/targets/{target.pk}/overrides/end/", body, format="json")

    assert response.status_code == 200
    assert response.json()["overrides"] == []
    assert again.status_code == 400
    assert not TargetOverride.objects.exists()


def test_targets_api_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert {"get", "patch"} <= set(schema["paths"]["/api/targets/{target_id}/"])
    assert "post" in schema["paths"]["/api/targets/{target_id}/overrides/"]
    assert "post" in schema["paths"]["/api/targets/{target_id}/overrides/end/"]


def test_targets_api_lists_a_program_by_its_code(steering_api, tree):
    listed = steering_api.get("/api/targets/?program=CTHD-2020-2025")
    unknown = steering_api.get("/api/targets/?program=KHONG-CO")

    assert [item["indicator"] for item in listed.json()] == ["T1a", "T1b", "T2a", "T2b", "T3", "T4"]
    assert unknown.status_code == 404
