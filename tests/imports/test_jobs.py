"""The Celery path of large files: queued check, progress page, queued import, a second delivery changing nothing."""

import time
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from evaluations.models import ImportJob, ImportState
from members.imports.members import MemberImporter
from members.models import Member, MovementEvent
from party_portal.celery import app
from party_portal.imports import services
from party_portal.imports.tasks import import_job_task
from tests import workers
from tests.factories import make_member

from .conftest import confirm, member_rows, upload, workbook


@pytest.fixture
def queued(monkeypatch):
    """Every file counts as large: its check and its import go to the Celery task (run eagerly here)."""
    monkeypatch.setattr(MemberImporter, "inline_rows", 1)
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_large_file_is_checked_and_imported_by_the_celery_task(
    client, tree, root_user, queued, django_capture_on_commit_callbacks
):
    client.force_login(root_user)

    with django_capture_on_commit_callbacks(execute=True) as checks:
        job = upload(client, "dang-vien", workbook("dang-vien", member_rows(5)))
    job.refresh_from_db()
    assert (len(checks), job.state, job.report["counts"]["new"]) == (1, ImportState.READY, 5)
    with django_capture_on_commit_callbacks(execute=True) as imports:
        job = confirm(client, job)
    job.refresh_from_db()

    assert (len(imports), job.state) == (1, ImportState.DONE)
    assert Member.objects.count() == 5
    assert job.report["written"]["members"] == 5
    assert Member.history.filter(history_door="import").count() == 5


def test_a_second_delivery_of_the_task_changes_nothing(
    client, tree, root_user, queued, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, "dang-vien", workbook("dang-vien", member_rows(3)))
    with django_capture_on_commit_callbacks(execute=True):
        job = confirm(client, job)

    import_job_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert (Member.objects.count(), MovementEvent.objects.count(), Member.history.count()) == (3, 3, 3)


def test_a_run_interrupted_mid_import_is_redone_whole(
    client, tree, root_user, queued, django_capture_on_commit_callbacks
):
    client.force_login(root_user)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, "dang-vien", workbook("dang-vien", member_rows(3)))
    # The worker died while writing: the transaction rolled back, the job still says IMPORTING.
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.IMPORTING)

    import_job_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert Member.objects.count() == 3


def test_progress_page_polls_while_running_and_reloads_when_done(client, tree, root_user, queued):
    client.force_login(root_user)
    job = upload(client, "dang-vien", workbook("dang-vien", member_rows(2)))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.IMPORTING)
    cache.set(services.PROGRESS_KEY % job.pk, {"phase": "writing", "done": 1, "total": 4})

    running = client.get(reverse("imports:progress", args=[job.pk]))
    page = client.get(reverse("imports:job", args=[job.pk]))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.DONE)
    finished = client.get(reverse("imports:progress", args=[job.pk]))

    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert 'value="25"' in running.content.decode()
    assert "Đang ghi vào cơ sở dữ liệu" in page.content.decode()
    assert finished["HX-Refresh"] == "true"


def test_another_users_job_is_not_found(client, tree, root_user, district_cadre):
    client.force_login(root_user)
    job = upload(client, "dang-vien", workbook("dang-vien", member_rows(1)))
    client.force_login(district_cadre)

    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404


# --- Through a real worker process (Redis when REDIS_URL is set, else kombu's filesystem broker).


@pytest.fixture
def worker_queue(monkeypatch, settings):
    queue = workers.new_queue()
    process = workers.start_worker(queue, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    monkeypatch.setattr(MemberImporter, "inline_rows", 1)
    monkeypatch.setattr(services, "_enqueue", lambda job: import_job_task.apply_async(args=[job.pk], queue=queue))
    yield process
    workers.stop_worker(process)


def _wait_for_state(job, states, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.25)
    raise AssertionError(f"job still {job.state}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_checks_and_imports_a_file(client, tree, root_user, worker_queue):
    client.force_login(root_user)

    job = upload(client, "dang-vien", workbook("dang-vien", member_rows(4)))
    job = _wait_for_state(job, {ImportState.READY, ImportState.REJECTED, ImportState.FAILED})
    assert job.state == ImportState.READY, job.report
    job = confirm(client, job)
    job = _wait_for_state(job, {ImportState.DONE, ImportState.FAILED})

    assert job.state == ImportState.DONE, job.report
    assert Member.objects.filter(admission_date=date(2020, 4, 3)).count() == 4
    assert Member.history.filter(history_door="import").count() == 4
    assert settings.MEDIA_ROOT in job.file.path


def test_the_import_reuses_the_checked_rows_when_nothing_changed_since_the_preview(
    client, tree, root_user, monkeypatch
):
    client.force_login(root_user)
    job = upload(client, "dang-vien", workbook("dang-vien", member_rows(3)))
    monkeypatch.setattr(services, "_check_file", lambda *args: pytest.fail("the file was checked again"))

    job = confirm(client, job)

    assert job.state == ImportState.DONE, job.report
    assert Member.objects.count() == 3
    assert not job.file.storage.exists(f"{job.file.name}.plan.json")


def test_the_file_is_checked_again_when_the_portal_changed_since_the_preview(client, tree, root_user):
    client.force_login(root_user)
    job = upload(client, "dang-vien", workbook("dang-vien", member_rows(2)))
    make_member(tree["C1"], record_number="300001TN", admission_date=date(2019, 3, 2))

    job = confirm(client, job)

    assert job.state == ImportState.FAILED
    assert [tuple(error[:2]) for error in job.report["errors"]] == [(4, "Ngày vào Đảng")]
    assert Member.objects.count() == 1


def test_the_task_checks_again_after_the_year_closed_and_writes_nothing(
    client, tree, root_user, queued, django_capture_on_commit_callbacks
):
    from evaluations.models import RatingYear
    from evaluations.services import year_close

    client.force_login(root_user)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, "dang-vien", workbook("dang-vien", member_rows(3)))
    job.refresh_from_db()
    checked = job.state
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))

    with django_capture_on_commit_callbacks(execute=True):
        job = confirm(client, job)
    job.refresh_from_db()

    # Admitted 03/04/2020: the closed 2024 is among the year ends these admissions count at.
    assert checked == ImportState.READY
    assert job.state != ImportState.DONE
    assert Member.objects.count() == 0
    assert "Năm đánh giá 2024 đã đóng" in str(job.report)


def test_the_task_fails_the_job_of_an_uploader_whose_role_ended(tree, grassroots_cadre, queued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organizations.models import Role

    job = services.import_job_create(
        actor=grassroots_cadre,
        kind="dang-vien",
        upload=SimpleUploadedFile("a.xlsx", workbook("dang-vien", member_rows(2))),
    )
    Role.objects.filter(user=grassroots_cadre).update(valid_to=date(2025, 12, 31))

    import_job_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert "đã hết hiệu lực" in " ".join(job.report["file_errors"])
    assert Member.objects.count() == 0
