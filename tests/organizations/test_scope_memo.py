"""Issue 13: a page reads its user's scope once per day asked (scoping.remembering, the middleware of GET and
HEAD requests), and a node's trend reads the scope of all its years in one query (scoping.scope_paths_by_day) —
each giving exactly what scope_paths gives day by day."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from organizations import scoping
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role

BEFORE = date(2024, 12, 31)
LAST_DISTRICT_DAY = date(2025, 6, 30)
REFORM_DAY = date(2025, 7, 1)
AFTER = date(2025, 12, 31)
DAYS = [BEFORE, LAST_DISTRICT_DAY, REFORM_DAY, AFTER]


def _path(*orgs):
    return "/" + "".join(f"{org.pk}/" for org in orgs)


def test_the_paths_of_several_days_are_those_of_each_day(
    tree, district_cadre, grassroots_cadre, steering_user, root_user
):
    p, d1, g1, x1 = tree["P"], tree["D1"], tree["G1"], tree["X1"]
    both = UserFactory(username="both")
    give_role(both, p, RoleKind.STEERING)
    give_role(both, g1, RoleKind.GRASSROOTS_CADRE)
    later = UserFactory(username="later")
    give_role(later, g1, RoleKind.GRASSROOTS_CADRE, valid_from=date(2099, 1, 1))
    inactive = UserFactory(username="gone", is_active=False)
    give_role(inactive, p, RoleKind.STEERING)

    by_day = {
        user.username: scoping.scope_paths_by_day(user, DAYS)
        for user in (district_cadre, grassroots_cadre, steering_user, root_user, both, later, inactive)
    }

    # D1's cadre reads D1 until its last day, 30/06/2025, nothing after. G1 sat under D1 until the reform and
    # under X1 from 01/07/2025. The steering committee and the superuser read the province; a role on P and one
    # on G1 inside it give P alone. A role starting in 2099 reads nothing yet, nor does an inactive user.
    district = _path(p, d1)
    assert by_day["cadre_d1"] == {BEFORE: [district], LAST_DISTRICT_DAY: [district], REFORM_DAY: [], AFTER: []}
    assert by_day["cadre_g1"] == {
        BEFORE: [_path(p, d1, g1)],
        LAST_DISTRICT_DAY: [_path(p, d1, g1)],
        REFORM_DAY: [_path(p, x1, g1)],
        AFTER: [_path(p, x1, g1)],
    }
    for name in ("steering", "root", "both"):
        assert by_day[name] == {day: [_path(p)] for day in DAYS}
    assert by_day["later"] == by_day["gone"] == {day: [] for day in DAYS}
    for user in (district_cadre, grassroots_cadre, steering_user, root_user, both, later, inactive):
        assert by_day[user.username] == {day: scoping.scope_paths(user, day) for day in DAYS}
    assert scoping.scope_paths_by_day(AnonymousUser(), DAYS) == {day: [] for day in DAYS}


def _reads(action):
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return result, sum('"organizations_placement"' in query["sql"] for query in queries.captured_queries)


def test_a_remembered_scope_is_read_once_per_day_and_only_inside_its_block(tree, district_cadre):
    district = _path(tree["P"], tree["D1"])

    with scoping.remembering():
        first, first_reads = _reads(lambda: scoping.scope_paths(district_cadre, BEFORE))
        again, again_reads = _reads(lambda: scoping.scope_paths(district_cadre, BEFORE))
        trend, trend_reads = _reads(lambda: scoping.scope_paths_by_day(district_cadre, [BEFORE, AFTER]))
        after, after_reads = _reads(lambda: scoping.scope_paths(district_cadre, AFTER))
        # A role given inside the block is not seen by it: the block is for requests that change nothing.
        give_role(district_cadre, tree["D2"], RoleKind.DISTRICT_CADRE)
        unchanged, _ = _reads(lambda: scoping.scope_paths(district_cadre, BEFORE))
    outside, outside_reads = _reads(lambda: scoping.scope_paths(district_cadre, BEFORE))

    assert first == again == unchanged == [district]
    assert trend == {BEFORE: [district], AFTER: []}
    assert after == []
    # The first read queries; the same day again does not; the trend queries once for its two days and leaves
    # both remembered; out of the block the new role on D2 shows at once.
    assert (first_reads, again_reads, trend_reads, after_reads) == (1, 0, 1, 0)
    assert outside == [district, _path(tree["P"], tree["D2"])]
    assert outside_reads == 1


@pytest.mark.parametrize(("method", "reads"), [("get", 1), ("head", 1), ("post", 2)])
def test_only_requests_that_change_nothing_remember_the_scope(tree, district_cadre, method, reads):
    counted = []

    def view(request):
        counted.append(_reads(lambda: [scoping.scope_paths(request.user, BEFORE) for _ in range(2)]))
        return HttpResponse()

    request = getattr(RequestFactory(), method)("/")
    request.user = district_cadre
    scoping.ScopeMemoMiddleware(view)(request)

    [(paths, queried)] = counted
    assert paths == [[_path(tree["P"], tree["D1"])]] * 2
    assert queried == reads
