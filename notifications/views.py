"""The notification pages: the list (mark one or all read) and the settings (what the user receives)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import MarkReadForm, OptOutForm

PAGE_SIZE = 25
PAGE_PARAM = "trang"
SAVED = _("Your notification settings were saved.")
ALL_READ = _("Every notification is marked read.")


@login_required
def notification_list_view(request):
    page = Paginator(selectors.notification_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read_view(request):
    form = MarkReadForm(request.POST)
    if form.is_valid() and form.cleaned_data["notification"]:
        services.notification_mark_read(actor=request.user, notification_id=form.cleaned_data["notification"])
    elif form.is_valid():
        services.notifications_mark_all_read(actor=request.user)
        messages.success(request, ALL_READ)
    return redirect("notifications:list")


@login_required
def settings_view(request):
    initial = selectors.opt_out_choices(actor=request.user)
    form = OptOutForm(request.POST or None, initial_choices=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opt_outs_save(actor=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SAVED)
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
