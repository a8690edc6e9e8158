"""Permission checks and cache keys of the dashboard."""

import hashlib
from datetime import datetime

from django.core.cache import cache

from organizations import policy

from ..definitions import definitions_for
from ..models import IndicatorDefinition
from .figures import program_overrides, program_targets, provisional_years


def can_refresh_figures(actor):
    """The Board and the Steering Committee may ask for the dashboard figures to be recomputed (the policy)."""
    return policy.can(actor, policy.REFRESH_FIGURES)


def refresh_key(year):
    """The cache key under which a requested recompute of a year's figures is remembered until it lands."""
    return f"indicators:refresh-requested:{year}"


def refresh_pending(year, computed_at):
    """When a recompute of the year was asked for (the dashboard's button, the compliance API's POST) and has
    not landed yet, the time it was asked; else None."""
    requested = cache.get(refresh_key(year))
    if requested is None:
        return None
    requested = datetime.fromisoformat(requested)
    return requested if computed_at is None or computed_at < requested else None


def compliance_cache_key(*, actor, program, year, node, versions):
    """The cache key of the compliance API's answer for a node and a year. The figures depend on the node's
    snapshots (their times: every row of a year, the sub-units' too, is written by one refresh), the targets and
    definitions, and whether each year is closed (closing turns verdicts final without a new snapshot); keyed on
    the actor too, as the dashboard's, so that no answer is shared across users."""
    stamp = ",".join(f"{y}:{versions[y].timestamp()}" for y in sorted(versions))
    open_years = ",".join(str(y) for y in sorted(provisional_years(versions, program)))
    return (
        f"indicators:api-compliance:{actor.pk}:{program.pk}:{year}:{node.id}:{targets_version(program)}:"
        f"{stamp}:{open_years}"
    )


def targets_version(program):
    """A fingerprint of the program's targets and overrides and of the active indicator definitions: a changed
    threshold or a figure added, changed or deactivated on the catalogue page changes the figures. From the rows
    the program object has read already to judge the figures (no query of its own)."""
    targets = [
        (t.indicator, t.comparator, t.threshold, t.deadline_year, t.decided_on, t.decision_number)
        for t in program_targets(program).values()
    ]
    overrides = [
        (target_id, org_id, o.threshold, o.decided_on, o.decision_number)
        for (target_id, org_id), o in program_overrides(program).items()
    ]
    fields = [f.attname for f in IndicatorDefinition._meta.fields]
    definitions = [tuple(getattr(d, name) for name in fields) for d in definitions_for(program)]
    rows = [*targets, *overrides, *definitions]
    return hashlib.sha1(repr(sorted(rows, key=repr)).encode(), usedforsecurity=False).hexdigest()[:12]
