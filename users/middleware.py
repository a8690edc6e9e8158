"""A user holding an initial password (set by whoever created the login or reset it) goes to the password change
page until they have chosen their own: that password was seen by someone else.

The flag is copied into the session at login (users/signals.py), so that the pages pay no query for it; a reset
by an administrator changes the password, which ends the user's sessions anyway."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SESSION_FLAG = "must_change_password"
CHANGE_FIRST = _("Your password was set by an administrator: choose your own password before going on.")
# What such a user may still open: the change page itself, logging out, the language switch and the help.
OPEN_PREFIXES = ("/mat-khau/", "/dang-xuat/", "/i18n/", "/static/", "/huong-dan/")


class InitialPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_FLAG) and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                error = {"field": None, "message": str(CHANGE_FIRST), "code": "password_change_required"}
                return JsonResponse({"errors": [error]}, status=403)
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
