"""The discipline (ky-luat) and status period (trang-thai-sinh-hoat) files: each row through the service the pages
call, all or nothing, scoped, and a re-import that changes nothing."""

from datetime import date

import pytest

from evaluations.models import ImportState, RatingYear
from evaluations.services import year_close
from members.models import Discipline, DisciplineKind, StatusKind, StatusPeriod
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook


@pytest.fixture
def people(tree):
    """An (official since 2020) on C1, Nam (probationary until 10/09/2026) on C2, Em on G2 out of G1's reach."""
    return {
        "an": make_member(tree["C1"], record_number="100001TN", full_name="Lê Văn An", admission_date=date(2019, 3, 2)),
        "nam": make_member(
            tree["C2"], record_number="100002TN", full_name="Phạm Minh Nam", admission_date=date(2025, 9, 10)
        ),
        "em": make_member(tree["G2"], record_number="100003TN", full_name="Đỗ Văn Em", admission_date=date(2019, 1, 5)),
    }


def _discipline(record, kind, decided_on, reason=""):
    return {"record_number": record, "kind": kind, "decided_on": decided_on, "reason": reason}


def _status(record, kind, start, end="", host_code="", reason=""):
    return {"record_number": record, "kind": kind, "start": start, "end": end, "host_code": host_code, "reason": reason}


# --- discipline -------------------------------------------------------------------------------------------------


def test_discipline_clean_file_imports_through_the_service_with_audit(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _discipline("100001TN", "Cảnh cáo", "12/09/2025", "Vi phạm quy định"),
        _discipline("100002TN", "Khiển trách", date(2025, 11, 3)),
    ]

    job = upload(client, "ky-luat", workbook("ky-luat", rows))
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Discipline.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert sorted(Discipline.objects.values_list("member__record_number", "kind", "decided_on", "reason")) == [
        ("100001TN", DisciplineKind.WARNING, date(2025, 9, 12), "Vi phạm quy định"),
        ("100002TN", DisciplineKind.REPRIMAND, date(2025, 11, 3), ""),
    ]
    history = Discipline.objects.get(member=people["an"]).history.get()
    assert (history.history_door, history.history_user) == ("import", grassroots_cadre)


def test_discipline_one_bad_row_writes_nothing(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _discipline("100001TN", "Cảnh cáo", "12/09/2025"),
        _discipline("100002TN", "Khai trừ", "03/11/2025"),  # Nam is probationary
        _discipline("100003TN", "Khiển trách", "03/11/2025"),  # Em is out of G1's reach
    ]

    job = upload(client, "ky-luat", workbook("ky-luat", rows))
    confirmed = confirm(client, job)

    assert errors_of(job) == [
        (FIRST_ROW + 1, "Kỷ luật", "Đảng viên dự bị chỉ có thể bị khiển trách hoặc cảnh cáo."),
        (
            FIRST_ROW + 2,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 100003TN trong phạm vi bạn phụ trách.",
        ),
    ]
    assert confirmed.state == ImportState.REJECTED
    assert Discipline.objects.count() == 0


def test_discipline_reimport_changes_nothing_and_another_reason_is_refused(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    content = workbook("ky-luat", [_discipline("100001TN", "Cảnh cáo", "12/09/2025", "Vi phạm")])
    confirm(client, upload(client, "ky-luat", content))
    audit_rows = Discipline.history.count()

    again = confirm(client, upload(client, "ky-luat", content))
    other = upload(client, "ky-luat", workbook("ky-luat", [_discipline("100001TN", "Cảnh cáo", "12/09/2025", "Khác")]))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert (Discipline.objects.count(), Discipline.history.count()) == (1, audit_rows)
    assert errors_of(other) == [(FIRST_ROW, "Lý do", "Kỷ luật này đã được ghi với lý do khác: “Vi phạm”.")]


# --- status periods ---------------------------------------------------------------------------------------------


def test_status_clean_file_imports_and_a_reimport_with_an_end_ends_the_period(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _status("100001TN", "Sinh hoạt tạm thời nơi khác", "01/08/2025", host_code="g2", reason="Đi học"),
        _status("100002TN", "Miễn công tác và sinh hoạt đảng", "01/10/2025"),
    ]
    first = confirm(client, upload(client, "trang-thai-sinh-hoat", workbook("trang-thai-sinh-hoat", rows)))
    again = confirm(client, upload(client, "trang-thai-sinh-hoat", workbook("trang-thai-sinh-hoat", rows)))
    rows[1]["end"] = "30/11/2025"

    ended = confirm(client, upload(client, "trang-thai-sinh-hoat", workbook("trang-thai-sinh-hoat", rows)))

    assert first.report["counts"]["new"] == 2
    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert ended.report["counts"] == {"new": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert ended.report["written"] == {"added": 0, "changed": 1}
    periods = StatusPeriod.objects.order_by("member__record_number")
    assert [(p.kind, p.start, p.end, p.host_organization) for p in periods] == [
        (StatusKind.TEMPORARY_ELSEWHERE, date(2025, 8, 1), None, tree["G2"]),
        (StatusKind.EXEMPT, date(2025, 10, 1), date(2025, 11, 30), None),
    ]


def test_status_one_bad_row_writes_nothing(client, tree, people, root_user):
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))
    client.force_login(root_user)
    rows = [
        _status("100001TN", "Đình chỉ sinh hoạt đảng", "01/08/2025"),
        _status("100002TN", "Đình chỉ sinh hoạt đảng", "01/12/2025", end="01/11/2025"),
        _status("100003TN", "Miễn công tác và sinh hoạt đảng", "01/02/2024"),  # 2024 is closed
        _status("100003TN", "Sinh hoạt tạm thời nơi khác", "01/02/2025", host_code="ZZ9"),
    ]

    job = upload(client, "trang-thai-sinh-hoat", workbook("trang-thai-sinh-hoat", rows))
    confirmed = confirm(client, job)

    errors = errors_of(job)
    assert [error[:2] for error in errors] == [
        (FIRST_ROW + 1, "Đến ngày"),
        (FIRST_ROW + 2, "Từ ngày"),
        (FIRST_ROW + 3, "Mã tổ chức nơi sinh hoạt tạm thời"),
    ]
    assert errors[1] == (
        FIRST_ROW + 2,
        "Từ ngày",
        "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày 01/02/2024 sẽ làm thay đổi số liệu đã chốt của năm đó. "
        "Ban Tổ chức Tỉnh ủy phải mở lại năm trước.",
    )
    assert errors[2] == (FIRST_ROW + 3, "Mã tổ chức nơi sinh hoạt tạm thời", "Không có tổ chức đảng nào mang mã ZZ9.")
    assert errors[0][2] == "Ngày kết thúc không được trước ngày bắt đầu."
    assert confirmed.state == ImportState.REJECTED
    assert StatusPeriod.objects.count() == 0
