import os
import time

from celery import shared_task
from celery.result import allow_join_result

from evaluations.models import RatingYear, YearState

from . import fanout
from .dashboard_cache import warm_dashboards
from .signals import snapshots_refreshed


def _refresh(task, year):
    """Fan the year's refresh out over the workers when a worker runs `task` (the partitions go to the queue it
    came from); in this process otherwise (a direct call, or task_always_eager), the chord applied in place."""
    if task.request.called_directly or task.request.is_eager:
        # chord.apply() reads its partitions' eager results with .get(), which Celery refuses inside a task unless
        # allowed: nothing waits here, every result is already computed in this process.
        with allow_join_result():
            fanout.refresh_chord(year=year).apply()
        return
    queue = (task.request.delivery_info or {}).get("routing_key")
    fanout.refresh_chord(year=year, queue=queue).apply_async()


@shared_task(bind=True, acks_late=True)
def refresh_snapshots_task(self, year):
    """Rebuild one year's dashboard figures (idempotent) and warm the dashboards opened most."""
    _refresh(self, year)


@shared_task(bind=True, acks_late=True)
def refresh_open_years_task(self):
    """Nightly: rebuild the figures of every open rating year."""
    years = list(RatingYear.objects.filter(state=YearState.OPEN).values_list("year", flat=True))
    for year in years:
        _refresh(self, year)
    return years


# The chord's header keeps its results (the settings ignore results by default): the last step reads them.
@shared_task(bind=True, acks_late=True, ignore_result=False)
def refresh_partition_task(self, run_id, year, path, report_above):
    """One partition of a fanned-out refresh: its subtree's snapshot rows, staged under the run."""
    started = time.perf_counter()
    result = fanout.refresh_partition(run_id=run_id, year=year, path=path, report_above=report_above)
    if result is not None:
        result |= {"worker": f"{self.request.hostname}:{os.getpid()}", "seconds": time.perf_counter() - started}
    return result


@shared_task(bind=True, acks_late=True, ignore_result=False)
def refresh_finish_task(self, results, run_id, year, above_paths):
    """The last step of a fanned-out refresh: the roots' rows, the year shown at once, then the warm dashboards
    (and `snapshots_refreshed`: the reports queue what they keep warm).
    Returns {"rows": n, "workers": the processes that computed the partitions, "seconds": each partition's time}."""
    rows = fanout.refresh_finish(results=results, run_id=run_id, year=year, above_paths=above_paths)
    if rows is not None:
        warm_dashboards(year)
        snapshots_refreshed.send(sender=refresh_finish_task, year=year)
    done = [r for r in results if r]
    return {"rows": rows, "workers": sorted({r["worker"] for r in done}), "seconds": [r["seconds"] for r in done]}
