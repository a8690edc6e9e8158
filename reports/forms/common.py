"""What every form shares: the table it produces and the organizations a scope covers over a period."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Code
from organizations.models import Organization
from organizations.periods import period_org_ids, scope_placement, snapshot_org_ids

__all__ = ["period_org_ids", "scope_placement", "snapshot_org_ids"]


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "count"  # excel_lists kinds: text, code, count, date, percent
    width: float = 12


@dataclass(frozen=True)
class Line:
    """One row of a form: its label, a value per column, and its depth (0 = a heading row in bold)."""

    label: str
    values: tuple
    depth: int = 1
    key: str = ""


@dataclass(frozen=True)
class FormTable:
    form: str
    number: str  # "Biểu số 1-BTCTW"
    title: str
    label_header: str
    columns: tuple
    lines: tuple
    scope: Organization
    period_start: date
    period_end: date
    notes: tuple = ()

    def value(self, key, column=0):
        """The value of the row named `key` in `column` (tests and the API read cells by name)."""
        for line in self.lines:
            if line.key == key:
                return line.values[column]
        raise KeyError(key)

    def as_dict(self):
        return {
            "form": self.form,
            "number": self.number,
            "title": str(self.title),
            "scope": {"code": self.scope.code, "name": self.scope.name},
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "columns": [str(column.label) for column in self.columns],
            "rows": [
                {
                    "key": line.key,
                    "label": str(line.label),
                    "depth": line.depth,
                    "values": [_json(v) for v in line.values],
                }
                for line in self.lines
            ],
            "notes": [str(note) for note in self.notes],
        }


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


def eve(day):
    return day - timedelta(days=1)


def year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return date(day.year - 1, 2, 28)


def ratio(now, before):
    """Column 4 of the forms, "(%) kỳ này so với cùng kỳ năm trước" = 2 × 100 / 3; empty when 3 is zero."""
    return round(now * 100 / before, 2) if before else None


COMPARED_COLUMNS = (
    Column(_("This period")),
    Column(_("Same period last year")),
    Column(_("This period against last year, per cent"), "percent"),
)


def this_and_last_year(actor, organization_id, period_start, period_end, figures):
    """The scope's placement and `figures(org_ids, start, end)` for the period and the same period a year before
    (None values when the scope did not exist then), each over the units of its own period."""
    placement = scope_placement(actor, organization_id, period_end)
    now = figures(period_org_ids(actor, placement, period_start, period_end), period_start, period_end)
    before_start, before_end = year_before(period_start), year_before(period_end)
    try:
        previous = scope_placement(actor, placement.organization_id, before_end)
    except Http404:
        return placement, now, dict.fromkeys(now)
    return placement, now, figures(period_org_ids(actor, previous, before_start, before_end), before_start, before_end)


def compared_line(key, label, depth, now, before):
    value, earlier = now[key], before[key]
    if value is None:  # a heading row
        return Line(label, (None, None, None), depth, key)
    return Line(label, (value, earlier, ratio(value, earlier) if earlier is not None else None), depth, key)


def code_rows(code_list, prefix):
    """(key, label, code id) for each code of a coded list in the Board's order, then the members without one
    (code id None): the forms' occupation, education and qualification rows follow the list, so a code the Board
    adds is a row of its own."""
    english = (get_language() or "").startswith("en")
    rows = [
        (f"{prefix}_{code.lower()}", name_en if english and name_en else name, pk)
        for pk, code, name, name_en in Code.objects.filter(list=code_list).values_list("pk", "code", "name", "name_en")
    ]
    return [*rows, (f"{prefix}_none", _("not recorded"), None)]
