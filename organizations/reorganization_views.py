"""The pages that change the tree: create an organization, and each reorganization previewed, then confirmed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import policy, reorganizations, selectors, services
from .models import ReorganizationKind
from .reorganization_forms import (
    DissolveForm,
    MergeForm,
    MoveForm,
    OrganizationCreateForm,
    RenameForm,
    SplitForm,
)

# Reorganizations listed on the page, newest first; the API pages through all of them.
LIST_LIMIT = 100
FORMS = {
    ReorganizationKind.MERGE: (MergeForm, _("Merge organizations")),
    ReorganizationKind.SPLIT: (SplitForm, _("Split an organization")),
    ReorganizationKind.MOVE: (MoveForm, _("Move an organization under a new parent")),
    ReorganizationKind.RENAME: (RenameForm, _("Rename an organization")),
    ReorganizationKind.DISSOLVE: (DissolveForm, _("Dissolve an organization")),
}
# Vietnamese slugs of the operations' pages, under /to-chuc/sap-xep/.
SLUGS = {
    ReorganizationKind.MERGE: "sap-nhap",
    ReorganizationKind.SPLIT: "chia-tach",
    ReorganizationKind.MOVE: "dieu-chuyen",
    ReorganizationKind.RENAME: "doi-ten",
    ReorganizationKind.DISSOLVE: "giai-the",
}
APPLIED = _("The reorganization was recorded: %(operation)s.")
CREATED = _("The organization %(code)s was created.")


@login_required
def reorganization_list(request):
    policy.require(request.user, policy.VIEW)
    operations = selectors.reorganization_list(actor=request.user)[:LIST_LIMIT]
    kinds = [(reverse(f"organizations:{SLUGS[kind]}"), FORMS[kind][1]) for kind in ReorganizationKind]
    return render(request, "organizations/reorganization_list.html", {"operations": operations, "kinds": kinds})


@login_required
def reorganize(request, kind):
    """One operation: the form, then its preview (what ends, begins and moves), then the confirmation."""
    policy.require(request.user, policy.REORGANIZE)
    form_class, title = FORMS[kind]
    form = form_class(request.POST or None, actor=request.user)
    context = {"form": form, "title": title, "previewed": True}
    if request.method == "POST" and form.is_valid():
        try:
            plan = reorganizations.reorganization_preview(
                actor=request.user, kind=kind, **form.service_arguments(request.user)
            )
            if request.POST.get("confirm") == plan.fingerprint():
                operation = reorganizations.reorganization_apply(
                    actor=request.user,
                    kind=kind,
                    fingerprint=plan.fingerprint(),
                    **form.service_arguments(request.user),
                )
                messages.success(request, APPLIED % {"operation": operation})
                return redirect("organizations:reorganizations")
            if "confirm" in request.POST:
                # The form or the data changed since the preview confirmed: show what would happen now.
                form.add_error(None, reorganizations.CHANGED_SINCE_PREVIEW)
            context.update(summary=plan.summary(), last_day=plan.last_day, fingerprint=plan.fingerprint())
        except ValidationError as error:
            form.apply_service_error(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
    return render(request, "organizations/reorganization_form.html", context)


@login_required
def organization_create(request):
    policy.require(request.user, policy.ENTER_DATA)
    form = OrganizationCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.service_arguments(request.user))
        except ValidationError as error:
            form.apply_service_error(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, CREATED % {"code": organization.code})
            return redirect("organization_detail", organization_id=organization.pk)
    context = {"form": form, "title": _("New organization"), "previewed": False}
    return render(request, "organizations/reorganization_form.html", context)
