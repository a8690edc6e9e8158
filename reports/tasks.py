from celery import shared_task

from .comparable_reviews import comparable_review_execute
from .consolidated import consolidated_report_execute
from .register_jobs import register_job_execute
from .services import PERMANENT_ERRORS, closed_year_reports_start, report_run_execute, report_runs_resume

# A failed attempt is retried after 30 s, 60 s, 120 s; a fourth failure marks the run failed.
REPORT_MAX_RETRIES = 3


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=PERMANENT_ERRORS,
    max_retries=REPORT_MAX_RETRIES,
    retry_backoff=30,
    retry_jitter=False,
)
def report_run_task(self, run_id):
    """Compute one report run (idempotent: a done run is a no-op, so redelivery after a lost worker is safe)."""
    run = report_run_execute(run_id, final_attempt=self.request.retries >= self.max_retries)
    return None if run is None else run.status


@shared_task
def report_runs_resume_task():
    """Beat: re-enqueue report runs whose worker died or whose message was lost."""
    return report_runs_resume()


@shared_task
def closed_year_reports_task():
    """Beat: build the province report of each year the province has closed since its last report."""
    return [run.pk for run in closed_year_reports_start()]


@shared_task(acks_late=True, reject_on_worker_lost=True)
def register_job_task(job_id):
    """Build one member register (idempotent: a finished job is a no-op, so redelivery is safe)."""
    job = register_job_execute(job_id)
    return None if job is None else job.status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def consolidated_report_task(report_id):
    """Build one version of the province's consolidated report (idempotent: a finished version is a no-op)."""
    report = consolidated_report_execute(report_id)
    return None if report is None else report.status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def comparable_review_task(review_id):
    """Compute the comparable figures of one final review (idempotent: a finished row is a no-op)."""
    review = comparable_review_execute(review_id)
    return None if review is None else review.status
