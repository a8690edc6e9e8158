from celery import shared_task

from evaluations.models import RatingYear, YearState

from .services import snapshot_refresh


@shared_task(acks_late=True)
def refresh_snapshots_task(year):
    """Rebuild one year's dashboard figures (idempotent)."""
    return snapshot_refresh(year=year)


@shared_task(acks_late=True)
def refresh_open_years_task():
    """Nightly: rebuild the figures of every open rating year."""
    years = list(RatingYear.objects.filter(state=YearState.OPEN).values_list("year", flat=True))
    for year in years:
        snapshot_refresh(year=year)
    return years
