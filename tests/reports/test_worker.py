"""Reports through real Celery worker processes: Redis when REDIS_URL is set (CI), else kombu's filesystem broker.

The worker reads the test database through DATABASE_URL and writes workbooks to the test's MEDIA_ROOT;
each test has a queue of its own (REPORTS_TASK_QUEUE) so no other worker on the machine takes its jobs.
"""

import os
import signal
from datetime import date, timedelta

import pytest

from reports import register_jobs, services
from reports.models import RegisterJob, ReportRun, RunStatus
from tests import workers
from tests.factories import make_member

from .workbook_checks import check_hand_counted


@pytest.fixture
def queue(settings):
    name = workers.new_queue("test-reports")
    settings.REPORTS_TASK_QUEUE = name
    yield name
    _forget_unacked(name)


def _forget_unacked(queue):
    """A worker killed mid-job leaves its message in Redis's unacked set, to be redelivered after the
    visibility timeout (hours) to a queue nobody reads: drop it."""
    if not os.environ.get("REDIS_URL"):
        return
    import json

    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    for tag, payload in client.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def start_worker(queue, settings):
    processes = []

    def start(**extra_env):
        process = workers.start_worker(queue, MEDIA_ROOT=str(settings.MEDIA_ROOT), **extra_env)
        processes.append(process)
        return process

    yield start
    for process in processes:
        workers.stop_worker(process)


def _run(pk):
    return ReportRun.objects.get(pk=pk)


def _output(process):
    if process.poll() is None:
        process.terminate()
    return process.communicate(timeout=20)[0].decode(errors="replace")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_builds_the_hand_counted_report(seed_rows, tree, root_user, closed_2024, start_worker):
    worker = start_worker()

    run = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)

    assert workers.wait_for(lambda: _run(run.pk).status == RunStatus.DONE, timeout=90), _output(worker)
    run = _run(run.pk)
    assert (run.attempts, run.progress, run.error) == (1, 100, "")
    with run.workbook.open("rb") as workbook:
        check_hand_counted(workbook.read())
    # The worker wrote through the audit door of tasks.
    assert set(run.history.values_list("history_door", flat=True)) == {"other", "task"}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_before_the_final_write_leaves_no_done_run_and_the_resumed_job_completes(
    seed_rows, tree, root_user, closed_2024, start_worker
):
    # The first worker stops after building the workbook, just before the one final write.
    doomed = start_worker(**{services.PAUSE_ENV: "300"})
    run = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    saving = workers.wait_for(lambda: _run(run.pk).progress == services.PROGRESS_SAVING, timeout=90)
    assert saving, _output(doomed)

    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=20)

    killed = _run(run.pk)
    assert (killed.status, killed.results, killed.workbook.name) == (RunStatus.RUNNING, None, "")
    start_worker()
    # The beat task does this every 5 minutes for runs silent for 10; here without waiting.
    assert services.report_runs_resume(stale_after=timedelta(0)) == [run.pk]
    assert workers.wait_for(lambda: _run(run.pk).status == RunStatus.DONE, timeout=90)
    run = _run(run.pk)
    assert run.attempts == 2
    assert [entry["year"] for entry in run.results["trend"]] == [2020, 2021, 2022, 2023, 2024]
    with run.workbook.open("rb") as workbook:
        check_hand_counted(workbook.read())
    assert os.listdir(os.path.dirname(run.workbook.path)) == [os.path.basename(run.workbook.name)]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_builds_a_member_register_job(seed_rows, tree, root_user, start_worker):
    for org, name in ((tree["C1"], "Hà An"), (tree["C1"], "Hà Bình"), (tree["G2"], "Hà Cúc")):
        make_member(org, full_name=name, admission_date=date(2020, 3, 2))
    worker = start_worker()

    job = register_jobs.register_job_start(
        actor=root_user, organization_id=tree["P"].pk, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )

    done = workers.wait_for(lambda: RegisterJob.objects.get(pk=job.pk).status == RunStatus.DONE, timeout=90)
    assert done, _output(worker)
    job = RegisterJob.objects.get(pk=job.pk)
    assert job.rows == 3  # the three members made above, all on the rolls of P on 31/12/2024
    assert job.workbook.name.endswith(".xlsx")
