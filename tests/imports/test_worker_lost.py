"""A file that kills the worker reading it, through a real Celery worker: the job is not retried forever.

The file is the smallest worker killer there is: two cells far apart (A1 and XFD1000000). python-calamine allocates
the whole rectangle between them (500 GB) and the process aborts. The worker runs here with the file checks opened
wide, as if they missed it, so the child process reading the file dies; the prefork pool replaces it and the
message comes back (acks_late, reject_on_worker_lost). The third delivery finds two starts that never finished.
"""

import os

import pytest

from evaluations.models import ImportJob, ImportState
from members.models import Member
from party_portal.imports import services
from party_portal.imports.tasks import import_job_task
from tests import workers

from .conftest import upload
from .test_bombs import _sheet, _with_sheet

FAR_APART = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="XFD1000000"><v>1</v></c></row>'


@pytest.fixture
def wide_open_worker(monkeypatch, settings):
    queue = workers.new_queue("test-imports")
    process = workers.start_worker(
        queue,
        pool="prefork",
        # A cap on the address space keeps the machine safe whatever the kernel's overcommit policy.
        memory_limit=4 * 2**30,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        IMPORT_MAX_ROWS="2000000",
        IMPORT_MAX_COLUMNS="20000",
        RUST_BACKTRACE="0",
    )
    # The file is small: it would be checked inside the request (this process) unless sent to the worker.
    monkeypatch.setattr(services, "_runs_inline", lambda job: False)
    monkeypatch.setattr(services, "_enqueue", lambda job: import_job_task.apply_async(args=[job.pk], queue=queue))
    yield process
    workers.stop_worker(process)
    _forget_unacked(queue)


def _forget_unacked(queue):
    if not os.environ.get("REDIS_URL"):
        return
    import json

    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    for tag, payload in client.hgetall("unacked").items():
        if json.loads(payload)[2] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def _job(pk):
    return ImportJob.objects.get(pk=pk)


def _output(process):
    if process.poll() is None:
        process.terminate()
    return process.communicate(timeout=20)[0].decode(errors="replace")[-3000:]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_file_that_kills_its_worker_fails_on_the_third_delivery(client, tree, root_user, wide_open_worker):
    client.force_login(root_user)

    job = upload(client, "dang-vien", _with_sheet(_sheet(FAR_APART)))

    done = workers.wait_for(lambda: _job(job.pk).state == ImportState.FAILED, timeout=120)
    assert done, _output(wide_open_worker)
    job = _job(job.pk)
    assert job.attempts == 3
    assert job.report["file_errors"] == [
        "Không xử lý được tệp: công việc trên tệp đã bị ngắt 2 lần (tệp có thể cần nhiều bộ nhớ hơn máy chủ cho "
        "phép). Không có gì được nhập. Hãy chia dữ liệu thành các tệp nhỏ hơn, hoặc báo quản trị viên."
    ]
    assert Member.objects.count() == 0
    # The worker itself lives on: its pool replaced the dead child each time.
    assert wide_open_worker.poll() is None
