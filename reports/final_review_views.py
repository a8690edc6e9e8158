"""The final review page (/bao-cao/tong-ket/): the program's targets over a span for a scope, historical or
comparable, and its workbook. GET parameters: scope, first, last, mode."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from indicators.selectors import default_program
from indicators.selectors.series import (
    COMPARABLE,
    HISTORICAL,
    FinalReview,
    UnitReview,
    comparable_review,
    default_last_year,
    final_review,
    scope_last_year,
    span_years,
)
from organizations import pickers, policy
from party_portal import excel

from . import final_review as tables
from .comparable_reviews import comparable_review_for
from .models import RunStatus

COMPARABLE_PENDING = _(
    "The comparable figures are being computed (asked at %(time)s): they take a while for a large unit. This page "
    "shows them when they are ready; reload it in a moment."
)
COMPARABLE_COMPUTED = _("Comparable figures computed at %(time)s.")
ENDED_BEFORE = _("The unit chosen no longer existed on 31/12/%(year)s: the review ends with %(last)s, its last year.")


class ScopeForm(forms.Form):
    """The review's scope as an organization picker on the tree of 31/12 of the span's last year (the page's GET
    form; the links carry the id, a typed code or name is resolved by `_scope_id`)."""

    scope = pickers.OrganizationPickerField(label=_("Scope"), year_field="last")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _review(request):
    """(program, review, note, stored) for the query string; a missing or unreadable value takes its default (the
    actor's scope, the whole program up to the last year the actor's part of the tree stood). The comparable mode
    is read from its stored job (`stored`): until it lands, the review holds the scope and span only."""
    policy.require(request.user, policy.RUN_REPORTS)
    program = default_program()
    last = _int(request.GET.get("last")) or default_last_year(actor=request.user, program=program)
    first, last = span_years(program, _int(request.GET.get("first")), last)
    scope_id, note = _scope_id(request, last)
    if scope_id is not None:
        existed = scope_last_year(actor=request.user, scope_id=scope_id, last=last, program=program)
        if existed is None:
            raise Http404
        if existed < last:
            note = ENDED_BEFORE % {"year": last, "last": existed}
            first, last = min(first, existed), existed
    if request.GET.get("mode") != COMPARABLE:
        review = final_review(actor=request.user, scope_id=scope_id, first=first, last=last, program=program)
        return program, review, note, None
    scope, stored = comparable_review_for(
        actor=request.user, program=program, scope_id=scope_id, first=first, last=last
    )
    if stored.status == RunStatus.DONE:
        review = comparable_review(stored.counts, first=first, last=last, program=program)
    else:
        review = FinalReview(program, first, last, COMPARABLE, UnitReview(scope, {}), [], {}, {})
    return program, review, note, stored


def _scope_id(request, last):
    """(scope id or None, note): an id (the page's links), or a code or name typed in the picker, resolved on
    31/12 of `last` in the actor's scope; a text naming none (or several) gives the picker's message and the
    actor's own scope."""
    text = (request.GET.get("scope") or "").strip()
    if not text or text.isdigit():
        return _int(text), None
    try:
        placement = pickers.resolve(actor=request.user, on=date(last, 12, 31), text=text)
    except forms.ValidationError as error:
        return None, f"{_('Scope')}: {error.messages[0]}"
    return placement.organization_id, None


def _local_time(moment):
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def _query(review, **changes):
    values = {"scope": review.scope.node.id, "first": review.first, "last": review.last, "mode": review.mode}
    values.update(changes)
    return "&".join(f"{key}={value}" for key, value in values.items())


@login_required
def final_review_page(request):
    program, review, note, stored = _review(request)
    if note:
        messages.warning(request, note)
    pending = stored is not None and stored.status != RunStatus.DONE
    base = reverse("reports:final_review")
    context = {
        "review": review,
        "title": tables.title(review),
        "span_line": tables.span_line(review),
        "mode_line": tables.mode_line(review),
        "blocks": [] if pending else tables.blocks(review),
        "pending": COMPARABLE_PENDING % {"time": _local_time(stored.requested_at)} if pending else "",
        "computed": COMPARABLE_COMPUTED % {"time": _local_time(stored.finished_at)} if stored and not pending else "",
        "years": program.years,
        "scope_form": ScopeForm(initial={"scope": review.scope.node.code}),
        "historical_url": f"{base}?{_query(review, mode=HISTORICAL)}",
        "comparable_url": f"{base}?{_query(review, mode=COMPARABLE)}",
        "download_url": f"{reverse('reports:final_review_download')}?{_query(review)}",
        "comparable": review.mode == COMPARABLE,
    }
    return render(request, "reports/final_review.html", context)


@login_required
def final_review_download(request):
    """The same tables as the page, as an Excel workbook (XLSX); comparable figures not computed yet send the
    reader to the page, which says since when they are being computed."""
    _program, review, _note, stored = _review(request)
    if stored is not None and stored.status != RunStatus.DONE:
        return redirect(f"{reverse('reports:final_review')}?{_query(review)}")
    return excel.xlsx_response(tables.build_workbook(review), tables.filename(review))
