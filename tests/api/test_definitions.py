"""The indicator catalogue over the API: every role reads the definitions; the Organization Board adds and changes
tracked figures through the catalogue page's services (a program target is changed on the targets API)."""

from indicators.models import IndicatorDefinition
from party_portal.doors import API
from tests.api.conftest import errors

EXPELLED = {
    "code": "KT_TY_LE",
    "name_vi": "Đảng viên bị khai trừ",
    "numerator": "members_expelled",
    "denominator": "members_at_start_of_year",
    "unit": "PERCENT",
}


def test_definitions_api_lists_the_targets_with_their_measures(steering_api, tree):
    response = steering_api.get("/api/indicators/definitions/")

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    # The six program targets and the sixteen tracked figures of the data migrations.
    assert [code for code, row in rows.items() if row["kind"] == "TARGET"] == ["T1a", "T1b", "T2a", "T2b", "T3", "T4"]
    assert len(rows) == 22
    assert (rows["T3"]["numerator"], rows["T3"]["denominator"], rows["T3"]["kind"]) == (
        "admissions",
        "rolls_at_start",
        "TARGET",
    )
    assert rows["T3"]["denominator_label"] == "đảng viên có đến 31/12/N-1"


def test_definitions_api_board_adds_and_deactivates_a_figure_with_audit_rows(board_api, board_user, tree):
    created = board_api.post("/api/indicators/definitions/", EXPELLED, format="json")
    definition = IndicatorDefinition.objects.get(code="KT_TY_LE")

    changed = board_api.patch(
        f"/api/indicators/definitions/{definition.pk}/",
        {"active": False, "comparator": "<", "threshold": "1.5"},
        format="json",
    )

    assert created.status_code == 201, created.content
    # Ordered after the sixteen tracked rows of the migration (orders 1…16).
    assert (created.json()["kind"], created.json()["group"], created.json()["order"]) == ("TRACKED", "other", 26)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["active"], changed.json()["threshold"]) == (False, "1.500")
    rows = list(definition.history.order_by("history_id").values_list("history_type", "history_user", "history_door"))
    assert rows == [("+", board_user.pk, API), ("~", board_user.pk, API)]


def test_definitions_api_refuses_a_district_cadre_and_the_steering_committee(district_api, steering_api, tree):
    for client in (district_api, steering_api):
        response = client.post("/api/indicators/definitions/", EXPELLED, format="json")

        assert response.status_code == 403
    assert not IndicatorDefinition.objects.filter(code="KT_TY_LE").exists()


def test_definitions_api_names_the_field_of_a_wrong_value(board_api, tree):
    unknown = board_api.post("/api/indicators/definitions/", {**EXPELLED, "numerator": "gone"}, format="json")
    count = board_api.post("/api/indicators/definitions/", {**EXPELLED, "unit": "COUNT"}, format="json")
    # A program target is not created here: the body takes no kind.
    target = board_api.post("/api/indicators/definitions/", {**EXPELLED, "kind": "TARGET"}, format="json")
    t1a = IndicatorDefinition.objects.get(code="T1a")
    changed_target = board_api.patch(f"/api/indicators/definitions/{t1a.pk}/", {"unit": "COUNT"}, format="json")

    assert (unknown.status_code, count.status_code, target.status_code, changed_target.status_code) == (
        400,
        400,
        400,
        400,
    )
    assert [field for field, _message in errors(unknown)] == ["numerator"]
    assert [field for field, _message in errors(count)] == ["denominator"]
    assert [field for field, _message in errors(target)] == ["kind"]
    assert not IndicatorDefinition.objects.filter(code="KT_TY_LE").exists()
    t1a.refresh_from_db()
    assert t1a.unit == "PERCENT"


def test_definitions_api_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert {"get", "post"} <= set(schema["paths"]["/api/indicators/definitions/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/indicators/definitions/{definition_id}/"])


def test_definitions_api_lists_one_group_or_the_active_ones(board_api, tree):
    board_api.post("/api/indicators/definitions/", EXPELLED, format="json")
    board_api.post("/api/indicators/definitions/", {**EXPELLED, "code": "KT_TY_LE2", "active": False}, format="json")

    other = board_api.get("/api/indicators/definitions/?group=other").json()
    active = board_api.get("/api/indicators/definitions/?group=other&active=true").json()
    program = board_api.get("/api/indicators/definitions/?group=program&active=false").json()

    assert [row["code"] for row in other][-2:] == ["KT_TY_LE", "KT_TY_LE2"]  # after the 16 of the migration
    assert [row["code"] for row in active][-1] == "KT_TY_LE"
    assert "KT_TY_LE2" not in [row["code"] for row in active]
    # The six program targets are all active.
    assert program == []
