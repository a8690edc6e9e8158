"""The committee seats file (cap-uy): seats with their terms through the import pages, all or nothing, scoped,
and a re-import that changes nothing (an open seat given an end is ended)."""

from datetime import date

import pytest

from evaluations.models import ImportState
from members.models import CommitteeSeat, SeatRole
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook

COMMITTEE = "Cấp ủy của (mã tổ chức)"


@pytest.fixture
def people(tree):
    """An and Bình on G1's cells C1 and C2 since 2019; Em on G2 (another TCCSĐ, out of G1's cadre's reach)."""
    return {
        "an": make_member(tree["C1"], record_number="100001TN", full_name="Lê Văn An", admission_date=date(2019, 3, 2)),
        "binh": make_member(
            tree["C2"], record_number="100002TN", full_name="Trần Thị Bình", admission_date=date(2019, 4, 3)
        ),
        "em": make_member(tree["G2"], record_number="100003TN", full_name="Đỗ Văn Em", admission_date=date(2019, 1, 5)),
    }


def _row(record, org, role, start, end=""):
    return {"record_number": record, "organization_code": org, "role": role, "start": start, "end": end}


def _seats():
    return sorted(
        CommitteeSeat.objects.values_list("member__record_number", "organization__code", "role", "start", "end")
    )


def test_seats_clean_file_imports_with_terms_and_audit(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _row("100001TN", "G1", "Bí thư", "01/08/2020", "31/07/2025"),
        _row("100002TN", "C2", "Cấp ủy viên", date(2020, 8, 1)),
    ]

    job = upload(client, "cap-uy", workbook("cap-uy", rows))
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert CommitteeSeat.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert job.report["written"] == {"seats": 2, "seats_ended": 0}
    assert _seats() == [
        ("100001TN", "G1", SeatRole.SECRETARY, date(2020, 8, 1), date(2025, 7, 31)),
        ("100002TN", "C2", SeatRole.MEMBER, date(2020, 8, 1), None),
    ]
    history = CommitteeSeat.objects.get(member=people["an"]).history.get()
    assert (history.history_type, history.history_door, history.history_user) == ("+", "import", grassroots_cadre)


def test_seats_one_bad_row_writes_nothing_and_names_row_column_and_reason(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _row("100001TN", "G1", "Bí thư", "01/08/2020"),
        _row("100002TN", "C1", "Ủy viên", "01/08/2020", "31/12/2022"),  # Bình was never on C1's rolls
        _row("100002TN", "C2", "Ủy viên", "01/08/2020"),
    ]

    job = upload(client, "cap-uy", workbook("cap-uy", rows))
    confirmed = confirm(client, job)

    assert job.state == ImportState.REJECTED
    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            COMMITTEE,
            "Từ 01/08/2020 đến 31/12/2022, đảng viên không sinh hoạt tại Chi bộ khu phố 1 hay tổ chức trực thuộc nào "
            "của tổ chức này: chức danh trong cấp ủy phải là đảng viên của đảng bộ, chi bộ đó.",
        )
    ]
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert confirmed.state == ImportState.REJECTED
    assert CommitteeSeat.objects.count() == 0


def test_seats_rejections_by_their_rule(client, tree, people, root_user):
    client.force_login(root_user)
    rows = [
        _row("999999TN", "G1", "Bí thư", "01/08/2020"),
        _row("100001TN", "ZZ9", "Bí thư", "01/08/2020"),
        _row("100001TN", "D1", "Ủy viên", "01/08/2020"),  # D1 ended on 30/06/2025: the seat must end by then
        _row("100001TN", "G1", "Bí thư", "01/08/2020", "31/07/2020"),
        _row("100002TN", "G1", "Ủy viên", "01/08/2020"),
        _row("100002TN", "G1", "Phó Bí thư", "01/01/2023"),  # overlaps the row above
    ]

    errors = errors_of(upload(client, "cap-uy", workbook("cap-uy", rows)))

    assert errors == [
        (
            FIRST_ROW,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 999999TN trong phạm vi bạn phụ trách.",
        ),
        (
            FIRST_ROW + 1,
            COMMITTEE,
            "Không có tổ chức nào mang mã ZZ9 còn hiệu lực vào ngày 01/08/2020 trong phạm vi bạn phụ trách.",
        ),
        (
            FIRST_ROW + 2,
            "Đến ngày",
            "Tổ chức đã chấm dứt hoạt động ngày 30/06/2025: chức danh trong cấp ủy của tổ chức phải kết thúc chậm "
            "nhất vào ngày đó.",
        ),
        (FIRST_ROW + 3, "Đến ngày", "Ngày kết thúc không được trước ngày bắt đầu (01/08/2020)."),
        (
            FIRST_ROW + 5,
            "Nhiệm kỳ từ",
            "Chức danh này trùng thời gian với chức danh của cùng đảng viên trong cùng cấp ủy ở dòng 7 của tệp này.",
        ),
    ]


def test_seats_outside_the_actors_subtree_are_refused(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)

    job = upload(client, "cap-uy", workbook("cap-uy", [_row("100003TN", "G2", "Bí thư", "01/08/2020")]))

    assert errors_of(job) == [
        (
            FIRST_ROW,
            COMMITTEE,
            "Không có tổ chức nào mang mã G2 còn hiệu lực vào ngày 01/08/2020 trong phạm vi bạn phụ trách.",
        )
    ]


def test_seats_reimport_changes_nothing_and_an_end_ends_the_open_seat(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [_row("100001TN", "G1", "Bí thư", "01/08/2020"), _row("100002TN", "C2", "Ủy viên", "01/08/2020")]
    confirm(client, upload(client, "cap-uy", workbook("cap-uy", rows)))
    audit_rows = CommitteeSeat.history.count()

    again = confirm(client, upload(client, "cap-uy", workbook("cap-uy", rows)))
    audit_after_again = CommitteeSeat.history.count()
    rows[1]["end"] = "31/10/2025"
    ended = confirm(client, upload(client, "cap-uy", workbook("cap-uy", rows)))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert audit_after_again == audit_rows
    assert ended.report["counts"] == {"new": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert ended.report["written"] == {"seats": 0, "seats_ended": 1}
    assert _seats() == [
        ("100001TN", "G1", SeatRole.SECRETARY, date(2020, 8, 1), None),
        ("100002TN", "C2", SeatRole.MEMBER, date(2020, 8, 1), date(2025, 10, 31)),
    ]
    assert CommitteeSeat.objects.get(member=people["binh"]).history.latest().history_type == "~"


def test_seats_end_of_a_seat_already_ended_is_refused(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    confirm(
        client,
        upload(client, "cap-uy", workbook("cap-uy", [_row("100001TN", "G1", "Bí thư", "01/08/2020", "31/12/2024")])),
    )

    job = upload(client, "cap-uy", workbook("cap-uy", [_row("100001TN", "G1", "Bí thư", "01/08/2020", "31/07/2025")]))

    assert errors_of(job) == [
        (FIRST_ROW, "Đến ngày", "Bản ghi này đã có ngày kết thúc 31/12/2024: không thể kết thúc lại.")
    ]
