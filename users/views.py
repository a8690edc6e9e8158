"""User administration pages: who holds which role where, a user's roles and audit trail, and the forms that
create users, grant, change and end roles, deactivate and reset passwords (each through one service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from organizations import policy
from party_portal import doors

from . import selectors, services
from .forms import PasswordResetForm, RoleDatesForm, RoleEndForm, RoleFieldsForm, RoleFilterForm, UserCreateForm
from .history import user_audit_trail

PAGE_SIZE = 50
PAGE_PARAM = "trang"
DOOR_LABELS = {
    doors.WEB: _("web page"),
    doors.ADMIN: _("administration"),
    doors.API: _("API"),
    doors.COMMAND: _("command"),
    doors.TASK: _("background task"),
    doors.IMPORT: _("file import"),
    doors.OTHER: _("other"),
}
ACTION_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
CREATED = _("The login %(username)s was created.")
GRANTED = _("The role was granted.")
DATES_SAVED = _("The role's dates were saved.")
ENDED = _("The role was ended.")
DEACTIVATED = _("The login was deactivated: it can no longer sign in, and its API tokens were revoked.")
REACTIVATED = _("The login can sign in again.")


def _gate(request):
    policy.require(request.user, policy.MANAGE_USERS)


def _apply(form, call):
    """Run a service for a valid form; its refusals become the form's errors. Answers the result, or None."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _password_page(request, user, password):
    response = render(request, "users/password_shown.html", {"shown_user": user, "password": password})
    # Shown once: neither the browser nor a proxy may keep the page.
    add_never_cache_headers(response)
    return response


@login_required
def role_list(request):
    _gate(request)
    form = RoleFilterForm(request.GET or None, actor=request.user)
    roles = selectors.role_list(actor=request.user, **form.filters())
    page = Paginator(roles, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    return render(request, "users/role_list.html", {"form": form, "page": page, "roles": page.object_list})


@login_required
def user_create(request):
    _gate(request)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organization"] = form.chosen_organization("organization")
        result = _apply(form, lambda: services.user_create(actor=request.user, **data))
        if result is not None:
            user, password = result
            messages.success(request, CREATED % {"username": user.username})
            return _password_page(request, user, password)
    return render(request, "users/form.html", {"form": form, "title": _("New user"), "submit_label": _("Create")})


@login_required
def user_detail(request, user_id):
    _gate(request)
    shown = selectors.user_get(actor=request.user, user_id=user_id)
    roles = list(selectors.user_roles(actor=request.user, user=shown))
    trail = user_audit_trail(user=shown, roles=roles)
    audit = [
        {"entry": entry, "door": DOOR_LABELS.get(entry.door, entry.door), "action": ACTION_LABELS[entry.action]}
        for entry in trail
    ]
    context = {
        "shown_user": shown,
        "roles": roles,
        "other_roles": selectors.user_has_other_roles(actor=request.user, user=shown),
        "must_change": selectors.must_change_password(shown),
        "audit": audit,
        "is_self": shown.pk == request.user.pk,
        "can_administer": policy.user_refusal(
            request.user, shown, list(shown.party_roles.select_related("organization"))
        )
        is None,
    }
    return render(request, "users/user_detail.html", context)


@login_required
def role_grant(request, user_id):
    _gate(request)
    shown = selectors.user_get(actor=request.user, user_id=user_id)
    form = RoleFieldsForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organization"] = form.chosen_organization("organization")
        if _apply(form, lambda: services.role_grant(actor=request.user, user=shown, **data)) is not None:
            messages.success(request, GRANTED)
            return redirect("users:detail", user_id=shown.pk)
    context = {"form": form, "shown_user": shown, "title": _("Grant a role"), "submit_label": _("Grant")}
    return render(request, "users/form.html", context)


@login_required
def role_edit(request, role_id):
    _gate(request)
    role = selectors.role_get(actor=request.user, role_id=role_id)
    initial = {"valid_from": role.valid_from, "valid_to": role.valid_to}
    form = RoleDatesForm(request.POST or None, initial=initial)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, lambda: services.role_update(actor=request.user, role=role, **form.cleaned_data))
    )
    if saved:
        messages.success(request, DATES_SAVED)
        return redirect("users:detail", user_id=role.user_id)
    context = {
        "form": form,
        "shown_user": role.user,
        "role": role,
        "title": _("Change the dates of a role"),
        "submit_label": _("Save"),
    }
    return render(request, "users/form.html", context)


@login_required
def role_end(request, role_id):
    _gate(request)
    role = selectors.role_get(actor=request.user, role_id=role_id)
    form = RoleEndForm(request.POST or None)
    ended = (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, lambda: services.role_end(actor=request.user, role=role, **form.cleaned_data))
    )
    if ended:
        messages.success(request, ENDED)
        return redirect("users:detail", user_id=role.user_id)
    context = {"form": form, "shown_user": role.user, "role": role, "title": _("End a role"), "submit_label": _("End")}
    return render(request, "users/form.html", context)


def _user_action(request, user_id, service, done):
    _gate(request)
    shown = selectors.user_get(actor=request.user, user_id=user_id)
    # A refusal of the policy (PermissionDenied) is the 403 page, which gives its reason.
    try:
        service(actor=request.user, user=shown)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("users:detail", user_id=shown.pk)


@login_required
@require_POST
def user_deactivate(request, user_id):
    return _user_action(request, user_id, services.user_deactivate, DEACTIVATED)


@login_required
@require_POST
def user_reactivate(request, user_id):
    return _user_action(request, user_id, services.user_reactivate, REACTIVATED)


@login_required
def password_reset(request, user_id):
    _gate(request)
    shown = selectors.user_get(actor=request.user, user_id=user_id)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"] or None
        result = _apply(form, lambda: services.user_password_reset(actor=request.user, user=shown, password=password))
        if result is not None:
            return _password_page(request, shown, result)
    context = {
        "form": form,
        "shown_user": shown,
        "title": _("Reset the password"),
        "submit_label": _("Reset"),
        "intro": _("The user's sessions and API tokens end; the new password must be changed at the next login."),
    }
    return render(request, "users/form.html", context)
