from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SESSION_FLAG
from .selectors import must_change_password


@receiver(user_logged_in, dispatch_uid="users_initial_password_flag")
def remember_initial_password(sender, request, user, **kwargs):
    """Copy the account's "must change password" flag into the new session (users/middleware.py)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if must_change_password(user):
        session[SESSION_FLAG] = True
    else:
        session.pop(SESSION_FLAG, None)
