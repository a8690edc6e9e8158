"""Biểu số 1-BTCTW, tăng, giảm đảng viên: the rolls at the start, the increases and decreases by kind, the rolls
at the end, for this period and the same period a year before (end = start + increases − decreases)."""

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from members.models import Member, Membership, MovementEvent, MovementKind, TransferScope

from .common import COMPARED_COLUMNS, FormTable, compared_line, eve, this_and_last_year

IN = MovementKind.TRANSFER_IN
OUT = MovementKind.TRANSFER_OUT
WITHIN = TransferScope.WITHIN_PROVINCE
OUTSIDE = TransferScope.OUTSIDE_PROVINCE

# (row key, label, depth, movements counted: (kind, transfer scope or None for any))
INCREASES = (
    ("admitted", _("1. Admitted"), 1, ((MovementKind.ADMITTED, None), (MovementKind.READMITTED, None))),
    ("readmitted", _("of which: re-admitted"), 2, ((MovementKind.READMITTED, None),)),
    ("transfer_in", _("2. Transferred in"), 1, ((IN, None),)),
    ("transfer_in_outside", _("a. From another province"), 2, ((IN, OUTSIDE),)),
    ("transfer_in_within", _("b. From elsewhere in the province"), 2, ((IN, WITHIN),)),
    ("restored", _("3. Membership restored"), 1, ((MovementKind.RESTORED, None),)),
)
DECREASES = (
    ("deceased", _("1. Deceased"), 1, ((MovementKind.DECEASED, None),)),
    ("expelled", _("2. Expelled"), 1, ((MovementKind.EXPELLED, None),)),
    ("struck_off", _("3. Struck off"), 1, ((MovementKind.STRUCK_OFF, None),)),
    ("struck_off_probationary", _("of which: probationary members"), 2, ()),
    ("withdrawn", _("4. Withdrew from the Party"), 1, ((MovementKind.WITHDRAWN, None),)),
    ("transfer_out", _("5. Transferred out"), 1, ((OUT, None),)),
    ("transfer_out_outside", _("a. To another province"), 2, ((OUT, OUTSIDE),)),
    ("transfer_out_within", _("b. Elsewhere in the province"), 2, ((OUT, WITHIN),)),
)


def _counted(counts, wanted):
    return sum(n for (kind, scope), n in counts.items() for k, s in wanted if kind == k and (s is None or scope == s))


def _probationary_struck_off(org_ids, period_start, period_end):
    """Struck-off members still probationary that day (admitted less than 12 months before)."""
    rows = MovementEvent.objects.filter(
        organization_id__in=org_ids, kind=MovementKind.STRUCK_OFF, date__gte=period_start, date__lte=period_end
    ).values_list("date", "member__admission_date")
    return sum(1 for day, admitted in rows if not Member(admission_date=admitted).is_official_on(day))


def figures(org_ids, period_start, period_end):
    """The form's column for one period over a fixed set of organizations: {row key: count}."""
    start = Membership.objects.filter(organization_id__in=org_ids, start__lte=eve(period_start))
    start = start.exclude(end__lte=eve(period_start)).count()
    end = Membership.objects.filter(organization_id__in=org_ids, start__lte=period_end)
    end = end.exclude(end__lte=period_end).count()
    counts = Counter()
    grouped = (
        MovementEvent.objects.filter(organization_id__in=org_ids, date__gte=period_start, date__lte=period_end)
        .values("kind", "transfer_scope")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        counts[(row["kind"], row["transfer_scope"])] += row["n"]
    result = {"start": start, "end": end}
    for key, _label, _depth, wanted in (*INCREASES, *DECREASES):
        result[key] = _counted(counts, wanted)
    result["struck_off_probationary"] = _probationary_struck_off(org_ids, period_start, period_end)
    result["increase"] = sum(result[key] for key, _l, depth, _w in INCREASES if depth == 1)
    result["decrease"] = sum(result[key] for key, _l, depth, _w in DECREASES if depth == 1)
    return result


def compute(*, actor, organization_id, period_start, period_end):
    """Biểu 1 for the scope over the period, the units that ended inside it included."""
    placement, now, before = this_and_last_year(actor, organization_id, period_start, period_end, figures)

    def line(key, label, depth):
        return compared_line(key, label, depth, now, before)

    lines = [line("start", _("A. Members on the rolls at the end of the previous period"), 0)]
    lines.append(line("increase", _("B. Increases in the period"), 0))
    lines += [line(key, label, depth) for key, label, depth, _w in INCREASES]
    lines.append(line("decrease", _("C. Decreases in the period"), 0))
    lines += [line(key, label, depth) for key, label, depth, _w in DECREASES]
    lines.append(line("end", _("D. Members on the rolls at the end of the period"), 0))
    return FormTable(
        form="bieu1",
        number="Biểu số 1-BTCTW",
        title=_("Statistics of the increase and decrease of party members"),
        label_header=_("Item"),
        columns=COMPARED_COLUMNS,
        lines=tuple(lines),
        scope=placement.organization,
        period_start=period_start,
        period_end=period_end,
        notes=(
            _(
                "A transfer between two units of the scope is counted at both: once transferred out, once "
                "transferred in. Units that ended inside the period are counted where their successor sits."
            ),
        ),
    )
