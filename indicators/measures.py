"""The registry of measures: the named counts indicator definitions are built from.

A *source* is one aggregate query at the finest grain: given a `CountContext` it returns a Counter of raw
keys per organization, which `computation.roll_up` adds up the tree (and snapshots store). A *measure*
reads one number out of a node's rolled-up counts and may say how its rows are listed (drill-down).
Definitions (`IndicatorDefinition` rows) name a numerator and a denominator measure; see docs/indicators.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

SOURCES = {}
MEASURES = {}


@dataclass(frozen=True)
class CountContext:
    """What a source needs: the year, the counting date (31/12), the subtree's nodes, the TCCSĐ owning each
    node, a filter on organization_id for the subtree (empty for the whole tree) and the scope path."""

    year: int
    on: date
    nodes: dict
    owner: dict
    org_filter: dict
    scope_path: str | None = None
    below_grassroots: bool = False


@dataclass(frozen=True)
class Source:
    name: str
    collect: Callable  # (CountContext) -> {org_id: Counter of raw keys}
    # Keys that count distinct people: the roll-up cannot add them up the tree; `distinct(ctx, totals)`
    # recomputes them for every node of the subtree (None: every key adds up).
    distinct: Callable | None = None


@dataclass(frozen=True)
class Measure:
    """A named number read from a node's rolled-up counts (`value(counts) -> int`).

    `total` / `not_rated` describe the coverage of a denominator (how many could have been counted, and why
    the rest were not); `breakdown` the make-up of a numerator. `rows(**where)` lists the rows behind the
    number as (kind of rows, queryset), with where = actor, year, organization_id, org_type;
    `not_rated_rows(**where, reasons=)` and `missing_rows(**where)` list the uncounted rest.
    """

    name: str
    label: str
    source: str
    value: Callable
    total: Callable | None = None
    not_rated: Callable | None = None
    breakdown: Callable | None = None
    rows: Callable | None = None
    not_rated_rows: Callable | None = None
    missing_rows: Callable | None = None
    extra: dict = field(default_factory=dict)


def register_source(name, collect, *, distinct=None):
    """Register an aggregate query under `name` (registering a name twice is a programming error)."""
    if name in SOURCES:
        raise ValueError(f"source {name} is already registered")
    SOURCES[name] = Source(name, collect, distinct)
    return SOURCES[name]


def register_measure(measure):
    """Register a measure; its source must be registered first."""
    if measure.name in MEASURES:
        raise ValueError(f"measure {measure.name} is already registered")
    if measure.source not in SOURCES:
        raise ValueError(f"measure {measure.name}: unknown source {measure.source}")
    MEASURES[measure.name] = measure
    return measure


def measure_choices():
    """(name, label) of every registered measure, for forms."""
    return [(name, measure.label) for name, measure in sorted(MEASURES.items())]


def get_measure(name):
    return MEASURES[name]
