"""Every read of users and roles a page or the API needs: only what the actor administers (organizations.policy)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from organizations import scoping
from organizations.models import Role
from party_portal.text import fold

from .models import Account

IN_FORCE, ENDED, ALL = "current", "ended", "all"


def managed_org_ids(actor):
    """A subquery of the organizations whose users and roles the actor administers: the subtrees of their write
    roles in force today, organizations that have ended included (in their last position)."""
    return scoping.writable_now_org_ids(actor)


def _state_q(state, day):
    ended = Q(valid_to__lt=day) | Q(organization__valid_to__lt=day)
    if state == IN_FORCE:
        return ~ended & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
    if state == ENDED:
        return ended
    return Q()


def role_list(*, actor, organization_id=None, kind="", state=IN_FORCE, query=""):
    """Who holds which role where, in the actor's part of the tree: under a unit (its whole subtree), of a kind,
    in force today, ended or all, and whose name or login contains `query` (diacritics optional)."""
    day = scoping.today()
    roles = Role.objects.filter(organization_id__in=managed_org_ids(actor)).filter(_state_q(state, day))
    if organization_id:
        path = scoping.present_placements().filter(organization_id=organization_id).values_list("path", flat=True)
        path = path.first()
        if path is None:
            return Role.objects.none()
        roles = roles.filter(
            organization_id__in=scoping.present_placements().under_paths([path]).values("organization")
        )
    if kind:
        roles = roles.filter(kind=kind)
    roles = roles.select_related("user", "organization").order_by("organization__code", "kind", "user__username")
    if query.strip():
        roles = roles.filter(user_id__in=_matching_user_ids(roles.values("user_id"), query))
    return roles


def _matching_user_ids(user_ids, query):
    """The users among `user_ids` whose full name or login contains `query`, diacritics optional. A province has
    a few thousand logins: folding their names here spares a folded column on Django's user model."""
    wanted = fold(query)
    candidates = (
        get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "first_name", "last_name", "username")
    )
    return [pk for pk, first, last, username in candidates if wanted in fold(f"{first} {last} {username}")]


def user_get(*, actor, user_id):
    """A user holding a role (now or in the past) in the actor's part of the tree; 404 otherwise (a superuser
    sees every user)."""
    users = get_user_model().objects.all()
    if not actor.is_superuser:
        users = users.filter(pk__in=Role.objects.filter(organization_id__in=managed_org_ids(actor)).values("user_id"))
    user = users.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def user_list(*, actor, query=""):
    """The users the actor can see (see user_get), by login name, whose name or login contains `query`."""
    users = get_user_model().objects.order_by("username")
    if not actor.is_superuser:
        users = users.filter(pk__in=Role.objects.filter(organization_id__in=managed_org_ids(actor)).values("user_id"))
    if query.strip():
        users = users.filter(pk__in=_matching_user_ids(users.values("pk"), query))
    return users


def user_roles(*, actor, user):
    """The user's roles the actor may see (in their part of the tree), newest first."""
    return (
        Role.objects.filter(user=user, organization_id__in=managed_org_ids(actor))
        .select_related("organization")
        .order_by("-valid_from", "organization__code")
    )


def user_has_other_roles(*, actor, user):
    """Whether the user holds roles the actor may not see (the page says so, without naming them)."""
    return Role.objects.filter(user=user).exclude(organization_id__in=managed_org_ids(actor)).exists()


def role_get(*, actor, role_id):
    """A role on an organization in the actor's part of the tree; 404 otherwise."""
    role = (
        Role.objects.filter(pk=role_id, organization_id__in=managed_org_ids(actor))
        .select_related("user", "organization")
        .first()
    )
    if role is None:
        raise Http404
    return role


def must_change_password(user):
    """Whether the user still holds an initial password set by an administrator."""
    return Account.objects.filter(user_id=user.pk, must_change_password=True).exists()
