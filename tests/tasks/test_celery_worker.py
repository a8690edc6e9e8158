"""Through a real Celery worker process: Redis when REDIS_URL is set (CI), else kombu's filesystem broker."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from members.models import Membership
from members.tasks import rebuild_memberships_task
from tests.factories import make_member

PROJECT = Path(settings.BASE_DIR)


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue():
    """A queue of this test's own, so no other worker on the machine takes its task."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def worker(queue):
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_TASK_ALWAYS_EAGER": "0"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "party_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--queues",
            queue,
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_rebuilds_broken_rolls(tree, worker, queue):
    kept = make_member(tree["C1"], admission_date=date(2019, 4, 1))
    broken = make_member(tree["G2"], admission_date=date(2020, 9, 2))
    Membership.objects.filter(member=broken).delete()

    rebuild_memberships_task.apply_async(args=[[kept.pk, broken.pk]], queue=queue)

    assert _wait_for(lambda: Membership.objects.filter(member=broken).exists()), worker.stdout.read1().decode()
    stints = list(Membership.objects.filter(member=broken).values_list("organization__code", "start", "end"))
    assert stints == [("G2", date(2020, 9, 2), None)]
    assert Membership.objects.filter(member=kept).count() == 1


@pytest.mark.django_db
def test_task_run_in_process_does_not_leak_its_door():
    from party_portal.doors import WEB, current_door, door

    with door(WEB):
        rebuild_memberships_task.apply(args=[[]])

        assert current_door() == WEB
