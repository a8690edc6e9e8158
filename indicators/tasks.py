from celery import shared_task

from evaluations.models import RatingYear, YearState

from .dashboard_cache import warm_dashboards
from .services import snapshot_refresh


def _refresh_and_warm(year):
    """The new snapshot first, then the dashboards opened most rendered from it (never on a request)."""
    rows = snapshot_refresh(year=year)
    warm_dashboards(year)
    return rows


@shared_task(acks_late=True)
def refresh_snapshots_task(year):
    """Rebuild one year's dashboard figures (idempotent) and warm the dashboards opened most."""
    return _refresh_and_warm(year)


@shared_task(acks_late=True)
def refresh_open_years_task():
    """Nightly: rebuild the figures of every open rating year."""
    years = list(RatingYear.objects.filter(state=YearState.OPEN).values_list("year", flat=True))
    for year in years:
        _refresh_and_warm(year)
    return years
