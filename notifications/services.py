"""Every write of notifications: send (once per event and recipient), mark read, and a user's opt-outs."""

import logging
import uuid
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind, Notification, OptOut

logger = logging.getLogger(__name__)

UNKNOWN_KIND = _("Unknown kind of notification.")
UNKNOWN_DELIVERY = _("Choose what you receive for “%(kind)s”.")
EMAIL_FOOTER = _("You can choose what you receive on the portal's notification settings page.")


def language():
    """The language notifications are written in. The portal stores no per-user language: Vietnamese, the
    portal's (settings.LANGUAGE_CODE)."""
    return settings.LANGUAGE_CODE


@transaction.atomic
def notify(*, recipients, kind, event_key, title, body="", link=""):
    """Give each recipient one notification of the event: a recipient who already has it gets nothing new, one
    who turned the kind off gets nothing; a new row is e-mailed after commit to a recipient who has an e-mail
    address and did not turn e-mail off. Returns the number of notifications created.

    Race-safe: two runs at once insert with ignore_conflicts on (recipient, event_key) and each reads back only the
    rows of its own batch, so a recipient is never e-mailed twice."""
    if kind not in Kind.values:
        raise ValidationError(UNKNOWN_KIND)
    users = {user.pk: user for user in recipients if user.is_active}
    if not users:
        return 0
    choices = dict(OptOut.objects.filter(user_id__in=users, kind=kind).values_list("user_id", "delivery"))
    wanted = [pk for pk in users if choices.get(pk) != Delivery.OFF]
    batch = uuid.uuid4()
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                event_key=event_key,
                title=str(title)[:300],
                body=str(body),
                link=link,
                created_at=now,
                batch=batch,
            )
            for pk in wanted
        ],
        ignore_conflicts=True,
    )
    created = list(Notification.objects.filter(batch=batch).values_list("pk", "recipient_id"))
    to_email = [pk for pk, user_id in created if users[user_id].email and choices.get(user_id) != Delivery.NO_EMAIL]
    if to_email:
        transaction.on_commit(lambda: notifications_email(to_email))
    return len(created)


def _absolute(link):
    base = getattr(settings, "PORTAL_BASE_URL", "")
    return urljoin(base, link) if base and link else link


def notifications_email(notification_ids):
    """E-mail the notifications not e-mailed yet, one message each; each is stamped when sent, so a retry sends
    only what is left. A failing server is logged and leaves the rows unstamped (the bell still shows them)."""
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("recipient")
    for notification in rows:
        lines = [notification.body, _absolute(notification.link), "", str(EMAIL_FOOTER)]
        try:
            send_mail(
                notification.title,
                "\n".join(line for line in lines if line is not None),
                None,
                [notification.recipient.email],
            )
        except OSError:
            logger.exception("The e-mail of notification %s was not sent", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def notification_mark_read(*, actor, notification_id):
    """Mark one of the actor's own notifications read (another user's id changes nothing). Returns the number
    marked (0 or 1)."""
    return Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, actor):
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def opt_outs_save(*, actor, choices):
    """Save the actor's choices {kind: "" (everything) | Delivery}: only the kinds received in part or not at all
    keep a row."""
    for kind, delivery in choices.items():
        if kind not in Kind.values:
            raise ValidationError(UNKNOWN_KIND)
        if delivery and delivery not in Delivery.values:
            raise ValidationError({kind: UNKNOWN_DELIVERY % {"kind": Kind(kind).label}})
    current = {row.kind: row for row in OptOut.objects.filter(user=actor)}
    for kind, delivery in choices.items():
        row = current.get(kind)
        if not delivery:
            if row is not None:
                row.delete()
        elif row is None:
            OptOut.objects.create(user=actor, kind=kind, delivery=delivery)
        elif row.delivery != delivery:
            row.delivery = delivery
            row.save(update_fields=["delivery"])
