"""Rating pages: the grid of a TCCSĐ, the approval queue of the level above, and the rating years.

Every change goes through evaluations.services; this module parses input, shows the services' messages where
they belong (each member's next to its row) and never re-checks a rating rule. The dashboard figures are
refreshed by the indicators app (its button and nightly task): evaluations must not import indicators.
"""

from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from organizations import policy, scoping
from organizations import selectors as org_selectors
from party_portal import excel

from . import entry_selectors, exports, rules, services
from .forms import (
    MEMBER_REASONS,
    SLUG_OF_STATE,
    STATE_FILTERS,
    UNIT_REASONS,
    DecisionForm,
    MemberRowForm,
    OwnRatingForm,
    QueueFilterForm,
    ReopenForm,
    UnitRowForm,
    YearFilterForm,
    rating_value,
    split_rating,
)
from .models import EDITABLE_STATES, Level, NotRatedReason, RuleSet, SubmissionState

PAGE_SIZE = 50
PAGE_PARAM = "trang"

# What each rule set checks, in words, above the grid (the checks themselves are in evaluations.rules).
RULE_SUMMARIES = {
    RuleSet.QD132: [
        gettext_lazy("Members on sick leave for 3 months or more cannot be rated “well completed” or better."),
        gettext_lazy("Warning when members rated “excellent” exceed 20 percent of those rated “well completed”."),
    ],
    RuleSet.QD124: [
        gettext_lazy("Members disciplined during the year can only be rated “did not complete tasks”."),
        gettext_lazy("Warning when members rated “excellent” exceed 20 percent of those rated “well completed”."),
    ],
    RuleSet.QD366: [
        gettext_lazy(
            "Every member given a level needs a 100-point score before the ratings are sent: 90 and above "
            "excellent, 70 to under 90 well completed, 50 to under 70 completed, under 50 did not complete."
        ),
        gettext_lazy("Members disciplined during the year can only be rated “did not complete tasks”."),
    ],
}
NOT_RATED_SUMMARY = gettext_lazy(
    "Members exempt from party work, suspended, or admitted less than 6 months before 31/12 are not rated: "
    "the reason is proposed from their record."
)
NOT_FOUND_TICKED = gettext_lazy("%(count)s ticked submission(s) not found in your part of the tree.")
DERIVED_EXPLANATIONS = {
    NotRatedReason.EXEMPT: gettext_lazy("Exempt from party work on 31/12/%(year)s (member record)."),
    NotRatedReason.SUSPENDED: gettext_lazy("Suspended from party activities on 31/12/%(year)s (member record)."),
    NotRatedReason.NEW_MEMBER: gettext_lazy("Admitted on %(date)s, less than 6 months before 31/12/%(year)s."),
}


RATING_LABELS = {**dict(Level.choices), **dict(NotRatedReason.choices)}


def _score_text(bound):
    """A score as the input shows it: what was typed, or the saved one with the locale's decimal comma."""
    value = bound.value()
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    whole = value == value.to_integral_value()
    return formats.number_format(value.quantize(Decimal(1)) if whole else value.normalize())


def _who(user):
    """How a person is named on the pages: their full name, else their login; "" when unknown."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _year_end(rating_year):
    return entry_selectors.year_end(rating_year.year)


def _error_messages(error):
    return [str(message) for message in error.messages]


# --- the rating grid -------------------------------------------------------------------------------------------


class GridInput:
    """The grid's rows bound to the posted values (or to the saved / proposed ones), with their messages."""

    def __init__(self, grid, data=None):
        self.grid = grid
        self.rule_set = grid.year.rule_set
        self.members = []
        for row in grid.rows:
            initial = {
                "rating": rating_value(row.rating) or row.derived_reason,
                "score": row.rating.score if row.rating else None,
                "sick": row.rating.long_sick_leave if row.rating else False,
            }
            form = MemberRowForm(data, prefix=f"m-{row.member.pk}", initial=initial)
            self.members.append({"row": row, "form": form, "errors": [], "invalid": set()})
        self.units = []
        for unit in grid.units:
            initial = {"rating": rating_value(unit.rating), "score": unit.rating.score if unit.rating else None}
            form = UnitRowForm(data, prefix=f"c-{unit.placement.organization_id}", initial=initial)
            self.units.append({"unit": unit, "form": form, "errors": [], "invalid": set()})
        self.top_errors = []

    def is_valid(self):
        valid = True
        for item in [*self.members, *self.units]:
            if not item["form"].is_valid():
                valid = False
                item["errors"].extend(e for errors in item["form"].errors.values() for e in errors)
                item["invalid"].update(item["form"].errors)
        if not valid:
            self.top_errors.append(_("Some rows have invalid values; they are marked below."))
        return valid

    def member_entries(self):
        """Service entries: every row with a choice, and every row that had a saved rating (clearing one is
        refused by the service with its own message). Untouched empty rows are left for later."""
        entries = []
        for item in self.members:
            row, data = item["row"], item["form"].cleaned_data
            if not data["rating"] and row.rating is None:
                continue
            level, reason = split_rating(data["rating"])
            entries.append(
                {
                    "member_id": row.member.pk,
                    "level": level,
                    "not_rated_reason": reason,
                    "score": data["score"] if self.rule_set == RuleSet.QD366 else None,
                    "long_sick_leave": data["sick"]
                    if self.rule_set == RuleSet.QD132
                    else bool(row.rating and row.rating.long_sick_leave),
                }
            )
        return entries

    def changed_units(self):
        """(item, level, reason, score) of the cells whose rating differs from the saved one."""
        changed = []
        for item in self.units:
            saved, data = item["unit"].rating, item["form"].cleaned_data
            score = data["score"] if self.rule_set == RuleSet.QD366 else None
            if not data["rating"] and saved is None:
                continue
            if saved is not None and data["rating"] == rating_value(saved) and score == saved.score:
                continue
            changed.append((item, *split_rating(data["rating"]), score))
        return changed

    def add_row_errors(self, row_errors):
        for item in self.members:
            # The row already shows the name: "Name: message" reads as "message" there.
            prefix = f"{item['row'].member.full_name}: "
            messages_ = row_errors.get(item["row"].member.pk, [])
            item["errors"].extend(capfirst(message.removeprefix(prefix)) for message in messages_)
            self.mark_fields(item, item["row"].member.full_name, messages_)

    def mark_fields(self, item, name, messages_):
        """Mark the field each rule message is about: the score (its band or its year) or else the rating."""
        if not messages_:
            return
        level, _reason = split_rating(item["form"].cleaned_data.get("rating", ""))
        score = item["form"].cleaned_data.get("score")
        about_score = {str(m) for m in rules.score_errors(name, self.rule_set, level, score)}
        item["invalid"].update("score" if str(m) in about_score else "rating" for m in messages_)


def _save_grid(actor, grid, grid_input):
    """Save the members' and the cells' ratings together: all or nothing. Returns True when saved."""
    with transaction.atomic():
        try:
            services.member_ratings_save(
                actor=actor, organization=grid.organization, year=grid.year, entries=grid_input.member_entries()
            )
        except ValidationError as error:
            row_errors = getattr(error, "row_errors", None)
            if row_errors:
                grid_input.add_row_errors(row_errors)
            grid_input.top_errors.extend(_error_messages(error))
        for item, level, reason, score in grid_input.changed_units():
            try:
                services.organization_rating_save(
                    actor=actor,
                    organization=item["unit"].placement.organization,
                    year=grid.year,
                    level=level,
                    not_rated_reason=reason,
                    score=score,
                )
            except ValidationError as error:
                item["errors"].extend(_error_messages(error))
                grid_input.mark_fields(item, item["unit"].placement.organization.name, _error_messages(error))
                grid_input.top_errors.extend(_error_messages(error))
        if grid_input.top_errors:
            transaction.set_rollback(True)
            return False
    return True


def _submit(request, grid):
    submission = services.submission_get_or_create(actor=request.user, organization=grid.organization, year=grid.year)
    try:
        with transaction.atomic():
            services.submission_submit(actor=request.user, submission=submission)
    except ValidationError as error:
        messages.error(
            request, _("The ratings were saved as a draft but not sent: %s") % " ".join(_error_messages(error))
        )
        return
    messages.success(request, _("The ratings were sent to the level above for approval."))


def _grid_state(actor, grid):
    """What the page lets the actor do: edit (draft or returned, open year, write role) or only read."""
    submission = grid.submission
    state_editable = submission is None or submission.state in EDITABLE_STATES
    can_write = policy.can(actor, policy.ENTER_DATA, grid.organization.pk, _year_end(grid.year))
    return {
        "submitted_who": _who(submission.submitted_by) if submission else "",
        "decided_who": _who(submission.decided_by) if submission else "",
        "reopened_who": _who(grid.reopenings[0].by) if grid.reopenings else "",
        "can_write": can_write,
        "editable": can_write and grid.year.is_open and state_editable,
        "state": submission.state if submission else SubmissionState.DRAFT,
        "state_label": submission.get_state_display() if submission else _("Not started"),
    }


def _row_view(item, year):
    """What the template shows of one member row."""
    row = item["row"]
    explanation = ""
    if row.derived_reason in DERIVED_EXPLANATIONS:
        explanation = DERIVED_EXPLANATIONS[row.derived_reason] % {
            "year": year,
            "date": row.facts.admission_date.strftime("%d/%m/%Y"),
        }
    form = item["form"]
    value = form["rating"].value() or ""
    return {
        **item,
        "value": value,
        "label": RATING_LABELS.get(value, ""),
        "score": _score_text(form["score"]),
        "rating_name": form["rating"].html_name,
        "score_name": form["score"].html_name,
        "rating_invalid": "rating" in item["invalid"],
        "score_invalid": "score" in item["invalid"],
        "sick_name": form["sick"].html_name,
        "sick": form["sick"].value(),
        "explanation": explanation,
        "proposed": row.rating is None and bool(row.derived_reason),
    }


def _grid_context(request, grid, grid_input, state):
    year = grid.year.year
    members = [_row_view(item, year) for item in grid_input.members]
    units = []
    for item in grid_input.units:
        form = item["form"]
        value = form["rating"].value() or ""
        units.append(
            {
                **item,
                "value": value,
                "label": RATING_LABELS.get(value, ""),
                "score": _score_text(form["score"]),
                "rating_name": form["rating"].html_name,
                "score_name": form["score"].html_name,
                "rating_invalid": "rating" in item["invalid"],
                "score_invalid": "score" in item["invalid"],
            }
        )
    saved = sum(1 for row in grid.rows if row.rating is not None)
    tally = Counter(rating_value(row.rating) for row in grid.rows if row.rating is not None)
    return {
        # Saved ratings per level, and the not rated together: what an approver reads first.
        "tally": [(label, tally[value]) for value, label in Level.choices]
        + [(_("not rated"), sum(n for value, n in tally.items() if value not in Level.values))],
        "grid": grid,
        "organization": grid.organization,
        "year": grid.year,
        "members": members,
        "units": units,
        "top_errors": grid_input.top_errors,
        "level_options": Level.choices,
        "member_reason_options": [(r.value, r.label) for r in MEMBER_REASONS],
        "unit_reason_options": [(r.value, r.label) for r in UNIT_REASONS],
        "own_label": RATING_LABELS.get(rating_value(grid.own_rating), ""),
        "show_sick": grid.year.rule_set == RuleSet.QD132,
        "show_score": grid.year.rule_set == RuleSet.QD366,
        # Columns after "#", for the message row under a member.
        "column_count": 4 + (grid.year.rule_set in (RuleSet.QD132, RuleSet.QD366)),
        "rule_summaries": RULE_SUMMARIES.get(grid.year.rule_set, []),
        "not_rated_summary": NOT_RATED_SUMMARY,
        "saved_count": saved,
        "missing_count": len(grid.rows) - saved,
        "years": entry_selectors.rating_year_list(),
        **state,
    }


def _year_form(request, form_class):
    """The list's year filter (the latest open year by default); 404 without any rating year."""
    years = entry_selectors.rating_year_list()
    default = entry_selectors.rating_year_default()
    form = form_class(request.GET, years=[y.year for y in years], default=default.year if default else None)
    if form.year is None:
        raise Http404
    return form


@login_required
def grid_list(request):
    """The TCCSĐ the user can see, with the state of their ratings for the year: the way into the grid."""
    form = _year_form(request, YearFilterForm)
    year = form.year
    placements = entry_selectors.grassroots_with_state(actor=request.user, year=year)
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    submissions, _own_ratings = entry_selectors.submissions_of(
        organization_ids=[p.organization_id for p in page.object_list], year=year
    )
    rows = [{"placement": p, "submission": submissions.get(p.organization_id)} for p in page.object_list]
    return render(request, "evaluations/grid_list.html", {"form": form, "year": year, "page": page, "rows": rows})


@require_GET
@login_required
def grid_latest(request, organization_id):
    """The grid of the latest open year (the organization page links here); 404 outside the actor's scope, like
    the grid itself."""
    year = entry_selectors.rating_year_default()
    if year is None:
        raise Http404
    org_selectors.placement_get(actor=request.user, organization_id=organization_id, on=_year_end(year))
    return redirect("evaluations:grid", organization_id=organization_id, year=year.year)


@login_required
def rating_grid(request, organization_id, year):
    rating_year = entry_selectors.rating_year_get(year=year)
    grid = entry_selectors.grid_get(actor=request.user, organization_id=organization_id, year=rating_year)
    state = _grid_state(request.user, grid)
    if request.method == "POST":
        grid_input = GridInput(grid, request.POST)
        if grid_input.is_valid() and _save_grid(request.user, grid, grid_input):
            if request.POST.get("action") == "submit":
                _submit(request, grid)
            else:
                messages.success(request, _("The ratings were saved as a draft."))
            return redirect("evaluations:grid", organization_id=organization_id, year=year)
    else:
        grid_input = GridInput(grid)
    return render(request, "evaluations/rating_grid.html", _grid_context(request, grid, grid_input, state))


# --- the approval queue ----------------------------------------------------------------------------------------


def _queue_url(year, state):
    return f"{reverse('evaluations:queue')}?nam={year}&trang_thai={SLUG_OF_STATE[state]}"


@login_required
def approval_queue(request):
    """The TCCSĐ directly under the nodes the user can write, with their submissions: filter, open, approve."""
    form = _year_form(request, QueueFilterForm)
    year = form.year
    if request.method == "POST":
        return _approve_many(request, year, form.state)
    everything = entry_selectors.grassroots_with_state(actor=request.user, year=year, approver=True)
    counts = entry_selectors.state_counts(everything)
    placements = entry_selectors.grassroots_with_state(actor=request.user, year=year, approver=True, state=form.state)
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    rows = _queue_rows(page.object_list, year)
    tabs = [
        {
            "value": value,
            "slug": slug,
            "label": label,
            "count": sum(counts.values()) if not value else counts.get(value, 0),
        }
        for slug, value, label in STATE_FILTERS
    ]
    context = {
        "form": form,
        "year": year,
        "state": form.state,
        "state_slug": form.state_slug,
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "can_approve_many": any(r["submission"] and r["submission"].state == SubmissionState.SUBMITTED for r in rows),
        "export_url": excel.download_url(request, "evaluations:queue_export", page_param=PAGE_PARAM),
    }
    return render(request, "evaluations/approval_queue.html", context)


def _queue_rows(placements, year):
    """The approval queue's rows for `placements` (grassroots_with_state): each with its submission, who sent
    and who decided it, and the organization's own rating."""
    placements = list(placements)
    submissions, ratings = entry_selectors.submissions_of(
        organization_ids=[p.organization_id for p in placements], year=year
    )
    return [
        {
            "placement": p,
            "submission": submissions.get(p.organization_id),
            "submitted_who": _who(getattr(submissions.get(p.organization_id), "submitted_by", None)),
            "decided_who": _who(getattr(submissions.get(p.organization_id), "decided_by", None)),
            "own_label": RATING_LABELS.get(rating_value(ratings.get(p.organization_id)), ""),
        }
        for p in placements
    ]


@login_required
@require_GET
def approval_queue_export(request):
    """The approval queue as an Excel file: the same year and tab, every page."""
    form = _year_form(request, QueueFilterForm)
    year = form.year
    on = entry_selectors.year_end(year)
    placements = entry_selectors.grassroots_with_state(actor=request.user, year=year, approver=True, state=form.state)
    # The header names the highest node the user approves for, else the top of what they may read.
    top = (
        scoping.visible_placements(request.user, on, write=True)
        .select_related("organization")
        .order_by("depth")
        .first()
        or scoping.visible_placements(request.user, on).select_related("organization").order_by("depth").first()
    )
    if top is None:
        raise Http404
    tab = next(label for _slug, value, label in STATE_FILTERS if value == form.state)
    content = exports.approval_queue_workbook(
        organization=top.organization, year=year, tab=str(tab), rows=_queue_rows(placements, year)
    )
    return excel.xlsx_response(content, f"duyet-{year}-{form.state_slug}-{top.organization.code}.xlsx")


def _approve_many(request, year, state):
    ids = [int(value) for value in request.POST.getlist("ho_so") if value.isdigit()]
    if not ids:
        messages.error(request, _("Tick at least one submission to approve."))
        return redirect(_queue_url(year, state))
    approved, refused = [], []
    found = entry_selectors.submissions_for_decision(actor=request.user, submission_ids=ids, year=year)
    missing = len(set(ids)) - len(found)
    if missing:
        messages.error(request, NOT_FOUND_TICKED % {"count": missing})
    for submission in found:
        try:
            with transaction.atomic():
                services.submission_approve(actor=request.user, submission=submission)
        except (ValidationError, PermissionDenied) as error:
            detail = " ".join(_error_messages(error)) if isinstance(error, ValidationError) else str(error)
            refused.append(f"{submission.organization.name}: {detail}")
        else:
            approved.append(submission.organization.name)
    if approved:
        names = ", ".join(approved)
        messages.success(
            request, _("Approved %(count)s organization(s): %(names)s.") % {"count": len(approved), "names": names}
        )
    for line in refused:
        messages.error(request, _("Not approved – %s") % line)
    return redirect(_queue_url(year, state))


def _review_action(request, grid, submission):
    """Run the posted decision; returns the bound form that failed (to show its errors), or None when done."""
    action = request.POST.get("action")
    if action == "rate":
        form = OwnRatingForm(request.POST, prefix="own")
        if form.is_valid() and _run(form, lambda: _rate_own(request.user, grid, form.cleaned_data)):
            messages.success(request, _("The rating of the organization was saved."))
            return None
        return form
    if action == "reopen":
        form = ReopenForm(request.POST, prefix="reopen")
        if form.is_valid() and _run(
            form,
            lambda: services.submission_reopen(
                actor=request.user, submission=submission, reason=form.cleaned_data["reason"]
            ),
        ):
            messages.success(request, _("The ratings were reopened; the organization can change them again."))
            return None
        return form
    form = DecisionForm(request.POST, prefix="decision")
    if action not in ("approve", "return") or submission is None:
        form.is_valid()
        form.add_error(None, _("Nothing to decide: the organization has not sent its ratings."))
        return form
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        service = services.submission_approve if action == "approve" else services.submission_return
        if _run(form, lambda: service(actor=request.user, submission=submission, comment=comment)):
            done = _("The ratings were approved.") if action == "approve" else _("The ratings were returned.")
            messages.success(request, done)
            return None
    return form


def _rate_own(actor, grid, data):
    level, reason = split_rating(data["rating"])
    return services.organization_rating_save(
        actor=actor,
        organization=grid.organization,
        year=grid.year,
        level=level,
        not_rated_reason=reason,
        score=data["score"] if grid.year.rule_set == RuleSet.QD366 else None,
    )


def _run(form, call):
    """Call one service; its ValidationError lands on the form's fields (or above them). True when done."""
    try:
        with transaction.atomic():
            call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


@login_required
def review(request, organization_id, year):
    """One TCCSĐ's ratings, read-only, for the level above: warnings, its own rating, approve / return / reopen."""
    rating_year = entry_selectors.rating_year_get(year=year)
    grid = entry_selectors.grid_get(actor=request.user, organization_id=organization_id, year=rating_year)
    submission = grid.submission
    forms = {
        "rate": OwnRatingForm(
            prefix="own",
            initial={
                "rating": rating_value(grid.own_rating),
                "score": grid.own_rating.score if grid.own_rating else None,
            },
        ),
        "decision": DecisionForm(prefix="decision"),
        "reopen": ReopenForm(prefix="reopen"),
    }
    if request.method == "POST":
        failed = _review_action(request, grid, submission)
        if failed is None:
            return redirect("evaluations:review", organization_id=organization_id, year=year)
        forms[request.POST.get("action") if request.POST.get("action") in ("rate", "reopen") else "decision"] = failed
    can_decide = policy.can(request.user, policy.APPROVE, grid.organization.pk, _year_end(rating_year))
    state = submission.state if submission else ""
    grid_input = GridInput(grid)
    grid_state = _grid_state(request.user, grid)
    context = {
        **_grid_context(request, grid, grid_input, grid_state),
        "editable": False,
        "grid_editable": grid_state["editable"],
        "can_decide": can_decide and rating_year.is_open,
        # The service accepts the TCCSĐ's own rating until its submission is approved.
        "can_rate_own": can_decide
        and rating_year.is_open
        and (submission is None or state in (*EDITABLE_STATES, SubmissionState.SUBMITTED)),
        "submitted": state == SubmissionState.SUBMITTED,
        "approved": state == SubmissionState.APPROVED,
        "rate_form": forms["rate"],
        "decision_form": forms["decision"],
        "reopen_form": forms["reopen"],
    }
    return render(request, "evaluations/review.html", context)


# --- the rating years ------------------------------------------------------------------------------------------


@login_required
def year_list(request):
    years = entry_selectors.rating_year_list()
    for year in years:
        year.closed_who = _who(year.closed_by)
        year.counts = [
            (label, year.submission_counts.get(value, 0))
            for value, label in SubmissionState.choices
            if year.submission_counts.get(value)
        ]
    return render(request, "evaluations/year_list.html", {"years": years})


@login_required
def year_close(request, year):
    """Closing a year is final: a confirmation page first, showing what is not approved yet."""
    if not policy.can(request.user, policy.CLOSE_YEAR):
        raise PermissionDenied(services.BOARD_ONLY)
    rating_year = entry_selectors.rating_year_get(year=year)
    if request.method == "POST" and rating_year.is_open:
        services.year_close(actor=request.user, year=rating_year)
        messages.success(request, _("The rating year %(year)s is closed.") % {"year": year})
        return redirect("evaluations:years")
    counts = next(y.submission_counts for y in entry_selectors.rating_year_list() if y.year == year)
    pending = sum(n for state, n in counts.items() if state != SubmissionState.APPROVED)
    return render(
        request,
        "evaluations/year_close.html",
        {"year": rating_year, "pending": pending, "approved": counts.get(SubmissionState.APPROVED, 0)},
    )


@login_required
def year_reopen(request, year):
    """Reopening a closed year needs a reason, kept with who and when; a confirmation page first."""
    if not policy.can(request.user, policy.REOPEN_YEAR):
        raise PermissionDenied(services.BOARD_ONLY_REOPEN)
    rating_year = entry_selectors.rating_year_get(year=year)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not rating_year.is_open:
        try:
            services.year_reopen(actor=request.user, year=rating_year, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rating year %(year)s is open again.") % {"year": year})
            return redirect("evaluations:years")
    return render(request, "evaluations/year_reopen.html", {"year": rating_year, "form": form})
