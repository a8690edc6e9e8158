"""Ratings over the API: read a year's ratings in scope, write a TCCSĐ's grid and an organization's rating
through evaluations.services, refused with the service's message while locked."""

import pytest

from evaluations.models import MemberRating, OrganizationRating, RatingYear, Submission, SubmissionState
from evaluations.services import submission_approve, submission_submit
from tests.api.conftest import errors
from tests.indicators.conftest import rated_2024  # noqa: F401

LOCKED_2024 = (
    "Kết quả xếp loại năm 2024 của Đảng bộ phường Bắc đang ở trạng thái Đã duyệt và đã khóa; "
    "cần mở lại, có ghi lý do, trước khi sửa."
)


@pytest.fixture
def people(rated_2024):  # noqa: F811
    return rated_2024


def _grid(tree, entries, year=2024):
    return {"organization": tree["G1"].pk, "year": year, "entries": entries}


def _names(response):
    return [row["member"]["full_name"] for row in response.json()["results"]]


def _approved(tree, root_user, district_cadre):
    submission = Submission.objects.get(organization=tree["G1"], year__year=2024)
    submission_submit(actor=root_user, submission=submission)
    return submission_approve(actor=district_cadre, submission=submission)


# --- reads ------------------------------------------------------------------------------------------------------


def test_member_ratings_stay_in_the_district(tree, people, district_api, other_district_api):
    own = district_api.get("/api/ratings/members/?year=2024")
    other = other_district_api.get("/api/ratings/members/?year=2024")

    assert _names(own) == ["Lê Văn An", "Phạm Minh Nam", "Trần Thị Bình"]
    assert _names(other) == ["Đỗ Văn Em", "Vũ Thị Phương"]
    assert own.json()["results"][0]["level"] == "EXCELLENT"
    assert own.json()["results"][1]["not_rated_reason"] == "NEW_MEMBER"


def test_member_ratings_filter_by_level_and_tccsd(tree, people, root_api):
    good = root_api.get("/api/ratings/members/?year=2024&level=GOOD")
    g2 = root_api.get(f"/api/ratings/members/?year=2024&organization={tree['G2'].pk}")

    assert _names(good) == ["Trần Thị Bình"]
    assert _names(g2) == ["Đỗ Văn Em", "Vũ Thị Phương"]


def test_member_ratings_of_other_district_tccsd_is_404(tree, people, district_api):
    response = district_api.get(f"/api/ratings/members/?year=2024&organization={tree['G2'].pk}")

    assert response.status_code == 404


def test_member_ratings_need_a_year(tree, people, district_api):
    response = district_api.get("/api/ratings/members/")

    assert response.status_code == 400
    assert errors(response) == [("year", "Trường này là bắt buộc.")]


def test_organization_ratings_stay_in_the_district(tree, people, root_api, district_api):
    everything = root_api.get("/api/ratings/organizations/?year=2024").json()["results"]
    own = district_api.get("/api/ratings/organizations/?year=2024").json()["results"]

    assert [(r["organization"]["code"], r["level"]) for r in everything] == [("G1", "GOOD"), ("G2", "NOT_COMPLETED")]
    assert [r["organization"]["code"] for r in own] == ["G1"]


# --- the grid ---------------------------------------------------------------------------------------------------


def test_grid_saved_through_the_service(tree, people, board_api):
    response = board_api.post(
        "/api/ratings/members/", _grid(tree, [{"member": people["B"].pk, "level": "COMPLETED"}]), format="json"
    )

    rating = MemberRating.objects.get(member=people["B"], year__year=2024)
    assert response.status_code == 200
    assert response.json()["state"] == SubmissionState.DRAFT
    assert rating.level == "COMPLETED"
    assert rating.history.first().history_door == "api"


def test_grid_rule_violation_is_shown_on_its_row_and_nothing_is_saved(tree, people, board_api):
    response = board_api.post(
        "/api/ratings/members/",
        _grid(tree, [{"member": people["B"].pk, "level": "COMPLETED"}, {"member": people["N"].pk, "level": "GOOD"}]),
        format="json",
    )

    assert response.status_code == 400
    [(field, message)] = errors(response)
    assert field == "entries.1"
    assert message.startswith("Phạm Minh Nam: ")
    assert message.endswith("tại ngày 31/12/2024 nên không xếp loại.")
    assert MemberRating.objects.get(member=people["B"], year__year=2024).level == "GOOD"


def test_grid_with_a_member_twice_is_refused(tree, people, board_api):
    entries = [{"member": people["B"].pk, "level": "GOOD"}, {"member": people["B"].pk, "level": "COMPLETED"}]

    response = board_api.post("/api/ratings/members/", _grid(tree, entries), format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "entries"
    assert response.json()["errors"][0]["code"] == "duplicate_member"


def test_grid_of_a_year_that_does_not_exist(tree, people, board_api):
    response = board_api.post("/api/ratings/members/", _grid(tree, [], year=1999), format="json")

    assert response.status_code == 400
    assert errors(response) == [("year", "Không có năm xếp loại 1999.")]


def test_grid_of_other_district_is_refused(tree, people, other_district_api):
    response = other_district_api.post(
        "/api/ratings/members/", _grid(tree, [{"member": people["B"].pk, "level": "COMPLETED"}]), format="json"
    )

    assert response.status_code == 403
    assert MemberRating.objects.get(member=people["B"], year__year=2024).level == "GOOD"


def test_grid_refused_while_locked_with_the_services_message(tree, people, root_user, board_user, board_api):
    _approved(tree, root_user, board_user)

    response = board_api.post(
        "/api/ratings/members/", _grid(tree, [{"member": people["B"].pk, "level": "COMPLETED"}]), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": None, "message": LOCKED_2024, "code": "locked"}]
    assert MemberRating.objects.get(member=people["B"], year__year=2024).level == "GOOD"


def test_grid_refused_in_a_closed_year(tree, people, board_api):
    RatingYear.objects.filter(year=2024).update(state="CLOSED")

    response = board_api.post(
        "/api/ratings/members/", _grid(tree, [{"member": people["B"].pk, "level": "COMPLETED"}]), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "year_closed"


# --- organization ratings ---------------------------------------------------------------------------------------


def test_level_above_rates_the_tccsd(tree, people, board_api):
    response = board_api.post(
        "/api/ratings/organizations/",
        {"organization": tree["G1"].pk, "year": 2024, "level": "EXCELLENT"},
        format="json",
    )

    assert response.status_code == 200
    assert OrganizationRating.objects.get(organization=tree["G1"], year__year=2024).level == "EXCELLENT"


def test_tccsd_cannot_rate_itself(tree, people, grassroots_api):
    response = grassroots_api.post(
        "/api/ratings/organizations/",
        {"organization": tree["G1"].pk, "year": 2024, "level": "EXCELLENT"},
        format="json",
    )

    assert response.status_code == 403
    assert errors(response)[0][1].startswith("Chỉ cấp trên của Đảng bộ phường Bắc")


def test_organization_rating_refused_while_locked(tree, people, root_user, board_user, board_api):
    _approved(tree, root_user, board_user)

    response = board_api.post(
        "/api/ratings/organizations/",
        {"organization": tree["C1"].pk, "year": 2024, "level": "GOOD"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": None, "message": LOCKED_2024, "code": "locked"}]
