"""Reminders of the reporting cycle and the Steering Committee's urges ("đôn đốc"), sent as notifications.

Each rule reads what is due or late on `today` and calls notifications.services.notify with an event key naming the
event, so a rule run twice (beat twice in a day, a retried task) sends nothing new:

- a plan or yearly review due in N days (settings.REMINDER_DAYS, each N once; the key carries N), or overdue (once);
- a review returned (the key carries the decision's time: returned again after a resubmission is a new event) or
  received, announced by the next run when decided within settings.REMINDER_DECISION_DAYS;
- the ratings of the year just ended not sent by their TCCSĐ after 20 January;
- a TCCSĐ's ratings waiting for the level above's approval for more than settings.APPROVAL_WAIT_DAYS (the key carries
  the submission's time).

Recipients hold a role in force on `today` directly on the organization that acts (docs/decisions.md, issue 12):
for a plan or review, a write role on the unit's `parent` (a district committee's cadres; the Board for a unit
outside the tree); for ratings, the TCCSĐ's own cadres; for an approval, the approvers of its parent on 31/12 of the
year. A role on an ancestor does not count: the Board follows every unit on the overview and urges there.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from evaluations import entry_selectors
from evaluations.models import RatingYear, SubmissionState, YearState
from evaluations.selectors import late_grassroots_list, ratings_due_date
from evaluations.work_selectors import ENTRY_KINDS, NOT_SENT
from indicators.models import Program
from indicators.selectors import default_program
from notifications import selectors as notification_selectors
from notifications.models import Kind
from notifications.services import language, notify
from organizations import policy, scoping
from organizations.models import WRITE_ROLES

from . import duties
from .models import DutyKind, ReviewStatus

# The duty the urge form names besides a plan or a review: a TCCSĐ's ratings of a year.
RATINGS = "RATINGS"
URGE_KINDS = (RATINGS, DutyKind.REVIEW, DutyKind.PLAN)
# The page a review's reminder links to, once the review pages exist (reviews.urls); else no link.
REVIEW_URL_NAME = "reviews:overview"

URGE_UNKNOWN_KIND = _("Choose what to urge: ratings, yearly reviews or implementation plans.")
URGE_YEAR_REQUIRED = _("Year: choose the year whose ratings or reviews are late.")


def _date(day):
    return formats.date_format(day, "d/m/Y")


def _link(name, *args, query=""):
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return ""


def _unit_recipients(units, today):
    """{reporting unit id: [users]}: the write roles in force held on the organization each unit reports through."""
    holders = notification_selectors.role_holders(
        organization_ids={unit.parent_id for unit in units}, kinds=WRITE_ROLES, on=today
    )
    return {unit.pk: holders.get(unit.parent_id, []) for unit in units}


def _duty_name(duty):
    if duty.kind == DutyKind.PLAN:
        return _("the implementation plan of %(unit)s") % {"unit": duty.unit.name}
    return _("the %(year)s yearly review of %(unit)s") % {"year": duty.year, "unit": duty.unit.name}


def _duty_key(duty):
    return f"{duty.kind.lower()}:{duty.unit.pk}:{duty.year or '-'}"


def _all_duties(actor, today):
    found = []
    for program in Program.objects.order_by("code"):
        found += duties.plan_duties(actor=actor, program=program, today=today)
        for year in program.years:
            found += duties.review_duties(actor=actor, program=program, year=year, today=today)
    return found


def _due_soon_n(days_left):
    """The smallest N of settings.REMINDER_DAYS the days left are within, or None."""
    if days_left is None or days_left < 0:
        return None
    within = [n for n in settings.REMINDER_DAYS if days_left <= n]
    return min(within) if within else None


def duty_reminders(*, today=None):
    """Reminders of plans and yearly reviews: due soon, overdue, returned, received. Returns the notifications
    created."""
    today = today or timezone.localdate()
    actor = policy.system_actor()
    if actor is None:
        return 0
    created = 0
    found = _all_duties(actor, today)
    recipients = _unit_recipients({duty.unit for duty in found}, today)
    decided_since = today - timedelta(days=settings.REMINDER_DECISION_DAYS)
    with translation.override(language()):
        for duty in found:
            users = recipients[duty.unit.pk]
            if not users:
                continue
            state = duty.state(today)
            link = _link(REVIEW_URL_NAME) if duty.kind == DutyKind.REVIEW else ""
            n = _due_soon_n(duty.days_left(today)) if state == duties.NOT_DUE else None
            if n is not None:
                created += notify(
                    recipients=users,
                    kind=Kind.DUE_SOON,
                    event_key=f"due:{_duty_key(duty)}:{n}",
                    title=_("Due on %(date)s: %(duty)s") % {"date": _date(duty.due_on), "duty": _duty_name(duty)},
                    body=_("%(days)s day(s) left until the due date.") % {"days": duty.days_left(today)},
                    link=link,
                )
            elif state == duties.OVERDUE:
                created += notify(
                    recipients=users,
                    kind=Kind.OVERDUE,
                    event_key=f"overdue:{_duty_key(duty)}",
                    title=_("Overdue: %(duty)s") % {"duty": _duty_name(duty)},
                    body=_("It was due on %(date)s and has not been sent.") % {"date": _date(duty.due_on)},
                    link=link,
                )
            review = duty.review
            if review is None or review.decided_at is None:
                continue
            decided = timezone.localtime(review.decided_at)
            if decided.date() < decided_since or decided.date() > today:
                continue
            if review.status == ReviewStatus.RETURNED:
                created += notify(
                    recipients=users,
                    kind=Kind.RETURNED,
                    event_key=f"returned:{review.pk}:{decided.isoformat()}",
                    title=_("Returned: %(duty)s") % {"duty": _duty_name(duty)},
                    body=_("The Organization Board returned it on %(date)s. Reason: %(reason)s")
                    % {"date": _date(decided.date()), "reason": review.return_reason},
                    link=link,
                )
            elif review.status == ReviewStatus.RECEIVED:
                created += notify(
                    recipients=users,
                    kind=Kind.RECEIVED,
                    event_key=f"received:{review.pk}:{decided.isoformat()}",
                    title=_("Received: %(duty)s") % {"duty": _duty_name(duty)},
                    body=_("The Organization Board received it on %(date)s.") % {"date": _date(decided.date())},
                    link=link,
                )
    return created


def _progress_link(year, scope_id):
    return _link("indicators:progress", query=f"?nam={year}&pham-vi={scope_id}")


def ratings_late_reminders(*, today=None):
    """The TCCSĐ that have not sent the ratings of the year just ended after their due date (20 January): one
    reminder to their cadres. Returns the notifications created."""
    today = today or timezone.localdate()
    year = today.year - 1
    due = ratings_due_date(year)
    actor = policy.system_actor()
    if actor is None or today <= due or not RatingYear.objects.filter(year=year, state=YearState.OPEN).exists():
        return 0
    late = list(entry_selectors.grassroots_with_state(actor=actor, year=year).filter(submission_state__in=NOT_SENT))
    holders = notification_selectors.role_holders(
        organization_ids={p.organization_id for p in late}, kinds=ENTRY_KINDS, on=today
    )
    created = 0
    with translation.override(language()):
        for placement in late:
            users = holders.get(placement.organization_id, [])
            if not users:
                continue
            created += notify(
                recipients=users,
                kind=Kind.RATINGS_LATE,
                event_key=f"ratings-late:{year}:{placement.organization_id}",
                title=_("The %(year)s ratings of %(org)s are late")
                % {"year": year, "org": placement.organization.name},
                body=_("They were due at the level above on %(date)s: finish the grid and send it.")
                % {"date": _date(due)},
                link=_link("evaluations:grid", placement.organization_id, year),
            )
    return created


def approval_reminders(*, today=None):
    """Ratings sent to the level above and waiting more than settings.APPROVAL_WAIT_DAYS for a decision: one
    reminder to the approvers of each. Returns the notifications created."""
    today = today or timezone.localdate()
    actor = policy.system_actor()
    if actor is None:
        return 0
    limit = today - timedelta(days=settings.APPROVAL_WAIT_DAYS)
    approver_kinds = policy.GRANTS[policy.APPROVE].kinds
    created = 0
    years = RatingYear.objects.filter(state=YearState.OPEN).order_by("year").values_list("year", flat=True)
    with translation.override(language()):
        for year in years:
            waiting = list(
                entry_selectors.grassroots_with_state(actor=actor, year=year, state=SubmissionState.SUBMITTED)
            )
            submissions, _ratings = entry_selectors.submissions_of(
                organization_ids=[p.organization_id for p in waiting], year=year
            )
            holders = notification_selectors.role_holders(
                organization_ids={p.parent_id for p in waiting if p.parent_id}, kinds=approver_kinds, on=today
            )
            for placement in waiting:
                submission = submissions.get(placement.organization_id)
                users = holders.get(placement.parent_id, [])
                if submission is None or submission.submitted_at is None or not users:
                    continue
                sent = timezone.localtime(submission.submitted_at)
                if sent.date() >= limit:
                    continue
                created += notify(
                    recipients=users,
                    kind=Kind.APPROVAL_WAITING,
                    event_key=f"approval-waiting:{submission.pk}:{sent.isoformat()}",
                    title=_("The %(year)s ratings of %(org)s wait for your approval")
                    % {"year": year, "org": placement.organization.name},
                    body=_("Sent on %(date)s, %(days)s days ago.")
                    % {"date": _date(sent.date()), "days": (today - sent.date()).days},
                    link=_link("evaluations:review", placement.organization_id, year),
                )
    return created


def send_reminders(*, today=None):
    """Every reminder rule for `today`; returns the notifications created (none new when run again)."""
    today = today or timezone.localdate()
    return duty_reminders(today=today) + ratings_late_reminders(today=today) + approval_reminders(today=today)


# --- urges ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UrgeResult:
    urged: int  # late units whose people got the urge now
    people: int  # notifications created
    already: int  # late units already urged today
    nobody: int  # late units without anyone holding a role to tell


def _late_for_urge(*, actor, kind, year, scope_id, program, today):
    """[(key, name, [users])] of the late units of the duty within the actor's part of the tree."""
    if kind == RATINGS:
        if today <= ratings_due_date(year):
            return []
        if scope_id:
            placements = late_grassroots_list(actor=actor, year=year, organization_id=scope_id)
        else:
            placements = entry_selectors.grassroots_with_state(actor=actor, year=year)
        late = [p for p in placements if (p.submission_state or entry_selectors.NOT_STARTED) in NOT_SENT]
        holders = notification_selectors.role_holders(
            organization_ids={p.organization_id for p in late}, kinds=ENTRY_KINDS, on=today
        )
        return [
            (f"org-{p.organization_id}", p.organization.name, holders.get(p.organization_id, []), p.organization_id)
            for p in late
        ]
    if kind == DutyKind.PLAN:
        found = duties.plan_duties(actor=actor, program=program, today=today)
    else:
        found = duties.review_duties(actor=actor, program=program, year=year, today=today)
    late = [duty for duty in found if duty.state(today) == duties.OVERDUE]
    recipients = _unit_recipients({duty.unit for duty in late}, today)
    return [(f"unit-{duty.unit.pk}", duty.unit.name, recipients[duty.unit.pk], None) for duty in late]


def urge_send(*, actor, kind, year=None, scope_id=None, program=None, today=None):
    """The Steering Committee (or the Board) urges the late units of a duty within its part of the tree: each
    unit's people get one urge a day (a second click the same day adds nothing)."""
    policy.require(actor, policy.SEND_URGES)
    if kind not in URGE_KINDS:
        raise ValidationError({"kind": URGE_UNKNOWN_KIND})
    if kind != DutyKind.PLAN and not year:
        raise ValidationError({"year": URGE_YEAR_REQUIRED})
    today = today or scoping.today()
    program = program or default_program()
    late = _late_for_urge(actor=actor, kind=kind, year=year, scope_id=scope_id, program=program, today=today)
    urged = people = already = nobody = 0
    sender = actor.get_full_name() or actor.get_username()
    with translation.override(language()):
        for key, name, users, organization_id in late:
            if not users:
                nobody += 1
                continue
            if kind == RATINGS:
                title = _("Urge: send the %(year)s ratings of %(org)s") % {"year": year, "org": name}
                due = ratings_due_date(year)
                link = _link("evaluations:grid", organization_id, year)
            elif kind == DutyKind.REVIEW:
                title = _("Urge: send the %(year)s yearly review of %(unit)s") % {"year": year, "unit": name}
                due = None
                link = _link(REVIEW_URL_NAME)
            else:
                title = _("Urge: issue the implementation plan of %(unit)s") % {"unit": name}
                due = None
                link = ""
            body = _("%(sender)s urges your unit: it is late.") % {"sender": sender}
            if due is not None:
                body += " " + _("It was due on %(date)s.") % {"date": _date(due)}
            made = notify(
                recipients=users,
                kind=Kind.URGE,
                event_key=f"urge:{kind.lower()}:{year or '-'}:{key}:{today.isoformat()}",
                title=title,
                body=body,
                link=link,
            )
            if made:
                urged += 1
                people += made
            else:
                already += 1
    return UrgeResult(urged=urged, people=people, already=already, nobody=nobody)
