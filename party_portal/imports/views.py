"""The import pages: choose a kind of file, download its template, upload, preview, confirm, follow the job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from organizations import policy
from party_portal import excel

from . import registry, selectors, services
from .forms import UploadForm
from .inspection import limits_text
from .report import OUTCOME_LABELS, OUTCOMES, REJECTED

PAGE_SIZE = 50
KIND_PARAM = "loai"
OUTCOME_PARAM = "ket-qua"
FILE_REFUSED = _("File refused")
PHASE_LABELS = {
    "reading": _("Reading the file"),
    "checking": _("Checking the rows"),
    "writing": _("Writing to the database"),
}
# The default kind of the import page, when it is registered and the user may import it.
DEFAULT_KIND = "dang-vien"


def _kind(slug):
    try:
        return registry.get(slug)
    except KeyError:
        raise Http404 from None


def _scope_form(kind, request, data=None):
    if kind.scope_form is None:
        return None
    if data is None:
        return kind.scope_form(actor=request.user, initial=request.GET)
    return kind.scope_form(data, actor=request.user)


def _home(request, kind, *, upload_form=None, scope_form=None, status=200):
    can_import = services.can_import(request.user, kind)
    kinds = services.importable_kinds(request.user)
    context = {
        "kinds": [(k.slug, k.label) for k in kinds] or [(kind.slug, kind.label)],
        "kind": kind,
        "slug": kind.slug,
        "kind_help": kind.help_text,
        "can_import": can_import,
        "import_refusal": "" if can_import else policy.refusal(request.user, kind.action),
        "upload_form": upload_form or UploadForm(),
        "scope_form": scope_form or _scope_form(kind, request),
        "jobs": selectors.import_job_list(actor=request.user),
        "limits": limits_text(),
    }
    return render(request, "imports/import_home.html", context, status=status)


@login_required
def import_home(request):
    slug = request.GET.get(KIND_PARAM)
    if slug is None:
        slugs = [kind.slug for kind in services.importable_kinds(request.user)] or registry.slugs()
        slug = DEFAULT_KIND if DEFAULT_KIND in slugs else slugs[0]
    return _home(request, _kind(slug))


@login_required
def import_template(request, slug):
    kind = _kind(slug)
    scope = None
    if kind.template_needs_scope:
        form = _scope_form(kind, request, request.GET)
        if not form.is_valid():
            return _home(request, kind, scope_form=form, status=400)
        scope = form.scope()
    content, name = selectors.template(actor=request.user, kind=kind, scope=scope)
    return excel.xlsx_response(content, name)


@login_required
@require_POST
def import_upload(request, slug):
    kind = _kind(slug)
    upload_form = UploadForm(request.POST, request.FILES)
    scope_form = _scope_form(kind, request, request.POST)
    if not upload_form.is_valid() or (scope_form is not None and not scope_form.is_valid()):
        return _home(request, kind, upload_form=upload_form, scope_form=scope_form, status=400)
    scope = scope_form.scope() if scope_form is not None else {}
    try:
        job = services.import_job_create(
            actor=request.user,
            kind=kind.slug,
            upload=upload_form.cleaned_data["tep"],
            organization=scope.pop("organization", None),
            year=scope.pop("year", None),
            params=scope,
            language=request.LANGUAGE_CODE,
        )
    except (ValidationError, PermissionDenied) as error:
        for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
            upload_form.add_error(None, message)
        return _home(request, kind, upload_form=upload_form, scope_form=scope_form, status=400)
    services.import_job_check_start(job)
    return redirect("imports:job", job.pk)


def _written_label(job, name):
    try:
        return job.import_kind.written_labels.get(name, name)
    except KeyError:
        return name


def _progress(job):
    progress = services.import_job_progress(job)
    progress["label"] = PHASE_LABELS.get(progress["phase"], "")
    return progress


def _rows_page(request, report):
    outcome = request.GET.get(OUTCOME_PARAM, "")
    rows = [
        {"number": n, "outcome": o, "outcome_label": OUTCOME_LABELS[o], "key": k, "label": label, "changes": changes}
        for n, o, k, label, changes in report.get("rows", [])
        if not outcome or o == outcome
    ]
    return outcome, Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))


@login_required
def import_job(request, job_id):
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    report = job.report
    outcome, page = _rows_page(request, report)
    errors = [{"number": n, "column": c, "message": m} for n, c, m in report.get("errors", [])]
    counts = report.get("counts", {})
    # A problem with the whole file (empty, unreadable, refused before any row was read): no row to list or count.
    file_refused = bool(report.get("file_errors")) and not report.get("total") and not job.is_running
    context = {
        "job": job,
        "file_refused": file_refused,
        "state_label": FILE_REFUSED if file_refused else job.get_state_display(),
        "slug": job.kind,
        "report": report,
        "progress": _progress(job),
        "written": [(_written_label(job, name), count) for name, count in report.get("written", {}).items()],
        "tiles": [{"outcome": o, "label": OUTCOME_LABELS[o], "count": counts.get(o, 0)} for o in OUTCOMES],
        "outcome": outcome,
        "outcome_param": OUTCOME_PARAM,
        "page": page,
        "errors_page": Paginator(errors, PAGE_SIZE).get_page(request.GET.get("loi")),
        "rejected": counts.get(REJECTED, 0),
    }
    return render(request, "imports/import_job.html", context)


@login_required
def import_job_progress(request, job_id):
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    if not job.is_running:
        # The step is over: htmx reloads the whole page, which now shows the preview or the result.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/_progress.html", {"job": job, "progress": _progress(job)})


@login_required
@require_POST
def import_job_confirm(request, job_id):
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    try:
        services.import_job_confirm(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as error:
        for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
            messages.error(request, message)
    return redirect("imports:job", job.pk)
