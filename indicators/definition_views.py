"""The indicator catalogue: every role reads the definitions (what each figure counts); the Organization Board adds
and edits the tracked figures built from the registry's measures. A program target is read-only here: its
threshold is the program's, changed under a decision on the targets page."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import policy

from . import measures, selectors, services
from .definition_forms import DefinitionForm, measure_label
from .definitions import definition_get, definition_list
from .models import Comparator

GROUP_TITLES = {
    "program": gettext_lazy("Targets of the action program"),
    services.TRACKED_GROUP: gettext_lazy("Other tracked figures"),
}


@dataclass(frozen=True)
class DefinitionRow:
    definition: object
    numerator: str
    denominator: str
    threshold: str


def _label(name):
    measure = measures.MEASURES.get(name) if name else None
    return measure_label(measure) if measure else name


def _threshold(comparator, threshold):
    """ "≥ 1,5" in the active language; empty for a figure shown without a threshold."""
    if threshold is None:
        return ""
    return f"{Comparator(comparator).label} {formats.number_format(threshold.normalize(), use_l10n=True)}"


def _groups(program):
    """[(title, [DefinitionRow])] by group, the program's targets first; a program target shows the program's
    threshold."""
    targets = {target.indicator: target for target in program.targets.all()}
    groups = {}
    for definition in definition_list():
        source = targets.get(definition.code) if definition.is_target else definition
        threshold = _threshold(source.comparator, source.threshold) if source else ""
        row = DefinitionRow(definition, _label(definition.numerator), _label(definition.denominator), threshold)
        groups.setdefault(definition.group, []).append(row)
    known = list(GROUP_TITLES)
    ordered = sorted(groups, key=lambda group: known.index(group) if group in known else len(known))
    return [(GROUP_TITLES.get(group, group), groups[group]) for group in ordered]


def _require_board(request):
    if not policy.can(request.user, policy.MANAGE_TARGETS):
        raise PermissionDenied(policy.refusal(request.user, policy.MANAGE_TARGETS))


@login_required
def definition_list_view(request):
    if not policy.can(request.user, policy.VIEW):
        raise PermissionDenied(policy.refusal(request.user, policy.VIEW))
    context = {
        "groups": _groups(selectors.default_program()),
        "can_edit": policy.can(request.user, policy.MANAGE_TARGETS),
    }
    return render(request, "indicators/definition_list.html", context)


def _saved(request, form, call, message):
    """Run the service with the form's values; its refusal lands on the form."""
    try:
        definition = call()
    except ValidationError as error:
        form.apply_service_error(error)
        return None
    messages.success(request, message % {"code": definition.code})
    return redirect("definitions:list")


@login_required
def definition_create_view(request):
    _require_board(request)
    form = DefinitionForm(request.POST or None, with_code=True)
    if request.method == "POST" and form.is_valid():
        response = _saved(
            request,
            form,
            lambda: services.definition_create(actor=request.user, code=form.cleaned_data["code"], **form.values()),
            _("The tracked figure %(code)s is added."),
        )
        if response:
            return response
    return render(request, "indicators/definition_form.html", {"form": form, "definition": None})


@login_required
def definition_edit_view(request, definition_id):
    _require_board(request)
    definition = definition_get(definition_id=definition_id)
    if definition.is_target:
        messages.error(request, services.TARGET_NOT_HERE % {"code": definition.code})
        return redirect("definitions:list")
    initial = {name: getattr(definition, name) for name in services.DEFINITION_FIELDS}
    form = DefinitionForm(request.POST or None, initial=initial, with_active=True)
    if request.method == "POST" and form.is_valid():
        response = _saved(
            request,
            form,
            lambda: services.definition_update(actor=request.user, definition=definition, **form.values()),
            _("The tracked figure %(code)s is changed."),
        )
        if response:
            return response
    return render(request, "indicators/definition_form.html", {"form": form, "definition": definition})
