"""Figures from counts: every active indicator definition judged for a node, and the live computation of a
scope (its direct sub-units and TCCSĐ types) from the registered sources."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from evaluations.models import RatingYear, YearState
from organizations.models import OrgType, Placement

from .. import measures
from ..computation import make_figure, program_rate, roll_up
from ..definitions import active_definitions, definitions_for
from ..models import EvaluationMode, TargetOverride
from .counts import LEVELS, REASONS, cells_summary, counts_by_type, distinct_counts, year_counts
from .scope import _subtree, default_program, resolve_scope


@dataclass(frozen=True)
class Rule:
    """How a definition is judged for a program: its comparator, threshold (None: not judged), mode and deadline."""

    comparator: str
    threshold: object
    mode: str
    deadline_year: int | None
    target_pk: int | None = None


def program_targets(program):
    """{indicator code: Target} of the program, read once per program object, like its definitions (a dashboard
    judges the year's figures and the trend, and lists the targets that apply, from them)."""
    targets = getattr(program, "_targets_by_code", None)
    if targets is None:
        targets = program._targets_by_code = {t.indicator: t for t in program.targets.all()}
    return targets


def program_rules(program, definitions):
    """The rule of every definition for `program`: a program target takes the program's Target row of its code
    (left out without one), a tracked figure its own comparator and threshold."""
    targets = program_targets(program)
    rules = {}
    for definition in definitions:
        if definition.is_target:
            target = targets.get(definition.code)
            if target is None:
                continue
            rules[definition.code] = Rule(
                target.comparator, target.threshold, target.mode, target.deadline_year, target.pk
            )
        else:
            rules[definition.code] = Rule(
                definition.comparator or ">=",
                definition.threshold,
                definition.mode,
                definition.deadline_year,
            )
    return rules


@dataclass(frozen=True)
class NodeFigures:
    node: object
    figures: dict  # indicator code → Figure

    def as_dict(self):
        return {
            "code": self.node.code,
            "name": self.node.name,
            "kind": self.node.kind,
            "indicators": {code: figure.as_dict() for code, figure in self.figures.items()},
        }


@dataclass(frozen=True)
class Compliance:
    program: object
    year: int
    as_of: date
    scope: NodeFigures
    children: list
    by_type: list  # (org_type, figures dict)
    cells: Counter  # ratings of cells (chi bộ trực thuộc), kept apart from the TCCSĐ ratings
    program_rates: dict = field(default_factory=dict)  # code → ProgramRate, for definitions judged on the mean
    computed_at: object = None  # when the figures were computed; None = live
    provisional: bool = False  # the rating year is not closed: every verdict is provisional
    definitions: dict = field(default_factory=dict)  # code → IndicatorDefinition, in display order
    rules: dict = field(default_factory=dict)  # code → Rule: how the program judges each definition

    @property
    def t3_program(self):
        """The first program-mean rate (the admissions target): the key the JSON has always carried."""
        return next(iter(self.program_rates.values()), None)

    def as_dict(self):
        first = self.t3_program
        return {
            "program": self.program.code,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "provisional": self.provisional,
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "scope": self.scope.as_dict(),
            "t3_program": first.as_dict() if first is not None else None,
            "program_rates": {code: rate.as_dict() for code, rate in self.program_rates.items()},
            "definitions": [
                definition_dict(d, self.rules[code]) for code, d in self.definitions.items() if code in self.rules
            ],
            "children": [child.as_dict() for child in self.children],
            "by_type": [
                {"org_type": org_type, "indicators": {c: f.as_dict() for c, f in figures.items()}}
                for org_type, figures in self.by_type
            ],
            "cells": {
                "total": self.cells["total"],
                "levels": {level: self.cells[level] for level in LEVELS},
                "not_rated": {reason: self.cells[reason] for reason in REASONS},
            },
        }


def definition_dict(definition, rule):
    """What a stored run keeps of a definition, so its tables are built without the database and read the
    same after the definition changes: names in both languages, measures, unit, and the program's rule."""
    return {
        "code": definition.code,
        "name_vi": definition.name_vi,
        "name_en": definition.name_en,
        "short_name_vi": definition.short_name_vi,
        "short_name_en": definition.short_name_en,
        "numerator": definition.numerator,
        "denominator": definition.denominator,
        "unit": definition.unit,
        "kind": definition.kind,
        "group": definition.group,
        "mode": rule.mode,
        "deadline_year": rule.deadline_year,
    }


def provisional_years(years, program=None):
    """The years among `years` whose verdicts are provisional: every year whose rating year is not closed
    (an open rating year, or none opened yet). Closing the year makes its verdicts final. With `program` the
    closed years are read once per program object, like its targets (a dashboard asks for its key, its year
    and its trend)."""
    years = set(years)
    if program is None:
        closed = RatingYear.objects.filter(year__in=years, state=YearState.CLOSED).values_list("year", flat=True)
        return years - set(closed)
    closed = getattr(program, "_closed_years", None)
    if closed is None:
        closed = program._closed_years = frozenset(
            RatingYear.objects.filter(state=YearState.CLOSED).values_list("year", flat=True)
        )
    return years - closed


def measure_value(name, counts):
    """The value of a registered measure in a node's rolled-up counts (0 for an empty name)."""
    return measures.MEASURES[name].value(counts) if name else 0


def figures_from_counts(counts, rules, thresholds, year, *, provisional=False, definitions=None, detail=True):
    """The Figures of one node from its rolled-up counts, one per definition with a rule; `provisional` while
    the year is open. Without `detail` a figure has no not-rated breakdown and no make-up of its numerator
    (empty dicts): what a dashboard table's cell shows needs neither."""
    plan = figure_plan(rules, year, active_definitions() if definitions is None else definitions, detail)
    return plan_figures(plan, counts, thresholds, provisional)


def figure_plan(rules, year, definitions, detail=True):
    """What figures_from_counts looks up for each definition before it reads a node's counts (its rule, its
    measures, whether it is judged that year), once for the many nodes of a table: plan_figures then makes each
    node's figures. Definitions without a rule are left out."""
    plan = []
    for definition in definitions:
        rule = rules.get(definition.code)
        if rule is None:
            continue
        numerator = measures.MEASURES[definition.numerator]
        denominator = measures.MEASURES.get(definition.denominator) if definition.denominator else None
        plan.append(
            (
                definition,
                rule,
                numerator.value,
                denominator.value if denominator else None,
                denominator.total if denominator and denominator.total else None,
                denominator.not_rated if detail and denominator and denominator.not_rated else None,
                numerator.breakdown if detail and numerator.breakdown else None,
                rule.threshold is not None and (rule.deadline_year is None or year >= rule.deadline_year),
            )
        )
    return plan


def plan_figures(plan, counts, thresholds, provisional=False):
    """The Figures of one node (figures_from_counts) by a figure_plan."""
    figures = {}
    for definition, rule, numerator, denominator, total, not_rated, breakdown, judged in plan:
        code = definition.code
        figures[code] = make_figure(
            code,
            numerator(counts),
            denominator(counts) if denominator else 0,
            rule,
            thresholds.get(code, rule.threshold),
            total=total(counts) if total else 0,
            not_rated=not_rated(counts) if not_rated else {},
            judged=judged,
            provisional=provisional,
            breakdown=breakdown(counts) if breakdown else {},
            unit=definition.unit,
            measure=definition.numerator,
        )
    return figures


def _thresholds_for(node, rules, overrides):
    """The threshold of each rule for a node: the nearest target override on the node or an ancestor."""
    owners = {org_id for _target, org_id in overrides}
    # Only the ancestors that own an override can change a threshold (most own none).
    ancestry = [org_id for org_id in map(int, reversed(node.path.strip("/").split("/"))) if org_id in owners]
    result = {code: rule.threshold for code, rule in rules.items()}
    if not ancestry:
        return result
    for code, rule in rules.items():
        for org_id in ancestry:
            if (rule.target_pk, org_id) in overrides:
                result[code] = overrides[(rule.target_pk, org_id)]
                break
    return result


def program_overrides(program):
    """{(target id, organization id): TargetOverride, with its organization} of the program's own targets, read
    once per program object (like its targets and definitions: a dashboard builds the year's figures and the
    trend from them, and lists the targets that apply)."""
    overrides = getattr(program, "_overrides_by_target", None)
    if overrides is None:
        overrides = program._overrides_by_target = {
            (o.target_id, o.organization_id): o
            for o in TargetOverride.objects.filter(target__program=program).select_related("organization")
        }
    return overrides


def _overrides(program):
    """{(target id, organization id): threshold} of the program's own targets (program_overrides' thresholds)."""
    thresholds = getattr(program, "_override_thresholds", None)
    if thresholds is None:
        thresholds = program._override_thresholds = {key: o.threshold for key, o in program_overrides(program).items()}
    return thresholds


def mean_codes(definitions, rules):
    """The definitions judged on the mean over the program years."""
    return [d for d in definitions if d.code in rules and rules[d.code].mode == EvaluationMode.PROGRAM_MEAN]


def _assemble(*, program, year, scope, children, totals, scope_by_type, yearly, computed_at, tables_group=None):
    """Figures for a scope, its children and its TCCSĐ types from rolled-up counts (live or snapshot);
    `yearly` maps a program-mean code to [(year, numerator, denominator)]. With `tables_group`, the children's
    and types' figures are those of that definition group only, as a table shows them (figures_from_counts
    without `detail`)."""
    definitions = definitions_for(program)
    rules = program_rules(program, definitions)
    overrides = _overrides(program)
    provisional = year in provisional_years([year], program)
    table_definitions = [d for d in definitions if tables_group is None or d.group == tables_group]
    # A dashboard's tables (tables_group given) show no not-rated breakdown and no numerator make-up per row.
    table_detail = tables_group is None

    table_plan = figure_plan(rules, year, table_definitions, table_detail)

    def figures(counts, thresholds, plan=table_plan):
        return plan_figures(plan, counts, thresholds, provisional)

    def node_figures(node, plan=table_plan):
        thresholds = _thresholds_for(node, rules, overrides)
        return NodeFigures(node, figures(totals.get(node.id, Counter()), thresholds, plan))

    scope_thresholds = _thresholds_for(scope, rules, overrides)
    by_type = [
        (org_type, figures(scope_by_type[org_type], scope_thresholds))
        for org_type in OrgType.values
        if org_type in scope_by_type
    ]
    rates = {
        code: program_rate(series, rules[code].comparator, scope_thresholds[code]) for code, series in yearly.items()
    }
    return Compliance(
        program=program,
        year=year,
        as_of=date(year, 12, 31),
        scope=node_figures(scope, figure_plan(rules, year, definitions)),
        children=[node_figures(child) for child in sorted(children, key=lambda n: (n.kind, n.code))],
        by_type=by_type,
        cells=cells_summary(totals.get(scope.id, Counter())),
        program_rates=rates,
        computed_at=computed_at,
        provisional=provisional,
        definitions={d.code: d for d in definitions},
        rules=rules,
    )


def _past_counts(scope_id, year, sources):
    """A node's counts in an earlier year, over its subtree as it stood then, from the given sources only
    (a program-mean series needs only the node's totals)."""
    on = date(year, 12, 31)
    past = Placement.objects.on(on).filter(organization_id=scope_id).first()
    if past is None:
        return Counter()
    nodes = _subtree(past.path, on)
    totals = Counter()
    for counts in year_counts(year, nodes, past.path, sources=sources).values():
        totals.update(counts)
    totals.update(distinct_counts(year, nodes, past.path, sources=sources)[0][scope_id])
    return totals


def compliance(*, actor, year, scope_id=None, program=None):
    """Every indicator for (scope, year), live from the records: for the scope, its direct sub-units and
    each TCCSĐ type, with each program-mean figure over the program years up to `year`."""
    program = program or default_program()
    on = date(year, 12, 31)
    scope = resolve_scope(actor=actor, scope_id=scope_id, on=on)
    nodes = _subtree(scope.path, on)
    per_org = year_counts(year, nodes, scope.path)
    paths = {node_id: node.path for node_id, node in nodes.items()}
    totals = roll_up(per_org, paths, scope.depth)
    scope_by_type = defaultdict(Counter)
    for org_type, counts in counts_by_type(per_org, nodes).items():
        for org_counts in counts.values():
            scope_by_type[org_type].update(org_counts)
    people, people_by_type = distinct_counts(year, nodes, scope.path)
    for node_id, counts in people.items():
        totals[node_id].update(counts)
    for org_type, counts in people_by_type[scope.id].items():
        scope_by_type[org_type].update(counts)
    definitions = definitions_for(program)
    means = mean_codes(definitions, program_rules(program, definitions))
    sources = {measures.MEASURES[name].source for d in means for name in (d.numerator, d.denominator) if name}
    yearly = defaultdict(list)
    for program_year in program.years:
        if program_year > year:
            break
        counts = totals[scope.id] if program_year == year else _past_counts(scope.id, program_year, sources)
        for d in means:
            yearly[d.code].append(
                (program_year, measure_value(d.numerator, counts), measure_value(d.denominator, counts))
            )
    children = [node for node in nodes.values() if node.depth == scope.depth + 1]
    return _assemble(
        program=program,
        year=year,
        scope=scope,
        children=children,
        totals=totals,
        scope_by_type=scope_by_type,
        yearly=dict(yearly),
        computed_at=None,
    )
