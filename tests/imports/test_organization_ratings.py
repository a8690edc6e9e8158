"""The cell and TCCSĐ ratings file: one file for a subtree and a year, through the organization rating service."""

from django.urls import reverse

from evaluations.models import ImportState, OrganizationRating, Submission, SubmissionState

from .conftest import FIRST_ROW, confirm, errors_of, openpyxl_book, upload, workbook

SLUG = "xep-loai-to-chuc"


def _row(code, level="", reason="", score=""):
    return {"code": code, "name": "", "level": level, "not_rated_reason": reason, "score": score}


def _upload(client, tree, rows, root="P", year=2023):
    return upload(client, SLUG, workbook(SLUG, rows), to_chuc=tree[root].pk, nam=year)


def _saved():
    return sorted(
        OrganizationRating.objects.values_list("organization__code", "year__year", "level", "not_rated_reason")
    )


def test_organization_ratings_of_a_whole_subtree_are_saved_through_the_service(client, tree, board_user):
    client.force_login(board_user)
    rows = [
        _row("G1", "Hoàn thành tốt nhiệm vụ"),
        _row("C1", "HTXSNV"),
        _row("C2"),
        _row("G2", reason="Chưa đánh giá"),
    ]

    job = _upload(client, tree, rows)
    assert job.report["counts"] == {"new": 3, "updated": 0, "unchanged": 1, "rejected": 0}, job.report
    assert OrganizationRating.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert job.report["written"] == {"organization_ratings": 3}
    assert _saved() == [
        ("C1", 2023, "EXCELLENT", ""),
        ("G1", 2023, "GOOD", ""),
        ("G2", 2023, "", "PENDING"),
    ]
    rating = OrganizationRating.objects.get(organization=tree["G1"])
    assert (rating.history.get().history_door, rating.history.get().history_user) == ("import", board_user)


def test_organization_ratings_one_bad_row_writes_nothing_and_says_where(client, tree, board_user):
    client.force_login(board_user)
    rows = [
        _row("G1", "Hoàn thành tốt nhiệm vụ"),
        _row("ZZ9", "Hoàn thành nhiệm vụ"),
        _row("C1", "Hoàn thành nhiệm vụ", score="80"),
        _row("G1", "Hoàn thành nhiệm vụ"),
    ]

    job = confirm(client, _upload(client, tree, rows))

    assert job.state == ImportState.REJECTED
    errors = errors_of(job)
    assert errors[0] == (
        FIRST_ROW + 1,
        "Mã tổ chức",
        "Không có tổ chức nào mang mã ZZ9 còn hiệu lực vào ngày 31/12/2023 trong phạm vi bạn phụ trách.",
    )
    # A score is for 2025 onwards (366-QĐ/TW): the service's refusal lands in the score column.
    assert errors[1][:2] == (FIRST_ROW + 2, "Điểm (từ năm 2025)")
    assert errors[2] == (FIRST_ROW + 3, "Mã tổ chức", "Mã G1 đã có ở dòng 3 của tệp này.")
    assert job.report["counts"]["rejected"] == 3
    assert OrganizationRating.objects.count() == 0


def test_organization_ratings_reimport_changes_nothing(client, tree, board_user):
    client.force_login(board_user)
    content = workbook(SLUG, [_row("G1", "Hoàn thành tốt nhiệm vụ"), _row("C1", "Hoàn thành nhiệm vụ")])
    confirm(client, upload(client, SLUG, content, to_chuc=tree["P"].pk, nam=2023))
    history = OrganizationRating.history.count()

    again = confirm(client, upload(client, SLUG, content, to_chuc=tree["P"].pk, nam=2023))

    assert (again.state, again.report["counts"]) == (
        ImportState.DONE,
        {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0},
    )
    assert OrganizationRating.history.count() == history


def test_organization_ratings_a_locked_rating_is_refused_never_changed(client, tree, board_user):
    client.force_login(board_user)
    confirm(client, _upload(client, tree, [_row("C1", "Hoàn thành nhiệm vụ")]))
    # Rating C1 opened G1's submission for 2023; the level above has approved it since.
    Submission.objects.filter(organization=tree["G1"], year__year=2023).update(state=SubmissionState.APPROVED)

    same = confirm(client, _upload(client, tree, [_row("C1", "Hoàn thành nhiệm vụ")]))
    changed = confirm(client, _upload(client, tree, [_row("C1", "HTXSNV"), _row("C2", "HTNV")]))

    assert same.state == ImportState.DONE
    assert changed.state == ImportState.REJECTED
    locked = (
        "Kết quả xếp loại năm 2023 của Đảng bộ phường Bắc đang ở trạng thái Đã duyệt và đã khóa; "
        "cần mở lại, có ghi lý do, trước khi sửa."
    )
    assert errors_of(changed) == [(FIRST_ROW, "Xếp loại", locked), (FIRST_ROW + 1, "Xếp loại", locked)]
    assert _saved() == [("C1", 2023, "COMPLETED", "")]


def test_organization_ratings_rows_outside_the_actors_part_are_refused(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [_row("C1", "Hoàn thành nhiệm vụ"), _row("G2", "Hoàn thành nhiệm vụ"), _row("G1", "Hoàn thành nhiệm vụ")]

    job = _upload(client, tree, rows, root="G1")

    assert job.state == ImportState.REJECTED
    errors = errors_of(job)
    assert errors[0] == (
        FIRST_ROW + 1,
        "Mã tổ chức",
        "Không có tổ chức nào mang mã G2 còn hiệu lực vào ngày 31/12/2023 trong phạm vi bạn phụ trách.",
    )
    # G1 itself is rated by the level above: the service's refusal, on the code.
    assert errors[1][:2] == (FIRST_ROW + 2, "Mã tổ chức")
    assert [e[0] for e in errors] == [FIRST_ROW + 1, FIRST_ROW + 2]
    assert OrganizationRating.objects.count() == 0


def test_organization_ratings_template_lists_the_subtree_with_its_ratings(client, tree, board_user):
    client.force_login(board_user)
    confirm(client, _upload(client, tree, [_row("C1", "Hoàn thành nhiệm vụ", score="")]))

    response = client.get(reverse("imports:template", args=[SLUG]), {"to_chuc": tree["G1"].pk, "nam": 2023})
    refused = client.get(reverse("imports:template", args=[SLUG]))

    assert response["Content-Disposition"].endswith('filename="xep-loai-to-chuc-G1-2023.xlsx"')
    sheet = openpyxl_book(response.content)["Dữ liệu"]
    rows = [[cell.value for cell in row[1:4]] for row in sheet.iter_rows(min_row=FIRST_ROW)]
    assert rows == [
        ["G1", "Đảng bộ phường Bắc", None],
        ["C1", "Chi bộ khu phố 1", "Hoàn thành nhiệm vụ"],
        ["C2", "Chi bộ khu phố 2", None],
    ]
    assert refused.status_code == 400
