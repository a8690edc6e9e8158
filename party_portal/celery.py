import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")

app = Celery("party_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, declared here so that the one beat of a deployment runs exactly these.
app.conf.beat_schedule = {
    # Dashboards read precomputed figures: rebuild the open years' every night, after the day's data entry.
    "refresh-open-years": {"task": "indicators.tasks.refresh_open_years_task", "schedule": crontab(hour=1, minute=30)},
    # After the province closes a year, its province report is built within the quarter hour.
    "closed-year-reports": {"task": "reports.tasks.closed_year_reports_task", "schedule": crontab(minute="*/15")},
    # Report jobs whose worker died (or whose message was lost) are re-enqueued.
    "resume-report-runs": {"task": "reports.tasks.report_runs_resume_task", "schedule": crontab(minute="*/5")},
    # Reminders of due and late plans, reviews and ratings: each morning; idempotent (run twice, sent once).
    "send-reminders": {"task": "reviews.tasks.send_reminders_task", "schedule": crontab(hour=6, minute=0)},
}


@app.on_after_configure.connect
def _mark_task_door(sender, **kwargs):
    """Audit rows written by a task say "task"; the door in force before the task comes back after it,
    so a task run eagerly inside a request or a test does not leak its door."""
    from celery.signals import task_postrun, task_prerun

    from party_portal.doors import TASK, enter_door, leave_door

    tokens = {}
    task_prerun.connect(lambda task_id=None, **kw: tokens.__setitem__(task_id, enter_door(TASK)), weak=False)
    task_postrun.connect(lambda task_id=None, **kw: leave_door(tokens.pop(task_id, None)), weak=False)
