"""The reporting pages through the client: the Board's list and due dates, a plan's form refusing a bad file in
Vietnamese, the overview's constant number of queries."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from organizations.models import OrgKind
from reviews import services
from reviews.models import DueDate, DutyKind, ReportingUnit, ReportingUnitKind
from tests.factories import UserFactory, make_org

from .conftest import YEAR


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_board_adds_a_unit_outside_the_tree_and_a_district_cadre_may_not(province, units):
    board, cadre = _client(province["board"]), _client(province["cadre_d1"])
    form = {
        "code": "BTV-TD",
        "name": "Ban Thường vụ Tỉnh đoàn",
        "kind": ReportingUnitKind.YOUTH_UNION,
        "organization": "",
        "owes_plan": "on",
        "owes_reviews": "on",
        "valid_from": "01/01/2020",
        "valid_to": "",
    }

    refused = cadre.post("/so-ket/danh-sach/them/", form)
    added = board.post("/so-ket/danh-sach/them/", form)
    twice = board.post("/so-ket/danh-sach/them/", form)

    assert refused.status_code == 403
    assert added.status_code == 302
    unit = ReportingUnit.objects.get(code="BTV-TD")
    assert (unit.parent, unit.organization, unit.kind) == (province["P"], None, ReportingUnitKind.YOUTH_UNION)
    assert twice.status_code == 200
    assert "Đã có đơn vị báo cáo mang mã này trong chương trình." in twice.content.decode()
    assert ReportingUnit.objects.filter(code="BTV-TD").count() == 1


def test_the_board_sets_a_units_own_due_date_on_the_page(province, units):
    board = _client(province["board"])

    response = board.post(
        f"/so-ket/han-nop/{YEAR}/", {"kind": DutyKind.REVIEW, "unit": units["D2"].pk, "due_on": "10/01/2025"}
    )
    page = board.get(f"/so-ket/han-nop/{YEAR}/").content.decode()

    assert response.status_code == 302
    own = DueDate.objects.get(unit=units["D2"], year=YEAR)
    assert own.due_on == date(2025, 1, 10)
    assert "10/01/2025" in page
    assert "15/12/2024" in page  # the default of the year (the fixture's)


def test_the_plan_form_refuses_a_file_that_is_not_a_pdf_in_vietnamese_and_writes_nothing(
    province, units, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    cadre = _client(province["cadre_d1"])
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ not a pdf", content_type="application/pdf")

    response = cadre.post(
        f"/so-ket/don-vi/{units['D1'].pk}/ke-hoach/",
        {"number": "05-KH/HU", "issued_on": "20/02/2021", "title": "Kế hoạch", "document": fake},
    )

    assert response.status_code == 200
    assert "Tệp “ke-hoach.pdf” không phải tệp PDF thật." in response.content.decode()
    assert not units["D1"].plans.exists()


def test_the_overview_runs_the_same_number_of_queries_for_more_units(province, program, units):
    board = _client(province["board"])
    board.get(f"/so-ket/nam/{YEAR}/")  # the session and the user's roles, read once
    with CaptureQueriesContext(connection) as few:
        board.get(f"/so-ket/nam/{YEAR}/")
    for n in range(4):
        org = make_org(f"RD9{n}", OrgKind.DIRECT_COMMITTEE, parent=province["P"], actor=province["root"])
        unit = services.reporting_unit_create(
            actor=province["board"],
            program=program,
            code=f"BC-9{n}",
            name=org.name,
            kind=ReportingUnitKind.COMMITTEE,
            organization=org,
            valid_from=date(2020, 1, 1),
        )
        services.plan_record(actor=province["board"], unit=unit, number="1", issued_on=date(2021, 1, 1), title="T")
        review = services.review_start(actor=province["board"], unit=unit, year=YEAR)
        services.review_update(actor=province["board"], review=review, achievements="Đạt")

    with CaptureQueriesContext(connection) as more:
        response = board.get(f"/so-ket/nam/{YEAR}/")

    assert response.content.decode().count("BC-9") == 4
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_reviews_audit_trail_is_read_through_its_unit(province, units):
    cadre = province["cadre_d1"]
    review = services.review_start(actor=cadre, unit=units["D1"], year=YEAR)
    services.review_update(actor=cadre, review=review, achievements="Đạt các chỉ tiêu chủ yếu.")

    own = _client(cadre).get(f"/lich-su/so-ket/{review.pk}/")
    board = _client(province["board"]).get(f"/lich-su/so-ket/{review.pk}/")
    other = _client(province["cadre_d2"]).get(f"/lich-su/so-ket/{review.pk}/")

    assert own.status_code == board.status_code == 200
    assert "Đạt các chỉ tiêu chủ yếu." in board.content.decode()
    assert other.status_code == 404


def test_the_menu_leads_every_reader_to_the_reporting_pages_and_not_a_user_without_a_role(province):
    without_role = UserFactory(username="rv_norole")

    shown = {
        name: 'href="/so-ket/"' in _client(province[name]).get("/").content.decode()
        for name in ("board", "steering", "cadre_d1", "cadre_g1")
    }
    hidden = 'href="/so-ket/"' in _client(without_role).get("/").content.decode()

    assert shown == {"board": True, "steering": True, "cadre_d1": True, "cadre_g1": True}
    assert hidden is False


def test_the_overview_opens_on_the_latest_year_a_readers_unit_owes_a_review(province, units):
    # Today is past 2025, so the program's years 2020–2025 are all open to choose. D1's reporting unit ends on
    # 30/06/2025: it owes no 2025 review, so its cadre lands on 2024; the Board still reads D2, which owes 2025.
    ReportingUnit.objects.filter(pk=units["D1"].pk).update(valid_to=date(2025, 6, 30))

    cadre = _client(province["cadre_d1"]).get("/so-ket/")
    board = _client(province["board"]).get("/so-ket/")

    assert (cadre.status_code, cadre["Location"]) == (302, "/so-ket/nam/2024/")
    assert (board.status_code, board["Location"]) == (302, "/so-ket/nam/2025/")
