"""The demo password: refused as a new password and at login whenever DEBUG is off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The password of the demo logins created by seed_demo (members/demo/users.py): for `make run` (DEBUG on) only.
DEMO_PASSWORD = "demo@2025"


def is_demo_password(password):
    return password == DEMO_PASSWORD


class DemoPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS: the published demo password is nobody's password on a server with DEBUG off."""

    def validate(self, password, user=None):
        if not settings.DEBUG and is_demo_password(password):
            raise ValidationError(
                _("This is the published password of the demo logins: choose another one."), code="demo_password"
            )

    def get_help_text(self):
        return _("Your password cannot be the published password of the demo logins.")


class PortalModelBackend(ModelBackend):
    """Django's model backend, except that with DEBUG off the demo password opens no account, however it was
    set (a demo database served with DEBUG off, a password set by a script without the validators). The refusal
    is an ordinary failed login: it says nothing of the password being right, and the lockout counts it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and is_demo_password(password):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
