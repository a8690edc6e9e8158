"""The government and community posts file (chuc-vu-chinh-quyen): posts with their dates through the import pages,
all or nothing, scoped, closed years locked, and a re-import that changes nothing (an open post given an end is
ended)."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations.models import ImportState, RatingYear
from evaluations.services import year_close
from members.models import Code, GovernmentPost
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook

SLUG = "chuc-vu-chinh-quyen"
ORGANIZATION = "Mã tổ chức đảng"


@pytest.fixture
def people(tree):
    """An on cell C1 and Bình on cell C2 of G1 since 2019; Em on G2 (another TCCSĐ, out of G1's cadre's reach)."""
    return {
        "an": make_member(tree["C1"], record_number="100001TN", full_name="Lê Văn An", admission_date=date(2019, 3, 2)),
        "binh": make_member(
            tree["C2"], record_number="100002TN", full_name="Trần Thị Bình", admission_date=date(2019, 4, 3)
        ),
        "em": make_member(tree["G2"], record_number="100003TN", full_name="Đỗ Văn Em", admission_date=date(2019, 1, 5)),
    }


def _row(record, post, org, start, end="", place=""):
    return {"record_number": record, "kind": post, "organization_code": org, "place": place, "start": start, "end": end}


def _posts():
    return sorted(
        GovernmentPost.objects.values_list(
            "member__record_number", "kind__code", "organization__code", "place", "start", "end"
        )
    )


def test_posts_clean_file_imports_with_dates_and_audit(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _row("100001TN", "Chủ tịch Hội đồng nhân dân cấp xã", "G1", "01/07/2021", "30/06/2026", place="Phường Bắc"),
        _row("100002TN", "truong thon, ban, ap", "C2", date(2022, 1, 15), place="Khu phố 2"),  # folded name
        _row("100002TN", "PCT_UBND_XA", "G1", "01/07/2021", "31/12/2023"),  # another post of Bình: no overlap rule
    ]

    job = upload(client, SLUG, workbook(SLUG, rows))
    assert job.report["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert GovernmentPost.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert job.report["written"] == {"posts": 3, "posts_ended": 0}
    assert _posts() == [
        ("100001TN", "CT_HDND_XA", "G1", "Phường Bắc", date(2021, 7, 1), date(2026, 6, 30)),
        ("100002TN", "PCT_UBND_XA", "G1", "", date(2021, 7, 1), date(2023, 12, 31)),
        ("100002TN", "TRUONG_THON", "C2", "Khu phố 2", date(2022, 1, 15), None),
    ]
    history = GovernmentPost.objects.get(member=people["an"]).history.get()
    assert (history.history_type, history.history_door, history.history_user) == ("+", "import", grassroots_cadre)


def test_posts_rejections_by_their_rule_and_nothing_written(client, tree, people, root_user):
    year_close(actor=root_user, year=RatingYear.objects.get(year=2023))
    Code.objects.filter(list="post", code="PHO_THON").update(active=False)
    GovernmentPost.objects.create(
        member=people["an"],
        kind=Code.objects.get(list="post", code="TRUONG_THON"),
        organization=tree["C1"],
        start=date(2024, 1, 1),
    )
    client.force_login(root_user)
    rows = [
        _row("100001TN", "CT_UBND_XA", "G1", "01/01/2024"),  # valid
        _row("999999TN", "TRUONG_THON", "C1", "01/01/2024"),
        _row("100001TN", "Chủ nhiệm hợp tác xã", "C1", "01/01/2024"),
        _row("100001TN", "PHO_THON", "C1", "01/01/2024"),
        _row("100001TN", "TRUONG_THON", "C1", "01/03/2025"),  # the stored post from 01/01/2024 is open
        _row("100001TN", "TO_TRUONG_TDP", "ZZ9", "01/01/2024"),
        _row("100002TN", "TO_TRUONG_TDP", "C2", "01/08/2024", "31/07/2024"),
        _row("100002TN", "CT_HDND_XA", "C1", "01/01/2024"),  # Bình is on C2's rolls, not C1's
        _row("100002TN", "KHAC", "C2", "01/01/2023"),  # reaches 31/12/2023: 2023 is closed
        _row("100001TN", "PCT_HDND_XA", "G1", "01/01/2024", "31/12/2024"),
        _row("100001TN", "PCT_HDND_XA", "G1", "01/06/2024"),  # overlaps the row above
    ]

    job = upload(client, SLUG, workbook(SLUG, rows))
    confirmed = confirm(client, job)

    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 999999TN trong phạm vi bạn phụ trách.",
        ),
        (
            FIRST_ROW + 2,
            "Chức vụ",
            "“Chủ nhiệm hợp tác xã” không phải mã hay tên nào trong danh mục “Chức vụ chính quyền, cộng đồng”.",
        ),
        (
            FIRST_ROW + 3,
            "Chức vụ",
            "“PHO_THON” (mã PHO_THON) đã ngừng sử dụng trong danh mục “Chức vụ chính quyền, cộng đồng”.",
        ),
        (FIRST_ROW + 4, "Từ ngày", "Đảng viên đã giữ chức vụ này từ ngày 01/01/2024: hãy kết thúc chức vụ đó trước."),
        (
            FIRST_ROW + 5,
            ORGANIZATION,
            "Không có tổ chức nào mang mã ZZ9 còn hiệu lực vào ngày 01/01/2024 trong phạm vi bạn phụ trách.",
        ),
        (FIRST_ROW + 6, "Đến ngày", "Ngày kết thúc không được trước ngày bắt đầu (01/08/2024)."),
        (
            FIRST_ROW + 7,
            ORGANIZATION,
            "Từ 01/01/2024 đến hôm nay đảng viên không sinh hoạt ở Chi bộ khu phố 1 hay ở đơn vị nào trực thuộc: "
            "chức vụ được ghi nhận với tổ chức đảng của đảng viên.",
        ),
        (
            FIRST_ROW + 8,
            "Từ ngày",
            "Năm đánh giá 2023 đã đóng: thay đổi ghi ngày 01/01/2023 sẽ làm thay đổi số liệu đã chốt của năm đó. "
            "Ban Tổ chức Tỉnh ủy phải mở lại năm trước.",
        ),
        (
            FIRST_ROW + 10,
            "Từ ngày",
            "Chức vụ này trùng thời gian với cùng chức vụ của đảng viên ở dòng 12 của tệp này.",
        ),
    ]
    # 11 rows: the first and the tenth are valid, 9 are rejected; nothing is written.
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 9}
    assert confirmed.state == ImportState.REJECTED
    assert GovernmentPost.objects.count() == 1


def test_posts_outside_the_actors_subtree_are_refused(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)

    job = upload(client, SLUG, workbook(SLUG, [_row("100003TN", "CT_UBND_XA", "G2", "01/08/2021")]))

    assert errors_of(job) == [
        (
            FIRST_ROW,
            ORGANIZATION,
            "Không có tổ chức nào mang mã G2 còn hiệu lực vào ngày 01/08/2021 trong phạm vi bạn phụ trách.",
        )
    ]


def test_posts_reimport_changes_nothing_and_an_end_ends_the_open_post(client, tree, people, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [_row("100001TN", "CT_HDND_XA", "G1", "01/07/2021"), _row("100002TN", "TRUONG_THON", "C2", "01/07/2021")]
    confirm(client, upload(client, SLUG, workbook(SLUG, rows)))
    audit_rows = GovernmentPost.history.count()

    again = confirm(client, upload(client, SLUG, workbook(SLUG, rows)))
    audit_after_again = GovernmentPost.history.count()
    rows[1]["end"] = "31/10/2025"
    ended = confirm(client, upload(client, SLUG, workbook(SLUG, rows)))
    rows[1]["end"] = "30/11/2025"
    ended_again = upload(client, SLUG, workbook(SLUG, rows))
    rows[1]["place"] = "Khu phố 9"
    moved = upload(client, SLUG, workbook(SLUG, rows))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert audit_after_again == audit_rows
    assert ended.report["counts"] == {"new": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert ended.report["written"] == {"posts": 0, "posts_ended": 1}
    assert _posts() == [
        ("100001TN", "CT_HDND_XA", "G1", "", date(2021, 7, 1), None),
        ("100002TN", "TRUONG_THON", "C2", "", date(2021, 7, 1), date(2025, 10, 31)),
    ]
    assert GovernmentPost.objects.get(member=people["binh"]).history.latest().history_type == "~"
    assert errors_of(ended_again) == [
        (FIRST_ROW + 1, "Đến ngày", "Bản ghi này đã có ngày kết thúc 31/10/2025: không thể kết thúc lại.")
    ]
    assert errors_of(moved) == [
        (
            FIRST_ROW + 1,
            ORGANIZATION,
            "Chức vụ này đã được ghi nhận từ ngày này tại C2 (—); hãy sửa trên trang của đảng viên, không sửa bằng "
            "nhập tệp.",
        )
    ]


def test_posts_and_attendance_are_listed_for_the_roles_that_import(client, tree, grassroots_cadre, steering_user):
    client.force_login(grassroots_cadre)
    cadre_page = client.get(reverse("imports:home")).content.decode()
    template = client.get(reverse("imports:template", args=[SLUG]))
    client.force_login(steering_user)
    steering_page = client.get(reverse("imports:home")).content.decode()

    assert 'href="?loai=chuc-vu-chinh-quyen"' in cadre_page
    assert 'href="?loai=du-sinh-hoat-chi-bo"' in cadre_page
    assert template["Content-Disposition"].endswith('filename="mau-nhap-chuc-vu-chinh-quyen.xlsx"')
    # The Steering Committee reads; it imports nothing.
    assert 'href="?loai=chuc-vu-chinh-quyen"' not in steering_page
