"""Cells as spreadsheets really hold them: Excel serial dates, over-long text, and refusals that name no one outside
the actor's part of the tree."""

from datetime import date

import pytest

from evaluations.models import ImportState
from members.models import Member
from organizations.models import Organization
from organizations.resources import DayWidget
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook


def _member_row(record, name, **extra):
    return {
        "record_number": record,
        "full_name": name,
        "gender": "Nam",
        "date_of_birth": date(1990, 4, 12),
        "organization_code": "C1",
        "admission_date": date(2019, 5, 19),
        **extra,
    }


@pytest.mark.parametrize("value", [32874, 32874.0, "32874", "32874.0", " 32874.0 "])
def test_an_excel_serial_number_is_a_date(value):
    assert DayWidget().clean(value) == date(1990, 1, 1)


@pytest.mark.parametrize("value", ["2020", 2020, 0, "-5", "1e9", True])
def test_a_year_or_a_number_out_of_range_is_not_a_date(value):
    with pytest.raises(ValueError, match="không phải là ngày"):
        DayWidget().clean(value)


def test_serial_dates_in_a_members_file_are_read_as_dates(client, tree, root_user):
    client.force_login(root_user)
    # 43604 is 19/05/2019: 43466 is 01/01/2019, and 19 May is 138 days later.
    row = _member_row("100001TN", "Nguyễn Văn An", date_of_birth="32874.0", admission_date="43604")

    job = upload(client, "dang-vien", workbook("dang-vien", [row]))

    assert job.state == ImportState.READY, job.report
    assert job.report["rows"][0][4].startswith("Kết nạp 19/05/2019 · C1")


def test_a_50000_character_name_is_a_row_and_column_refusal(client, tree, root_user):
    client.force_login(root_user)
    long_name = "Đ" * 50_000
    organization = {
        "code": "C13",
        "name": long_name,
        "kind": "Chi bộ trực thuộc",
        "parent_code": "G1",
        "valid_from": "01/03/2020",
    }

    organizations = upload(client, "to-chuc", workbook("to-chuc", [organization]))
    members = upload(client, "dang-vien", workbook("dang-vien", [_member_row("100001TN", long_name)]))

    assert errors_of(organizations) == [(FIRST_ROW, "Tên tổ chức", "Tối đa 255 ký tự.")]
    assert errors_of(members) == [(FIRST_ROW, "Họ và tên", "Tối đa 128 ký tự.")]
    assert (organizations.state, members.state) == (ImportState.REJECTED, ImportState.REJECTED)
    assert not Organization.objects.filter(code="C13").exists()
    assert not Member.objects.exists()


def test_invisible_characters_in_a_name_are_refused_and_decomposed_names_stored_composed(client, tree, root_user):
    client.force_login(root_user)
    # "Nguyễn" typed decomposed: e, combining circumflex (U+0302), combining tilde (U+0303).
    decomposed = "Nguye\u0302\u0303n Văn An"
    hidden = "Trần\u202eThị Bình"

    refused = upload(client, "dang-vien", workbook("dang-vien", [_member_row("100002TN", hidden)]))
    kept = upload(client, "dang-vien", workbook("dang-vien", [_member_row("100001TN", decomposed)]))
    confirm(client, kept)

    assert errors_of(refused) == [
        (
            FIRST_ROW,
            "Họ và tên",
            "Họ và tên có ký tự điều khiển hoặc ký tự ẩn (U+202E) ở vị trí 5: hãy gõ lại mà không có ký tự đó.",
        )
    ]
    assert not Member.objects.filter(record_number="100002TN").exists()
    assert Member.objects.get(record_number="100001TN").full_name == "Nguy\u1ec5n Văn An"


def test_a_card_of_a_member_elsewhere_is_refused_without_saying_whose(client, tree, grassroots_cadre):
    foreign = make_member(tree["G2"], admission_date=date(2019, 3, 2), card_number="52999999")
    client.force_login(grassroots_cadre)
    new = _member_row("300001TN", "Nguyễn Văn An", card_number="52999999", admission_date=date(2019, 3, 2))
    # Without a record number a row is matched on its card: the preview must not show the other's record number.
    matched = _member_row("", "Ai Đó", card_number="52999999", admission_date=date(2019, 3, 2))

    first = upload(client, "dang-vien", workbook("dang-vien", [new]))
    second = upload(client, "dang-vien", workbook("dang-vien", [matched]))

    assert errors_of(first) == [
        (FIRST_ROW, "Số thẻ đảng viên", "Số thẻ đảng viên 52999999 đã được dùng cho một đảng viên khác.")
    ]
    assert errors_of(second) == [(FIRST_ROW, "Số lý lịch đảng viên", "Tổ chức này nằm ngoài phạm vi bạn phụ trách.")]
    for job in (first, second):
        assert foreign.record_number not in str(job.report)
        assert foreign.full_name not in str(job.report)
