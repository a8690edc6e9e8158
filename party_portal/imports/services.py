"""Import jobs: upload, check (the preview), confirm, import. Small files are done inside the request, large ones
in a Celery job that reports its progress. One rejected row means nothing is written."""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from evaluations.models import ImportJob, ImportState
from organizations import policy, scoping
from party_portal.doors import IMPORT, door

from . import registry
from .reading import FileProblem, UnsafeFile, open_sheet
from .report import ImportAborted, Report

logger = logging.getLogger(__name__)

NOT_XLSX = _("Upload an Excel workbook (.xlsx).")
TOO_BIG = _("The file is larger than %(size)s MB; split it into several files.")
NOT_READY = _("This file cannot be imported now: it is “%(state)s”.")
CHANGED_SINCE = _("The data in the portal changed while the file was being imported; nothing was imported.")
UNEXPECTED = _("The import stopped on an unexpected error; nothing was imported. Try again or tell the administrator.")
WORKER_LOST = _(
    "The file could not be processed: the work on it was cut off %(count)s times (the file may need more memory than "
    "the server allows). Nothing was imported. Split the data into smaller files, or tell the administrator."
)
RUNNING_STATES = (ImportState.CHECK_QUEUED, ImportState.CHECKING, ImportState.IMPORT_QUEUED, ImportState.IMPORTING)
# Up to this size a file is opened inside the request, and when it has no more rows than its importer's
# inline_rows it is checked and imported there too (about a second); larger files go to a Celery job.
INLINE_MAX_BYTES = 256 * 1024
PROGRESS_KEY = "import-job-progress:%s"
# Progress is written at most this often (seconds): each write is a query or a cache round trip.
PROGRESS_EVERY = 0.5


def can_import(user, kind=None):
    """Whether the user holds a role in force today that may import (this kind of file, when one is named)."""
    return policy.can(user, kind.action if kind is not None else policy.IMPORT)


def importable_kinds(user):
    """The registered kinds of file the user may import today, in page order."""
    return [kind for kind in registry.kinds() if policy.can(user, kind.action)]


@transaction.atomic
def import_job_create(*, actor, kind, upload, organization=None, year=None, params=None, language="vi"):
    """Store an uploaded workbook of the kind with this slug as a job waiting to be checked, with the scope its
    upload form asked (a TCCSĐ, a year, other JSON values in `params`), once the kind has accepted that scope."""
    try:
        kind = registry.get(kind)
    except KeyError:
        raise ValidationError(registry.UNKNOWN_KIND, params={"value": kind}, code="unknown_kind") from None
    policy.require(actor, kind.action)
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError({"file": NOT_XLSX})
    if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        size = settings.IMPORT_MAX_UPLOAD_BYTES // 2**20
        raise ValidationError({"file": ValidationError(TOO_BIG, params={"size": size})})
    params = params or {}
    kind.check_scope(actor=actor, organization=organization, year=year, **params)
    job = ImportJob(
        kind=kind.slug,
        file_name=upload.name[-255:],
        created_by=actor,
        organization=organization,
        year=year,
        params=params,
        report={"language": language},
    )
    # The stored name is random: two cadres may both upload "danh_sach.xlsx".
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job._history_user = actor
    job.save()
    return job


def import_job_check_start(job):
    """Check the file now when it is small, otherwise queue the check as a Celery job."""
    if _runs_inline(job):
        return import_job_run(job.pk)
    _enqueue(job)
    return job


def import_job_confirm(*, actor, job):
    """Import a checked file that had no rejected row (its uploader only); small files are imported right away."""
    job = _queue_import(actor, job)
    if _runs_inline(job):
        return import_job_run(job.pk)
    _enqueue(job)
    return job


@transaction.atomic
def _queue_import(actor, job):
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    if job.state != ImportState.READY:
        raise ValidationError(NOT_READY, params={"state": job.get_state_display()}, code="not_ready")
    job.state, job.attempts = ImportState.IMPORT_QUEUED, 0
    job._history_user = actor
    job.save(update_fields=["state", "attempts"])
    return job


def import_job_run(job_id):
    """Do what the job waits for (its check or its import). Idempotent: a job already done is left alone, so a task
    delivered twice (acks_late) changes nothing the second time."""
    job = ImportJob.objects.select_related("created_by", "organization", "year").filter(pk=job_id).first()
    if job is None or job.state not in RUNNING_STATES:
        return job
    action = job.import_kind.action
    if not policy.can(job.created_by, action):
        # The uploader's role ended (or changed) since the upload: the task obeys the policy as the pages do.
        report = Report()
        report.file_error(policy.refusal(job.created_by, action))
        return _finish(job, ImportState.FAILED, report)
    started_before = _count_attempt(job)
    if started_before >= settings.IMPORT_MAX_ATTEMPTS:
        # The earlier deliveries never finished: their worker died (killed for its memory, say). No more tries.
        logger.error("import job %s failed: started %s times without finishing", job_id, started_before)
        report = Report()
        report.file_error(WORKER_LOST % {"count": started_before})
        return _finish(job, ImportState.FAILED, report)
    try:
        if job.state in (ImportState.CHECK_QUEUED, ImportState.CHECKING):
            _check(job)
        elif job.state in (ImportState.IMPORT_QUEUED, ImportState.IMPORTING):
            _import(job)
    except Exception:
        logger.exception("import job %s failed", job_id)
        report = Report()
        report.file_error(UNEXPECTED)
        _finish(job, ImportState.FAILED, report)
    return job


def _count_attempt(job):
    """Record one more start of the job's current step, at once (outside any transaction a dying worker would lose);
    return how many starts came before this one."""
    ImportJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    job.attempts = ImportJob.objects.values_list("attempts", flat=True).get(pk=job.pk)
    return job.attempts - 1


def import_job_progress(job):
    """The job's progress for the polling page: the database's, or the cache's while the rows are being written
    (inside the import's transaction nothing is visible to other connections)."""
    progress = {"phase": job.phase, "done": job.rows_done, "total": job.rows_total}
    if job.state == ImportState.IMPORTING:
        progress = cache.get(PROGRESS_KEY % job.pk) or progress
    total = progress["total"] or 0
    progress["percent"] = min(100, round(100 * progress["done"] / total)) if total else 0
    return progress


def _enqueue(job):
    from .tasks import import_job_task

    import_job_task.delay_on_commit(job.pk)


def _importer(job):
    return job.import_kind.importer(actor=job.created_by, **job.scope)


def _language(job):
    return job.report.get("language") or "vi"


def _runs_inline(job):
    if job.file.size > INLINE_MAX_BYTES:
        return False
    if "total" in job.report:
        return job.report["total"] <= job.import_kind.inline_rows
    try:
        return _open(job).total <= job.import_kind.inline_rows
    except FileProblem:
        return True  # the check says what is wrong with the file at once


def _open(job):
    with job.file.open("rb") as handle:
        return open_sheet(handle, job.import_kind.importer.resource)


def _progress_reporter(job, phase):
    last = [0.0]

    def progress(done, total, phase=phase):
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and done < total:
            return
        last[0] = now
        cache.set(PROGRESS_KEY % job.pk, {"phase": phase, "done": done, "total": total}, timeout=6 * 3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(phase=phase, rows_done=done, rows_total=total)

    return progress


def _set_state(job, state, phase):
    ImportJob.objects.filter(pk=job.pk).update(state=state, phase=phase, rows_done=0)
    job.state = state


def _finish(job, state, report, *, finished=True, plan=None):
    job.state = state
    job.report = {**report.as_json(), "language": _language(job), **({"plan": plan} if plan else {})}
    job.phase = ""
    if finished:
        job.finished_at = timezone.now()
    job._history_user = job.created_by
    job.save(update_fields=["state", "report", "phase", "finished_at"])
    cache.delete(PROGRESS_KEY % job.pk)
    return job


def _check_file(job, progress):
    try:
        sheet = _open(job)
    except FileProblem as problem:
        report = Report(refused=isinstance(problem, UnsafeFile))
        report.file_error(problem.args[0])
        return report
    with door(IMPORT):
        return _importer(job).check(sheet, progress)


def _save_plan(job, importer, report):
    if not report.ok or not hasattr(importer, "dump_plan"):
        return None
    name = default_storage.save(f"{job.file.name}.plan.json", ContentFile(importer.dump_plan(report)))
    return {"file": name, "version": importer.plan_version()}


def _reuse_plan(job, importer):
    """The check's plan when nothing it relied on has changed since; None means the file is checked again."""
    kept = job.report.get("plan")
    if not kept or not hasattr(importer, "load_plan") or kept["version"] != importer.plan_version():
        return None
    try:
        with default_storage.open(kept["file"], "rb") as handle:
            plan = importer.load_plan(handle.read())
    except OSError:
        return None
    report = Report.from_json(job.report)
    report.plan = plan
    return report


def _forget_plan(job):
    kept = job.report.get("plan")
    if kept:
        default_storage.delete(kept["file"])


def _check(job):
    _set_state(job, ImportState.CHECKING, "reading")
    with translation.override(_language(job)):
        report = _check_file(job, _progress_reporter(job, "checking"))
        plan = _save_plan(job, _importer(job), report)
        if report.refused:
            return _finish(job, ImportState.FAILED, report)
        return _finish(job, ImportState.READY if report.ok else ImportState.REJECTED, report, finished=False, plan=plan)


def _import(job):
    _set_state(job, ImportState.IMPORTING, "reading")
    with translation.override(_language(job)):
        # A kind may keep its check's rows (dump_plan); when the portal changed since the preview, or for a kind
        # that keeps none, the file is read and checked again.
        checked = _reuse_plan(job, _importer(job)) or _check_file(job, _progress_reporter(job, "checking"))
        _forget_plan(job)
        if not checked.ok:
            return _finish(job, ImportState.FAILED, checked)
        try:
            with door(IMPORT), transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.state != ImportState.IMPORTING:
                    return locked
                report = _importer(job).write(checked, _progress_reporter(job, "writing"))
                return _finish(locked, ImportState.DONE, report)
        except ImportAborted as aborted:
            return _finish(job, ImportState.FAILED, aborted.report)
        except (ValidationError, PermissionDenied, IntegrityError) as error:
            report = Report()
            report.file_error(CHANGED_SINCE)
            for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
                report.file_error(message)
            return _finish(job, ImportState.FAILED, report)
