from django.core.management.base import BaseCommand, CommandError

from members.demo import SIZES, build_demo
from organizations.models import Organization


class Command(BaseCommand):
    help = "Load the deterministic demo province (tree, members and their 2019–2025 history, demo logins)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="province")
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
        summary = build_demo(size=size, seed=seed)
        counts = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in summary.counts.items())
        generated, written = summary.generate_seconds, summary.write_seconds
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo province '{size}' (seed {seed}) loaded in {generated + written:.1f} s "
                f"(generated in {generated:.1f} s, written in {written:.1f} s): {counts}."
            )
        )
