"""Every URL of the URL conf, requested by every demo role (and anonymous, a user with no role and a superuser)
with objects inside and outside the role's part of the tree: no answer is a server error, none shows a foreign
organization's code or name or a foreign member's name or numbers (in a page, JSON, a header or inside an
xlsx), and every write aimed at a foreign object is refused and writes nothing.

The routes come from the URL resolver, not from a list: a new URL is covered as soon as it exists, and one whose
path parameters cannot be filled fails the test with its name (tests/access/routes.py).
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings

from tests.access.bodies import leaks
from tests.access.requests import CSRF_REFUSED, client_for, logged_out, login_urls, probe, query, row_counts, send, urls
from tests.access.routes import Route, Unfillable, fill, routes
from tests.access.world import build_world

ACTORS = ("board", "steering", "district", "grassroots", "commune", "norole", "anonymous", "superuser")
WRITE_METHODS = ("post", "put", "patch", "delete")
REFUSED = {400, 401, 403, 404, 405}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 3
ROUTES = routes()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end."""
    media = tmp_path_factory.mktemp("access-media")
    test_settings = override_settings(
        MEDIA_ROOT=str(media),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CSRF_FAILURE_VIEW="tests.access.requests.csrf_failure",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with django_db_blocker.unblock(), test_settings:
        for cache in caches.all():
            cache.clear()
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
        for cache in caches.all():
            cache.clear()


def _actor(world, name):
    return next(actor for actor in world.actors if actor.name == name)


class Walk:
    """One actor's requests, and every problem found (reported together, so one run shows them all)."""

    def __init__(self, actor):
        self.actor = actor
        self.client = client_for(actor.user)
        self.problems = []
        self.requests = 0

    def request(self, method, url, route, fields=None):
        """Send, then follow redirects within the portal (a refusal message is often shown on the next page);
        return the first answer."""
        self.requests += 1
        first = response = send(self.client, method, url, fields, api=route.is_api)
        self.check(response, f"{self.actor.name}: {method.upper()} {url} ({route.text})")
        for _hop in range(MAX_REDIRECTS):
            if response.status_code not in REDIRECTS or response["Location"].startswith(login_urls()):
                break
            target = response["Location"]
            response = self.client.get(target)
            self.check(response, f"{self.actor.name}: GET {target} after {method.upper()} {url} ({route.text})")
        if logged_out(self.client) and self.actor.user.is_authenticated:
            self.client.force_login(self.actor.user)
        return first

    def check(self, response, where):
        if response.status_code >= 500:
            self.problems.append(f"{where}: {response.status_code}")
        if response.has_header(CSRF_REFUSED):
            self.problems.append(f"{where}: the CSRF token was refused")
        shown = leaks(response, self.actor.foreign_texts)
        if shown:
            self.problems.append(f"{where}: shows {shown}")

    def refused_without_writes(self, method, url, route, fields):
        """A write aimed at a foreign object: refused (4xx, or sent to log in) and no row written or changed."""
        before = row_counts()
        response = self.request(method, url, route, fields)
        after = row_counts()
        changed = {table: (count, after[table]) for table, count in before.items() if after[table] != count}
        status = response.status_code
        refused = status in REFUSED or (status == 302 and response["Location"].startswith(login_urls()))
        if not refused or changed:
            self.problems.append(
                f"{self.actor.name}: {method.upper()} {url} on a foreign object answered {status}"
                f" and changed {changed or 'nothing'}"
            )


def _plan(actor):
    """(route, URLs with the actor's own objects, URLs with foreign ones) for every route, built before any
    request (a write may delete the row an admin URL was built from)."""
    plan = []
    for route in ROUTES:
        foreign = urls(route, actor.foreign) if route.scoped and actor.foreign else []
        # The admin's object URLs are the same for everyone (the admin is for staff, not scoped): foreign to an
        # actor who has foreign objects, the actor's own to the superuser.
        own = [] if route.is_admin and foreign else urls(route, actor.own)
        plan.append((route, own, foreign))
    return plan


def test_every_route_is_walked(world, db):
    """Every route gets at least one URL (the superuser has an object for every parameter)."""
    superuser = _actor(world, "superuser")

    unwalked = [route.text for route, own, _foreign in _plan(superuser) if not own]

    assert len(ROUTES) > 200
    assert unwalked == []


@pytest.mark.parametrize("name", ACTORS)
def test_every_url_read_by_every_role_shows_nothing_foreign(world, db, name):
    actor = _actor(world, name)
    walk = Walk(actor)

    for route, own, foreign in _plan(actor):
        for url in own:
            walk.request("get", url, route)
            if not route.is_admin and not route.is_api:
                walk.request("htmx", url, route)
            if not route.is_admin and actor.foreign:
                walk.request("get", url + query(actor.foreign), route)
        for url in foreign:
            walk.request("get", url, route)
            if not route.is_admin and not route.is_api:
                walk.request("htmx", url, route)

    assert walk.requests > len(ROUTES)
    assert not walk.problems, "\n".join(walk.problems)


@pytest.mark.parametrize("name", ACTORS)
def test_every_write_on_a_foreign_object_is_refused_and_writes_nothing(world, db, name):
    actor = _actor(world, name)
    walk = Walk(actor)
    foreign = actor.foreign or actor.own
    # All foreign; and the actor's own organization with a foreign member (a grid naming someone else's member).
    bodies = {api: probe(foreign, api=api) for api in (False, True)}
    mixed = probe(foreign, api=True, organizations=actor.own)

    for route, own, foreign_urls in _plan(actor):
        for url in foreign_urls:
            for method in WRITE_METHODS:
                walk.refused_without_writes(method, url, route, bodies[route.is_api])
        for url in own:
            # The probe goes in the query string too: some pages take the year or the scope from it.
            walk.request("post", url if route.is_admin else url + query(foreign), route, bodies[route.is_api])
            # The API takes ids in its bodies (pages in prefixed grid rows); pages answer PUT, PATCH and DELETE
            # like POST or not at all, as tried above on foreign objects.
            if route.is_api:
                for method in WRITE_METHODS:
                    walk.request(method, url, route, mixed)

    assert walk.requests > len(ROUTES)
    assert not walk.problems, "\n".join(walk.problems)


def test_the_leak_check_finds_a_foreign_name_in_a_page_json_and_an_xlsx(world, db):
    """The walk's checks can fail: what the superuser sees of D2 holds what the district cadre of D1 must not."""
    district = _actor(world, "district")
    client = client_for(world.actors[-1].user)
    member = world.members["G2"][0]

    page = client.get(f"/to-chuc/{world.orgs['G2'].pk}/")
    api = client.get(f"/api/members/{member.pk}/")
    workbook = client.get(f"/bao-cao/{world.runs['D2'].pk}/tai-ve/")

    assert {"TN-G21", "Đảng bộ xã Nam Cát Tiên"} <= set(leaks(page, district.foreign_texts))
    assert member.full_name in leaks(api, district.foreign_texts)
    assert "Huyện ủy Tây Nguyên Hạ" in leaks(workbook, district.foreign_texts)
    assert workbook["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_route_with_a_parameter_nobody_fills_fails_naming_it():
    from django.urls import path

    pattern = path("the-moi/<int:widget_id>/", lambda request, widget_id: None)

    with pytest.raises(
        Unfillable, match=r"the-moi/<int:widget_id>/: no value for the path parameter\(s\) \['widget_id'\]"
    ):
        fill(Route((pattern.pattern,), pattern.callback), {"widget_id": 1})
