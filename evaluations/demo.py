"""Demo ratings for 2020–2025 over whatever province the database holds (after members' seed_demo).

Deterministic for a seed. A realistic mix: most districts pass, a few miss T1/T2 in some years, the
not-rated reasons follow the members' records, and in 2025 some TCCSĐ are still pending.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from members.models import Discipline, Member, Membership, StatusKind, StatusPeriod
from organizations.models import GRASSROOTS_KINDS, OrgKind, Placement

from .models import (
    SCORE_BANDS,
    Level,
    MemberRating,
    NotRatedReason,
    OrganizationRating,
    RatingYear,
    Submission,
    SubmissionState,
    YearState,
    rule_set_for_year,
)
from .rules import SCORE_REQUIRED

YEARS = range(2020, 2026)
BATCH = 5000
# Share of members rated NOT_COMPLETED / COMPLETED / GOOD; the rest of GOOD-or-better is EXCELLENT,
# kept under 20 % of GOOD so the quota warning stays rare.
STRONG = (0.002, 0.06, 0.80)
WEAK = (0.006, 0.13, 0.75)


def _member_level(rng, profile):
    failed, completed, good = profile
    draw = rng.random()
    if draw < failed:
        return Level.NOT_COMPLETED
    if draw < failed + completed:
        return Level.COMPLETED
    if draw < failed + completed + good:
        return Level.GOOD
    return Level.EXCELLENT


def _org_level(rng, weak):
    draw = rng.random()
    if draw < (0.004 if weak else 0.0005):
        return Level.NOT_COMPLETED
    if draw < (0.14 if weak else 0.06):
        return Level.COMPLETED
    if draw < 0.80:
        return Level.GOOD
    return Level.EXCELLENT


@transaction.atomic
def _score(member_id, year, level):
    """A 100-point score inside the level's band (366-QĐ/TW), from a generator of its own."""
    if not level:
        return None
    low, high = SCORE_BANDS[Level(level)]
    return Decimal(random.Random(member_id * 7 + year).randint(low, high - 1))


def _moments(organization_id, year, state):
    """When a demo submission was sent (in January after the year) and decided, as the services would have
    stamped them; drawn from a generator of their own so the ratings drawn do not change."""
    if state == SubmissionState.DRAFT:
        return {}
    rng = random.Random(organization_id * 1009 + year)
    day, hour, minute = rng.randint(3, 18), rng.randint(8, 16), rng.randint(0, 59)
    submitted = datetime(year + 1, 1, day, hour, minute, tzinfo=timezone.get_default_timezone())
    if state == SubmissionState.SUBMITTED:
        return {"submitted_at": submitted}
    decided = submitted + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
    return {"submitted_at": submitted, "decided_at": decided}


def seed_ratings(seed=1, pending_share=0.06):
    """Write ratings, submissions and year states; returns the number of member ratings written."""
    rng = random.Random(seed * 7919 + 3)
    written = 0
    for year in YEARS:
        rating_year, _ = RatingYear.objects.get_or_create(year=year, defaults={"rule_set": rule_set_for_year(year)})
        written += _seed_year(rng, rating_year, pending_share if year == 2025 else 0.0)
        if year < 2025:
            rating_year.state = YearState.CLOSED
            rating_year.save(update_fields=["state"])
    return written


def _seed_year(rng, rating_year, pending_share):
    year = rating_year.year
    end = date(year, 12, 31)
    placements = list(
        Placement.objects.on(end).values_list(
            "organization_id", "path", "organization__kind", "organization__valid_from"
        )
    )
    kinds = {org_id: kind for org_id, _, kind, _ in placements}
    grassroots = {org_id for org_id, kind in kinds.items() if kind in GRASSROOTS_KINDS}
    owner = {}
    upper = {}
    for org_id, path, _kind, _start in placements:
        ids = [int(part) for part in path.strip("/").split("/")]
        owner[org_id] = next((i for i in ids if i in grassroots), None)
        upper[org_id] = ids[1] if len(ids) > 1 else ids[0]
    # A few district-level committees have a weak year.
    uppers = sorted({upper[g] for g in grassroots})
    weak = {u for u in uppers if rng.random() < 0.15}
    on_rolls = defaultdict(list)
    for member_id, org_id in (
        Membership.objects.filter(start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gt=end))
        .values_list("member_id", "organization_id")
    ):
        if owner.get(org_id) is not None:
            on_rolls[owner[org_id]].append(member_id)
    status = dict(
        StatusPeriod.objects.filter(start__lte=end, kind__in=[StatusKind.EXEMPT, StatusKind.SUSPENDED])
        .filter(Q(end__isnull=True) | Q(end__gte=end))
        .values_list("member_id", "kind")
    )
    disciplined = set(Discipline.objects.filter(decided_on__year=year).values_list("member_id", flat=True))
    admitted = dict(Member.objects.values_list("pk", "admission_date"))
    pending = {g for g in sorted(grassroots) if rng.random() < pending_share}
    member_ratings, org_ratings, submissions = [], [], []
    for org_id, _path, kind, start in sorted(placements):
        if org_id in pending or owner.get(org_id) in pending:
            continue
        rateable = kind in GRASSROOTS_KINDS or kind in (OrgKind.CELL, OrgKind.SUB_COMMITTEE)
        if not rateable:
            continue
        if start > date(year, 6, 30):
            org_ratings.append(
                OrganizationRating(
                    organization_id=org_id, year=rating_year, not_rated_reason=NotRatedReason.NEW_ORGANIZATION
                )
            )
        else:
            org_ratings.append(
                OrganizationRating(
                    organization_id=org_id, year=rating_year, level=_org_level(rng, upper[org_id] in weak)
                )
            )
    scored = rating_year.rule_set in SCORE_REQUIRED
    for grassroots_id in sorted(grassroots - pending):
        profile = WEAK if upper[grassroots_id] in weak else STRONG
        for member_id in sorted(on_rolls[grassroots_id]):
            reason = ""
            if member_id in status:
                reason = NotRatedReason.EXEMPT if status[member_id] == StatusKind.EXEMPT else NotRatedReason.SUSPENDED
            elif admitted[member_id] > date(year, 6, 30):
                reason = NotRatedReason.NEW_MEMBER
            level = ""
            if not reason:
                level = (
                    Level.NOT_COMPLETED if member_id in disciplined and year >= 2023 else _member_level(rng, profile)
                )
            member_ratings.append(
                MemberRating(
                    member_id=member_id,
                    year=rating_year,
                    organization_id=grassroots_id,
                    level=level,
                    not_rated_reason=reason,
                    score=_score(member_id, year, level) if scored else None,
                )
            )
        state = SubmissionState.APPROVED
        if year == 2025:
            state = rng.choice(
                [
                    SubmissionState.APPROVED,
                    SubmissionState.APPROVED,
                    SubmissionState.SUBMITTED,
                    SubmissionState.DRAFT,
                    SubmissionState.RETURNED,
                ]
            )
        submissions.append(
            Submission(
                organization_id=grassroots_id,
                year=rating_year,
                state=state,
                comment="Đề nghị rà soát lại" if state == SubmissionState.RETURNED else "",
                **_moments(grassroots_id, year, state),
            )
        )
    MemberRating.objects.bulk_create(member_ratings, batch_size=BATCH)
    OrganizationRating.objects.bulk_create(org_ratings, batch_size=BATCH)
    Submission.objects.bulk_create(submissions, batch_size=BATCH)
    return len(member_ratings)
