"""The province's consolidated report pages: the versions by year, a new request, issuing, the downloads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.selectors import default_program
from organizations import policy

from . import consolidated, selectors
from .forms import default_year


class ConsolidatedRequestForm(forms.Form):
    nam = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [(year, str(year)) for year in reversed(program.years)]


def _messages(error):
    return " ".join(getattr(error, "messages", [str(error)]))


def _page(request, form, status=200):
    reports = list(selectors.consolidated_report_list(actor=request.user))
    years = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    context = {
        "form": form,
        "years": sorted(years.items(), reverse=True),
        "can_request": policy.can(request.user, policy.RECEIVE_REVIEWS),
        "can_issue": policy.can(request.user, policy.ISSUE_REPORTS),
        "any_active": any(report.is_active for report in reports),
    }
    return render(request, "reports/consolidated_list.html", context, status=status)


@login_required
def consolidated_list(request):
    program = default_program()
    form = ConsolidatedRequestForm(program=program, initial={"nam": default_year(program)})
    return _page(request, form)


@login_required
@require_POST
def consolidated_create(request):
    program = default_program()
    form = ConsolidatedRequestForm(request.POST, program=program)
    if form.is_valid():
        try:
            report = consolidated.consolidated_report_start(
                actor=request.user, year=form.cleaned_data["nam"], program=program
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _messages(error))
        else:
            messages.info(
                request,
                _("Version %(version)s of the consolidated report of %(year)s is being made.")
                % {"version": report.version, "year": report.year},
            )
            return redirect("reports:consolidated")
    return _page(request, form, status=400)


@login_required
@require_POST
def consolidated_issue(request, report_id):
    selectors.consolidated_report_get(actor=request.user, pk=report_id)  # 404 outside the province, first
    try:
        report = consolidated.consolidated_report_issue(actor=request.user, report_id=report_id)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages(error))
    else:
        messages.success(
            request,
            _("Version %(version)s is issued as number %(number)s.")
            % {"version": report.version, "number": report.number},
        )
    return redirect("reports:consolidated")


@login_required
def consolidated_download(request, report_id):
    report = selectors.consolidated_report_get(actor=request.user, pk=report_id)
    if not report.document:
        raise Http404
    return FileResponse(report.document.open("rb"), as_attachment=True, filename=report.download_name)
