"""The one scoping mechanism: a user sees and changes only the subtrees of the nodes they hold roles on.

Every selector and service of every app takes the acting user and goes through these functions.

Roles are bounded in time. Reading on a day uses the roles not ended before that day, so a role that has
ended (by its own end date, or because its organization ended) still opens the past of its subtree. Writing
uses only the roles in force TODAY, and a write dated `on` must reach the object both on `on` and in its
present position (its placement today; its last one when it has ended): a back-dated write cannot reach an
object through a part of the tree the actor no longer holds.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db.models import DateField, F, Q, Value
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


# The scope paths already read inside a `remembering()` block, by (actor, day, write, kinds, today); None outside.
_remembered: ContextVar[dict | None] = ContextVar("remembered_scope_paths", default=None)


@contextmanager
def remembering():
    """Within the block, each actor's scope paths of a day are read from the database once.

    A page asks for its reader's scope many times (the dashboard: ten times, ~1 ms each): the selectors each take
    the actor and go through scope_paths, as they must. A request that changes nothing (GET, HEAD: see
    ScopeMemoMiddleware) cannot change a role while it runs, so it answers them all from its first reads. A job
    that renders pages (the dashboard warm-up) uses it per page. Outside a block every call reads the database.
    """
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


class ScopeMemoMiddleware:
    """GET and HEAD requests read their user's scope once per day asked (see `remembering`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with remembering():
            return self.get_response(request)


def _memo_key(actor, on, write, kinds):
    return (actor.pk, on, write, None if kinds is None else tuple(sorted(kinds)), today())


def _outermost(paths):
    """The paths not nested inside another one (the outer subtree already covers them), sorted."""
    kept = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def _can_read(actor):
    return actor is not None and actor.is_authenticated and actor.is_active


def scope_paths(actor, on, *, write=False, kinds=None):
    """Tree paths, as of `on`, of the nodes whose subtrees `actor` may read (or write, when `write`).

    `kinds` narrows the roles counted (the policy asks, e.g., for the roles that approve); by default every
    role reads and the WRITE_ROLES write. Writing counts only the roles in force today.
    """
    if not _can_read(actor):
        return []
    memo = _remembered.get()
    if memo is None:
        return _read_scope_paths(actor, on, write=write, kinds=kinds)
    key = _memo_key(actor, on, write, kinds)
    if key not in memo:
        memo[key] = _read_scope_paths(actor, on, write=write, kinds=kinds)
    return list(memo[key])


def scope_paths_by_day(actor, days):
    """{day: scope_paths(actor, day)} for several days read in one query (a node's trend over the program's
    years asks for six): the placements of the actor's role nodes over the span of `days`, each kept for the days
    its own dates and its role's end cover."""
    days = sorted(set(days))
    if not _can_read(actor) or not days:
        return {day: [] for day in days}
    memo = _remembered.get()
    if memo is not None and all(_memo_key(actor, day, False, None) in memo for day in days):
        return {day: list(memo[_memo_key(actor, day, False, None)]) for day in days}
    # The placements of the actor's role nodes (the top nodes for a superuser) over the span of the days.
    placement = "" if actor.is_superuser else "organization__placements__"
    span = Q(**{f"{placement}valid_from__lte": days[-1]}) & (
        Q(**{f"{placement}valid_to__isnull": True}) | Q(**{f"{placement}valid_to__gte": days[0]})
    )
    if actor.is_superuser:
        rows = Placement.objects.filter(span, parent__isnull=True).values_list(
            "path", "valid_from", "valid_to", Value(None, output_field=DateField())
        )
    else:
        rows = (
            _roles_readable_on(actor, days[0], RoleKind.values)
            .filter(span)
            .values_list(f"{placement}path", f"{placement}valid_from", f"{placement}valid_to", "valid_to")
        )
    rows = list(rows)
    found = {
        day: _outermost(
            {
                path
                for path, valid_from, valid_to, role_end in rows
                if valid_from <= day and (valid_to is None or valid_to >= day) and (role_end is None or role_end >= day)
            }
        )
        for day in days
    }
    if memo is not None:
        for day, paths in found.items():
            memo[_memo_key(actor, day, False, None)] = paths
    return {day: list(paths) for day, paths in found.items()}


def _read_scope_paths(actor, on, *, write, kinds):
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
    return _outermost(placements.values_list("path", flat=True))


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
