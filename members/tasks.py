from celery import shared_task

from .services import memberships_rebuild_many

# Each member has a handful of events; 2,000 members re-derive in about a second on PostgreSQL.
REBUILD_BATCH_SIZE = 2000


@shared_task(acks_late=True)
def rebuild_memberships_task(member_ids):
    """Re-derive the stints on the rolls of the given members from their events (idempotent)."""
    return memberships_rebuild_many(member_ids=member_ids)
