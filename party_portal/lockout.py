"""Login lockout (django-axes) on the three doors that check a password: the portal's login page, the admin's
and /api/token/. Settings: LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_TEMPLATE = "accounts/lockout.html"


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that each append the address
    they saw to X-Forwarded-For, the one the outermost trusted proxy saw (what a client writes there itself
    is further left and never read)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits. AXES_LOCKOUT_PARAMETERS lists (username, address) first and the
    address alone second: the pair is locked out after AXES_FAILURE_LIMIT failures, the address (whatever the
    usernames) after LOGIN_ADDRESS_FAILURE_LIMIT, so that an office behind one address is not locked out by a
    few typing mistakes while an address trying password after password on many users is."""

    def get_failures(self, request, credentials=None):
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def lockout_minutes(request=None):
    return int(get_cool_off(request).total_seconds() // 60)


def lockout_message(request=None):
    return _(
        "Too many failed sign-in attempts: signing in is locked for %(minutes)d minutes. Try again later, or ask "
        "the administrator to unlock it."
    ) % {"minutes": lockout_minutes(request)}


def is_locked_out(request):
    """Whether axes refused the last authenticate() of this request (the request passed to authenticate)."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets: the API's error shape under /api/, else the lockout page (status 429)."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        if original_response is not None and original_response.status_code == status:
            return original_response  # the token door has answered in the API's shape already
        body = {"errors": [{"field": None, "message": lockout_message(request), "code": "locked_out"}]}
        return JsonResponse(body, status=status)
    return render(request, LOCKOUT_TEMPLATE, {"message": lockout_message(request)}, status=status)
