"""The statistics form pages (/bao-cao/bieu-mau/): pick a scope and a period, see the form, download it."""

import os

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from organizations import policy
from party_portal import excel

from . import register_jobs
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
    return FormRequestForm(data, actor=request.user)


def _register_too_large(request, form_key, form):
    """The members of the register asked for when more than a page request should write, else None."""
    if form_key != "register" or not (form.is_bound and form.is_valid()):
        return None
    data = form.cleaned_data
    size = register_jobs.register_size(actor=request.user, organization_id=data["to_chuc"], on=data["period_end"])
    return size if size >= register_jobs.REGISTER_JOB_FROM else None


def _table(request, form_key, *, default=False):
    """The form asked for, its table (None when not asked, invalid, or a register left to a job) and, for a
    register too large for the request, its number of members."""
    policy.require(request.user, policy.RUN_REPORTS)
    form = _request_form(request, default=default)
    too_large = _register_too_large(request, form_key, form)
    table = None
    if form.is_bound and form.is_valid() and too_large is None:
        table = compute(
            form_key,
            actor=request.user,
            organization_id=form.cleaned_data["to_chuc"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    return form, table, too_large


@login_required
def form_index(request):
    policy.require(request.user, policy.RUN_REPORTS)
    forms = [(TITLES[key], reverse(f"reports:form_{key}")) for key in FORMS]
    return render(request, "reports/forms_index.html", {"forms": forms})


@login_required
def form_page(request, form_key):
    form, table, too_large = _table(request, form_key)
    context = {"form": form, "table": table, "heading": TITLES[form_key], "register_size": too_large}
    if form_key == "register":
        context["register_jobs"] = register_jobs.register_job_list(actor=request.user)
        context["job_start_url"] = f"{reverse('reports:register_job_start')}?{request.GET.urlencode()}"
    if table is not None:
        context["period_line"] = export.period_line(table)
        context["lines"] = table.lines[:ROWS_ON_PAGE]
        context["rows_cut"] = max(0, len(table.lines) - ROWS_ON_PAGE)
        context["download_url"] = f"{reverse(f'reports:form_{form_key}_download')}?{request.GET.urlencode()}"
    return render(request, "reports/form_page.html", context, status=400 if form.errors else 200)


@login_required
def form_download(request, form_key):
    """The form as an Excel workbook (XLSX), the same numbers as the page."""
    _form, table, _too_large = _table(request, form_key, default=True)
    if table is None:
        return form_page(request, form_key)
    return excel.xlsx_response(export.workbook(table), export.filename(table))


@login_required
@require_POST
def register_job_start(request):
    """Queue the register of the scope and period of the page's query string; back to the page, which lists it."""
    policy.require(request.user, policy.RUN_REPORTS)
    form = _request_form(request, default=False)
    if form.is_bound and form.is_valid():
        register_jobs.register_job_start(
            actor=request.user,
            organization_id=form.cleaned_data["to_chuc"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    return redirect(f"{reverse('reports:form_register')}?{request.GET.urlencode()}")


@login_required
def register_job_download(request, job_id):
    """A finished register job's workbook, for whoever may read its scope."""
    job = register_jobs.register_job_get(actor=request.user, job_id=job_id)
    with job.workbook.open("rb") as stored:
        content = stored.read()
    return excel.xlsx_response(content, os.path.basename(job.workbook.name))
