"""The province's consolidated report: the document's text (hand-counted figures, late and missing units, the
proposals), versions, issuing in the shared number sequence, immutability and scoping."""

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from party_portal import word
from reports import consolidated, issuing, services
from reports.models import ConsolidatedReport, ReportRun, RunStatus

from .conftest import FORMULA, PROPOSAL_D1

THIS_YEAR = timezone.localdate().year


def _made(actor, year=2024):
    report = consolidated.consolidated_report_start(actor=actor, year=year, enqueue=False)
    consolidated.consolidated_report_execute(report.pk)
    return ConsolidatedReport.objects.get(pk=report.pk)


def _text(report):
    with report.document.open("rb") as source:
        return word.text_of(source.read())


def _paragraphs(report):
    return _text(report).split("\n")


def test_the_document_states_the_province_figure_the_late_and_missing_units_and_the_proposals(
    tree, board_user, closed_2024, reporting_2024
):
    report = _made(board_user)

    text = _text(report)
    assert report.status == RunStatus.DONE
    # Province T2a 2024: A (excellent) and B (good) of the three rated (A, B, F; N new, E exempt) = 2/3.
    assert "66,67 % (2 of 3)" not in text  # the document speaks Vietnamese
    assert "Đảng viên hoàn thành tốt nhiệm vụ trở lên (T2a): 66,67 % (2/3" in text
    # D2 sent on 20/01/2025, five days after the due date: late. The two units outside the tree sent nothing.
    late = text.split("1. Đơn vị báo cáo chậm")[1].split("2. Đơn vị chưa báo cáo")[0]
    missing = text.split("2. Đơn vị chưa báo cáo")[1].split("III.")[0]
    assert "Huyện ủy Tây Hòa: hạn 15/01/2025, gửi ngày 20/01/2025." in late
    assert "Huyện ủy Đông Sơn" not in late
    assert "Đảng đoàn Hội Nông dân tỉnh: hạn 15/01/2025, quá hạn." in missing
    assert "Ban cán sự đảng Ủy ban nhân dân tỉnh: hạn 15/01/2025, quá hạn." in missing
    assert PROPOSAL_D1 in text
    # A draft's proposal is not the unit's word yet.
    assert "Bản nháp chưa gửi." not in text
    assert "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/BTCTU" in text
    assert report.content["late"] == ["RU-D2"]
    assert report.content["missing"] == ["RU-BCS", "RU-DD"]


def test_the_document_has_the_party_layout(tree, board_user, closed_2024, reporting_2024):
    report = _made(board_user)

    with report.document.open("rb") as source:
        document = docx.Document(io.BytesIO(source.read()))
    section = document.sections[0]
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    lines = _paragraphs(report)
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm), round(section.right_margin.mm)) == (20, 30, 15)
    assert header[0].split("\n")[:3] == ["TỈNH ỦY THỬ NGHIỆM", "BAN TỔ CHỨC", "*"]
    assert header[1].split("\n")[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    today = timezone.localdate()
    assert f"Thử Nghiệm, ngày {today:%d} tháng {today:%m} năm {today.year}" in header[1]
    assert "BÁO CÁO" in lines
    assert "Nơi nhận:" in lines
    assert "- Lưu VT." in lines
    assert "T/M BAN TỔ CHỨC" in lines
    assert "TRƯỞNG BAN" in lines


def test_the_units_table_shows_the_frozen_figures_and_marks_what_is_not_received(
    tree, board_user, closed_2024, reporting_2024
):
    report = _made(board_user)

    with report.document.open("rb") as source:
        document = docx.Document(io.BytesIO(source.read()))
    units_table = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị báo cáo")
    header = [cell.text for cell in units_table.rows[0].cells]
    rows = {row.cells[1].text: [cell.text for cell in row.cells] for row in units_table.rows[1:]}
    t2a = header.index("T2a (%)")
    assert header[:3] == ["STT", "Đơn vị báo cáo", "Báo cáo sơ kết"]
    # D1 froze 2 of 2 (100 %), D2 0 of 1; its review is sent but not received, and late.
    assert rows["Huyện ủy Đông Sơn"][2] == "đã tiếp nhận"
    assert rows["Huyện ủy Đông Sơn"][t2a] == "100,00"
    assert rows["Huyện ủy Tây Hòa"][2] == "đã gửi, chưa tiếp nhận, gửi chậm"
    assert rows["Huyện ủy Tây Hòa"][t2a] == "0,00"
    assert rows["Đảng đoàn Hội Nông dân tỉnh"][2] == "chưa gửi"
    # A unit outside the tree: one cell across the six figure columns.
    assert rows["Đảng đoàn Hội Nông dân tỉnh"][3:] == ["chỉ báo cáo nội dung"] * 6
    assert len(rows) == 4


def test_a_formula_looking_proposal_stays_text(tree, board_user, closed_2024, reporting_2024):
    report = _made(board_user)

    with report.document.open("rb") as source:
        document = docx.Document(io.BytesIO(source.read()))
    xml = document.element.xml
    assert FORMULA in _paragraphs(report)
    assert "w:fldSimple" not in xml
    assert "w:instrText" not in xml


def test_versions_count_from_one_and_share_the_done_annex(tree, board_user, root_user, closed_2024, reporting_2024):
    first = _made(board_user)
    second = _made(root_user)

    rows = ConsolidatedReport.objects.order_by("pk").values_list("version", "requested_by__username", "status")
    assert list(rows) == [(1, "board", RunStatus.DONE), (2, "root", RunStatus.DONE)]
    # The first made the province's compliance report of 2024 (its annex); the second found it done.
    assert first.annex_id == second.annex_id
    assert ReportRun.objects.filter(scope=tree["P"], year=2024).count() == 1
    assert first.annex.status == RunStatus.DONE
    assert first.annex.workbook


def test_a_redelivered_job_is_a_no_op(tree, board_user, closed_2024, reporting_2024):
    report = _made(board_user)

    again = consolidated.consolidated_report_execute(report.pk)

    assert again is None
    assert ConsolidatedReport.objects.count() == 1


def test_issuing_takes_the_next_number_of_the_sequence_the_compliance_reports_share(
    tree, board_user, closed_2024, reporting_2024, django_capture_on_commit_callbacks
):
    report = _made(board_user)
    run = services.report_run_start(actor=board_user, year=2024, scope_id=tree["D1"].pk, enqueue=False)
    services.report_run_execute(run.pk)

    with django_capture_on_commit_callbacks(execute=True):
        issuing.report_run_issue(actor=board_user, run_id=run.pk)
        issued = consolidated.consolidated_report_issue(actor=board_user, report_id=report.pk)
        later = services.report_run_start(actor=board_user, year=2024, scope_id=tree["D2"].pk, enqueue=False)
        services.report_run_execute(later.pk)
        later = issuing.report_run_issue(actor=board_user, run_id=later.pk)

    # The D1 run took 1, the consolidated report 2, the D2 run after it 3: one sequence across both tables.
    assert (issued.number, issued.number_year, issued.number_seq) == ("2-BC/BTCTU", THIS_YEAR, 2)
    assert later.number == "3-BC/BTCTU"
    assert "Số: 2-BC/BTCTU" in _text(issued)
    assert issued.download_name == f"bao-cao-tong-hop-2024-so-2-{THIS_YEAR}.docx"


def test_an_issued_version_refuses_save_delete_and_a_second_issue(tree, board_user, closed_2024, reporting_2024):
    report = _made(board_user)
    consolidated.consolidated_report_issue(actor=board_user, report_id=report.pk)
    report.refresh_from_db()

    with pytest.raises(ValidationError):
        report.save(update_fields=["error"])
    with pytest.raises(ValidationError):
        report.delete()
    with pytest.raises(ValidationError):
        ConsolidatedReport.objects.filter(pk=report.pk).delete()
    with pytest.raises(ValidationError) as second:
        consolidated.consolidated_report_issue(actor=board_user, report_id=report.pk)
    assert second.value.code == "already_issued"
    assert ConsolidatedReport.objects.get(pk=report.pk).number == "1-BC/BTCTU"


def test_only_the_board_makes_and_issues(tree, board_user, steering_user, closed_2024, reporting_2024):
    report = _made(board_user)

    with pytest.raises(PermissionDenied):
        consolidated.consolidated_report_start(actor=steering_user, year=2024, enqueue=False)
    with pytest.raises(PermissionDenied):
        consolidated.consolidated_report_issue(actor=steering_user, report_id=report.pk)
    assert ConsolidatedReport.objects.get(pk=report.pk).number == ""


def test_a_district_cadre_cannot_list_download_or_make_it(
    client, tree, board_user, district_cadre, closed_2024, reporting_2024
):
    report = _made(board_user)
    client.force_login(district_cadre)

    listing = client.get(reverse("reports:consolidated"))
    download = client.get(reverse("reports:consolidated_download", args=[report.pk]))
    issue = client.post(reverse("reports:consolidated_issue", args=[report.pk]))
    create = client.post(reverse("reports:consolidated_create"), {"nam": 2024})

    assert listing.status_code == 200
    assert reverse("reports:consolidated_download", args=[report.pk]) not in listing.content.decode()
    assert "Tạo báo cáo tổng hợp" not in listing.content.decode()
    assert (download.status_code, issue.status_code, create.status_code) == (404, 404, 400)
    assert ConsolidatedReport.objects.count() == 1


def test_the_steering_committee_reads_and_downloads_it(
    client, tree, board_user, steering_user, closed_2024, reporting_2024
):
    report = _made(board_user)
    client.force_login(steering_user)

    listing = client.get(reverse("reports:consolidated")).content.decode()
    download = client.get(reverse("reports:consolidated_download", args=[report.pk]))

    assert reverse("reports:consolidated_download", args=[report.pk]) in listing
    assert reverse("reports:download", args=[report.annex_id]) in listing
    assert "Ban hành phiên bản này" not in listing
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-2024-v1.docx"'
    assert "66,67 %" in word.text_of(b"".join(download.streaming_content))


def test_the_board_requests_it_from_the_page(client, tree, board_user, closed_2024, reporting_2024):
    client.force_login(board_user)

    page = client.get(reverse("reports:consolidated")).content.decode()
    response = client.post(reverse("reports:consolidated_create"), {"nam": 2024})

    assert "Tạo báo cáo tổng hợp" in page
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get()
    assert (report.year, report.version, report.status, report.province_id) == (2024, 1, RunStatus.QUEUED, tree["P"].pk)
