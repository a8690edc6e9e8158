"""Time one year's snapshot refresh fanned out over real Celery workers (indicators.fanout) against the
single-process `snapshot_refresh`, the floor: first the single process, then the chord over 1 worker process,
then over 2 (each `--pool=solo`, on a queue of this run's own, Redis), checking that every fanned-out row equals
the single process's.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB REDIS_URL=redis://127.0.0.1:6379/N \\
        .venv/bin/python bench/fanout.py --year 2024 [--workers 1,2]

It writes the year's IndicatorSnapshot rows and the fan-out's own run and staging rows, nothing else: the
database needs this checkout's migrations. `--counts-only` writes nothing (a shared database): the single
process's counts of the whole tree, then each partition's counts in this process, one after the other.
"portal" is the time until the new year is visible (the chord's last step committed); the note adds the time
until the chord finished, the dashboards of the top nodes warmed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")

import django  # noqa: E402

django.setup()

from indicators import fanout  # noqa: E402
from indicators.models import IndicatorSnapshot, SnapshotRun  # noqa: E402
from indicators.selectors import snapshot_counts  # noqa: E402
from indicators.selectors.scope import _subtree  # noqa: E402
from indicators.selectors.snapshots import subtree_counts  # noqa: E402
from indicators.services import snapshot_refresh  # noqa: E402
from party_portal.celery import app  # noqa: E402


def load():
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def result(work, portal, floor, ratio, note):
    values = {"work": work, "portal": portal, "floor": floor, "ratio": ratio, "note": note}
    print("BENCH-RESULT " + json.dumps(values, ensure_ascii=False), flush=True)


def rows(year):
    return {
        org_id: (counts, by_type)
        for org_id, counts, by_type in IndicatorSnapshot.objects.filter(year=year).values_list(
            "organization_id", "counts", "by_type"
        )
    }


def start_workers(count, queue):
    """`count` worker processes, one task at a time each, named so that a ping tells them apart."""
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"}
    names = [f"fanout{n}-{queue}@%h" for n in range(count)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "party_portal", "worker", "--pool=solo", "--loglevel=warning",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--queues", queue, "-n", name],
            cwd=ROOT, env=env,
        )
        for name in names
    ]  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answers = app.control.ping(timeout=0.5)
        if sum(1 for answer in answers for host in answer if f"-{queue}@" in host) >= count:
            return processes
    stop_workers(processes)
    sys.exit(f"bench/fanout.py: {count} worker(s) did not answer within 2 minutes")


def stop_workers(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=60)


def fanned_out(year, count):
    """(seconds until the year is visible, seconds until the chord finished, its outcome)."""
    queue = f"bench-fanout-{uuid.uuid4().hex[:8]}"
    processes = start_workers(count, queue)
    try:
        started = time.perf_counter()
        outcome = fanout.refresh_chord(year=year, queue=queue).apply_async()
        run = SnapshotRun.objects.filter(year=year).latest("pk").pk
        while SnapshotRun.objects.filter(pk=run).exists():
            time.sleep(0.05)
        visible = time.perf_counter() - started
        outcome = outcome.get(timeout=3600)
        return visible, time.perf_counter() - started, outcome
    finally:
        stop_workers(processes)


def counts_only(year):
    """Read-only (a shared database): the single process's counts of the whole tree, then each partition's counts
    in this process, one after the other; nothing is written."""
    on = date(year, 12, 31)
    plan = fanout.refresh_plan(year)
    started = time.perf_counter()
    whole = len(snapshot_counts(year))
    floor = time.perf_counter() - started
    print(f"single process, counts only: {whole:,} nodes in {floor:.2f} s; load average {load()}", flush=True)
    seconds = []
    for node in plan.partitions:
        started = time.perf_counter()
        subtree_counts(year, _subtree(node.path, on), node.path)
        seconds.append(time.perf_counter() - started)
        print(f"  {node.code}: {seconds[-1]:.2f} s", flush=True)
    two = max(sum(seconds) / 2, max(seconds))
    result(
        f"snapshot counts {year}, {len(seconds)} partitions one after the other (no writes)",
        f"{sum(seconds):.2f} s",
        f"{floor:.2f} s (single process, counts only)",
        f"{sum(seconds) / floor:.2f}×",
        f"longest partition {max(seconds):.2f} s; two idle workers: about {two:.2f} s before the last step; "
        f"load average {load()}",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--workers", default="1,2", help="worker process counts, comma-separated")
    parser.add_argument("--counts-only", action="store_true", help="read only: time the counts, write nothing")
    args = parser.parse_args()
    if args.counts_only:
        counts_only(args.year)
        return
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench/fanout.py: set REDIS_URL (the workers' broker and the chord's result backend)")

    plan = fanout.refresh_plan(args.year)
    shape = f"{len(plan.partitions)} partitions under {len(plan.above) or 'no'} split root(s)"
    print(f"year {args.year}: {shape}; load average {load()}", flush=True)
    started = time.perf_counter()
    count = snapshot_refresh(year=args.year)
    floor = time.perf_counter() - started
    reference = rows(args.year)
    print(f"single process: {count:,} rows in {floor:.2f} s; load average {load()}", flush=True)

    for workers in (int(n) for n in args.workers.split(",")):
        visible, finished, outcome = fanned_out(args.year, workers)
        equal = rows(args.year) == reference
        took_part = len(outcome["workers"])
        note = (
            f"{shape}; {outcome['rows']:,} rows, {'equal to' if equal else 'DIFFERENT FROM'} the single process's; "
            f"{took_part} process(es) took part; chord done with warm dashboards at {finished:.2f} s; "
            f"load average {load()}"
        )
        seconds = outcome["seconds"]
        print(
            f"{workers} worker(s): visible at {visible:.2f} s, done at {finished:.2f} s; partitions took "
            f"{sum(seconds):.2f} s in all, the longest {max(seconds):.2f} s",
            flush=True,
        )
        result(
            f"snapshot refresh {args.year}, fanned out over {workers} worker(s)",
            f"{visible:.2f} s",
            f"{floor:.2f} s (single process)",
            f"{visible / floor:.2f}×",
            note,
        )


if __name__ == "__main__":
    main()
