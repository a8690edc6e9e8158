from celery import shared_task

from . import services


@shared_task(acks_late=True)
def import_job_task(job_id):
    """Check or import an uploaded file, whichever the job waits for; a second delivery finds it done."""
    services.import_job_run(job_id)
