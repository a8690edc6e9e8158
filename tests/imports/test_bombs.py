"""Files that would take a worker's memory, built here for real: each is refused before it is parsed, with a message,
a FAILED job and nothing written."""

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from evaluations.models import ImportJob, ImportState
from members.models import Member
from members.resources import MemberResource
from party_portal.celery import app
from party_portal.imports import inspection, services
from party_portal.imports.reading import open_sheet

from .conftest import member_rows, openpyxl_book, upload, workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
ROW = (
    '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c><c r="B{n}" t="inlineStr"><is><t>3{n:05d}TN'
    '</t></is></c><c r="C{n}" t="inlineStr"><is><t>Nguyễn Văn Bom</t></is></c></row>'
)

BOMB_ROW = (
    '<row><c t="inlineStr"><is><t>1</t></is></c><c t="inlineStr"><is><t>300001TN</t></is></c>'
    '<c t="inlineStr"><is><t>Nguyễn Văn Bom</t></is></c></row>'
).encode()


def _with_sheet(chunks, *, template=None):
    """The members template with its data sheet replaced by `chunks` (bytes), written to the zip as they come."""
    template = template or workbook("dang-vien", [])
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(template)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w") as sheet:
                    for chunk in chunks:
                        sheet.write(chunk)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def _repeated_rows(megabytes):
    """A sheet of `megabytes` MB of one row repeated (without references, as a sheet may write them), so it packs
    about a thousand times: the bomb, built chunk by chunk."""
    block = BOMB_ROW * 1000
    yield SHEET_HEAD + b"<sheetData>"
    written = 0
    while written < megabytes * 2**20:
        yield block
        written += len(block)
    yield b"</sheetData></worksheet>"


def _sheet(body, dimension=b""):
    yield SHEET_HEAD + dimension + b"<sheetData>" + body + b"</sheetData></worksheet>"


@pytest.fixture
def checked(client, root_user, monkeypatch, django_capture_on_commit_callbacks):
    """Upload a members file and let the check run (in the request, or by the Celery task run eagerly)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    client.force_login(root_user)

    def check(content, name="danh-sach.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            job = upload(client, "dang-vien", content, name=name)
        job.refresh_from_db()
        return job

    return check


def _refused_with(job, message):
    assert job.state == ImportState.FAILED, job.report
    assert job.report["file_errors"] == [message]
    assert Member.objects.count() == 0


def test_a_sheet_of_256_mb_packed_into_a_small_file_is_refused_unread(tree, checked):
    content = _with_sheet(_repeated_rows(256))
    assert len(content) < 2 * 2**20  # the upload itself is small

    job = checked(content)

    with zipfile.ZipFile(BytesIO(content)) as archive:
        size = round(archive.getinfo(SHEET).file_size / 2**20)
    assert size == 256
    _refused_with(
        job,
        f"Khi giải nén, tệp Excel chiếm hơn 200 MB (riêng phần “Dữ liệu” đã {size} MB); chỉ nhận tối đa 200 MB. "
        "Hãy chia dữ liệu thành nhiều tệp.",
    )


def test_a_part_packed_a_thousand_times_is_refused_as_a_bomb(tree, checked):
    content = _with_sheet(_repeated_rows(20))
    with zipfile.ZipFile(BytesIO(content)) as archive:
        info = archive.getinfo(SHEET)
    ratio = info.file_size // info.compress_size
    assert ratio > 100

    job = checked(content)

    _refused_with(
        job,
        f"Phần “Dữ liệu” của tệp Excel giải nén ra gấp {ratio} lần kích thước nén; tệp Excel thật chỉ tối đa 100 lần. "
        "Tệp bị từ chối vì có thể là một “bom giải nén”.",
    )


def test_a_sheet_declaring_a_huge_dimension_is_refused(tree, checked):
    rows = b"".join(ROW.format(n=n).encode() for n in range(1, 4))
    content = _with_sheet(_sheet(rows, b'<dimension ref="A1:XFD1048576"/>'))

    job = checked(content)

    _refused_with(
        job,
        "Trang tính “Dữ liệu” khai báo vùng A1:XFD1048576: 1048576 dòng và 16384 cột; chỉ nhận tối đa 100000 dòng "
        "dữ liệu và 50 cột.",
    )


def test_two_cells_far_apart_are_refused_before_the_reader_fills_the_rectangle_between(tree, checked):
    far = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="A1000000"><v>1</v></c></row>'
    wide = b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>'

    down = checked(_with_sheet(_sheet(far)))
    across = checked(_with_sheet(_sheet(wide)))

    _refused_with(
        down,
        "Trang tính “Dữ liệu” có ô đến dòng 1000000; mỗi tệp chỉ nhận tối đa 100000 dòng dữ liệu. "
        "Hãy chia dữ liệu thành nhiều tệp.",
    )
    _refused_with(across, "Trang tính “Dữ liệu” có ô đến cột XFD (16384 cột); chỉ nhận tối đa 50 cột.")


def _amid_ordinary_rows(cell):
    """30,000 ordinary rows (2.6 MB, three of the scan's 1 MiB chunks) with one row holding `cell` in the middle."""
    rows = [ROW.format(n=n).encode() for n in range(1, 30001)]
    rows.insert(15000, b"<row>" + cell + b"</row>")
    return _sheet(b"".join(rows))


def test_one_cell_past_the_limits_amid_megabytes_of_ordinary_cells_is_found(tree, checked):
    down = checked(_with_sheet(_amid_ordinary_rows(b'<c r="C100003"><v>1</v></c>')))
    across = checked(_with_sheet(_amid_ordinary_rows(b'<c r="AY7"><v>1</v></c>')))

    # Row 100,003 is one past the 100,000 data rows and the 2 rows above them; column AY is the 51st.
    _refused_with(
        down,
        "Trang tính “Dữ liệu” có ô đến dòng 100003; mỗi tệp chỉ nhận tối đa 100000 dòng dữ liệu. "
        "Hãy chia dữ liệu thành nhiều tệp.",
    )
    _refused_with(across, "Trang tính “Dữ liệu” có ô đến cột AY (51 cột); chỉ nhận tối đa 50 cột.")


def test_cells_up_to_the_limits_amid_megabytes_of_ordinary_cells_pass_the_inspection(db):
    # Row 100,002 (the last data row) and column AX (the 50th) are within the limits.
    for cell in (b'<c r="C100002"><v>1</v></c>', b'<c r="AX7"><v>1</v></c>'):
        content = BytesIO(_with_sheet(_amid_ordinary_rows(cell)))

        assert inspection.inspect_workbook(content) is None


def test_more_rows_than_the_limit_are_refused(tree, checked, settings):
    settings.IMPORT_MAX_ROWS = 5

    job = checked(workbook("dang-vien", member_rows(6)))

    # Row 1 is the header, row 2 the example, rows 3-8 the six members; columns A-U (14, and the 7 coded ones).
    _refused_with(
        job,
        "Trang tính “Dữ liệu” khai báo vùng A1:U8: 8 dòng và 21 cột; chỉ nhận tối đa 5 dòng dữ liệu và 50 cột.",
    )


def test_rows_without_references_are_read_only_up_to_the_limit(tree, settings):
    # The template's instructions sheet has 39 rows and its lists sheet 55 (the 54 ethnic groups and "other"):
    # both within this limit.
    settings.IMPORT_MAX_ROWS = 60
    header = b'<row><c t="inlineStr"><is><t>STT</t></is></c></row>'
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    content = _with_sheet(_sheet(header + row * 80))

    with pytest.raises(inspection.UnsafeFile) as refused:
        open_sheet(BytesIO(content), MemberResource)

    assert str(refused.value) == (
        "Trang tính “Dữ liệu” có ô đến dòng 81; mỗi tệp chỉ nhận tối đa 60 dòng dữ liệu. Hãy chia dữ liệu thành nhiều "
        "tệp."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "STT,Số lý lịch,Họ và tên\n1,300001TN,Nguyễn Văn An\n".encode(),
            "Nội dung tệp không phải là một tệp Excel (.xlsx), dù tên tệp nói gì (một tệp CSV, hay một tệp khác đã đổi "
            "tên?). Hãy lưu tệp trong Excel dưới dạng “Excel Workbook (.xlsx)” rồi tải lên lại.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "Đây là tệp Excel 97–2003 (.xls) hoặc một tệp Excel có đặt mật khẩu. Hãy mở tệp trong Excel, bỏ mật khẩu "
            "nếu có, lưu dưới dạng “Excel Workbook (.xlsx)” rồi tải lên lại.",
        ),
    ],
    ids=["csv", "xls"],
)
def test_a_file_that_is_not_an_xlsx_under_an_xlsx_name_is_refused(tree, checked, content, message):
    job = checked(content)

    _refused_with(job, message)


def test_a_zip_that_is_not_a_workbook_is_refused(tree, checked):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    job = checked(out.getvalue())

    assert job.report["file_errors"][0].startswith("Nội dung tệp không phải là một tệp Excel (.xlsx)")
    assert job.state == ImportState.FAILED


def test_a_part_lying_about_its_size_is_refused_as_damaged(tree, checked):
    content = bytearray(_with_sheet(_repeated_rows(2)))
    with zipfile.ZipFile(BytesIO(bytes(content))) as archive:
        info = archive.getinfo(SHEET)
    # Write a small uncompressed size into the sheet's central directory entry (the one zipfile reads).
    entry = bytes(content).rfind(b"PK\x01\x02", 0, bytes(content).rfind(SHEET.encode()))
    content[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")
    assert info.file_size > 1000

    job = checked(bytes(content))

    _refused_with(
        job,
        "Tệp Excel bị hỏng: không giải nén được phần “Dữ liệu”. Hãy mở tệp trong Excel, lưu lại rồi tải lên lại.",
    )


def test_a_valid_file_passes_the_checks(tree, checked):
    job = checked(workbook("dang-vien", member_rows(3)))

    assert job.state == ImportState.READY, job.report


def test_a_job_whose_worker_died_twice_fails_when_it_is_delivered_again(tree, checked):
    job = checked(workbook("dang-vien", member_rows(2)))
    # Two workers started the check and died on it (the job says CHECKING); the message comes a third time.
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.CHECKING, attempts=2)

    services.import_job_run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportState.FAILED, 3)
    assert job.report["file_errors"] == [
        "Không xử lý được tệp: công việc trên tệp đã bị ngắt 2 lần (tệp có thể cần nhiều bộ nhớ hơn máy chủ cho "
        "phép). Không có gì được nhập. Hãy chia dữ liệu thành các tệp nhỏ hơn, hoặc báo quản trị viên."
    ]
    assert job.finished_at is not None


def test_a_job_whose_worker_died_once_is_done_on_the_next_delivery(tree, checked):
    job = checked(workbook("dang-vien", member_rows(2)))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.CHECKING, attempts=1)

    services.import_job_run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportState.READY, 2)


def test_the_limits_are_stated_on_the_import_page_and_in_the_template(client, root_user, settings):
    settings.IMPORT_MAX_ROWS = 20_000
    client.force_login(root_user)
    stated = (
        "Mỗi tệp có tối đa 20.000 dòng dữ liệu và 50 cột, dung lượng tối đa 40 MB (200 MB khi giải nén); dữ liệu lớn "
        "hơn hãy chia thành nhiều tệp."
    )

    page = client.get(reverse("imports:home")).content.decode()
    guide = openpyxl_book(client.get(reverse("imports:template", args=["dang-vien"])).content)["Hướng dẫn"]

    assert stated in page
    assert f"• {stated}" in [cell.value for cell in guide["A"]]


def test_a_part_marked_encrypted_is_refused_as_damaged_not_a_server_error(tree, checked):
    content = bytearray(workbook("dang-vien", member_rows(1)))
    # Set the "encrypted" flag of the sheet's central directory entry: zipfile then refuses to read it.
    entry = bytes(content).rfind(b"PK\x01\x02", 0, bytes(content).rfind(SHEET.encode()))
    content[entry + 8] |= 0x01

    job = checked(bytes(content))

    _refused_with(
        job, "Tệp Excel bị hỏng: không giải nén được phần “Dữ liệu”. Hãy mở tệp trong Excel, lưu lại rồi tải lên lại."
    )
