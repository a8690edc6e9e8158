from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import ImportJob, ImportState
from members.models import Member, Membership, MovementEvent, MovementKind, TheoryLevel, TheoryQualification
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook


def _row(record, name, org="C1", **extra):
    return {
        "record_number": record,
        "full_name": name,
        "gender": "Nam",
        "date_of_birth": date(1990, 4, 12),
        "organization_code": org,
        "admission_date": date(2019, 5, 19),
        "admission_kind": "Kết nạp",
        **extra,
    }


def test_members_clean_file_imports_members_admission_rolls_and_theory_with_audit(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _row("100001TN", "Nguyễn Văn An", theory_level="Trung cấp", theory_obtained_on="30/06/2021"),
        _row("100002TN", "Trần Thị Bình", org="C2", gender="Nữ", admission_date="02/03/2019", card_number="52000001"),
    ]

    job = upload(client, "dang-vien", workbook("dang-vien", rows))
    assert job.state == ImportState.READY
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Member.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    an = Member.objects.get(record_number="100001TN")
    binh = Member.objects.get(record_number="100002TN")
    assert (binh.gender, binh.admission_date, binh.card_number) == ("F", date(2019, 3, 2), "52000001")
    assert an.name_folded == "nguyen van an"
    event = MovementEvent.objects.get(member=an)
    assert (event.kind, event.date, event.organization.code) == (MovementKind.ADMITTED, date(2019, 5, 19), "C1")
    stints = list(Membership.objects.filter(member=an).values_list("organization__code", "start", "end"))
    assert stints == [("C1", date(2019, 5, 19), None)]
    theory = TheoryQualification.objects.get(member=an)
    assert (theory.level, theory.obtained_on) == (TheoryLevel.INTERMEDIATE, date(2021, 6, 30))
    history = an.history.get()
    assert (history.history_type, history.history_door, history.history_user) == ("+", "import", grassroots_cadre)
    assert event.history.get().history_door == "import"
    assert theory.history.get().history_door == "import"


def test_members_one_bad_row_writes_nothing_and_names_the_row_and_column(client, tree, root_user):
    client.force_login(root_user)
    rows = [
        _row("100001TN", "Nguyễn Văn An"),
        _row("100002TN", "Trần Thị Bình", date_of_birth="31/02/1990"),
        _row("100003TN", "Lê Văn Cường"),
    ]

    job = upload(client, "dang-vien", workbook("dang-vien", rows))
    confirmed = confirm(client, job)

    assert job.state == ImportState.REJECTED
    assert errors_of(job) == [
        (FIRST_ROW + 1, "Ngày sinh", "“31/02/1990” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy.")
    ]
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert confirmed.state == ImportState.REJECTED
    assert Member.objects.count() == 0
    assert MovementEvent.objects.count() == 0


def test_members_rejections_name_their_column_in_vietnamese(client, tree, root_user):
    make_member(tree["C1"], record_number="200001TN", card_number="52000009", admission_date=date(2019, 1, 4))
    client.force_login(root_user)
    rows = [
        _row("12345", "Sai Số"),
        _row("100002TN", "Thẻ Trùng", card_number="52000009", admission_date=date(2019, 1, 4)),
        _row("100003TN", "Chi Bộ Lạ", org="ZZ9"),
        _row("100002TN", "Hai Lần"),
        _row("100005TN", "Giới Tính", gender="Khác"),
    ]

    job = upload(client, "dang-vien", workbook("dang-vien", rows))

    errors = errors_of(job)
    assert errors[0][:2] == (FIRST_ROW, "Số lý lịch đảng viên")
    assert "6 chữ số" in errors[0][2]
    assert (FIRST_ROW + 1, "Số thẻ đảng viên") in [e[:2] for e in errors]
    assert (
        FIRST_ROW + 2,
        "Mã tổ chức kết nạp",
        "Không có tổ chức nào mang mã ZZ9 còn hiệu lực vào ngày 19/05/2019 trong phạm vi bạn phụ trách.",
    ) in errors
    assert (FIRST_ROW + 3, "Số lý lịch đảng viên", "100002TN đã có ở dòng 4 của tệp này.") in errors
    assert [e[:2] for e in errors if e[0] == FIRST_ROW + 4] == [(FIRST_ROW + 4, "Giới tính")]
    assert job.report["counts"]["rejected"] == 5


def test_members_reimporting_the_same_file_changes_nothing(client, tree, root_user):
    client.force_login(root_user)
    content = workbook(
        "dang-vien",
        [_row("100001TN", "Nguyễn Văn An", theory_level="Sơ cấp", theory_obtained_on=date(2020, 1, 9))],
    )
    confirm(client, upload(client, "dang-vien", content))
    history_before = (Member.history.count(), MovementEvent.history.count(), TheoryQualification.history.count())

    again = upload(client, "dang-vien", content)
    again = confirm(client, again)

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert again.state == ImportState.DONE
    assert (Member.objects.count(), MovementEvent.objects.count(), TheoryQualification.objects.count()) == (1, 1, 1)
    history_after = (Member.history.count(), MovementEvent.history.count(), TheoryQualification.history.count())
    assert history_after == history_before


def test_members_changed_identity_is_an_update_found_by_card_when_no_record_number(client, tree, root_user):
    member = make_member(tree["C1"], full_name="Nguyễn Văn Cũ", card_number="52000011", admission_date=date(2019, 3, 2))
    client.force_login(root_user)
    row = _row("", "Nguyễn Văn Mới", card_number="52000011", admission_date=date(2019, 3, 2), citizen_id="001090000001")

    job = upload(client, "dang-vien", workbook("dang-vien", [row]))
    assert job.report["counts"]["updated"] == 1, job.report
    assert "Nguyễn Văn Cũ → Nguyễn Văn Mới" in job.report["rows"][0][4]
    confirm(client, job)

    member.refresh_from_db()
    assert (member.full_name, member.name_folded, member.citizen_id) == (
        "Nguyễn Văn Mới",
        "nguyen van moi",
        "001090000001",
    )
    latest = member.history.latest("history_id")
    assert (latest.history_type, latest.history_door) == ("~", "import")


def test_members_admission_cannot_be_changed_by_import(client, tree, root_user):
    make_member(tree["C1"], record_number="100001TN", admission_date=date(2019, 3, 2))
    client.force_login(root_user)

    job = upload(client, "dang-vien", workbook("dang-vien", [_row("100001TN", "Nguyễn Văn An")]))

    assert job.state == ImportState.REJECTED
    assert errors_of(job)[0][:2] == (FIRST_ROW, "Ngày vào Đảng")
    assert "02/03/2019" in errors_of(job)[0][2]


def test_members_rows_outside_the_writable_subtree_are_rejected(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [_row("100001TN", "Trong Phạm Vi", org="C1"), _row("100002TN", "Ngoài Phạm Vi", org="G2")]

    job = upload(client, "dang-vien", workbook("dang-vien", rows))

    # The same message as for a code that does not exist: nothing of D2's tree shows.
    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Mã tổ chức kết nạp",
            "Không có tổ chức nào mang mã G2 còn hiệu lực vào ngày 19/05/2019 trong phạm vi bạn phụ trách.",
        )
    ]
    assert job.state == ImportState.REJECTED


def test_members_existing_member_of_another_subtree_is_rejected_even_unchanged(client, tree, grassroots_cadre):
    other = make_member(tree["G2"], admission_date=date(2019, 3, 2))
    client.force_login(grassroots_cadre)
    row = _row(
        other.record_number,
        other.full_name,
        org="G2",
        admission_date=date(2019, 3, 2),
        date_of_birth=other.date_of_birth,
    )

    job = upload(client, "dang-vien", workbook("dang-vien", [row]))

    assert errors_of(job) == [(FIRST_ROW, "Số lý lịch đảng viên", "Tổ chức này nằm ngoài phạm vi bạn phụ trách.")]


def test_members_read_only_role_cannot_upload(client, tree, steering_user):
    client.force_login(steering_user)
    content = workbook("dang-vien", [_row("100001TN", "Nguyễn Văn An")])

    response = client.post(
        reverse("imports:upload", args=["dang-vien"]), {"tep": SimpleUploadedFile("a.xlsx", content)}
    )

    assert response.status_code == 400
    assert "chỉ được xem" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_members_preview_runs_a_bounded_number_of_queries(client, tree, root_user):
    client.force_login(root_user)
    few = workbook("dang-vien", [_row(f"1{i:05d}TN", f"Người {i}") for i in range(3)])
    many = workbook(
        "dang-vien",
        [
            _row(f"2{i:05d}TN", f"Người {i}", theory_level="Sơ cấp", theory_obtained_on=date(2020, 1, 1))
            for i in range(60)
        ],
    )

    with CaptureQueriesContext(connection) as small:
        upload(client, "dang-vien", few)
    with CaptureQueriesContext(connection) as large:
        upload(client, "dang-vien", many)

    assert len(large) == len(small)
    assert len(large) < 40


# --- roles bounded in time, closed years (the import door) -----------------------------------------------------


def test_members_admission_in_a_closed_year_is_rejected_until_the_year_is_reopened(
    client, tree, root_user, grassroots_cadre
):
    from evaluations.models import RatingYear
    from evaluations.services import year_close, year_reopen

    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))
    client.force_login(grassroots_cadre)
    rows = [_row("100001TN", "Vào Đảng 2019"), _row("100002TN", "Vào Đảng 2025", admission_date=date(2025, 3, 4))]

    closed = upload(client, "dang-vien", workbook("dang-vien", rows))
    year_reopen(actor=root_user, year=RatingYear.objects.get(year=2024), reason="Bổ sung hồ sơ")
    reopened = upload(client, "dang-vien", workbook("dang-vien", rows))

    # 19/05/2019 counts on the rolls of every year end from 2019: 2024's among them.
    assert errors_of(closed) == [
        (
            FIRST_ROW,
            "Ngày vào Đảng",
            "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày 19/05/2019 sẽ làm thay đổi số liệu đã chốt của năm đó. "
            "Ban Tổ chức Tỉnh ủy phải mở lại năm trước.",
        )
    ]
    assert closed.state == ImportState.REJECTED
    assert reopened.state == ImportState.READY


def test_members_upload_refused_to_a_district_role_that_ended(client, tree, district_cadre):
    client.force_login(district_cadre)

    response = client.post(
        reverse("imports:upload", args=["dang-vien"]),
        {"tep": SimpleUploadedFile("a.xlsx", workbook("dang-vien", [_row("100001TN", "Nguyễn Văn An")]))},
    )
    home = client.get(reverse("imports:home"))

    assert response.status_code == 400
    assert "đã hết hiệu lực" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert home.context["can_import"] is False
