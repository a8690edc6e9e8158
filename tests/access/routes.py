"""Every URL pattern of the URL conf, and a concrete URL for it filled from an actor's objects.

A pattern is walked with the values of its path parameters looked up by name; a parameter this module does not
know makes `fill` raise `Unfillable`, so a new URL is covered (or fails the test, naming itself) without a test
written for it.
"""

import inspect
import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

# Parameters that name an object inside or outside the actor's part of the tree.
SCOPED = {
    "organization_id",
    "member_id",
    "submission_id",
    "pk",
    "run_id",
    # A consolidated report (/bao-cao/tong-hop/<report_id>/…): the province's, read by the province's readers only.
    "report_id",
    "job_id",
    "object_id",
    "seat_id",
    "status_period_id",
    "post_id",
    "user_id",
    "role_id",
    # The reporting cycle (/so-ket/): a reporting unit, its plans, its yearly reviews and their attachments.
    "unit_id",
    "plan_id",
    "review_id",
    "attachment_id",
}
# Parameters every actor fills alike: they name no object of the tree.
UNSCOPED = {
    "year",
    "slug",
    "app_label",
    "url",
    "content_type_id",
    "version_id",
    "id",
    "uidb64",
    "token",
    # The program's targets are the province's: every role reads them (the Board alone changes them).
    "target_id",
    # The indicator definitions are the province's too: every role reads them (the Board alone changes them).
    "definition_id",
    # The kind of record of an audit trail (/lich-su/<kind>/<object_id>/): the member's, by its object_id.
    "kind",
    # The coded lists and their codes are the province's: every role reads them (the Board alone changes them).
    "code_list",
    "code_id",
    # A quarter of a year (a cell's attendance at its meetings): the cell is the organization_id.
    "quarter",
}


def import_slugs():
    """Every registered kind of import file: a URL with a slug is walked once per kind."""
    from party_portal.imports import registry

    return registry.slugs()


# A regular expression that matches any rest of a path (the API's JSON 404).
ANY_REST = (r"[\s\S]*", r".*")
GROUP = re.compile(r"\((\?P<(?P<name>\w+)>)?(?:[^()]|\([^()]*\))*\)")
CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")


class Unfillable(Exception):
    """A URL pattern whose path parameters the access test cannot fill."""


@dataclass(frozen=True)
class Route:
    pieces: tuple  # the pattern objects from the root URL conf down to the view
    callback: object

    @property
    def text(self):
        return "".join(str(piece) for piece in self.pieces)

    @property
    def is_admin(self):
        return self.text.startswith("admin/")

    @property
    def is_api(self):
        return self.text.startswith("api/")

    @property
    def params(self):
        return tuple(name for piece in self.pieces for name in _names(piece, self.callback))

    @property
    def scoped(self):
        return bool(SCOPED & set(self.params))

    @property
    def model_admin(self):
        """The ModelAdmin whose view this is (admin URLs), else None."""
        found = getattr(self.callback, "model_admin", None)
        view = getattr(self.callback, "__wrapped__", None)
        owner = getattr(view, "__self__", None)
        return found or (owner if isinstance(owner, admin.ModelAdmin) else None)


def routes():
    """Every URL pattern of the project, with the pattern objects that lead to it."""
    return list(_walk(get_resolver(), ()))


def _walk(resolver, pieces):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, (*pieces, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route((*pieces, entry.pattern), entry.callback)


def _positional_names(callback):
    """Names of the view's arguments after `request` (what a regex's unnamed groups are passed as)."""
    view = callback
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    names = [p.name for p in inspect.signature(view).parameters.values() if p.default is inspect.Parameter.empty]
    return [n for n in names if n not in ("self", "request", "args", "kwargs")]


def _names(piece, callback):
    if isinstance(piece, RoutePattern):
        return [m["name"] for m in CONVERTER.finditer(str(piece))]
    if isinstance(piece, RegexPattern):
        groups = list(GROUP.finditer(str(piece)))
        positional = iter(_positional_names(callback))
        return [m["name"] or next(positional, "?") for m in groups]
    return []


def _render(piece, callback, values):
    text = str(piece)
    if isinstance(piece, RoutePattern):
        return CONVERTER.sub(lambda m: str(values[m["name"]]), text)
    names = iter(_names(piece, callback))
    text = GROUP.sub(lambda m: str(values[next(names)]), text)
    for rest in ANY_REST:
        text = text.replace(rest, "khong-co/")
    return text.lstrip("^").rstrip("$")


def fill(route, values):
    """The URL of `route` with the path parameters taken from `values`; None when `values` lacks one the
    actor has no object for. Raises Unfillable for a parameter nobody can fill, or a URL that does not
    resolve back to the route's view."""
    unknown = set(route.params) - SCOPED - UNSCOPED
    if unknown:
        raise Unfillable(f"{route.text}: no value for the path parameter(s) {sorted(unknown)}")
    if not set(route.params) <= set(values):
        return None
    url = "/" + "".join(_render(piece, route.callback, values) for piece in route.pieces)
    if resolve(url).func is not route.callback:
        raise Unfillable(f"{route.text}: the URL built for it, {url}, resolves to another view")
    return url
