"""The import link of the main menu: shown to users whose role may change data."""

from django import template

from evaluations.imports.services import can_import as _can_import

register = template.Library()


@register.filter
def can_import(user):
    # One query per page at most: the answer is kept on the request's user object.
    if not hasattr(user, "_can_import"):
        user._can_import = _can_import(user)
    return user._can_import
