import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from organizations import policy
from organizations.models import Organization
from reports.forms import FORMS, compute, export


def _day(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    except ValueError:
        pass
    raise CommandError(f"Ngày không hợp lệ: {text} (dùng dd/mm/yyyy hoặc yyyy-mm-dd).")


class Command(BaseCommand):
    help = "Write one of the Party's statistics forms (Biểu 1, 3, 5, the register) for a scope and a period."

    def add_arguments(self, parser):
        parser.add_argument("--form", choices=list(FORMS), required=True)
        parser.add_argument("--year", type=int, help="01/01 to 31/12 of the year")
        parser.add_argument("--from", dest="start", help="first day of the period (with --to)")
        parser.add_argument("--to", dest="end", help="last day of the period")
        parser.add_argument("--scope", help="organization code (default: the top of the user's scope)")
        parser.add_argument("--out", help="write the Excel workbook here; without it the form is printed as JSON")
        parser.add_argument("--user", help="compute as this user (scoping applies); default: a superuser")

    def handle(self, *args, form, year=None, start=None, end=None, scope=None, out=None, user=None, **options):
        actor = self._actor(user)
        period_start, period_end = self._period(year, start, end)
        scope_id = None
        if scope:
            org = Organization.objects.filter(code=scope).order_by("-valid_from").first()
            if org is None:
                raise CommandError(f"Không có tổ chức mã {scope}.")
            scope_id = org.pk
        try:
            table = compute(
                form, actor=actor, organization_id=scope_id, period_start=period_start, period_end=period_end
            )
        except Http404 as error:
            raise CommandError(
                f"Tổ chức {scope} không tồn tại ngày {period_end:%d/%m/%Y} hoặc ngoài phạm vi."
            ) from error
        if out:
            with open(out, "wb") as handle:
                handle.write(export.workbook(table))
            self.stdout.write(f"{table.number}: {out}")
            return
        self.stdout.write(json.dumps(table.as_dict(), ensure_ascii=False, indent=2))

    def _period(self, year, start, end):
        if start or end:
            if not (start and end):
                raise CommandError("Cần cả --from và --to.")
            first, last = _day(start), _day(end)
            if first > last:
                raise CommandError("--to trước --from.")
            return first, last
        if year is None:
            raise CommandError("Cần --year hoặc --from và --to.")
        return date(year, 1, 1), date(year, 12, 31)

    def _actor(self, username):
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {username}.")
            return actor
        actor = policy.system_actor()
        if actor is None:
            raise CommandError("Cần một tài khoản quản trị (createsuperuser) hoặc --user.")
        return actor
