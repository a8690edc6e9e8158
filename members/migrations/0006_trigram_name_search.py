"""Trigram search on members' folded names (PostgreSQL only; a no-op on SQLite).

The member list's search is `name_folded LIKE '%nguyen van%'`: a GIN index with `gin_trgm_ops` serves it where
the B-tree on name_folded could only be walked end to end. pg_trgm is created by organizations 0007.
"""

from django.db import migrations

INDEX = "members_member_name_folded_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (name_folded gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_seed_codes"),
        ("organizations", "0007_trigram_name_search"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
