"""The demo province's submissions carry the times the services would have stamped: the approval queue's
"Sent" column shows when each was sent."""

from io import StringIO

from django.core.management import call_command

from evaluations.models import SCORE_BANDS, MemberRating, Submission, SubmissionState


def test_demo_submissions_have_their_sending_and_decision_times(db):
    call_command("seed_demo", "--size", "tiny", "--seed", "3", stdout=StringIO())

    submissions = list(Submission.objects.select_related("year"))
    sent = [s for s in submissions if s.state != SubmissionState.DRAFT]
    decided = [s for s in sent if s.state in (SubmissionState.APPROVED, SubmissionState.RETURNED)]

    assert {s.state for s in submissions} >= {SubmissionState.SUBMITTED, SubmissionState.APPROVED}
    assert [s.pk for s in sent if s.submitted_at is None] == []
    assert [s.pk for s in decided if s.decided_at is None or s.decided_at <= s.submitted_at] == []
    # Sent in January after the rating year; drafts were never sent.
    assert {s.submitted_at.year - s.year.year for s in sent} == {1}
    assert [s.pk for s in submissions if s.state == SubmissionState.DRAFT and s.submitted_at] == []


def test_demo_2025_levels_carry_a_score_in_their_band(db):
    call_command("seed_demo", "--size", "tiny", "--seed", "3", stdout=StringIO())

    rated = list(MemberRating.objects.filter(year__year=2025).exclude(level=""))
    earlier = MemberRating.objects.filter(year__year=2024, score__isnull=False).count()

    assert rated
    assert [r.pk for r in rated if r.score is None] == []
    assert [r.pk for r in rated if not SCORE_BANDS[r.level][0] <= r.score < SCORE_BANDS[r.level][1]] == []
    assert earlier == 0
