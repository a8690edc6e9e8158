from django.core.management.base import BaseCommand

from members.models import Member
from members.tasks import REBUILD_BATCH_SIZE, rebuild_memberships_task


class Command(BaseCommand):
    help = "Re-derive every member's stints on the rolls from the movement events, in Celery jobs."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process instead of enqueueing.")

    def handle(self, *args, now=False, **options):
        ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
        batches = [ids[i : i + REBUILD_BATCH_SIZE] for i in range(0, len(ids), REBUILD_BATCH_SIZE)]
        for batch in batches:
            if now:
                changed = rebuild_memberships_task(batch)
                self.stdout.write(f"{len(batch)} members checked, {changed} repaired")
            else:
                rebuild_memberships_task.delay(batch)
        if not now:
            self.stdout.write(f"{len(batches)} jobs enqueued for {len(ids)} members")
