"""Permission checks and cache keys of the dashboard."""

import hashlib

from organizations import policy


def can_refresh_figures(actor):
    """The Board and the Steering Committee may ask for the dashboard figures to be recomputed (the policy)."""
    return policy.can(actor, policy.REFRESH_FIGURES)


def targets_version(program):
    """A fingerprint of the program's targets and overrides: a changed threshold changes every figure."""
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
    return hashlib.sha1(repr(sorted(rows, key=repr)).encode(), usedforsecurity=False).hexdigest()[:12]
