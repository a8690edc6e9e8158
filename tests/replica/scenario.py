"""What the portal reads where, on a real primary and its streaming replica (tests/replica/test_streaming_replica.py).

Run in a process of its own (`python -m tests.replica.scenario`) with DATABASE_URL naming the primary and
DATABASE_REPLICA_URL its replica: the test process's own Django is bound to the test database of the machine's
cluster. It migrates the primary, writes, stops the replica's replay so the two differ, then reads through the
Django test client and a job's replica block, and prints what each read saw as one JSON object; the test
asserts on it.
"""

import json
import os
import re
import sys
import time

import django

DASHBOARD = "/bang-dieu-khien/"
OLD_NAME, NEW_NAME, API_NAME = "Đảng bộ tỉnh Gốc", "Đảng bộ tỉnh Mới", "Đảng bộ tỉnh Qua API"
TABLE = re.compile(r'FROM "([a-z_]+)"')
# The pages and API lists of the read-only parts, each read while the replica lags behind the session and the rows.
READ_ONLY_URLS = (
    "indicators:dashboard", "indicators:drilldown", "indicators:progress", "reports:list", "reports:comparison",
    "reports:consolidated", "reports:final_review", "reports:forms", "api-organization-tree", "api-members",
    "api-member-ratings", "api-organization-ratings", "api-submissions", "api-compliance", "api-targets",
    "api-definitions", "api-reports", "api-report-comparison", "api-users", "api-roles",
)  # fmt: skip


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # As tests/conftest.py: the templates' static files without a collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    seen = {
        "routers": settings.DATABASE_ROUTERS,
        "replica_middleware": "party_portal.db_routers.ReplicaReadsMiddleware" in settings.MIDDLEWARE,
    }
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    seen["migrate_seconds"] = round(time.monotonic() - started, 1)
    seen.update(_reads())
    sys.stdout.write(json.dumps(seen) + "\n")


def _reads():
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from organizations.models import Organization, OrgKind
    from organizations.services import organization_rename
    from party_portal.db_routers import PIN_COOKIE, replica_reads
    from tests.factories import make_org, superuser

    seen = {}
    root = superuser()
    province = make_org("P", OrgKind.PROVINCE_COMMITTEE, name=OLD_NAME)
    seen["replica_caught_up"] = _wait_replayed()
    if not seen["replica_caught_up"]:
        # Replaying the migrations can take long on a busy machine: say so rather than fail on a missing row.
        raise SystemExit("the replica did not replay the primary's writes within 120 s")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT name FROM organizations_organization WHERE code = 'P'")
        seen["replica_row_after_wait"] = cursor.fetchone()[0]

    _pause_replay()
    organization_rename(actor=root, organization=province, name=NEW_NAME)
    client = Client()
    # The session is written now, on the primary only: the replica, paused, never sees it.
    client.force_login(root)
    detail = f"/api/organizations/{province.pk}/"

    response = client.get(detail)
    seen["api_get"] = [response.status_code, response.json()["name"]]
    page = client.get(f"/to-chuc/{province.pk}/")
    seen["organization_page_names"] = [name for name in (OLD_NAME, NEW_NAME) if name in page.content.decode()]
    with _tables_read() as tables:
        seen["dashboard_status"] = client.get(DASHBOARD).status_code
    seen["dashboard_tables"] = {alias: sorted(names) for alias, names in tables.items()}

    renamed = client.post(
        f"{detail}rename/", {"effective_on": "2026-01-05", "new_name": API_NAME}, content_type="application/json"
    )
    seen["api_post"] = renamed.status_code
    seen["pin_cookie_max_age"] = renamed.cookies[PIN_COOKIE]["max-age"]
    seen["api_get_pinned"] = client.get(detail).json()["name"]
    del client.cookies[PIN_COOKIE]
    seen["api_get_unpinned"] = client.get(detail).json()["name"]
    seen["read_only_statuses"] = {name: client.get(reverse(name)).status_code for name in READ_ONLY_URLS}

    started = time.monotonic()
    with replica_reads(caught_up=True):
        seen["job_read_replica_paused"] = Organization.objects.get(pk=province.pk).name
    seen["job_wait_seconds"] = round(time.monotonic() - started, 1)

    _resume_replay()
    with replica_reads(caught_up=True):
        organization = Organization.objects.get(pk=province.pk)
        seen["job_read_replica_resumed"] = [organization._state.db, organization.name]
    seen["api_get_resumed"] = client.get(detail).json()["name"]
    seen.update(_report_job(root, province))
    return seen


def _report_job(actor, scope):
    """The province's 2024 report computed by its job's service, with the tables each server was asked for."""
    from reports.services import report_run_execute, report_run_start

    run = report_run_start(actor=actor, year=2024, scope_id=scope.pk, enqueue=False)
    with _tables_read() as tables:
        done = report_run_execute(run.pk)
    return {"report_status": done.status, "report_tables": {alias: sorted(names) for alias, names in tables.items()}}


def _wait_replayed(timeout=120):
    """Whether the replica replayed the primary's current WAL position within `timeout` seconds: its insert
    position, which holds every commit (the test primary runs with synchronous_commit off, so its write position
    can lag behind a commit already returned: the replica then passed it without the row, once under load)."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def _pause_replay():
    from django.db import connections

    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
        for _ in range(200):
            cursor.execute("SELECT pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                return
            time.sleep(0.05)


def _resume_replay():
    from django.db import connections

    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


class _tables_read:
    """{alias: the tables its queries read} for the block."""

    def __enter__(self):
        from django.db import connections

        self.tables = {"default": set(), "replica": set()}
        self.wrappers = []
        for alias in self.tables:
            wrapper = connections[alias].execute_wrapper(self._recorder(alias))
            wrapper.__enter__()
            self.wrappers.append(wrapper)
        return self.tables

    def _recorder(self, alias):
        def record(execute, sql, params, many, context):
            self.tables[alias].update(TABLE.findall(sql))
            return execute(sql, params, many, context)

        return record

    def __exit__(self, *exc):
        for wrapper in reversed(self.wrappers):
            wrapper.__exit__(*exc)


if __name__ == "__main__":
    main()
