"""The members file's coded columns (ethnicity, religion, education, qualification, occupation at admission and now)
and youth union at admission: a code or a name, folded; a wrong cell named by row and column, nothing written."""

from datetime import date

from django.urls import reverse

from evaluations.models import ImportState
from members.models import Code, Member
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, openpyxl_book, upload, workbook


def _new(record, **records):
    return {
        "record_number": record,
        "full_name": "Lò Văn Pọm",
        "gender": "Nam",
        "date_of_birth": "01/02/1991",
        "organization_code": "C1",
        "admission_date": "03/04/2020",
        **records,
    }


def _codes(member):
    member.refresh_from_db()
    return (
        member.ethnicity_code and member.ethnicity_code.code,
        member.religion_code and member.religion_code.code,
        member.general_education and member.general_education.code,
        member.qualification and member.qualification.code,
        member.occupation_at_admission and member.occupation_at_admission.code,
        member.occupation_now and member.occupation_now.code,
        member.youth_union_at_admission,
    )


def test_member_codes_by_code_or_by_name_without_diacritics(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _new(
            "300001TN",
            ethnicity_code="tay",  # the name Tày, folded: code 02
            religion_code="00",
            general_education="Trung hoc pho thong",  # THPT
            qualification="DAI_HOC",
            occupation_at_admission="sinh viên",  # SINH_VIEN
            occupation_now="VIEN_CHUC",
            youth_union_at_admission="x",
        ),
        _new("300002TN", ethnicity_code=2, youth_union_at_admission="Không"),  # a number cell: "2" is code 02
        _new("300003TN"),  # nothing coded: all not recorded
    ]

    job = confirm(client, upload(client, "dang-vien", workbook("dang-vien", rows)))

    assert job.state == ImportState.DONE
    assert job.report["written"]["members"] == 3
    by_record = {m.record_number: m for m in Member.objects.all()}
    assert _codes(by_record["300001TN"]) == ("02", "00", "THPT", "DAI_HOC", "SINH_VIEN", "VIEN_CHUC", True)
    assert _codes(by_record["300002TN"]) == ("02", None, None, None, None, None, False)
    assert _codes(by_record["300003TN"]) == (None, None, None, None, None, None, None)


def test_member_codes_change_an_existing_member_and_an_empty_cell_keeps_the_code(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    member = make_member(
        tree["C1"],
        record_number="300010TN",
        full_name="Lò Văn Pọm",
        date_of_birth=date(1991, 2, 1),
        admission_date=date(2020, 4, 3),
    )
    member.qualification = Code.objects.get(list="qualification", code="CAO_DANG")
    member.occupation_now = Code.objects.get(list="occupation", code="SINH_VIEN")
    member.save(update_fields=["qualification", "occupation_now"])
    row = _new("300010TN", qualification="Đại học", youth_union_at_admission="Có")

    job = upload(client, "dang-vien", workbook("dang-vien", [row]))
    job = confirm(client, job)
    again = confirm(client, upload(client, "dang-vien", workbook("dang-vien", [row])))

    assert job.report["counts"]["updated"] == 1
    changes = job.report["rows"][0][4]
    assert "Chuyên môn nghiệp vụ: Cao đẳng → Đại học" in changes
    assert "Là đoàn viên khi vào Đảng: — → Có" in changes
    # Occupation now was left empty: the stored code stays.
    assert _codes(member) == (None, None, None, "DAI_HOC", None, "SINH_VIEN", True)
    assert member.history.latest().history_door == "import"
    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 0}


def test_member_codes_wrong_cells_are_named_and_nothing_is_written(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    Code.objects.filter(list="occupation", code="HUU_TRI").update(active=False)
    rows = [
        _new("300021TN", ethnicity_code="Kinh"),  # valid
        _new("300022TN", ethnicity_code="Người Sao Hỏa"),
        _new("300023TN", occupation_now="huu tri"),  # deactivated
        _new("300024TN", general_education="DAI_HOC"),  # a qualification, not a general education
        _new("300025TN", youth_union_at_admission="Có lẽ"),
    ]

    job = upload(client, "dang-vien", workbook("dang-vien", rows))
    confirmed = confirm(client, job)

    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Dân tộc (theo danh mục)",
            "“Người Sao Hỏa” không phải mã hay tên nào trong danh mục “Dân tộc”.",
        ),
        (
            FIRST_ROW + 2,
            "Nghề nghiệp hiện nay",
            "“huu tri” (mã HUU_TRI) đã ngừng sử dụng trong danh mục “Nghề nghiệp, lĩnh vực”.",
        ),
        (
            FIRST_ROW + 3,
            "Giáo dục phổ thông",
            "“DAI_HOC” thuộc danh mục “Chuyên môn nghiệp vụ”, không thuộc danh mục “Giáo dục phổ thông”.",
        ),
        (FIRST_ROW + 4, "Là đoàn viên khi vào Đảng", "“Có lẽ” không phải “Có” hoặc “Không”."),
    ]
    # 1 valid row, 4 rejected: the file is refused as a whole.
    assert job.report["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "rejected": 4}
    assert confirmed.state == ImportState.REJECTED
    assert Member.objects.count() == 0


def test_member_codes_template_lists_the_active_codes(client, tree, root_user):
    client.force_login(root_user)
    Code.objects.filter(list="post", code="KHAC").update(active=False)
    Code.objects.filter(list="education", code="TH").update(active=False)

    book = openpyxl_book(client.get(reverse("imports:template", args=["dang-vien"])).content)

    guide = [row[2] for row in book["Hướng dẫn"].iter_rows(values_only=True) if row[0] == "Giáo dục phổ thông"]
    # The education list has 3 codes, TH deactivated: the other 2 are listed with their codes.
    assert guide[0].endswith("Một trong các giá trị: THCS Trung học cơ sở; THPT Trung học phổ thông.")
