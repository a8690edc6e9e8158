"""Trigram search on organizations' folded names (PostgreSQL only; a no-op on SQLite).

`name_folded__contains` is a `LIKE '%…%'`: a B-tree cannot serve it, a GIN index with `gin_trgm_ops` can. The
pg_trgm extension is created here once; members' own index (members 0006) depends on this migration.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "organizations_org_name_folded_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON organizations_organization USING gin (name_folded gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0006_successor_links_from_successor_of")]

    operations = [
        # CreateExtension does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
