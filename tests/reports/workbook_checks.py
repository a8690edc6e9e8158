"""The workbook of the `rated_2024` province (tests/indicators/conftest.py), counted by hand.

2024, tree as of 31/12/2024: P has the districts D1 (Đông Sơn) and D2 (Tây Hòa).
- D1: TCCSĐ G1 rated GOOD; members A (EXCELLENT), B (GOOD), N (admitted 10/09/2024: not rated, NEW_MEMBER);
  G1's committee: A (intermediate theory), B (elementary).
- D2: TCCSĐ G2 rated NOT_COMPLETED; members E (exempt since 2023), F (COMPLETED); no committee.
- Cells C1, C2 of G1: not rated.  Members on 31/12/2023: A, B (D1), E, F (D2); admitted in 2024: N (D1).
"""

from io import BytesIO

from openpyxl import load_workbook

MET, NOT_MET, NO_DATA, PROGRESS_NOT_MET = "Đạt", "Không đạt", "Chưa có số liệu", "Chưa đạt (tiến độ)"
D1, D2, TOTAL = "Huyện ủy Đông Sơn", "Huyện ủy Tây Hòa", "Tổng cộng: Đảng bộ tỉnh Thử Nghiệm"
# One sheet per denominator measure: T1a and T1b share the TCCSĐ rated, T2a and T2b the members rated.
SHEETS = [
    "summary",
    "t1",
    "t2",
    "t3",
    "t4",
    # The tracked figures (migration 0008), one sheet per denominator in display order: the admissions by group,
    # the commune-level TCCSĐ, the residential cells, the counts, the rolls at the start of the year, the rolls at
    # the end, the cell meetings, the party cells.
    "kn",
    "bt_chu_tich",
    "bt_truong_thon",
    "counts",
    "removals",
    "llct",
    "du_sinh_hoat",
    "du_sh_bao_phu",
    "cells",
    "by_type",
    "trend",
    "not_completed",
    "not_approved",
    "warnings",
]


def open_workbook(content):
    workbook = load_workbook(BytesIO(content))
    assert len(workbook.worksheets) == len(SHEETS)
    return dict(zip(SHEETS, workbook.worksheets, strict=True))


def table(ws):
    """The first table's rows as values: from below the numbered index row "(1) (2) …" to the notes below it
    (merged over the row, so their second cell is empty)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(index for index, row in enumerate(rows) if row[0] == "(1)") + 1
    result = []
    for row in rows[start:]:
        if row[1] is None:
            break
        result.append(row)
    return result


def first_data_row(ws):
    return next(cell.row for cell in ws["A"] if cell.value == "(1)") + 1


def check_summary(ws):
    assert ws["A1"].value == "TỈNH ỦY THỬ NGHIỆM"
    assert ws["A2"].value == "BAN TỔ CHỨC"
    assert ws["A5"].value == "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG NĂM 2024"
    texts = {cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {"ĐẢNG CỘNG SẢN VIỆT NAM", "NGƯỜI LẬP BIỂU", "TRƯỞNG BAN"} <= texts
    # numerator, denominator, %, verdict, margin, coverage % of each row
    rows = [row[3:9] for row in table(ws)]
    assert rows == [
        (1, 2, 50, NOT_MET, -1, 100),  # T1a: G1 of G1, G2
        (1, 2, 50, NOT_MET, -1, 100),  # T1b: G2
        (2, 3, 66.6667, NOT_MET, -1, 60),  # T2a: A, B of A, B, F; 3 of 5 rated
        (0, 3, 0, MET, 0, 60),  # T2b
        (1, 4, 25, MET, 0, "—"),  # T3: N over A, B, E, F
        (1, 20, 5, MET, None, "—"),  # T3 over 2020–2024: mean of 0, 0, 0, 0, 25 %
        (1, 2, 50, PROGRESS_NOT_MET, -1, "—"),  # T4: A of A, B; judged in 2025
        # The tracked figures: shown, not judged (no threshold, no verdict, no margin).
        *[(0, 1, 0, None, None, "—")] * 7,  # admissions by group: N, the one admission, has no coded record
        (0, 1, 0, None, None, "—"),  # secretaries also commune chairs: G1 (a ward) the one commune-level TCCSĐ
        (0, 2, 0, None, None, "—"),  # cell secretaries also village heads: C1, C2 of the ward, no post recorded
        (0, None, 0, None, None, "—"),  # TCCSĐ in non-state enterprises: a count, none
        *[(0, 4, 0, None, None, "—")] * 3,  # struck off, expelled, disciplined: none, per mille of A, B, E, F
        (1, 5, 20, None, None, "—"),  # intermediate theory or higher: A of A, B, N, E, F on 31/12/2024
        (0, 0, "—", None, None, "—"),  # attendance at cell meetings: no meeting recorded
        (0, 2, 0, None, None, "—"),  # cells recording attendance: none of C1, C2
    ]
    t1a = ws.cell(row=first_data_row(ws), column=7)
    assert t1a.fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=first_data_row(ws), column=6).number_format == '0.00" %"'


def check_t1(ws):
    # total, new organization, pending, rated, then (no., %) of the four levels, then for T1a and for T1b:
    # count, %, target, verdict, margin. Margins: T1a > 90 % of 1 rated needs 1 (D1 0, D2 −1), of 2 needs 2
    # (total 1 − 2 = −1); T1b < 0.3 % tolerates 0 of 1 or of 2 (D1 0, D2 and total 0 − 1 = −1).
    assert ws.title == "T1a, T1b"
    assert table(ws) == [
        (1, D1, 1, 0, 0, 1, 0, 0, 1, 100, 0, 0, 0, 0, 1, 100, 90, MET, 0, 0, 0, 0.3, MET, 0),
        (2, D2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 100, 0, 0, 90, NOT_MET, -1, 1, 100, 0.3, NOT_MET, -1),
        (None, TOTAL, 2, 0, 0, 2, 0, 0, 1, 50, 0, 0, 1, 50, 1, 50, 90, NOT_MET, -1, 1, 50, 0.3, NOT_MET, -1),
    ]


def check_cells(ws):
    # C1 and C2: 2 cells, both not yet rated; none rated, so no level has a share.
    assert table(ws) == [(1, "Đảng bộ tỉnh Thử Nghiệm", 2, 2, 0, 0, "—", 0, "—", 0, "—", 0, "—")]


def check_t2(ws):
    # total, exempt, suspended, new member, pending, rated, then (no., %) of the four levels, then for T2a and
    # T2b: count, %, target, verdict, margin. T2a ≥ 90 % of 2 rated needs 2 (D1 0), of 1 needs 1 (D2 −1), of 3
    # needs 3 (total 2 − 3 = −1); T2b < 0.4 % tolerates 0 of up to 3 (margin 0 everywhere).
    assert table(ws) == [
        (1, D1, 3, 0, 0, 1, 0, 2, 1, 50, 1, 50, 0, 0, 0, 0, 2, 100, 90, MET, 0, 0, 0, 0.4, MET, 0),
        (2, D2, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 100, 0, 0, 0, 0, 90, NOT_MET, -1, 0, 0, 0.4, MET, 0),
        (
            None,
            TOTAL,
            *(5, 1, 0, 1, 0, 3),
            *(1, 33.3333, 1, 33.3333, 1, 33.3333, 0, 0),
            *(2, 66.6667, 90, NOT_MET, -1),
            *(0, 0, 0.4, MET, 0),
        ),
    ]


def check_t3(ws):
    assert table(ws) == [
        (1, D1, 2, 1, 0, 50, 4, MET, 0),
        (2, D2, 2, 0, 0, 0, 4, NOT_MET, -1),
        (None, TOTAL, 4, 1, 0, 25, 4, MET, 0),
    ]
    # The target is the number 4 shown "> 4 %"; the STT a number shown as an integer.
    first = first_data_row(ws)
    assert ws.cell(row=first, column=7).number_format == '"> "0" %"'
    assert (ws.cell(row=first, column=1).data_type, ws.cell(row=first, column=1).number_format) == ("n", "0")
    # The program block's mean row: the mean rate only, no sums of members or admissions over the years.
    mean = next(row for row in ws.iter_rows(values_only=True) if row[0] == "Bình quân")
    assert mean[:4] == ("Bình quân", None, None, 5)


def check_t4(ws):
    # committee members, then (no., %) by theory level: none, elementary, intermediate, advanced, bachelor; then
    # T4's count, %, target, verdict, margin. D1: A intermediate, B elementary; > 90 % of 2 needs 2 (1 − 2 = −1).
    assert table(ws) == [
        (1, D1, 2, 0, 0, 1, 50, 1, 50, 0, 0, 0, 0, 1, 50, 90, PROGRESS_NOT_MET, -1),
        (2, D2, 0, 0, "—", 0, "—", 0, "—", 0, "—", 0, "—", 0, "—", 90, NO_DATA, None),
        (None, TOTAL, 2, 0, 0, 1, 50, 1, 50, 0, 0, 0, 0, 1, 50, 90, PROGRESS_NOT_MET, -1),
    ]


def check_trend(ws):
    rows = table(ws)
    assert [row[0] for row in rows] == [2020, 2021, 2022, 2023, 2024]
    # 2020: no TCCSĐ rated; no admission over 4 members; committee 1 of 2 qualified.
    assert rows[0][1:3] == ("—", NO_DATA)
    assert rows[0][9:13] == (0, NOT_MET, 50, PROGRESS_NOT_MET)
    assert rows[4][1:3] == (50, NOT_MET)
    assert rows[4][-2:] == (5, MET)  # the last two columns: T3's mean over the program years so far
    # The tracked figures follow T4 (columns 14…45): LLCT_TRUNG_CAP, A of A, B, N, E, F in 2024 = 20 %, shown only.
    assert rows[4][39:41] == (20, None)


def check_lists(sheets):
    assert table(sheets["not_completed"]) == [(1, "G2", "Chi bộ Sở Tư pháp", "Cơ quan Nhà nước", D2)]
    not_approved = table(sheets["not_approved"])
    # Both submissions are still drafts.
    assert [(row[1], row[6]) for row in not_approved] == [("G1", "Bản nháp"), ("G2", "Bản nháp")]
    warnings = table(sheets["warnings"])
    # G1: 1 excellent member exceeds 20 % of its 1 good one.
    assert [row[1] for row in warnings] == ["G1"]


def check_print_setup(ws):
    # Landscape when the table is wider than a portrait A4 holds (100 width units).
    width = sum(ws.column_dimensions[letter].width for letter in ws.column_dimensions)
    assert ws.page_setup.orientation == ("landscape" if width > 100 else "portrait"), (ws.title, width)
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.freeze_panes == f"C{first_data_row(ws)}"


def check_hand_counted(content):
    """Every hand-counted cell of the rated_2024 province's 2024 workbook."""
    sheets = open_workbook(content)
    check_summary(sheets["summary"])
    check_t1(sheets["t1"])
    check_t2(sheets["t2"])
    check_t3(sheets["t3"])
    check_t4(sheets["t4"])
    check_cells(sheets["cells"])
    check_trend(sheets["trend"])
    check_lists(sheets)
    for key in ("summary", "t1", "t2", "t3", "t4"):
        check_print_setup(sheets[key])
    # The wide tables turn landscape, T3's nine columns stay portrait.
    assert [sheets[key].page_setup.orientation for key in ("summary", "t2", "t3")] == [
        "landscape",
        "landscape",
        "portrait",
    ]
