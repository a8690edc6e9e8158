"""The member register of a large scope as a background job: started from the register page when the scope holds
more members than a page request should write, built by a Celery task, downloaded by whoever may read the scope."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from members import selectors as member_selectors
from organizations import policy
from organizations.periods import scope_placement
from party_portal.db_routers import replica_reads

from .forms import compute, export
from .models import RegisterJob, RunStatus

logger = logging.getLogger(__name__)

# Members above which the register page offers a job instead of building the workbook in the request: a
# province's 60,401-row register took 193 s with its workbook, a unit's few hundred rows well under a second.
REGISTER_JOB_FROM = 5_000


def register_size(*, actor, organization_id, on):
    """How many members the scope's register on `on` holds (one count query)."""
    placement = scope_placement(actor, organization_id, on)
    return member_selectors.member_list(actor=actor, on=on, organization_id=placement.organization_id).count()


def register_job_start(*, actor, organization_id, period_start, period_end):
    """Queue the register of a scope the actor may read; the task runs once the row is committed."""
    from .tasks import register_job_task  # tasks import this module

    policy.require(actor, policy.RUN_REPORTS)
    placement = scope_placement(actor, organization_id, period_end)
    job = RegisterJob.objects.create(
        requested_by=actor,
        organization=placement.organization,
        period_start=period_start,
        period_end=period_end,
        requested_at=timezone.now(),
    )
    # The reports' queue when a deployment gives reports a worker of their own (as report runs do).
    queue = getattr(settings, "REPORTS_TASK_QUEUE", None)
    register_job_task.apply_async_on_commit(args=[job.pk], **({"queue": queue} if queue else {}))
    return job


def register_job_execute(job_id):
    """Build the job's workbook as its requester may read the scope; a finished job is left as it is."""
    job = RegisterJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == RunStatus.DONE:
        return job
    RegisterJob.objects.filter(pk=job.pk).update(status=RunStatus.RUNNING)
    try:
        with replica_reads(caught_up=True):
            table = compute(
                "register",
                actor=job.requested_by,
                organization_id=job.organization_id,
                period_start=job.period_start,
                period_end=job.period_end,
            )
        content = export.workbook(table)
    except Exception as error:
        logger.exception("member register job %s failed", job.pk)
        RegisterJob.objects.filter(pk=job.pk).update(
            status=RunStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        job.workbook.save(export.filename(table), ContentFile(content), save=False)
        job.status, job.rows, job.finished_at = RunStatus.DONE, len(table.lines), timezone.now()
        job.save(update_fields=["workbook", "status", "rows", "finished_at"])
    return job


def register_job_list(*, actor):
    """The actor's own register jobs, newest first."""
    return RegisterJob.objects.filter(requested_by=actor).select_related("organization")[:10]


def register_job_get(*, actor, job_id):
    """A finished job whose scope the actor may read on its date (whoever asked for it), else 404."""
    policy.require(actor, policy.RUN_REPORTS)
    job = RegisterJob.objects.filter(pk=job_id, status=RunStatus.DONE).first()
    if job is None:
        raise Http404
    scope_placement(actor, job.organization_id, job.period_end)
    return job
