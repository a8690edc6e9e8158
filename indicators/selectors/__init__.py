"""Indicator reads, split by concern: scope resolution (scope), the sources' aggregate queries (counts),
figures from counts and the live computation (figures), snapshots (snapshots), drill-down lists
(drilldown), the peer comparison of the reporting units (comparison), permission checks and cache keys
(access). The public names are re-exported here."""

from .. import core_measures  # noqa: F401  (registers the program's measures)
from .access import can_refresh_figures, targets_version
from .comparison import IMPROVED_TOP, Comparison, comparison, comparison_groups, comparison_units
from .counts import CELL_KINDS, LEVELS, REASONS, cells_summary, counts_by_type, year_counts
from .drilldown import (
    DENOMINATOR,
    FIGURE_GROUPS,
    MISSING,
    NOT_RATED,
    NUMERATOR,
    RATING_GROUPS,
    ROWS_ADMISSIONS,
    ROWS_ORGANIZATIONS,
    ROWS_RATINGS,
    ROWS_SEATS,
    ROWS_STINTS,
    admissions_list,
    committee_holders_list,
    figure_groups,
    figure_rows,
    rolls_at_start_list,
)
from .figures import (
    Compliance,
    NodeFigures,
    Rule,
    compliance,
    figures_from_counts,
    measure_value,
    program_rules,
    provisional_years,
)
from .scope import Node, default_program, resolve_scope, scope_ancestors
from .snapshots import (
    compliance_snapshot,
    compliance_trend,
    snapshot_counts,
    snapshot_figures,
    snapshot_versions,
)

__all__ = [
    "CELL_KINDS",
    "DENOMINATOR",
    "FIGURE_GROUPS",
    "IMPROVED_TOP",
    "LEVELS",
    "MISSING",
    "NOT_RATED",
    "NUMERATOR",
    "RATING_GROUPS",
    "REASONS",
    "ROWS_ADMISSIONS",
    "ROWS_ORGANIZATIONS",
    "ROWS_RATINGS",
    "ROWS_SEATS",
    "ROWS_STINTS",
    "Comparison",
    "Compliance",
    "Node",
    "NodeFigures",
    "Rule",
    "admissions_list",
    "can_refresh_figures",
    "cells_summary",
    "committee_holders_list",
    "comparison",
    "comparison_groups",
    "comparison_units",
    "compliance",
    "compliance_snapshot",
    "compliance_trend",
    "counts_by_type",
    "default_program",
    "figure_groups",
    "figure_rows",
    "figures_from_counts",
    "measure_value",
    "program_rules",
    "provisional_years",
    "resolve_scope",
    "rolls_at_start_list",
    "scope_ancestors",
    "snapshot_counts",
    "snapshot_figures",
    "snapshot_versions",
    "targets_version",
    "year_counts",
]
