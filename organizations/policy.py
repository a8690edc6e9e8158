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
from .models import WRITE_ROLES, OrgLevel, Placement, RoleKind

VIEW = "view"
ENTER_DATA = "enter_data"
APPROVE = "approve"
CLOSE_YEAR = "close_year"
REOPEN_YEAR = "reopen_year"
MANAGE_TREE = "manage_tree"
MANAGE_USERS = "manage_users"
REORGANIZE = "reorganize"
MANAGE_TARGETS = "manage_targets"
MANAGE_CODES = "manage_codes"
RUN_REPORTS = "run_reports"
ISSUE_REPORTS = "issue_reports"
IMPORT = "import"
REFRESH_FIGURES = "refresh_figures"
SUBMIT_REVIEWS = "submit_reviews"
RECEIVE_REVIEWS = "receive_reviews"
MANAGE_REPORTING = "manage_reporting"
SEND_URGES = "send_urges"
COMPARE_UNITS = "compare_units"
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
    # Each write role administers the users and roles of its own subtree (the grant rules: grant_refusal).
    MANAGE_USERS: Grant(_("manage the users and roles of your part of the tree"), tuple(WRITE_ROLES), changes=True),
    # The program and its targets are the provincial committee's; the board keeps them for it.
    MANAGE_TARGETS: Grant(_("change the program's targets and the districts' own targets"), BOARD_ONLY, changes=True),
    # The coded lists (ethnicity, occupation, posts…) are the province's: every unit records against the same codes.
    MANAGE_CODES: Grant(_("change the coded lists"), BOARD_ONLY, changes=True),
    # The program's reporting cycle (its §III): a committee writes its plan and its yearly reviews (sơ kết) and
    # submits them; the provincial Organization Board receives or returns them, keeps the list of reporting units
    # and their due dates, and issues the province's consolidated report; the Steering Committee follows up and urges.
    SUBMIT_REVIEWS: Grant(
        _("write and submit your committee's implementation plan and yearly reviews"), tuple(WRITE_ROLES), changes=True
    ),
    RECEIVE_REVIEWS: Grant(
        _("receive or return the yearly reviews and issue the province's consolidated report"),
        BOARD_ONLY,
        changes=True,
    ),
    MANAGE_REPORTING: Grant(_("keep the list of reporting units and their due dates"), BOARD_ONLY, changes=True),
    SEND_URGES: Grant(
        _("urge the units late with their plans or reviews"), (RoleKind.BOARD, RoleKind.STEERING), changes=True
    ),
    # Every reporting unit side by side, ranked: aggregates only, for those who follow the whole program.
    COMPARE_UNITS: Grant(
        _("compare the reporting units side by side"), (RoleKind.BOARD, RoleKind.STEERING), changes=False
    ),
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


# --- granting roles -------------------------------------------------------------------------------------

# A grantor gives only kinds at or below its own: a district cadre never makes a Board or Steering role.
KIND_RANK = {RoleKind.BOARD: 4, RoleKind.STEERING: 3, RoleKind.DISTRICT_CADRE: 2, RoleKind.GRASSROOTS_CADRE: 1}
# The level of organization each kind is held on (the demo and the fixtures follow it).
KIND_LEVELS = {
    RoleKind.BOARD: (OrgLevel.PROVINCE,),
    RoleKind.STEERING: (OrgLevel.PROVINCE,),
    RoleKind.DISTRICT_CADRE: (OrgLevel.UPPER_GRASSROOTS,),
    RoleKind.GRASSROOTS_CADRE: (OrgLevel.GRASSROOTS,),
}

GRANT_TO_SELF = _("You cannot grant, change or end a role of your own, nor administer your own account.")
GRANT_OUTSIDE = _("You can only administer roles on organizations inside your own part of the tree.")
GRANT_KIND_ABOVE = _("Your role cannot grant the role “%(kind)s”: it is above your own.")
GRANT_OUTLASTS = _("Your own role ends on %(date)s: a role you grant must end by that day.")
USER_OUTSIDE = _(
    "This user holds a role outside your part of the tree or above your own: only someone who administers all of "
    "their roles can do this."
)


def _present_path(organization_id):
    return scoping.present_placements().filter(organization_id=organization_id).values_list("path", flat=True).first()


def administering_roles(actor, organization_id):
    """The actor's write roles in force today whose subtree holds the organization (in its present position)."""
    if not _active(actor) or actor.is_superuser:
        return []
    day = scoping.today()
    live = [role for role in _roles(actor) if role.kind in WRITE_ROLES and role.is_live_on(day)]
    target = _present_path(organization_id)
    if target is None or not live:
        return []
    paths = dict(
        Placement.objects.on(day)
        .filter(organization_id__in={role.organization_id for role in live})
        .values_list("organization_id", "path")
    )
    return [role for role in live if paths.get(role.organization_id) and target.startswith(paths[role.organization_id])]


def grant_refusal(actor, *, user, organization_id, kind, valid_to):
    """Why the actor may not give `user` the role `kind` on the organization until `valid_to`, or None: never to
    oneself, only inside one's own subtree, only a kind at or below one's own, never outlasting one's own role."""
    if user is not None and user.pk == actor.pk:
        return "user", GRANT_TO_SELF, {}
    if actor.is_superuser:
        return None
    if not can(actor, MANAGE_USERS):
        return "organization", refusal(actor, MANAGE_USERS), {}
    grantors = administering_roles(actor, organization_id)
    if not grantors:
        return "organization", GRANT_OUTSIDE, {}
    grantors = [role for role in grantors if KIND_RANK[role.kind] >= KIND_RANK[kind]]
    if not grantors:
        return "kind", GRANT_KIND_ABOVE, {"kind": RoleKind(kind).label}
    if any(role.valid_to is None or (valid_to is not None and valid_to <= role.valid_to) for role in grantors):
        return None
    latest = max(role.valid_to for role in grantors)
    return "valid_to", GRANT_OUTLASTS, {"date": latest.strftime("%d/%m/%Y")}


def user_refusal(actor, user, roles):
    """Why the actor may not administer `user` (deactivate, reactivate, reset the password), or None: every role
    of theirs not yet ended must be one the actor could grant."""
    if user.pk == actor.pk:
        return GRANT_TO_SELF
    if actor.is_superuser:
        return None
    if user.is_superuser or not can(actor, MANAGE_USERS):
        return USER_OUTSIDE
    day = scoping.today()
    current = [role for role in roles if role.valid_to is None or role.valid_to >= day]
    for role in current:
        if grant_refusal(
            actor, user=user, organization_id=role.organization_id, kind=role.kind, valid_to=role.valid_to
        ):
            return USER_OUTSIDE
    if not current and not any(administering_roles(actor, role.organization_id) for role in roles):
        return USER_OUTSIDE
    return None
