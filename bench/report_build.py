"""Time and peak memory to build one year's province report and its workbook, the way the Celery job does.

Run against a seeded database (ratings included), e.g. the large demo province:
    createdb -h 127.0.0.1 -U postgres party_portal_large
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --size large --seed 1
    DATABASE_URL=... .venv/bin/python bench/report_build.py [--year 2024] [--repeat 3]

Each repeat re-runs the report in this process through `report_run_execute` (what the worker calls):
the compliance of the year, the trend back to 2020 (one compliance per earlier year), the lists, the
workbook, the final write. Prints the median wall time, the phases of the last run, the queries of one
run, the peak of Python allocations (tracemalloc, a separate run: tracing slows the code) and the
process's peak resident set (ru_maxrss, Django and the interpreter included). Goal: under 10 s.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")
# The workbooks of the bench runs go to a scratch folder, not to the portal's media.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-report-"))

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reports import services  # noqa: E402
from reports.models import ReportRun, RunStatus  # noqa: E402


class Phases:
    """Wall time spent in the service's steps, by wrapping the functions it calls."""

    NAMES = {"compliance": "compliance (all years)", "_lists": "lists", "build": "workbook", "_finish": "final write"}

    def __init__(self):
        self.seconds = {}
        self._saved = []

    def __enter__(self):
        for owner, name in ((services, "compliance"), (services, "_lists"), (services.workbook, "build")):
            self._wrap(owner, name)
        self._wrap(services, "_finish")
        return self

    def _wrap(self, owner, name):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                label = self.NAMES[name]
                self.seconds[label] = self.seconds.get(label, 0) + time.perf_counter() - start

        setattr(owner, name, timed)
        self._saved.append((owner, name, original))

    def __exit__(self, *exc):
        for owner, name, original in self._saved:
            setattr(owner, name, original)


def run_once(actor, year, scope_id):
    run = services.report_run_start(actor=actor, year=year, scope_id=scope_id, enqueue=False)
    start = time.perf_counter()
    services.report_run_execute(run.pk)
    seconds = time.perf_counter() - start
    run = ReportRun.objects.get(pk=run.pk)
    if run.status != RunStatus.DONE:
        sys.exit(f"run {run.pk} ended {run.status}: {run.error}")
    return run, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--scope", help="organization code (default: the province)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, help=f"program years at once (default {services.TREND_THREADS})")
    args = parser.parse_args()
    if args.threads:
        services.TREND_THREADS = args.threads
    actor = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        sys.exit("No superuser: seed the demo province first (seed_demo).")
    scope_id = None
    if args.scope:
        from organizations.models import Organization

        scope_id = Organization.objects.filter(code=args.scope).order_by("-valid_from").values_list("pk", flat=True)[0]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Timings on a shared machine are only as good as its idleness: print the load beside them.
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())

    run, _warmup = run_once(actor, args.year, scope_id)
    times, cpu = [], []
    for _ in range(args.repeat):
        with Phases() as phases:
            started_cpu = time.process_time()
            run, seconds = run_once(actor, args.year, scope_id)
            cpu.append(time.process_time() - started_cpu)
        times.append(seconds)
    # Counted with the years one after the other: the capture sees this thread's connection only.
    threads, services.TREND_THREADS = services.TREND_THREADS, 1
    with CaptureQueriesContext(connection) as queries:
        run_once(actor, args.year, scope_id)
    services.TREND_THREADS = threads
    tracemalloc.start()
    run_once(actor, args.year, scope_id)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    run = ReportRun.objects.get(pk=run.pk)
    results = run.results
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"database: {connection.vendor}  year: {args.year}  scope: {results['scope']['name']}  "
        f"threads: {services.TREND_THREADS}  CPUs: {os.cpu_count()}  load average before: {load_before}, after: {load}"
    )
    figures = results["scope"]["indicators"]
    sizes = ", ".join(f"{code} {figure['numerator']:,}/{figure['denominator']:,}" for code, figure in figures.items())
    print(
        f"  {len(results['children'])} sub-units; {len(figures)} definitions ({sizes}); trend "
        f"{len(results['trend'])} years; lists {', '.join(f'{k} {len(v)}' for k, v in results['lists'].items())}"
    )
    print(
        f"report + workbook, median of {args.repeat}: {statistics.median(times):.2f} s  (runs: "
        + ", ".join(f"{t:.2f}" for t in times)
        + ")"
    )
    print(f"  CPU time of this process (Python side), median: {statistics.median(cpu):.2f} s")
    print("  last run by phase: " + ", ".join(f"{name} {sec:.2f} s" for name, sec in phases.seconds.items()))
    sql_seconds = sum(float(query["time"]) for query in queries.captured_queries)
    print(f"  queries in one run: {len(queries)}, {sql_seconds:.2f} s in the database (years one after the other)")
    print(f"  workbook: {run.workbook.size / 1024:.0f} KiB")
    print(f"peak Python allocations during one run (tracemalloc): {traced_peak / 2**20:.1f} MiB")
    peak, baseline = rss_after / 1024, rss_before / 1024
    print(f"peak resident set of the process: {peak:.0f} MiB (after Django setup: {baseline:.0f} MiB)")


if __name__ == "__main__":
    main()
