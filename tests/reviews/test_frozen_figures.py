"""A review's figures are frozen at submission: a rating reopened and changed afterwards changes the live figure,
not the review's, and the review page says the current figure differs."""

from django.test import Client

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, submission_approve, submission_reopen, submission_submit
from indicators.selectors import compliance
from reviews import services

from .conftest import YEAR, rate_g1


def test_frozen_figures_do_not_change_when_a_rating_is_reopened(province, units):
    cadre = province["cadre_d1"]
    submission = rate_g1(province)  # G1's members: GOOD, GOOD, GOOD, COMPLETED → T2a 3 of 4 rated
    review = services.review_start(actor=cadre, unit=units["D1"], year=YEAR)
    review = services.review_update(actor=cadre, review=review, achievements="Đạt các chỉ tiêu chủ yếu.")
    review = services.review_submit(actor=cadre, review=review)
    services.review_receive(actor=province["board"], review=review)

    # The level above reopens G1's approved ratings and the fourth member becomes GOOD: T2a 4 of 4.
    submission = submission_reopen(actor=cadre, submission=submission, reason="Xếp loại lại đảng viên thứ tư")
    fourth = province["members"][3]
    member_ratings_save(
        actor=province["root"],
        organization=province["G1"],
        year=RatingYear.objects.get(year=YEAR),
        entries=[{"member_id": fourth.pk, "level": "GOOD"}],
    )
    submission_approve(actor=cadre, submission=submission_submit(actor=province["root"], submission=submission))
    review.refresh_from_db()
    live = compliance(actor=cadre, year=YEAR, scope_id=province["D1"].pk).scope.figures["T2a"]
    client = Client()
    client.force_login(province["board"])
    page = client.get(f"/so-ket/van-ban/{review.pk}/").content.decode()

    frozen = review.figures["scope"]["indicators"]
    assert (frozen["T2a"]["numerator"], frozen["T2a"]["denominator"]) == (3, 4)
    assert (frozen["T1a"]["numerator"], frozen["T1a"]["denominator"]) == (1, 1)
    assert sorted(frozen) == ["T1a", "T1b", "T2a", "T2b", "T3", "T4"]
    assert review.figures_as_of is not None
    assert (live.numerator, live.denominator) == (4, 4)
    assert "75,00 %" in page  # the frozen T2a
    assert "100,00 %" in page  # the live T2a beside it
    assert "số liệu hiện tại khác" in page
