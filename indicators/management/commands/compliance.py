import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from indicators import figure_cells
from indicators.models import Comparator
from indicators.selectors import compliance
from organizations import policy
from organizations.models import Organization

STATUS_WORDS = {"met": "ĐẠT", "not_met": "KHÔNG ĐẠT", "no_data": "CHƯA CÓ SỐ LIỆU"}


def percent(value):
    """ "91.2400" → "91,24 %" (two decimals, decimal comma)."""
    if value is None:
        return "—"
    return f"{float(value):.2f}".replace(".", ",") + " %"


def _number(cell):
    """A figure's value in its unit, with a decimal comma: "91,24 %", "3,25 ‰", or a count as it is."""
    if cell.value is None:
        return "—"
    if cell.kind == figure_cells.INT:
        return str(cell.value)
    return f"{float(cell.value):.2f}".replace(".", ",") + figure_cells.SUFFIXES[cell.kind]


class Command(BaseCommand):
    help = (
        "Print the program's indicators for a year and a scope (default: the province). JSON: docs/compliance-json.md"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--scope", help="organization code (default: the top of the user's scope)")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--user", help="compute as this user (scoping applies); default: a superuser")

    def handle(self, *args, year, scope=None, format="table", user=None, **options):
        actor = self._actor(user)
        scope_id = None
        if scope:
            org = Organization.objects.filter(code=scope).order_by("-valid_from").first()
            if org is None:
                raise CommandError(f"Không có tổ chức mã {scope}.")
            scope_id = org.pk
        try:
            result = compliance(actor=actor, year=year, scope_id=scope_id)
        except Http404 as error:
            raise CommandError(f"Tổ chức {scope} không tồn tại ngày 31/12/{year} hoặc ngoài phạm vi.") from error
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self._table(result)

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

    def _table(self, result):
        scope = result.scope
        self.stdout.write(
            f"{scope.node.code} – {scope.node.name} · năm {result.year} (cây tổ chức ngày 31/12/{result.year})"
        )
        if result.provisional:
            self.stdout.write(f"Năm {result.year} chưa khoá sổ: kết quả tạm tính theo số đã đánh giá (cột bao phủ).")
        header = (
            f"{'chỉ tiêu':<14} {'số tính':>8} {'tổng số':>8} {'giá trị':>10} {'ngưỡng':>9} "
            f"{'kết quả':<21} {'biên':>6} {'bao phủ':>10}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for code, figure in scope.figures.items():
            data = figure.as_dict()
            unit = result.definitions[code].unit
            status = STATUS_WORDS[data["status"]]
            if data["threshold"] is None:
                status = "theo dõi"  # a tracked figure without a threshold: shown, not judged
            elif not figure.judged:
                status += " (tiến độ)"
            elif figure.provisional and data["status"] != "no_data":
                status += " (tạm tính)"
            threshold = ""
            if data["threshold"] is None:
                status = "THEO DÕI"  # a tracked figure without a threshold is shown, not judged
            else:
                suffix = figure_cells.SUFFIXES[figure_cells.unit_kind(unit)]
                threshold = f"{Comparator(data['comparator']).label} {data['threshold'].replace('.', ',')}{suffix}"
            value = figure_cells.value(data, unit)
            margin = "" if data["margin"] is None else f"{data['margin']:+d}"
            self.stdout.write(
                f"{code:<14} {data['numerator']:>8} {data['denominator']:>8} {_number(value):>10} "
                f"{threshold:>9} {status:<21} {margin:>6} {percent(data['coverage']['ratio']):>10}"
            )
        for code, rate in result.program_rates.items():
            rate = rate.as_dict()
            self.stdout.write(
                f"{code} cả chương trình {rate['years'][0] if rate['years'] else ''}–{result.year}: bình quân "
                f"{percent(rate['mean_ratio'])}, gộp {percent(rate['pooled_ratio'])} → {STATUS_WORDS[rate['status']]}"
            )
        first = next(iter(scope.figures), None)  # the first figure in display order
        if result.children:
            self.stdout.write("")
            self.stdout.write(
                "Đơn vị trực thuộc: "
                + ", ".join(
                    f"{child.node.code} {first} {percent(child.figures[first].as_dict()['ratio'])}"
                    for child in result.children
                    if first in child.figures
                )
            )
