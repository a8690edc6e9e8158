"""The attendance file (du-sinh-hoat-chi-bo): committee members' attendance at cell meetings per quarter, all or
nothing, scoped, closed years locked; a re-import changes nothing, other numbers update the quarter with audit."""

from datetime import date

import pytest
from django.utils import timezone

from evaluations.models import ImportState, RatingYear
from evaluations.services import year_close
from members.models import CommitteeSeat, MeetingAttendance, SeatRole
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook

SLUG = "du-sinh-hoat-chi-bo"
CELL = "Mã chi bộ"
RECORD = "Số lý lịch đảng viên"


@pytest.fixture
def people(tree):
    """An on C1, a member of G1's committee since 2020 (above both cells); Bình on C2, on C2's own committee only
    (not above it); Em on G2."""
    an = make_member(tree["C1"], record_number="100001TN", full_name="Lê Văn An", admission_date=date(2019, 3, 2))
    binh = make_member(tree["C2"], record_number="100002TN", full_name="Trần Thị Bình", admission_date=date(2019, 4, 3))
    em = make_member(tree["G2"], record_number="100003TN", full_name="Đỗ Văn Em", admission_date=date(2019, 1, 5))
    CommitteeSeat.objects.create(member=an, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2020, 8, 1))
    CommitteeSeat.objects.create(member=binh, organization=tree["C2"], role=SeatRole.SECRETARY, start=date(2020, 8, 1))
    return {"an": an, "binh": binh, "em": em}


def _row(cell, year, quarter, record, held, attended):
    return {
        "organization_code": cell,
        "year": year,
        "quarter": quarter,
        "record_number": record,
        "meetings_held": held,
        "meetings_attended": attended,
    }


def _attendance():
    return sorted(
        MeetingAttendance.objects.values_list(
            "organization__code", "year", "quarter", "member__record_number", "meetings_held", "meetings_attended"
        )
    )


def test_attendance_clean_file_imports_with_audit(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _row("C1", 2025, 1, "100001TN", 3, 2),
        _row("C1", 2025, 2, "100001TN", 3, 3),
        _row("C2", "2025", "3", "100001TN", "4", "0"),  # numbers typed as text
    ]

    job = upload(client, SLUG, workbook(SLUG, rows))
    assert job.report["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert MeetingAttendance.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert job.report["written"] == {"attendance": 3, "attendance_changed": 0}
    assert _attendance() == [
        ("C1", 2025, 1, "100001TN", 3, 2),
        ("C1", 2025, 2, "100001TN", 3, 3),
        ("C2", 2025, 3, "100001TN", 4, 0),
    ]
    history = MeetingAttendance.objects.filter(quarter=1).get().history.get()
    assert (history.history_type, history.history_door, history.history_user) == ("+", "import", grassroots_cadre)


def test_attendance_rejections_by_their_rule_and_nothing_written(client, tree, people, root_user):
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))
    client.force_login(root_user)
    rows = [
        _row("C1", 2025, 1, "100001TN", 3, 2),  # valid
        _row("C1", 2025, 2, "100001TN", 2, 3),
        _row("C1", 2025, 5, "100001TN", 3, 3),
        _row("G1", 2025, 1, "100001TN", 3, 3),  # a grassroots committee, not a cell
        _row("C2", 2025, 1, "100002TN", 3, 3),  # Bình sits on C2's own committee, not above it
        _row("C1", 2025, 1, "999999TN", 3, 3),
        _row("C1", 2024, 4, "100001TN", 3, 3),  # 2024 is closed
        _row("C1", 2025, 1, "100001TN", 3, 1),  # the same cell, quarter and member as the first row
        _row("C1", 2025, "một", "100001TN", 3, 1),
    ]

    job = upload(client, SLUG, workbook(SLUG, rows))
    confirmed = confirm(client, job)

    assert errors_of(job) == [
        (FIRST_ROW + 1, "Số buổi dự", "Số buổi dự (3) nhiều hơn số buổi sinh hoạt (2)."),
        (FIRST_ROW + 2, "Quý", "“5” không phải số nguyên từ 1 đến 4."),
        (FIRST_ROW + 3, CELL, "G1 không phải chi bộ trực thuộc đảng ủy cơ sở."),
        (
            FIRST_ROW + 4,
            RECORD,
            "Không có đảng viên số lý lịch 100002TN là cấp ủy viên của tổ chức đảng cấp trên chi bộ C2 trong quý "
            "1/2025.",
        ),
        (
            FIRST_ROW + 5,
            RECORD,
            "Không có đảng viên số lý lịch 999999TN là cấp ủy viên của tổ chức đảng cấp trên chi bộ C1 trong quý "
            "1/2025.",
        ),
        (
            FIRST_ROW + 6,
            "Năm",
            "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày 31/12/2024 sẽ làm thay đổi số liệu đã chốt của năm đó. "
            "Ban Tổ chức Tỉnh ủy phải mở lại năm trước.",
        ),
        (FIRST_ROW + 7, RECORD, "Cùng chi bộ, quý và đảng viên đã có ở dòng 3 của tệp này."),
        (FIRST_ROW + 8, "Quý", "“một” không phải số nguyên từ 1 đến 4."),
    ]
    # 9 rows, only the first valid: nothing is written.
    assert job.report["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "rejected": 8}
    assert confirmed.state == ImportState.REJECTED
    assert MeetingAttendance.objects.count() == 0


def test_attendance_a_cell_outside_the_actors_subtree_is_refused(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)

    job = upload(client, SLUG, workbook(SLUG, [_row("G2", 2025, 1, "100003TN", 3, 3)]))

    assert errors_of(job) == [
        (
            FIRST_ROW,
            CELL,
            "Không có tổ chức nào mang mã G2 còn hiệu lực vào ngày 31/03/2025 trong phạm vi bạn phụ trách.",
        )
    ]


def test_attendance_a_quarter_not_begun_or_a_year_ahead_is_refused(client, tree, people, grassroots_cadre, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 5, 10))
    client.force_login(grassroots_cadre)
    rows = [
        _row("C1", 2025, 2, "100001TN", 3, 3),  # begun on 01/04/2025
        _row("C1", 2025, 3, "100001TN", 3, 3),
        _row("C1", 2026, 1, "100001TN", 3, 3),
    ]

    job = upload(client, SLUG, workbook(SLUG, rows))

    assert errors_of(job) == [
        (FIRST_ROW + 1, "Quý", "Quý 3/2025 chưa bắt đầu."),
        (FIRST_ROW + 2, "Năm", "2026 không phải một năm từ 1930 đến năm nay."),
    ]


def test_attendance_reimport_changes_nothing_and_other_numbers_update(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [_row("C1", 2025, 1, "100001TN", 3, 2), _row("C2", 2025, 1, "100001TN", 3, 3)]
    confirm(client, upload(client, SLUG, workbook(SLUG, rows)))
    audit_rows = MeetingAttendance.history.count()

    again = confirm(client, upload(client, SLUG, workbook(SLUG, rows)))
    audit_after_again = MeetingAttendance.history.count()
    rows[0]["meetings_attended"] = 3
    changed = confirm(client, upload(client, SLUG, workbook(SLUG, rows)))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert audit_after_again == audit_rows
    assert changed.report["counts"] == {"new": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert changed.report["written"] == {"attendance": 0, "attendance_changed": 1}
    assert changed.report["rows"][0][4] == "Số buổi dự: 2 → 3"
    assert _attendance() == [("C1", 2025, 1, "100001TN", 3, 3), ("C2", 2025, 1, "100001TN", 3, 3)]
    record = MeetingAttendance.objects.get(organization=tree["C1"])
    assert [h.history_type for h in record.history.order_by("history_id")] == ["+", "~"]
