"""What every form shares: the table it produces and the organizations a scope covers over a period."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.models import Organization, OrgLevel, Placement


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


def scope_placement(actor, organization_id, on):
    """The scope's placement on `on`: the given organization, or the top of the actor's part of the tree."""
    placements = scoping.visible_placements(actor, on).select_related("organization")
    if organization_id is not None:
        placement = placements.filter(organization_id=organization_id).first()
    else:
        placement = placements.order_by("depth", "path").first()
    if placement is None:
        raise Http404
    return placement


def snapshot_org_ids(actor, placement, on):
    """Ids of the organizations of the scope's subtree on `on` (the tree as it stood that day)."""
    return set(
        scoping.visible_placements(actor, on)
        .filter(path__startswith=placement.path)
        .values_list("organization_id", flat=True)
    )


def _heir(org, successors, on):
    """The organization in force on `on` that took over `org`, following successors, or None."""
    seen = set()
    todo = [org.pk]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for successor in successors.get(current, ()):
            if successor.valid_on(on):
                return successor
            todo.append(successor.pk)
    return None


def period_org_ids(actor, placement, period_start, period_end):
    """Ids of the organizations a form over the period counts: the scope's subtree on its last day, and the units
    that ended inside the period where they went (docs/counting-rules.md §3).

    An ended unit goes where its successor (or the successor of the nearest ended unit above it, for the cells of
    a merged TCCSĐ) sits on the last day; a unit dissolved without successor counts where it last sat.
    """
    ids = snapshot_org_ids(actor, placement, period_end)
    ended = list(Organization.objects.filter(valid_to__gte=period_start, valid_to__lt=period_end))
    if not ended:
        return ids
    successors = {}
    for successor in Organization.objects.filter(successor_of__isnull=False):
        successors.setdefault(successor.successor_of_id, []).append(successor)
    by_id = {org.pk: org for org in ended}
    last = {
        p.organization_id: p
        for p in Placement.objects.filter(organization_id__in=by_id).order_by("valid_from")
        if p.valid_from <= by_id[p.organization_id].valid_to
    }
    for org in ended:
        placement_then = last.get(org.pk)
        chain = [org.pk]
        if placement_then is not None:
            chain += list(reversed(placement_then.ancestor_ids))
        heir = None
        for node in chain:
            # Up through the ended units of the same TCCSĐ only: a district that ended too is not the heir of
            # a TCCSĐ dissolved under it.
            if node not in by_id:
                break
            heir = _heir(by_id[node], successors, period_end)
            if heir is not None or by_id[node].level != OrgLevel.BELOW_GRASSROOTS:
                break
        if heir is not None:
            if heir.pk in ids:
                ids.add(org.pk)
        elif placement_then is not None and _reached(actor, placement, placement_then, org.valid_to):
            ids.add(org.pk)
    return ids


def _reached(actor, scope, placement_then, day):
    """Whether the scope covered a dissolved unit's last position, as the actor may read it on its last day."""
    scope_then = Placement.objects.on(day).filter(organization_id=scope.organization_id).first()
    if scope_then is None or not placement_then.path.startswith(scope_then.path):
        return False
    return scoping.can_access(actor, placement_then.organization_id, day)


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
