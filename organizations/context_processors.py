from django.utils.functional import SimpleLazyObject

from . import policy


def allowed_actions(request):
    """`allowed_actions`: what the signed-in user may do somewhere (organizations.policy); the menu shows only
    these. Computed on first use, once per request."""
    user = getattr(request, "user", None)
    return {"allowed_actions": SimpleLazyObject(lambda: policy.allowed_actions(user))}
