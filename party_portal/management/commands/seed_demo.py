import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from evaluations.demo import seed_ratings
from indicators.services import snapshot_refresh
from members.demo import SIZES, build_demo
from organizations.models import Organization
from party_portal.replicate import COPIED_SIZES, ReplicationError, Replicator
from reviews.demo import seed_reporting

# The project package orchestrates the apps' generators: members (tree, people, history), then
# evaluations (2020–2025 ratings), then indicators (the dashboard snapshots of every year), then reviews (the
# reporting units, their plans and yearly reviews). The national and merged-province sizes then copy that
# province inside PostgreSQL (party_portal/replicate.py) and compute the figures of every copy.


class Command(BaseCommand):
    help = (
        "Load the deterministic demo province: tree, members and their 2019–2025 history, ratings 2020–2025, "
        "dashboard figures, demo logins. 'national' and 'xlarge' (PostgreSQL only) copy a generated province "
        "into 34 provinces, or into one merged province of four."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=[*SIZES, *COPIED_SIZES], default="province")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has organizations."
        )

    def handle(self, *args, size, seed, if_empty, **options):
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("The database already has organizations: the demo province was not loaded.")
                return
            raise CommandError("The database already has organizations; the demo province loads into an empty one.")
        copied = COPIED_SIZES.get(size)
        if copied and connection.vendor != "postgresql":
            raise CommandError(
                f"The '{size}' demo is built inside PostgreSQL only; this database is {connection.vendor}."
            )
        summary = build_demo(size=copied.template if copied else size, seed=seed)
        started = time.perf_counter()
        summary.counts["member_ratings"] = seed_ratings(seed=seed)
        self._refresh_figures()
        # The reporting cycle last: its reviews freeze the figures of the snapshots just computed. It covers the
        # generated province only: its logins and roles are the first province's.
        summary.counts["yearly_reviews"] = seed_reporting(seed=seed)
        rated = time.perf_counter() - started
        copy_seconds = self._copy(copied) if copied else 0.0
        counts = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in summary.counts.items())
        generated, written = summary.generate_seconds, summary.write_seconds
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo province '{summary.size}' (seed {seed}) loaded in {generated + written + rated:.1f} s "
                f"(generated in {generated:.1f} s, written in {written:.1f} s, ratings and figures in {rated:.1f} s): "
                f"{counts}."
            )
        )
        if copied:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo '{size}': {copied.copies} copies and the figures of every province in {copy_seconds:.1f} s "
                    f"({Organization.objects.count():,} organizations in all)."
                )
            )

    def _copy(self, copied):
        started = time.perf_counter()
        try:
            replicator = Replicator(copies=copied.copies, graft=copied.graft)
            replicator.run(progress=lambda copy: self.stdout.write(f"  copy {copy.number}: {copy.place}"))
        except ReplicationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"  {copied.copies} copies written in {time.perf_counter() - started:.1f} s")
        self._refresh_figures()
        return time.perf_counter() - started

    def _refresh_figures(self):
        # Fresh statistics after a bulk load, before the figures are computed: without them PostgreSQL planned the
        # indicator queries as nested loops over "2 rows" of placements (measured: 68 s instead of 1.8 s on the
        # large province) and walked every stint for each member rating.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for year in range(2020, 2026):
            snapshot_refresh(year=year)
