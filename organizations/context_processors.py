from django.utils.functional import SimpleLazyObject

from . import policy


def allowed_actions(request):
    """`allowed_actions`: what the signed-in user may do somewhere (organizations.policy); the menu shows only
    these. `user_roles`: the user's roles, in force first (the user menu names the first). Both computed on
    first use, once per request, from the same read of the roles."""
    user = getattr(request, "user", None)
    return {
        "allowed_actions": SimpleLazyObject(lambda: policy.allowed_actions(user)),
        "user_roles": SimpleLazyObject(lambda: policy.roles_of(user)),
    }
