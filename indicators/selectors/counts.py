"""Live counts: the aggregate queries of the registered sources at the finest grain (per organization), run
for a subtree as of 31/12 of a year; indicators.computation rolls them up the tree."""

from collections import Counter, defaultdict
from datetime import date

from django.db import connections
from django.db.models import Count, Max, OuterRef, Q, Subquery

from evaluations.models import Level, MemberRating, NotRatedReason, OrganizationRating
from members.models import ADMISSION_KINDS, CommitteeSeat, Membership, MovementEvent, MovementKind, TheoryLevel
from members.models import TheoryQualification as Theory
from organizations.models import GRASSROOTS_KINDS, OrgKind

from .. import measures
from ..successors import carried_records
from .scope import _grassroots_of, _in_subtree

LEVELS = [level.value for level in Level]
REASONS = [reason.value for reason in NotRatedReason]
CELL_KINDS = (OrgKind.CELL, OrgKind.SUB_COMMITTEE)


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
    ratings = _ratings_by_unit(year, on, org_filter, below_grassroots=below_grassroots)
    for org_id, unit, level, reason, n in ratings:
        counts[_rating_unit(org_id, unit, nodes)][f"t2_{level or reason}"] += n
    on_rolls = _on_rolls(on).filter(**org_filter).values_list("organization_id").annotate(n=Count("id")).order_by()
    for org_id, n in on_rolls:
        if org_id in owner or (below_grassroots and org_id in nodes):  # under a TCCSĐ (the scope's, if below one)
            counts[org_id]["t2_total"] += n
    return counts


def _ratings_by_unit(year, on, org_filter, *, below_grassroots):
    """The year's member ratings counted by (rating organization, unit holding the member on `on` or None, level,
    not-rated reason): rows (org_id, unit, level, reason, n) — of the ratings `org_filter` keeps, or for a scope
    below a TCCSĐ (`below_grassroots`) also of those whose member a unit of the filter holds.

    At most one stint holds a member on a day (membership_no_overlap), so the ratings LEFT JOIN the stints on
    the rolls that day give one row per rating: one grouped statement (a correlated subquery per rating, the
    stint holding its member, cost most of compliance() on a province). The join is on the member id itself,
    not through the members table, which the ORM's FilteredRelation would add: on a fan-out partition of
    `large` the statement took 160–186 ms with the members lookups and 79 ms without (docs/decisions.md)."""
    ratings = MemberRating.objects.filter(year__year=year)
    if org_filter and not below_grassroots:
        ratings = ratings.filter(**org_filter)
    ratings_sql, params = (
        ratings.order_by().values("member_id", "organization_id", "level", "not_rated_reason").query.sql_with_params()
    )
    database = connections[ratings.db]
    quote = database.ops.quote_name
    # In the order of their placeholders: the ratings', the join's day, then the filter's ids (twice).
    params = [*params, on, on]
    where = ""
    if org_filter and below_grassroots:
        ids_sql, ids_params = _ids_sql(org_filter["organization_id__in"])
        where = f"WHERE r.{quote('organization_id')} IN ({ids_sql}) OR s.{quote('organization_id')} IN ({ids_sql})"
        params += [*ids_params, *ids_params]
    grouped = (("r", "organization_id"), ("s", "organization_id"), ("r", "level"), ("r", "not_rated_reason"))
    columns = ", ".join(f"{alias}.{quote(name)}" for alias, name in grouped)
    sql = (
        f"SELECT {columns}, COUNT(*) FROM ({ratings_sql}) r "
        f"LEFT JOIN {quote(Membership._meta.db_table)} s ON s.{quote('member_id')} = r.{quote('member_id')} "
        f"AND s.{quote('start')} <= %s AND (s.{quote('end')} IS NULL OR s.{quote('end')} > %s) "
        f"{where} GROUP BY {columns}"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ids_sql(ids):
    """(SQL, params) of the organization ids of a filter: a subquery, or a list (NULL for none)."""
    if hasattr(ids, "query"):
        return ids.query.sql_with_params()
    ids = list(ids)
    return (", ".join(["%s"] * len(ids)) or "NULL"), ids


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


def _org_source(ctx):
    return _org_counts(ctx.year, ctx.nodes, ctx.org_filter)


def _member_source(ctx):
    return _member_counts(ctx.year, ctx.on, ctx.nodes, ctx.owner, ctx.org_filter, below_grassroots=ctx.below_grassroots)


def _admission_source(ctx):
    counts = _admission_counts(ctx.year, ctx.owner, ctx.org_filter)
    # T3 of the units that ended inside the year, where their successors sit (counting-rules §3).
    for org_id, carried in carried_records(ctx.year).counts(ctx.nodes).items():
        counts[org_id].update(carried)
    return counts


def _committee_people(ctx):
    """T4's people: (TCCSĐ, member, keys) for every holder of a seat on a TCCSĐ committee of the subtree on
    31/12, with the member's political theory level that day; counted once per node (DOMAIN.md §3)."""
    grassroots = [node_id for node_id, node in ctx.nodes.items() if node.kind in GRASSROOTS_KINDS]
    rows = (
        CommitteeSeat.objects.filter(organization_id__in=grassroots, start__lte=ctx.on)
        .filter(Q(end__isnull=True) | Q(end__gte=ctx.on))
        .annotate(theory=_theory_level_on(ctx.on))
        .values_list("organization_id", "member_id", "theory")
        .distinct()
        .order_by()
    )
    for org_id, member_id, theory in rows:
        theory = theory or TheoryLevel.NONE
        keys = {"t4_total": 1, f"t4_theory_{theory}": 1}
        if theory >= TheoryLevel.INTERMEDIATE:
            keys["t4_qualified"] = 1
        yield org_id, member_id, keys


def _theory_level_on(on):
    return Subquery(
        Theory.objects.filter(member=OuterRef("member_id"), obtained_on__lte=on)
        .order_by()
        .values("member")
        .annotate(top=Max("level"))
        .values("top")
    )


ORG_RATINGS, MEMBER_RATINGS, ADMISSIONS, COMMITTEES = "org_ratings", "member_ratings", "admissions", "committees"
measures.register_source(ORG_RATINGS, _org_source)
measures.register_source(MEMBER_RATINGS, _member_source)
measures.register_source(ADMISSIONS, _admission_source)
measures.register_source(COMMITTEES, lambda ctx: {}, distinct=_committee_people)


def count_context(year, nodes, scope_path=None):
    """The context every source of (subtree, year) reads."""
    on = date(year, 12, 31)
    return measures.CountContext(
        year=year,
        on=on,
        nodes=nodes,
        owner=_grassroots_of(nodes),
        org_filter=_in_subtree(scope_path, on),
        scope_path=scope_path,
        below_grassroots=any(node.path == scope_path and node.kind in CELL_KINDS for node in nodes.values()),
    )


def year_counts(year, nodes, scope_path=None, sources=None):
    """Finest-grain counts of every registered source (or of `sources`) for one year: a Counter per
    organization of `nodes`, the subtree at `scope_path` (None: the whole tree). Keys that count distinct
    people are not here: `distinct_counts` gives them per node, rolled up."""
    return collect_counts(count_context(year, nodes, scope_path), sources)


def collect_counts(ctx, sources=None):
    """year_counts for a context already built."""
    per_org = defaultdict(Counter)
    for name, source in measures.SOURCES.items():
        if sources is not None and name not in sources:
            continue
        for org_id, counts in source.collect(ctx).items():
            per_org[org_id].update(counts)
    return per_org


def distinct_counts(year, nodes, scope_path=None, sources=None):
    """The distinct-people keys of every node of `nodes` and of every TCCSĐ type within it: a person counts
    once in a node however many organizations of its subtree hold them. ({node: Counter},
    {node: {org_type: Counter}})."""
    return tally_people(distinct_people(count_context(year, nodes, scope_path), sources), nodes)


def distinct_people(ctx, sources=None):
    """(source, organization, person, keys, TCCSĐ type) of every person a distinct-people source counts at an
    organization of the context's nodes: what `tally_people` counts once per node."""
    for name, source in measures.SOURCES.items():
        if source.distinct is None or (sources is not None and name not in sources):
            continue
        for org_id, person_id, keys in source.distinct(ctx):
            if org_id not in ctx.nodes:
                continue
            owner = ctx.owner.get(org_id)
            yield name, org_id, person_id, keys, ctx.nodes[owner].org_type if owner is not None else ""


def tally_people(people, nodes):
    """Count each person of `people` (distinct_people's tuples) once in every node of `nodes` above or at
    their organization, and once per TCCSĐ type: ({node: Counter}, {node: {org_type: Counter}})."""
    seen = set()
    totals = defaultdict(Counter)
    by_type = defaultdict(lambda: defaultdict(Counter))
    for name, org_id, person_id, keys, org_type in people:
        node = nodes.get(org_id)
        if node is None:
            continue
        for ancestor in (int(part) for part in node.path.strip("/").split("/")):
            if ancestor not in nodes:
                continue  # above the scope
            if (name, ancestor, person_id) not in seen:
                seen.add((name, ancestor, person_id))
                totals[ancestor].update(keys)
            if org_type and (name, ancestor, org_type, person_id) not in seen:
                seen.add((name, ancestor, org_type, person_id))
                by_type[ancestor][org_type].update(keys)
    return totals, by_type


def own_counts(year, node):
    """The finest-grain counts of the rows held by `node` itself, none of its subtree's, and the people its own
    rows count (distinct_people's tuples): the part of a node above the fanned-out partitions of a refresh.

    A member rating counts here only when `node` gave it (ratings are given by TCCSĐ, which the partitions
    hold); the rolls, seats and events are those of the node itself."""
    nodes = {node.id: node}
    ctx = measures.CountContext(
        year=year,
        on=date(year, 12, 31),
        nodes=nodes,
        owner=_grassroots_of(nodes),
        org_filter={"organization_id__in": [node.id]},
        scope_path=node.path,
    )
    return collect_counts(ctx).get(node.id, Counter()), list(distinct_people(ctx))


def counts_by_type(per_org, nodes):
    """Finest-grain counts regrouped by the type (loại hình) of the TCCSĐ each organization belongs to."""
    owner = _grassroots_of(nodes)
    by_type = defaultdict(lambda: defaultdict(Counter))
    for org_id, counts in per_org.items():
        grassroots = owner.get(org_id)
        if grassroots is not None:
            by_type[nodes[grassroots].org_type][org_id].update(counts)
    return by_type


def not_rated_breakdown(counts, prefix, rated):
    """Unrated per reason; those with no rating row at all are missing data, shown as pending."""
    keys = _REASON_KEYS.get(prefix)
    if keys is None:  # joined once per prefix: a province's dashboard breaks down some thousand figures
        keys = _REASON_KEYS[prefix] = [(reason, f"{prefix}{reason}") for reason in REASONS]
    breakdown = {reason: counts.get(key, 0) for reason, key in keys}
    explicit = sum(v for k, v in breakdown.items() if k != NotRatedReason.PENDING)
    breakdown[NotRatedReason.PENDING] += max(0, counts[f"{prefix}total"] - rated - explicit - breakdown["PENDING"])
    return breakdown


_REASON_KEYS = {}
