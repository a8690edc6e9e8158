"""The dashboard's shared figures cache (indicators.dashboard_cache): warmed by the refresh job, served without
rendering, shared only by readers who may see the same figures, and left behind by a newer snapshot."""

import contextlib
import json
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import RatingYear
from evaluations.services import organization_rating_save
from indicators import dashboard_cache
from indicators.services import snapshot_refresh
from indicators.tasks import refresh_snapshots_task
from organizations import scoping
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    # A process-local cache, whatever the run's REDIS_URL: the tests list the entries the job wrote (_body_keys).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """The nodes whose figures part is rendered (not served from the cache), in order."""
    calls = []
    real = dashboard_cache.render_body

    def counting(**kwargs):
        calls.append(kwargs["scope"].code)
        return real(**kwargs)

    monkeypatch.setattr(dashboard_cache, "render_body", counting)
    return calls


def _dashboard(year, scope=None):
    query = f"nam={year}" + (f"&pham-vi={scope.pk}" if scope else "")
    return f"{reverse('indicators:dashboard')}?{query}"


def _t1a_tile(response):
    html = response.content.decode()
    start = html.index('<span class="tile-value">') + len('<span class="tile-value">')
    return html[start : html.index("</span>", start)]


def _trend(response):
    """{indicator: yearly values} of the trend chart's data on the page."""
    data = response.content.decode().split('id="trend-data" type="application/json">')[1].split("</script>")[0]
    return {series["code"]: series["values"] for series in json.loads(data)["series"]}


def _body_keys():
    return sorted(key for key in cache._cache if ":indicators:dashboard-body:" in key)  # LocMemCache's own dict


def test_the_refresh_job_warms_the_province_and_each_unit_under_it(tree, steering_user, rated_2024, renders):
    refresh_snapshots_task(2024)

    # On 31/12/2024 the province P has D1 and D2 under it (X1 starts in 2025): three entries, in Vietnamese.
    assert renders == ["P", "D1", "D2"]
    keys = _body_keys()
    assert len(keys) == 3
    assert all(":vi:2024:" in key for key in keys)
    assert {key.split(":")[6] for key in keys} == {str(tree[code].pk) for code in ("P", "D1", "D2")}


def test_the_warm_up_reads_each_readers_scope_once_per_day_of_a_page(
    tree, steering_user, rated_2024, renders, monkeypatch
):
    snapshot_refresh(year=2024)
    reads = []
    read = scoping._read_scope_paths
    monkeypatch.setattr(scoping, "_read_scope_paths", lambda actor, on, **kw: reads.append(on) or read(actor, on, **kw))
    cache.clear()

    dashboard_cache.warm_dashboards(2024)
    with_memo = list(reads)
    reads.clear()
    monkeypatch.setattr(scoping, "remembering", contextlib.nullcontext)
    cache.clear()
    dashboard_cache.warm_dashboards(2024)

    # Three pages (P, D1, D2), each read as the steering committee: within a page the scope of 31/12/2024 is
    # read once (the six trend years come in one query of their own), where every selector used to read it.
    assert renders == ["P", "D1", "D2", "P", "D1", "D2"]
    assert with_memo == [date(2024, 12, 31)] * 3
    assert len(reads) > len(with_memo)


def test_a_request_after_the_refresh_serves_the_warm_entry_without_rendering(
    client, tree, steering_user, rated_2024, renders
):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)
    with CaptureQueriesContext(connection) as cold:
        client.get(_dashboard(2024))
    cache.clear()
    refresh_snapshots_task(2024)
    rendered_by_the_job = list(renders)

    with CaptureQueriesContext(connection) as warm:
        response = client.get(_dashboard(2024))

    assert rendered_by_the_job == ["P", "P", "D1", "D2"]  # the first request's, then the job's three
    assert renders == rendered_by_the_job  # the request rendered nothing
    assert _t1a_tile(response) == "50,00 %"  # G1 rated, G2 not: 1 of 2 (test_views counts it by hand)
    snapshot_reads = [q["sql"] for q in warm.captured_queries if '"counts"' in q["sql"]]
    assert snapshot_reads == []  # no snapshot counts read, no figure built
    assert len(warm) < len(cold)


def test_readers_who_see_the_same_years_share_one_entry(
    client, tree, steering_user, district_cadre, rated_2024, renders
):
    snapshot_refresh(year=2024)

    client.force_login(steering_user)
    by_steering = client.get(_dashboard(2024, tree["D1"])).content.decode()
    client.force_login(district_cadre)
    by_cadre = client.get(_dashboard(2024, tree["D1"])).content.decode()

    # Both read D1 on 31/12 of 2020–2025 where it exists (it ended on 30/06/2025): one rendering.
    assert renders == ["D1"]
    assert by_steering.split('id="trend-data"')[1] == by_cadre.split('id="trend-data"')[1]


def test_a_reader_who_sees_fewer_years_gets_an_entry_of_their_own(client, tree, steering_user, rated_2024, renders):
    former = UserFactory(username="former_steering")
    give_role(former, tree["P"], RoleKind.STEERING, valid_to=date(2023, 12, 31))
    snapshot_refresh(year=2023)
    snapshot_refresh(year=2024)

    client.force_login(steering_user)
    by_steering = client.get(_dashboard(2023))
    client.force_login(former)
    by_former = client.get(_dashboard(2023))

    # The former member of the committee reads P up to 2023 only: the trend of 2024 must not reach them.
    assert renders == ["P", "P"]
    assert len(_body_keys()) == 2
    # T1a of 2020–2025 on the trend: 2024 is 1 of 2 (50 %) for the committee, hidden from the former member.
    assert _trend(by_steering)["T1a"] == [None, None, None, None, 50.0, None]
    assert _trend(by_former)["T1a"] == [None, None, None, None, None, None]


def test_a_newer_snapshot_is_served_instead_of_the_warm_entry(client, tree, steering_user, root_user, rated_2024):
    refresh_snapshots_task(2024)
    client.force_login(steering_user)
    before = _t1a_tile(client.get(_dashboard(2024)))
    old_keys = _body_keys()
    organization_rating_save(
        actor=root_user, organization=tree["G2"], year=RatingYear.objects.get(year=2024), level="GOOD"
    )

    refresh_snapshots_task(2024)
    after = _t1a_tile(client.get(_dashboard(2024)))

    # G2 re-rated GOOD: T1a goes from 1 of 2 to 2 of 2 with the new snapshot; the old entries are left to expire.
    assert (before, after) == ("50,00 %", "100,00 %")
    assert len(old_keys) == 3
    assert len(set(_body_keys()) - set(old_keys)) == 3
