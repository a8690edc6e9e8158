"""Scores under 366-QĐ/TW (2025): a grid cannot be sent without the score of every member given a level; a score
error reads cleanly and marks the score field, not the rating."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations import services
from evaluations.models import RatingYear, Submission, SubmissionState
from tests.factories import make_member

ADMITTED = date(2019, 3, 1)


@pytest.fixture
def members(tree):
    return [make_member(tree["C1"], full_name=name, admission_date=ADMITTED) for name in ("Lê Văn Ba", "Trần Thị An")]


def _save(actor, tree, year, entries):
    return services.member_ratings_save(
        actor=actor, organization=tree["G1"], year=RatingYear.objects.get(year=year), entries=entries
    )


def test_a_2025_grid_with_empty_scores_cannot_be_sent(tree, grassroots_cadre, members):
    entries = [{"member_id": m.pk, "level": "GOOD"} for m in members]
    submission = _save(grassroots_cadre, tree, 2025, entries)

    with pytest.raises(ValidationError) as error:
        services.submission_submit(actor=grassroots_cadre, submission=submission)

    message = " ".join(error.value.messages)
    assert "366-QĐ/TW" in message
    assert "2 người chưa có điểm" in message
    assert "Lê Văn Ba, Trần Thị An" in message
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.DRAFT


def test_a_2025_grid_is_sent_once_every_level_has_its_score(tree, grassroots_cadre, members):
    entries = [
        {"member_id": members[0].pk, "level": "GOOD", "score": Decimal("75")},
        {"member_id": members[1].pk, "level": "GOOD"},
    ]
    submission = _save(grassroots_cadre, tree, 2025, entries)
    with pytest.raises(ValidationError) as error:
        services.submission_submit(actor=grassroots_cadre, submission=submission)
    # Only the member without a score is named.
    assert "Trần Thị An" in " ".join(error.value.messages)
    assert "Lê Văn Ba" not in " ".join(error.value.messages)

    entries[1]["score"] = Decimal("88.5")
    submission = _save(grassroots_cadre, tree, 2025, entries)
    sent = services.submission_submit(actor=grassroots_cadre, submission=submission)

    assert sent.state == SubmissionState.SUBMITTED


def test_before_2025_no_score_is_needed_to_send(tree, grassroots_cadre, members):
    submission = _save(grassroots_cadre, tree, 2024, [{"member_id": m.pk, "level": "GOOD"} for m in members])

    assert services.submission_submit(actor=grassroots_cadre, submission=submission).state == "SUBMITTED"


def _grid_post(members, ratings, scores):
    data = {"action": "save"}
    for member, rating, score in zip(members, ratings, scores, strict=True):
        data[f"m-{member.pk}-rating"] = rating
        data[f"m-{member.pk}-score"] = score
    return data


def _row(html, member):
    return re.search(rf'<tr id="dv-{member.pk}".*?</tr>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("150", "Điểm là một số từ 0 đến 100."),
        ("-1", "Điểm là một số từ 0 đến 100."),
        ("abc", "Điểm là một số từ 0 đến 100."),
    ],
)
def test_a_score_out_of_range_reads_cleanly_and_marks_the_score(
    client, tree, grassroots_cadre, members, score, message
):
    client.force_login(grassroots_cadre)

    response = client.post(
        reverse("evaluations:grid", args=[tree["G1"].pk, 2025]),
        _grid_post(members, ["GOOD", "GOOD"], [score, "80"]),
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    html = response.content.decode()
    assert response.context["members"][0]["errors"] == [message]
    # Django's own Vietnamese message ends "… bằng với 100 ." with a stray space.
    assert "100 ." not in html
    row = _row(html, members[0])
    assert re.search(r'<input type="text" class="score"[^>]*aria-invalid="true"', row)
    assert not re.search(r'<select[^>]*aria-invalid="true"', row)


def test_a_score_outside_the_level_band_marks_the_score_not_the_rating(client, tree, grassroots_cadre, members):
    client.force_login(grassroots_cadre)

    response = client.post(
        reverse("evaluations:grid", args=[tree["G1"].pk, 2025]),
        _grid_post(members, ["GOOD", "GOOD"], ["95", "80"]),
    )

    row = _row(response.content.decode(), members[0])
    assert "không khớp" in " ".join(response.context["members"][0]["errors"])
    assert re.search(r'<input type="text" class="score"[^>]*aria-invalid="true"', row)
    assert not re.search(r'<select[^>]*aria-invalid="true"', row)
    # The other row is fine: nothing marked.
    assert "aria-invalid" not in _row(response.content.decode(), members[1])


def test_a_rating_error_still_marks_the_rating(client, tree, grassroots_cadre, members):
    client.force_login(grassroots_cadre)

    # A new member (admitted after 30/06) cannot be given a level.
    late = make_member(tree["C1"], full_name="Mới Vào", admission_date=date(2025, 9, 1))
    response = client.post(
        reverse("evaluations:grid", args=[tree["G1"].pk, 2025]),
        _grid_post([*members, late], ["GOOD", "GOOD", "GOOD"], ["80", "80", "80"]),
    )

    row = _row(response.content.decode(), late)
    assert re.search(r'<select[^>]*aria-invalid="true"', row)
    assert not re.search(r'<input type="text" class="score"[^>]*aria-invalid="true"', row)
