"""The program's targets over a span of years, for the final review (tổng kết) and a mid-term review (sơ kết giữa
kỳ): per target every year's figure and verdict, "achieved in k of n years", the program mean and pooled rate, the
result at the deadline year — for a scope and its direct sub-units, in two modes (docs/decisions.md, issue 12):

- historical: each unit as it stood on 31/12 of each year (blank in the years it did not exist), from the
  snapshots where they exist, else live;
- comparable: a unit existing on 31/12 of the span's last year recomputed, for every earlier year, over the TCCSĐ
  that make it up at the end of the span traced back through successor links to those in force that year
  (`comparable_composition`), their per-TCCSĐ counts of the year summed. Always live.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max

from organizations import scoping
from organizations.models import GRASSROOTS_KINDS, Organization, Placement, SuccessorLink

from .. import measures
from ..computation import MET, ProgramRate, program_rate, roll_up
from ..definitions import definitions_for
from ..models import EvaluationMode, IndicatorSnapshot
from .access import targets_version
from .counts import distinct_counts, year_counts
from .figures import _overrides, _thresholds_for, figures_from_counts, program_rules, provisional_years
from .scope import Node, _grassroots_of, _subtree, default_program, resolve_scope

HISTORICAL, COMPARABLE = "historical", "comparable"
MODES = (HISTORICAL, COMPARABLE)
# A chain of reorganizations is short (one per reform); the bound only guards against a cycle in bad data.
MAX_CHAIN = 20


@dataclass(frozen=True)
class TargetSeries:
    """One target of one unit over the span: the figure of every year (None: the unit did not exist, or nothing
    was counted) and the summary its mode asks for."""

    code: str
    mode: str
    years: tuple  # ((year, Figure or None), …)
    achieved: int | None = None  # EACH_YEAR: the years met
    rate: ProgramRate | None = None  # PROGRAM_MEAN: the mean of the yearly ratios and the pooled ratio
    deadline_year: int | None = None  # BY_DEADLINE: the year judged (the span's last year before the deadline)
    deadline: object = None  # BY_DEADLINE: the Figure of that year

    @property
    def span_years(self):
        return len(self.years)

    def figure(self, year):
        return dict(self.years).get(year)


@dataclass(frozen=True)
class UnitReview:
    node: Node
    series: dict  # target code → TargetSeries
    # Comparable mode: the TCCSĐ counted for the unit that are not part of it at the end of the span (merged into
    # one of its TCCSĐ), as (code, name, last day); () in historical mode.
    traced: tuple = ()
    present: tuple = ()  # the years the unit has figures


@dataclass(frozen=True)
class FinalReview:
    program: object
    first: int
    last: int
    mode: str
    scope: UnitReview
    children: list
    definitions: dict  # code → IndicatorDefinition of the targets, in display order
    rules: dict  # code → Rule
    provisional: frozenset = field(default_factory=frozenset)  # the years whose rating year is not closed

    @property
    def years(self):
        return list(range(self.first, self.last + 1))

    @property
    def is_whole_program(self):
        return (self.first, self.last) == (self.program.first_year, self.program.last_year)


def _end(year):
    return date(year, 12, 31)


def _node(placement):
    org = placement.organization
    return Node(org.pk, org.code, org.name, org.kind, org.org_type, placement.path, placement.depth)


def target_definitions(program):
    """The program's targets (definitions of kind TARGET with a Target row), in display order, and their rules."""
    definitions = definitions_for(program)
    rules = program_rules(program, definitions)
    targets = [d for d in definitions if d.is_target and d.code in rules]
    return targets, {d.code: rules[d.code] for d in targets}


def _sources(targets):
    return {measures.MEASURES[name].source for d in targets for name in (d.numerator, d.denominator) if name}


# ---------------------------------------------------------------- the comparable composition


def _main_successors():
    """{successor: [predecessor, …]} keeping, for each predecessor, one successor only — the one that received most
    of its members (the first link on a tie) — so a split unit is counted once, never in two units."""
    best = {}
    for predecessor, successor, moved in SuccessorLink.objects.order_by("pk").values_list(
        "predecessor_id", "successor_id", "members_moved"
    ):
        if predecessor not in best or moved > best[predecessor][1]:
            best[predecessor] = (successor, moved)
    predecessors = defaultdict(list)
    for predecessor, (successor, _moved) in best.items():
        predecessors[successor].append(predecessor)
    return predecessors


def _lineage(end_ids, predecessors):
    """{org id: (code, name, kind, valid_from, valid_to)} of the organizations of `end_ids` and of every TCCSĐ they
    descend from through the kept successor links."""
    info = {}
    wanted = set(end_ids)
    for _ in range(MAX_CHAIN):
        wanted -= set(info)
        if not wanted:
            break
        rows = Organization.objects.filter(pk__in=wanted).values_list(
            "pk", "code", "name", "kind", "valid_from", "valid_to"
        )
        found = {pk: rest for pk, *rest in rows}
        info.update(found)
        wanted = {p for org_id in found for p in predecessors.get(org_id, ())}
    return info


def _valid(info, on):
    _code, _name, _kind, valid_from, valid_to = info
    return valid_from <= on and (valid_to is None or valid_to >= on)


def _trace(org_id, on, info, predecessors, seen):
    """The TCCSĐ in force on `on` that `org_id` stands for: itself if it is one and in force, and the TCCSĐ merged
    into it since (a predecessor that is not a TCCSĐ — a district a commune committee took over — is not followed:
    the unit's own TCCSĐ already say where its counts come from)."""
    if org_id in seen or org_id not in info:
        return set()
    seen.add(org_id)
    found = set()
    if info[org_id][2] in GRASSROOTS_KINDS and _valid(info[org_id], on):
        found.add(org_id)
    for predecessor in predecessors.get(org_id, ()):
        if predecessor in info and info[predecessor][2] in GRASSROOTS_KINDS:
            found |= _trace(predecessor, on, info, predecessors, seen)
    return found


def comparable_composition(end_nodes, years, *, predecessors=None, info=None):
    """For a unit's subtree as it stands at the end of the span (`end_nodes`: {id: Node}), the organizations whose
    counts of each year make it up — ({year: (TCCSĐ ids, own ids)}, {org id: (code, name, kind, from, to)}).

    TCCSĐ: every TCCSĐ of the subtree in force on 31/12 of the year, and every TCCSĐ merged into one of the
    subtree's organizations since, traced back through successor links (a unit split in two counts with the
    successor that received most of its members). Own: the organizations above the TCCSĐ (the committee itself)
    in force that year, for the records on their own rolls."""
    predecessors = _main_successors() if predecessors is None else predecessors
    info = _lineage(end_nodes, predecessors) if info is None else info
    owner = _grassroots_of(end_nodes)
    result = {}
    for year in years:
        on = _end(year)
        grassroots = set()
        for org_id in end_nodes:
            grassroots |= _trace(org_id, on, info, predecessors, set())
        own = {org_id for org_id in end_nodes if org_id not in owner and org_id in info and _valid(info[org_id], on)}
        result[year] = (grassroots, own)
    return result, info


def _common_path(paths):
    """The deepest node whose subtree holds every path."""
    parts = [path.strip("/").split("/") for path in paths]
    common = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        common.append(segment[0])
    return "/" + "/".join(common) + "/" if common else None


def _composed_counts(year, org_ids, own_ids, sources):
    """Per organization of `org_ids` its counts of `year` over its subtree as it stood on 31/12 (rolled up, with its
    distinct people), and per organization of `own_ids` the records of its own rolls only."""
    on = _end(year)
    wanted = set(org_ids) | set(own_ids)
    placements = dict(
        Placement.objects.on(on).filter(organization_id__in=wanted).values_list("organization_id", "path")
    )
    if not placements:
        return {}
    # One computation over the smallest subtree holding them all (a commune's TCCSĐ sat in one district).
    top = _common_path(placements.values())
    nodes = _subtree(top, on) if top else {}
    if top is None:  # in two trees (provinces): each root's subtree
        for root in {"/" + path.strip("/").split("/")[0] + "/" for path in placements.values()}:
            nodes.update(_subtree(root, on))
    per_org = year_counts(year, nodes, top, sources=sources)
    paths = {node_id: node.path for node_id, node in nodes.items()}
    depth = top.strip("/").count("/") if top else 0
    totals = roll_up(per_org, paths, depth)
    people, _by_type = distinct_counts(year, nodes, top, sources=sources)
    result = {}
    for org_id in org_ids:
        if org_id in placements:
            result[org_id] = Counter(totals.get(org_id, Counter())) + people.get(org_id, Counter())
    for org_id in own_ids:
        if org_id in placements:
            result.setdefault(org_id, Counter()).update(per_org.get(org_id, Counter()))
    return result


# ---------------------------------------------------------------- historical counts


def _historical_counts(scope_id, years, sources):
    """{year: ({unit id: counts}, [child Node], scope Node)} of the scope and its direct sub-units as they stood on
    31/12 of each year the scope existed: the snapshot where the scope's row exists, else live over its subtree."""
    result = {}
    for year in years:
        on = _end(year)
        placement = Placement.objects.on(on).filter(organization_id=scope_id).select_related("organization").first()
        if placement is None:
            continue
        children = sorted(
            (_node(p) for p in Placement.objects.on(on).filter(parent_id=scope_id).select_related("organization")),
            key=lambda node: (node.kind, node.code),
        )
        wanted = [scope_id, *(child.id for child in children)]
        stored = dict(
            IndicatorSnapshot.objects.filter(year=year, organization_id__in=wanted).values_list(
                "organization_id", "counts"
            )
        )
        if scope_id in stored:
            result[year] = ({org_id: Counter(counts) for org_id, counts in stored.items()}, children, _node(placement))
            continue
        nodes = _subtree(placement.path, on)
        per_org = year_counts(year, nodes, placement.path, sources=sources)
        totals = roll_up(per_org, {n: node.path for n, node in nodes.items()}, placement.depth)
        people, _by_type = distinct_counts(year, nodes, placement.path, sources=sources)
        rolled = {org_id: Counter(totals.get(org_id, Counter())) + people.get(org_id, Counter()) for org_id in wanted}
        result[year] = (rolled, children, _node(placement))
    return result


# ---------------------------------------------------------------- figures and summaries


def _series(definition, rule, yearly, thresholds, years, open_years):
    """A TargetSeries from {year: counts} (a year missing: no figure) and {year: thresholds}."""
    figures = []
    for year in years:
        counts = yearly.get(year)
        if counts is None:
            figures.append((year, None))
            continue
        figure = figures_from_counts(
            counts,
            {definition.code: rule},
            thresholds[year],
            year,
            provisional=year in open_years,
            definitions=[definition],
        )[definition.code]
        figures.append((year, figure))
    kwargs = {}
    if rule.mode == EvaluationMode.EACH_YEAR:
        kwargs["achieved"] = sum(1 for _y, f in figures if f is not None and f.judged and f.status == MET)
    elif rule.mode == EvaluationMode.PROGRAM_MEAN:
        points = [(y, f.numerator, f.denominator) for y, f in figures if f is not None]
        threshold = thresholds[years[-1]].get(definition.code, rule.threshold)
        kwargs["rate"] = program_rate(points, rule.comparator, threshold)
    elif rule.mode == EvaluationMode.BY_DEADLINE:
        deadline_year = min(rule.deadline_year or years[-1], years[-1])
        kwargs["deadline_year"] = deadline_year
        kwargs["deadline"] = dict(figures).get(deadline_year)
    return TargetSeries(definition.code, rule.mode, tuple(figures), **kwargs)


def _unit(node, yearly, node_by_year, targets, rules, overrides, years, open_years, traced=()):
    thresholds = {year: _thresholds_for(node_by_year.get(year, node), rules, overrides) for year in years}
    series = {d.code: _series(d, rules[d.code], yearly, thresholds, years, open_years) for d in targets}
    return UnitReview(node, series, traced=traced, present=tuple(sorted(yearly)))


def span_years(program, first=None, last=None):
    """The span asked for, kept inside the program's years: (first, last), the whole program by default."""
    years = program.years
    first = first if first in years else years[0]
    last = last if last in years else years[-1]
    if first > last:
        first, last = last, first
    return first, last


def _review_context(program, first, last):
    """What turns a unit's counts into figures and summaries: its years, targets, rules, overrides, open years."""
    program = program or default_program()
    first, last = span_years(program, first, last)
    years = list(range(first, last + 1))
    targets, rules = target_definitions(program)
    return program, years, targets, rules, _overrides(program), frozenset(provisional_years(years))


def _assemble(program, years, targets, rules, mode, scope_review, children, open_years):
    return FinalReview(
        program=program,
        first=years[0],
        last=years[-1],
        mode=mode,
        scope=scope_review,
        children=children,
        definitions={d.code: d for d in targets},
        rules=rules,
        provisional=open_years,
    )


def final_review(*, actor, scope_id=None, first=None, last=None, mode=HISTORICAL, program=None):
    """The program's targets over a span for a scope the actor may read on 31/12 of the span's last year and its
    direct sub-units: historical (as each stood then) or comparable (as the units of the span's end). The
    comparable mode is computed here in full (seconds on a province): the page reads it stored, computed by a
    job through `comparable_counts` (reports/comparable_reviews.py)."""
    program, years, targets, rules, overrides, open_years = _review_context(program, first, last)
    if mode == COMPARABLE:
        counts = comparable_counts(actor=actor, scope_id=scope_id, first=years[0], last=years[-1], program=program)
        return comparable_review(counts, first=years[0], last=years[-1], program=program)
    scope = resolve_scope(actor=actor, scope_id=scope_id, on=_end(years[-1]))
    scope_review, children = _historical(scope, years, targets, rules, overrides, open_years, _sources(targets))
    return _assemble(program, years, targets, rules, HISTORICAL, scope_review, children, open_years)


def _historical(scope, years, targets, rules, overrides, open_years, sources):
    counts = _historical_counts(scope.id, years, sources)
    scope_nodes = {year: found[2] for year, found in counts.items()}
    scope_review = _unit(
        scope, {y: c[0][scope.id] for y, c in counts.items()}, scope_nodes, targets, rules, overrides, years, open_years
    )
    # Every direct sub-unit of any year of the span, first seen first (the districts, then the communes).
    order, child_nodes = [], defaultdict(dict)
    for year in years:
        for child in counts[year][1] if year in counts else ():
            if child.id not in child_nodes:
                order.append(child.id)
            child_nodes[child.id][year] = child
    children = []
    for child_id in order:
        by_year = child_nodes[child_id]
        yearly = {y: counts[y][0].get(child_id, Counter()) for y in by_year}
        latest = by_year[max(by_year)]
        children.append(_unit(latest, yearly, by_year, targets, rules, overrides, years, open_years))
    return scope_review, children


def comparable_counts(*, actor, scope_id, first, last, program=None):
    """The heavy part of the comparable mode as plain JSON data, which a job stores: for the scope the actor may
    read on 31/12 of `last` and each of its direct sub-units then, the counts of every year summed over its
    composition, and the TCCSĐ traced into it. {"units": [{"node": [id, code, name, kind, org_type, path, depth],
    "years": {"2020": counts, …}, "traced": [[code, name, last day ISO or None], …]}, …]}, the scope first."""
    program = program or default_program()
    first, last = span_years(program, first, last)
    years = list(range(first, last + 1))
    scope = resolve_scope(actor=actor, scope_id=scope_id, on=_end(last))
    targets, _rules = target_definitions(program)
    sources = _sources(targets)
    end_nodes = _subtree(scope.path, _end(last))
    children = sorted(
        (node for node in end_nodes.values() if node.depth == scope.depth + 1), key=lambda n: (n.kind, n.code)
    )
    predecessors = _main_successors()
    composition, info = comparable_composition(end_nodes, years, predecessors=predecessors)
    counts = {}
    for year in years:
        grassroots, own = composition[year]
        counts[year] = _composed_counts(year, grassroots, own, sources) if grassroots or own else {}

    def unit(node):
        members = {org_id: n for org_id, n in end_nodes.items() if n.path.startswith(node.path)}
        unit_composition, _info = comparable_composition(members, years, predecessors=predecessors, info=info)
        yearly, traced = {}, {}
        for year in years:
            grassroots, own = unit_composition[year]
            if not grassroots and not own:
                continue
            total = Counter()
            for org_id in grassroots | own:
                total.update(counts[year].get(org_id, Counter()))
            yearly[str(year)] = dict(total)
            for org_id in grassroots - set(members):
                code, name, _kind, _from, valid_to = info[org_id]
                traced[org_id] = [code, name, valid_to.isoformat() if valid_to else None]
        node_row = [node.id, node.code, node.name, node.kind, node.org_type, node.path, node.depth]
        return {"node": node_row, "years": yearly, "traced": sorted(traced.values(), key=lambda t: t[0])}

    return {"units": [unit(scope), *(unit(child) for child in children)]}


def comparable_stamp(*, program, first, last):
    """What a stored comparable review was computed against: the targets' version and the time of each year's
    snapshot in the span (one refresh writes every row of a year). A refresh or a changed target gives another
    stamp, so the review is asked again rather than shown stale beyond the snapshots it goes with."""
    times = dict(
        IndicatorSnapshot.objects.filter(year__range=(first, last))
        .values("year")
        .annotate(latest=Max("computed_at"))
        .values_list("year", "latest")
    )
    stamp = ",".join(
        f"{year}:{times[year].timestamp()}" if year in times else f"{year}:-" for year in range(first, last + 1)
    )
    return f"{targets_version(program)}:{stamp}"


def comparable_review(counts, *, first, last, program=None):
    """The comparable FinalReview from `comparable_counts` (just computed or stored): the figures, verdicts and
    summaries are made here with the targets and the open years of now — cheap, no count query."""
    program, years, targets, rules, overrides, open_years = _review_context(program, first, last)

    def unit(row):
        yearly = {int(year): Counter(values) for year, values in row["years"].items()}
        traced = tuple((code, name, date.fromisoformat(day) if day else None) for code, name, day in row["traced"])
        return _unit(Node(*row["node"]), yearly, {}, targets, rules, overrides, years, open_years, traced=traced)

    scope_row, *child_rows = counts["units"]
    children = [unit(row) for row in child_rows]
    return _assemble(program, years, targets, rules, COMPARABLE, unit(scope_row), children, open_years)


def default_last_year(*, actor, program=None):
    """The last program year on whose 31/12 the actor holds a part of the tree: a district cadre, whose district
    ended with the 2025 reform, opens the review of the years it still stood."""
    program = program or default_program()
    for year in reversed(program.years):
        if scoping.scope_paths(actor, _end(year)):
            return year
    return program.last_year


def scope_last_year(*, actor, scope_id, last, program=None):
    """The last program year up to `last` on whose 31/12 the actor may read the unit `scope_id`, or None: a review
    asked to end after a unit ended (a district in 2025) stops at the unit's last year."""
    program = program or default_program()
    for year in reversed([y for y in program.years if y <= last]):
        if scoping.can_access(actor, scope_id, _end(year)):
            return year
    return None
