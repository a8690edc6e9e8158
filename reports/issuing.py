"""Issuing a report version: it gets the next number of the year ("12-BC/BTCTU") in its workbook's header and
never changes again (ReportRun.save and delete refuse an issued row, whatever the door)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from organizations import policy

from . import selectors, workbook
from .models import ConsolidatedReport, ReportRun, RunStatus

ALREADY_ISSUED = _("Version %(version)s of this report is already issued as number %(number)s.")
NOT_DONE = _("Version %(version)s of this report is not done (%(status)s): only a done version can be issued.")
# Two issues at the same moment may pick the same number: the unique constraint refuses one, which takes the next.
NUMBER_ATTEMPTS = 5
# The key of the advisory lock on the numbers of a year (any constant the portal uses for nothing else).
NUMBER_LOCK = 12_0401
ISSUE_FIELDS = ("workbook", "results", "issued_at", "issued_by", "number_year", "number_seq", "number")


def report_number(seq):
    return f"{seq}-{settings.REPORT_NUMBER_SUFFIX}"


def lock_numbers(number_year):
    """Hold the year's number sequence until the transaction ends. Report runs and consolidated reports draw from
    one sequence kept in two tables, so no unique constraint spans it: issuers of the same year queue here
    (PostgreSQL's transaction-level advisory lock; SQLite lets one writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NUMBER_LOCK, number_year])


def next_seq(number_year):
    """The next number of the year of issue, after every report run and consolidated report issued that year."""
    latest = [
        model.objects.filter(number_year=number_year).aggregate(latest=Max("number_seq"))["latest"] or 0
        for model in (ReportRun, ConsolidatedReport)
    ]
    return max(latest) + 1


def _numbered_results(run, actor, seq, now):
    report = {
        **run.results["report"],
        "number": report_number(seq),
        "number_suffix": settings.REPORT_NUMBER_SUFFIX,
        "issued_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "issued_by": actor.get_full_name() or actor.get_username(),
    }
    return {**run.results, "report": report}


def _refuse_unless_issuable(run):
    if run.is_issued:
        raise ValidationError(
            ALREADY_ISSUED, params={"version": run.version, "number": run.number}, code="already_issued"
        )
    if run.status != RunStatus.DONE:
        raise ValidationError(
            NOT_DONE, params={"version": run.version, "status": run.get_status_display()}, code="not_done"
        )


@transaction.atomic
def report_run_issue(*, actor, run_id):
    """Issue a done version of a report the actor may read: the next number of this year's sequence, the
    workbook rebuilt from the version's stored results with that number in its header, and the row final."""
    # 404 outside the actor's part of the tree before any other answer: a refusal names nothing out of sight.
    selectors.report_run_get(actor=actor, pk=run_id)
    policy.require(actor, policy.ISSUE_REPORTS)
    run = ReportRun.objects.select_for_update(of=("self",)).select_related("program", "scope").get(pk=run_id)
    _refuse_unless_issuable(run)
    now = timezone.now()
    number_year = timezone.localtime(now).year
    draft_file = run.workbook.name
    lock_numbers(number_year)
    for attempt in range(NUMBER_ATTEMPTS):
        seq = next_seq(number_year)
        results = _numbered_results(run, actor, seq, now)
        # The workbook is the Party's own form: Vietnamese, whatever language the issuer reads.
        with translation.override(settings.LANGUAGE_CODE):
            content = workbook.build(results)
        name = f"bao-cao-{run.year}-{run.scope.code}-so-{seq}-{number_year}.xlsx"
        run.workbook.save(name, ContentFile(content), save=False)
        run.results, run.issued_at, run.issued_by = results, now, actor
        run.number_year, run.number_seq, run.number = number_year, seq, report_number(seq)
        run._history_user = actor
        try:
            with transaction.atomic():
                run.save(update_fields=[*ISSUE_FIELDS])
                break
        except IntegrityError:
            run.workbook.delete(save=False)
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    keep = run.workbook.name
    transaction.on_commit(lambda: run.workbook.storage.delete(draft_file) if draft_file != keep else None)
    return run
