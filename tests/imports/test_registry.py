"""The registry of kinds: a kind registered by an app gets the import page, its template, its upload and its job."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import ImportJob, ImportState
from organizations import policy
from organizations.resources import OrganizationResource
from party_portal.imports import Kind, registry
from party_portal.imports.reading import clean_row
from party_portal.imports.report import NEW, Report
from party_portal.imports.workbook import template_workbook

from .conftest import confirm, upload


class CountingImporter:
    """Accepts every row whose code is filled in and writes nothing: the smallest importer there is."""

    resource = OrganizationResource
    inline_rows = 100

    def __init__(self, *, actor, **scope):
        self.actor = actor

    def check(self, sheet, progress):
        report = Report()
        for number, cells in sheet.rows:
            row = clean_row(sheet, number, cells)
            report.add(number, NEW, row.values["code"] or "", row.values["name"] or "", "", row.errors)
        report.plan = report.counts[NEW]
        return report

    def write(self, report, progress):
        report.written = {"counted": report.plan}
        return report


class CountingKind(Kind):
    slug = "dem-thu"
    label = "Đếm thử"
    help_text = "Một loại tệp chỉ để thử."
    importer = CountingImporter
    template_title = "Mẫu đếm thử"
    written_labels = {"counted": "Số dòng đã đếm"}


def _file():
    row = {
        "code": "G9",
        "name": "Đảng bộ thử",
        "kind": "Đảng bộ cơ sở",
        "parent_code": "X1",
        "valid_from": "01/08/2025",
    }
    return SimpleUploadedFile("thu.xlsx", template_workbook(OrganizationResource, title="thử", rows=[row]))


def _register(monkeypatch):
    monkeypatch.setitem(registry._kinds, CountingKind.slug, CountingKind())


def test_registry_the_three_kinds_of_the_apps_are_registered():
    assert {"to-chuc", "dang-vien", "xep-loai"} <= set(registry.slugs())
    assert registry.get("xep-loai").template_needs_scope


def test_registry_a_registered_kind_is_listed_and_its_template_and_upload_work(client, tree, board_user, monkeypatch):
    _register(monkeypatch)
    client.force_login(board_user)

    home = client.get(reverse("imports:home"), {"loai": "dem-thu"})
    template = client.get(reverse("imports:template", args=["dem-thu"]))
    row = {
        "code": "G9",
        "name": "Đảng bộ thử",
        "kind": "Đảng bộ cơ sở",
        "parent_code": "X1",
        "valid_from": "01/08/2025",
    }
    job = upload(client, "dem-thu", template_workbook(OrganizationResource, title="thử", rows=[row]))
    job = confirm(client, job)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()

    assert home.status_code == 200
    assert 'href="?loai=dem-thu" aria-current="page"' in home.content.decode()
    assert "Một loại tệp chỉ để thử." in home.content.decode()
    assert template["Content-Disposition"].endswith('filename="mau-nhap-dem-thu.xlsx"')
    assert (job.kind, job.state, job.report["written"]) == ("dem-thu", ImportState.DONE, {"counted": 1})
    assert "Số dòng đã đếm" in page
    assert "Nhập dữ liệu: đếm thử" in page


class ApprovingKind(CountingKind):
    slug = "dem-thu-duyet"
    label = "Đếm thử cấp trên"
    action = policy.APPROVE


def test_registry_the_page_lists_only_the_kinds_the_user_may_import(
    client, tree, grassroots_cadre, board_user, monkeypatch
):
    monkeypatch.setitem(registry._kinds, ApprovingKind.slug, ApprovingKind())

    client.force_login(grassroots_cadre)
    cadre_page = client.get(reverse("imports:home")).content.decode()
    refused = client.post(reverse("imports:upload", args=["dem-thu-duyet"]), {"tep": _file()})
    client.force_login(board_user)
    board_page = client.get(reverse("imports:home")).content.decode()

    # A grassroots cadre imports files but does not approve: the approving kind is neither listed nor accepted.
    assert 'href="?loai=dang-vien"' in cadre_page
    assert 'href="?loai=dem-thu-duyet"' not in cadre_page
    assert refused.status_code == 400
    assert 'href="?loai=dem-thu-duyet"' in board_page
    assert ImportJob.objects.count() == 0


def test_registry_a_user_who_may_import_nothing_is_told_why(client, tree, district_cadre):
    client.force_login(district_cadre)

    page = client.get(reverse("imports:home")).content.decode()

    # The district cadre's role ended: the page says why instead of offering an upload.
    assert "/nhap-du-lieu/tai-len/" not in page
    assert 'class="errors"' in page


def test_registry_an_unknown_slug_is_not_found(client, tree, board_user):
    client.force_login(board_user)

    assert client.get(reverse("imports:home"), {"loai": "khong-co"}).status_code == 404
    assert client.get(reverse("imports:template", args=["khong-co"])).status_code == 404
    assert client.post(reverse("imports:upload", args=["khong-co"]), {}).status_code == 404
    assert ImportJob.objects.count() == 0
