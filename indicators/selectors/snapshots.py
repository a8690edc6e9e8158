"""Snapshots: the rolled-up counts of every node and year, precomputed for the dashboards, and the figures
read back from them."""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Case, Q, When

from organizations import scoping
from organizations.models import Organization, Placement

from ..computation import roll_up
from ..definitions import definitions_for
from ..models import IndicatorSnapshot
from .counts import collect_counts, count_context, counts_by_type, distinct_people, tally_people
from .figures import (
    _assemble,
    _overrides,
    _thresholds_for,
    figures_from_counts,
    mean_codes,
    measure_value,
    program_rules,
    provisional_years,
)
from .scope import Node, _subtree, default_program, resolve_scope


def compliance_snapshot(*, actor, year, scope_id=None, program=None, tables_group=None, scope=None):
    """The same figures as `compliance`, read from the precomputed snapshot of the year (dashboards).

    Returns None when the year has no snapshot yet. `computed_at` says how fresh the figures are. With
    `tables_group` the sub-units' and TCCSĐ types' figures are those of that definition group only: the tables a
    dashboard shows (a province's 145 sub-units by every definition were a third of its cold render, measured).
    `scope`: the Node resolve_scope already gave for the actor and `scope_id` on 31/12 of the year, if any.
    """
    program = program or default_program()
    on = date(year, 12, 31)
    if scope is None:
        scope = resolve_scope(actor=actor, scope_id=scope_id, on=on)
    children = _children(actor, scope, on)
    # One read for the year's rows of the scope and its sub-units and the scope's earlier years (the program
    # means); only the scope's row of the year brings its per-type counts (the sub-units' were ~half the JSON).
    years = [y for y in program.years if y <= year]
    rows = IndicatorSnapshot.objects.filter(
        Q(year=year, organization_id__in=[scope.id, *(child.id for child in children)])
        | Q(organization_id=scope.id, year__in=years)
    ).values_list(
        "year",
        "organization_id",
        "counts",
        Case(When(year=year, organization_id=scope.id, then="by_type")),
        "computed_at",
    )
    totals, history, scope_by_type, computed_at = {}, {}, None, None
    for row_year, org_id, counts, by_type, row_computed_at in rows:
        if org_id == scope.id:
            history[row_year] = counts
        if row_year == year:
            totals[org_id] = Counter(counts)
            if org_id == scope.id:
                scope_by_type, computed_at = by_type, row_computed_at
    if computed_at is None:
        return None
    definitions = definitions_for(program)
    yearly = {
        d.code: [
            (
                y,
                measure_value(d.numerator, Counter(history.get(y, {}))),
                measure_value(d.denominator, Counter(history.get(y, {}))),
            )
            for y in program.years
            if y <= year
        ]
        for d in mean_codes(definitions, program_rules(program, definitions))
    }
    scope_by_type = {t: Counter(c) for t, c in scope_by_type.items()}
    return _assemble(
        program=program,
        year=year,
        scope=scope,
        children=children,
        totals=totals,
        scope_by_type=scope_by_type,
        yearly=yearly,
        computed_at=computed_at,
        tables_group=tables_group,
    )


def _children(actor, scope, on):
    """The Nodes of the scope's direct sub-units the actor may read on `on`. Their placements, then their
    organizations by id: joined in one statement, PostgreSQL hashed the whole organizations table for the 145
    sub-units of the large province (2.2 ms a cold dashboard, against 0.1 + 0.2 ms)."""
    placed = list(
        scoping.visible_placements(actor, on).filter(parent_id=scope.id).values_list("organization_id", "path", "depth")
    )
    ids = [org_id for org_id, _path, _depth in placed]
    rows = Organization.objects.filter(pk__in=ids).values_list("id", "code", "name", "kind", "org_type")
    organizations = {org_id: rest for org_id, *rest in rows}
    return [Node(org_id, *organizations[org_id], path, depth) for org_id, path, depth in placed]


def snapshot_counts(year):
    """Rolled-up counts for every node of the whole tree as of 31/12 of `year`: {org_id: (counts, by_type)}.

    A system computation (no actor): it feeds the snapshot table, which is read through the scoped
    `compliance_snapshot`."""
    on = date(year, 12, 31)
    nodes = {}
    for root in Placement.objects.on(on).filter(parent__isnull=True).values_list("path", flat=True):
        nodes.update(_subtree(root, on))
    return subtree_counts(year, nodes).rows


@dataclass(frozen=True)
class SubtreeCounts:
    """The snapshot rows of a subtree ({org_id: (counts, by_type)}) and what a node above it adds up: the
    rolled-up counts without the distinct-people keys ({org_id: Counter}, {org_type: {org_id: Counter}}) and
    the people those keys count (distinct_people's tuples)."""

    rows: dict
    totals: dict
    by_type: dict
    people: list


def subtree_counts(year, nodes, scope_path=None):
    """The snapshot rows of every node of `nodes`, the subtree at `scope_path` (None: the whole tree)."""
    ctx = count_context(year, nodes, scope_path)
    if scope_path is not None:
        # The subtree's ids as a list (its nodes are loaded anyway), not a subquery: the planner then knows how few
        # they are and reads their rows by index (measured on a district of `large`: the rolls 100 → 20 ms).
        ctx = replace(ctx, org_filter={"organization_id__in": sorted(nodes)})
    per_org = collect_counts(ctx)
    paths = {node_id: node.path for node_id, node in nodes.items()}
    totals = roll_up(per_org, paths)
    by_type_totals = {org_type: roll_up(counts, paths) for org_type, counts in counts_by_type(per_org, nodes).items()}
    people = list(distinct_people(ctx))
    people_totals, people_by_type = tally_people(people, nodes)
    rows = {}
    for node_id in nodes:
        counts = Counter(totals.get(node_id, Counter()))
        counts.update(people_totals.get(node_id, Counter()))
        by_type = {t: Counter(rolled[node_id]) for t, rolled in by_type_totals.items() if node_id in rolled}
        for org_type, type_counts in people_by_type.get(node_id, {}).items():
            by_type.setdefault(org_type, Counter()).update(type_counts)
        rows[node_id] = (dict(counts), {t: dict(c) for t, c in by_type.items()})
    return SubtreeCounts(rows=rows, totals=totals, by_type=by_type_totals, people=people)


def compliance_trend(*, actor, scope_id, program=None, nodes=None):
    """A node's figures for every program year, from the snapshots: {year: figures, or None when the node
    was not in the actor's scope on 31/12 of that year or the year has no snapshot yet}. `nodes`: what
    trend_nodes gave for the same actor and node, when the caller has it already."""
    program = program or default_program()
    definitions = definitions_for(program)
    rules = program_rules(program, definitions)
    overrides = _overrides(program)
    if nodes is None:
        nodes = trend_nodes(actor=actor, scope_id=scope_id, program=program)
    counts = dict(
        IndicatorSnapshot.objects.filter(organization_id=scope_id, year__in=list(nodes)).values_list("year", "counts")
    )
    open_years = provisional_years(counts, program)
    return {
        year: figures_from_counts(
            Counter(counts[year]),
            rules,
            _thresholds_for(nodes[year], rules, overrides),
            year,
            provisional=year in open_years,
            definitions=definitions,
        )
        if year in counts
        else None
        for year in program.years
    }


def trend_nodes(*, actor, scope_id, program=None):
    """{year: Node} of the node on 31/12 of each program year in which it was in the actor's scope: the years
    its trend shows, what the dashboard's shared cache entry of a node depends on besides its snapshots."""
    program = program or default_program()
    placements = list(Placement.objects.filter(organization_id=scope_id).select_related("organization"))
    readable = scoping.scope_paths_by_day(actor, [date(year, 12, 31) for year in program.years])
    nodes = {}
    for year in program.years:
        on = date(year, 12, 31)
        placement = next(
            (p for p in placements if p.valid_from <= on and (p.valid_to is None or p.valid_to >= on)), None
        )
        if placement is None or not any(placement.path.startswith(path) for path in readable[on]):
            continue
        org = placement.organization
        nodes[year] = Node(org.pk, org.code, org.name, org.kind, org.org_type, placement.path, placement.depth)
    return nodes


def snapshot_figures(*, actor, node, year, program=None, org_type=""):
    """(figures, computed_at) of one node and year from its snapshot — of one TCCSĐ type within it with
    `org_type` — or (None, None) without a snapshot. `node` comes from resolve_scope, which checked the actor."""
    program = program or default_program()
    row = IndicatorSnapshot.objects.filter(organization_id=node.id, year=year).first()
    if row is None:
        return None, None
    counts = row.by_type.get(org_type, {}) if org_type else row.counts
    definitions = definitions_for(program)
    rules = program_rules(program, definitions)
    thresholds = _thresholds_for(node, rules, _overrides(program))
    figures = figures_from_counts(
        Counter(counts),
        rules,
        thresholds,
        year,
        provisional=year in provisional_years([year], program),
        definitions=definitions,
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


def snapshot_year_computed_at(year):
    """When the snapshot of `year` was computed (every row of a year is written at once), or None: a system fact
    that reveals no figure."""
    return IndicatorSnapshot.objects.filter(year=year).values_list("computed_at", flat=True).first()
