"""Imported by the worker processes of the fan-out test (`celery worker --include tests.slow_partitions`): each
partition of the refresh takes half a second more, as a real one takes seconds. The test's partitions are tiny
(milliseconds), and on a busy machine the worker that booted first could take all four before the other fetched
one; each worker then gets one while the other works."""

import time

from celery.signals import task_prerun

from indicators.fanout import PARTITION_TASK

SECONDS = 0.5


@task_prerun.connect
def _slow_partition(sender=None, **_kwargs):
    if sender is not None and sender.name == PARTITION_TASK:
        time.sleep(SECONDS)
