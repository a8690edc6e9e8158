"""Permission checks and cache keys of the dashboard."""

import hashlib

from organizations import policy

from ..models import IndicatorDefinition


def can_refresh_figures(actor):
    """The Board and the Steering Committee may ask for the dashboard figures to be recomputed (the policy)."""
    return policy.can(actor, policy.REFRESH_FIGURES)


def targets_version(program):
    """A fingerprint of the program's targets and overrides and of the indicator definitions: a changed threshold
    or a figure added, changed or deactivated on the catalogue page changes the figures."""
    rows = program.targets.values_list(
        "indicator",
        "comparator",
        "threshold",
        "deadline_year",
        "decided_on",
        "decision_number",
        "overrides__organization_id",
        "overrides__threshold",
        "overrides__decided_on",
        "overrides__decision_number",
    )
    definitions = IndicatorDefinition.objects.values_list(*(f.attname for f in IndicatorDefinition._meta.fields))
    rows = [*rows, *definitions]
    return hashlib.sha1(repr(sorted(rows, key=repr)).encode(), usedforsecurity=False).hexdigest()[:12]
