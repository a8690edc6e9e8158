"""Every write to ratings: rule-set validation, the submission workflow and the lock on approved data."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Discipline, Member, Membership, StatusKind, StatusPeriod
from organizations import policy, scoping
from organizations.models import GRASSROOTS_KINDS, Placement

from . import rules
from .models import (
    EDITABLE_STATES,
    MemberRating,
    OrganizationRating,
    RatingYear,
    Reopening,
    Submission,
    SubmissionState,
    YearReopening,
    YearState,
)

YEAR_CLOSED = _("The rating year %(year)s is closed; its ratings can no longer change.")
LOCKED = _("The ratings of %(org)s for %(year)s are %(state)s and locked; a reopen with a reason is needed first.")
NOT_GRASSROOTS = _("Ratings are entered per grassroots organization (TCCSĐ).")
NOT_ON_ROLLS = _("%(name)s is not on the rolls of %(org)s on 31/12/%(year)s.")
NOT_ON_ROLLS_UNNAMED = _("Member no. %(id)s is not on the rolls of %(org)s on 31/12/%(year)s.")
WRONG_STATE = _("This action is not possible while the submission is %(state)s.")
COMMENT_REQUIRED = _("Say why the submission is returned.")
REASON_REQUIRED = _("A reopen needs a reason.")
INCOMPLETE = _("%(count)s member(s) have neither a level nor a reason for not rating.")
LISTED_TWICE = _("A member is listed twice in the ratings sent; each member is rated once a year.")
BOARD_ONLY = _("Only the Provincial Organization Board can close a year.")
BOARD_ONLY_REOPEN = _("Only the Provincial Organization Board can reopen a year.")
YEAR_NOT_CLOSED = _("The rating year %(year)s is not closed.")


def _year_end(year):
    return date(year.year, 12, 31)


def _require_open(year):
    if year.state != YearState.OPEN:
        raise ValidationError(YEAR_CLOSED, params={"year": year.year}, code="year_closed")


def _require_grassroots(organization):
    if organization.kind not in GRASSROOTS_KINDS:
        raise ValidationError(NOT_GRASSROOTS, code="not_grassroots")


def _require_level_above(actor, organization, on):
    policy.require(actor, policy.APPROVE, organization.pk, on)


def submission_get_or_create(*, actor, organization, year):
    """The TCCSĐ's submission for the year, readable by the actor."""
    _require_grassroots(organization)
    scoping.require_access(actor, organization.pk, _year_end(year))
    submission, _created = Submission.objects.get_or_create(organization=organization, year=year)
    return submission


def _require_editable(submission):
    _require_open(submission.year)
    if submission.state not in EDITABLE_STATES:
        raise ValidationError(
            LOCKED,
            params={
                "org": submission.organization.name,
                "year": submission.year.year,
                "state": submission.get_state_display(),
            },
            code="locked",
        )


def member_facts(member_ids, year):
    """The facts the rules need, for many members at once (three queries)."""
    end = date(year, 12, 31)
    start = date(year, 1, 1)
    in_force = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=end))
    statuses = set(
        StatusPeriod.objects.filter(
            in_force, member_id__in=member_ids, kind__in=[StatusKind.EXEMPT, StatusKind.SUSPENDED]
        ).values_list("member_id", "kind")
    )
    disciplined = set(
        Discipline.objects.filter(member_id__in=member_ids, decided_on__gte=start, decided_on__lte=end).values_list(
            "member_id", flat=True
        )
    )
    return {
        m.pk: rules.MemberFacts(
            name=m.full_name,
            admission_date=m.admission_date,
            exempt=(m.pk, StatusKind.EXEMPT) in statuses,
            suspended=(m.pk, StatusKind.SUSPENDED) in statuses,
            disciplined=m.pk in disciplined,
        )
        for m in Member.objects.filter(pk__in=member_ids)
    }


def members_to_rate(organization, year):
    """Ids of the members on the rolls of the TCCSĐ's subtree on 31/12 of the year."""
    end = date(year, 12, 31)
    placement = Placement.objects.on(end).get(organization=organization)
    org_ids = Placement.objects.on(end).filter(path__startswith=placement.path).values("organization_id")
    return set(
        Membership.objects.filter(organization_id__in=org_ids, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gt=end))
        .values_list("member_id", flat=True)
    )


@transaction.atomic
def member_ratings_save(*, actor, organization, year, entries):
    """Save the rating grid of one TCCSĐ: all entries or none. `entries` are dicts with member_id, level,
    not_rated_reason, score and long_sick_leave. Hard rules raise one ValidationError listing every problem;
    soft rules are stored on the submission."""
    _require_grassroots(organization)
    scoping.require_access(actor, organization.pk, _year_end(year), write=True)
    submission = Submission.objects.select_for_update().get(
        pk=submission_get_or_create(actor=actor, organization=organization, year=year).pk
    )
    _require_editable(submission)
    member_ids = [e["member_id"] for e in entries]
    if len(set(member_ids)) != len(member_ids):
        raise ValidationError(LISTED_TWICE, code="duplicate_member")
    allowed = members_to_rate(organization, year.year)
    facts = member_facts(member_ids, year.year)
    errors = []
    row_errors = {}
    for entry in entries:
        member_facts_ = facts.get(entry["member_id"])
        if member_facts_ is None or entry["member_id"] not in allowed:
            # By number, not name: a member off these rolls may be one the actor cannot see.
            found = [NOT_ON_ROLLS_UNNAMED % {"id": entry["member_id"], "org": organization.name, "year": year.year}]
        else:
            found = rules.member_rating_errors(
                member_facts_,
                year.year,
                year.rule_set,
                level=entry.get("level", ""),
                reason=entry.get("not_rated_reason", ""),
                score=entry.get("score"),
                long_sick_leave=entry.get("long_sick_leave", False),
            )
        if found:
            errors.extend(found)
            row_errors.setdefault(entry["member_id"], []).extend(str(e) for e in found)
    if errors:
        error = ValidationError([str(e) for e in errors], code="invalid_ratings")
        # The same messages per member id, so the rating grid can show each one on its row.
        error.row_errors = row_errors
        raise error
    existing = {r.member_id: r for r in MemberRating.objects.filter(year=year, member_id__in=list(facts))}
    changed = False
    for entry in entries:
        values = {
            "organization": organization,
            "level": entry.get("level", ""),
            "not_rated_reason": entry.get("not_rated_reason", ""),
            "score": entry.get("score"),
            "long_sick_leave": entry.get("long_sick_leave", False),
        }
        rating = existing.get(entry["member_id"])
        if rating is None:
            rating = MemberRating(member_id=entry["member_id"], year=year, **values)
            rating._history_user = actor
            rating.save()
            changed = True
            continue
        dirty = [name for name, value in values.items() if getattr(rating, name) != value]
        if dirty:
            for name in dirty:
                setattr(rating, name, values[name])
            rating._history_user = actor
            rating.save(update_fields=[("organization" if n == "organization" else n) for n in dirty])
            changed = True
    _refresh_warnings(submission, actor, changed=changed)
    return submission


def _refresh_warnings(submission, actor, *, changed):
    levels = list(
        MemberRating.objects.filter(year=submission.year, organization=submission.organization)
        .exclude(level="")
        .values_list("level", flat=True)
    )
    own = OrganizationRating.objects.filter(year=submission.year, organization=submission.organization).first()
    submission.warnings = rules.organization_warnings(levels, own.level if own else "")
    fields = ["warnings"]
    if changed and submission.reopenings.exists():
        submission.changed_after_approval = True
        fields.append("changed_after_approval")
    submission._history_user = actor
    submission.save(update_fields=fields)


@transaction.atomic
def organization_rating_save(*, actor, organization, year, level="", not_rated_reason="", score=None):
    """Rate a TCCSĐ (by the level above) or a cell (by its TCCSĐ); locked with the TCCSĐ's submission."""
    end = _year_end(year)
    _require_open(year)
    placement = Placement.objects.on(end).filter(organization=organization).first()
    if placement is None:
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    if organization.kind in GRASSROOTS_KINDS:
        _require_level_above(actor, organization, end)
        owner = organization
    else:
        scoping.require_access(actor, organization.pk, end, write=True)
        owner = next(
            (
                o
                for o in placement.organization.__class__.objects.filter(
                    pk__in=placement.ancestor_ids, kind__in=GRASSROOTS_KINDS
                )
            ),
            None,
        )
        if owner is None:
            raise ValidationError(NOT_GRASSROOTS, code="not_grassroots")
    submission, _created = Submission.objects.get_or_create(organization=owner, year=year)
    # The level above rates the TCCSĐ itself while it reviews the submission; approval then locks it.
    reviewing = owner == organization and submission.state == SubmissionState.SUBMITTED
    if not reviewing:
        _require_editable(submission)
    name = organization.name
    if bool(level) == bool(not_rated_reason):
        raise ValidationError(rules.LEVEL_OR_REASON % {"name": name})
    errors = rules.score_errors(name, year.rule_set, level, score)
    if errors:
        raise ValidationError([str(e) for e in errors])
    rating, _created = OrganizationRating.objects.get_or_create(
        organization=organization,
        year=year,
        defaults={"level": level, "not_rated_reason": not_rated_reason, "score": score},
    )
    if not _created:
        rating.level, rating.not_rated_reason, rating.score = level, not_rated_reason, score
        rating._history_user = actor
        rating.save(update_fields=["level", "not_rated_reason", "score"])
    if owner == organization:
        _refresh_warnings(submission, actor, changed=not _created)
    return rating


def _transition(submission, actor, state, **fields):
    submission.state = state
    for name, value in fields.items():
        setattr(submission, name, value)
    submission._history_user = actor
    submission.save(update_fields=["state", *fields])
    return submission


@transaction.atomic
def submission_submit(*, actor, submission):
    """Send a complete draft (or a returned submission) up for approval."""
    scoping.require_access(actor, submission.organization_id, _year_end(submission.year), write=True)
    _require_editable(submission)
    expected = members_to_rate(submission.organization, submission.year.year)
    rated = set(
        MemberRating.objects.filter(year=submission.year, member_id__in=expected).values_list("member_id", flat=True)
    )
    if expected - rated:
        raise ValidationError(INCOMPLETE, params={"count": len(expected - rated)}, code="incomplete")
    if submission.year.rule_set in rules.SCORE_REQUIRED:
        unscored = (
            MemberRating.objects.filter(year=submission.year, member_id__in=expected, score__isnull=True)
            .exclude(level="")
            .order_by("member__full_name", "member_id")
            .values_list("member__full_name", flat=True)
        )
        message = rules.unscored_error(submission.year.rule_set, list(unscored))
        if message:
            raise ValidationError(message, code="unscored")
    return _transition(submission, actor, SubmissionState.SUBMITTED, submitted_at=timezone.now(), submitted_by=actor)


def _decide(actor, submission, state, comment=""):
    _require_open(submission.year)
    _require_level_above(actor, submission.organization, _year_end(submission.year))
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(WRONG_STATE, params={"state": submission.get_state_display()}, code="wrong_state")
    return _transition(submission, actor, state, decided_at=timezone.now(), decided_by=actor, comment=comment)


@transaction.atomic
def submission_approve(*, actor, submission, comment=""):
    """Approve a submitted TCCSĐ: its ratings are locked from now on."""
    return _decide(actor, submission, SubmissionState.APPROVED, comment)


@transaction.atomic
def submission_return(*, actor, submission, comment):
    """Send a submission back to the TCCSĐ with a comment saying what to fix."""
    if not comment.strip():
        raise ValidationError({"comment": COMMENT_REQUIRED})
    return _decide(actor, submission, SubmissionState.RETURNED, comment)


@transaction.atomic
def submission_reopen(*, actor, submission, reason):
    """Unlock approved ratings: only the level above, only with a reason, recorded for the audit."""
    _require_open(submission.year)
    _require_level_above(actor, submission.organization, _year_end(submission.year))
    if submission.state != SubmissionState.APPROVED:
        raise ValidationError(WRONG_STATE, params={"state": submission.get_state_display()}, code="wrong_state")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    Reopening.objects.create(submission=submission, reason=reason, by=actor)
    return _transition(submission, actor, SubmissionState.DRAFT, comment=reason)


@transaction.atomic
def year_close(*, actor, year):
    """Close a rating year (Provincial Organization Board only): every rating of it is locked."""
    if not policy.can(actor, policy.CLOSE_YEAR):
        raise PermissionDenied(BOARD_ONLY)
    year.state = YearState.CLOSED
    year.closed_at = timezone.now()
    year.closed_by = actor
    year._history_user = actor
    year.save(update_fields=["state", "closed_at", "closed_by"])
    return year


@transaction.atomic
def year_reopen(*, actor, year, reason):
    """Reopen a closed rating year (Provincial Organization Board only), with a reason kept in its audit trail.

    While it is open again, its ratings and the members' dated facts that count in it can change."""
    if not policy.can(actor, policy.REOPEN_YEAR):
        raise PermissionDenied(BOARD_ONLY_REOPEN)
    if year.state != YearState.CLOSED:
        raise ValidationError(YEAR_NOT_CLOSED, params={"year": year.year}, code="year_not_closed")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    year.state = YearState.OPEN
    year.closed_at = None
    year.closed_by = None
    year._history_user = actor
    year._change_reason = reason.strip()[:100]
    year.save(update_fields=["state", "closed_at", "closed_by"])
    YearReopening.objects.create(year=year, reason=reason.strip(), by=actor)
    return year


def rating_year(year):
    return RatingYear.objects.get(year=year)
