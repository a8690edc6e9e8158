"""The final review page (/bao-cao/tong-ket/): the program's targets over a span for a scope, historical or
comparable, and its workbook. GET parameters: scope, first, last, mode."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from indicators.selectors import default_program
from indicators.selectors.series import (
    COMPARABLE,
    HISTORICAL,
    default_last_year,
    final_review,
    scope_last_year,
    span_years,
)
from organizations import policy
from organizations import selectors as org_selectors
from party_portal import excel

from . import final_review as tables

ENDED_BEFORE = _("The unit chosen no longer existed on 31/12/%(year)s: the review ends with %(last)s, its last year.")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _review(request):
    """The review the query string asks for; a missing or unreadable value takes its default (the actor's scope,
    the whole program up to the last year the actor's part of the tree stood)."""
    policy.require(request.user, policy.RUN_REPORTS)
    program = default_program()
    last = _int(request.GET.get("last")) or default_last_year(actor=request.user, program=program)
    first, last = span_years(program, _int(request.GET.get("first")), last)
    scope_id = _int(request.GET.get("scope"))
    note = None
    if scope_id is not None:
        existed = scope_last_year(actor=request.user, scope_id=scope_id, last=last, program=program)
        if existed is None:
            raise Http404
        if existed < last:
            note = ENDED_BEFORE % {"year": last, "last": existed}
            first, last = min(first, existed), existed
    mode = COMPARABLE if request.GET.get("mode") == COMPARABLE else HISTORICAL
    review = final_review(actor=request.user, scope_id=scope_id, first=first, last=last, mode=mode, program=program)
    return program, review, note


def _query(review, **changes):
    values = {"scope": review.scope.node.id, "first": review.first, "last": review.last, "mode": review.mode}
    values.update(changes)
    return "&".join(f"{key}={value}" for key, value in values.items())


@login_required
def final_review_page(request):
    program, review, note = _review(request)
    if note:
        messages.warning(request, note)
    base = reverse("reports:final_review")
    context = {
        "review": review,
        "title": tables.title(review),
        "span_line": tables.span_line(review),
        "mode_line": tables.mode_line(review),
        "blocks": tables.blocks(review),
        "years": program.years,
        "scopes": org_selectors.organization_choices(actor=request.user, on=date(review.last, 12, 31)),
        "historical_url": f"{base}?{_query(review, mode=HISTORICAL)}",
        "comparable_url": f"{base}?{_query(review, mode=COMPARABLE)}",
        "download_url": f"{reverse('reports:final_review_download')}?{_query(review)}",
        "comparable": review.mode == COMPARABLE,
    }
    return render(request, "reports/final_review.html", context)


@login_required
def final_review_download(request):
    """The same tables as the page, as an Excel workbook (XLSX)."""
    _program, review, _note = _review(request)
    return excel.xlsx_response(tables.build_workbook(review), tables.filename(review))
