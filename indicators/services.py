"""Writes of the indicators app: the yearly snapshots the dashboards read, the targets and their overrides."""

import re
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy
from organizations.models import OrgLevel
from party_portal.text import clean_text

from . import measures as measure_registry
from . import selectors
from .models import DefinitionKind, EvaluationMode, IndicatorDefinition, IndicatorSnapshot, Target, TargetOverride, Unit

# 5,000 nodes a year: one bulk insert of this size is ~0.2 s on PostgreSQL.
SNAPSHOT_BATCH_SIZE = 2000
# How long a requested recompute is shown as pending; a refresh of the large province takes well under this.
REFRESH_PENDING_SECONDS = 15 * 60


def snapshot_refresh(*, year):
    """Recompute the snapshot of a year for the whole tree and replace the old one atomically.

    Idempotent: running it twice leaves the same rows (with a newer computed_at)."""
    counts = selectors.snapshot_counts(year)
    now = timezone.now()
    rows = [
        IndicatorSnapshot(year=year, organization_id=org_id, counts=totals, by_type=by_type, computed_at=now)
        for org_id, (totals, by_type) in counts.items()
    ]
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(year=year).delete()
        IndicatorSnapshot.objects.bulk_create(rows, batch_size=SNAPSHOT_BATCH_SIZE)
    return len(rows)


def snapshot_refresh_request(*, actor, year):
    """Ask for a year's figures to be recomputed by a job (refresh_snapshots_task), enqueued once the request
    commits: the Organization Board and the Steering Committee (the policy). The dashboards and the compliance
    API say it is pending until the new snapshot lands. Returns when it was asked."""
    policy.require(actor, policy.REFRESH_FIGURES)
    from .tasks import refresh_snapshots_task  # the tasks module imports this one

    refresh_snapshots_task.delay_on_commit(year)
    requested = timezone.now()
    cache.set(selectors.refresh_key(year), requested.isoformat(), REFRESH_PENDING_SECONDS)
    return requested


# --- the program's targets and the districts' own targets (overrides) -------------------------------------------

THRESHOLD_RANGE = _("A threshold is a percentage from 0 to 100.")
DECISION_NUMBER_REQUIRED = _("Give the number of the decision that set this target (e.g. 15-QĐ/TU).")
DECIDED_IN_FUTURE = _("The decision date %(date)s is after today.")
NOT_DISTRICT_LEVEL = _(
    "%(org)s is not a district-level committee: a target of its own is set for a district-level unit only."
)
NO_OVERRIDE = _("%(org)s has no target of its own for %(indicator)s.")


def _check_decision(*, threshold, decided_on, decision_number):
    errors = {}
    if threshold is not None and not Decimal(0) <= threshold <= Decimal(100):
        errors["threshold"] = THRESHOLD_RANGE
    if decided_on > timezone.localdate():
        errors["decided_on"] = ValidationError(DECIDED_IN_FUTURE, params={"date": decided_on.strftime("%d/%m/%Y")})
    number = clean_text(decision_number or "", field="decision_number").strip()
    if not number:
        errors["decision_number"] = DECISION_NUMBER_REQUIRED
    if errors:
        raise ValidationError(errors)
    return number


def _require_on(actor, organization):
    """The Board's write reaches a district-level unit that has since ended through its last day."""
    day = timezone.localdate()
    on = organization.valid_to if organization.valid_to and organization.valid_to < day else day
    policy.require(actor, policy.MANAGE_TARGETS, organization.pk, on=on)


@transaction.atomic
def target_update(*, actor, target, threshold, decided_on, decision_number, comparator=None):
    """Change a program target's threshold (and comparator) under a dated, numbered decision; the Board only.

    Thresholds are applied when figures are read (snapshots hold counts), so every dashboard, compliance
    answer and new report uses the new value at once; the dashboard's cache key holds the targets' version."""
    policy.require(actor, policy.MANAGE_TARGETS)
    number = _check_decision(threshold=threshold, decided_on=decided_on, decision_number=decision_number)
    target = Target.objects.select_for_update().get(pk=target.pk)
    values = {
        "threshold": threshold,
        "comparator": comparator or target.comparator,
        "decided_on": decided_on,
        "decision_number": number,
    }
    changed = [name for name, value in values.items() if getattr(target, name) != value]
    if not changed:
        return target
    for name in changed:
        setattr(target, name, values[name])
    target._history_user = actor
    target.save(update_fields=changed)
    return target


@transaction.atomic
def target_override_set(*, actor, target, organization, threshold, decided_on, decision_number):
    """Give a district-level unit a threshold of its own for a target (its subtree uses it); the Board only."""
    _require_on(actor, organization)
    if organization.level != OrgLevel.UPPER_GRASSROOTS:
        raise ValidationError({"organization": ValidationError(NOT_DISTRICT_LEVEL, params={"org": organization.name})})
    number = _check_decision(threshold=threshold, decided_on=decided_on, decision_number=decision_number)
    override = TargetOverride.objects.select_for_update().filter(
        target=target, organization=organization
    ).first() or TargetOverride(target=target, organization=organization)
    values = {"threshold": threshold, "decided_on": decided_on, "decision_number": number}
    changed = [name for name, value in values.items() if getattr(override, name) != value]
    if override.pk is not None and not changed:
        return override
    for name in changed:
        setattr(override, name, values[name])
    override._history_user = actor
    override.save(**({"update_fields": changed} if override.pk else {}))
    return override


@transaction.atomic
def target_override_end(*, actor, target, organization, decided_on, decision_number):
    """End a district's own threshold under a dated, numbered decision: the unit falls back to the program's.

    The ending decision is written on the row before it is deleted, so the audit trail names it."""
    _require_on(actor, organization)
    number = _check_decision(threshold=None, decided_on=decided_on, decision_number=decision_number)
    override = TargetOverride.objects.select_for_update().filter(target=target, organization=organization).first()
    if override is None:
        params = {"org": organization.name, "indicator": target.indicator}
        raise ValidationError({"organization": ValidationError(NO_OVERRIDE, params=params)})
    if (override.decided_on, override.decision_number) != (decided_on, number):
        override.decided_on, override.decision_number = decided_on, number
        override._history_user = actor
        override.save(update_fields=["decided_on", "decision_number"])
    override._history_user = actor
    override.delete()


# --- tracked figures: indicator definitions the Board adds or edits from the registry's measures ----------------

# The dashboard's second group, "Chỉ tiêu theo dõi khác": every tracked figure the Board adds goes there.
TRACKED_GROUP = "other"
# Letters, digits, hyphens and underscores, starting with a letter: a code travels in URLs and column headings.
CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,15}")
# The editable fields of a tracked definition (the code is fixed once created: issued reports name it).
DEFINITION_FIELDS = (
    "name_vi",
    "name_en",
    "short_name_vi",
    "short_name_en",
    "numerator",
    "denominator",
    "unit",
    "comparator",
    "threshold",
    "mode",
    "deadline_year",
    "order",
    "active",
)

CODE_FORMAT = _("Code: use 2 to 16 letters, digits, hyphens or underscores, starting with a letter (e.g. KHAI_TRU).")
CODE_TAKEN = _("Code: %(code)s is already the code of another indicator.")
NAME_REQUIRED = _("Name (Vietnamese): give the figure's name.")
NUMERATOR_REQUIRED = _("Numerator measure: choose the measure that is counted.")
UNKNOWN_MEASURE = _("%(field)s: “%(name)s” is not a measure of the registry; choose one from the list.")
RATIO_NEEDS_DENOMINATOR = _(
    "Denominator measure: a figure in %(unit)s is a share of something; choose the measure it is counted against."
)
COUNT_HAS_NO_DENOMINATOR = _("Denominator measure: a count is not a share of anything; leave it empty.")
THRESHOLD_NEEDS_COMPARATOR = _("Comparator: a threshold needs a comparator (>, ≥, < or ≤).")
COMPARATOR_NEEDS_THRESHOLD = _("Threshold: a comparator needs a threshold to compare with.")
THRESHOLD_NEGATIVE = _("Threshold: it cannot be negative.")
PERCENT_THRESHOLD_RANGE = _("Threshold: a percentage is from 0 to 100.")
DEADLINE_NEEDS_YEAR = _("Deadline year: a figure judged by a deadline year needs that year.")
TARGET_NOT_HERE = _(
    "%(code)s is a program target: it is not created or changed here; its threshold is changed on the targets page."
)


def _measure_errors(values):
    errors = {} if values["numerator"] else {"numerator": NUMERATOR_REQUIRED}
    for name, label in (("numerator", _("Numerator measure")), ("denominator", _("Denominator measure"))):
        value = values[name]
        if value and value not in measure_registry.MEASURES:
            errors[name] = ValidationError(UNKNOWN_MEASURE, params={"field": label, "name": value})
    return errors


def _unit_errors(values):
    """A share (percent, per mille) is counted against a denominator measure; a count has none."""
    errors = {}
    if values["unit"] == Unit.COUNT:
        if values["denominator"]:
            errors["denominator"] = COUNT_HAS_NO_DENOMINATOR
    elif not values["denominator"]:
        params = {"unit": str(Unit(values["unit"]).label).lower()}
        errors["denominator"] = ValidationError(RATIO_NEEDS_DENOMINATOR, params=params)
    return errors


def _judgement_errors(values):
    errors = {}
    threshold, comparator = values["threshold"], values["comparator"]
    if threshold is not None and not comparator:
        errors["comparator"] = THRESHOLD_NEEDS_COMPARATOR
    if comparator and threshold is None:
        errors["threshold"] = COMPARATOR_NEEDS_THRESHOLD
    if threshold is not None and threshold < 0:
        errors["threshold"] = THRESHOLD_NEGATIVE
    elif threshold is not None and values["unit"] == Unit.PERCENT and threshold > 100:
        errors["threshold"] = PERCENT_THRESHOLD_RANGE
    if values["mode"] == EvaluationMode.BY_DEADLINE and values["deadline_year"] is None:
        errors["deadline_year"] = DEADLINE_NEEDS_YEAR
    return errors


def _check_definition(values, errors=None):
    """The definition's values, cleaned, or a ValidationError naming every field that is wrong (with `errors`
    found before, e.g. the code's). A deadline year is kept only with the mode that reads it."""
    values = {**values, "name_vi": clean_text(values["name_vi"] or "", field="name_vi").strip()}
    for name in ("name_en", "short_name_vi", "short_name_en"):
        values[name] = clean_text(values[name] or "", field=name).strip()
    values["denominator"] = values["denominator"] or ""
    values["comparator"] = values["comparator"] or ""
    if values["mode"] != EvaluationMode.BY_DEADLINE:
        values["deadline_year"] = None
    errors = dict(errors or {})
    if not values["name_vi"]:
        errors["name_vi"] = NAME_REQUIRED
    errors.update(_measure_errors(values))
    errors.update(_unit_errors(values))
    errors.update(_judgement_errors(values))
    if errors:
        raise ValidationError(errors)
    return values


DEFINITION_DEFAULTS = {
    "name_en": "",
    "short_name_vi": "",
    "short_name_en": "",
    "denominator": "",
    "comparator": "",
    "threshold": None,
    "mode": EvaluationMode.EACH_YEAR,
    "deadline_year": None,
    "order": None,
    "active": True,
}


def _next_order():
    """After the last figure of the tracked group, in steps of ten (room to slot one in between)."""
    last = IndicatorDefinition.objects.filter(group=TRACKED_GROUP).aggregate(last=Max("order"))["last"]
    return 10 if last is None else last + 10


def _code_errors(code):
    if not CODE_PATTERN.fullmatch(code):
        return {"code": CODE_FORMAT}
    if IndicatorDefinition.objects.filter(code__iexact=code).exists():
        return {"code": ValidationError(CODE_TAKEN, params={"code": code})}
    return {}


@transaction.atomic
def definition_create(*, actor, code, kind=DefinitionKind.TRACKED, **values):
    """Add a tracked figure built from the registry's measures, in the dashboard's tracked group; the Board only.

    A program target is the program's, decided with its threshold: it is never created here."""
    policy.require(actor, policy.MANAGE_TARGETS)
    if kind != DefinitionKind.TRACKED:
        raise ValidationError({"kind": ValidationError(TARGET_NOT_HERE, params={"code": code})})
    code = (code or "").strip()
    values = _check_definition({**DEFINITION_DEFAULTS, **values}, errors=_code_errors(code))
    if values["order"] is None:
        values["order"] = _next_order()
    definition = IndicatorDefinition(code=code, kind=DefinitionKind.TRACKED, group=TRACKED_GROUP, **values)
    definition._history_user = actor
    definition.save()
    return definition


@transaction.atomic
def definition_update(*, actor, definition, **changes):
    """Change a tracked figure (deactivate it rather than delete it: its history stays); the Board only."""
    policy.require(actor, policy.MANAGE_TARGETS)
    definition = IndicatorDefinition.objects.select_for_update().get(pk=definition.pk)
    if definition.is_target:
        raise ValidationError(TARGET_NOT_HERE, params={"code": definition.code})
    current = {name: getattr(definition, name) for name in DEFINITION_FIELDS}
    values = _check_definition({**current, **changes})
    if values["order"] is None:
        values["order"] = definition.order
    changed = [name for name in DEFINITION_FIELDS if values[name] != current[name]]
    if not changed:
        return definition
    for name in changed:
        setattr(definition, name, values[name])
    definition._history_user = actor
    definition.save(update_fields=changed)
    return definition
