"""The router's and the middleware's decisions, without a replica: which alias each read and write is given.

The test settings have no DATABASE_REPLICA_URL: the `replica` fixture makes the module answer as a portal with a
reachable replica would. The real replica is in test_streaming_replica.py."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from knox.models import AuthToken

from evaluations.models import MemberRating
from members.models import Member
from organizations.models import Organization
from party_portal import db_routers
from party_portal.db_routers import PIN_COOKIE, ReplicaReadsMiddleware, ReplicaRouter, replica_reads
from users.models import Account

router = ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """A portal configured with a reachable replica."""
    monkeypatch.setattr(db_routers, "replica_configured", lambda: True)
    monkeypatch.setattr(db_routers, "_reachable", lambda: True)


def test_router_reads_outside_a_replica_block_from_the_primary(replica):
    assert router.db_for_read(Organization) == "default"


def test_router_reads_in_a_replica_block_from_the_replica(replica):
    with replica_reads():
        assert [router.db_for_read(model) for model in (Organization, Member, MemberRating)] == ["replica"] * 3


def test_router_reads_nothing_from_a_replica_not_configured():
    with replica_reads():
        assert router.db_for_read(Organization) == "default"


def test_router_keeps_logins_sessions_tokens_lockout_and_audit_on_the_primary(replica):
    models = (get_user_model(), Session, AuthToken, AccessAttempt, Account, Organization.history.model)

    with replica_reads():
        assert [router.db_for_read(model) for model in models] == ["default"] * 6


def test_router_writes_to_the_primary_even_in_a_replica_block(replica):
    with replica_reads():
        assert router.db_for_write(Organization) == "default"


def test_router_reads_a_model_written_in_the_block_from_the_primary(replica):
    with replica_reads():
        router.db_for_write(Organization)

        assert router.db_for_read(Organization) == "default"
        assert router.db_for_read(Member) == "replica"


def test_router_forgets_the_written_models_with_the_block(replica):
    with replica_reads():
        router.db_for_write(Organization)

    with replica_reads():
        assert router.db_for_read(Organization) == "replica"


@pytest.mark.django_db
def test_router_reads_in_a_transaction_on_the_primary_from_the_primary(replica):
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Organization) == "default"


def test_router_migrates_the_primary_only():
    assert router.allow_migrate("default", "organizations") is True
    assert router.allow_migrate("replica", "organizations") is False


def test_router_relates_rows_read_from_either_server():
    on_primary, on_replica, elsewhere = Organization(), Organization(), Organization()
    on_primary._state.db, on_replica._state.db, elsewhere._state.db = "default", "replica", "other"

    assert router.allow_relation(on_primary, on_replica) is True
    assert router.allow_relation(on_primary, elsewhere) is False


def _alias_seen(request):
    """The alias a read of Organization gets while the view runs, and the response."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Organization))
        return HttpResponse()

    response = ReplicaReadsMiddleware(view)(request)
    return seen[0], response


@pytest.mark.parametrize("path", ["/bang-dieu-khien/", "/bang-dieu-khien/chi-tiet/", "/bao-cao/", "/api/members/"])
def test_middleware_sends_reads_of_the_read_only_parts_to_the_replica(replica, path):
    alias, _ = _alias_seen(RequestFactory().get(path))

    assert alias == "replica"


@pytest.mark.parametrize("path", ["/dang-vien/", "/to-chuc/", "/nguoi-dung/", "/lich-su/", "/"])
def test_middleware_leaves_other_pages_on_the_primary(replica, path):
    alias, _ = _alias_seen(RequestFactory().get(path))

    assert alias == "default"


def test_middleware_sends_writes_to_the_primary_and_pins_the_browser(replica, settings):
    settings.REPLICA_PIN_SECONDS = 7

    alias, response = _alias_seen(RequestFactory().post("/api/organizations/"))

    assert alias == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 7
    assert response.cookies[PIN_COOKIE]["httponly"] is True


def test_middleware_reads_a_pinned_browser_from_the_primary(replica):
    request = RequestFactory().get("/bang-dieu-khien/")
    request.COOKIES[PIN_COOKIE] = "1"

    alias, response = _alias_seen(request)

    assert alias == "default"
    assert PIN_COOKIE not in response.cookies


def test_middleware_read_only_prefixes_are_the_portal_urls():
    assert reverse("indicators:dashboard") == "/bang-dieu-khien/"
    assert reverse("reports:list") == "/bao-cao/"
    assert reverse("api-members") == "/api/members/"


def test_settings_without_a_replica_have_one_database_and_no_router(settings):
    assert list(settings.DATABASES) == ["default"]
    assert settings.DATABASE_ROUTERS == []
    assert "party_portal.db_routers.ReplicaReadsMiddleware" not in settings.MIDDLEWARE
