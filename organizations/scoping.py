"""The one scoping mechanism: a user sees and changes only the subtrees of the nodes they hold roles on.

Every selector and service of every app takes the acting user and goes through these functions.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import WRITE_ROLES, Placement, RoleKind

NOT_IN_SCOPE = _("This organization is outside the part of the tree you are responsible for.")
READ_ONLY_ROLE = _("Your role allows reading only.")


def scope_paths(actor, on, *, write=False):
    """Tree paths, as of `on`, of the nodes whose subtrees `actor` may read (or write, when `write`)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return []
    placements = Placement.objects.on(on)
    if actor.is_superuser:
        placements = placements.filter(parent__isnull=True)
    else:
        roles = actor.party_roles.all()
        if write:
            roles = roles.filter(kind__in=WRITE_ROLES)
        placements = placements.filter(organization_id__in=roles.values("organization_id"))
    paths = sorted(placements.values_list("path", flat=True))
    # Drop paths nested inside another one: the outer subtree already covers them.
    kept = []
    for path in paths:
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def visible_placements(actor, on, *, write=False):
    """Placements on `on` that `actor` may read (or write)."""
    return Placement.objects.on(on).under_paths(scope_paths(actor, on, write=write))


def visible_org_ids(actor, on, *, write=False):
    """A subquery of the ids of the organizations `actor` may read (or write) as of `on`."""
    return visible_placements(actor, on, write=write).values("organization_id")


def can_access(actor, organization_id, on, *, write=False):
    return visible_placements(actor, on, write=write).filter(organization_id=organization_id).exists()


def require_access(actor, organization_id, on, *, write=False):
    """Raise PermissionDenied unless `actor` may read (or write) the organization as of `on`."""
    if can_access(actor, organization_id, on, write=write):
        return
    if write and can_access(actor, organization_id, on):
        raise PermissionDenied(READ_ONLY_ROLE)
    raise PermissionDenied(NOT_IN_SCOPE)


def is_board(actor):
    return actor.is_superuser or actor.party_roles.filter(kind=RoleKind.BOARD).exists()
