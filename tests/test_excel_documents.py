"""Every Excel download looks like a Party document: the header, the title, the signature block on every sheet
(empty lists too), A4 fitted to the page width with the column headers repeated, numbers stored as numbers with
explicit formats, and Vietnamese labels instead of internal codes.

The province is `rated_2024` (tests/indicators/conftest.py): P "Đảng bộ tỉnh Thử Nghiệm" with D1 (G1, a ward's
committee: members A "Lê Văn An" EXCELLENT, B "Trần Thị Bình" GOOD, N "Phạm Minh Nam" admitted 10/09/2024) and D2
(G2, a state agency's cell: E "Đỗ Văn Em" exempt, F "Vũ Thị Phương" COMPLETED).
"""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluations.models import RatingYear, Submission
from evaluations.services import submission_approve, submission_submit
from indicators.services import snapshot_refresh
from organizations.models import OrgType
from reports import services as report_services
from reports import workbook
from reports.models import ReportRun
from tests.factories import make_member
from tests.indicators.conftest import rated_2024

__all__ = ["rated_2024"]

COMMITTEE, BOARD = "TỈNH ỦY THỬ NGHIỆM", "BAN TỔ CHỨC"
# Rows 1-4 header, 6-7 title and subtitle, 9 column headers, 10 their numbers "(1) (2) …", data from row 11.
HEADER_ROW, FIRST_ROW = 9, 11


def _book(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return load_workbook(BytesIO(response.content))


def _texts(ws):
    return [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]


def _date_line():
    today = timezone.localdate()
    return f"Thử Nghiệm, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"


def _assert_document(ws, *, orientation):
    """The header, the signature block below everything else, and the A4 page setup of one sheet."""
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value) == (COMMITTEE, BOARD, "*")
    texts = _texts(ws)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert _date_line() in texts
    signature = next(row for row in ws.iter_rows() if row[0].value == "NGƯỜI LẬP BIỂU")
    assert "TRƯỞNG BAN" in [cell.value for cell in signature]
    assert signature[0].row >= ws.max_row - 1
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == orientation
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"


def _column(ws, column):
    """The values of one column of the table, from the first data row to the last numbered one."""
    values = []
    for row in range(FIRST_ROW, ws.max_row + 1):
        if not isinstance(ws.cell(row=row, column=1).value, int):
            break
        values.append(ws.cell(row=row, column=column).value)
    return values


def test_dashboard_workbook_is_a_party_document_with_numbers_and_vietnamese_labels(
    client, steering_user, tree, rated_2024
):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)

    book = _book(client, f"{reverse('indicators:export')}?nam=2024&pham-vi={tree['P'].pk}")

    assert book.sheetnames == ["Chỉ tiêu", "Đơn vị trực thuộc", "Theo loại hình TCCSĐ"]
    tiles, units, types = (book[name] for name in book.sheetnames)
    # 11 columns (93 width units) are landscape; the sub-units and types (26 and 27 columns) too.
    for ws in (tiles, units, types):
        _assert_document(ws, orientation="landscape")
    # The STT column: numbers 1..22 shown as integers, no text (Excel's green warning): the six targets, then
    # the sixteen tracked figures (migration 0008).
    assert _column(tiles, 1) == list(range(1, 23))
    assert {tiles.cell(row=r, column=1).number_format for r in range(11, 33)} == {"0"}
    assert _column(tiles, 2)[:7] == ["T1a", "T1b", "T2a", "T2b", "T3", "T4", "KN_DOAN_VIEN"]
    # Numerator and denominator counts (#,##0), the result a number in percent, as in the report workbook, and
    # the target a number in percent.
    t1a, t1b = (list(row) for row in tiles.iter_rows(min_row=11, max_row=12))
    assert [(c.value, c.data_type, c.number_format) for c in t1a[3:5]] == [(1, "n", "#,##0"), (2, "n", "#,##0")]
    assert (t1a[5].value, t1a[5].number_format) == (50, '0.00" %"')
    assert (t1a[6].value, t1a[6].number_format) == (90, '"> "0" %"')
    assert (t1b[6].value, t1b[6].number_format) == (0.3, '"< "0.0" %"')
    assert _column(units, 3) == ["D1", "D2"]
    # Types by their Vietnamese names; no internal code anywhere in the workbook.
    assert sorted(_column(types, 2)) == ["Cơ quan Nhà nước", "Phường"]
    every_text = {text for ws in book.worksheets for text in _texts(ws)}
    assert not every_text & set(OrgType.values)


def test_drilldown_export_lists_the_rows_behind_a_number(client, steering_user, tree, rated_2024):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)
    query = f"nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T2a&nhom=numerator&trang=2"

    page = client.get(f"{reverse('indicators:drilldown')}?{query}")
    book = _book(client, f"{reverse('indicators:drilldown_export')}?{query}")

    # The page links to the same list, without its page number.
    assert page.context["export_url"].endswith(f"nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T2a&nhom=numerator")
    ws = book.active
    # 6 + 26 + 13 + 30 + 20 = 95 width units: a portrait A4 holds them.
    _assert_document(ws, orientation="portrait")
    headers = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, 6)]
    assert headers == ["STT", "Họ và tên", "Số lý lịch", "Đơn vị xếp loại", "Xếp loại"]
    assert _column(ws, 2) == ["Lê Văn An", "Trần Thị Bình"]
    assert _column(ws, 5) == ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"]


def test_an_empty_drilldown_export_still_prints_its_header_and_signature(client, steering_user, tree, rated_2024):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)
    # T2b's numerator: nobody was rated "did not complete tasks" in 2024.
    query = f"nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T2b&nhom=numerator"

    ws = _book(client, f"{reverse('indicators:drilldown_export')}?{query}").active

    _assert_document(ws, orientation="portrait")
    assert _column(ws, 2) == []
    assert ws.cell(row=FIRST_ROW, column=1).value == "Không có trường hợp nào."


def test_member_list_export_keeps_the_scope_and_filters_of_the_page(client, steering_user, tree, rated_2024):
    make_member(
        tree["G2"], full_name="Hà Thị Lan", gender="F", date_of_birth=date(1990, 2, 3), admission_date=date(2020, 1, 2)
    )
    client.force_login(steering_user)
    query = "ngay=31/12/2024&gioi_tinh=F"

    page = client.get(f"{reverse('members:list')}?{query}&trang=1")
    ws = _book(client, f"{reverse('members:list_export')}?{query}").active

    assert page.context["export_url"] == f"{reverse('members:list_export')}?ngay=31%2F12%2F2024&gioi_tinh=F"
    _assert_document(ws, orientation="landscape")
    headers = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, 10)]
    assert headers == [
        "STT",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Tổ chức đảng",
        "Mã",
        "Ngày vào Đảng",
        "Tình trạng",
        "Lý luận chính trị",
    ]
    # make_member gives everyone gender M unless told: only the new member is a woman.
    assert _column(ws, 2) == ["Hà Thị Lan"]
    assert _column(ws, 3) == ["Nữ"]
    born = ws.cell(row=FIRST_ROW, column=4)
    assert (born.value, born.number_format) == (datetime(1990, 2, 3), "DD/MM/YYYY")
    assert "Giới tính: Nữ" in ws["A7"].value


def test_member_list_export_of_a_grassroots_cadre_holds_only_their_organization(
    client, grassroots_cadre, tree, rated_2024
):
    client.force_login(grassroots_cadre)

    ws = _book(client, f"{reverse('members:list_export')}?ngay=31/12/2024").active

    # A grassroots committee has no board: its secretary signs.
    assert (ws["A1"].value, ws["A2"].value) == ("ĐẢNG BỘ PHƯỜNG BẮC", None)
    assert "BÍ THƯ" in _texts(ws)
    assert sorted(_column(ws, 2)) == ["Lê Văn An", "Phạm Minh Nam", "Trần Thị Bình"]


def _approve_g1(tree, root_user):
    g1 = Submission.objects.get(organization=tree["G1"], year=RatingYear.objects.get(year=2024))
    submission_submit(actor=root_user, submission=g1)
    submission_approve(actor=root_user, submission=g1)


def test_approval_queue_export_lists_the_tab_of_the_page(client, board_user, root_user, tree, rated_2024):
    _approve_g1(tree, root_user)
    client.force_login(board_user)
    query = "nam=2024&trang_thai=tat-ca"

    page = client.get(f"{reverse('evaluations:queue')}?{query}&trang=1")
    ws = _book(client, f"{reverse('evaluations:queue_export')}?{query}").active
    approved = _book(client, f"{reverse('evaluations:queue_export')}?nam=2024&trang_thai=da-duyet").active

    assert page.context["export_url"] == f"{reverse('evaluations:queue_export')}?{query}"
    _assert_document(ws, orientation="landscape")
    headers = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, 10)]
    assert headers == [
        "STT",
        "Tổ chức đảng",
        "Mã",
        "Trực thuộc",
        "Trạng thái",
        "Gửi lúc",
        "Quyết định lúc",
        "Cảnh báo",
        "Xếp loại tổ chức",
    ]
    # The page's rows: G1 under D1 (approved), G2 under D2 (a draft), with their own ratings.
    assert _column(ws, 2) == ["Đảng bộ phường Bắc", "Chi bộ Sở Tư pháp"]
    assert _column(ws, 3) == ["G1", "G2"]
    assert _column(ws, 4) == ["Huyện ủy Đông Sơn", "Huyện ủy Tây Hòa"]
    assert _column(ws, 5) == ["Đã duyệt", "Bản nháp"]
    assert _column(ws, 9) == ["Hoàn thành tốt nhiệm vụ", "Không hoàn thành nhiệm vụ"]
    assert "Tất cả" in ws["A7"].value
    assert _column(approved, 3) == ["G1"]


def test_approval_queue_export_of_a_grassroots_cadre_is_empty_under_their_own_header(
    client, grassroots_cadre, tree, rated_2024
):
    client.force_login(grassroots_cadre)

    ws = _book(client, f"{reverse('evaluations:queue_export')}?nam=2024&trang_thai=tat-ca").active

    assert (ws["A1"].value, ws["A2"].value) == ("ĐẢNG BỘ PHƯỜNG BẮC", None)
    assert "BÍ THƯ" in _texts(ws)
    assert _column(ws, 2) == []
    assert ws.cell(row=FIRST_ROW, column=1).value == "Không có tổ chức cơ sở đảng nào ở trạng thái này."


def test_progress_export_lists_the_sub_units_and_the_late(client, steering_user, root_user, tree, rated_2024):
    _approve_g1(tree, root_user)
    client.force_login(steering_user)
    query = f"nam=2024&pham-vi={tree['P'].pk}"

    page = client.get(f"{reverse('indicators:progress')}?{query}&trang=1")
    book = _book(client, f"{reverse('indicators:progress_export')}?{query}")

    assert page.context["export_url"] == f"{reverse('indicators:progress_export')}?{query}"
    assert book.sheetnames == ["Theo đơn vị trực thuộc", "Trễ hạn"]
    counts, late = book.worksheets
    assert late["A6"].value == "TCCSĐ TRỄ HẠN – NĂM 2024"
    for ws in (counts, late):
        _assert_document(ws, orientation="landscape" if ws is counts else "portrait")
    # Sub-unit, code, TCCSĐ, then draft, submitted, returned, approved, nothing entered, late, share approved.
    assert _column(counts, 2) == ["Huyện ủy Đông Sơn", "Huyện ủy Tây Hòa"]
    d1, d2 = ([c.value for c in row[3:12]] for row in counts.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW + 1))
    assert d1 == [1, 0, 0, 0, 1, 0, 0, 100]
    assert d2 == [1, 1, 0, 0, 0, 0, 1, 0]
    # 2024's ratings were due on 20/01/2025: G2, still a draft, is late.
    assert _column(late, 2) == ["G2"]
    assert _column(late, 3) == ["Chi bộ Sở Tư pháp"]
    assert _column(late, 4) == ["Huyện ủy Tây Hòa"]


def test_progress_export_of_a_district_cadre_holds_only_their_district(client, other_district_cadre, tree, rated_2024):
    client.force_login(other_district_cadre)

    book = _book(client, f"{reverse('indicators:progress_export')}?nam=2024")

    counts, late = book.worksheets
    assert _column(counts, 3) == ["G2"]
    assert _column(late, 2) == ["G2"]
    assert "Huyện ủy Đông Sơn" not in {text for ws in book.worksheets for text in _texts(ws)}


def test_organization_page_links_its_member_list_download(client, steering_user, grassroots_cadre, tree, rated_2024):
    client.force_login(steering_user)

    page = client.get(f"{reverse('organization_detail', args=[tree['D1'].pk])}?ngay=31/12/2024")
    cell = client.get(f"{reverse('organization_detail', args=[tree['C1'].pk])}?ngay=31/12/2024")
    url = page.context["members_export_url"]
    ws = _book(client, url).active
    client.force_login(grassroots_cadre)
    d2_url = f"{reverse('members:list_export')}?ngay=31%2F12%2F2024&to_chuc={tree['D2'].pk}"
    own = _book(client, url.replace(f"to_chuc={tree['D1'].pk}", f"to_chuc={tree['G1'].pk}")).active
    forged = _book(client, d2_url).active

    assert url == f"{reverse('members:list_export')}?ngay=31%2F12%2F2024&to_chuc={tree['D1'].pk}"
    assert url in page.content.decode().replace("&amp;", "&")
    assert cell.context["members_export_url"] == ""
    # The document is D1's: its committee's header and board.
    assert (ws["A1"].value, ws["A2"].value) == ("HUYỆN ỦY ĐÔNG SƠN", BOARD)
    assert "NGƯỜI LẬP BIỂU" in _texts(ws)
    # The page lists D1 and its sub-units: G1's members.
    assert sorted(_column(ws, 2)) == ["Lê Văn An", "Phạm Minh Nam", "Trần Thị Bình"]
    assert "Huyện ủy Đông Sơn" in ws["A7"].value
    # G1's cadre gets G1's members; naming D2 (outside their scope) shows nothing of D2.
    assert sorted(_column(own, 2)) == ["Lê Văn An", "Phạm Minh Nam", "Trần Thị Bình"]
    assert not {"Đỗ Văn Em", "Vũ Thị Phương"} & set(_column(forged, 2))


@pytest.mark.parametrize("slug", ["to-chuc", "dang-vien"])
def test_import_templates_print_on_a4_with_the_party_header(client, root_user, slug):
    client.force_login(root_user)

    book = _book(client, reverse("imports:template", args=[slug]))

    data, guide = book["Dữ liệu"], book["Hướng dẫn"]
    # The data sheet's rows are read back: the header and signature are in the printed page header and footer.
    assert data["A1"].value == "STT"
    assert data.oddHeader.center.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert (data.oddFooter.left.text, data.oddFooter.right.text) == ("NGƯỜI LẬP BIỂU", "BÍ THƯ")
    assert data.print_title_rows == "$1:$1"
    for ws in (data, guide):
        assert int(ws.page_setup.paperSize) == 9
        assert ws.page_setup.fitToWidth == 1
    assert guide["A1"].value == "……………………………"
    assert "NGƯỜI LẬP BIỂU" in _texts(guide)


def test_report_workbook_signs_every_sheet_and_carries_a_document_number(tree, root_user, rated_2024):
    run = report_services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk, enqueue=False)
    report_services.report_run_execute(run.pk)
    results = ReportRun.objects.get(pk=run.pk).results

    book = load_workbook(BytesIO(workbook.build(results, number="Số: 12-BC/BTCTU")))

    # summary, T1a+T1b, T2a+T2b, T3, T4, the eight denominators of the tracked figures, party cells, by type,
    # trend and the three lists
    assert len(book.worksheets) == 19
    for ws in book.worksheets:
        assert (ws["A1"].value, ws["A2"].value, ws["A4"].value) == (COMMITTEE, BOARD, "Số: 12-BC/BTCTU")
        assert "NGƯỜI LẬP BIỂU" in _texts(ws), ws.title
        assert int(ws.page_setup.paperSize) == 9


def _cell_after(ws, column, label):
    """The cell `column` of the first row whose second cell reads `label` (a unit, or an indicator's code)."""
    row = next(row for row in ws.iter_rows() if row[1].value == label)
    return row[column - 1]


def test_the_dashboard_and_report_workbooks_write_a_figure_as_the_same_cell(
    client, steering_user, root_user, tree, rated_2024
):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)
    run = report_services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk, enqueue=False)
    report_services.report_run_execute(run.pk)

    dashboard = _book(client, f"{reverse('indicators:export')}?nam=2024&pham-vi={tree['P'].pk}")
    report = load_workbook(BytesIO(workbook.build(ReportRun.objects.get(pk=run.pk).results)))

    def shown(cell):
        return (cell.value, cell.data_type, cell.number_format)

    # T2a of the province: 2 good or better (A, B) of 3 rated (A, B, F) = 66.6667 %, written 66,67 %; ≥ 90 % not
    # met, provisionally (2024 is not closed). The dashboard's tiles: code in column 2, result 6, target 7, verdict 8.
    tile_result, tile_target, tile_verdict = (_cell_after(dashboard["Chỉ tiêu"], c, "T2a") for c in (6, 7, 8))
    # The report's summary: result in column 6, target 3, verdict 7, on the row of "T2a – …".
    summary = report["Tổng hợp"]
    row = next(row for row in summary.iter_rows() if str(row[1].value).startswith("T2a – "))
    assert shown(tile_result) == shown(row[5]) == (66.6667, "n", '0.00" %"')
    assert shown(tile_target) == shown(row[2]) == (90, "n", '"≥ "0" %"')
    assert tile_verdict.value == row[6].value == "Không đạt (tạm tính)"
    # D2's T1b: 1 not completed of 1 rated = 100 %, in the dashboard's sub-units (STT, name, code, then numerator,
    # denominator, result, verdict per indicator: T1b's result is column 10) and in the report's T1 sheet (21).
    sub_unit = _cell_after(dashboard["Đơn vị trực thuộc"], 10, "Huyện ủy Tây Hòa")
    report_unit = _cell_after(report["T1a, T1b"], 21, "Huyện ủy Tây Hòa")
    assert shown(sub_unit) == shown(report_unit) == (100, "n", '0.00" %"')
