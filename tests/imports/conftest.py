"""Import files built from the portal's own templates, uploaded through the pages."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.imports.organization_ratings import OrganizationRatingResource
from evaluations.models import ImportJob
from evaluations.resources import MemberRatingResource
from members.imports.committee_seats import CommitteeSeatResource
from members.imports.disciplines import DisciplineResource
from members.imports.government_posts import GovernmentPostResource
from members.imports.meeting_attendance import MeetingAttendanceResource
from members.imports.status_periods import StatusPeriodResource
from members.imports.theory_levels import TheoryLevelResource
from members.resources import MemberResource
from organizations.resources import OrganizationResource
from party_portal.doors import OTHER, set_process_door
from party_portal.imports.workbook import template_workbook

RESOURCES = {
    "to-chuc": OrganizationResource,
    "dang-vien": MemberResource,
    "xep-loai": MemberRatingResource,
    "trinh-do-ly-luan": TheoryLevelResource,
    "xep-loai-to-chuc": OrganizationRatingResource,
    "cap-uy": CommitteeSeatResource,
    "ky-luat": DisciplineResource,
    "trang-thai-sinh-hoat": StatusPeriodResource,
    "chuc-vu-chinh-quyen": GovernmentPostResource,
    "du-sinh-hoat-chi-bo": MeetingAttendanceResource,
}
FIRST_ROW = 3  # row 1 holds the headers, row 2 the template's example


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _process_door_restored():
    """A task run eagerly marks the whole process as the task door (Celery's task_prerun); later tests expect none."""
    yield
    set_process_door(OTHER)


def workbook(slug, rows):
    """A file made from the downloadable template of `slug`, with `rows` (dicts of column attributes) from row 3."""
    return template_workbook(RESOURCES[slug], title="test", rows=rows)


def upload(client, slug, content, name="du-lieu.xlsx", **fields):
    """Upload a file through the page; return the job it created."""
    data = {"tep": SimpleUploadedFile(name, content), **fields}
    response = client.post(reverse("imports:upload", args=[slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def confirm(client, job):
    response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def errors_of(job):
    return [tuple(error) for error in job.report["errors"]]


def openpyxl_book(content):
    from openpyxl import load_workbook

    return load_workbook(BytesIO(content))


def member_rows(count):
    """`count` valid rows of the members file, on cell C1 of the test tree."""
    return [
        {
            "record_number": f"3{i:05d}TN",
            "full_name": f"Đảng Viên {i}",
            "gender": "Nữ",
            "date_of_birth": "01/02/1991",
            "organization_code": "C1",
            "admission_date": "03/04/2020",
        }
        for i in range(count)
    ]
