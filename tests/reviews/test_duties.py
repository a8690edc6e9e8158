"""A duty's state from hand dates: on time, late, overdue, not due yet."""

from datetime import date

from django.utils import timezone

from reviews import duties, selectors, services
from reviews.models import DutyKind, ReportingUnitKind, YearlyReview

from .conftest import YEAR


def _states(province, program, today):
    found = duties.review_duties(actor=province["board"], program=program, year=YEAR, today=today)
    return {duty.unit.code: (duty.due_on, duty.done_on, duty.state(today)) for duty in found}


def test_review_duty_states_with_hand_dates(province, program, units):
    board = province["board"]
    # Default due 15/12/2024 (the fixture); the party delegation has its own: 10/01/2025.
    services.due_date_set(
        actor=board, program=program, kind=DutyKind.REVIEW, year=YEAR, unit=units["HD"], due_on=date(2025, 1, 10)
    )
    on_time = services.review_start(actor=province["cadre_d1"], unit=units["D1"], year=YEAR)
    late = services.review_start(actor=board, unit=units["HD"], year=YEAR)
    tz = timezone.get_current_timezone()
    YearlyReview.objects.filter(pk=on_time.pk).update(
        status="SUBMITTED",
        submitted_by=board,
        submitted_at=timezone.make_aware(timezone.datetime(2024, 12, 15, 23), tz),
    )
    YearlyReview.objects.filter(pk=late.pk).update(
        status="SUBMITTED", submitted_by=board, submitted_at=timezone.make_aware(timezone.datetime(2025, 1, 11, 8), tz)
    )

    before = _states(province, program, date(2024, 12, 15))
    after = _states(province, program, date(2025, 2, 1))

    assert before["BC-D2"] == (date(2024, 12, 15), None, duties.NOT_DUE)  # the due day itself is not late
    assert after == {
        "BC-D1": (date(2024, 12, 15), date(2024, 12, 15), duties.DONE),
        "BC-D2": (date(2024, 12, 15), None, duties.OVERDUE),
        "BC-HD": (date(2025, 1, 10), date(2025, 1, 11), duties.DONE_LATE),
    }


def test_plan_duty_states_and_the_overview_filters(province, program, units):
    board = province["board"]
    services.due_date_set(actor=board, program=program, kind=DutyKind.PLAN, due_on=date(2021, 3, 31))
    services.plan_record(actor=board, unit=units["D1"], number="01-KH", issued_on=date(2021, 3, 31), title="T")
    services.plan_record(actor=board, unit=units["HD"], number="02-KH", issued_on=date(2021, 4, 2), title="T")
    review = services.review_start(actor=province["cadre_d1"], unit=units["D1"], year=YEAR)
    sent = timezone.make_aware(timezone.datetime(2024, 12, 1, 9), timezone.get_current_timezone())
    YearlyReview.objects.filter(pk=review.pk).update(status="SUBMITTED", submitted_by=board, submitted_at=sent)
    today = date(2025, 2, 1)

    states = {d.unit.code: d.state(today) for d in duties.plan_duties(actor=board, program=program, today=today)}

    no_plan = [
        row.unit.code for row in selectors.overview(actor=board, year=YEAR, only="chua-co-ke-hoach", today=today)
    ]
    late = [row.unit.code for row in selectors.overview(actor=board, year=YEAR, only="cham", today=today)]
    not_sent = [row.unit.code for row in selectors.overview(actor=board, year=YEAR, only="chua-gui", today=today)]

    assert states == {"BC-D1": duties.DONE, "BC-D2": duties.OVERDUE, "BC-HD": duties.DONE_LATE}
    assert no_plan == ["BC-D2"]
    # D1 sent both on time; D2: plan and review overdue; HD: plan late, review overdue since 15/12/2024.
    assert late == ["BC-D2", "BC-HD"]
    assert not_sent == ["BC-D2", "BC-HD"]


def test_a_unit_formed_after_the_plan_due_date_has_ninety_days_and_is_not_on_earlier_overviews(
    province, program, units
):
    board = province["board"]
    services.due_date_set(actor=board, program=program, kind=DutyKind.PLAN, due_on=date(2021, 3, 31))
    youth = services.reporting_unit_create(
        actor=board,
        program=program,
        code="BC-TD",
        name="Ban Thường vụ Tỉnh đoàn",
        kind=ReportingUnitKind.YOUTH_UNION,
        valid_from=date(2025, 7, 1),
    )
    # Formed 01/07/2025, after the program's 31/03/2021: its plan is due 90 days later, on 29/09/2025
    # (30 days of July after the 1st + 31 of August + 29 of September = 90).
    services.plan_record(actor=board, unit=youth, number="03-KH", issued_on=date(2025, 9, 29), title="T")
    today = date(2025, 12, 1)

    plans = {d.unit.code: d for d in duties.plan_duties(actor=board, program=program, today=today)}
    on_2024 = [row.unit.code for row in selectors.overview(actor=board, year=YEAR, today=today)]
    on_2025 = [row.unit.code for row in selectors.overview(actor=board, year=2025, today=today)]

    assert (plans["BC-TD"].due_on, plans["BC-TD"].state(today)) == (date(2025, 9, 29), duties.DONE)
    assert plans["BC-D1"].due_on == date(2021, 3, 31)
    assert on_2024 == ["BC-D1", "BC-D2", "BC-HD"]
    assert on_2025 == ["BC-D1", "BC-D2", "BC-HD", "BC-TD"]
