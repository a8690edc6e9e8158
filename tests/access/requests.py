"""What the generated access test sends: the URLs of a route for an actor, the probe fields naming foreign objects,
a logged-in client with a CSRF token, and the row counts a refused write must leave as they were."""

from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponseForbidden
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from organizations.models import Organization

from .routes import Unfillable, fill, import_slugs

# Rows a refused write may still touch: the session of the client itself.
UNCOUNTED_TABLES = {"django_session"}
ORGANIZATION_FIELDS = (
    "organization",
    "organization_id",
    "to_chuc",
    "scope",
    "scope_id",
    "parent",
    "new_parent",
    "to_organization",
    "host_organization",
)
MEMBER_FIELDS = ("member", "member_id")
SUBMISSION_FIELDS = ("ho_so", "submission", "submission_id")


def _admin_values(route):
    """Admin path parameters: a row of the admin's model (the admin is not scoped: staff only)."""
    values = {"app_label": "organizations", "url": "khong-co/"}
    model_admin = route.model_admin
    model = model_admin.model if model_admin else Organization
    instance = model._default_manager.order_by("-pk").first()
    if instance is None and {"object_id", "id"} & set(route.params):
        raise Unfillable(f"{route.text}: no {model._meta.label} row in the access test's world (tests/access/world.py)")
    if instance is not None:
        values["object_id"] = values["id"] = instance.pk
        history = getattr(model, "history", None)
        version = history.filter(pk=instance.pk).order_by("-history_id").first() if history is not None else None
        # A history-version URL on a model without history still gets a request: its answer must not be a 500.
        values["version_id"] = version.history_id if version else 1
    values["content_type_id"] = ContentType.objects.get_for_model(model).pk
    return values


def urls(route, values):
    """The URLs of `route` with `values` (None for the objects the actor has none of), one per import slug."""
    if values is None:
        return []
    values = {**values, **_admin_values(route)} if route.is_admin else dict(values)
    # A password-reset link names a user and a token: any actor may open one (a wrong one says it is invalid).
    values.setdefault("uidb64", "MQ")
    values.setdefault("token", "set-password")
    found = []
    for slug in import_slugs() if "slug" in route.params else (None,):
        url = fill(route, {**values, "slug": slug})
        if url is not None:
            found.append(url)
    return found


def probe(foreign, *, api, organizations=None):
    """Request fields naming the foreign objects by every name a form or serializer gives them (the
    organization fields from `organizations` when given: the actor's own TCCSĐ with a foreign member)."""
    organization, member = (organizations or foreign).get("organization_id"), foreign.get("member_id")
    year = (organizations or foreign).get("year")
    fields = {"nam": year, "year": year}
    fields.update(dict.fromkeys(ORGANIZATION_FIELDS, organization))
    fields.update(dict.fromkeys(MEMBER_FIELDS, member))
    fields.update(dict.fromkeys(SUBMISSION_FIELDS, foreign.get("submission_id")))
    fields.update(level="GOOD", reason="Thử", comment="Thử", date="2025-09-10", start="2025-09-10")
    if api:
        fields["entries"] = [{"member": member, "level": "GOOD"}]
    return {name: value for name, value in fields.items() if value is not None}


def query(foreign):
    return "?" + urlencode(probe(foreign, api=False))


def client_for(user):
    """A client that checks CSRF like a browser, logged in as `user`, holding a CSRF token fetched from a page."""
    client = Client(enforce_csrf_checks=True)
    if user.is_authenticated:
        client.force_login(user)
    client.get(reverse("admin:login"), follow=True)
    client.csrf_token = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client


CSRF_REFUSED = "X-Access-Test-Csrf-Refused"


def csrf_failure(request, reason=""):
    """The CSRF failure view while the access test runs: marks the answer, so a refused token is not taken
    for a refused write."""
    return HttpResponseForbidden(reason, headers={CSRF_REFUSED: "1"})


def logged_out(client):
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie is None or not cookie.value


def send(client, method, url, fields, *, api):
    """A GET (`htmx`: as htmx asks for a fragment), or a write with `fields` as JSON (API) or a form (pages),
    with the CSRF token a browser sends."""
    if method == "get":
        return client.get(url)
    if method == "htmx":
        return client.get(url, headers={"HX-Request": "true"})
    headers = {"HTTP_X_CSRFTOKEN": client.csrf_token}
    if api:
        return getattr(client, method)(url, fields, content_type="application/json", **headers)
    if method == "post":
        return client.post(url, {**fields, "csrfmiddlewaretoken": client.csrf_token}, **headers)
    body = urlencode({**fields, "csrfmiddlewaretoken": client.csrf_token})
    return getattr(client, method)(url, body, content_type="application/x-www-form-urlencoded", **headers)


def login_urls():
    return (resolve_url(settings.LOGIN_URL), reverse("admin:login"))


def row_counts():
    """The number of rows of every table (history tables included: a changed row leaves a history row)."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy}
        - UNCOUNTED_TABLES
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))
