"""On PostgreSQL (the system of record) the database itself refuses overlapping validity periods.

SQLite, the embedded demo, has no exclusion constraints; there the services check the same rule.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE organizations_organization ADD CONSTRAINT org_code_no_overlap
       EXCLUDE USING gist (code WITH =, daterange(valid_from, valid_to, '[]') WITH &&)""",
    """ALTER TABLE organizations_placement ADD CONSTRAINT placement_no_overlap
       EXCLUDE USING gist (organization_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)""",
]
BACKWARD = [
    "ALTER TABLE organizations_placement DROP CONSTRAINT IF EXISTS placement_no_overlap",
    "ALTER TABLE organizations_organization DROP CONSTRAINT IF EXISTS org_code_no_overlap",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
