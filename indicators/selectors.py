"""The six indicators for a scope and a year: one aggregate query per indicator at the finest grain
(per organization), then indicators.computation rolls the counts up the tree as of 31/12 of the year."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import Http404

from evaluations import selectors as rating_selectors
from evaluations.models import (
    GOOD_OR_BETTER,
    Level,
    MemberRating,
    NotRatedReason,
    OrganizationRating,
    RatingYear,
    YearState,
)
from members.models import ADMISSION_KINDS, CommitteeSeat, Membership, MovementEvent, MovementKind, TheoryLevel
from members.models import TheoryQualification as Theory
from organizations import policy, scoping
from organizations.models import GRASSROOTS_KINDS, Organization, OrgKind, OrgType, Placement

from .computation import make_figure, program_rate, roll_up
from .models import Indicator, IndicatorSnapshot, Program, TargetOverride
from .successors import carried_records

LEVELS = [level.value for level in Level]
REASONS = [reason.value for reason in NotRatedReason]
CELL_KINDS = (OrgKind.CELL, OrgKind.SUB_COMMITTEE)


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    kind: str
    org_type: str
    path: str
    depth: int


@dataclass(frozen=True)
class NodeFigures:
    node: Node
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
    program: Program
    year: int
    as_of: date
    scope: NodeFigures
    children: list
    by_type: list  # (org_type, figures dict)
    cells: Counter  # ratings of cells (chi bộ trực thuộc), kept apart from T1
    t3_program: object
    computed_at: object = None  # when the figures were computed; None = live
    provisional: bool = False  # the rating year is not closed: every verdict is provisional

    def as_dict(self):
        return {
            "program": self.program.code,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "provisional": self.provisional,
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "scope": self.scope.as_dict(),
            "t3_program": self.t3_program.as_dict(),
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


def default_program():
    """The latest program; there is always one (a data migration loads 2020–2025) unless an admin removed it."""
    program = Program.objects.order_by("-last_year", "code").first()
    if program is None:
        raise Http404("No action program is defined.")
    return program


def _subtree(scope_path, on):
    rows = (
        Placement.objects.on(on)
        .filter(path__startswith=scope_path)
        .values_list(
            "organization_id",
            "organization__code",
            "organization__name",
            "organization__kind",
            "organization__org_type",
            "path",
            "depth",
        )
    )
    return {row[0]: Node(*row) for row in rows}


def _in_subtree(scope_path, on):
    """A filter on organization_id: the organizations of the subtree as of `on`, as a subquery (never a
    list of thousands of ids), or nothing at all for a whole tree."""
    if scope_path is None:
        return {}
    return {
        "organization_id__in": Placement.objects.on(on).filter(path__startswith=scope_path).values("organization_id")
    }


def _grassroots_of(nodes):
    """Map every organization of the subtree to the TCCSĐ it belongs to (itself for a TCCSĐ)."""
    grassroots = {node_id for node_id, node in nodes.items() if node.kind in GRASSROOTS_KINDS}
    owner = {}
    for node_id, node in nodes.items():
        for ancestor in (int(part) for part in node.path.strip("/").split("/")):
            if ancestor in grassroots:
                owner[node_id] = ancestor
                break
    return owner


def _org_counts(year, nodes, org_filter):
    """T1 at the finest grain: one row per rated TCCSĐ; cells' ratings are counted apart (keys cell_*)."""
    counts = defaultdict(Counter)
    for node_id, node in nodes.items():
        if node.kind in GRASSROOTS_KINDS:
            counts[node_id]["t1_total"] += 1
        elif node.kind in CELL_KINDS:
            counts[node_id]["cell_total"] += 1
    rows = OrganizationRating.objects.filter(year__year=year, **org_filter).values_list(
        "organization_id", "level", "not_rated_reason"
    )
    for org_id, level, reason in rows:
        key = level or reason
        if org_id not in nodes:  # an organization no longer in the tree on 31/12 of the year
            continue
        if nodes[org_id].kind in GRASSROOTS_KINDS:
            counts[org_id][f"t1_{key}"] += 1
        elif nodes[org_id].kind in CELL_KINDS:
            counts[org_id][f"cell_{key}"] += 1
    return counts


def cells_summary(counts):
    """Ratings of cells (chi bộ trực thuộc) from rolled-up counts; cells without a rating are pending."""
    summary = Counter({key[len("cell_") :]: n for key, n in counts.items() if key.startswith("cell_")})
    summary[NotRatedReason.PENDING] += summary["total"] - sum(summary[k] for k in LEVELS + REASONS)
    return summary


def _on_rolls(on):
    """Stints on the rolls on `on` (the counting date)."""
    return Membership.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


def _member_counts(year, on, nodes, owner, org_filter, *, below_grassroots=False):
    """T2 at the finest grain: a member counts at the unit whose rolls hold them on 31/12 — a cell (chi bộ
    trực thuộc) or the TCCSĐ itself — so each cell has its own T2 and the TCCSĐ the sum.

    A rating goes to the unit holding the member on 31/12 when that unit lies under the rating TCCSĐ, else
    (a member no longer on its rolls) to the rating TCCSĐ itself: the TCCSĐ's totals never depend on it.
    For a scope below a TCCSĐ (`below_grassroots`), the ratings its TCCSĐ gave to the members on its rolls."""
    counts = defaultdict(Counter)
    holding = _on_rolls(on).filter(member=OuterRef("member_id")).order_by("pk")
    roll_unit = Subquery(holding.values("organization_id")[:1])
    ratings = MemberRating.objects.filter(year__year=year).annotate(unit=roll_unit)
    if org_filter:
        where = Q(**org_filter)
        if below_grassroots:
            where |= Q(unit__in=org_filter["organization_id__in"])
        ratings = ratings.filter(where)
    ratings = (
        ratings.values_list("organization_id", "unit", "level", "not_rated_reason").annotate(n=Count("id")).order_by()
    )
    for org_id, unit, level, reason, n in ratings:
        counts[_rating_unit(org_id, unit, nodes)][f"t2_{level or reason}"] += n
    on_rolls = _on_rolls(on).filter(**org_filter).values_list("organization_id").annotate(n=Count("id")).order_by()
    for org_id, n in on_rolls:
        if org_id in owner or (below_grassroots and org_id in nodes):  # under a TCCSĐ (the scope's, if below one)
            counts[org_id]["t2_total"] += n
    return counts


def _rating_unit(org_id, unit, nodes):
    """Where a member rating given by `org_id` counts: `unit` (holding the member on 31/12) when it is the
    rating organization or lies under it, else the rating organization."""
    if unit is None or unit not in nodes:
        return org_id
    return unit if f"/{org_id}/" in nodes[unit].path else org_id


def _admission_counts(year, owner, org_filter):
    """T3 at the finest grain: admissions dated in the year and the rolls on 31/12 of the year before."""
    counts = defaultdict(Counter)
    admissions = (
        MovementEvent.objects.filter(kind__in=ADMISSION_KINDS, date__year=year, **org_filter)
        .values_list("organization_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Counted at the admitting unit itself (a cell has its own T3); the roll-up carries them to the TCCSĐ.
    for org_id, kind, n in admissions:
        counts[org_id]["t3_admissions"] += n
        if kind == MovementKind.READMITTED:
            counts[org_id]["t3_readmissions"] += n
    eve = date(year - 1, 12, 31)
    base = (
        Membership.objects.filter(start__lte=eve, **org_filter)
        .filter(Q(end__isnull=True) | Q(end__gt=eve))
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, n in base:
        counts[org_id]["t3_base"] += n
    return counts


def _committee_counts(on, nodes):
    """T4 at the finest grain: per TCCSĐ committee, the seat holders on 31/12 and those with
    intermediate political theory or higher on that date (a person is counted once per committee)."""
    grassroots = [node_id for node_id, node in nodes.items() if node.kind in GRASSROOTS_KINDS]
    level_on = Subquery(
        Theory.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )
    # Grouped by theory level too (a person holds one level on a date), so the report can show the
    # make-up of each committee; holders and qualified are the sums over the levels.
    rows = (
        CommitteeSeat.objects.filter(organization_id__in=grassroots, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .annotate(theory=level_on)
        .values_list("organization_id", "theory")
        .annotate(holders=Count("member", distinct=True))
        .order_by()
    )
    counts = defaultdict(Counter)
    for org_id, theory, holders in rows:
        theory = theory or TheoryLevel.NONE
        counts[org_id]["t4_total"] += holders
        counts[org_id][f"t4_theory_{theory}"] += holders
        if theory >= TheoryLevel.INTERMEDIATE:
            counts[org_id]["t4_qualified"] += holders
    return counts


def _not_rated(counts, prefix, rated):
    breakdown = {reason: counts[f"{prefix}{reason}"] for reason in REASONS}
    explicit = sum(v for k, v in breakdown.items() if k != NotRatedReason.PENDING)
    # Members or TCCSĐ with no rating row at all are missing data: shown as pending.
    breakdown[NotRatedReason.PENDING] += max(0, counts[f"{prefix}total"] - rated - explicit - breakdown["PENDING"])
    return breakdown


def provisional_years(years):
    """The years among `years` whose verdicts are provisional: every year whose rating year is not closed
    (an open rating year, or none opened yet). Closing the year makes its verdicts final."""
    years = set(years)
    return years - set(RatingYear.objects.filter(year__in=years, state=YearState.CLOSED).values_list("year", flat=True))


def figures_from_counts(counts, targets, thresholds, year, *, provisional=False):
    """The six Figures of one node from its rolled-up counts; `provisional` while the year is open."""
    figures = {}
    t1_rated = sum(counts[f"t1_{level}"] for level in LEVELS)
    t1_good = sum(counts[f"t1_{level}"] for level in GOOD_OR_BETTER)
    t1_not_rated = _not_rated(counts, "t1_", t1_rated)
    t2_rated = sum(counts[f"t2_{level}"] for level in LEVELS)
    t2_good = sum(counts[f"t2_{level}"] for level in GOOD_OR_BETTER)
    t2_not_rated = _not_rated(counts, "t2_", t2_rated)
    values = {
        Indicator.T1A: (t1_good, t1_rated, counts["t1_total"], t1_not_rated),
        Indicator.T1B: (counts[f"t1_{Level.NOT_COMPLETED}"], t1_rated, counts["t1_total"], t1_not_rated),
        Indicator.T2A: (t2_good, t2_rated, counts["t2_total"], t2_not_rated),
        Indicator.T2B: (counts[f"t2_{Level.NOT_COMPLETED}"], t2_rated, counts["t2_total"], t2_not_rated),
        Indicator.T3: (counts["t3_admissions"], counts["t3_base"], 0, {}),
        Indicator.T4: (counts["t4_qualified"], counts["t4_total"], 0, {}),
    }
    t1_levels = {level: counts[f"t1_{level}"] for level in LEVELS}
    t2_levels = {level: counts[f"t2_{level}"] for level in LEVELS}
    breakdowns = {
        Indicator.T1A: t1_levels,
        Indicator.T1B: t1_levels,
        Indicator.T2A: t2_levels,
        Indicator.T2B: t2_levels,
        Indicator.T3: {MovementKind.READMITTED.value: counts["t3_readmissions"]},
        Indicator.T4: {level.name: counts[f"t4_theory_{level.value}"] for level in TheoryLevel},
    }
    for code, (numerator, denominator, total, not_rated) in values.items():
        target = targets.get(code)
        if target is None:
            continue
        judged = target.deadline_year is None or year >= target.deadline_year
        figures[code] = make_figure(
            code,
            numerator,
            denominator,
            target,
            thresholds[code],
            total=total,
            not_rated=not_rated,
            judged=judged,
            provisional=provisional,
            breakdown=breakdowns[code],
        )
    return figures


def _thresholds_for(node, targets, overrides):
    """The threshold of each target for a node: the nearest override on the node or an ancestor."""
    ancestry = [int(part) for part in node.path.strip("/").split("/")][::-1]
    result = {}
    for code, target in targets.items():
        result[code] = target.threshold
        for org_id in ancestry:
            if (target.pk, org_id) in overrides:
                result[code] = overrides[(target.pk, org_id)]
                break
    return result


def year_counts(year, nodes, scope_path=None):
    """Finest-grain counts of every indicator for one year: a Counter per organization of `nodes`, the
    subtree at `scope_path` (None: the whole tree)."""
    on = date(year, 12, 31)
    owner = _grassroots_of(nodes)
    org_filter = _in_subtree(scope_path, on)
    below_grassroots = any(node.path == scope_path and node.kind in CELL_KINDS for node in nodes.values())
    per_org = defaultdict(Counter)
    for part in (
        _org_counts(year, nodes, org_filter),
        _member_counts(year, on, nodes, owner, org_filter, below_grassroots=below_grassroots),
        _admission_counts(year, owner, org_filter),
        _committee_counts(on, nodes),
        # T3 of the units that ended inside the year, where their successors sit (counting-rules §3).
        carried_records(year).counts(nodes),
    ):
        for org_id, counts in part.items():
            per_org[org_id].update(counts)
    return per_org


def counts_by_type(per_org, nodes):
    """Finest-grain counts regrouped by the type (loại hình) of the TCCSĐ each organization belongs to."""
    owner = _grassroots_of(nodes)
    by_type = defaultdict(lambda: defaultdict(Counter))
    for org_id, counts in per_org.items():
        grassroots = owner.get(org_id)
        if grassroots is not None:
            by_type[nodes[grassroots].org_type][org_id].update(counts)
    return by_type


def resolve_scope(*, actor, scope_id, on):
    """The scope node as of `on`: the given one if the actor may read it, else the top of the actor's scope."""
    if scope_id is None:
        paths = scoping.scope_paths(actor, on)
        if not paths:
            raise Http404
        placement = Placement.objects.on(on).select_related("organization").get(path=paths[0])
    else:
        placement = (
            scoping.visible_placements(actor, on)
            .filter(organization_id=scope_id)
            .select_related("organization")
            .first()
        )
        if placement is None:
            raise Http404
    org = placement.organization
    return Node(org.pk, org.code, org.name, org.kind, org.org_type, placement.path, placement.depth)


def _overrides(program):
    return {
        (o.target_id, o.organization_id): o.threshold for o in TargetOverride.objects.filter(target__program=program)
    }


def _assemble(*, program, year, scope, children, totals, scope_by_type, t3_yearly, computed_at):
    """Figures for a scope, its children and its TCCSĐ types from rolled-up counts (live or snapshot)."""
    targets = {t.indicator: t for t in program.targets.all()}
    overrides = _overrides(program)
    provisional = year in provisional_years([year])

    def node_figures(node):
        thresholds = _thresholds_for(node, targets, overrides)
        counts = totals.get(node.id, Counter())
        return NodeFigures(node, figures_from_counts(counts, targets, thresholds, year, provisional=provisional))

    scope_thresholds = _thresholds_for(scope, targets, overrides)
    by_type = [
        (
            org_type,
            figures_from_counts(scope_by_type[org_type], targets, scope_thresholds, year, provisional=provisional),
        )
        for org_type in OrgType.values
        if org_type in scope_by_type
    ]
    t3 = targets[Indicator.T3]
    return Compliance(
        program=program,
        year=year,
        as_of=date(year, 12, 31),
        scope=node_figures(scope),
        children=[node_figures(child) for child in sorted(children, key=lambda n: (n.kind, n.code))],
        by_type=by_type,
        cells=cells_summary(totals.get(scope.id, Counter())),
        t3_program=program_rate(t3_yearly, t3.comparator, scope_thresholds[Indicator.T3]),
        computed_at=computed_at,
        provisional=provisional,
    )


def compliance(*, actor, year, scope_id=None, program=None):
    """Every indicator for (scope, year), live from the ratings: for the scope, its direct sub-units and
    each TCCSĐ type, with T3 over the program years up to `year`."""
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
    t3_yearly = []
    for program_year in program.years:
        if program_year > year:
            break
        counts = totals[scope.id] if program_year == year else _past_admissions(scope.id, program_year)
        t3_yearly.append((program_year, counts["t3_admissions"], counts["t3_base"]))
    children = [node for node in nodes.values() if node.depth == scope.depth + 1]
    return _assemble(
        program=program,
        year=year,
        scope=scope,
        children=children,
        totals=totals,
        scope_by_type=scope_by_type,
        t3_yearly=t3_yearly,
        computed_at=None,
    )


def _past_admissions(scope_id, year):
    """Admissions and base of a node in an earlier year, over its subtree as it stood then: two counts
    in the database (the T3 series needs only the node's totals)."""
    on = date(year, 12, 31)
    past = Placement.objects.on(on).filter(organization_id=scope_id).first()
    counts = Counter()
    if past is None:
        return counts
    org_filter = _in_subtree(past.path, on)
    eve = date(year - 1, 12, 31)
    counts["t3_admissions"] = MovementEvent.objects.filter(
        kind__in=ADMISSION_KINDS, date__year=year, **org_filter
    ).count()
    counts["t3_base"] = (
        Membership.objects.filter(start__lte=eve, **org_filter).filter(Q(end__isnull=True) | Q(end__gt=eve)).count()
    )
    carried = carried_records(year)
    inside = set(
        org_filter["organization_id__in"]
        .filter(organization_id__in=carried.destinations())
        .values_list("organization_id", flat=True)
    )
    for org_counts in carried.counts(inside).values():
        counts.update(org_counts)
    return counts


def compliance_snapshot(*, actor, year, scope_id=None, program=None):
    """The same figures as `compliance`, read from the precomputed snapshot of the year (dashboards).

    Returns None when the year has no snapshot yet. `computed_at` says how fresh the figures are.
    """
    program = program or default_program()
    on = date(year, 12, 31)
    scope = resolve_scope(actor=actor, scope_id=scope_id, on=on)
    children = [
        Node(
            p.organization_id,
            p.organization.code,
            p.organization.name,
            p.organization.kind,
            p.organization.org_type,
            p.path,
            p.depth,
        )
        for p in scoping.visible_placements(actor, on).filter(parent_id=scope.id).select_related("organization")
    ]
    wanted = [scope.id, *(child.id for child in children)]
    rows = {s.organization_id: s for s in IndicatorSnapshot.objects.filter(year=year, organization_id__in=wanted)}
    if scope.id not in rows:
        return None
    history = dict(
        IndicatorSnapshot.objects.filter(organization_id=scope.id, year__in=program.years, year__lte=year).values_list(
            "year", "counts"
        )
    )
    t3_yearly = [
        (y, history.get(y, {}).get("t3_admissions", 0), history.get(y, {}).get("t3_base", 0))
        for y in program.years
        if y <= year
    ]
    totals = {org_id: Counter(row.counts) for org_id, row in rows.items()}
    scope_by_type = {t: Counter(c) for t, c in rows[scope.id].by_type.items()}
    return _assemble(
        program=program,
        year=year,
        scope=scope,
        children=children,
        totals=totals,
        scope_by_type=scope_by_type,
        t3_yearly=t3_yearly,
        computed_at=rows[scope.id].computed_at,
    )


def snapshot_counts(year):
    """Rolled-up counts for every node of the whole tree as of 31/12 of `year`: {org_id: (counts, by_type)}.

    A system computation (no actor): it feeds the snapshot table, which is read through the scoped
    `compliance_snapshot`."""
    on = date(year, 12, 31)
    nodes = {}
    for root in Placement.objects.on(on).filter(parent__isnull=True).values_list("path", flat=True):
        nodes.update(_subtree(root, on))
    per_org = year_counts(year, nodes)
    paths = {node_id: node.path for node_id, node in nodes.items()}
    totals = roll_up(per_org, paths)
    by_type_totals = {org_type: roll_up(counts, paths) for org_type, counts in counts_by_type(per_org, nodes).items()}
    result = {}
    for node_id in nodes:
        by_type = {t: dict(rolled[node_id]) for t, rolled in by_type_totals.items() if node_id in rolled}
        result[node_id] = (dict(totals.get(node_id, Counter())), by_type)
    return result


# Dashboard reads: a node's figures over the program years, and the rows behind each number (drill-down).
# The lists follow the aggregate queries above rule for rule, so their length is the figure's count.

NUMERATOR, DENOMINATOR, NOT_RATED, MISSING = "numerator", "denominator", "not_rated", "missing"
RATING_GROUPS = (NUMERATOR, DENOMINATOR, NOT_RATED, MISSING)
FIGURE_GROUPS = {
    Indicator.T1A: RATING_GROUPS,
    Indicator.T1B: RATING_GROUPS,
    Indicator.T2A: RATING_GROUPS,
    Indicator.T2B: RATING_GROUPS,
    Indicator.T3: (NUMERATOR, DENOMINATOR),
    Indicator.T4: (NUMERATOR, DENOMINATOR),
}
NUMERATOR_LEVELS = {
    Indicator.T1A: GOOD_OR_BETTER,
    Indicator.T1B: (Level.NOT_COMPLETED,),
    Indicator.T2A: GOOD_OR_BETTER,
    Indicator.T2B: (Level.NOT_COMPLETED,),
}
# What a drill-down lists: TCCSĐ (placements), member ratings, roll stints, admission events, committee seats.
ROWS_ORGANIZATIONS, ROWS_RATINGS, ROWS_STINTS, ROWS_ADMISSIONS, ROWS_SEATS = (
    "organizations",
    "ratings",
    "stints",
    "admissions",
    "seats",
)


def compliance_trend(*, actor, scope_id, program=None):
    """A node's six figures for every program year, from the snapshots: {year: figures, or None when the node
    was not in the actor's scope on 31/12 of that year or the year has no snapshot yet}."""
    program = program or default_program()
    targets = {t.indicator: t for t in program.targets.all()}
    overrides = _overrides(program)
    placements = list(Placement.objects.filter(organization_id=scope_id).select_related("organization"))
    nodes = {}
    for year in program.years:
        on = date(year, 12, 31)
        placement = next(
            (p for p in placements if p.valid_from <= on and (p.valid_to is None or p.valid_to >= on)), None
        )
        if placement is None or not any(placement.path.startswith(path) for path in scoping.scope_paths(actor, on)):
            continue
        org = placement.organization
        nodes[year] = Node(org.pk, org.code, org.name, org.kind, org.org_type, placement.path, placement.depth)
    counts = dict(
        IndicatorSnapshot.objects.filter(organization_id=scope_id, year__in=list(nodes)).values_list("year", "counts")
    )
    open_years = provisional_years(counts)
    return {
        year: figures_from_counts(
            Counter(counts[year]),
            targets,
            _thresholds_for(nodes[year], targets, overrides),
            year,
            provisional=year in open_years,
        )
        if year in counts
        else None
        for year in program.years
    }


def snapshot_figures(*, actor, node, year, program=None, org_type=""):
    """(figures, computed_at) of one node and year from its snapshot — of one TCCSĐ type within it with
    `org_type` — or (None, None) without a snapshot. `node` comes from resolve_scope, which checked the actor."""
    program = program or default_program()
    row = IndicatorSnapshot.objects.filter(organization_id=node.id, year=year).first()
    if row is None:
        return None, None
    counts = row.by_type.get(org_type, {}) if org_type else row.counts
    targets = {t.indicator: t for t in program.targets.all()}
    thresholds = _thresholds_for(node, targets, _overrides(program))
    figures = figures_from_counts(
        Counter(counts), targets, thresholds, year, provisional=year in provisional_years([year])
    )
    return figures, row.computed_at


def snapshot_versions(*, actor, node, program=None):
    """When each program year's snapshot of a node was computed ({year: computed_at}); a cheap read (no
    counts) that keys the dashboard's cache. `node` comes from resolve_scope, which checked the actor."""
    program = program or default_program()
    return dict(
        IndicatorSnapshot.objects.filter(organization_id=node.id, year__in=program.years).values_list(
            "year", "computed_at"
        )
    )


def targets_version(program):
    """A fingerprint of the program's targets and overrides: a changed threshold changes every figure."""
    rows = program.targets.values_list(
        "indicator", "comparator", "threshold", "deadline_year", "overrides__organization_id", "overrides__threshold"
    )
    return hashlib.sha1(repr(sorted(rows, key=repr)).encode(), usedforsecurity=False).hexdigest()[:12]


def scope_ancestors(*, actor, node, on):
    """The ancestors of a node that the actor may open (their part of the tree), root first: [(id, name)]."""
    paths = scoping.scope_paths(actor, on)
    ids = [int(part) for part in node.path.strip("/").split("/")[:-1]]
    prefixes = {org_id: "/" + "/".join(str(i) for i in ids[: n + 1]) + "/" for n, org_id in enumerate(ids)}
    visible = [org_id for org_id in ids if any(prefixes[org_id].startswith(path) for path in paths)]
    names = dict(Organization.objects.filter(pk__in=visible).values_list("pk", "name"))
    return [(org_id, names[org_id]) for org_id in visible if org_id in names]


def can_refresh_figures(actor):
    """The Board and the Steering Committee may ask for the dashboard figures to be recomputed (the policy)."""
    return policy.can(actor, policy.REFRESH_FIGURES)


def _theory_on(on):
    return Subquery(
        Theory.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )


def _carried_into(year, org_ids, records):
    """The pks of the records of units that ended inside the year whose successor lies among `org_ids`."""
    destinations = {record.destination for record in records}
    inside = set(org_ids.filter(organization_id__in=destinations).values_list("organization_id", flat=True))
    return [record.pk for record in records if record.destination in inside]


def admissions_list(*, actor, year, organization_id, org_type=""):
    """Admissions and re-admissions dated in the year by the organizations of the node's subtree on 31/12
    (T3's numerator), oldest first."""
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    carried = _carried_into(year, org_ids, carried_records(year).admissions)
    return (
        MovementEvent.objects.filter(
            Q(kind__in=ADMISSION_KINDS, date__year=year, organization_id__in=org_ids) | Q(pk__in=carried)
        )
        .select_related("member", "organization")
        .order_by("date", "member__name_folded", "pk")
    )


def rolls_at_start_list(*, actor, year, organization_id, org_type=""):
    """Stints on the rolls on 31/12 of the year before, in the organizations of the node's subtree as it
    stood on 31/12 of the year (T3's denominator)."""
    eve = date(year - 1, 12, 31)
    org_ids = rating_selectors.subtree_org_ids(
        actor=actor, year=year, organization_id=organization_id, org_type=org_type
    )
    carried = _carried_into(year, org_ids, carried_records(year).base)
    return (
        Membership.objects.filter(
            Q(organization_id__in=org_ids, start__lte=eve) & (Q(end__isnull=True) | Q(end__gt=eve)) | Q(pk__in=carried)
        )
        .select_related("member", "organization")
        .order_by("member__name_folded", "member_id")
    )


def committee_holders_list(*, actor, year, organization_id, qualified=False, org_type=""):
    """Holders of a seat on the committee of a TCCSĐ of the node's subtree on 31/12 of the year, once per
    committee (T4's denominator); with `qualified`, those with intermediate theory or higher that day (its
    numerator). Each seat carries `theory_level` on 31/12."""
    on = date(year, 12, 31)
    org_ids = (
        rating_selectors.subtree_placements(actor=actor, year=year, organization_id=organization_id, org_type=org_type)
        .filter(organization__kind__in=GRASSROOTS_KINDS)
        .values("organization_id")
    )
    in_force = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))
    # A person with two seats on one committee on that day counts once: keep their first seat.
    earlier = CommitteeSeat.objects.filter(
        in_force, organization=OuterRef("organization_id"), member=OuterRef("member_id"), pk__lt=OuterRef("pk")
    )
    seats = (
        CommitteeSeat.objects.filter(in_force, organization_id__in=org_ids)
        .exclude(Exists(earlier))
        .annotate(theory_level=_theory_on(on))
    )
    if qualified:
        seats = seats.filter(theory_level__gte=TheoryLevel.INTERMEDIATE)
    return seats.select_related("member", "organization").order_by("organization__code", "member__name_folded", "pk")


def figure_rows(*, actor, year, scope_id, indicator, group, reason="", org_type=""):
    """The rows behind one number of a figure of (scope, year) — numerator, denominator, not rated (optionally
    for one reason) or missing — as (kind of rows, queryset). Raises Http404 outside the actor's scope or for
    a group the indicator does not have."""
    if group not in FIGURE_GROUPS.get(indicator, ()) or (reason and reason not in rating_selectors.EXPLICIT_REASONS):
        raise Http404
    where = {"actor": actor, "year": year, "organization_id": scope_id, "org_type": org_type}
    if indicator in (Indicator.T1A, Indicator.T1B):
        if group == NUMERATOR:
            return ROWS_ORGANIZATIONS, rating_selectors.grassroots_ratings_list(
                **where, levels=NUMERATOR_LEVELS[indicator]
            )
        if group == DENOMINATOR:
            return ROWS_ORGANIZATIONS, rating_selectors.grassroots_ratings_list(**where, levels=LEVELS)
        if group == NOT_RATED:
            reasons = [reason] if reason else rating_selectors.EXPLICIT_REASONS
            return ROWS_ORGANIZATIONS, rating_selectors.grassroots_ratings_list(**where, reasons=reasons)
        return ROWS_ORGANIZATIONS, rating_selectors.grassroots_ratings_list(**where, missing=True)
    if indicator in (Indicator.T2A, Indicator.T2B):
        if group == NUMERATOR:
            return ROWS_RATINGS, rating_selectors.member_ratings_list(**where, levels=NUMERATOR_LEVELS[indicator])
        if group == DENOMINATOR:
            return ROWS_RATINGS, rating_selectors.member_ratings_list(**where, levels=LEVELS)
        if group == NOT_RATED:
            reasons = [reason] if reason else rating_selectors.EXPLICIT_REASONS
            return ROWS_RATINGS, rating_selectors.member_ratings_list(**where, reasons=reasons)
        return ROWS_STINTS, rating_selectors.members_unrated_list(**where)
    if indicator == Indicator.T3:
        if group == NUMERATOR:
            return ROWS_ADMISSIONS, admissions_list(**where)
        return ROWS_STINTS, rolls_at_start_list(**where)
    return ROWS_SEATS, committee_holders_list(**where, qualified=group == NUMERATOR)
