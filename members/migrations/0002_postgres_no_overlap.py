"""On PostgreSQL a member cannot be on two rolls at once: the database refuses overlapping stints."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE members_membership ADD CONSTRAINT membership_no_overlap
       EXCLUDE USING gist (member_id WITH =, daterange(start, "end", '[)') WITH &&)""",
]
BACKWARD = ["ALTER TABLE members_membership DROP CONSTRAINT IF EXISTS membership_no_overlap"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("organizations", "0002_postgres_no_overlap")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
