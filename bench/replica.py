"""The streaming-replica test's setup time, and the replica's lag behind the primary on this machine.

What it does (a throwaway cluster under /tmp, never the machine's own; PostgreSQL's server programs needed):
1. starts a primary and its streaming replica as tests/replica/ does (`initdb`, `pg_basebackup -R`): time;
2. runs the test's scenario on them (tests/replica/scenario.py: migrate, writes, reads through the router): time,
   and the part of it spent migrating;
3. commits --commits single-row transactions on the primary and, after each, waits until the replica has replayed
   it: median, 95th percentile and max of that lag;
4. stops and removes both servers: time.

    .venv/bin/python bench/replica.py [--commits 200]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.replica.cluster import postgres_bin_dir, run_scenario, start_cluster, stop_cluster  # noqa: E402


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def _lags(cluster, commits):
    """Seconds from each commit on the primary to its replay on the replica."""
    primary, replica = cluster.connect(cluster.primary_port), cluster.connect(cluster.replica_port)
    try:
        with primary.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_lag (n integer)")
        lags = []
        for n in range(commits):
            with primary.cursor() as cursor:
                cursor.execute("INSERT INTO bench_lag VALUES (%s)", [n])
                cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
                target = cursor.fetchone()[0]
            started = time.perf_counter()
            with replica.cursor() as cursor:
                while True:
                    cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                    if cursor.fetchone()[0]:
                        break
            lags.append(time.perf_counter() - started)
        return lags
    finally:
        primary.close()
        replica.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=200)
    args = parser.parse_args()
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        sys.exit("bench/replica.py: PostgreSQL's server programs (/usr/lib/postgresql/<version>/bin) are missing")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; PostgreSQL from {bin_dir}")
    cluster, started_in = _timed(start_cluster, bin_dir)
    try:
        seen, scenario_in = _timed(run_scenario, cluster)
        lags = sorted(_lags(cluster, args.commits))
    finally:
        _, stopped_in = _timed(stop_cluster, cluster)
    print(f"primary + replica started: {started_in:.1f} s")
    print(f"scenario: {scenario_in:.1f} s, of which migrate {seen['migrate_seconds']:.1f} s")
    print(f"stopped and removed: {stopped_in:.1f} s")
    print(f"test setup in all: {started_in + scenario_in + stopped_in:.1f} s")
    p95 = lags[int(0.95 * (len(lags) - 1))]
    print(
        f"replica lag over {len(lags)} commits: median {statistics.median(lags) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, max {lags[-1] * 1000:.1f} ms"
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
