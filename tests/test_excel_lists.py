"""The list documents' cells (party_portal.excel_lists): a sheet makes each style once and copies it to the cells
that share it, and every cell still ends with its own style: a text that looks like a formula carries the quote
prefix and the plain text after it in the same column does not, a date carries the date format and an empty date
none. And every_row streams a queryset whole, in order."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from organizations.models import Organization
from party_portal import excel
from party_portal.excel_lists import CODE, DATE, TEXT, Column, ListSheet, every_row, list_workbook

HEAD = excel.letterhead(name="Đảng bộ xã Thử Nghiệm", with_board=False, day=date(2025, 1, 2))
ROWS = [
    ["=SUM(A1)", date(1990, 2, 3), "G1"],
    ["Lê Văn An", None, "=G2"],
    ["+84 912", date(1991, 3, 4), "G3"],
]


def _table():
    sheet = ListSheet("Danh sách", "DANH SÁCH", [Column("Tên", TEXT), Column("Ngày", DATE), Column("Mã", CODE)], ROWS)
    ws = load_workbook(BytesIO(list_workbook(head=HEAD, sheets=[sheet]))).active
    first = next(row for row in range(1, ws.max_row + 1) if ws.cell(row=row, column=1).value == 1)
    return ws, first


def test_each_cell_of_a_list_keeps_its_own_quote_prefix_and_format():
    ws, first = _table()
    cells = [[ws.cell(row=first + i, column=c) for c in range(1, 5)] for i in range(3)]

    assert [[cell.value for cell in row] for row in cells] == [
        [1, "=SUM(A1)", datetime(1990, 2, 3), "G1"],
        [2, "Lê Văn An", None, "=G2"],
        [3, "+84 912", datetime(1991, 3, 4), "G3"],
    ]
    # Texts are stored as text; the quote prefix marks exactly those starting like a formula.
    assert [[cell.quotePrefix for cell in row[1::2]] for row in cells] == [[True, False], [False, True], [True, False]]
    assert {cell.data_type for row in cells for cell in row[1::2]} == {"s"}
    assert [row[2].number_format for row in cells] == ["DD/MM/YYYY", "General", "DD/MM/YYYY"]
    assert [row[0].number_format for row in cells] == ["0", "0", "0"]
    # The alignment of each kind of column, the grid and the 10-point body font on every cell.
    assert {(row[1].alignment.horizontal, row[1].alignment.wrap_text) for row in cells} == {("left", True)}
    assert {row[2].alignment.horizontal for row in cells} == {"center"}
    assert {(row[3].alignment.horizontal, bool(row[3].alignment.wrap_text)) for row in cells} == {("center", False)}
    assert {(cell.font.sz, cell.font.b, cell.border.left.style) for row in cells for cell in row} == {
        (10, False, "thin")
    }


def test_the_column_headers_keep_their_bold_font_and_grey_fill_beside_the_rows():
    ws, first = _table()
    headers = [ws.cell(row=first - 2, column=c) for c in range(1, 5)]

    assert [cell.value for cell in headers] == ["STT", "Tên", "Ngày", "Mã"]
    assert {(cell.font.b, cell.fill.fgColor.rgb, cell.alignment.horizontal) for cell in headers} == {
        (True, "00F2F2F2", "center")
    }
    assert {ws.cell(row=first, column=c).fill.fill_type for c in range(1, 5)} == {None}


@pytest.mark.django_db
def test_every_row_gives_the_whole_queryset_in_its_order(tree):
    codes = sorted(Organization.objects.values_list("code", flat=True), reverse=True)

    assert len(codes) > 5
    assert [o.code for o in every_row(Organization.objects.order_by("-code"), chunk_size=2)] == codes
