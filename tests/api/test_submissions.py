"""Submissions over the API: list and read them in scope, and take them through the workflow of
evaluations.services (submit, approve, return with a comment, reopen with a reason)."""

import pytest

from evaluations.models import Reopening, Submission, SubmissionState
from tests.api.conftest import errors
from tests.factories import make_member
from tests.indicators.conftest import rated_2024  # noqa: F401


@pytest.fixture
def g1_submission(tree, rated_2024):  # noqa: F811
    return Submission.objects.get(organization=tree["G1"], year__year=2024)


def _url(submission, action=""):
    return f"/api/submissions/{submission.pk}/" + (f"{action}/" if action else "")


def test_list_stays_in_the_district(tree, g1_submission, district_api, root_api):
    own = district_api.get("/api/submissions/?year=2024").json()["results"]
    everything = root_api.get("/api/submissions/?year=2024&ordering=-organization").json()["results"]

    assert [(s["organization"]["code"], s["state"]) for s in own] == [("G1", "DRAFT")]
    assert [s["organization"]["code"] for s in everything] == ["G2", "G1"]


def test_list_filters_by_state(tree, g1_submission, root_api, board_api):
    board_api.post(_url(g1_submission, "submit"), format="json")

    submitted = root_api.get("/api/submissions/?year=2024&state=SUBMITTED").json()["results"]

    assert [s["organization"]["code"] for s in submitted] == ["G1"]


def test_detail_of_other_district_is_404(tree, g1_submission, other_district_api):
    response = other_district_api.get(_url(g1_submission))
    approve = other_district_api.post(_url(g1_submission, "approve"), format="json")

    assert response.status_code == 404
    # D2's role ended with D2: the policy refuses approving at all, before any submission is looked up.
    assert approve.status_code == 403
    assert "phường Bắc" not in approve.content.decode()


def test_submit_then_approve_locks(tree, g1_submission, grassroots_cadre, board_user, board_api):
    submitted = board_api.post(_url(g1_submission, "submit"), format="json")
    approved = board_api.post(_url(g1_submission, "approve"), {"comment": "Tốt"}, format="json")

    assert submitted.json()["state"] == SubmissionState.SUBMITTED
    assert approved.status_code == 200
    body = approved.json()
    assert (body["state"], body["editable"], body["decided_by"], body["comment"]) == (
        "APPROVED",
        False,
        "board",
        "Tốt",
    )


def test_tccsd_cannot_approve_itself(tree, g1_submission, board_api, grassroots_api):
    board_api.post(_url(g1_submission, "submit"), format="json")

    response = grassroots_api.post(_url(g1_submission, "approve"), format="json")

    assert response.status_code == 403
    assert errors(response) == [
        (None, "Vai trò của bạn không cho phép duyệt, trả lại hoặc mở lại kết quả xếp loại của cấp dưới.")
    ]


def test_approve_a_draft_is_refused_with_its_state(tree, g1_submission, board_api):
    response = board_api.post(_url(g1_submission, "approve"), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": None,
            "message": "Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái Bản nháp.",
            "code": "wrong_state",
        }
    ]


def test_return_needs_a_comment(tree, g1_submission, board_api):
    board_api.post(_url(g1_submission, "submit"), format="json")

    without = board_api.post(_url(g1_submission, "return"), format="json")
    returned = board_api.post(_url(g1_submission, "return"), {"comment": "Thiếu lý do của Nam"}, format="json")

    assert without.status_code == 400
    assert errors(without) == [("comment", "Hãy ghi lý do trả lại hồ sơ.")]
    assert (returned.json()["state"], returned.json()["comment"]) == ("RETURNED", "Thiếu lý do của Nam")


def test_reopen_needs_a_reason_and_is_recorded(tree, g1_submission, board_api, board_user):
    board_api.post(_url(g1_submission, "submit"), format="json")
    board_api.post(_url(g1_submission, "approve"), format="json")

    without = board_api.post(_url(g1_submission, "reopen"), {"reason": " "}, format="json")
    reopened = board_api.post(_url(g1_submission, "reopen"), {"reason": "Sửa xếp loại của Bình"}, format="json")

    assert errors(without) == [("reason", "Mở lại phải có lý do.")]
    body = reopened.json()
    assert body["state"] == "DRAFT"
    assert [(r["reason"], r["by"]) for r in body["reopenings"]] == [("Sửa xếp loại của Bình", "board")]
    assert Reopening.objects.get().by == board_user


def test_submit_incomplete_grid_is_refused(tree, rated_2024, root_user, board_api):  # noqa: F811
    make_member(tree["C2"], full_name="Chưa Xếp Loại", admission_date=rated_2024["A"].admission_date)
    submission = Submission.objects.get(organization=tree["G1"], year__year=2024)

    response = board_api.post(_url(submission, "submit"), format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "incomplete"
