"""Every read of notifications: a user reads only their own. And who holds a role on given organizations, which
the apps that send notifications use to find the recipients."""

from django.db.models import Q

from organizations.models import Role

from .models import Kind, Notification, OptOut


def notification_list(*, actor):
    """The actor's own notifications, newest first."""
    return Notification.objects.filter(recipient=actor).order_by("-created_at", "-pk")


def unread_count(*, actor):
    """How many of the actor's notifications are unread (one COUNT on a partial index)."""
    if actor is None or not actor.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def opt_out_choices(*, actor):
    """{kind: "" | Delivery} for every kind, "" when the actor receives it in full."""
    saved = dict(OptOut.objects.filter(user=actor).values_list("kind", "delivery"))
    return {kind: saved.get(kind, "") for kind in Kind.values}


def role_holders(*, organization_ids, kinds, on):
    """{organization id: [users]}: the active users holding a role of `kinds` in force on `on` directly on each
    organization (not through an ancestor). One query."""
    roles = (
        Role.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            Q(organization__valid_to__isnull=True) | Q(organization__valid_to__gte=on),
            organization_id__in=list(organization_ids),
            organization__valid_from__lte=on,
            kind__in=kinds,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("organization_id", "user_id")
    )
    holders = {}
    for role in roles:
        users = holders.setdefault(role.organization_id, [])
        if all(user.pk != role.user_id for user in users):
            users.append(role.user)
    return holders
