"""Peer comparison of the reporting units (issue 12, item 7): every unit side by side for a year, ranked per
indicator, with its values over the program years and its change against the year before. Aggregates only: a
unit's figures, never a member. Read from the snapshots, as the dashboard is."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cmp_to_key

from organizations import policy, scoping

from ..computation import Figure
from ..definitions import PROGRAM_GROUP, definitions_for
from ..models import UNIT_SCALES, Comparator, IndicatorSnapshot, Unit
from .figures import _overrides, _thresholds_for, figures_from_counts, program_rules, provisional_years
from .scope import Node, default_program, resolve_scope

HIGHER, LOWER = "higher", "lower"  # which value is better: follows the comparator (">", ">=" / "<", "<=")
DIRECTIONS = {Comparator.GT: HIGHER, Comparator.GE: HIGHER, Comparator.LT: LOWER, Comparator.LE: LOWER}
# How many units "who improved most" lists per indicator (ties at the last place are all listed).
IMPROVED_TOP = 3
PLACES = Decimal("0.0001")


def comparison_units(*, actor, year, scope):
    """The reporting units compared for `year`: the committees directly under `scope` (the province) on 31/12 of
    the year that the actor may read — the district-level committees before the 2025 reform, the communes and the
    committees directly under the province after it. The one place that says who is compared: units outside the
    tree (party delegations…) have no figures and are not compared."""
    on = date(year, 12, 31)
    placements = (
        scoping.visible_placements(actor, on)
        .filter(parent_id=scope.id)
        .select_related("organization")
        .order_by("organization__code")
    )
    return [
        Node(p.organization_id, p.organization.code, p.organization.name, p.organization.kind,
             p.organization.org_type, p.path, p.depth)
        for p in placements
    ]  # fmt: skip


@dataclass(frozen=True)
class Change:
    """A unit's figure against the year before, in points of the figure's unit (percentage points for a %)."""

    previous: Figure | None
    points: Fraction | None  # current − previous; None without a value in either year
    improvement: Fraction | None  # the points in the better direction (None: no direction or no points)
    rank: int | None = None  # 1 = improved most; None: not ranked
    new: bool = False  # the unit was not in the tree on 31/12 of the year before: marked, not ranked


@dataclass(frozen=True)
class UnitRow:
    node: Node
    figure: Figure | None  # None: the unit has no snapshot for the year
    rank: int | None  # 1 = best; None: unranked (no denominator, or a figure without a direction)
    trend: tuple  # ((year, Figure or None), …) over the program years up to the year
    change: Change


@dataclass(frozen=True)
class IndicatorComparison:
    definition: object
    comparator: str
    threshold: object
    direction: str | None  # HIGHER, LOWER, or None for a tracked figure without a comparator of its own
    rows: list  # UnitRow, ranked ones first by rank, then the unranked ones by code
    improved: list = field(default_factory=list)  # UnitRow, ranked by improvement (the ranked ones only)

    @property
    def code(self):
        return self.definition.code

    @property
    def most_improved(self):
        """The units that improved most (an improvement above zero), at most IMPROVED_TOP places."""
        return [row for row in self.improved if row.change.improvement > 0 and row.change.rank <= IMPROVED_TOP]


@dataclass(frozen=True)
class Comparison:
    program: object
    year: int
    scope: Node
    units: list  # Node
    years: tuple  # the program years up to the year (the trend's columns)
    indicators: list  # IndicatorComparison, in the definitions' display order
    computed_at: object
    provisional: bool

    def indicator(self, code):
        return next((item for item in self.indicators if item.code == code), None)

    def as_dict(self):
        return {
            "program": self.program.code,
            "year": self.year,
            "as_of": date(self.year, 12, 31).isoformat(),
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "provisional": self.provisional,
            "scope": {"code": self.scope.code, "name": self.scope.name},
            "years": list(self.years),
            "units": [{"code": n.code, "name": n.name, "kind": n.kind} for n in self.units],
            "indicators": [_indicator_dict(item) for item in self.indicators],
        }


def _points_text(value):
    """Points as a decimal string with 4 places, as the figures' ratios are written."""
    if value is None:
        return None
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(PLACES))


def _ratio(figure):
    return None if figure is None or figure.ratio is None else str(figure.ratio)


def _indicator_dict(item):
    return {
        "code": item.code,
        "name": item.definition.name,
        "unit": item.definition.unit,
        "comparator": item.comparator or None,
        "threshold": None if item.threshold is None else format(item.threshold.normalize(), "f"),
        "direction": item.direction,
        "rows": [
            {
                "code": row.node.code,
                "name": row.node.name,
                "numerator": row.figure.numerator if row.figure else None,
                "denominator": row.figure.denominator if row.figure else None,
                "ratio": _ratio(row.figure),
                "status": row.figure.status if row.figure else None,
                "rank": row.rank,
                "trend": [{"year": year, "ratio": _ratio(figure)} for year, figure in row.trend],
                "change": {
                    "previous_ratio": _ratio(row.change.previous),
                    "points": _points_text(row.change.points),
                    "improvement": _points_text(row.change.improvement),
                    "rank": row.change.rank,
                    "new": row.change.new,
                },
            }
            for row in item.rows
        ],
        "most_improved": [row.node.code for row in item.most_improved],
    }


def _value(figure):
    """(numerator, denominator) of a figure's value, to compare exactly; None without a value (no denominator).
    A count compares its numerator."""
    if figure is None:
        return None
    if figure.unit == Unit.COUNT:
        return figure.numerator, 1
    if not figure.denominator:
        return None
    return figure.numerator, figure.denominator


def _cross(a, b):
    """-1, 0, 1 as a/b-pairs compare, by cross-multiplication of the integer counts (denominators are > 0)."""
    left, right = a[0] * b[1], b[0] * a[1]
    return (left > right) - (left < right)


def competition_ranks(values, direction, compare=_cross):
    """{key: rank} for `values` ({key: value}), best first, ties sharing a rank ("1, 2, 2, 4")."""
    better_first = cmp_to_key(lambda a, b: compare(b[1], a[1]) if direction == HIGHER else compare(a[1], b[1]))
    ordered = sorted(values.items(), key=better_first)
    ranks, previous = {}, None
    for index, (key, value) in enumerate(ordered):
        if previous is None or compare(value, previous[1]) != 0:
            previous = (index + 1, value)
        ranks[key] = previous[0]
    return ranks


def _points(current, previous, unit):
    """current − previous in points of the unit (percentage points for a %), exactly."""
    a, b = _value(current), _value(previous)
    if a is None or b is None:
        return None
    scale = 1 if unit == Unit.COUNT else UNIT_SCALES[unit]
    return (Fraction(a[0], a[1]) - Fraction(b[0], b[1])) * scale


def _direction(definition, rule):
    """Better is higher or lower as the comparator says: the program's target's, or a tracked figure's own (a
    tracked figure without one has no better value, so it is shown, not ranked)."""
    comparator = rule.comparator if definition.is_target else definition.comparator
    return DIRECTIONS.get(comparator)


def _compare_fractions(a, b):
    return (a > b) - (a < b)


def _indicator(definition, rule, threshold, units, figures, existed, years, year):
    direction = _direction(definition, rule)
    code = definition.code

    def figure_of(node, y):
        return (figures.get((node.id, y)) or {}).get(code)

    values = {node.id: _value(figure_of(node, year)) for node in units}
    ranks = {}
    if direction is not None:
        ranks = competition_ranks({k: v for k, v in values.items() if v is not None}, direction)
    changes = {}
    for node in units:
        current, previous = figure_of(node, year), figure_of(node, year - 1)
        new = node.id not in existed
        points = None if new else _points(current, previous, definition.unit)
        improvement = None
        if points is not None and direction is not None:
            improvement = points if direction == HIGHER else -points
        changes[node.id] = (previous if not new else None, points, improvement, new)
    improvement_ranks = competition_ranks(
        {k: c[2] for k, c in changes.items() if c[2] is not None}, HIGHER, _compare_fractions
    )
    rows = []
    for node in units:
        previous, points, improvement, new = changes[node.id]
        rows.append(
            UnitRow(
                node=node,
                figure=figure_of(node, year),
                rank=ranks.get(node.id),
                trend=tuple((y, figure_of(node, y)) for y in years),
                change=Change(previous, points, improvement, improvement_ranks.get(node.id), new),
            )
        )
    # Ranked units by rank, then the unranked ones (no denominator) last; the code breaks ties for a stable order.
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.node.code))
    improved = sorted(
        (row for row in rows if row.change.rank is not None), key=lambda row: (row.change.rank, row.node.code)
    )
    return IndicatorComparison(definition, rule.comparator, threshold, direction, rows, improved)


def comparison(*, actor, year, group=None, program=None, units=None):
    """Every reporting unit side by side for `year`, per indicator (the definitions of `group`, default every
    program target), from the snapshots: values, ranks, yearly values and the change against the year before.
    Only for holders of COMPARE_UNITS; None when the year has no snapshot yet. `units` (Nodes) replaces
    comparison_units for a caller that knows the reporting units otherwise."""
    policy.require(actor, policy.COMPARE_UNITS)
    program = program or default_program()
    on = date(year, 12, 31)
    scope = resolve_scope(actor=actor, scope_id=None, on=on)
    policy.require(actor, policy.COMPARE_UNITS, scope.id, on)
    units = comparison_units(actor=actor, year=year, scope=scope) if units is None else units
    definitions = [d for d in definitions_for(program) if d.group == (group or PROGRAM_GROUP)]
    rules = program_rules(program, definitions)
    definitions = [d for d in definitions if d.code in rules]
    years = tuple(y for y in program.years if y <= year)
    wanted = [unit.id for unit in units]
    stored = {
        (row.organization_id, row.year): row
        for row in IndicatorSnapshot.objects.filter(organization_id__in=[scope.id, *wanted], year__in=years)
    }
    if (scope.id, year) not in stored:
        return None
    # A unit's past figures count only for the years it stood in the actor's part of the tree.
    visible = {
        y: set(
            scoping.visible_placements(actor, date(y, 12, 31))
            .filter(organization_id__in=wanted)
            .values_list("organization_id", flat=True)
        )
        for y in {*years, year - 1}
    }
    overrides = _overrides(program)
    open_years = provisional_years(years)
    figures = {}
    for unit in units:
        thresholds = _thresholds_for(unit, rules, overrides)
        for y in years:
            row = stored.get((unit.id, y))
            if row is None or unit.id not in visible[y]:
                continue
            figures[(unit.id, y)] = figures_from_counts(
                Counter(row.counts), rules, thresholds, y, provisional=y in open_years, definitions=definitions
            )
    scope_thresholds = _thresholds_for(scope, rules, overrides)
    indicators = [
        _indicator(d, rules[d.code], scope_thresholds[d.code], units, figures, visible[year - 1], years, year)
        for d in definitions
    ]
    return Comparison(
        program=program,
        year=year,
        scope=scope,
        units=units,
        years=years,
        indicators=indicators,
        computed_at=stored[(scope.id, year)].computed_at,
        provisional=year in open_years,
    )


def comparison_groups(program=None):
    """The definition groups a comparison can show, in display order (the program's targets first)."""
    program = program or default_program()
    return list(dict.fromkeys(d.group for d in definitions_for(program)))
