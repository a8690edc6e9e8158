"""The rating rules of each rule set (docs/counting-rules.md §5): hard rules block a save, soft rules warn.

Pure functions over plain facts, so the same rules apply whichever door a rating comes through.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import GOOD_OR_BETTER, SCORE_BANDS, Level, NotRatedReason, RuleSet

LEVEL_WHILE_NOT_RATED = _("%(name)s: %(reason)s on 31/12/%(year)s, so cannot be given a level.")
DISCIPLINED_ABOVE_NOT_COMPLETED = _(
    "%(name)s was disciplined in %(year)s: under %(rule_set)s the only level allowed is “did not complete tasks”."
)
SICK_LEAVE_ABOVE_COMPLETED = _(
    "%(name)s was on sick leave for 3 months or more: under %(rule_set)s the level cannot be "
    "“well completed” or better."
)
SCORE_ONLY_366 = _("%(name)s: a 100-point score is recorded only from 2025 (366-QĐ/TW).")
SCORE_OUTSIDE_BAND = _(
    "%(name)s: a score of %(score)s does not match the level chosen (from %(low)s to under %(high)s)."
)
UNSCORED = _("Under %(rule_set)s every member given a level needs a 100-point score; %(count)s have none: %(names)s.")
# Rule sets under which a level needs its score before the ratings are sent up.
SCORE_REQUIRED = frozenset({RuleSet.QD366})
REASON_NOT_APPLICABLE = _("%(name)s: the reason “%(reason)s” does not apply on 31/12/%(year)s.")
LEVEL_OR_REASON = _("%(name)s: choose a level or a reason for not rating.")

EXCELLENT_QUOTA = _(
    "%(excellent)s member(s) rated excellent exceed 20%% of the %(good)s rated well completed in this organization."
)
EXCELLENT_ORG_MEMBERS = _(
    "The organization is rated excellent, but not all its members completed their tasks or fewer than 80%% are "
    "rated well completed or better."
)


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about a member for the year."""

    name: str
    admission_date: date
    exempt: bool
    suspended: bool
    disciplined: bool


def derived_reason(facts, year):
    """The not-rated reason that follows from the member's record, if any (proposed automatically)."""
    if facts.exempt:
        return NotRatedReason.EXEMPT
    if facts.suspended:
        return NotRatedReason.SUSPENDED
    if facts.admission_date > date(year, 6, 30):
        return NotRatedReason.NEW_MEMBER
    return ""


def member_rating_errors(facts, year, rule_set, *, level, reason, score, long_sick_leave):
    """Hard-rule messages for one member's rating (an empty list means the rating may be saved)."""
    params = {"name": facts.name, "year": year, "rule_set": RuleSet(rule_set).label}
    if bool(level) == bool(reason):
        return [LEVEL_OR_REASON % params]
    derived = derived_reason(facts, year)
    errors = []
    if level and derived:
        errors.append(LEVEL_WHILE_NOT_RATED % {**params, "reason": NotRatedReason(derived).label})
    if reason and reason not in (NotRatedReason.PENDING, derived):
        errors.append(REASON_NOT_APPLICABLE % {**params, "reason": NotRatedReason(reason).label})
    if level and facts.disciplined and rule_set != RuleSet.QD132 and level != Level.NOT_COMPLETED:
        errors.append(DISCIPLINED_ABOVE_NOT_COMPLETED % params)
    if level in GOOD_OR_BETTER and long_sick_leave and rule_set == RuleSet.QD132:
        errors.append(SICK_LEAVE_ABOVE_COMPLETED % params)
    errors.extend(score_errors(facts.name, rule_set, level, score))
    return errors


def score_errors(name, rule_set, level, score):
    if score is None:
        return []
    if rule_set != RuleSet.QD366:
        return [SCORE_ONLY_366 % {"name": name}]
    low, high = SCORE_BANDS[Level(level)] if level else (0, 101)
    if not low <= score < high:
        return [SCORE_OUTSIDE_BAND % {"name": name, "score": score, "low": low, "high": min(high, 100)}]
    return []


def unscored_error(rule_set, names, *, shown=10):
    """The message refusing to send ratings whose levels lack the score the rule set requires (None when none do)."""
    if rule_set not in SCORE_REQUIRED or not names:
        return None
    listed = ", ".join(names[:shown]) + ("…" if len(names) > shown else "")
    return UNSCORED % {"rule_set": RuleSet(rule_set).label, "count": len(names), "names": listed}


def organization_warnings(levels, organization_level):
    """Soft-rule warnings over all member levels of one TCCSĐ (the peer group of 124-QĐ/TW is taken as
    the TCCSĐ; a convention)."""
    warnings = []
    excellent = sum(1 for lv in levels if lv == Level.EXCELLENT)
    good = sum(1 for lv in levels if lv == Level.GOOD)
    # 20 % of the GOOD count, compared on integers: excellent * 100 <= 20 * good.
    if excellent * 100 > 20 * good:
        warnings.append(str(EXCELLENT_QUOTA % {"excellent": excellent, "good": good}))
    if organization_level == Level.EXCELLENT and levels:
        all_completed = all(lv != Level.NOT_COMPLETED for lv in levels)
        good_or_better = sum(1 for lv in levels if lv in GOOD_OR_BETTER)
        if not all_completed or good_or_better * 100 < 80 * len(levels):
            warnings.append(str(EXCELLENT_ORG_MEMBERS))
    return warnings
