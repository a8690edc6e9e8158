"""Materialized path vs recursive CTE for the three tree reads the portal makes, on PostgreSQL and SQLite.

Builds a synthetic province of 5,000 organizations (1 province, 12 districts, 800 TCCSĐ, 3,800 cells,
387 groups) as placement rows shaped like organizations_placement (same columns, same indexes; on
PostgreSQL also the varchar_pattern_ops index and the exclusion constraint). One TCCSĐ in ten moves to
another district on 01/01/2023, with its subtree, so the validity filter has past rows to skip. Then
it times, as of 31/12/2024 (median of 50 runs after 5 warm-up runs):

  subtree    every node under one district
  ancestors  the chain above one group (depth 4) that moved in 2023
  grassroots the TCCSĐ under the province

(a) with the materialized path, written as Django writes `path__startswith` on each backend, and
(b) with a recursive CTE over parent_id carrying the same validity filter. On SQLite a range form of
the path filter (path >= '/1/5/' AND path < '/1/50') is timed too: SQLite's LIKE is case-insensitive
and so cannot use the (binary) path index.

    .venv/bin/python bench/tree_queries.py [--pg-dsn "host=127.0.0.1 port=5432 user=postgres"] [--skip-pg]

The PostgreSQL database party_portal_bench_tree is created for the run and dropped afterwards.
"""

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH_DB = "party_portal_bench_tree"
RUNS, WARMUP = 50, 5
AS_OF = date(2024, 12, 31)
START, MOVED_ON, MOVED_END = date(2019, 1, 1), date(2023, 1, 1), date(2022, 12, 31)
N_DISTRICTS, N_GRASSROOTS, N_CELLS, N_GROUPS = 12, 800, 3800, 387
GRASSROOTS_KINDS = ("GRASSROOTS_COMMITTEE", "GRASSROOTS_CELL")


# --- the synthetic province ---------------------------------------------------------------------------------


def build_province(scale=1, seed=1):
    """Organizations (id, code, kind) and placements (organization_id, parent_id, from, to, path, depth)."""
    rng = random.Random(seed)
    n_districts, n_grassroots, n_cells, n_groups = (n * scale for n in (N_DISTRICTS, N_GRASSROOTS, N_CELLS, N_GROUPS))
    orgs, parent_of, kind_of = [], {}, {}

    def add(kind, parent):
        org_id = len(orgs) + 1
        orgs.append((org_id, f"{kind[:2]}{org_id}", kind))
        parent_of[org_id], kind_of[org_id] = parent, kind
        return org_id

    province = add("PROVINCE_COMMITTEE", None)
    districts = [add("DISTRICT_COMMITTEE", province) for _ in range(n_districts)]
    # About four in ten TCCSĐ are đảng bộ cơ sở with cells; the rest are chi bộ cơ sở without.
    grassroots = [
        add("GRASSROOTS_COMMITTEE" if rng.random() < 0.4 else "GRASSROOTS_CELL", rng.choice(districts))
        for _ in range(n_grassroots)
    ]
    committees = [g for g in grassroots if kind_of[g] == "GRASSROOTS_COMMITTEE"]
    cells = [add("CELL", rng.choice(committees)) for _ in range(n_cells)]
    for _ in range(n_groups):
        add("GROUP", rng.choice(cells))

    children = {}
    for org_id, parent in parent_of.items():
        children.setdefault(parent, []).append(org_id)

    def paths(root, prefix, depth, out):
        path = f"{prefix}{root}/"
        out[root] = (path, depth)
        for child in children.get(root, []):
            paths(child, path, depth + 1, out)
        return out

    before = paths(province, "/", 0, {})
    moved = sorted(rng.sample(grassroots, n_grassroots // 10))
    old_parent = dict(parent_of)
    for g in moved:
        parent_of[g] = rng.choice([d for d in districts if d != old_parent[g]])
    children = {}
    for org_id, parent in parent_of.items():
        children.setdefault(parent, []).append(org_id)
    after = paths(province, "/", 0, {})

    placements = []
    for org_id, (path, depth) in before.items():
        if after[org_id] == (path, depth):
            placements.append((org_id, parent_of[org_id], START, None, path, depth))
            continue
        # A moved TCCSĐ and its sub-units: the old placement ends, a new one starts; the past stays.
        placements.append((org_id, old_parent[org_id], START, MOVED_END, path, depth))
        placements.append((org_id, parent_of[org_id], MOVED_ON, None, *after[org_id]))
    return orgs, placements, {"districts": districts, "moved": moved, "kind_of": kind_of, "after": after}


def pick_targets(meta):
    """A mid-sized district, and a group (depth 4) inside a TCCSĐ that moved in 2023."""
    after = meta["after"]
    sizes = sorted((sum(1 for p, _ in after.values() if p.startswith(after[d][0])), d) for d in meta["districts"])
    district = sizes[len(sizes) // 2][1]
    moved_prefixes = tuple(after[g][0] for g in meta["moved"])
    group = min(
        org_id
        for org_id, (path, depth) in after.items()
        if depth == 4 and meta["kind_of"][org_id] == "GROUP" and path.startswith(moved_prefixes)
    )
    return district, group


# --- the schema, as organizations_organization / organizations_placement ------------------------------------

PG_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """CREATE TABLE organization (
        id bigint PRIMARY KEY, code varchar(32) NOT NULL, kind varchar(32) NOT NULL)""",
    """CREATE TABLE placement (
        id bigserial PRIMARY KEY,
        organization_id bigint NOT NULL REFERENCES organization (id),
        parent_id bigint NULL REFERENCES organization (id),
        valid_from date NOT NULL, valid_to date NULL,
        path varchar(255) NOT NULL, depth smallint NOT NULL CHECK (depth >= 0),
        CONSTRAINT placement_unique_start UNIQUE (organization_id, valid_from))""",
    "CREATE INDEX placement_organization_id ON placement (organization_id)",
    "CREATE INDEX placement_parent_id ON placement (parent_id)",
    "CREATE INDEX placement_path_idx ON placement (path varchar_pattern_ops)",
    "CREATE INDEX placement_parent_idx ON placement (parent_id, valid_from)",
    """ALTER TABLE placement ADD CONSTRAINT placement_no_overlap
       EXCLUDE USING gist (organization_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)""",
]
SQLITE_SCHEMA = [
    "CREATE TABLE organization (id integer PRIMARY KEY, code varchar(32) NOT NULL, kind varchar(32) NOT NULL)",
    """CREATE TABLE placement (
        id integer PRIMARY KEY AUTOINCREMENT,
        organization_id bigint NOT NULL REFERENCES organization (id),
        parent_id bigint NULL REFERENCES organization (id),
        valid_from date NOT NULL, valid_to date NULL,
        path varchar(255) NOT NULL, depth smallint unsigned NOT NULL CHECK (depth >= 0),
        CONSTRAINT placement_unique_start UNIQUE (organization_id, valid_from))""",
    "CREATE INDEX placement_organization_id ON placement (organization_id)",
    "CREATE INDEX placement_parent_id ON placement (parent_id)",
    "CREATE INDEX placement_path_idx ON placement (path)",
    "CREATE INDEX placement_parent_idx ON placement (parent_id, valid_from)",
]


# --- the queries (P = the driver's placeholder) ---------------------------------------------------------------

VALID = "{a}valid_from <= {P} AND ({a}valid_to IS NULL OR {a}valid_to >= {P})"


def queries(vendor):
    P = "%s" if vendor == "postgresql" else "?"
    valid = VALID.format(a="", P=P)
    valid_p = VALID.format(a="p.", P=P)
    # Django's startswith: PostgreSQL casts to text (the pattern_ops index still applies); SQLite adds ESCAPE.
    like = "path::text LIKE " + P if vendor == "postgresql" else "path LIKE " + P + " ESCAPE '\\'"
    like_p = "p." + like
    cte_down = f"""
        WITH RECURSIVE sub(organization_id) AS (
            SELECT organization_id FROM placement WHERE organization_id = {P} AND {valid}
            UNION ALL
            SELECT p.organization_id FROM placement p JOIN sub ON p.parent_id = sub.organization_id
            WHERE {valid_p}
        )"""
    return {
        "subtree": {
            "path": (f"SELECT organization_id FROM placement WHERE {like} AND {valid}", "like+d"),
            "path range": (
                f"SELECT organization_id FROM placement WHERE path >= {P} AND path < {P} AND {valid}",
                "range+d",
            ),
            "cte": (f"{cte_down} SELECT organization_id FROM sub", "id+d"),
        },
        "ancestors": {
            # As selectors.ancestors does it: the placement's path, then the organizations named in it.
            "path": (f"SELECT path FROM placement WHERE organization_id = {P} AND {valid}", "ancestors"),
            "cte": (
                f"""WITH RECURSIVE up(organization_id, parent_id, lvl) AS (
                    SELECT organization_id, parent_id, 0 FROM placement WHERE organization_id = {P} AND {valid}
                    UNION ALL
                    SELECT p.organization_id, p.parent_id, up.lvl + 1 FROM placement p
                    JOIN up ON p.organization_id = up.parent_id WHERE {valid_p}
                ) SELECT o.id, o.code FROM up JOIN organization o ON o.id = up.organization_id
                WHERE up.lvl > 0 ORDER BY up.lvl DESC""",
                "id+d",
            ),
        },
        "grassroots": {
            "path": (
                f"""SELECT p.organization_id FROM placement p JOIN organization o ON o.id = p.organization_id
                WHERE {like_p} AND {valid_p} AND o.kind IN ({P}, {P})""",
                "like+d+kinds",
            ),
            "path range": (
                f"""SELECT p.organization_id FROM placement p JOIN organization o ON o.id = p.organization_id
                WHERE p.path >= {P} AND p.path < {P} AND {valid_p} AND o.kind IN ({P}, {P})""",
                "range+d+kinds",
            ),
            "cte": (
                f"""{cte_down} SELECT sub.organization_id FROM sub JOIN organization o ON o.id = sub.organization_id
                WHERE o.kind IN ({P}, {P})""",
                "id+d+kinds",
            ),
        },
    }


def _range_end(prefix):
    # '/' is followed by '0' in ASCII: every path under '/1/5/' sorts before '/1/50'.
    return prefix[:-1] + "0"


def params(shape, org_id, path, day):
    d = day.isoformat()
    return {
        "like+d": (path + "%", d, d),
        "range+d": (path, _range_end(path), d, d),
        "id+d": (org_id, d, d, d, d),
        "ancestors": (org_id, d, d),
        "like+d+kinds": (path + "%", d, d, *GRASSROOTS_KINDS),
        "range+d+kinds": (path, _range_end(path), d, d, *GRASSROOTS_KINDS),
        "id+d+kinds": (org_id, d, d, d, d, *GRASSROOTS_KINDS),
    }[shape]


# --- running ----------------------------------------------------------------------------------------------------


def run_once(cursor, vendor, sql, args, shape):
    cursor.execute(sql, args)
    rows = cursor.fetchall()
    if shape == "ancestors":
        ids = [int(part) for part in rows[0][0].strip("/").split("/")[:-1]]
        marks = ", ".join(["%s" if vendor == "postgresql" else "?"] * len(ids))
        cursor.execute(f"SELECT id, code FROM organization WHERE id IN ({marks})", ids)
        by_id = dict(cursor.fetchall())
        rows = [(i, by_id[i]) for i in ids]
    return rows


def time_query(cursor, vendor, sql, args, shape):
    for _ in range(WARMUP):
        rows = run_once(cursor, vendor, sql, args, shape)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run_once(cursor, vendor, sql, args, shape)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), rows


def plan(cursor, vendor, sql, args):
    """How the placement table is read: through the path index, another index, or a full scan."""
    if vendor == "postgresql":
        cursor.execute("EXPLAIN " + sql, args)
        text = " ".join(row[0] for row in cursor.fetchall())
        full_scan = "Seq Scan on placement" in text
    else:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, args)
        details = [str(row[-1]) for row in cursor.fetchall()]
        text = " ".join(details)
        full_scan = any(d.startswith("SCAN") and ("placement" in d or d.startswith("SCAN p")) for d in details)
    if "placement_path_idx" in text:
        return "path index"
    return "full scan of placement" if full_scan else "index on organization_id / parent_id"


def measure(connection, vendor, meta):
    cursor = connection.cursor()
    district, group = pick_targets(meta)
    after = meta["after"]
    targets = {"subtree": district, "ancestors": group, "grassroots": 1}
    results = []
    for name, variants in queries(vendor).items():
        org_id = targets[name]
        answers = {}
        for variant, (sql, shape) in variants.items():
            if variant == "path range" and vendor == "postgresql":
                continue
            args = params(shape, org_id, after[org_id][0], AS_OF)
            median, rows = time_query(cursor, vendor, sql, args, shape)
            answers[variant] = sorted(rows)
            results.append((vendor, name, variant, len(rows), median, plan(cursor, vendor, sql, args)))
        first = next(iter(answers.values()))
        assert all(a == first for a in answers.values()), f"{vendor} {name}: the variants disagree"
    return results


def load(connection, schema, orgs, placements, vendor):
    cursor = connection.cursor()
    for statement in schema:
        cursor.execute(statement)
    P = "%s" if vendor == "postgresql" else "?"
    cursor.executemany(f"INSERT INTO organization (id, code, kind) VALUES ({P}, {P}, {P})", orgs)
    cursor.executemany(
        "INSERT INTO placement (organization_id, parent_id, valid_from, valid_to, path, depth) "
        f"VALUES ({P}, {P}, {P}, {P}, {P}, {P})",
        [(o, p, f.isoformat(), t.isoformat() if t else None, path, d) for o, p, f, t, path, d in placements],
    )
    cursor.execute("ANALYZE")
    connection.commit()


def bench_postgresql(dsn, orgs, placements, meta):
    import psycopg2

    admin = psycopg2.connect(dsn + " dbname=postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        connection = psycopg2.connect(dsn + f" dbname={BENCH_DB}")
        try:
            load(connection, PG_SCHEMA, orgs, placements, "postgresql")
            return measure(connection, "postgresql", meta)
        finally:
            connection.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.close()


def bench_sqlite(orgs, placements, meta):
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "bench_tree.sqlite3")
        try:
            load(connection, SQLITE_SCHEMA, orgs, placements, "sqlite")
            return measure(connection, "sqlite", meta)
        finally:
            connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--scale", type=int, default=1, help="multiply the province (10 = 50,000 nodes)")
    options = parser.parse_args()

    orgs, placements, meta = build_province(options.scale)
    print(f"{len(orgs)} organizations, {len(placements)} placement rows, as of {AS_OF:%d/%m/%Y}, median of {RUNS}")
    results = []
    if not options.skip_pg:
        results += bench_postgresql(options.pg_dsn, orgs, placements, meta)
    results += bench_sqlite(orgs, placements, meta)
    print(f"{'database':<11}{'query':<12}{'method':<12}{'rows':>7}{'median ms':>11}  placement read by")
    for vendor, name, variant, rows, median, how in results:
        print(f"{vendor:<11}{name:<12}{variant:<12}{rows:>7}{median:>11.3f}  {how}")


if __name__ == "__main__":
    main()
