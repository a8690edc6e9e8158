"""The urge button's door (templates/notifications/_urge_form.html): parse, call reviews.reminders.urge_send, say
how it went, and go back to the page the button was on."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organizations import policy

from . import reminders

NOTHING_LATE = _("No late unit to urge.")


class UrgeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("what is late"),
        choices=[
            (reminders.RATINGS, _("Ratings")),
            ("REVIEW", _("Yearly review")),
            ("PLAN", _("Implementation plan")),
        ],
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    scope = forms.IntegerField(label=_("organization"), min_value=1, required=False)
    next = forms.CharField(required=False, max_length=2000)


def _back(request, form):
    target = form.data.get("next", "") if form is not None else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


def _result_message(result):
    parts = []
    if result.urged:
        parts.append(
            ngettext(
                "Urged %(units)s late unit (%(people)s notifications sent).",
                "Urged %(units)s late units (%(people)s notifications sent).",
                result.urged,
            )
            % {"units": result.urged, "people": result.people}
        )
    if result.already:
        parts.append(
            ngettext(
                "%(n)s late unit had already been urged today.",
                "%(n)s late units had already been urged today.",
                result.already,
            )
            % {"n": result.already}
        )
    if result.nobody:
        parts.append(
            ngettext(
                "%(n)s late unit has nobody with a role to notify.",
                "%(n)s late units have nobody with a role to notify.",
                result.nobody,
            )
            % {"n": result.nobody}
        )
    return " ".join(parts) or str(NOTHING_LATE)


@login_required
@require_POST
def urge_view(request):
    policy.require(request.user, policy.SEND_URGES)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{str(label).capitalize()}: {error}" if label else error)
        return _back(request, form)
    data = form.cleaned_data
    try:
        result = reminders.urge_send(actor=request.user, kind=data["kind"], year=data["year"], scope_id=data["scope"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _result_message(result))
    return _back(request, form)
