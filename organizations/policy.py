"""Who may do what: the one permission policy, built on organizations.scoping.

Every door asks here — pages and their menu, the API (party_portal.api_base.PolicyPermission), the admin,
imports, tasks and the services themselves — instead of checking role kinds on its own:

    can(actor, action)                          may the actor do this somewhere (the menu, a door's gate)?
    can(actor, action, organization_id, on)     may the actor do this to that organization, dated `on`?
    require(...)                                the same, raising PermissionDenied with the reason
    allowed_actions(actor)                      the set of actions usable somewhere (for the menu)

An action is granted by role kinds. Reading actions count every role not ended before the day read (a role
that has ended still opens its subtree's past); changing actions count only the roles in force today, and
reach an organization only through scoping's write rule (on the date the change takes effect and today).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import scoping
from .models import WRITE_ROLES, Placement, RoleKind

VIEW = "view"
ENTER_DATA = "enter_data"
APPROVE = "approve"
CLOSE_YEAR = "close_year"
REOPEN_YEAR = "reopen_year"
MANAGE_TREE = "manage_tree"
MANAGE_USERS = "manage_users"
REORGANIZE = "reorganize"
MANAGE_TARGETS = "manage_targets"
RUN_REPORTS = "run_reports"
ISSUE_REPORTS = "issue_reports"
IMPORT = "import"
REFRESH_FIGURES = "refresh_figures"
ADMINISTER = "administer"


@dataclass(frozen=True)
class Grant:
    label: str
    kinds: tuple
    # True: only roles in force today count, and an organization is reached by scoping's write rule.
    changes: bool
    # True: the organization named is the one acted upon through its parent (the level above approves).
    level_above: bool = False


ALL_KINDS = tuple(RoleKind.values)
BOARD_ONLY = (RoleKind.BOARD,)

GRANTS = {
    VIEW: Grant(_("read the data of your part of the tree"), ALL_KINDS, changes=False),
    RUN_REPORTS: Grant(_("run and download reports"), ALL_KINDS, changes=False),
    # The number ("12-BC/BTCTU") is the provincial Organization Board's: only the board issues.
    ISSUE_REPORTS: Grant(_("issue a report under a number"), BOARD_ONLY, changes=True),
    REFRESH_FIGURES: Grant(_("recompute the dashboard figures"), (RoleKind.BOARD, RoleKind.STEERING), changes=False),
    ENTER_DATA: Grant(_("enter or change data"), tuple(WRITE_ROLES), changes=True),
    IMPORT: Grant(_("import Excel files"), tuple(WRITE_ROLES), changes=True),
    APPROVE: Grant(
        _("approve, return or reopen the ratings of the level below"),
        (RoleKind.BOARD, RoleKind.DISTRICT_CADRE),
        changes=True,
        level_above=True,
    ),
    CLOSE_YEAR: Grant(_("close a rating year"), BOARD_ONLY, changes=True),
    REOPEN_YEAR: Grant(_("reopen a closed rating year"), BOARD_ONLY, changes=True),
    MANAGE_TREE: Grant(_("add organizations at the top of the tree"), BOARD_ONLY, changes=True),
    # The level above decides a merger, split, move or dissolution (organizations.reorganizations checks which).
    REORGANIZE: Grant(
        _("merge, split, move, rename or dissolve the organizations under your committee"),
        (RoleKind.BOARD, RoleKind.DISTRICT_CADRE),
        changes=True,
    ),
    MANAGE_USERS: Grant(_("manage users and their roles"), BOARD_ONLY, changes=True),
    # The program and its targets are the provincial committee's; the board keeps them for it.
    MANAGE_TARGETS: Grant(_("change the program's targets and the districts' own targets"), BOARD_ONLY, changes=True),
    # The admin site is Django's own door: its staff flag is the grant (no role kind opens it).
    ADMINISTER: Grant(_("use the administration site"), (), changes=True),
}
ACTIONS = tuple(GRANTS)

NOT_ALLOWED = _("Your role does not allow you to %(action)s.")
ROLE_ENDED = _("Your role that allowed you to %(action)s has ended; you can still read the past it covered.")
NOT_LEVEL_ABOVE = _("Only the level above %(org)s can approve, return, reopen or rate it.")


def _active(actor):
    return actor is not None and actor.is_authenticated and actor.is_active


def _roles(actor):
    """The actor's roles with their organizations, read once per user object (one query per request)."""
    if not hasattr(actor, "_policy_roles"):
        actor._policy_roles = list(actor.party_roles.select_related("organization"))
    return actor._policy_roles


def _holds(actor, grant):
    if actor.is_superuser:
        return True
    if not grant.kinds:
        return False
    day = scoping.today()
    for role in _roles(actor):
        if role.kind not in grant.kinds:
            continue
        started = role.valid_from is None or role.valid_from <= day
        if started and (not grant.changes or role.is_live_on(day)):
            return True
    return False


def roles_of(actor):
    """The actor's own roles (their organization joined), in force or not, newest first: the profile page and the
    user menu show them. Read once per user object, with the permission checks."""
    if not _active(actor):
        return []
    return sorted(
        _roles(actor), key=lambda role: (role.is_live_on(scoping.today()), role.valid_from or date.min), reverse=True
    )


def refusal(actor, action):
    """Why `action` is not allowed anywhere: the role that allowed it has ended, the role only reads, or no role
    allows it."""
    grant = GRANTS[action]
    params = {"action": grant.label}
    if action in allowed_actions(actor):
        return NOT_ALLOWED % params
    if _active(actor) and any(role.kind in grant.kinds for role in _roles(actor)):
        return ROLE_ENDED % params
    if action in (ENTER_DATA, IMPORT) and _active(actor) and _roles(actor):
        return scoping.READ_ONLY_ROLE
    return NOT_ALLOWED % params


def allowed_actions(actor):
    """The actions the actor may take somewhere in the tree today (the menu shows only these)."""
    if not _active(actor):
        return frozenset()
    allowed = {action for action, grant in GRANTS.items() if _holds(actor, grant)}
    if actor.is_staff:
        allowed.add(ADMINISTER)
    else:
        allowed.discard(ADMINISTER)
    return frozenset(allowed)


def _reaches(actor, grant, organization_id, on):
    if grant.level_above:
        placement = Placement.objects.on(on).filter(organization_id=organization_id).first()
        if placement is None or placement.parent_id is None:
            return False
        organization_id = placement.parent_id
    return scoping.can_access(actor, organization_id, on, write=grant.changes, kinds=grant.kinds or None)


def can(actor, action, organization_id=None, on=None):
    """Whether the actor may take `action` (on `organization_id` as of `on`, default today)."""
    grant = GRANTS[action]
    if action not in allowed_actions(actor):
        return False
    if organization_id is None:
        return True
    return _reaches(actor, grant, organization_id, on or scoping.today())


def require(actor, action, organization_id=None, on=None):
    """Raise PermissionDenied, saying why, unless `can(actor, action, organization_id, on)`."""
    grant = GRANTS[action]
    on = on or scoping.today()
    allowed = action in allowed_actions(actor)
    if allowed and (organization_id is None or _reaches(actor, grant, organization_id, on)):
        return
    ended = _active(actor) and any(role.kind in grant.kinds for role in _roles(actor))
    if not allowed and (organization_id is None or not grant.level_above or ended):
        raise PermissionDenied(refusal(actor, action))
    if grant.level_above:
        organization = Placement.objects.filter(organization_id=organization_id).select_related("organization")
        first = organization.first()
        # The organization's name only when the actor may read it: a refusal never names what is out of sight.
        if first is not None and scoping.can_access(actor, organization_id, on):
            raise PermissionDenied(NOT_LEVEL_ABOVE % {"org": first.organization.name})
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    if grant.changes:
        raise PermissionDenied(scoping.refusal_message(actor, organization_id, on))
    raise PermissionDenied(scoping.NOT_IN_SCOPE)


def system_actor():
    """Who acts for the portal itself (scheduled reports, commands run without --user): the first active
    superuser, or None. Everything it does still goes through the services and this policy."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
