"""Until its rating year is closed a verdict is provisional (tạm tính), shown with its coverage: in the
figures, the dashboard, the drill-down, the API, the command and the report. The hand-rated 2024 of
tests/indicators/conftest.py: T2a 2 good of 3 rated, 5 on the rolls (coverage 60 %)."""

import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from evaluations.models import RatingYear, YearState
from indicators import dashboard
from indicators.computation import NOT_MET
from indicators.selectors import compliance, provisional_years
from indicators.services import snapshot_refresh
from organizations.models import OrgType
from reports import tables
from tests.indicators.tables import figure_table


def _close(year):
    RatingYear.objects.filter(year=year).update(state=YearState.CLOSED)


@pytest.fixture
def snapshots_2024(rated_2024):
    cache.clear()
    snapshot_refresh(year=2024)
    return rated_2024


def _dashboard(client, scope):
    return client.get(f"{reverse('indicators:dashboard')}?nam=2024&pham-vi={scope.pk}")


def test_every_figure_of_an_open_year_is_provisional_and_final_once_closed(tree, root_user, rated_2024):
    open_result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).as_dict()
    _close(2024)
    closed_result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).as_dict()

    assert open_result["provisional"] is True
    assert {f["provisional"] for f in open_result["scope"]["indicators"].values()} == {True}
    assert {f["provisional"] for c in open_result["children"] for f in c["indicators"].values()} == {True}
    assert closed_result["provisional"] is False
    assert {f["provisional"] for f in closed_result["scope"]["indicators"].values()} == {False}
    # Closing changes the marker, never the numbers.
    t2a_open, t2a_closed = open_result["scope"]["indicators"]["T2a"], closed_result["scope"]["indicators"]["T2a"]
    assert (t2a_open["numerator"], t2a_open["denominator"], t2a_open["coverage"]["ratio"]) == (2, 3, "60.0000")
    assert {k: v for k, v in t2a_open.items() if k != "provisional"} == {
        k: v for k, v in t2a_closed.items() if k != "provisional"
    }


def test_a_year_never_opened_is_provisional(db):
    RatingYear.objects.filter(year=2024).delete()
    _close(2023)

    assert provisional_years([2023, 2024]) == {2024}


def test_dashboard_tiles_say_provisional_with_their_coverage(client, tree, steering_user, snapshots_2024):
    client.force_login(steering_user)

    response = _dashboard(client, tree["P"])

    tiles = {tile.code: tile for tile in response.context["tiles"]}
    html = response.content.decode()
    assert (tiles["T2a"].verdict, tiles["T2a"].provisional) == ("Không đạt (tạm tính)", True)
    assert tiles["T2a"].coverage == "Đã xếp loại 3/5 (60,00 %)"
    assert "Tạm tính: năm 2024 chưa khoá sổ; kết quả đánh giá còn có thể thay đổi." in tiles["T2a"].notes
    assert tiles["T3"].verdict == "Đạt (tạm tính)"
    # T4 before its deadline is progress, not a verdict: no provisional marker.
    assert (tiles["T4"].verdict, tiles["T4"].provisional) == ("Đang thực hiện", False)
    assert "Năm đánh giá 2024 chưa khoá sổ" in html
    assert 'class="tile status-not_met provisional"' in html


def test_dashboard_rows_mark_provisional_cells_with_coverage(client, tree, steering_user, snapshots_2024):
    client.force_login(steering_user)

    response = _dashboard(client, tree["P"])

    rows = figure_table(response.content.decode())
    d2_t2a = rows[tree["D2"].name]["T2a"]  # F completed, the only one rated of E (exempt), F
    assert (d2_t2a["label"], d2_t2a["class"]) == ("Không đạt (tạm tính)", "num fig status-not_met provisional")
    assert d2_t2a["title"] == "Không đạt (tạm tính); cần thêm 1 đảng viên; Đã xếp loại 1/2 (50,00 %)"


def test_each_number_of_a_table_cell_links_to_its_list(client, tree, steering_user, snapshots_2024):
    client.force_login(steering_user)

    html = _dashboard(client, tree["P"]).content.decode()

    drill = reverse("indicators:drilldown")
    d2_t2a = figure_table(html)[tree["D2"].name]["T2a"]
    assert d2_t2a["counts"] == "0/1"  # of E (exempt) and F, F is rated (completed, not good)
    assert d2_t2a["links"] == [
        f"{drill}?nam=2024&pham-vi={tree['D2'].pk}&chi-tieu=T2a&nhom=numerator",
        f"{drill}?nam=2024&pham-vi={tree['D2'].pk}&chi-tieu=T2a&nhom=denominator",
    ]
    with translation.override("vi"):
        agencies = str(OrgType.STATE_AGENCY.label)
    agencies_t3 = figure_table(html, "by-type")[agencies]["T3"]
    assert agencies_t3["links"] == [
        f"{drill}?nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T3&nhom=numerator&loai-hinh={OrgType.STATE_AGENCY.value}",
        f"{drill}?nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T3&nhom=denominator&loai-hinh={OrgType.STATE_AGENCY.value}",
    ]


def test_closing_the_year_makes_the_cached_dashboard_final(client, tree, steering_user, snapshots_2024):
    client.force_login(steering_user)
    _dashboard(client, tree["P"])  # cached while 2024 is open

    _close(2024)
    response = _dashboard(client, tree["P"])

    tiles = {tile.code: tile for tile in response.context["tiles"]}
    assert (tiles["T2a"].verdict, tiles["T2a"].provisional) == ("Không đạt", False)
    assert "chưa khoá sổ" not in response.content.decode()


def test_drilldown_states_the_figure_provisional_with_coverage(client, tree, steering_user, snapshots_2024):
    client.force_login(steering_user)
    url = f"{reverse('indicators:drilldown')}?nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T2a&nhom=numerator"

    response = client.get(url)

    assert response.context["figure_summary"] == "66,67 % · Không đạt (tạm tính) · Đã xếp loại 3/5 (60,00 %)"


def test_api_and_command_give_provisional_and_coverage(tree, root_user, rated_2024):
    from tests.api.conftest import token_client

    snapshot_refresh(year=2024)  # the API serves the snapshots
    response = token_client(root_user).get("/api/indicators/compliance/?year=2024&scope=P")
    out = StringIO()
    call_command("compliance", year=2024, scope="P", format="json", stdout=out)

    t2a = response.json()["scope"]["indicators"]["T2a"]
    assert (t2a["provisional"], t2a["coverage"]["rated"], t2a["coverage"]["total"]) == (True, 3, 5)
    assert json.loads(out.getvalue())["scope"]["indicators"]["T2a"]["provisional"] is True


def test_command_table_marks_provisional_verdicts(tree, rated_2024):
    out = StringIO()
    call_command("compliance", year=2024, scope="P", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1] == "Năm 2024 chưa khoá sổ: kết quả tạm tính theo số đã đánh giá (cột bao phủ)."
    t2a = next(line for line in lines if line.startswith("T2a"))
    assert "KHÔNG ĐẠT (tạm tính)" in t2a
    t4 = next(line for line in lines if line.startswith("T4 "))
    assert "(tiến độ)" in t4
    assert "tạm tính" not in t4


def test_report_tables_mark_provisional_verdicts_and_say_why(tree, root_user, rated_2024):
    results = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).as_dict()
    results["report"] = {"program_years": [2020, 2025]}

    with translation.override("vi"):
        sheet = tables.summary_sheet(results)
        words = [tables.verdict_word(row[6].status) for row in sheet.blocks[0].rows[:4]]
        t2a_note = sheet.blocks[0].rows[2][-1].value
        note = sheet.blocks[0].notes[0]

    assert words == ["Không đạt (tạm tính)", "Không đạt (tạm tính)", "Không đạt (tạm tính)", "Đạt (tạm tính)"]
    assert "tạm tính: năm chưa khoá sổ (đã xếp loại 3/5, 60,00 %)" in t2a_note
    assert note.startswith("Năm 2024 chưa khoá sổ: kết quả đánh giá là tạm tính")


def test_a_report_run_before_the_flag_existed_reads_final():
    figure = {"status": "met", "judged": True}

    assert tables.figure_status(figure) == tables.MET


def test_dashboard_and_workbook_word_a_missed_target_alike():
    with translation.override("vi"):
        assert str(dashboard.VERDICTS[NOT_MET]) == tables.verdict_word(tables.NOT_MET) == "Không đạt"


def test_dashboard_excel_says_provisional_with_coverage(client, tree, steering_user, snapshots_2024):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(steering_user)

    response = client.get(f"{reverse('indicators:export')}?nam=2024&pham-vi={tree['P'].pk}")

    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    t2a = next(row for row in sheet.iter_rows(values_only=True) if "T2a" in row)
    assert "Không đạt (tạm tính)" in t2a
    assert "Đã xếp loại 3/5 (60,00 %)" in t2a
