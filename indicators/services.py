"""Writes of the indicators app: the yearly snapshots the dashboards read, the targets and their overrides."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy
from organizations.models import OrgLevel
from party_portal.text import clean_text

from . import selectors
from .models import IndicatorSnapshot, Target, TargetOverride

# 5,000 nodes a year: one bulk insert of this size is ~0.2 s on PostgreSQL.
SNAPSHOT_BATCH_SIZE = 2000


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
