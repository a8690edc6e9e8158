"""The fanned-out snapshot refresh through two real Celery worker processes on one queue: Redis when REDIS_URL is
set (CI), else kombu's filesystem broker with the filesystem result backend (the chord's last step waits on it)."""

import os

import pytest

from indicators import fanout
from indicators.models import IndicatorSnapshot, SnapshotRun, StagedSnapshot
from indicators.services import snapshot_refresh
from party_portal.celery import app
from tests import workers


@pytest.fixture
def two_workers():
    queue = workers.new_queue("test-fanout")
    processes = [workers.start_worker(queue), workers.start_worker(queue)]
    yield queue, processes
    for process in processes:
        workers.stop_worker(process)


def _ready(count):
    """Both workers answer a ping before the chord is sent, so that neither takes every partition while the other
    boots. The filesystem broker delivers a broadcast to one worker only: there, one answer and both alive."""
    wanted = count if os.environ.get("REDIS_URL") else 1
    return len(app.control.ping(timeout=0.5)) >= wanted


def _rows(year):
    return {s.organization_id: (s.counts, s.by_type) for s in IndicatorSnapshot.objects.filter(year=year)}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_refresh_and_write_the_single_process_rows(
    seed_rows, tree, rated_2024, second_province, two_workers
):
    queue, processes = two_workers
    snapshot_refresh(year=2024)
    reference = _rows(2024)
    IndicatorSnapshot.objects.all().delete()
    assert workers.wait_for(lambda: _ready(2), timeout=90)

    # Both roots divided: D1, D2 under P; TD, TD2 under TP (a person on the committees of both).
    outcome = fanout.refresh_chord(year=2024, queue=queue, split=True).apply_async().get(timeout=120)

    assert _rows(2024) == reference
    assert outcome["rows"] == len(reference) == 14
    # Each worker process computed at least one of the four partitions.
    assert {worker.rsplit(":", 1)[1] for worker in outcome["workers"]} == {str(p.pid) for p in processes}
    assert not StagedSnapshot.objects.exists()
    assert not SnapshotRun.objects.exists()
