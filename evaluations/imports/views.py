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

from ..models import ImportKind
from . import selectors, services
from .forms import KIND_SLUGS, SLUG_OF_KIND, RatingScopeForm, UploadForm
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
WRITTEN_LABELS = {
    "organizations": _("Organizations created"),
    "renamed": _("Organizations renamed"),
    "members": _("Members created"),
    "movements": _("Admissions recorded"),
    "memberships": _("Periods on the rolls"),
    "theory_levels": _("Political theory levels"),
    "members_changed": _("Members changed"),
    "ratings": _("Ratings saved"),
}
KIND_HELP = {
    ImportKind.ORGANIZATIONS: _(
        "New organizations of your part of the tree, and new names for existing ones. Each row is matched on its "
        "code; parents listed in the same file are created first."
    ),
    ImportKind.MEMBERS: _(
        "New members with their admission and political theory level, and identity changes of existing members "
        "(matched on the party record number, or on the card number when the record number is empty)."
    ),
    ImportKind.RATINGS: _(
        "The year's ratings of the members of one grassroots organization, as on the rating grid. The template "
        "lists the members to rate; submitted or approved ratings are locked."
    ),
}


def _kind(slug):
    try:
        return KIND_SLUGS[slug]
    except KeyError:
        raise Http404 from None


def _home(request, kind, *, upload_form=None, scope_form=None, status=200):
    can_import = services.can_import(request.user)
    context = {
        "kinds": [(SLUG_OF_KIND[k], k.label) for k in ImportKind],
        "kind": kind,
        "slug": SLUG_OF_KIND[kind],
        "kind_help": KIND_HELP[kind],
        "can_import": can_import,
        "import_refusal": "" if can_import else policy.refusal(request.user, policy.IMPORT),
        "upload_form": upload_form or UploadForm(),
        "scope_form": scope_form or RatingScopeForm(actor=request.user, initial=request.GET),
        "jobs": selectors.import_job_list(actor=request.user),
        "limits": limits_text(),
    }
    return render(request, "imports/import_home.html", context, status=status)


@login_required
def import_home(request):
    kind = _kind(request.GET.get(KIND_PARAM, SLUG_OF_KIND[ImportKind.MEMBERS]))
    return _home(request, kind)


@login_required
def import_template(request, slug):
    kind = _kind(slug)
    if kind == ImportKind.RATINGS:
        form = RatingScopeForm(request.GET, actor=request.user)
        if not form.is_valid():
            return _home(request, kind, scope_form=form, status=400)
        content, name = selectors.ratings_template(
            actor=request.user, organization=form.cleaned_data["to_chuc"], year=form.cleaned_data["nam"]
        )
    else:
        content, name = selectors.template(kind=kind)
    return excel.xlsx_response(content, name)


@login_required
@require_POST
def import_upload(request, slug):
    kind = _kind(slug)
    upload_form = UploadForm(request.POST, request.FILES)
    scope_form = RatingScopeForm(request.POST, actor=request.user) if kind == ImportKind.RATINGS else None
    if not upload_form.is_valid() or (scope_form is not None and not scope_form.is_valid()):
        return _home(request, kind, upload_form=upload_form, scope_form=scope_form, status=400)
    scope = scope_form.cleaned_data if scope_form else {}
    try:
        job = services.import_job_create(
            actor=request.user,
            kind=kind,
            upload=upload_form.cleaned_data["tep"],
            organization=scope.get("to_chuc"),
            year=scope.get("nam"),
            language=request.LANGUAGE_CODE,
        )
    except (ValidationError, PermissionDenied) as error:
        for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
            upload_form.add_error(None, message)
        return _home(request, kind, upload_form=upload_form, scope_form=scope_form, status=400)
    services.import_job_check_start(job)
    return redirect("imports:job", job.pk)


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
        "slug": SLUG_OF_KIND[job.kind],
        "report": report,
        "progress": _progress(job),
        "written": [(WRITTEN_LABELS.get(name, name), count) for name, count in report.get("written", {}).items()],
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
