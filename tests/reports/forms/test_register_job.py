"""The member register of a large scope as a background job, over the hand-built province
(tests/reports/forms/conftest.py): 14 members on the rolls of P on 31/12/2024 (a2 left on 20/12, a4 expelled,
a5 died, c2 and p1 struck off)."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import register_jobs
from reports.models import RegisterJob, RunStatus
from reports.tasks import register_job_task

ON_THE_ROLLS = {
    "Trần An", "Lò Thị Cúc", "Lê Nga", "Ngô Tâm", "Hoàng Giang", "Vũ Hải", "Lê Oanh", "Đỗ Lâm", "Đinh Rạng",
    "Vũ Khoa", "Bùi Oanh", "Bùi Phúc", "Bùi Quang", "Lê Phương",
}  # fmt: skip
GONE = {"Trần Ba", "Phạm Dũng", "Phạm Em", "Đỗ Minh", "Đỗ Ngọc"}
QUERY = {"nam": 2024}


@pytest.fixture
def small_threshold(monkeypatch):
    # The province's register (14 members) counts as large.
    monkeypatch.setattr(register_jobs, "REGISTER_JOB_FROM", 10)


def _names(content):
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    return {str(row[1]).strip() for row in sheet.iter_rows(values_only=True) if row[1] is not None}


def _start(actor, org, callbacks):
    with callbacks() as queued:
        job = register_jobs.register_job_start(
            actor=actor, organization_id=org.pk, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
        )
    assert len(queued) == 1  # the task is sent once the row is committed
    return job


def test_register_page_offers_a_job_for_a_scope_above_the_threshold(client, province, small_threshold):
    client.force_login(province["admin"])

    response = client.get(reverse("reports:form_register"), {**QUERY, "to_chuc": province["orgs"]["P"].pk})

    assert response.status_code == 200
    assert response.context["table"] is None
    assert response.context["register_size"] == 14
    page = response.content.decode()
    assert reverse("reports:register_job_start") in page
    assert "Trần An" not in page


def test_register_page_below_the_threshold_shows_the_register(client, province):
    client.force_login(province["admin"])

    response = client.get(reverse("reports:form_register"), {**QUERY, "to_chuc": province["orgs"]["D1"].pk})

    # D1 on 31/12/2024: a1 a3 n1 (CA1), t1 (CA2), a6 (GA), b1 n2 (GB).
    assert response.context["register_size"] is None
    assert len(response.context["table"].lines) == 7


def test_register_job_builds_the_workbook_through_the_task(province, django_capture_on_commit_callbacks):
    job = _start(province["admin"], province["orgs"]["P"], django_capture_on_commit_callbacks)

    register_job_task(job.pk)
    job.refresh_from_db()
    stored = job.workbook.name
    register_job_task(job.pk)  # a redelivered message finds the job done and leaves it

    job.refresh_from_db()
    assert (job.status, job.rows, job.workbook.name) == (RunStatus.DONE, 14, stored)
    with job.workbook.open("rb") as workbook:
        names = _names(workbook.read())
    assert names >= ON_THE_ROLLS
    assert not GONE & names


def test_register_job_started_from_the_page_is_listed_and_downloaded(
    client, province, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(province["admin"])
    query = f"nam=2024&to_chuc={province['orgs']['P'].pk}"

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(f"{reverse('reports:register_job_start')}?{query}")
    job = RegisterJob.objects.get()
    register_job_task(job.pk)
    page = client.get(f"{reverse('reports:form_register')}?{query}")
    download = client.get(reverse("reports:register_job_download", args=[job.pk]))

    assert response.status_code == 302
    assert len(queued) == 1
    assert (job.organization, job.requested_by) == (province["orgs"]["P"], province["admin"])
    assert reverse("reports:register_job_download", args=[job.pk]) in page.content.decode()
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _names(download.content) >= ON_THE_ROLLS


def test_register_job_file_is_read_only_by_those_who_may_read_its_scope(
    client, province, d1_cadre, django_capture_on_commit_callbacks
):
    province_job = _start(province["admin"], province["orgs"]["P"], django_capture_on_commit_callbacks)
    register_job_task(province_job.pk)
    client.force_login(d1_cadre)

    refused = client.get(reverse("reports:register_job_download", args=[province_job.pk]))
    own = _start(d1_cadre, province["orgs"]["D1"], django_capture_on_commit_callbacks)
    register_job_task(own.pk)
    allowed = client.get(reverse("reports:register_job_download", args=[own.pk]))

    # The district cadre reads D1 only: the province's register is not found, D1's is theirs.
    assert refused.status_code == 404
    assert allowed.status_code == 200
    assert _names(allowed.content) >= {"Trần An", "Vũ Hải"}
    assert "Đỗ Lâm" not in _names(allowed.content)
