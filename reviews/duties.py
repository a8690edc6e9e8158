"""What each reporting unit owes under a program, by when, and what it has sent: the one reading of duties that the
review pages, the progress overview, the reminders and the province's consolidated report share.

A unit owes a plan when `owes_plan`, and a review of year Y when `owes_reviews` and it exists on 31/12/Y (a district
committee abolished on 30/06/2025 owes no 2025 review; a commune formed on 01/07/2025 does). The due date is the
unit's own row for that duty, else the program's default; without either nothing is due yet, so nothing is late.
A review is on time when its first submission (`submitted_at`) falls on or before the due date; a plan when its
earliest plan was issued on or before it. A unit formed after the program's default plan due date (a commune of
01/07/2025) cannot have met it: without a date of its own, its plan is due PLAN_DAYS_AFTER_FORMING days after it was
formed.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from organizations import scoping

from .models import DueDate, DutyKind, ImplementationPlan, ReportingUnit, YearlyReview

# The states of a duty, as the overview, the reminders and the consolidated report name them.
NOT_DUE = "not_due"  # no due date yet, or before it and nothing sent
DONE = "done"  # sent on or before the due date (a review: submitted, whatever came of it after)
DONE_LATE = "done_late"  # sent after the due date
OVERDUE = "overdue"  # past the due date and nothing sent

# How long a unit formed after the program's plan due date has for its own plan (the program gave the units about a
# quarter: adopted in December 2020, plans due by 31/03/2021).
PLAN_DAYS_AFTER_FORMING = 90


@dataclass(frozen=True)
class Duty:
    unit: ReportingUnit
    kind: str
    year: int | None
    due_on: date | None
    # The day the duty was met (a plan's issue date, a review's first submission), or None.
    done_on: date | None
    review: YearlyReview | None = None
    plan: ImplementationPlan | None = None

    def state(self, today=None):
        today = today or timezone.localdate()
        if self.done_on is not None:
            return DONE_LATE if self.due_on is not None and self.done_on > self.due_on else DONE
        if self.due_on is not None and today > self.due_on:
            return OVERDUE
        return NOT_DUE

    def days_left(self, today=None):
        """Days until the due date (negative when past), or None without one."""
        if self.due_on is None:
            return None
        return (self.due_on - (today or timezone.localdate())).days


def visible_units(*, actor, program, on=None, today=None):
    """The reporting units of the program the actor may read: a committee through its own organization, a unit
    outside the tree through the organization it reports through (the province).

    Without `on`, each unit is read on its own last day up to today: a district committee that ended on 30/06/2025
    stays visible (through its organization as it stood then) to whoever may read that organization's past."""
    units = ReportingUnit.objects.filter(program=program).select_related("organization", "parent")
    if on is not None:
        org_ids = scoping.visible_placements(actor, on).values("organization_id")
        return units.filter(parent_id__in=org_ids)
    today = today or scoping.today()
    current = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    reach = current & Q(parent_id__in=scoping.visible_placements(actor, today).values("organization_id"))
    ended = units.filter(valid_to__lt=today).order_by().values_list("valid_to", flat=True).distinct()
    for last_day in sorted(set(ended)):
        seen = scoping.visible_placements(actor, last_day).values("organization_id")
        reach |= Q(valid_to=last_day, parent_id__in=seen)
    return units.filter(reach)


def acting_day(unit, today=None):
    """The day a write for the unit is checked on: today, or its last day once it has ended (the Board still
    records and receives an abolished committee's reviews; its own cadres' roles ended with it)."""
    today = today or scoping.today()
    return unit.valid_to if unit.valid_to is not None and unit.valid_to < today else today


def plan_due_on(unit, default, own):
    """The unit's own plan due date, else the program's default, moved to PLAN_DAYS_AFTER_FORMING days after the
    unit's forming when it was formed after that default."""
    if unit.pk in own:
        return own[unit.pk]
    if default is not None and unit.valid_from > default:
        return unit.valid_from + timedelta(days=PLAN_DAYS_AFTER_FORMING)
    return default


def units_owing_review(units, year):
    end = date(year, 12, 31)
    return units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end), owes_reviews=True, valid_from__lte=end)


def _due_dates(program, kind, year):
    rows = DueDate.objects.filter(program=program, kind=kind, year=year)
    default = next((row.due_on for row in rows if row.unit_id is None), None)
    return default, {row.unit_id: row.due_on for row in rows if row.unit_id is not None}


def review_duties(*, actor, program, year, today=None):
    """Every review of `year` owed by a unit the actor may read, with its due date and what was sent, by unit code.
    Three queries whatever the number of units."""
    units = list(units_owing_review(visible_units(actor=actor, program=program, today=today), year).order_by("code"))
    default, own = _due_dates(program, DutyKind.REVIEW, year)
    reviews = {r.unit_id: r for r in YearlyReview.objects.filter(unit__in=[u.pk for u in units], year=year)}
    duties = []
    for unit in units:
        review = reviews.get(unit.pk)
        submitted = review.submitted_at if review is not None else None
        duties.append(
            Duty(
                unit=unit,
                kind=DutyKind.REVIEW,
                year=year,
                due_on=own.get(unit.pk, default),
                done_on=timezone.localdate(submitted) if submitted is not None else None,
                review=review,
            )
        )
    return duties


def plan_duties(*, actor, program, today=None):
    """Every implementation plan owed by a unit the actor may read, with its due date and the earliest plan."""
    units = list(visible_units(actor=actor, program=program, today=today).filter(owes_plan=True).order_by("code"))
    default, own = _due_dates(program, DutyKind.PLAN, None)
    first = {}
    for plan in ImplementationPlan.objects.filter(unit__in=[u.pk for u in units]).order_by("issued_on", "pk"):
        first.setdefault(plan.unit_id, plan)
    return [
        Duty(
            unit=unit,
            kind=DutyKind.PLAN,
            year=None,
            due_on=plan_due_on(unit, default, own),
            done_on=first[unit.pk].issued_on if unit.pk in first else None,
            plan=first.get(unit.pk),
        )
        for unit in units
    ]
