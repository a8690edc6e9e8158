"""Every write to report runs: start (scoped), execute (idempotent, all-or-nothing), resume stuck runs."""

import contextvars
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from evaluations.models import RatingYear, YearState
from indicators.selectors import compliance, default_program, resolve_scope
from organizations import policy, scoping
from party_portal.db_routers import replica_reads

from . import selectors as lists
from . import workbook
from .models import ACTIVE_STATUSES, ReportRun, RunStatus

logger = logging.getLogger(__name__)

NO_PROGRAM = _("No action program is set up yet.")
YEAR_OUTSIDE_PROGRAM = _("%(year)s is outside the program %(program)s (%(first)s–%(last)s).")
REQUESTER_LOST_SCOPE = _(
    "%(user)s can no longer read %(scope)s for %(year)s (role changed?): request the report again."
)

# Progress marks: every program year up to the run's costs about the same (one compliance each).
PROGRESS_CLAIMED, PROGRESS_TREND_END, PROGRESS_LISTS, PROGRESS_SAVING = 2, 85, 90, 97
# Program years computed at once, each on its own connection: one year's SQL overlaps another's Python.
# Large demo province, 2-core machine shared with other work (bench/report_build.py --threads): the whole
# report in 4.4 s instead of 4.9 s at light load, 8.4 s instead of 11.2 s at heavy load.
TREND_THREADS = 2
# A running run whose heartbeat is older than this has lost its worker: no step of a report takes
# minutes (the large province's whole report takes seconds).
STALE_AFTER = timedelta(minutes=10)
# Test-only: seconds the job sleeps after building the workbook, before its final write, so a test can
# kill the worker at exactly that point. Read from the environment because the worker is another process.
PAUSE_ENV = "REPORTS_TEST_PAUSE_BEFORE_SAVE"
# Failures a retry cannot fix: mark the run failed at once.
PERMANENT_ERRORS = (Http404, PermissionDenied, ValidationError, ReportRun.DoesNotExist)


def _enqueue(run):
    from .tasks import report_run_task  # tasks import this module

    # A queue of its own lets a deployment give reports a dedicated worker (and a test its own worker).
    queue = getattr(settings, "REPORTS_TASK_QUEUE", None)
    report_run_task.apply_async_on_commit(args=[run.pk], **({"queue": queue} if queue else {}))


def _program_for(year, program):
    program = program or default_program()
    if program is None:
        raise ValidationError(NO_PROGRAM, code="no_program")
    if year not in program.years:
        raise ValidationError(
            YEAR_OUTSIDE_PROGRAM,
            params={"year": year, "program": program.code, "first": program.first_year, "last": program.last_year},
            code="year_outside_program",
        )
    return program


def _active_run(key):
    return ReportRun.objects.filter(**key, status__in=ACTIVE_STATUSES).first()


@transaction.atomic
def report_run_start(*, actor, year, scope_id=None, program=None, enqueue=True):
    """Request the report of (program, year, scope) for a scope the actor may read (default: the top of their
    scope); the job is enqueued after commit (`enqueue=False`: the caller executes it in-process). Each request
    is a new version of its own row (requester, time, parameters, workbook); the earlier versions stay as they
    are. A version already queued or running is returned as it is: one computation at a time per report."""
    policy.require(actor, policy.RUN_REPORTS)
    program = _program_for(year, program)
    try:
        scope = resolve_scope(actor=actor, scope_id=scope_id, on=date(year, 12, 31))
    except Http404 as error:
        raise PermissionDenied(scoping.NOT_IN_SCOPE) from error
    key = {"program": program, "year": year, "scope_id": scope.id}
    # Requests for the same report queue up on its latest version; the next one then sees this one's row.
    ReportRun.objects.select_for_update().filter(**key).order_by("-version").first()
    active = _active_run(key)
    if active is not None:
        return active
    latest = ReportRun.objects.filter(**key).aggregate(latest=Max("version"))["latest"] or 0
    run = ReportRun(**key, version=latest + 1, requested_by=actor, requested_at=timezone.now())
    run._history_user = actor
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        # Someone asked for the same report at the same moment: theirs is the run.
        return _active_run(key) or ReportRun.objects.filter(**key).order_by("-version").first()
    if enqueue:
        _enqueue(run)
    return run


def _claim(run_id):
    """Mark the run as running under a new attempt number; None unless it is queued or running (a done
    run means a redelivered or duplicated message; a failed one waits for a new request). The attempt
    number fences off any older execution still going."""
    with transaction.atomic():
        locked = ReportRun.objects.select_for_update(of=("self",))
        run = locked.select_related("program", "scope", "requested_by").filter(pk=run_id).first()
        if run is None or run.status not in ACTIVE_STATUSES:
            return None
        now = timezone.now()
        run.status, run.attempts, run.started_at, run.finished_at = RunStatus.RUNNING, run.attempts + 1, now, None
        run.progress, run.step, run.heartbeat_at = PROGRESS_CLAIMED, "", now
        run.save(update_fields=["status", "attempts", "started_at", "finished_at", "progress", "step", "heartbeat_at"])
        return run


class _Progress:
    """Progress writes for one attempt: plain UPDATEs in autocommit (no history row, visible at once), and
    only while the attempt still owns the run."""

    def __init__(self, run):
        self.run_id, self.attempt = run.pk, run.attempts

    def __call__(self, percent, step=""):
        ReportRun.objects.filter(pk=self.run_id, attempts=self.attempt, status=RunStatus.RUNNING).update(
            progress=percent, step=str(step)[:120], heartbeat_at=timezone.now()
        )


def _node_dict(placement):
    return {
        "code": placement.organization.code,
        "name": placement.organization.name,
        "org_type": placement.organization.org_type,
        "parent": placement.parent.name if placement.parent else "",
    }


def _lists(actor, year, scope_id):
    not_completed = [
        _node_dict(p) for p in lists.organizations_not_completed(actor=actor, year=year, scope_id=scope_id)
    ]
    not_approved = [
        {
            **_node_dict(p),
            "submission_state": p.submission_state,
            "rating": p.rating_level or p.rating_reason,
            "comment": p.submission_comment or "",
        }
        for p in lists.organizations_not_approved(actor=actor, year=year, scope_id=scope_id)
    ]
    warnings = [
        {**_node_dict(placement), "warning": str(text)}
        for placement, texts in lists.submissions_with_warnings(actor=actor, year=year, scope_id=scope_id)
        for text in texts
    ]
    return {"not_completed": not_completed, "not_approved": not_approved, "warnings": warnings}


def _trend_entry(year, result):
    if result is None:
        return {"year": year, "in_tree": False, "indicators": {}, "program_rates": {}}
    return {
        "year": year,
        "in_tree": True,
        "indicators": {code: figure.as_dict() for code, figure in result.scope.figures.items()},
        "program_rates": {code: rate.as_dict() for code, rate in result.program_rates.items()},
    }


def _year_in_thread(run, year):
    """One program year's compliance on a connection of this thread's own (closed when done)."""
    try:
        return _year(run, year)
    finally:
        connections.close_all()


def _year(run, year):
    try:
        return compliance(actor=run.requested_by, year=year, scope_id=run.scope_id, program=run.program)
    except Http404:
        if year == run.year:
            raise
        # The scope did not exist yet that year (e.g. a ward committee formed in 2025).
        return None


def _years(run, progress):
    """{year: Compliance or None} for the program years up to the run's. Each year is one independent
    computation; outside a transaction they run on TREND_THREADS connections at once (their SQL overlaps
    the other's Python). Inside one (tests, an atomic caller) other connections could not see its rows,
    so they run in turn."""
    years = [y for y in run.program.years if y <= run.year]
    span = PROGRESS_TREND_END - PROGRESS_CLAIMED
    results = {}
    if TREND_THREADS < 2 or connection.in_atomic_block:
        for done, year in enumerate(sorted(years, key=lambda y: y != run.year), start=1):
            results[year] = _year(run, year)
            progress(PROGRESS_CLAIMED + span * done // len(years), _("Indicators of %(year)s") % {"year": year})
        return results
    with ThreadPoolExecutor(max_workers=TREND_THREADS) as pool:
        # Each thread in a copy of this context: a replica block (party_portal/db_routers.py) holds there too.
        futures = {pool.submit(contextvars.copy_context().run, _year_in_thread, run, year): year for year in years}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            step = _("Indicators of %(year)s") % {"year": futures[future]}
            progress(PROGRESS_CLAIMED + span * done // len(years), step)
    return results


def _compute(run, progress):
    """The run's results as data: the compliance of the year (docs/compliance-json.md), the trend over the
    program years up to it, the lists, and what the workbook's header needs. Computed as the requester."""
    actor, year = run.requested_by, run.year
    try:
        by_year = _years(run, progress)
    except Http404 as error:
        raise PermissionDenied(
            REQUESTER_LOST_SCOPE % {"user": actor.get_username(), "scope": run.scope.name, "year": year}
        ) from error
    results = by_year[year].as_dict()
    results["trend"] = [_trend_entry(y, by_year[y]) for y in sorted(by_year)]
    results["lists"] = _lists(actor, year, run.scope_id)
    progress(PROGRESS_LISTS, _("Lists"))
    results["report"] = {
        "run": run.pk,
        "program_name": run.program.name,
        "program_years": [run.program.first_year, run.program.last_year],
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "requested_by": run.requested_by.get_full_name() or run.requested_by.get_username(),
        "version": run.version,
        # A draft's header leaves the number blank ("Số:     -BC/BTCTU"); issuing fills it in.
        "number": None,
        "number_suffix": settings.REPORT_NUMBER_SUFFIX,
    }
    return results


def _pause_for_tests():
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds:
        time.sleep(seconds)


def _sweep(run_id, keep):
    """Delete the files of a run's folder other than its current workbook (left by killed attempts or
    replaced by a re-run); after commit, so a rolled-back finish still finds its old file."""
    from django.core.files.storage import default_storage

    folder = f"reports/run-{run_id}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        if path != keep:
            default_storage.delete(path)


def _finish(run_id, attempt, results, content):
    """Results, workbook and status in one transaction: a worker killed before it commits leaves the run
    as it was (running, its previous results intact), never done with half of them."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update(of=("self",)).select_related("scope").get(pk=run_id)
        if run.attempts != attempt or run.status != RunStatus.RUNNING:
            # A newer attempt owns the run now (a resumed job): its results win.
            return run
        name = f"bao-cao-{run.year}-{run.scope.code}-v{run.version}-{attempt}.xlsx"
        run.workbook.save(name, ContentFile(content), save=False)
        run.results, run.error = results, ""
        run.status, run.progress, run.step, run.finished_at = RunStatus.DONE, 100, "", timezone.now()
        run.save(update_fields=["workbook", "results", "error", "status", "progress", "step", "finished_at"])
        keep = run.workbook.name
        transaction.on_commit(lambda: _sweep(run_id, keep))
    return run


def _fail(run_id, attempt, error, *, final):
    """Record the error; the run goes back to queued while the task still has retries, else it fails."""
    message = f"{error.__class__.__name__}: {error}"[:2000]
    ReportRun.objects.filter(pk=run_id, attempts=attempt, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED if final else RunStatus.QUEUED,
        error=message,
        finished_at=timezone.now() if final else None,
        heartbeat_at=timezone.now(),
    )


def report_run_execute(run_id, *, final_attempt=True):
    """Compute a run and store its results and workbook. Idempotent: a done run is left alone, so a
    redelivered message is a no-op. `final_attempt=False` (the task has retries left) leaves a failed
    attempt queued for its retry instead of failed."""
    run = _claim(run_id)
    if run is None:
        return None
    progress = _Progress(run)
    try:
        # The workbook is the Party's own form: Vietnamese, whatever language the requester reads. Its figures
        # are read from the replica when there is one, once it has caught up with the primary.
        with translation.override(settings.LANGUAGE_CODE), replica_reads(caught_up=True):
            results = _compute(run, progress)
            content = workbook.build(results)
        progress(PROGRESS_SAVING, _("Saving"))
        _pause_for_tests()
        return _finish(run.pk, run.attempts, results, content)
    except Exception as error:
        _fail(run.pk, run.attempts, error, final=final_attempt or isinstance(error, PERMANENT_ERRORS))
        raise


def report_runs_resume(*, stale_after=STALE_AFTER):
    """Re-enqueue runs whose job was lost: running with no heartbeat for `stale_after` (the worker died;
    a Redis broker would only redeliver after its visibility timeout), or queued that long (the message
    was lost). A duplicate message is harmless: execution is idempotent and fenced by the attempt number."""
    cutoff = timezone.now() - stale_after
    stuck = ReportRun.objects.filter(
        Q(status=RunStatus.RUNNING, heartbeat_at__lt=cutoff) | Q(status=RunStatus.QUEUED, requested_at__lt=cutoff)
    )
    resumed = []
    for run in stuck:
        with transaction.atomic():
            updated = ReportRun.objects.filter(pk=run.pk, status=run.status, attempts=run.attempts).update(
                status=RunStatus.QUEUED, requested_at=timezone.now(), step=str(_("Resumed after a lost worker"))
            )
            if updated:
                _enqueue(run)
                resumed.append(run.pk)
    if resumed:
        logger.warning("Re-enqueued report runs %s", resumed)
    return resumed


def closed_year_reports_start():
    """Start the province report of every closed rating year of the program that has had no report
    requested since it was closed; requested as the board member who closed the year."""
    program = default_program()
    if program is None:
        return []
    started = []
    for rating_year in RatingYear.objects.filter(state=YearState.CLOSED, year__in=program.years).select_related(
        "closed_by"
    ):
        actor = rating_year.closed_by
        if actor is None:
            # Closed outside the service (e.g. the demo loader): the province's first superuser asks.
            actor = _superuser()
            if actor is None:
                continue
        on = date(rating_year.year, 12, 31)
        try:
            province = resolve_scope(actor=actor, scope_id=None, on=on)
        except Http404:
            continue
        latest = ReportRun.objects.filter(program=program, year=rating_year.year, scope_id=province.id).first()
        closed_at = rating_year.closed_at
        if latest is not None and (closed_at is None or latest.requested_at >= closed_at):
            continue
        try:
            started.append(report_run_start(actor=actor, year=rating_year.year, scope_id=province.id, program=program))
        except (PermissionDenied, ValidationError):
            logger.exception("Could not start the province report of %s", rating_year.year)
    return started


def _superuser():
    return policy.system_actor()
