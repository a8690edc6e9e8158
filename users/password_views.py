"""Django's password change and reset pages, ending the "must change password" state once the user has chosen
their own password."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .middleware import SESSION_FLAG

SAME_PASSWORD = _("Choose a password other than the one you were given.")


class OwnPasswordChangeForm(PasswordChangeForm):
    """The new password must differ from the current one: an initial password was seen by someone else."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", ValidationError(SAME_PASSWORD, code="password_unchanged"))
        return cleaned


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        self.request.session.pop(SESSION_FLAG, None)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response
