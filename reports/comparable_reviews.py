"""The comparable figures of the final review as a job (issue 13: heavy figures are never computed on a request).

Recomputing every earlier year of a span over the TCCSĐ that make up each unit at its end takes seconds on a
province, so the review page and its workbook read a stored ComparableReview: the first reader of a (scope, span)
with the current snapshots and targets queues the computation; later readers, reloads included, join that row
until it lands. A row is shown only to a reader who may read its scope on 31/12 of the span's last year — the
condition the computation itself puts on its requester, so a reader sees exactly what they could compute."""

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from indicators.dashboard_cache import reader_of
from indicators.selectors import default_program, resolve_scope
from indicators.selectors.series import comparable_counts, comparable_stamp, default_last_year, span_years
from organizations.models import Placement

from .models import ComparableReview, RunStatus

logger = logging.getLogger(__name__)


def _enqueue(review):
    from .tasks import comparable_review_task  # tasks import this module

    # The reports' queue when a deployment gives reports a worker of their own (as report runs do).
    queue = getattr(settings, "REPORTS_TASK_QUEUE", None)
    comparable_review_task.apply_async_on_commit(args=[review.pk], **({"queue": queue} if queue else {}))


def comparable_review_for(*, actor, program, scope_id, first, last):
    """(the scope's Node, its stored comparable review) for the scope the actor may read on 31/12 of `last` (404
    otherwise), the span and the current stamp; the review is queued now when there is none — or when the last
    attempt failed. Once per (scope, span, stamp): a reload while it runs queues nothing."""
    scope = resolve_scope(actor=actor, scope_id=scope_id, on=date(last, 12, 31))
    key = {
        "program": program,
        "scope_id": scope.id,
        "first": first,
        "last": last,
        "stamp": comparable_stamp(program=program, first=first, last=last),
    }
    review = ComparableReview.objects.filter(**key).first()
    if review is None:
        review = _request(actor, key)
    elif review.status == RunStatus.FAILED:
        review.status, review.error = RunStatus.QUEUED, ""
        review.requested_by, review.requested_at = actor, timezone.now()
        review.save(update_fields=["status", "requested_by", "requested_at", "error"])
        _enqueue(review)
    return scope, review


def _request(actor, key):
    try:
        with transaction.atomic():
            review = ComparableReview.objects.create(**key, requested_by=actor, requested_at=timezone.now())
    except IntegrityError:  # another reader asked for it in the meantime: join theirs
        return ComparableReview.objects.get(**key)
    _enqueue(review)
    return review


def comparable_review_execute(review_id):
    """Compute the review's counts as its requester; a finished row is left as it is (a redelivery is a no-op)."""
    review = ComparableReview.objects.select_related("requested_by", "program").filter(pk=review_id).first()
    if review is None or review.status == RunStatus.DONE:
        return review
    ComparableReview.objects.filter(pk=review.pk).update(status=RunStatus.RUNNING)
    try:
        counts = comparable_counts(
            actor=review.requested_by,
            scope_id=review.scope_id,
            first=review.first,
            last=review.last,
            program=review.program,
        )
    except Exception as error:
        logger.exception("comparable review %s failed", review.pk)
        ComparableReview.objects.filter(pk=review.pk).update(
            status=RunStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    review.status, review.counts, review.finished_at = RunStatus.DONE, counts, timezone.now()
    review.save(update_fields=["status", "counts", "finished_at"])
    return review


def warm_after_refresh(sender, *, year, **kwargs):
    """After a refresh of `year` (indicators.signals.snapshots_refreshed): queue the comparable review of each top
    node over the program's whole span, as the dashboards' reader of that node, when the span holds `year` — the
    refresh changed its stamp, so the first reader would otherwise wait for it. Returns the reviews queued or
    found."""
    program = default_program()
    if year not in program.years:
        return []
    reviews = []
    for root_id in (
        Placement.objects.on(date(year, 12, 31)).filter(parent__isnull=True).values_list("organization_id", flat=True)
    ):
        reader = reader_of(root_id, root_id, date(year, 12, 31))
        if reader is None:
            continue
        first, last = span_years(program, None, default_last_year(actor=reader, program=program))
        if not first <= year <= last:
            continue
        try:
            reviews.append(
                comparable_review_for(actor=reader, program=program, scope_id=root_id, first=first, last=last)[1]
            )
        except Http404:  # the node ended before the span did: its review is asked for over its own years
            continue
    return reviews
