"""The reminder rules of reviews.reminders, each with "today" set by hand, and the beat task run twice."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail

from evaluations.models import RatingYear, Submission, SubmissionState
from notifications.models import Kind, Notification, OptOut
from reviews import reminders
from reviews.models import DueDate, DutyKind, ReportingUnit, ReportingUnitKind, ReviewStatus, YearlyReview
from reviews.tasks import send_reminders_task

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


def _keys(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "event_key"))


def _review(unit, author, *, status, submitted=None, decided=None, reason=""):
    return YearlyReview.objects.create(
        unit=unit,
        year=2025,
        status=status,
        created_by=author,
        created_at=_at(date(2026, 1, 5)),
        updated_at=_at(date(2026, 1, 5)),
        submitted_by=author if submitted else None,
        submitted_at=_at(submitted) if submitted else None,
        decided_by=author if decided else None,
        decided_at=_at(decided) if decided else None,
        return_reason=reason,
    )


def _submitted(organization, user, day):
    return Submission.objects.create(
        organization=organization,
        year=RatingYear.objects.get(year=2025),
        state=SubmissionState.SUBMITTED,
        submitted_at=_at(day),
        submitted_by=user,
    )


def test_reminders_are_sent_once_per_event_even_when_beat_runs_twice(cycle, django_capture_on_commit_callbacks):
    users = cycle["users"]
    # 24/01/2026: the 2025 reviews of X1 and X2 are due in 7 days (31/01); G1 has not sent its 2025 ratings (due
    # 20/01); G2 sent them on 10/01 and they wait 14 days for X1's approval.
    _submitted(cycle["orgs"]["G2"], users["g2"], date(2026, 1, 10))

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders_task.run(today="2026-01-24")
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders_task.run(today="2026-01-24")

    # Counted by hand: X1's cadre 2 (review due, approval waiting), X2's cadre 1 (review due), G1's cadre 1.
    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4
    assert sorted(message.to[0] for message in mail.outbox) == [
        "cadre_g1@example.vn",
        "cadre_x1@example.vn",
        "cadre_x1@example.vn",
        "cadre_x2@example.vn",
    ]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_review_due_in_7_then_1_days_is_reminded_once_for_each(cycle):
    x1 = cycle["users"]["x1"]
    unit = cycle["units"]["X1"].pk

    created = [reminders.duty_reminders(today=day) for day in (date(2026, 1, 23), date(2026, 1, 24))]
    created += [reminders.duty_reminders(today=day) for day in (date(2026, 1, 27), date(2026, 1, 30))]

    # 23/01: 8 days left, nothing; 24/01: 7 days, X1 and X2; 27/01: 4 days, already told; 30/01: 1 day, X1 and X2.
    assert created == [0, 2, 0, 2]
    assert _keys(x1) == [
        (Kind.DUE_SOON, f"due:review:{unit}:2025:1"),
        (Kind.DUE_SOON, f"due:review:{unit}:2025:7"),
    ]
    assert Notification.objects.get(recipient=x1, event_key__endswith=":7").title == (
        "Hạn ngày 31/01/2026: báo cáo sơ kết năm 2025 của Đảng bộ phường Trung Tâm"
    )


def test_an_overdue_review_is_reminded_once_and_a_sent_one_not_at_all(cycle):
    users = cycle["users"]
    _review(cycle["units"]["X2"], users["x2"], status=ReviewStatus.SUBMITTED, submitted=date(2026, 1, 30))

    reminders.duty_reminders(today=date(2026, 2, 1))
    reminders.duty_reminders(today=date(2026, 2, 9))

    assert _keys(users["x1"]) == [(Kind.OVERDUE, f"overdue:review:{cycle['units']['X1'].pk}:2025")]
    assert _keys(users["x2"]) == []


def test_a_plan_due_then_overdue(cycle):
    x1 = cycle["users"]["x1"]
    unit = cycle["units"]["X1"]
    ReportingUnit.objects.filter(pk=unit.pk).update(owes_plan=True)
    DueDate.objects.create(program=cycle["program"], kind=DutyKind.PLAN, unit=unit, due_on=date(2025, 9, 30))

    reminders.duty_reminders(today=date(2025, 9, 29))
    reminders.duty_reminders(today=date(2025, 10, 1))
    reminders.duty_reminders(today=date(2025, 10, 2))

    assert _keys(x1) == [
        (Kind.DUE_SOON, f"due:plan:{unit.pk}:-:1"),
        (Kind.OVERDUE, f"overdue:plan:{unit.pk}:-"),
    ]


def test_a_review_returned_twice_and_received_is_announced_for_each_decision(cycle):
    users = cycle["users"]
    review = _review(
        cycle["units"]["X1"],
        users["x1"],
        status=ReviewStatus.RETURNED,
        submitted=date(2026, 1, 28),
        decided=date(2026, 2, 3),
        reason="Thiếu số liệu chi bộ",
    )

    reminders.duty_reminders(today=date(2026, 2, 4))
    reminders.duty_reminders(today=date(2026, 2, 5))
    YearlyReview.objects.filter(pk=review.pk).update(decided_at=_at(date(2026, 2, 10)), return_reason="Còn thiếu")
    reminders.duty_reminders(today=date(2026, 2, 11))
    YearlyReview.objects.filter(pk=review.pk).update(status=ReviewStatus.RECEIVED, decided_at=_at(date(2026, 2, 12)))
    reminders.duty_reminders(today=date(2026, 2, 12))

    kinds = list(Notification.objects.filter(recipient=users["x1"]).order_by("pk").values_list("kind", flat=True))
    assert kinds == [Kind.RETURNED, Kind.RETURNED, Kind.RECEIVED]
    first = Notification.objects.filter(recipient=users["x1"]).order_by("pk").first()
    assert "Thiếu số liệu chi bộ" in first.body
    assert _keys(users["board"]) == []


def test_a_decision_older_than_a_week_is_not_announced(cycle):
    x1 = cycle["users"]["x1"]
    _review(
        cycle["units"]["X1"], x1, status=ReviewStatus.RECEIVED, submitted=date(2026, 1, 20), decided=date(2026, 1, 25)
    )

    reminders.duty_reminders(today=date(2026, 2, 2))

    # Decided 8 days before "today" (REMINDER_DECISION_DAYS = 7).
    assert _keys(x1) == []


def test_ratings_not_sent_after_20_january_remind_the_tccsd_cadres_only(cycle):
    users, orgs = cycle["users"], cycle["orgs"]

    on_due_day = reminders.ratings_late_reminders(today=date(2026, 1, 20))
    after = reminders.ratings_late_reminders(today=date(2026, 1, 21))
    again = reminders.ratings_late_reminders(today=date(2026, 1, 22))

    assert (on_due_day, after, again) == (0, 2, 0)
    assert _keys(users["g1"]) == [(Kind.RATINGS_LATE, f"ratings-late:2025:{orgs['G1'].pk}")]
    assert _keys(users["g2"]) == [(Kind.RATINGS_LATE, f"ratings-late:2025:{orgs['G2'].pk}")]
    assert [_keys(users[name]) for name in ("x1", "x2", "board", "steering", "d1")] == [[]] * 5


def test_ratings_waiting_more_than_7_days_remind_the_approvers_of_the_level_above(cycle):
    users, orgs = cycle["users"], cycle["orgs"]
    submission = _submitted(orgs["G2"], users["g2"], date(2026, 1, 10))

    seven_days = reminders.approval_reminders(today=date(2026, 1, 17))
    eight_days = reminders.approval_reminders(today=date(2026, 1, 18))

    assert (seven_days, eight_days) == (0, 1)
    key = f"approval-waiting:{submission.pk}:{_at(date(2026, 1, 10)).isoformat()}"
    assert _keys(users["x1"]) == [(Kind.APPROVAL_WAITING, key)]
    assert [_keys(users[name]) for name in ("x2", "g2", "board", "d1")] == [[]] * 4


def test_recipients_hold_a_role_in_force_directly_on_the_unit_it_reports_through(cycle):
    users, orgs = cycle["users"], cycle["orgs"]
    delegation = ReportingUnit.objects.create(
        program=cycle["program"],
        code="DD-UBND",
        name="Ban cán sự đảng UBND tỉnh",
        kind=ReportingUnitKind.PARTY_AFFAIRS,
        parent=orgs["P"],
        owes_plan=False,
        valid_from=date(2020, 1, 1),
    )
    DueDate.objects.create(
        program=cycle["program"], kind=DutyKind.REVIEW, year=2025, unit=delegation, due_on=date(2026, 1, 10)
    )

    reminders.duty_reminders(today=date(2026, 1, 24))

    # The unit outside the tree reports through the province: the Board (a write role there) is told it is overdue;
    # the Steering Committee holds no write role. The Board is not told of X1's or X2's review (an ancestor's role).
    assert _keys(users["board"]) == [(Kind.OVERDUE, f"overdue:review:{delegation.pk}:2025")]
    assert _keys(users["steering"]) == []
    assert [key for _kind, key in _keys(users["x1"])] == [f"due:review:{cycle['units']['X1'].pk}:2025:7"]


def test_a_user_who_turned_a_kind_off_gets_nothing_and_one_who_turned_email_off_no_mail(
    cycle, django_capture_on_commit_callbacks
):
    users = cycle["users"]
    OptOut.objects.create(user=users["x1"], kind=Kind.DUE_SOON, delivery="OFF")
    OptOut.objects.create(user=users["x2"], kind=Kind.DUE_SOON, delivery="NO_EMAIL")

    with django_capture_on_commit_callbacks(execute=True):
        reminders.duty_reminders(today=date(2026, 1, 24))

    assert _keys(users["x1"]) == []
    assert len(_keys(users["x2"])) == 1
    assert mail.outbox == []


def test_the_approval_wait_comes_from_the_settings(cycle, settings):
    settings.APPROVAL_WAIT_DAYS = 3
    _submitted(cycle["orgs"]["G2"], cycle["users"]["g2"], date(2026, 1, 10))

    assert reminders.approval_reminders(today=date(2026, 1, 13)) == 0
    assert reminders.approval_reminders(today=date(2026, 1, 14)) == 1
