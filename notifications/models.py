"""In-app notifications and their e-mails: one row per event and recipient (the idempotency key), and each user's
choice of what they receive. Generic: the events are named by the apps that send them (reviews.reminders)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from party_portal.audit import AuditedModel


class Kind(models.TextChoices):
    DUE_SOON = "DUE_SOON", _("A plan or review is due soon")
    OVERDUE = "OVERDUE", _("A plan or review is overdue")
    RETURNED = "RETURNED", _("A review was returned")
    RECEIVED = "RECEIVED", _("A review was received")
    RATINGS_LATE = "RATINGS_LATE", _("Ratings not sent by the due date")
    APPROVAL_WAITING = "APPROVAL_WAITING", _("Ratings waiting for your approval")
    URGE = "URGE", _("Urges from the Steering Committee")


class Notification(models.Model):
    """A message to one user about one event. `event_key` names the event ("review-overdue:12:2024"): a user gets
    one row per event however often the rule that finds it runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_key = models.CharField(_("event"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # The insert that wrote the row: rows inserted with ignore_conflicts carry no primary key, so the sender reads
    # back its own batch to know which rows are new (and e-mails only those).
    batch = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(fields=["batch"], name="notification_batch_idx"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.event_key}"

    @property
    def is_unread(self):
        return self.read_at is None


class Delivery(models.TextChoices):
    # No row means everything is on: in the portal and by e-mail.
    NO_EMAIL = "NO_EMAIL", _("In the portal only, no e-mail")
    OFF = "OFF", _("Nothing")


class OptOut(models.Model):
    """A user's choice to receive less of one kind of notification (nothing, or no e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(_("receive"), max_length=10, choices=Delivery.choices)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("notification opt-out")
        verbose_name_plural = _("notification opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_opt_out_unique")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.delivery}"
