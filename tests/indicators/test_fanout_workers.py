"""The fanned-out snapshot refresh through two real Celery worker processes on one queue: Redis when REDIS_URL is
set (CI), else kombu's filesystem broker with the filesystem result backend (the chord's last step waits on it)."""

import pytest

from indicators import fanout
from indicators.models import IndicatorSnapshot, SnapshotRun, StagedSnapshot
from indicators.services import snapshot_refresh
from party_portal.celery import app
from tests import workers


@pytest.fixture
def two_workers():
    queue = workers.new_queue("test-fanout")
    # Each partition half a second longer in these workers (tests/slow_partitions.py), so that both take part.
    processes = [
        workers.start_worker(queue, name=f"{n}-{queue}@%h", include="tests.slow_partitions") for n in ("one", "two")
    ]
    yield queue, processes
    for process in processes:
        workers.stop_worker(process)


def _answered(queue, seen):
    """Whether both workers of the queue have answered a ping (the answers gathered in `seen`): the chord is sent
    only then, so that neither takes every partition while the other boots."""
    for answer in app.control.ping(timeout=0.5):
        seen.update(host for host in answer if f"-{queue}@" in host)
    return len(seen) == 2


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
    seen = set()
    assert workers.wait_for(lambda: _answered(queue, seen), timeout=90)

    # Both roots divided: D1, D2 under P; TD, TD2 under TP (a person on the committees of both).
    outcome = fanout.refresh_chord(year=2024, queue=queue, split=True).apply_async().get(timeout=120)

    assert _rows(2024) == reference
    assert outcome["rows"] == len(reference) == 14
    # Each worker process computed at least one of the four partitions.
    assert {worker.rsplit(":", 1)[1] for worker in outcome["workers"]} == {str(p.pid) for p in processes}
    assert not StagedSnapshot.objects.exists()
    assert not SnapshotRun.objects.exists()
