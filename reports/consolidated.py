"""The province's consolidated report to the Standing Committee for a program year (báo cáo tổng hợp): request a
version (scoped), build it in a Celery job (idempotent), issue it under the next number of the year.

What the document says is computed once, as data (`content`), from three sources:
- the province's figures: the province's compliance report of the year (a ReportRun, the document's annex, so the
  document and its Excel annex never disagree): the latest done version, else one requested with the report and
  computed by the same job;
- the reporting units: reviews.duties (who owed a review, by when, what they sent) and each review's figures as
  frozen at its submission;
- the units' proposals (the review's "đề xuất, kiến nghị" section).
The .docx is then written from `content` alone (reports/consolidated_document.py).
"""

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from indicators.selectors import resolve_scope
from organizations import policy, scoping
from party_portal.db_routers import replica_reads
from reviews import duties
from reviews.models import ReviewStatus

from . import consolidated_document, issuing, selectors, tables
from .models import ACTIVE_STATUSES, ConsolidatedReport, ReportRun, RunStatus
from .services import _program_for, report_run_execute, report_run_start

logger = logging.getLogger(__name__)

NOT_PROVINCE = _("The consolidated report is the province's: it is made for the whole province only.")
ANNEX_FAILED = _("The province's compliance report of %(year)s (the annex) could not be computed: %(error)s")
ALREADY_ISSUED = _("Version %(version)s of the consolidated report is already issued as number %(number)s.")
NOT_DONE = _(
    "Version %(version)s of the consolidated report is not done (%(status)s): only a done version can be issued."
)
ISSUE_FIELDS = ("document", "content", "issued_at", "issued_by", "number_year", "number_seq", "number")
# The figures a review states for its unit are those of these states: sent, whether received yet or not.
SENT = (ReviewStatus.SUBMITTED, ReviewStatus.RECEIVED)


def _year_end(year):
    return date(year, 12, 31)


def _enqueue(report):
    from .tasks import consolidated_report_task  # tasks import this module

    queue = getattr(settings, "REPORTS_TASK_QUEUE", None)
    consolidated_report_task.apply_async_on_commit(args=[report.pk], **({"queue": queue} if queue else {}))


def _province(actor, year, province_id):
    """The root of the tree on 31/12 of the year that the actor reads (the given one, else the top of its scope)."""
    try:
        node = resolve_scope(actor=actor, scope_id=province_id, on=_year_end(year))
    except Http404 as error:
        raise PermissionDenied(scoping.NOT_IN_SCOPE) from error
    if node.depth != 0:
        raise PermissionDenied(NOT_PROVINCE)
    return node


def _annex_for(actor, program, year, province_id):
    """The province's latest done compliance report of the year, else the one queued or running (joined), else a
    new version, computed by the consolidated report's job."""
    done = (
        ReportRun.objects.filter(program=program, year=year, scope_id=province_id, status=RunStatus.DONE)
        .order_by("-version")
        .first()
    )
    if done is not None:
        return done
    return report_run_start(actor=actor, year=year, scope_id=province_id, program=program, enqueue=False)


def _active(key):
    return ConsolidatedReport.objects.filter(**key, status__in=ACTIVE_STATUSES).first()


@transaction.atomic
def consolidated_report_start(*, actor, year, province_id=None, program=None, enqueue=True):
    """Request a new version of the province's consolidated report of `year`: only a holder of RECEIVE_REVIEWS at
    the province. The job is enqueued after commit (`enqueue=False`: the caller executes it). A version already
    queued or running is returned as it is; the earlier versions stay as they are."""
    policy.require(actor, policy.RECEIVE_REVIEWS)
    program = _program_for(year, program)
    province = _province(actor, year, province_id)
    policy.require(actor, policy.RECEIVE_REVIEWS, province.id)
    key = {"program": program, "year": year, "province_id": province.id}
    ConsolidatedReport.objects.select_for_update().filter(**key).order_by("-version").first()
    active = _active(key)
    if active is not None:
        return active
    latest = ConsolidatedReport.objects.filter(**key).aggregate(latest=Max("version"))["latest"] or 0
    annex = _annex_for(actor, program, year, province.id)
    report = ConsolidatedReport(**key, version=latest + 1, annex=annex, requested_by=actor, requested_at=timezone.now())
    report._history_user = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return _active(key) or ConsolidatedReport.objects.filter(**key).order_by("-version").first()
    if enqueue:
        _enqueue(report)
    return report


# ---------------------------------------------------------------- the content


def _person(user):
    return "" if user is None else user.get_full_name() or user.get_username()


def _unit_figures(review, codes):
    """The review's frozen figures of the target codes (reviews.services.figures_payload: the unit's node under
    "scope", in the compliance JSON's shape)."""
    if review is None or review.status not in SENT or not review.figures:
        return None
    figures = review.figures["scope"]["indicators"]
    return {code: figures[code] for code in codes if code in figures}


def _unit_row(duty, codes, today):
    review = duty.review
    return {
        "code": duty.unit.code,
        "name": duty.unit.name,
        "kind": duty.unit.kind,
        "in_tree": duty.unit.in_tree,
        "due_on": duty.due_on.isoformat() if duty.due_on else None,
        "submitted_on": duty.done_on.isoformat() if duty.done_on else None,
        "state": duty.state(today),
        "review_status": review.status if review is not None else None,
        "figures": _unit_figures(review, codes) if duty.unit.in_tree else None,
        "proposals": review.proposals if review is not None and review.status in SENT else "",
    }


def _units(report, codes):
    """Every unit that owed a review of the year, as the tree stood on 31/12 of it (a district committee that
    ended in 2025 still owes its 2024 review), its state judged today."""
    today = timezone.localdate()
    owed = duties.review_duties(
        actor=report.requested_by, program=report.program, year=report.year, today=_year_end(report.year)
    )
    rows = [_unit_row(duty, codes, today) for duty in owed]
    # The committees of the tree first, then the units outside it (party delegations, …), each by code.
    return sorted(rows, key=lambda row: (not row["in_tree"], row["code"]))


def compute_content(report, annex):
    """Everything the document says, as data: the header, the province's target figures (from the annex), the
    units' rows, who was late or has not reported, the proposals. Read as the requester."""
    results = annex.results
    figures = results["scope"]["indicators"]
    # The six targets (a run stored before the definitions reads one per code it holds).
    definitions = [d for d in tables.definitions(results) if d.get("kind", "TARGET") == "TARGET"]
    codes = [d["code"] for d in definitions]
    units = _units(report, codes)
    return {
        "program": {
            "code": report.program.code,
            "name": report.program.name,
            "years": [report.program.first_year, report.program.last_year],
        },
        "year": report.year,
        "province": {
            "code": results["scope"]["code"],
            "name": results["scope"]["name"],
            "kind": results["scope"]["kind"],
        },
        "version": report.version,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "requested_by": _person(report.requested_by),
        "number": None,
        "number_suffix": settings.REPORT_NUMBER_SUFFIX,
        "issued_at": None,
        "issued_by": "",
        "annex": {"run": annex.pk, "version": annex.version, "number": annex.number or None},
        "provisional": bool(results.get("provisional")),
        "definitions": definitions,
        "figures": {code: figures[code] for code in codes},
        "program_rates": {code: rate for code, rate in results.get("program_rates", {}).items() if code in codes},
        "units": units,
        "late": [u["code"] for u in units if u["state"] == duties.DONE_LATE],
        "missing": [u["code"] for u in units if u["submitted_on"] is None],
        "proposals": [u["code"] for u in units if u["proposals"].strip()],
    }


# ---------------------------------------------------------------- the job


def _claim(report_id):
    with transaction.atomic():
        report = (
            ConsolidatedReport.objects.select_for_update(of=("self",))
            .select_related("program", "province", "requested_by", "annex")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status not in ACTIVE_STATUSES:
            return None
        report.status, report.started_at, report.finished_at = RunStatus.RUNNING, timezone.now(), None
        report.save(update_fields=["status", "started_at", "finished_at"])
        return report


def _annex_done(report):
    annex = report.annex
    if annex.is_active:
        # Computed here, in this job (the annex was requested with it, not enqueued on its own); a redelivered
        # message of its own would find it done.
        report_run_execute(annex.pk)
        annex.refresh_from_db()
    if annex.status != RunStatus.DONE:
        raise ValidationError(
            ANNEX_FAILED, params={"year": report.year, "error": annex.error or annex.status}, code="annex_failed"
        )
    return annex


def _fail(report_id, error):
    message = f"{error.__class__.__name__}: {error}"[:2000]
    ConsolidatedReport.objects.filter(pk=report_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error=message, finished_at=timezone.now()
    )


def consolidated_report_execute(report_id):
    """Compute a version's content and write its document. Idempotent: a version that is not queued or running
    is left alone, so a redelivered message is a no-op. Any error fails the version (request a new one)."""
    report = _claim(report_id)
    if report is None:
        return None
    try:
        annex = _annex_done(report)
        # The document is the Party's own: Vietnamese, whatever language the requester reads.
        with translation.override(settings.LANGUAGE_CODE), replica_reads(caught_up=True):
            content = compute_content(report, annex)
            document = consolidated_document.build(content)
        with transaction.atomic():
            report = ConsolidatedReport.objects.select_for_update(of=("self",)).get(pk=report_id)
            if report.status != RunStatus.RUNNING:
                return report
            report.document.save(
                f"bao-cao-tong-hop-{report.year}-v{report.version}.docx", ContentFile(document), save=False
            )
            report.content, report.error = content, ""
            report.status, report.finished_at = RunStatus.DONE, timezone.now()
            report.save(update_fields=["document", "content", "error", "status", "finished_at"])
        return report
    except Exception as error:
        _fail(report_id, error)
        logger.exception("Consolidated report %s failed", report_id)
        raise


# ---------------------------------------------------------------- issuing


def _refuse_unless_issuable(report):
    if report.is_issued:
        raise ValidationError(
            ALREADY_ISSUED, params={"version": report.version, "number": report.number}, code="already_issued"
        )
    if report.status != RunStatus.DONE:
        raise ValidationError(
            NOT_DONE, params={"version": report.version, "status": report.get_status_display()}, code="not_done"
        )


@transaction.atomic
def consolidated_report_issue(*, actor, report_id):
    """Issue a done version: the next number of the year of issue, in the sequence the compliance reports share
    ("12-BC/BTCTU"), the document rewritten with the number, the date of issue and the issuer, and the row final."""
    # 404 for a reader outside the province before any other answer.
    found = selectors.consolidated_report_get(actor=actor, pk=report_id)
    policy.require(actor, policy.ISSUE_REPORTS, found.province_id)
    report = ConsolidatedReport.objects.select_for_update(of=("self",)).get(pk=report_id)
    _refuse_unless_issuable(report)
    now = timezone.now()
    number_year = timezone.localtime(now).year
    issuing.lock_numbers(number_year)
    seq = issuing.next_seq(number_year)
    number = issuing.report_number(seq)
    content = {
        **report.content,
        "number": number,
        "issued_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "issued_by": _person(actor),
    }
    with translation.override(settings.LANGUAGE_CODE):
        document = consolidated_document.build(content)
    draft_file = report.document.name
    report.document.save(
        f"bao-cao-tong-hop-{report.year}-so-{seq}-{number_year}.docx", ContentFile(document), save=False
    )
    report.content, report.issued_at, report.issued_by = content, now, actor
    report.number_year, report.number_seq, report.number = number_year, seq, number
    report._history_user = actor
    report.save(update_fields=[*ISSUE_FIELDS])
    keep = report.document.name
    transaction.on_commit(lambda: report.document.storage.delete(draft_file) if draft_file != keep else None)
    return report
