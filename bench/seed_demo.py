"""How long `manage.py seed_demo` takes to load the demo province into a fresh database, and what it writes.

SQLite: a new file in a temporary directory. PostgreSQL (when DATABASE_URL is a postgres:// URL, or with
--pg): the scratch database party_portal_bench on that server (default 127.0.0.1:5432, user postgres) is
dropped if left over, created, migrated, loaded and dropped again. The migration is not timed; the load is
timed from the outside (process start to exit, so it includes Django's start-up, about half a second).

    .venv/bin/python bench/seed_demo.py --size province [--seed 1] [--pg] [--keep]
    .venv/bin/python bench/seed_demo.py --size national --pg   # PostgreSQL only; ≈ 10 GB, most of an hour
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/seed_demo.py --size large
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "party_portal_bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
TABLES = [
    "organizations_organization",
    "organizations_placement",
    "members_member",
    "members_movementevent",
    "members_membership",
    "members_statusperiod",
    "members_theoryqualification",
    "members_discipline",
    "members_committeeseat",
    "evaluations_memberrating",
    "organizations_role",
    # Bulk loading writes no audit rows: these stay at zero.
    "members_historicalmember",
    "members_historicalmovementevent",
]


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.perf_counter()
    result = subprocess.run(
        # System checks are not what is measured (and they import every app's views).
        [sys.executable, str(ROOT / "manage.py"), *args, "--skip-checks"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout.strip()


def pg_admin(server_url):
    import psycopg2  # only the PostgreSQL run needs it

    parts = urlsplit(server_url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def pg_counts(url):
    import psycopg2

    parts = urlsplit(url)
    with (
        psycopg2.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname=BENCH_DB
        ) as connection,
        connection.cursor() as cursor,
    ):
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        counts["database size (MB)"] = round(cursor.fetchone()[0] / 2**20)
        return counts


def sqlite_counts(path):
    with sqlite3.connect(path) as connection:
        counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
    # With WAL the last pages may still sit in the -wal file.
    size = sum(f.stat().st_size for f in Path(path).parent.glob(f"{Path(path).name}*"))
    counts["database size (MB)"] = round(size / 2**20)
    return counts


def run_sqlite(size, seed, keep):
    directory = tempfile.mkdtemp(prefix="seed_demo_bench_")
    path = Path(directory) / "bench.sqlite3"
    url = f"sqlite:///{path}"
    manage(url, "migrate", "--noinput", "-v0")
    seconds, output = manage(url, "seed_demo", "--size", size, "--seed", str(seed))
    counts = sqlite_counts(path)
    if not keep:
        for leftover in Path(directory).iterdir():
            leftover.unlink()
        Path(directory).rmdir()
    return seconds, output, counts


def run_postgres(server_url, size, seed, keep):
    parts = urlsplit(server_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    admin = pg_admin(server_url)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        manage(url, "migrate", "--noinput", "-v0")
        seconds, output = manage(url, "seed_demo", "--size", size, "--seed", str(seed))
        counts = pg_counts(url)
    finally:
        if not keep:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.close()
    return seconds, output, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=["tiny", "province", "large", "xlarge", "national"], default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", action="store_true", help=f"use PostgreSQL at {DEFAULT_PG} (or DATABASE_URL's server)")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database for inspection")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if args.pg or database_url.startswith(("postgres://", "postgresql://")):
        engine = "PostgreSQL"
        seconds, output, counts = run_postgres(database_url or DEFAULT_PG, args.size, args.seed, args.keep)
    else:
        engine = "SQLite"
        seconds, output, counts = run_sqlite(args.size, args.seed, args.keep)

    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"seed_demo --size {args.size} --seed {args.seed} on {engine}: {seconds:.1f} s (load average now {load})")
    print(f"  {output}")
    for table, count in counts.items():
        print(f"  {table:<34} {count:>10,}")


if __name__ == "__main__":
    main()
