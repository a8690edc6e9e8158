"""Members' dated facts and the closed rating years (party_portal.closed_years, answered by evaluations).

With 2024 closed and 2025 open, a fact is refused when it counts at 31/12/2024: a movement, an admission or a
theory level dated 2024 or before (each counts at every year end after it), a status period or a seat that
spans 31/12/2024, a discipline decided in 2024 (it weighs on its own year's rating only).
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.models import RatingYear, YearReopening, YearState
from evaluations.services import year_close, year_reopen
from members import services
from members.models import DisciplineKind, MovementKind, SeatRole, StatusKind, TheoryLevel
from tests.factories import make_member


@pytest.fixture
def closed_2024(tree, root_user):
    return year_close(actor=root_user, year=RatingYear.objects.get(year=2024))


@pytest.fixture
def an(tree):
    return make_member(tree["C1"], admission_date=date(2019, 3, 2), full_name="Lê Văn An")


def _write(kind, tree, actor, member, day, end=None):
    if kind == "movement":
        return services.movement_record(
            actor=actor, member=member, kind=MovementKind.DECEASED, date=day, organization=tree["C1"]
        )
    if kind == "admission":
        return make_member(tree["C1"], admission_date=day, actor=actor)
    if kind == "status":
        return services.status_period_add(actor=actor, member=member, kind=StatusKind.EXEMPT, start=day, end=end)
    if kind == "theory":
        return services.theory_level_add(actor=actor, member=member, level=TheoryLevel.ADVANCED, obtained_on=day)
    if kind == "discipline":
        return services.discipline_add(actor=actor, member=member, kind=DisciplineKind.WARNING, decided_on=day)
    return services.committee_seat_add(
        actor=actor, member=member, organization=tree["G1"], role=SeatRole.MEMBER, start=day, end=end
    )


@pytest.mark.parametrize(
    ("kind", "day", "end", "field", "refused"),
    [
        ("movement", date(2024, 11, 5), None, "date", True),
        ("movement", date(2023, 3, 1), None, "date", True),  # a death in 2023 takes the member off 2024's rolls
        ("movement", date(2025, 2, 3), None, "date", False),
        ("admission", date(2024, 3, 2), None, "admission_date", True),
        ("admission", date(2025, 3, 2), None, "admission_date", False),
        ("status", date(2024, 2, 1), date(2024, 5, 31), "start", True),
        ("status", date(2023, 2, 1), date(2023, 12, 31), "start", False),  # ends before 2024
        ("status", date(2025, 2, 1), None, "start", False),
        ("theory", date(2024, 6, 1), None, "obtained_on", True),
        ("theory", date(2025, 6, 1), None, "obtained_on", False),
        ("discipline", date(2024, 4, 1), None, "decided_on", True),
        ("discipline", date(2023, 4, 1), None, "decided_on", False),  # weighs on 2023 only, which is open
        ("seat", date(2023, 8, 1), None, "start", True),  # open-ended: it sits through 31/12/2024
        ("seat", date(2025, 8, 1), None, "start", False),
    ],
)
def test_a_fact_counting_in_a_closed_year_is_refused(tree, root_user, an, closed_2024, kind, day, end, field, refused):
    if not refused:
        assert _write(kind, tree, root_user, an, day, end) is not None
        return
    with pytest.raises(ValidationError) as error:
        _write(kind, tree, root_user, an, day, end)

    assert error.value.message_dict[field] == [
        "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày "
        f"{day:%d/%m/%Y} sẽ làm thay đổi số liệu đã chốt của năm đó. Ban Tổ chức Tỉnh ủy phải mở lại năm trước."
    ]
    # Nothing was written: An still has only the admission, no status, level, discipline or seat.
    assert an.events.count() == 1
    assert (an.status_periods.count(), an.theory_levels.count(), an.disciplines.count()) == (0, 0, 0)
    assert an.committee_seats.count() == 0


def test_the_board_reopens_a_year_with_a_reason_and_the_fact_is_accepted(tree, root_user, board_user, an, closed_2024):
    with pytest.raises(ValidationError):
        services.movement_record(
            actor=root_user, member=an, kind=MovementKind.DECEASED, date=date(2024, 11, 5), organization=tree["C1"]
        )
    with pytest.raises(ValidationError) as no_reason:
        year_reopen(actor=board_user, year=closed_2024, reason="  ")

    year_reopen(actor=board_user, year=closed_2024, reason="Báo tử muộn của chi bộ khu phố 1")
    event = services.movement_record(
        actor=root_user, member=an, kind=MovementKind.DECEASED, date=date(2024, 11, 5), organization=tree["C1"]
    )

    closed_2024.refresh_from_db()
    reopening = YearReopening.objects.get()
    assert "reason" in no_reason.value.message_dict
    assert (closed_2024.state, closed_2024.closed_at, closed_2024.closed_by) == (YearState.OPEN, None, None)
    assert (reopening.year, reopening.by, reopening.reason) == (
        closed_2024,
        board_user,
        "Báo tử muộn của chi bộ khu phố 1",
    )
    assert closed_2024.history.latest().history_change_reason == "Báo tử muộn của chi bộ khu phố 1"
    assert event.date == date(2024, 11, 5)


def test_only_the_board_reopens_a_year(tree, grassroots_cadre, steering_user, closed_2024):
    for actor in (grassroots_cadre, steering_user):
        with pytest.raises(PermissionDenied):
            year_reopen(actor=actor, year=closed_2024, reason="Sửa số liệu")

    closed_2024.refresh_from_db()
    assert closed_2024.state == YearState.CLOSED
    assert not YearReopening.objects.exists()


def test_an_open_ended_seat_on_an_organization_that_ended_is_refused(tree, root_user, an):
    with pytest.raises(ValidationError) as open_ended:
        services.committee_seat_add(
            actor=root_user, member=an, organization=tree["D1"], role=SeatRole.MEMBER, start=date(2025, 3, 1)
        )
    seat = services.committee_seat_add(
        actor=root_user,
        member=an,
        organization=tree["D1"],
        role=SeatRole.MEMBER,
        start=date(2025, 3, 1),
        end=date(2025, 6, 30),
    )

    assert open_ended.value.message_dict["end"] == [
        "Tổ chức đã chấm dứt hoạt động ngày 30/06/2025: chức danh trong cấp ủy của tổ chức phải kết thúc chậm nhất "
        "vào ngày đó."
    ]
    assert list(an.committee_seats.all()) == [seat]


def test_an_open_ended_seat_granted_by_a_role_whose_organization_ended_is_refused(tree, district_cadre, an):
    with pytest.raises(PermissionDenied):
        services.committee_seat_add(
            actor=district_cadre, member=an, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2025, 3, 1)
        )

    assert an.committee_seats.count() == 0
