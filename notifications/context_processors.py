from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request):
    """`unread_notifications`: the bell's count, one COUNT query on first use, and none for an anonymous visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(actor=user))}
