from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.models import ImportState, MemberRating, RatingYear
from members.models import StatusKind
from members.services import status_period_add
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, openpyxl_book, upload, workbook


@pytest.fixture
def cell_members(tree):
    return [make_member(tree["C1"], full_name=f"Đảng viên {i}", admission_date=date(2019, 3, 1)) for i in range(3)]


def _row(member, level="", reason="", **extra):
    return {
        "record_number": member.record_number,
        "full_name": member.full_name,
        "level": level,
        "not_rated_reason": reason,
        **extra,
    }


def _upload(client, tree, rows, year=2023):
    return upload(client, "xep-loai", workbook("xep-loai", rows), to_chuc=tree["G1"].pk, nam=year)


def test_ratings_file_is_saved_through_the_grid_service(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)
    rows = [
        _row(cell_members[0], "Hoàn thành tốt nhiệm vụ"),
        _row(cell_members[1], "HTXSNV"),
        _row(cell_members[2], "COMPLETED"),
    ]

    job = _upload(client, tree, rows)
    assert job.report["counts"]["new"] == 3, job.report
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    saved = dict(MemberRating.objects.filter(year__year=2023).values_list("member__full_name", "level"))
    assert saved == {"Đảng viên 0": "GOOD", "Đảng viên 1": "EXCELLENT", "Đảng viên 2": "COMPLETED"}
    rating = MemberRating.objects.get(member=cell_members[0])
    assert rating.organization == tree["G1"]
    assert (rating.history.get().history_door, rating.history.get().history_user) == ("import", grassroots_cadre)


def test_ratings_reimport_changes_nothing(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)
    rows = [_row(m, "Hoàn thành nhiệm vụ") for m in cell_members]
    confirm(client, _upload(client, tree, rows))
    history = MemberRating.history.count()

    again = confirm(client, _upload(client, tree, rows))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert MemberRating.history.count() == history


def test_ratings_hard_rule_names_the_row_and_the_column(client, tree, root_user, cell_members):
    status_period_add(actor=root_user, member=cell_members[1], kind=StatusKind.EXEMPT, start=date(2022, 1, 1))
    client.force_login(root_user)
    rows = [_row(cell_members[0], "Hoàn thành tốt nhiệm vụ"), _row(cell_members[1], "Hoàn thành tốt nhiệm vụ")]

    job = _upload(client, tree, rows)
    confirm(client, job)

    assert job.state == ImportState.REJECTED
    [(number, column, message)] = errors_of(job)
    assert (number, column) == (FIRST_ROW + 1, "Xếp loại")
    assert "Đảng viên 1" in message
    assert "nên không xếp loại" in message
    assert MemberRating.objects.count() == 0


def test_ratings_locked_submission_refuses_the_file(client, tree, grassroots_cadre, board_user, cell_members):
    year = RatingYear.objects.get(year=2023)
    entries = [{"member_id": m.pk, "level": "GOOD"} for m in cell_members]
    services.member_ratings_save(actor=grassroots_cadre, organization=tree["G1"], year=year, entries=entries)
    submission = services.submission_get_or_create(actor=grassroots_cadre, organization=tree["G1"], year=year)
    services.submission_submit(actor=grassroots_cadre, submission=submission)
    services.submission_approve(actor=board_user, submission=submission)
    client.force_login(grassroots_cadre)

    job = _upload(client, tree, [_row(cell_members[0], "Không hoàn thành nhiệm vụ")])

    assert job.state == ImportState.REJECTED
    assert "khóa" in job.report["file_errors"][0]
    assert MemberRating.objects.get(member=cell_members[0]).level == "GOOD"


def test_ratings_member_of_another_organization_is_rejected_without_naming_them(
    client, tree, grassroots_cadre, cell_members
):
    stranger = make_member(tree["G2"], full_name="Người Ngoài", admission_date=date(2019, 3, 1))
    client.force_login(grassroots_cadre)

    job = _upload(
        client,
        tree,
        # The file gives the record number only: any name in the report would come from the portal.
        [
            _row(cell_members[0], "HTNV"),
            _row(stranger, "HTNV", full_name=""),
            {"record_number": "999999TN", "level": "HTNV"},
        ],
    )

    # A member on another organization's rolls and a record number nobody has: the same message, no name.
    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Số lý lịch đảng viên",
            f"Không có đảng viên nào mang số lý lịch {stranger.record_number} trong danh sách đảng viên của "
            "Đảng bộ phường Bắc tại ngày 31/12/2023.",
        ),
        (
            FIRST_ROW + 2,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 999999TN trong danh sách đảng viên của Đảng bộ phường Bắc tại "
            "ngày 31/12/2023.",
        ),
    ]
    assert "Người Ngoài" not in str(job.report)


def test_ratings_template_lists_the_members_to_rate_and_imports_unchanged_as_is(
    client, tree, grassroots_cadre, cell_members
):
    client.force_login(grassroots_cadre)

    response = client.get(reverse("imports:template", args=["xep-loai"]), {"to_chuc": tree["G1"].pk, "nam": 2023})
    book = openpyxl_book(response.content)
    sheet = book.worksheets[0]
    listed = [sheet.cell(row=r, column=2).value for r in range(FIRST_ROW, FIRST_ROW + 3)]
    job = upload(client, "xep-loai", response.content, to_chuc=tree["G1"].pk, nam=2023)

    assert response["Content-Disposition"] == 'attachment; filename="xep-loai-G1-2023.xlsx"'
    assert sorted(listed) == sorted(m.record_number for m in cell_members)
    assert job.state == ImportState.READY
    assert job.report["counts"] == {"new": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_ratings_preview_runs_a_bounded_number_of_queries(client, tree, root_user):
    few = [make_member(tree["C1"], admission_date=date(2019, 3, 1)) for _ in range(2)]
    many = [make_member(tree["C2"], admission_date=date(2019, 3, 1)) for _ in range(25)]
    client.force_login(root_user)

    with CaptureQueriesContext(connection) as small:
        _upload(client, tree, [_row(m, "HTNV") for m in few])
    with CaptureQueriesContext(connection) as large:
        _upload(client, tree, [_row(m, "HTTNV") for m in many])

    assert len(large) == len(small)


def test_ratings_scope_box_takes_a_code_or_a_name_and_refuses_a_tccsd_the_actor_may_not_rate(
    client, tree, grassroots_cadre, cell_members
):
    client.force_login(grassroots_cadre)
    url = reverse("imports:template", args=["xep-loai"])

    by_code = client.get(url, {"to_chuc": "g1", "nam": 2023})
    by_name = client.get(url, {"to_chuc": "phuong bac", "nam": 2023})
    other = client.get(url, {"to_chuc": "G2", "nam": 2023})

    # "Đảng bộ phường Bắc" is G1: the same workbook as by its code.
    assert by_code["Content-Disposition"] == 'attachment; filename="xep-loai-G1-2023.xlsx"'
    assert by_name["Content-Disposition"] == 'attachment; filename="xep-loai-G1-2023.xlsx"'
    # G2 is the other district's: refused by the code typed, nothing downloaded.
    assert other.status_code == 400
    assert "“G2”" in other.content.decode()


def test_ratings_scope_box_comes_filled_for_a_cadre_of_one_tccsd(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)

    html = client.get(reverse("imports:home"), {"loai": "xep-loai"}).content.decode()

    assert 'name="to_chuc" value="G1"' in html
