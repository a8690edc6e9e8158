"""Organization writes and reorganizations over the API, on the `tree` fixture (tests/conftest.py): the same
services as the pages, previewed then applied, in the OpenAPI schema."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations import reorganizations
from organizations.models import Organization, Placement, Reorganization
from tests.api.conftest import errors, token_client
from tests.factories import make_member

DAY = "2026-03-01"


def _merge(tree, **extra):
    return {
        "kind": "MERGE",
        "effective_on": DAY,
        "decision_number": "125-QĐ/TU",
        "predecessors": [tree["G1"].pk, tree["G2"].pk],
        "successor": {
            "code": "G3",
            "name": "Đảng bộ phường Bắc Tây",
            "kind": "GRASSROOTS_COMMITTEE",
            "org_type": "WARD",
        },
        **extra,
    }


def test_reorganization_preview_then_apply_with_its_fingerprint(tree, board_api):
    make_member(tree["G2"], admission_date=date(2020, 1, 6))

    preview = board_api.post("/api/reorganizations/preview/", _merge(tree), format="json")
    applied = board_api.post(
        "/api/reorganizations/", _merge(tree, fingerprint=preview.json()["fingerprint"]), format="json"
    )

    assert preview.status_code == 200
    assert preview.json()["ends"] == ["G1 – Đảng bộ phường Bắc", "G2 – Chi bộ Sở Tư pháp"]
    assert preview.json()["members_moved"] == [
        {"from": "G2 – Chi bộ Sở Tư pháp", "to": "G3 – Đảng bộ phường Bắc Tây", "count": 1}
    ]
    assert applied.status_code == 201
    body = applied.json()
    assert (body["kind"], body["members_moved"], body["decision_number"]) == ("MERGE", 1, "125-QĐ/TU")
    assert sorted((link["predecessor"]["code"], link["successor"]["code"]) for link in body["links"]) == [
        ("G1", "G3"),
        ("G2", "G3"),
    ]
    listed = board_api.get("/api/reorganizations/?kind=MERGE").json()["results"]
    assert [item["kind"] for item in listed] == ["MERGE"]


def test_reorganization_apply_refuses_a_stale_fingerprint(tree, board_api):
    response = board_api.post("/api/reorganizations/", _merge(tree, fingerprint="0000000000000000"), format="json")

    assert response.status_code == 400
    assert errors(response) == [
        (None, "Dữ liệu đã thay đổi kể từ khi xem trước; hãy xem lại bản xem trước mới rồi mới xác nhận.")
    ]
    assert not Reorganization.objects.exists()


def test_reorganization_missing_field_and_unknown_field_are_named(tree, board_api):
    missing = board_api.post("/api/reorganizations/preview/", {"kind": "MOVE", "effective_on": DAY}, format="json")
    unknown = board_api.post("/api/reorganizations/preview/", _merge(tree, colour="red"), format="json")

    assert missing.status_code == 400
    assert {field for field, _message in errors(missing)} == {"organization", "new_parent"}
    assert unknown.status_code == 400
    assert [field for field, _message in errors(unknown)] == ["colour"]


def test_reorganization_refused_to_a_grassroots_cadre(tree, grassroots_api):
    response = grassroots_api.post("/api/reorganizations/preview/", _merge(tree), format="json")

    assert response.status_code == 403


def test_organization_create_rename_move_close(tree, board_api):
    created = board_api.post(
        "/api/organizations/",
        {"code": "C3", "name": "Chi bộ khu phố 3", "kind": "CELL", "valid_from": "2026-01-05", "parent": tree["G1"].pk},
        format="json",
    )
    c3 = created.json()["id"]
    renamed = board_api.post(
        f"/api/organizations/{c3}/rename/",
        {"effective_on": "2026-02-01", "new_name": "Chi bộ khu phố Ba"},
        format="json",
    )
    moved = board_api.post(
        f"/api/organizations/{c3}/move/", {"effective_on": "2026-03-01", "new_parent": tree["G2"].pk}, format="json"
    )
    closed = board_api.post(f"/api/organizations/{c3}/close/", {"effective_on": "2026-04-01"}, format="json")

    assert [r.status_code for r in (created, renamed, moved, closed)] == [201, 201, 201, 201]
    assert renamed.json()["old_name"] == "Chi bộ khu phố 3"
    organization = Organization.objects.get(pk=c3)
    assert (organization.name, organization.valid_to) == ("Chi bộ khu phố Ba", date(2026, 3, 31))
    parents = list(
        Placement.objects.filter(organization=organization)
        .order_by("valid_from")
        .values_list("parent__code", flat=True)
    )
    assert parents == ["G1", "G2"]


def test_organization_create_outside_scope_is_refused(tree, other_district_cadre):
    response = token_client(other_district_cadre).post(
        "/api/organizations/",
        {"code": "C9", "name": "Chi bộ 9", "kind": "CELL", "valid_from": "2025-01-05", "parent": tree["G1"].pk},
        format="json",
    )

    assert response.status_code == 403
    assert not Organization.objects.filter(code="C9").exists()


def test_reorganization_endpoints_are_in_the_schema(board_api):
    paths = board_api.get("/api/schema/?format=json").json()["paths"]

    for path in ("/api/reorganizations/", "/api/reorganizations/preview/", "/api/organizations/"):
        assert "post" in paths[path]
    assert "post" in paths["/api/organizations/{organization_id}/close/"]


def _renames(board_user, tree, count, start):
    for i in range(start, start + count):
        reorganizations.reorganization_apply(
            actor=board_user,
            kind="RENAME",
            organization=tree["G2"],
            new_name=f"Chi bộ Sở Tư pháp {i}",
            effective_on=date(2026, 1, 1) + timedelta(days=i),
        )


def test_reorganization_list_queries_do_not_grow_with_its_rows(tree, board_user, board_api):
    _renames(board_user, tree, 2, 0)
    with CaptureQueriesContext(connection) as small:
        assert board_api.get("/api/reorganizations/").json()["count"] == 2
    _renames(board_user, tree, 6, 2)
    with CaptureQueriesContext(connection) as large:
        assert board_api.get("/api/reorganizations/").json()["count"] == 8

    assert len(large) == len(small)
