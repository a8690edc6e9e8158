"""The migration to report versions: the one row each report had becomes its version 1, not issued."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("reports", "0001_report_run")]
AFTER = [("reports", "0002_report_versions")]


@pytest.mark.django_db(transaction=True)
def test_existing_runs_become_version_one(tree, root_user):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    program = old.get_model("indicators", "Program").objects.create(
        code="CT-TEST", name="Chương trình thử", first_year=2021, last_year=2025
    )
    run_model = old.get_model("reports", "ReportRun")
    for code in ("P", "D1"):
        run_model.objects.create(
            program=program,
            year=2024,
            scope_id=tree[code].pk,
            requested_by_id=root_user.pk,
            requested_at=timezone.now(),
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("reports", "ReportRun")
    rows = list(new.objects.order_by("pk").values_list("scope__code", "version", "number", "issued_at"))
    # Back to the latest schema: the tests that run after this one in the process need the later tables.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert rows == [("P", 1, "", None), ("D1", 1, "", None)]
