"""The coded lists pages: every reader sees the lists and their codes (imports and the API name codes); the
Organization Board adds and edits codes (members.record_services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from organizations import policy

from . import record_selectors, record_services
from .record_forms import CodeForm
from .views import _call_service


def _require(request, action):
    if not policy.can(request.user, action):
        raise PermissionDenied(policy.refusal(request.user, action))


@login_required
def code_lists(request):
    _require(request, policy.VIEW)
    context = {"lists": record_selectors.code_lists(), "can_edit": policy.can(request.user, policy.MANAGE_CODES)}
    return render(request, "members/code_lists.html", context)


@login_required
def code_list(request, code_list):
    _require(request, policy.VIEW)
    code_list = record_selectors.code_list_get(code_list)
    can_edit = policy.can(request.user, policy.MANAGE_CODES)
    context = {
        "code_list": code_list,
        "codes": record_selectors.codes_of(code_list, with_usage=can_edit),
        "can_edit": can_edit,
    }
    return render(request, "members/code_list.html", context)


def _form_page(request, form, code_list, *, title, call, done_message):
    if request.method == "POST" and form.is_valid():
        done, code = _call_service(form, lambda: call(form.cleaned_data))
        if done:
            messages.success(request, done_message % {"code": code.code, "name": code.name})
            return redirect("codes:list", code_list=code_list.value)
    return render(request, "members/code_form.html", {"form": form, "code_list": code_list, "title": title})


@login_required
def code_add(request, code_list):
    _require(request, policy.MANAGE_CODES)
    code_list = record_selectors.code_list_get(code_list)
    form = CodeForm(request.POST or None)
    return _form_page(
        request, form, code_list,
        title=_("Add a code"),
        call=lambda data: record_services.code_add(actor=request.user, code_list=code_list, **data),
        done_message=_("The code %(code)s (%(name)s) was added."),
    )  # fmt: skip


@login_required
def code_edit(request, code_id):
    _require(request, policy.MANAGE_CODES)
    code = record_selectors.code_get(code_id)
    code_list = record_selectors.code_list_get(code.list)
    initial = {name: getattr(code, name) for name in ("code", "name", "name_en", "group", "position", "active")}
    used = record_selectors.code_usage(code_list).get(code.pk, 0)
    form = CodeForm(request.POST or None, initial=initial, used=used)
    return _form_page(
        request, form, code_list,
        title=_("Edit the code %(code)s") % {"code": code.code},
        call=lambda data: record_services.code_update(actor=request.user, entry=code, **data),
        done_message=_("The code %(code)s (%(name)s) was saved."),
    )  # fmt: skip
