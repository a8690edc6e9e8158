"""Issue 13: the organization picker's JSON endpoint — scoped to the actor, 20 results, diacritics-insensitive."""

import pytest
from django.urls import reverse

from organizations.models import OrgKind
from tests.factories import make_org

BEFORE_REFORM = "31/12/2024"


def _codes(client, **params):
    response = client.get(reverse("organizations:picker"), {"ngay": BEFORE_REFORM, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["code"] for row in response.json()["results"]]


def test_a_district_cadre_gets_only_its_subtree(client, tree, district_cadre):
    client.force_login(district_cadre)

    # D1's subtree on 31/12/2024: D1, G1 under it, C1 and C2 under G1 — higher levels first, each level by code.
    assert _codes(client) == ["D1", "G1", "C1", "C2"]
    # "Chi bộ" is in C1, C2 (D1's) and G2 (D2's): the other district's cell never comes back.
    assert _codes(client, q="chi bo") == ["C1", "C2"]
    assert _codes(client, q="tu phap") == []
    assert _codes(client, q="G2") == []


def test_the_province_gets_the_whole_tree_without_diacritics(client, tree, root_user):
    client.force_login(root_user)

    assert _codes(client, q="chi bo") == ["G2", "C1", "C2"]
    assert _codes(client, q="SỞ TƯ PHÁP") == ["G2"]
    assert _codes(client, q="so tu phap") == ["G2"]
    # A code is matched from its start, in any case.
    assert _codes(client, q="d2") == ["D2"]


def test_at_most_twenty_results(client, tree, root_user):
    for n in range(25):
        make_org(f"T{n:02d}", OrgKind.CELL, parent=tree["G1"], name=f"Chi bộ thôn {n}")
    client.force_login(root_user)

    codes = _codes(client, q="thon")

    assert len(codes) == 20
    assert codes == [f"T{n:02d}" for n in range(20)]


def test_the_date_decides_the_tree(client, tree, ward_cadre):
    client.force_login(ward_cadre)

    # X1 exists from 01/07/2025, and G1, G2 moved under it that day.
    assert _codes(client, ngay="01/07/2025", q="") == ["X1", "G1", "G2", "C1", "C2"]
    assert _codes(client, q="") == []


@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --"])
def test_wildcards_are_searched_as_text(client, tree, root_user, query):
    client.force_login(root_user)

    assert _codes(client, q=query) == []


def test_anonymous_is_sent_to_the_login_page(client, tree):
    response = client.get(reverse("organizations:picker"), {"q": "chi"})

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
