"""The statistics form pages (/bao-cao/bieu-mau/): pick a scope and a period, see the form, download it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy
from organizations import selectors as org_selectors
from party_portal import excel

from .forms import FORMS, FormRequestForm, compute, export

# A register can run to tens of thousands of rows: the page shows the first ones, the workbook all.
ROWS_ON_PAGE = 200
# The URL of each form's page and download: /bao-cao/bieu-mau/<slug>/
SLUGS = {"bieu1": "bieu-1", "bieu2": "bieu-2", "bieu3": "bieu-3", "bieu5": "bieu-5", "register": "danh-sach-dang-vien"}
TITLES = {
    "bieu1": _("Biểu 1 – increase and decrease of party members"),
    "bieu2": _("Biểu 2 – newly admitted party members"),
    "bieu3": _("Biểu 3 – the body of party members"),
    "bieu5": _("Biểu 5 – party organizations and members by type of grassroots unit"),
    "register": _("Register of party members of a unit"),
}


def _request_form(request, *, default):
    """The scope and period asked for; `default` reads no parameters as last year over the whole scope."""
    data = request.GET if request.GET or default else None
    on = timezone.localdate()
    if data is not None and data.get("den"):
        probe = FormRequestForm(data)
        if probe.is_valid():
            on = probe.cleaned_data["period_end"]
    placements = org_selectors.organization_choices(actor=request.user, on=on)
    return FormRequestForm(data, placements=placements)


def _table(request, form_key, *, default=False):
    policy.require(request.user, policy.RUN_REPORTS)
    form = _request_form(request, default=default)
    table = None
    if form.is_bound and form.is_valid():
        table = compute(
            form_key,
            actor=request.user,
            organization_id=form.cleaned_data["to_chuc"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    return form, table


@login_required
def form_index(request):
    policy.require(request.user, policy.RUN_REPORTS)
    forms = [(TITLES[key], reverse(f"reports:form_{key}")) for key in FORMS]
    return render(request, "reports/forms_index.html", {"forms": forms})


@login_required
def form_page(request, form_key):
    form, table = _table(request, form_key)
    context = {"form": form, "table": table, "heading": TITLES[form_key]}
    if table is not None:
        context["period_line"] = export.period_line(table)
        context["lines"] = table.lines[:ROWS_ON_PAGE]
        context["rows_cut"] = max(0, len(table.lines) - ROWS_ON_PAGE)
        context["download_url"] = f"{reverse(f'reports:form_{form_key}_download')}?{request.GET.urlencode()}"
    return render(request, "reports/form_page.html", context, status=400 if form.errors else 200)


@login_required
def form_download(request, form_key):
    """The form as an Excel workbook (XLSX), the same numbers as the page."""
    _form, table = _table(request, form_key, default=True)
    if table is None:
        return form_page(request, form_key)
    return excel.xlsx_response(export.workbook(table), export.filename(table))
