from datetime import date

from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def send_reminders_task(today=None):
    """Daily (party_portal.celery beat_schedule): every reminder rule for today (or the ISO date `today`).
    Idempotent: each notification is keyed by its event and recipient, so a second run or a retry sends nothing."""
    return reminders.send_reminders(today=date.fromisoformat(today) if today else None)
