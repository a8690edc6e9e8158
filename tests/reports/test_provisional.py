"""The report workbook of an open year marks its verdicts provisional (tạm tính) and says why."""

from reports import services
from tests.reports.workbook_checks import first_data_row, open_workbook


def test_open_year_workbook_marks_verdicts_provisional(tree, root_user, rated_2024):
    run = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)

    services.report_run_execute(run.pk)

    run.refresh_from_db()
    with run.workbook.open("rb") as workbook:
        summary = open_workbook(workbook.read())["summary"]
    first = first_data_row(summary)
    # Verdict column of T1a … T2b (2024 is open in the tests): T1a, T1b, T2a missed, T2b met.
    verdicts = [summary.cell(row=first + offset, column=7).value for offset in range(4)]
    assert verdicts == ["Không đạt (tạm tính)", "Không đạt (tạm tính)", "Không đạt (tạm tính)", "Đạt (tạm tính)"]
    assert summary.cell(row=first, column=7).fill.fgColor.rgb.endswith("FCE4D6")
    t2a_note = summary.cell(row=first + 2, column=10).value
    assert "tạm tính: năm chưa khoá sổ (đã xếp loại 3/5, 60,00 %)" in t2a_note
    texts = [cell.value for row in summary.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(text.startswith("Năm 2024 chưa khoá sổ: kết quả đánh giá là tạm tính") for text in texts)
