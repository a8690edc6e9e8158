"""The statistics forms' pages, downloads, API and command give the numbers the forms compute."""

from io import BytesIO

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook


def _cells(content):
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _row(rows, label):
    return next(row for row in rows if row[1] is not None and str(row[1]).strip() == label)


def test_bieu1_page_shows_the_form_for_a_year_and_scope(client, province):
    client.force_login(province["admin"])

    response = client.get(reverse("reports:form_bieu1"), {"nam": 2024, "to_chuc": province["orgs"]["D2"].pk})

    assert response.status_code == 200
    table = response.context["table"]
    assert (table.value("start"), table.value("end")) == (6, 7)
    assert "Biểu số 1-BTCTW" in response.content.decode()


def test_bieu1_page_with_dates_counts_the_period(client, province):
    client.force_login(province["admin"])

    response = client.get(
        reverse("reports:form_bieu1"), {"tu": "01/01/2024", "den": "30/06/2024", "to_chuc": province["orgs"]["D2"].pk}
    )

    assert response.context["table"].value("end") == 6


def test_form_page_refuses_a_period_that_ends_before_it_starts(client, province):
    client.force_login(province["admin"])

    response = client.get(reverse("reports:form_bieu1"), {"tu": "01/07/2024", "den": "30/06/2024"})

    assert response.status_code == 400
    assert response.context["table"] is None
    assert "trước" in response.content.decode()


def test_form_page_outside_the_actor_scope_is_not_found(client, province, d1_cadre):
    client.force_login(d1_cadre)

    response = client.get(reverse("reports:form_bieu5"), {"nam": 2024, "to_chuc": province["orgs"]["D2"].pk})

    # The drop-down offers D1's part of the tree only: another unit is not a valid choice, and not named by id.
    assert response.status_code == 400
    assert str(province["orgs"]["D2"].pk) not in response.context["form"].errors["to_chuc"][0]
    assert "không thuộc phần cây tổ chức" in response.content.decode()


def test_bieu1_download_holds_the_hand_counted_cells(client, province):
    client.force_login(province["admin"])

    response = client.get(reverse("reports:form_bieu1_download"), {"nam": 2024, "to_chuc": province["orgs"]["P"].pk})

    rows = _cells(response.content)
    assert _row(rows, "A. Tổng số đảng viên cuối kỳ trước chuyển sang")[2:5] == [14, 13, 107.69]
    assert _row(rows, "D. Đảng viên trong danh sách cuối kỳ báo cáo")[2] == 14


def test_bieu5_api_gives_the_page_numbers(client, province):
    client.force_login(province["admin"])

    response = client.get(reverse("api-form-bieu5"), {"year": 2024, "scope": "P"})

    assert response.status_code == 200
    rows = {row["key"]: row["values"] for row in response.json()["rows"]}
    assert rows["total"] == [4, 1, 3, 0, 2, 14]


def test_form_api_refuses_half_a_period(client, province):
    client.force_login(province["admin"])

    response = client.get(reverse("api-form-bieu1"), {"start": "2024-01-01"})

    assert response.status_code == 400


def test_forms_command_writes_the_workbook(province, tmp_path):
    out = tmp_path / "f.xlsx"

    call_command("forms", form="bieu1", year=2024, scope="D2", out=str(out))

    rows = _cells(out.read_bytes())
    assert _row(rows, "A. Tổng số đảng viên cuối kỳ trước chuyển sang")[2] == 6
    assert _row(rows, "D. Đảng viên trong danh sách cuối kỳ báo cáo")[2] == 7


def test_forms_command_over_dates(province, capsys):
    call_command("forms", form="bieu1", start="01/01/2024", end="30/06/2024", scope="D2")

    assert '"key": "end"' in capsys.readouterr().out
