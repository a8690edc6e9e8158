"""The targets page: every role reads the program's targets and the own targets of the units it may read; the
Organization Board changes them, each change under a dated, numbered decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organizations import policy

from . import selectors, services, target_selectors
from .target_forms import OverrideEndForm, OverrideForm, TargetForm


def _require_board(request):
    if not policy.can(request.user, policy.MANAGE_TARGETS):
        raise PermissionDenied(policy.refusal(request.user, policy.MANAGE_TARGETS))


def _target(target_id):
    return target_selectors.target_get(program=selectors.default_program(), target_id=target_id)


@login_required
def target_list_view(request):
    if not policy.can(request.user, policy.VIEW):
        raise PermissionDenied(policy.refusal(request.user, policy.VIEW))
    program = selectors.default_program()
    context = {
        "program": program,
        "targets": target_selectors.target_list(actor=request.user, program=program),
        "can_edit": policy.can(request.user, policy.MANAGE_TARGETS),
    }
    return render(request, "indicators/target_list.html", context)


def _saved(request, form, call, message):
    """Run the service with the form's values; its refusal lands on the form."""
    try:
        call()
    except ValidationError as error:
        form.apply_service_error(error)
        return None
    messages.success(request, message)
    return redirect("targets:list")


@login_required
def target_edit_view(request, target_id):
    _require_board(request)
    target = _target(target_id)
    initial = {"comparator": target.comparator, "threshold": target.threshold}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _saved(
            request,
            form,
            lambda: services.target_update(
                actor=request.user,
                target=target,
                threshold=data["threshold"],
                comparator=data["comparator"],
                decided_on=data["decided_on"],
                decision_number=data["decision_number"],
            ),
            _("The target %(indicator)s is changed.") % {"indicator": target.indicator},
        )
        if response:
            return response
    return render(request, "indicators/target_form.html", {"target": target, "form": form, "mode": "edit"})


@login_required
def override_set_view(request, target_id):
    _require_board(request)
    target = _target(target_id)
    organizations = target_selectors.override_organizations(actor=request.user)
    form = OverrideForm(request.POST or None, organizations=organizations, initial={"threshold": target.threshold})
    if request.method == "POST" and form.is_valid():
        data, organization = form.cleaned_data, form.organization()
        response = _saved(
            request,
            form,
            lambda: services.target_override_set(
                actor=request.user,
                target=target,
                organization=organization,
                threshold=data["threshold"],
                decided_on=data["decided_on"],
                decision_number=data["decision_number"],
            ),
            _("%(org)s has its own target %(indicator)s.") % {"org": organization.name, "indicator": target.indicator},
        )
        if response:
            return response
    return render(request, "indicators/target_form.html", {"target": target, "form": form, "mode": "override"})


@login_required
def override_end_view(request, target_id):
    _require_board(request)
    target = _target(target_id)
    organizations = target_selectors.overridden_organizations(actor=request.user, target=target)
    form = OverrideEndForm(request.POST or None, organizations=organizations, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data, organization = form.cleaned_data, form.organization()
        response = _saved(
            request,
            form,
            lambda: services.target_override_end(
                actor=request.user,
                target=target,
                organization=organization,
                decided_on=data["decided_on"],
                decision_number=data["decision_number"],
            ),
            _("%(org)s is judged against the program's target %(indicator)s again.")
            % {"org": organization.name, "indicator": target.indicator},
        )
        if response:
            return response
    return render(request, "indicators/target_form.html", {"target": target, "form": form, "mode": "end"})
