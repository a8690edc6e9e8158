from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from party_portal.audit import AuditedModel


class Account(models.Model):
    """What the portal keeps about a login beside Django's user: whether its password is an initial one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    # Set when an administrator chose the password (creation, reset): the user must replace it before anything.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return str(self.user)


class UserHistory(HistoricalRecords):
    """The user model's audit trail, without a row for the `last_login` update every login makes."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and kwargs.get("update_fields") == frozenset({"last_login"}):
            return
        super().post_save(instance, created, using=using, **kwargs)


# Django's user model is audited like every domain model; the password hash stays out of the trail.
register(
    get_user_model(),
    app="users",
    records_class=UserHistory,
    excluded_fields=["password", "last_login"],
    bases=[AuditedModel],
)
