"""The router against a real streaming replica: a primary and its replica made by `initdb` and `pg_basebackup -R`
for this test (tests/replica/cluster.py), the portal run on them in a process of its own (tests/replica/scenario.py).

The replica's replay is paused after the first write, so a name read there is the old one: which name a read
returns says which server answered it."""

import os

import pytest

from .cluster import postgres_bin_dir, run_scenario, start_cluster, stop_cluster

OLD_NAME, NEW_NAME, API_NAME = "Đảng bộ tỉnh Gốc", "Đảng bộ tỉnh Mới", "Đảng bộ tỉnh Qua API"


@pytest.fixture(scope="module")
def cluster():
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        # CI installs PostgreSQL and sets REPLICA_TEST_REQUIRED (.ci/run): there the test never skips.
        missing = "PostgreSQL's server programs (/usr/lib/postgresql/<version>/bin) are not installed"
        if os.environ.get("REPLICA_TEST_REQUIRED"):
            pytest.fail(missing)
        pytest.skip(missing)
    made = start_cluster(bin_dir)
    yield made
    stop_cluster(made)


@pytest.fixture(scope="module")
def seen(cluster):
    """What the scenario's reads saw (one JSON object)."""
    return run_scenario(cluster, REPLICA_PIN_SECONDS="7")


@pytest.mark.replica
def test_replica_variable_installs_the_router_and_the_middleware(seen):
    assert seen["routers"] == ["party_portal.db_routers.ReplicaRouter"]
    assert seen["replica_middleware"] is True


@pytest.mark.replica
def test_replica_streams_the_primary_writes(seen):
    assert seen["replica_caught_up"] is True
    assert seen["replica_row_after_wait"] == OLD_NAME


@pytest.mark.replica
def test_api_get_is_served_by_the_replica(seen):
    # Renamed on the primary while the replica's replay was paused: the replica still has the old name.
    assert seen["api_get"] == [200, OLD_NAME]


@pytest.mark.replica
def test_pages_outside_the_read_only_parts_read_the_primary(seen):
    assert seen["organization_page_names"] == [NEW_NAME]


@pytest.mark.replica
def test_dashboard_reads_the_replica_and_the_session_the_primary(seen):
    assert seen["dashboard_status"] == 200
    # The session and its user were written after the replay stopped: read on the primary, they log the user in.
    assert seen["dashboard_tables"]["default"] == ["auth_user", "django_session"]
    assert "organizations_role" in seen["dashboard_tables"]["replica"]
    assert "indicators_program" in seen["dashboard_tables"]["replica"]


@pytest.mark.replica
def test_every_read_only_page_answers_while_the_replica_lags(seen):
    # Read with the replica behind the session, the user and the rename: no page fails for it.
    failed = {name: status for name, status in seen["read_only_statuses"].items() if status >= 500}

    assert len(seen["read_only_statuses"]) == 20
    assert failed == {}


@pytest.mark.replica
def test_a_write_pins_the_client_to_the_primary(seen):
    assert seen["api_post"] == 201
    assert seen["pin_cookie_max_age"] == 7
    assert seen["api_get_pinned"] == API_NAME
    # Without the cookie the same read is the paused replica's again.
    assert seen["api_get_unpinned"] == OLD_NAME


@pytest.mark.replica
def test_a_job_reads_the_primary_while_the_replica_lags(seen):
    assert seen["job_read_replica_paused"] == API_NAME
    assert seen["job_wait_seconds"] >= 1


@pytest.mark.replica
def test_a_job_reads_the_replica_once_it_caught_up(seen):
    assert seen["job_read_replica_resumed"] == ["replica", API_NAME]
    assert seen["api_get_resumed"] == API_NAME


@pytest.mark.replica
def test_a_report_job_computes_on_the_replica_and_writes_its_run_on_the_primary(seen):
    assert seen["report_status"] == "DONE"
    # Claiming the run, its progress and its result: the run's own table, on the primary only.
    assert seen["report_tables"]["default"] == ["reports_reportrun"]
    assert "evaluations_organizationrating" in seen["report_tables"]["replica"]
