from django.core.management.base import BaseCommand

from members.demo import demo_logins


class Command(BaseCommand):
    help = "Print the demo logins created by seed_demo (username, password, role, organization)."

    def handle(self, *args, **options):
        rows = demo_logins()
        if not rows:
            self.stdout.write("No demo logins in this database (run `manage.py seed_demo` on an empty database).")
            return
        table = [("username", "password", "role", "organization"), *rows]
        widths = [max(len(row[i]) for row in table) for i in range(4)]
        for row in table:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
