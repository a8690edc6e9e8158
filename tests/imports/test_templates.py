from django.urls import reverse
from django.utils import translation

from evaluations.models import ImportState
from members.models import Member

from .conftest import confirm, openpyxl_book, upload, workbook


def _validated_columns(sheet):
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    return {headers[str(v.sqref).split(":")[0].rstrip("0123456789")] for v in sheet.data_validations.dataValidation}


def test_members_template_has_vietnamese_headers_lists_and_an_example_row(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(reverse("imports:template", args=["dang-vien"]))

    book = openpyxl_book(response.content)
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    data = book["Dữ liệu"]
    headers = [cell.value for cell in data[1]]
    assert headers[:5] == ["STT", "Số lý lịch đảng viên", "Số thẻ đảng viên", "Họ và tên *", "Giới tính *"]
    assert _validated_columns(data) == {
        "Giới tính *",
        "Hình thức",
        "Trình độ lý luận chính trị",
        # The coded lists (their active names) and youth union at admission (Có / Không).
        "Dân tộc (theo danh mục)",
        "Tôn giáo (theo danh mục)",
        "Giáo dục phổ thông",
        "Chuyên môn nghiệp vụ",
        "Nghề nghiệp khi vào Đảng",
        "Nghề nghiệp hiện nay",
        "Là đoàn viên khi vào Đảng",
    }
    assert data["A2"].value == "Ví dụ"
    assert data.cell(row=2, column=headers.index("Ngày vào Đảng *") + 1).number_format == "DD/MM/YYYY"
    assert [c.value for c in book["Danh mục"]["A"] if c.value] == ["Nam", "Nữ"]


def test_organizations_and_ratings_templates_have_lists_for_their_coded_columns(client, tree, root_user):
    client.force_login(root_user)

    organizations = openpyxl_book(client.get(reverse("imports:template", args=["to-chuc"])).content)
    ratings = openpyxl_book(
        client.get(reverse("imports:template", args=["xep-loai"]), {"to_chuc": tree["G1"].pk, "nam": 2023}).content
    )

    assert _validated_columns(organizations["Dữ liệu"]) == {"Loại tổ chức *", "Loại hình (chỉ TCCSĐ)"}
    assert _validated_columns(ratings["Dữ liệu"]) == {"Xếp loại", "Lý do không xếp loại", "Nghỉ ốm từ 3 tháng trở lên"}


def test_the_template_uploaded_as_downloaded_imports_nothing_and_says_why(client, tree, root_user):
    client.force_login(root_user)
    content = client.get(reverse("imports:template", args=["dang-vien"])).content

    job = upload(client, "dang-vien", content)

    assert job.state == ImportState.REJECTED
    assert job.report["file_errors"] == ["Tệp không có dòng dữ liệu nào."]


def test_a_file_with_english_headers_and_labels_imports(client, tree, root_user):
    client.force_login(root_user)
    row = {
        "record_number": "100001TN",
        "full_name": "Nguyen Van An",
        "gender": "Male",
        "date_of_birth": "1990-04-12",
        "organization_code": "C1",
        "admission_date": "19.05.2019",
        "theory_level": "Intermediate",
        "theory_obtained_on": "1/7/2021",
    }
    with translation.override("en"):
        content = workbook("dang-vien", [row])

    job = confirm(client, upload(client, "dang-vien", content))

    assert job.state == ImportState.DONE, job.report
    assert Member.objects.get(record_number="100001TN").gender == "M"


def test_a_sheet_without_the_required_columns_is_refused_as_a_whole(client, tree, root_user):
    from io import BytesIO

    from openpyxl import Workbook

    client.force_login(root_user)
    book = Workbook()
    book.active.append(["Họ và tên", "Ghi chú"])
    book.active.append(["Nguyễn Văn An", "x"])
    buffer = BytesIO()
    book.save(buffer)

    job = upload(client, "dang-vien", buffer.getvalue())

    assert job.state == ImportState.REJECTED
    [message] = job.report["file_errors"]
    assert message.startswith("Dòng tiêu đề thiếu các cột: “Số lý lịch đảng viên”, “Giới tính”")


def test_a_file_that_is_not_a_workbook_is_refused(client, tree, root_user):
    client.force_login(root_user)

    job = upload(client, "dang-vien", b"not a workbook", name="danh-sach.xlsx")

    assert job.state == ImportState.FAILED
    assert job.report["file_errors"] == [
        "Nội dung tệp không phải là một tệp Excel (.xlsx), dù tên tệp nói gì (một tệp CSV, hay một tệp khác đã đổi "
        "tên?). Hãy lưu tệp trong Excel dưới dạng “Excel Workbook (.xlsx)” rồi tải lên lại."
    ]
