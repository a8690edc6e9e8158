"""Through a real Celery worker process: Redis when REDIS_URL is set (CI), else kombu's filesystem broker."""

from datetime import date

import pytest

from members.models import Membership
from members.tasks import rebuild_memberships_task
from tests.factories import make_member
from tests.workers import new_queue, start_worker, stop_worker, wait_for


@pytest.fixture
def queue():
    return new_queue()


@pytest.fixture
def worker(queue):
    process = start_worker(queue)
    yield process
    stop_worker(process)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_rebuilds_broken_rolls(tree, worker, queue):
    kept = make_member(tree["C1"], admission_date=date(2019, 4, 1))
    broken = make_member(tree["G2"], admission_date=date(2020, 9, 2))
    Membership.objects.filter(member=broken).delete()

    rebuild_memberships_task.apply_async(args=[[kept.pk, broken.pk]], queue=queue)

    assert wait_for(lambda: Membership.objects.filter(member=broken).exists()), worker.stdout.read1().decode()
    stints = list(Membership.objects.filter(member=broken).values_list("organization__code", "start", "end"))
    assert stints == [("G2", date(2020, 9, 2), None)]
    assert Membership.objects.filter(member=kept).count() == 1


@pytest.mark.django_db
def test_task_run_in_process_does_not_leak_its_door():
    from party_portal.doors import WEB, current_door, door

    with door(WEB):
        rebuild_memberships_task.apply(args=[[]])

        assert current_door() == WEB
