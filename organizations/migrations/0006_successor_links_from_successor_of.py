"""Each existing `successor_of` becomes a successor link of a recorded reorganization, dated when the successor
began: one merge per successor (a single predecessor is a merge of one)."""

from collections import defaultdict

from django.db import migrations

NOTE = "Chuyển từ liên kết kế thừa cũ (successor_of)"


def forwards(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Reorganization = apps.get_model("organizations", "Reorganization")
    SuccessorLink = apps.get_model("organizations", "SuccessorLink")
    by_successor = defaultdict(list)
    for successor in Organization.objects.filter(successor_of__isnull=False).order_by("pk"):
        by_successor[successor].append(successor.successor_of_id)
    for successor, predecessors in by_successor.items():
        operation = Reorganization.objects.create(kind="MERGE", effective_on=successor.valid_from, note=NOTE)
        SuccessorLink.objects.bulk_create(
            SuccessorLink(reorganization=operation, predecessor_id=pk, successor=successor) for pk in predecessors
        )


def backwards(apps, schema_editor):
    Reorganization = apps.get_model("organizations", "Reorganization")
    SuccessorLink = apps.get_model("organizations", "SuccessorLink")
    SuccessorLink.objects.filter(reorganization__note=NOTE).delete()
    Reorganization.objects.filter(note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0005_reorganizations")]

    operations = [migrations.RunPython(forwards, backwards)]
