"""The one scoping mechanism: a user sees and changes only the subtrees of the nodes they hold roles on.

Every selector and service of every app takes the acting user and goes through these functions.

Roles are bounded in time. Reading on a day uses the roles not ended before that day, so a role that has
ended (by its own end date, or because its organization ended) still opens the past of its subtree. Writing
uses only the roles in force TODAY, and a write dated `on` must reach the object both on `on` and in its
present position (its placement today; its last one when it has ended): a back-dated write cannot reach an
object through a part of the tree the actor no longer holds.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WRITE_ROLES, Placement, RoleKind

NOT_IN_SCOPE = _("This organization is outside the part of the tree you are responsible for.")
READ_ONLY_ROLE = _("Your role allows reading only.")
HISTORY_ONLY = _(
    "You can read this organization's past but no longer change it: your role there has ended, or the "
    "organization has since left your part of the tree."
)


def today():
    return timezone.localdate()


def _roles_in_force(actor, day, kinds):
    """The actor's roles of `kinds` in force on `day`: their own dates and their organization's cover it."""
    return actor.party_roles.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        Q(organization__valid_to__isnull=True) | Q(organization__valid_to__gte=day),
        organization__valid_from__lte=day,
        kind__in=kinds,
    )


def _roles_readable_on(actor, on, kinds):
    """Roles that open `on` for reading: started (by today), and not ended before `on`."""
    return actor.party_roles.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today()),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        kind__in=kinds,
    )


def scope_paths(actor, on, *, write=False, kinds=None):
    """Tree paths, as of `on`, of the nodes whose subtrees `actor` may read (or write, when `write`).

    `kinds` narrows the roles counted (the policy asks, e.g., for the roles that approve); by default every
    role reads and the WRITE_ROLES write. Writing counts only the roles in force today.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return []
    placements = Placement.objects.on(on)
    if actor.is_superuser:
        placements = placements.filter(parent__isnull=True)
    else:
        if write:
            wanted = WRITE_ROLES if kinds is None else [k for k in kinds if k in WRITE_ROLES]
            roles = _roles_in_force(actor, today(), wanted)
        else:
            roles = _roles_readable_on(actor, on, RoleKind.values if kinds is None else kinds)
        placements = placements.filter(organization_id__in=roles.values("organization_id"))
    paths = sorted(placements.values_list("path", flat=True))
    # Drop paths nested inside another one: the outer subtree already covers them.
    kept = []
    for path in paths:
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def present_placements():
    """Each organization's present position: its placement today, its last one if it has ended, its first one
    if it has not started yet."""
    day = today()
    return Placement.objects.filter(
        Q(valid_from__lte=day, valid_to__isnull=True)
        | Q(valid_from__lte=day, valid_to__gte=day)
        | Q(organization__valid_to__lt=day, valid_to=F("organization__valid_to"))
        | Q(organization__valid_from__gt=day, valid_from=F("organization__valid_from"))
    )


def writable_now_org_ids(actor, *, kinds=None):
    """A subquery of the organizations the actor may write in their present position (see present_placements)."""
    return (
        present_placements().under_paths(scope_paths(actor, today(), write=True, kinds=kinds)).values("organization_id")
    )


def visible_placements(actor, on, *, write=False, kinds=None):
    """Placements on `on` that `actor` may read (or write: reachable on `on` and in their present position)."""
    placements = Placement.objects.on(on).under_paths(scope_paths(actor, on, write=write, kinds=kinds))
    if write:
        placements = placements.filter(organization_id__in=writable_now_org_ids(actor, kinds=kinds))
    return placements


def visible_org_ids(actor, on, *, write=False, kinds=None):
    """A subquery of the ids of the organizations `actor` may read (or write) as of `on`."""
    return visible_placements(actor, on, write=write, kinds=kinds).values("organization_id")


def can_access(actor, organization_id, on, *, write=False, kinds=None):
    return visible_placements(actor, on, write=write, kinds=kinds).filter(organization_id=organization_id).exists()


def refusal_message(actor, organization_id, on):
    """Why a write dated `on` is refused, when it is: read-only role, history only, or outside the scope."""
    if not can_access(actor, organization_id, on):
        return NOT_IN_SCOPE
    if can_access(actor, organization_id, on, kinds=WRITE_ROLES):
        return HISTORY_ONLY
    return READ_ONLY_ROLE


def require_access(actor, organization_id, on, *, write=False, kinds=None):
    """Raise PermissionDenied unless `actor` may read (or write) the organization as of `on`.

    A write must also reach the organization today (see the module's docstring): one check for every door.
    """
    if can_access(actor, organization_id, on, write=write, kinds=kinds):
        return
    if write:
        raise PermissionDenied(refusal_message(actor, organization_id, on))
    raise PermissionDenied(NOT_IN_SCOPE)
