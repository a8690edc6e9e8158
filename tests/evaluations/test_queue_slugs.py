"""The approval queue: its state filter speaks Vietnamese in URLs (the English codes of older links still work),
and a submitted item shows when it was sent."""

import re
from datetime import date

from django.urls import reverse

from evaluations import services
from evaluations.models import RatingYear
from tests.factories import make_member

ADMITTED = date(2019, 3, 1)


def _submit_g1(tree, actor):
    members = [make_member(tree["C1"], full_name=f"Đảng viên {i}", admission_date=ADMITTED) for i in range(2)]
    submission = services.member_ratings_save(
        actor=actor,
        organization=tree["G1"],
        year=RatingYear.objects.get(year=2024),
        entries=[{"member_id": m.pk, "level": "GOOD"} for m in members],
    )
    return services.submission_submit(actor=actor, submission=submission)


def _queue(client, query=""):
    response = client.get(reverse("evaluations:queue") + "?nam=2024" + query)
    assert response.status_code == 200
    return response


def _codes(response):
    return [row["placement"].organization.code for row in response.context["rows"]]


def test_queue_tabs_link_with_vietnamese_slugs(client, tree, grassroots_cadre, board_user):
    _submit_g1(tree, grassroots_cadre)
    client.force_login(board_user)

    html = _queue(client).content.decode()

    slugs = re.findall(r"trang_thai=([\w-]*)", html)
    assert set(slugs) == {"cho-duyet", "tra-lai", "da-duyet", "ban-nhap", "chua-bat-dau", "tat-ca"}
    assert "SUBMITTED" not in " ".join(slugs)


def test_queue_filters_by_slug_and_by_the_old_codes(client, tree, grassroots_cadre, board_user):
    _submit_g1(tree, grassroots_cadre)
    make_member(tree["G2"], full_name="Ở Tây Hòa", admission_date=ADMITTED)
    client.force_login(board_user)

    assert _codes(_queue(client, "&trang_thai=cho-duyet")) == ["G1"]
    assert _codes(_queue(client, "&trang_thai=SUBMITTED")) == ["G1"]
    assert _codes(_queue(client, "&trang_thai=chua-bat-dau")) == ["G2"]
    assert _codes(_queue(client, "&trang_thai=tat-ca")) == ["G1", "G2"]
    assert _codes(_queue(client, "&trang_thai=")) == ["G1", "G2"]
    # An unknown value names no list.
    assert client.get(reverse("evaluations:queue") + "?nam=2024&trang_thai=khong-co").status_code == 404


def test_approving_from_the_queue_returns_to_the_same_slug(client, tree, grassroots_cadre, board_user):
    submission = _submit_g1(tree, grassroots_cadre)
    client.force_login(board_user)

    response = client.post(
        reverse("evaluations:queue") + "?nam=2024&trang_thai=cho-duyet",
        {"action": "approve_many", "ho_so": [submission.pk]},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?nam=2024&trang_thai=cho-duyet")


def test_queue_shows_when_a_submission_was_sent(client, tree, grassroots_cadre, board_user):
    submission = _submit_g1(tree, grassroots_cadre)
    client.force_login(board_user)

    html = _queue(client, "&trang_thai=cho-duyet").content.decode()

    sent = re.search(r'<td class="date">(.*?)</td>', html, re.S).group(1)
    assert submission.submitted_at is not None
    assert "—" not in sent
    assert re.search(r"\d\d/\d\d/2\d\d\d", sent), sent
