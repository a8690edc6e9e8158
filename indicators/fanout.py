"""The snapshot refresh fanned out over Celery workers: a chord of one task per partition of the tree, each
writing its own rows, and a last step that writes the nodes above the partitions and shows the new year at once.

`services.snapshot_refresh` (one process) stays the reference: the rows are the same (tests/indicators/
test_fanout.py). Partitions are the roots (provinces) when there are several, else the subtrees directly under
the one root, so that a single province divides too. A partition task stages its rows under the run
(StagedSnapshot) and returns, for a node above it, its rolled-up counts and the people its distinct keys count:
a person on the committees of two districts counts once in the province. The last step adds them to the node's
own counts and, in one transaction, replaces the year's IndicatorSnapshot rows by the staged ones: readers see
the old year or the new one, never a mix.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from celery import chord, signature
from django.db import connection, transaction
from django.utils import timezone

from organizations.models import GRASSROOTS_KINDS, Placement

from .models import IndicatorSnapshot, SnapshotRun, StagedSnapshot
from .selectors.counts import CELL_KINDS, own_counts, tally_people
from .selectors.scope import Node, _subtree
from .selectors.snapshots import subtree_counts

PARTITION_TASK = "indicators.tasks.refresh_partition_task"
FINISH_TASK = "indicators.tasks.refresh_finish_task"
# Same as services.SNAPSHOT_BATCH_SIZE: 2,000 rows a statement, ~0.1 s on PostgreSQL.
STAGE_BATCH_SIZE = 2000
# A run whose last step never came (a partition failed for good) is forgotten by the next run after this.
STALE_RUN_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    """The tops of the partitions and the roots above them (split into their child subtrees)."""

    partitions: list
    above: list


def _nodes(placements):
    fields = ("organization_id", "organization__code", "organization__name", "organization__kind")
    rows = placements.values_list(*fields, "organization__org_type", "path", "depth").order_by("path")
    return [Node(*row) for row in rows]


def refresh_plan(year, *, split=None):
    """The partitions of the tree on 31/12 of `year`. `split`: divide every root into the subtrees under it
    (default: only when there is one root). A TCCSĐ or a cell at the top is never divided: the ratings of its
    members are counted across its cells."""
    on = date(year, 12, 31)
    roots = _nodes(Placement.objects.on(on).filter(parent__isnull=True))
    if split is None:
        split = len(roots) == 1
    partitions, above = [], []
    for root in roots:
        children = _nodes(Placement.objects.on(on).filter(parent_id=root.id)) if split else []
        if children and root.kind not in GRASSROOTS_KINDS and root.kind not in CELL_KINDS:
            above.append(root)
            partitions.extend(children)
        else:
            partitions.append(root)
    return Plan(partitions=partitions, above=above)


def refresh_chord(*, year, queue=None, split=None):
    """A new run of the year's refresh and the chord that carries it out (apply_async: on the workers; apply: in
    this process). `queue`: where its tasks go (the default queue when None)."""
    plan = refresh_plan(year, split=split)
    _forget_stale_runs()
    run = SnapshotRun.objects.create(year=year, started_at=timezone.now())
    options = {"queue": queue} if queue else {}
    above = {node.id for node in plan.above}
    header = [
        signature(PARTITION_TASK, args=(run.pk, year, node.path, _parent_id(node) in above), **options)
        for node in plan.partitions
    ]
    body = signature(FINISH_TASK, args=(run.pk, year, [node.path for node in plan.above]), **options)
    if not header:  # no tree that year: the last step empties the year, as snapshot_refresh does
        return body.clone(args=([],))
    return chord(header, body)


def _parent_id(node):
    parts = node.path.strip("/").split("/")
    return int(parts[-2]) if len(parts) > 1 else None


def _forget_stale_runs():
    stale = SnapshotRun.objects.filter(started_at__lt=timezone.now() - STALE_RUN_AGE)
    StagedSnapshot.objects.filter(run__in=stale).delete()
    stale.delete()


def _plan_for_a_partition():
    """Index lookups and nested loops for the rest of the transaction (PostgreSQL only), no parallel workers.

    A partition filters every source on its own organizations, an `= ANY(ids)` list of some 10,000 ids on a
    national database, which PostgreSQL overestimates ~15× (2.4 M member ratings expected, 164,000 read): it then
    scanned the year's 10 M ratings with parallel workers and hashed every stint of the country on the rolls, for each
    province. With hash and merge joins off the same statements read the partition's rows by index: one national
    province 6.5–8.2 s → 4.2–4.5 s, on one process instead of three. The answers do not depend on the plan."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_hashjoin = off; "
            "SET LOCAL enable_mergejoin = off"
        )


def refresh_partition(*, run_id, year, path, report_above):
    """Compute the snapshot rows of the subtree at `path` and stage them under the run, replacing the rows this
    partition staged before (a repeated task is harmless). With `report_above`, returns what the root above it
    adds up: the rolled-up counts and by-type counts of its top node, and the people of its distinct keys.
    Returns None when the run already finished (a late repeat)."""
    if not SnapshotRun.objects.filter(pk=run_id).exists():
        return None
    nodes = _subtree(path, date(year, 12, 31))
    top = next(node for node in nodes.values() if node.path == path)
    with transaction.atomic():
        _plan_for_a_partition()
        counts = subtree_counts(year, nodes, path)
    staged = [
        StagedSnapshot(run_id=run_id, partition=top.id, organization_id=org_id, counts=totals, by_type=by_type)
        for org_id, (totals, by_type) in counts.rows.items()
    ]
    with transaction.atomic():
        if not SnapshotRun.objects.select_for_update().filter(pk=run_id).exists():
            return None
        StagedSnapshot.objects.filter(run_id=run_id, partition=top.id).delete()
        StagedSnapshot.objects.bulk_create(staged, batch_size=STAGE_BATCH_SIZE)
    result = {"partition": top.id, "rows": len(staged)}
    if report_above:
        # Once per (source, person, type): the keys of a person are the same wherever the source finds them.
        people = {(name, person, org_type): keys for name, _, person, keys, org_type in counts.people}
        result |= {
            "parent": _parent_id(top),
            "totals": dict(counts.totals.get(top.id, {})),
            "by_type": {t: dict(rolled[top.id]) for t, rolled in counts.by_type.items() if top.id in rolled},
            "people": list(people.items()),
        }
    return result


def refresh_finish(*, results, run_id, year, above_paths):
    """The chord's last step: the rows of the roots above the partitions (their own counts plus their children's,
    each person counted once), then, in one transaction, the year's snapshot replaced by the run's rows. Returns
    the number of rows, or None when the run had finished already (a repeated step changes nothing)."""
    on = date(year, 12, 31)
    roots = _nodes(Placement.objects.on(on).filter(path__in=above_paths))
    rows = {root.id: _root_row(year, root, [r for r in results if r and r.get("parent") == root.id]) for root in roots}
    with transaction.atomic():
        run = SnapshotRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return None
        now = timezone.now()
        IndicatorSnapshot.objects.filter(year=year).delete()
        published = _publish_staged(run_id, year, now)
        IndicatorSnapshot.objects.bulk_create(
            IndicatorSnapshot(year=year, organization_id=org_id, counts=counts, by_type=by_type, computed_at=now)
            for org_id, (counts, by_type) in rows.items()
        )
        StagedSnapshot.objects.filter(run_id=run_id).delete()
        run.delete()
    return published + len(rows)


def _root_row(year, root, children):
    """(counts, by_type) of a root: its own rows, its children's rolled-up counts, its people counted once."""
    own, own_people = own_counts(year, root)
    totals = Counter(own)
    by_type = defaultdict(Counter)
    people = [(name, root.id, person, keys, org_type) for name, _, person, keys, org_type in own_people]
    for child in children:
        totals.update(child["totals"])
        for org_type, counts in child["by_type"].items():
            by_type[org_type].update(counts)
        people.extend((name, root.id, person, keys, org_type) for (name, person, org_type), keys in child["people"])
    people_totals, people_by_type = tally_people(people, {root.id: root})
    totals.update(people_totals.get(root.id, {}))
    for org_type, counts in people_by_type.get(root.id, {}).items():
        by_type[org_type].update(counts)
    return dict(totals), {t: dict(c) for t, c in by_type.items()}


def _publish_staged(run_id, year, now):
    """Copy the run's staged rows into the snapshot table in one statement: a national year is ~500,000 rows,
    which the ORM would read into Python and write back."""
    snapshot, staged = IndicatorSnapshot._meta.db_table, StagedSnapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {snapshot} (year, organization_id, counts, by_type, computed_at) "
            f"SELECT %s, organization_id, counts, by_type, %s FROM {staged} WHERE run_id = %s",
            [year, connection.ops.adapt_datetimefield_value(now), run_id],
        )
        return cursor.rowcount
