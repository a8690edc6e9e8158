"""The movements file (chuyen-sinh-hoat): every movement of Biểu 1, all or nothing, idempotent, scoped."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import ImportState
from members.imports.movement_resource import MovementResource
from members.models import Member, Membership, MovementEvent, MovementKind
from members.services import movement_record
from organizations.models import OrgKind, RoleKind
from party_portal.imports.workbook import template_workbook
from tests.conftest import REFORM_DAY
from tests.factories import UserFactory, give_role, make_member, make_org

from .conftest import FIRST_ROW, confirm, errors_of, openpyxl_book, upload

SLUG = "chuyen-sinh-hoat"
ADMITTED = date(2020, 3, 2)


def _file(rows):
    return template_workbook(MovementResource, title="test", rows=rows)


@pytest.fixture
def province(tree, root_user):
    """X2, a second commune-level committee since the reform, with its cell G3; Bình at C1, Hoa at C2, Lan at G2
    (who withdrew on 01/03/2025)."""
    x2 = make_org("X2", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=REFORM_DAY)
    make_org("G3", OrgKind.GRASSROOTS_CELL, parent=x2, valid_from=REFORM_DAY)
    people = {
        "binh": make_member(tree["C1"], admission_date=ADMITTED, full_name="Nguyễn Văn Bình", record_number="100001TN"),
        "hoa": make_member(tree["C2"], admission_date=ADMITTED, full_name="Trần Thị Hoa", record_number="100002TN"),
        "lan": make_member(tree["G2"], admission_date=ADMITTED, full_name="Lê Thị Lan", record_number="100003TN"),
    }
    movement_record(
        actor=root_user,
        member=people["lan"],
        kind=MovementKind.WITHDRAWN,
        date=date(2025, 3, 1),
        organization=tree["G2"],
    )
    return people


def _rows():
    return [
        {"record_number": "100001TN", "movement": "Chuyển sinh hoạt trong tỉnh", "date": "01/09/2025",
         "organization_code": "G3", "note": "Chuyển công tác"},
        {"record_number": "100002TN", "movement": "Từ trần", "date": "15/10/2025"},
        {"record_number": "100003TN", "movement": "Kết nạp lại", "date": "02/11/2025", "organization_code": "G2"},
        {"record_number": "246810HN", "movement": "Chuyển đến (ngoài tỉnh)", "date": "20/08/2025",
         "organization_code": "C2", "full_name": "Đặng Thị Thu", "gender": "Nữ", "date_of_birth": "12/08/1980",
         "admission_date": "19/05/2008", "note": "Từ tỉnh Nam Định"},
        {"record_number": "246810HN", "movement": "Chuyển đi (ngoài tỉnh)", "date": "01/12/2025"},
    ]  # fmt: skip


def _events(record_number):
    return list(
        MovementEvent.objects.filter(member__record_number=record_number)
        .order_by("date", "pk")
        .values_list("kind", "organization__code", "date", "transfer_scope")
    )


def test_movements_clean_file_writes_every_movement_and_the_rolls(client, tree, province, board_user):
    client.force_login(board_user)

    job = upload(client, SLUG, _file(_rows()))
    assert job.state == ImportState.READY
    assert job.report["counts"] == {"new": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    assert MovementEvent.objects.count() == 4  # three admissions and Lan's withdrawal
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert _events("100001TN")[1:] == [
        ("TRANSFER_OUT", "C1", date(2025, 9, 1), "WITHIN"),
        ("TRANSFER_IN", "G3", date(2025, 9, 1), "WITHIN"),
    ]
    assert _events("100002TN")[1:] == [("DECEASED", "C2", date(2025, 10, 15), "")]
    assert _events("100003TN")[-1] == ("READMITTED", "G2", date(2025, 11, 2), "")
    assert Member.objects.get(record_number="100003TN").admission_date == date(2025, 11, 2)
    thu = Member.objects.get(record_number="246810HN")
    assert (thu.full_name, thu.gender, thu.admission_date) == ("Đặng Thị Thu", "F", date(2008, 5, 19))
    assert _events("246810HN") == [
        ("TRANSFER_IN", "C2", date(2025, 8, 20), "OUTSIDE"),
        ("TRANSFER_OUT", "C2", date(2025, 12, 1), "OUTSIDE"),
    ]
    stints = Membership.objects.order_by("member__record_number", "start")
    assert list(stints.values_list("member__record_number", "organization__code", "start", "end")) == [
        ("100001TN", "C1", ADMITTED, date(2025, 9, 1)),
        ("100001TN", "G3", date(2025, 9, 1), None),
        ("100002TN", "C2", ADMITTED, date(2025, 10, 15)),
        ("100003TN", "G2", ADMITTED, date(2025, 3, 1)),
        ("100003TN", "G2", date(2025, 11, 2), None),
        ("246810HN", "C2", date(2025, 8, 20), date(2025, 12, 1)),
    ]
    assert job.report["written"] == {"members": 1, "movements": 6, "admission_dates": 1, "memberships": 6}
    event = MovementEvent.objects.get(member=thu, kind="TRANSFER_IN")
    assert event.note == "Từ tỉnh Nam Định"
    history = event.history.get()
    assert (history.history_door, history.history_user) == ("import", board_user)
    assert thu.history.get().history_door == "import"


def test_movements_reimport_changes_nothing(client, tree, province, board_user):
    client.force_login(board_user)
    confirm(client, upload(client, SLUG, _file(_rows())))
    events, audit = MovementEvent.objects.count(), MovementEvent.history.count()

    again = upload(client, SLUG, _file(_rows()))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    confirm(client, again)
    assert (MovementEvent.objects.count(), MovementEvent.history.count()) == (events, audit)
    assert Member.objects.count() == 4


def test_movements_one_bad_row_writes_nothing_and_names_row_column_and_reason(client, tree, province, board_user):
    client.force_login(board_user)
    rows = _rows()
    rows[1] = {"record_number": "100002TN", "movement": "Từ trần", "date": "15/10/2099"}
    rows.append({"record_number": "999999TN", "movement": "Khai trừ", "date": "01/10/2025"})
    rows.append({"record_number": "100001TN", "movement": "Xóa tên", "date": "01/08/2025", "organization_code": "C2"})

    job = upload(client, SLUG, _file(rows))

    assert job.state == ImportState.REJECTED
    assert job.report["counts"] == {"new": 4, "updated": 0, "unchanged": 0, "rejected": 3}
    assert confirm(client, job).state == ImportState.REJECTED
    assert errors_of(job) == [
        (FIRST_ROW + 1, "Ngày", "Ngày không được sau ngày hôm nay."),
        (FIRST_ROW + 5, "Số lý lịch đảng viên",
         "Không có đảng viên nào mang số lý lịch 999999TN trong phạm vi bạn phụ trách."),
        (FIRST_ROW + 6, "Ngày", "Ngày 01/08/2025 đảng viên sinh hoạt ở tổ chức đảng khác với tổ chức đã nêu."),
    ]  # fmt: skip
    assert MovementEvent.objects.count() == 4
    assert Member.objects.count() == 3


def test_movements_district_cadre_cannot_move_a_member_into_another_district(client, tree, province, ward_cadre):
    client.force_login(ward_cadre)
    rows = [{"record_number": "100001TN", "movement": "Chuyển sinh hoạt trong tỉnh", "date": "01/09/2025",
             "organization_code": "G3"}]  # fmt: skip

    job = upload(client, SLUG, _file(rows))

    assert errors_of(job) == [
        (
            FIRST_ROW,
            "Mã tổ chức",
            "Không có tổ chức nào mang mã G3 còn hiệu lực vào ngày 01/09/2025 trong phạm vi bạn phụ trách.",
        )
    ]
    assert MovementEvent.objects.count() == 4


def test_movements_check_runs_a_constant_number_of_queries(client, tree, province, board_user):
    client.force_login(board_user)
    people = [make_member(tree["C1"], admission_date=ADMITTED) for _ in range(30)]

    def rows(members):
        return [{"record_number": m.record_number, "movement": "Từ trần", "date": "01/10/2025"} for m in members]

    with CaptureQueriesContext(connection) as few:
        upload(client, SLUG, _file(rows(people[:3])))
    with CaptureQueriesContext(connection) as many:
        upload(client, SLUG, _file(rows(people)))

    assert len(many) == len(few)


def test_movements_template_offers_the_movements_by_their_vietnamese_names(client, tree, board_user):
    client.force_login(board_user)

    book = openpyxl_book(client.get(reverse("imports:template", args=[SLUG])).content)

    headers = [cell.value for cell in book["Dữ liệu"][1]]
    assert headers[:5] == ["STT", "Số lý lịch đảng viên *", "Biến động *", "Ngày *", "Mã tổ chức"]
    lists = [cell.value for column in book["Danh mục"].columns for cell in column if cell.value]
    assert {
        "Chuyển đến (ngoài tỉnh)",
        "Chuyển đi (ngoài tỉnh)",
        "Chuyển sinh hoạt trong tỉnh",
        "Từ trần",
        "Khai trừ",
        "Xóa tên",
        "Xin ra khỏi Đảng",
        "Kết nạp lại",
    } <= set(lists)


def test_movements_member_outside_the_subtree_is_not_revealed(client, tree, province):
    cadre = UserFactory(username="cadre_g2")
    give_role(cadre, tree["G2"], RoleKind.GRASSROOTS_CADRE)
    client.force_login(cadre)

    job = upload(client, SLUG, _file([{"record_number": "100001TN", "movement": "Từ trần", "date": "01/10/2025"}]))

    assert errors_of(job) == [
        (
            FIRST_ROW,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 100001TN trong phạm vi bạn phụ trách.",
        )
    ]
    assert "Bình" not in json.dumps(job.report, ensure_ascii=False)
