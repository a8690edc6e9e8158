"""The compliance endpoint answers exactly compliance(...).as_dict(): the numbers of the command line."""

import json
from io import StringIO

from django.core.management import call_command

from indicators.selectors import compliance
from tests.api.conftest import errors
from tests.indicators.conftest import rated_2024  # noqa: F401


def test_compliance_is_the_selectors_dict(tree, rated_2024, root_user, root_api):  # noqa: F811
    response = root_api.get("/api/indicators/compliance/?year=2024&scope=P")

    expected = json.loads(json.dumps(compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).as_dict()))
    assert response.status_code == 200
    assert response.json() == expected


def test_compliance_matches_the_command_line(tree, rated_2024, root_api):  # noqa: F811
    out = StringIO()
    call_command("compliance", year=2024, scope="P", format="json", stdout=out)

    response = root_api.get("/api/indicators/compliance/?year=2024&scope=P")

    assert response.json() == json.loads(out.getvalue())


def test_compliance_counted_by_hand(tree, rated_2024, root_api):  # noqa: F811
    # G1: A excellent, B good, N new member; G2: E exempt, F completed. TCCSĐ: G1 good, G2 not completed.
    body = root_api.get("/api/indicators/compliance/?year=2024&scope=P").json()

    figures = body["scope"]["indicators"]
    assert (figures["T2a"]["numerator"], figures["T2a"]["denominator"]) == (2, 3)
    assert (figures["T1b"]["numerator"], figures["T1b"]["denominator"]) == (1, 2)
    assert body["as_of"] == "2024-12-31"
    assert [child["code"] for child in body["children"]] == ["D1", "D2"]


def test_compliance_defaults_to_the_top_of_the_callers_scope(tree, rated_2024, district_api):  # noqa: F811
    body = district_api.get("/api/indicators/compliance/?year=2024").json()

    assert body["scope"]["code"] == "D1"
    assert body["scope"]["indicators"]["T2a"]["denominator"] == 2


def test_compliance_of_other_district_is_404(tree, rated_2024, district_api):  # noqa: F811
    response = district_api.get("/api/indicators/compliance/?year=2024&scope=D2")

    assert response.status_code == 404


def test_compliance_needs_a_year(tree, district_api):
    response = district_api.get("/api/indicators/compliance/?scope=D1")

    assert response.status_code == 400
    assert errors(response) == [("year", "Trường này là bắt buộc.")]
