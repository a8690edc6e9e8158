"""The reporting pages (/so-ket/): the year's overview, a unit's plans and reviews, the review form with its
preview, the Board's decisions, the reporting list and the due dates. Views parse and render; the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import policy, scoping

from . import duties, selectors, services
from .forms import DueDateForm, PlanForm, ReturnForm, ReviewForm, UnitForm
from .models import SECTIONS, DutyKind, ReportingUnitKind, ReviewAttachment


def _refuse_unless(request, action):
    if not policy.can(request.user, action):
        raise PermissionDenied(policy.refusal(request.user, action))


def _error_text(error):
    return " ".join(error.messages)


@login_required
@require_GET
def overview_view(request, year=None):
    years = selectors.year_choices()
    if year is None:
        return redirect("reviews:overview_year", year=selectors.default_year(actor=request.user, years=years))
    if year not in selectors.program().years:
        raise Http404
    only = request.GET.get("loc", "")
    if only not in selectors.FILTERS:
        only = ""
    rows = selectors.overview(actor=request.user, year=year, only=only)
    context = {
        "year": year,
        "years": years,
        "rows": rows,
        "only": only,
        "filters": [
            (selectors.FILTER_NO_PLAN, _("No plan yet")),
            (selectors.FILTER_LATE, _("Late")),
            (selectors.FILTER_NOT_SENT, _("Review not sent")),
        ],
        "can_manage": policy.can(request.user, policy.MANAGE_REPORTING),
    }
    return render(request, "reviews/overview.html", context)


@login_required
@require_GET
def unit_view(request, unit_id):
    unit = selectors.unit_get(actor=request.user, unit_id=unit_id)
    context = {
        "unit": unit,
        "plans": selectors.unit_plans(unit=unit),
        "reviews": selectors.unit_reviews(actor=request.user, unit=unit),
        "can_write": selectors.can_write_for(request.user, unit),
        "can_manage": policy.can(request.user, policy.MANAGE_REPORTING),
    }
    return render(request, "reviews/unit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_record_view(request, unit_id):
    unit = selectors.unit_get(actor=request.user, unit_id=unit_id)
    if not selectors.can_write_for(request.user, unit):
        raise PermissionDenied(policy.refusal(request.user, policy.SUBMIT_REVIEWS))
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_record(
                actor=request.user,
                unit=unit,
                number=data["number"],
                issued_on=data["issued_on"],
                title=data["title"],
                document=data["document"],
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("The plan is recorded."))
            return redirect("reviews:unit", unit_id=unit.pk)
    return render(request, "reviews/plan_form.html", {"unit": unit, "form": form})


@login_required
@require_GET
def plan_document_view(request, plan_id):
    plan = selectors.plan_get(actor=request.user, plan_id=plan_id)
    if not plan.document:
        raise Http404
    return FileResponse(plan.document.open("rb"), as_attachment=True, filename=plan.document.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def review_start_view(request, unit_id, year):
    unit = selectors.unit_get(actor=request.user, unit_id=unit_id)
    try:
        review = services.review_start(actor=request.user, unit=unit, year=year)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("reviews:unit", unit_id=unit.pk)
    return redirect("reviews:review", review_id=review.pk)


def _review_context(request, review, form=None, return_form=None):
    return {
        "review": review,
        "unit": review.unit,
        "figures": selectors.review_figures(actor=request.user, review=review),
        "sections": selectors.review_sections(review),
        "attachments": list(review.attachments.all()),
        "due_on": selectors.review_due_on(review),
        "can_edit": selectors.can_edit_review(request.user, review),
        "can_decide": selectors.can_decide_review(request.user, review),
        "form": form,
        "return_form": return_form or ReturnForm(),
    }


def _save_review(request, review, form):
    """Save the sections (and attach the file sent with them); the service's refusal lands on the form."""
    data = form.cleaned_data
    try:
        review = services.review_update(actor=request.user, review=review, **{n: data[n] for n in SECTIONS})
        if data.get("file") is not None:
            services.review_attach(actor=request.user, review=review, upload=data["file"])
    except ValidationError as error:
        form.apply_service_error(error)
        return None
    return review


@login_required
@require_http_methods(["GET", "POST"])
def review_view(request, review_id):
    review = selectors.review_get(actor=request.user, review_id=review_id)
    editable = selectors.can_edit_review(request.user, review)
    initial = {name: getattr(review, name) for name in SECTIONS}
    form = ReviewForm(request.POST or None, request.FILES or None, initial=initial) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("This review cannot be changed by you now."))
        if form.is_valid():
            saved = _save_review(request, review, form)
            action = request.POST.get("action", "save")
            if saved is not None and action == "submit":
                try:
                    services.review_submit(actor=request.user, review=saved)
                except ValidationError as error:
                    form.apply_service_error(error)
                else:
                    messages.success(request, _("The review is submitted to the Organization Board."))
                    return redirect("reviews:review", review_id=review.pk)
            elif saved is not None and action == "preview":
                return redirect("reviews:preview", review_id=review.pk)
            elif saved is not None:
                messages.success(request, _("The review is saved."))
                return redirect("reviews:review", review_id=review.pk)
        review.refresh_from_db()
    return render(request, "reviews/review.html", _review_context(request, review, form))


@login_required
@require_GET
def review_preview_view(request, review_id):
    review = selectors.review_get(actor=request.user, review_id=review_id)
    context = _review_context(request, review)
    context["issued_on"] = timezone.localtime(review.submitted_at) if review.submitted_at else timezone.localtime()
    context["place"] = selectors.place_of(review.unit)
    context["superior"] = selectors.superior_of(review.unit)
    return render(request, "reviews/preview.html", context)


@login_required
@require_POST
def review_receive_view(request, review_id):
    review = selectors.review_get(actor=request.user, review_id=review_id)
    try:
        services.review_receive(actor=request.user, review=review)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The review is received."))
    return redirect("reviews:review", review_id=review.pk)


@login_required
@require_POST
def review_return_view(request, review_id):
    review = selectors.review_get(actor=request.user, review_id=review_id)
    return_form = ReturnForm(request.POST)
    if return_form.is_valid():
        try:
            services.review_return(actor=request.user, review=review, reason=return_form.cleaned_data["reason"])
        except ValidationError as error:
            return_form.apply_service_error(error)
        else:
            messages.success(request, _("The review is returned to the unit."))
            return redirect("reviews:review", review_id=review.pk)
    return render(request, "reviews/review.html", _review_context(request, review, return_form=return_form))


def _attachment(request, review_id, attachment_id):
    review = selectors.review_get(actor=request.user, review_id=review_id)
    attachment = ReviewAttachment.objects.filter(review=review, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return review, attachment


@login_required
@require_GET
def attachment_view(request, review_id, attachment_id):
    _review, attachment = _attachment(request, review_id, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def attachment_remove_view(request, review_id, attachment_id):
    review, attachment = _attachment(request, review_id, attachment_id)
    try:
        services.review_detach(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The file is removed."))
    return redirect("reviews:review", review_id=review.pk)


# --- the Board: the reporting list and the due dates ------------------------------------------------------------


@login_required
@require_GET
def unit_list_view(request):
    _refuse_unless(request, policy.MANAGE_REPORTING)
    return render(request, "reviews/unit_list.html", {"units": selectors.unit_list(actor=request.user)})


def _unit_values(form):
    data = form.cleaned_data
    return {
        "code": data["code"],
        "name": data["name"],
        "owes_plan": data["owes_plan"],
        "owes_reviews": data["owes_reviews"],
        "valid_from": data["valid_from"],
        "valid_to": data["valid_to"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def unit_create_view(request):
    _refuse_unless(request, policy.MANAGE_REPORTING)
    organizations = selectors.committee_choices(actor=request.user)
    initial = {"owes_plan": True, "owes_reviews": True, "kind": ReportingUnitKind.COMMITTEE}
    form = UnitForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.reporting_unit_create(
                actor=request.user,
                program=selectors.program(),
                kind=form.cleaned_data["kind"],
                organization=form.organization(),
                **_unit_values(form),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("%(unit)s is added to the reporting list.") % {"unit": unit.name})
            return redirect("reviews:units")
    return render(request, "reviews/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit_view(request, unit_id):
    _refuse_unless(request, policy.MANAGE_REPORTING)
    unit = selectors.unit_get(actor=request.user, unit_id=unit_id)
    initial = {name: getattr(unit, name) for name in services.UNIT_EDITABLE}
    form = UnitForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reporting_unit_update(actor=request.user, unit=unit, **_unit_values(form))
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("%(unit)s is changed.") % {"unit": unit.name})
            return redirect("reviews:units")
    return render(request, "reviews/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def due_dates_view(request, year):
    _refuse_unless(request, policy.MANAGE_REPORTING)
    program = selectors.program()
    if year not in program.years:
        raise Http404
    units = selectors.unit_list(actor=request.user)
    form = DueDateForm(request.POST or None, units=units, initial={"kind": DutyKind.REVIEW})
    if request.method == "POST" and form.is_valid():
        try:
            services.due_date_set(
                actor=request.user,
                program=program,
                kind=form.cleaned_data["kind"],
                year=year,
                unit=form.unit(),
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("The due date is set."))
            return redirect("reviews:due_dates", year=year)
    defaults, own = selectors.due_dates(actor=request.user, year=year)
    context = {
        "year": year,
        "years": program.years,
        "form": form,
        "plan_default": defaults.get(DutyKind.PLAN),
        "review_default": defaults.get(DutyKind.REVIEW),
        "own": own,
        "today": scoping.today(),
        "states": duties,
    }
    return render(request, "reviews/due_dates.html", context)
