"""Report pages: the runs (scoped), a new request, the progress while the job runs, the report, the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from indicators.selectors import default_program
from organizations import policy

from . import issuing, selectors, services, tables
from .forms import ReportRequestForm, default_year
from .models import RunStatus

PAGE_SIZE = 50
PAGE_PARAM = "trang"
# The lists can run to hundreds of TCCSĐ in an open year: the page shows the first ones, the workbook all.
LIST_ROWS_ON_PAGE = 100
LIST_SHEETS = ("not_completed", "not_approved", "warnings")


def _program_or_404():
    program = default_program()
    if program is None:
        raise Http404
    return program


def _year_from(data, program):
    try:
        year = int(data.get("nam", ""))
    except ValueError:
        return default_year(program)
    return year if year in program.years else default_year(program)


def _form(request, program, data=None):
    year = _year_from(data or request.GET, program)
    return ReportRequestForm(data, program=program, actor=request.user, initial={"nam": year})


def _list_page(request, form, status=200):
    runs = selectors.report_run_list(actor=request.user)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    context = {"form": form, "page": page, "any_active": any(run.is_active for run in page.object_list)}
    return render(request, "reports/run_list.html", context, status=status)


@login_required
def run_list(request):
    program = _program_or_404()
    return _list_page(request, _form(request, program))


@login_required
@require_POST
def run_create(request):
    program = _program_or_404()
    form = _form(request, program, request.POST)
    if form.is_valid():
        try:
            run = services.report_run_start(
                actor=request.user,
                year=form.cleaned_data["nam"],
                scope_id=form.cleaned_data["to_chuc"],
                program=program,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error("to_chuc", str(error))
        else:
            return redirect("reports:detail", pk=run.pk)
    return _list_page(request, form, status=400)


def _sheets(results):
    """The workbook's sheets for the page, the long lists cut to their first rows."""
    sheets = []
    for sheet in tables.sheets(results):
        cut = 0
        if sheet.key in LIST_SHEETS:
            block = sheet.blocks[0]
            cut = max(0, len(block.rows) - LIST_ROWS_ON_PAGE)
            sheet.blocks[0] = tables.Block(
                block.heading, block.columns, block.rows[:LIST_ROWS_ON_PAGE], None, block.notes
            )
        sheets.append((sheet, cut))
    return sheets


@login_required
def run_detail(request, pk):
    run = selectors.report_run_get(actor=request.user, pk=pk)
    context = {
        "run": run,
        "sheets": _sheets(run.results) if run.results else [],
        "versions": selectors.report_versions(actor=request.user, run=run),
        "can_issue": (
            run.status == RunStatus.DONE and not run.is_issued and policy.can(request.user, policy.ISSUE_REPORTS)
        ),
    }
    if run.results:
        committee, board, _place = tables.issuer(run.results)
        context.update(scope_line=tables.scope_line(run.results), committee=committee, board=board)
    return render(request, "reports/run_detail.html", context)


@login_required
def run_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; once it ends the page reloads with the results."""
    run = selectors.report_run_get(actor=request.user, pk=pk)
    if not run.is_active and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "reports/_progress.html", {"run": run})


@login_required
@require_POST
def run_rerun(request, pk):
    run = selectors.report_run_get(actor=request.user, pk=pk)
    try:
        new = services.report_run_start(actor=request.user, year=run.year, scope_id=run.scope_id, program=run.program)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages(error))
        return redirect("reports:detail", pk=run.pk)
    messages.info(
        request,
        _("Version %(version)s of the report is being computed; the earlier versions stay as they are.")
        % {"version": new.version},
    )
    return redirect("reports:detail", pk=new.pk)


def _messages(error):
    return " ".join(getattr(error, "messages", [str(error)]))


@login_required
@require_POST
def run_issue(request, pk):
    """Issue this version under the next number of the year; it is final from then on."""
    selectors.report_run_get(actor=request.user, pk=pk)  # 404 outside the actor's part of the tree, first
    try:
        run = issuing.report_run_issue(actor=request.user, run_id=pk)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages(error))
    else:
        messages.success(
            request,
            _("Version %(version)s is issued as number %(number)s.") % {"version": run.version, "number": run.number},
        )
    return redirect("reports:detail", pk=pk)


@login_required
def run_download(request, pk):
    run = selectors.report_run_get(actor=request.user, pk=pk)
    if not run.workbook:
        raise Http404
    return FileResponse(run.workbook.open("rb"), as_attachment=True, filename=run.download_name)
