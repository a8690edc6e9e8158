"""Writes of the indicators app: the yearly snapshots the dashboards read."""

from django.db import transaction
from django.utils import timezone

from . import selectors
from .models import IndicatorSnapshot

# 5,000 nodes a year: one bulk insert of this size is ~0.2 s on PostgreSQL.
SNAPSHOT_BATCH_SIZE = 2000


def snapshot_refresh(*, year):
    """Recompute the snapshot of a year for the whole tree and replace the old one atomically.

    Idempotent: running it twice leaves the same rows (with a newer computed_at)."""
    counts = selectors.snapshot_counts(year)
    now = timezone.now()
    rows = [
        IndicatorSnapshot(year=year, organization_id=org_id, counts=totals, by_type=by_type, computed_at=now)
        for org_id, (totals, by_type) in counts.items()
    ]
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(year=year).delete()
        IndicatorSnapshot.objects.bulk_create(rows, batch_size=SNAPSHOT_BATCH_SIZE)
    return len(rows)
