"""The organization tree over the API: roots, children, a node with its ancestors, search — as of a date."""

from tests.api.conftest import errors


def _codes(response):
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    return [row["code"] for row in rows]


def test_tree_of_district_cadre_is_their_district(tree, district_api):
    response = district_api.get("/api/organizations/tree/?on=2024-06-01")

    assert response.status_code == 200
    [root] = response.json()["results"]
    assert (root["code"], root["child_count"], root["parent_id"]) == ("D1", 1, tree["P"].pk)


def test_tree_of_superuser_is_the_province(tree, root_api):
    response = root_api.get("/api/organizations/tree/?ngay=01/06/2024")

    assert _codes(response) == ["P"]


def test_tree_of_district_cadre_is_empty_after_the_reform(tree, district_api):
    response = district_api.get("/api/organizations/tree/?on=2025-12-31")

    assert response.json()["count"] == 0


def test_children_follow_the_tree_of_the_date(tree, root_api):
    before = root_api.get(f"/api/organizations/{tree['P'].pk}/children/?on=2024-06-01")
    after = root_api.get(f"/api/organizations/{tree['P'].pk}/children/?on=2025-07-01")

    assert _codes(before) == ["D1", "D2"]
    assert _codes(after) == ["X1"]


def test_children_filter_by_kind_and_order_by_code_descending(tree, root_api):
    url = f"/api/organizations/{tree['G1'].pk}/children/?on=2024-06-01"

    cells = root_api.get(f"{url}&kind=CELL&ordering=-code")
    none = root_api.get(f"{url}&kind=GROUP")

    assert _codes(cells) == ["C2", "C1"]
    assert _codes(none) == []


def test_children_of_other_district_is_404_for_district_cadre(tree, district_api):
    response = district_api.get(f"/api/organizations/{tree['D2'].pk}/children/?on=2024-06-01")

    assert response.status_code == 404
    assert errors(response) == [(None, "Không tìm thấy, hoặc nằm ngoài phạm vi bạn phụ trách.")]


def test_detail_has_ancestors_of_the_date_and_every_placement(tree, root_api):
    before = root_api.get(f"/api/organizations/{tree['G1'].pk}/?on=2024-06-01").json()
    after = root_api.get(f"/api/organizations/{tree['G1'].pk}/?on=2025-07-01").json()

    assert [a["code"] for a in before["ancestors"]] == ["P", "D1"]
    assert [a["code"] for a in after["ancestors"]] == ["P", "X1"]
    assert before["parent"]["code"] == "D1"
    assert [(p["parent"]["code"], p["valid_from"], p["valid_to"]) for p in before["placements"]] == [
        ("D1", "2019-01-01", "2025-06-30"),
        ("X1", "2025-07-01", None),
    ]
    assert (before["kind"], before["org_type"]) == ("GRASSROOTS_COMMITTEE", "WARD")


def test_detail_of_other_district_is_404_for_district_cadre(tree, district_api):
    own = district_api.get(f"/api/organizations/{tree['G1'].pk}/?on=2024-06-01")
    other = district_api.get(f"/api/organizations/{tree['G2'].pk}/?on=2024-06-01")

    assert own.status_code == 200
    assert other.status_code == 404


def test_search_ignores_diacritics_and_stays_in_scope(tree, district_api, root_api):
    own = district_api.get("/api/organizations/search/?q=chi bo&on=2024-06-01")
    everything = root_api.get("/api/organizations/search/?q=chi bo&on=2024-06-01")

    assert _codes(own) == ["C1", "C2"]
    assert _codes(everything) == ["G2", "C1", "C2"]
    assert own.json()[0]["parent"]["code"] == "G1"


def test_search_needs_a_query(tree, district_api):
    response = district_api.get("/api/organizations/search/")

    assert response.status_code == 400
    assert errors(response) == [("q", "Trường này là bắt buộc.")]
