"""Every read of the reporting pages, scoped by the acting user: the overview of a year, a unit with its plans and
reviews, a review with its figures (frozen beside live), the reporting list and the due dates."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from indicators import figure_cells
from indicators.selectors import compliance, default_program
from organizations import policy, scoping
from organizations.models import OrgLevel, Placement, RoleKind

from . import duties, services
from .models import SECTIONS, DueDate, DutyKind, ImplementationPlan, ReportingUnit, ReviewStatus, YearlyReview

# The overview's filters.
FILTER_NO_PLAN = "chua-co-ke-hoach"
FILTER_LATE = "cham"
FILTER_NOT_SENT = "chua-gui"
FILTERS = (FILTER_NO_PLAN, FILTER_LATE, FILTER_NOT_SENT)


def program():
    return default_program()


def _require_view(actor):
    if not policy.can(actor, policy.VIEW):
        raise PermissionDenied(policy.refusal(actor, policy.VIEW))


def unit_get(*, actor, unit_id):
    """A reporting unit the actor may read; 404 for one outside its part of the tree (it is not named)."""
    _require_view(actor)
    unit = duties.visible_units(actor=actor, program=program()).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def review_get(*, actor, review_id):
    review = YearlyReview.objects.select_related("unit__program", "submitted_by", "decided_by").filter(pk=review_id)
    review = review.first()
    if review is None:
        raise Http404
    unit_get(actor=actor, unit_id=review.unit_id)
    return review


@dataclass
class OverviewRow:
    unit: ReportingUnit
    plan: duties.Duty | None
    review: duties.Duty | None
    plan_state: str = ""
    review_state: str = ""


def overview(*, actor, year, only="", today=None):
    """Every visible unit's plan and `year` review with their states; `only` keeps the units without a plan,
    the late ones (overdue, or sent late) or those that have not sent the review."""
    _require_view(actor)
    today = today or timezone.localdate()
    prog = program()
    plans = {d.unit.pk: d for d in duties.plan_duties(actor=actor, program=prog, today=today)}
    reviews = {d.unit.pk: d for d in duties.review_duties(actor=actor, program=prog, year=year, today=today)}
    # The units that existed in the year: a commune formed in 2025 is not on the 2024 overview, nor a district
    # abolished in 2025 on the 2026 one.
    first, last = date(year, 1, 1), date(year, 12, 31)
    units = {
        d.unit.pk: d.unit
        for d in (*plans.values(), *reviews.values())
        if d.unit.valid_from <= last and (d.unit.valid_to is None or d.unit.valid_to >= first)
    }
    rows = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        plan, review = plans.get(unit.pk), reviews.get(unit.pk)
        row = OverviewRow(
            unit=unit,
            plan=plan,
            review=review,
            plan_state=plan.state(today) if plan else "",
            review_state=review.state(today) if review else "",
        )
        rows.append(row)
    if only == FILTER_NO_PLAN:
        rows = [r for r in rows if r.plan is not None and r.plan.done_on is None]
    elif only == FILTER_LATE:
        rows = [
            r for r in rows if duties.OVERDUE in (r.plan_state, r.review_state) or r.review_state == duties.DONE_LATE
        ]
    elif only == FILTER_NOT_SENT:
        rows = [r for r in rows if r.review is not None and r.review.done_on is None]
    return rows


def unit_reviews(*, actor, unit, today=None):
    """The unit's review duty of every program year it owes, newest first (a year without a review row too)."""
    prog = unit.program
    rows = []
    for year in reversed(prog.years):
        if date(year, 1, 1) > (today or timezone.localdate()):
            continue
        found = [d for d in duties.review_duties(actor=actor, program=prog, year=year, today=today) if d.unit == unit]
        if found:
            rows.append(found[0])
    return rows


def unit_plans(*, unit):
    return list(unit.plans.select_related("recorded_by"))


@dataclass
class FigureRow:
    code: str
    name: str
    frozen: str
    live: str
    target: str
    verdict: str
    differs: bool


@dataclass
class ReviewFigures:
    rows: list = field(default_factory=list)
    frozen: bool = False
    as_of: object = None
    provisional: bool = False
    any_differs: bool = False


def _definitions(payload):
    return {d["code"]: d for d in payload.get("definitions", [])}


def _value_text(figure, unit):
    return figure_cells.cell_text(figure_cells.value(figure, unit))


def live_figures(*, actor, unit, year):
    """The unit's six target figures computed now, in the shape a submission freezes, or None outside the tree."""
    if not unit.in_tree:
        return None
    result = compliance(actor=actor, year=year, scope_id=unit.organization_id, program=unit.program)
    return services.figures_payload(result, result.scope)


def review_figures(*, actor, review):
    """The review's figures: frozen ones beside the live ones once submitted (a row says when they differ), the
    live ones while it is a draft or returned."""
    unit = review.unit
    if not unit.in_tree:
        return ReviewFigures()
    live = live_figures(actor=actor, unit=unit, year=review.year)
    frozen = review.figures if review.figures and not review.is_editable else None
    shown = frozen or live
    live_indicators = live["scope"]["indicators"]
    definitions = _definitions(shown)
    result = ReviewFigures(
        frozen=frozen is not None,
        as_of=review.figures_as_of if frozen else timezone.now(),
        provisional=shown.get("provisional", False),
    )
    for code, figure in shown["scope"]["indicators"].items():
        definition = definitions.get(code, {})
        unit_kind = definition.get("unit", "PERCENT")
        now = live_indicators.get(code)
        differs = (
            frozen is not None
            and now is not None
            and ((now["numerator"], now["denominator"]) != (figure["numerator"], figure["denominator"]))
        )
        result.rows.append(
            FigureRow(
                code=code,
                name=definition.get("short_name_vi") or definition.get("name_vi") or code,
                frozen=_value_text(figure, unit_kind),
                live=_value_text(now, unit_kind) if now is not None else "—",
                target=figure_cells.cell_text(figure_cells.target(figure, unit_kind)),
                verdict=figure_cells.cell_text(figure_cells.verdict(figure)),
                differs=differs,
            )
        )
    result.any_differs = any(row.differs for row in result.rows)
    return result


def review_sections(review):
    """(field name, title, text) of the six sections, in the report's order."""
    return [(name, YearlyReview._meta.get_field(name).verbose_name, getattr(review, name)) for name in SECTIONS]


def review_due_on(review):
    default = DueDate.objects.filter(
        program=review.unit.program, kind=DutyKind.REVIEW, year=review.year, unit__isnull=True
    ).first()
    own = DueDate.objects.filter(program=review.unit.program, kind=DutyKind.REVIEW, year=review.year, unit=review.unit)
    own = own.first()
    row = own or default
    return row.due_on if row else None


def can_edit_review(actor, review):
    return review.is_editable and policy.can(
        actor, policy.SUBMIT_REVIEWS, review.unit.parent_id, on=duties.acting_day(review.unit)
    )


def can_decide_review(actor, review):
    return review.status == ReviewStatus.SUBMITTED and policy.can(
        actor, policy.RECEIVE_REVIEWS, review.unit.parent_id, on=duties.acting_day(review.unit)
    )


def can_write_for(actor, unit):
    return policy.can(actor, policy.SUBMIT_REVIEWS, unit.parent_id, on=duties.acting_day(unit))


def unit_list(*, actor):
    """The program's reporting list as the actor may read it, by code."""
    _require_view(actor)
    return list(duties.visible_units(actor=actor, program=program()).order_by("code"))


def due_dates(*, actor, year):
    """The program's default due dates (the plan's and `year`'s review) and the units' own dates for them."""
    _require_view(actor)
    prog = program()
    visible = duties.visible_units(actor=actor, program=prog).values("pk")
    rows = DueDate.objects.filter(program=prog).filter(year__isnull=True) | DueDate.objects.filter(
        program=prog, year=year
    )
    rows = rows.select_related("unit")
    defaults = {row.kind: row for row in rows if row.unit_id is None}
    own = [row for row in rows.filter(unit__in=visible) if row.unit_id is not None]
    return defaults, own


def year_choices():
    prog = program()
    today = scoping.today()
    return [year for year in prog.years if date(year, 1, 1) <= today] or prog.years[:1]


def default_year(*, actor, years):
    """The year the overview opens on: the latest of `years` in which a unit the actor reads owes a review (a cadre
    of a district abolished on 30/06/2025 lands on 2024, not on a year its district owes nothing), else the latest."""
    units = duties.visible_units(actor=actor, program=program())
    for year in reversed(years):
        if duties.units_owing_review(units, year).exists():
            return year
    return years[-1]


def plan_get(*, actor, plan_id):
    plan = ImplementationPlan.objects.select_related("unit").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    unit_get(actor=actor, unit_id=plan.unit_id)
    return plan


def committee_choices(*, actor):
    """The district-level organizations the Board may add to the reporting list (any that ever existed)."""
    placements = Placement.objects.filter(
        organization__level=OrgLevel.UPPER_GRASSROOTS,
        organization_id__in=scoping.writable_now_org_ids(actor, kinds=[RoleKind.BOARD]),
    ).select_related("organization")
    return sorted({p.organization for p in placements}, key=lambda org: org.code)


# The words before a place's name in the names of the Party's committees (the document's "place, date" line).
PLACE_PREFIXES = (
    "Đảng bộ tỉnh ",
    "Đảng bộ thành phố ",
    "Huyện ủy ",
    "Thị ủy ",
    "Thành ủy ",
    "Đảng ủy xã ",
    "Đảng ủy phường ",
    "Đảng ủy đặc khu ",
    "Đảng ủy ",
)


def superior_of(unit):
    """The body above the issuing unit on its documents: the province for a committee (where it last sat in the
    tree) and for a unit outside the tree."""
    if not unit.in_tree:
        return unit.parent
    placement = Placement.objects.filter(organization=unit.organization).select_related("parent")
    placement = placement.order_by("-valid_from").first()
    return placement.parent if placement is not None and placement.parent is not None else unit.parent


def place_of(unit):
    """The place a unit's document is dated at: its committee's place, or the province's for a unit outside
    the tree."""
    name = (unit.organization or unit.parent).name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
