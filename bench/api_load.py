"""Response times of the API under 10 concurrent clients: the member list's first page against a deep page (page
100, or the last if the list is shorter) with page_size 500, and the compliance API — each beside its floor.

Same harness as dashboard_load.py (loopback gunicorn, DEBUG off, persistent connections, read-only database
connection, a signed session cookie of the Steering Committee, whose scope is the whole province; a lone client
first, then N clients):

    .venv/bin/python bench/api_load.py [--database-url URL] [--clients 10] [--duration 20] [--deep 100]
        [--page-size 500] [--year 2024] [--pages members-first,members-deep,members-page,compliance]

`members-deep` follows the `next` links (cursor) to the deep page before measuring it; `members-page` asks
for the same page the old way (`page=N`, OFFSET), kept for existing scripts. On a version without cursors
(before issue 13) `members-deep` falls back to `page=N` too.

The floors (bench/_floor.py): for the first page and the compliance API, the SQL one request runs, replayed with
psycopg2 by N clients; for a deep page, the first page (issue 13: any page ≤ 2× the first). Each figure is printed
as a BENCH-RESULT line (bench/_report.py) with its goal (compliance API p95 ≤ 150 ms).
"""

import argparse
import os
import sys

import _floor
from _report import goal, load_average, result
from dashboard_load import DEFAULT_DB, drive, metered_drive, prepare, report, start_server, stop_server

# Issue 13's targets: the compliance API's p95 in ms; a deep page's median against the first page's.
COMPLIANCE_GOAL_MS = 150
DEEP_GOAL_RATIO = 2


def _deep_url(base, session, size, deep):
    """The URL of page `deep` of the member list reached through the `next` links (the last page if fewer)."""
    url, page = f"/api/members/?page_size={size}", 1
    while page < deep:
        answer = session.get(base + url, timeout=120).json()
        if not answer.get("next"):
            print(f"the list has {page} pages of {size}: measuring the last one")
            break
        url = "/" + answer["next"].split("://", 1)[1].split("/", 1)[1]
        page += 1
    return url, page


def results(figures, urls, floors, args):
    """One BENCH-RESULT per URL measured, beside its floor and goal."""
    first = figures.get("members-first")
    for name, (latencies, errors, cpu) in figures.items():
        p50, p95 = _floor.percentiles(latencies)
        work = {
            "members-first": f"API /api/members/ first page (page_size {args.page_size})",
            "members-deep": f"API /api/members/ page {args.number} by the cursor",
            "members-page": f"API /api/members/ page={args.number} (deprecated, OFFSET)",
            "compliance": f"API compliance {args.year}",
        }[name]
        if name in floors:
            floor, statements = floors[name]
            floor_p50 = _floor.percentiles(floor)[0]
            note = f"floor: its {statements} SQL statements replayed"
            if name == "compliance":
                note = f"{goal(p95, COMPLIANCE_GOAL_MS)}; {note}"
        elif first:
            floor, floor_p50 = first[0], _floor.percentiles(first[0])[0]
            met = "met" if latencies and p50 <= DEEP_GOAL_RATIO * floor_p50 else "not met"
            note = f"goal p50 ≤ {DEEP_GOAL_RATIO}× the first page: {met}; floor: the first page"
        else:
            floor, floor_p50, note = [], None, "first page not measured"
        result(
            f"{work}, {args.clients} clients",
            _floor.describe(latencies, len(errors)),
            _floor.describe(floor) if floor else None,
            f"{p50 / floor_p50:.1f}×" if latencies and floor_p50 else None,
            f"{note}; {cpu}; load {load_average()}",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=20, help="seconds per URL")
    parser.add_argument("--max-requests", type=int, default=1000, help="per URL")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--user", default="bchi_dao")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--deep", type=int, default=100, help="the deep page's number")
    parser.add_argument("--pages", default="members-first,members-deep,members-page,compliance")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=20, help="requests by a lone client first (0: none)")
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith("postgres"):
        sys.exit("api_load measures on PostgreSQL: give a postgres:// --database-url")
    if not args.skip_prepare:
        prepare(url)
    _floor.setup(url)
    cookies = _floor.session_cookies(args.user)
    sessions = _floor.client_sessions(cookies, args.clients)
    print(f"database: {_floor.database_size()}, user: {args.user}, {os.cpu_count()} CPUs", flush=True)
    server, base = start_server(url, args.workers)
    try:
        first = f"/api/members/?page_size={args.page_size}"
        probe = sessions[0].get(base + first, timeout=120).json()
        cursors = "next" in probe and "cursor=" in (probe.get("next") or "")
        if cursors:
            deep, args.number = _deep_url(base, sessions[0], args.page_size, args.deep)
        else:
            args.number = min(args.deep, -(-probe["count"] // args.page_size))
            deep = f"{first}&page={args.number}"
        urls = {
            "members-first": first,
            "members-deep": deep,
            "members-page": f"{first}&page={args.number}",
            "compliance": f"/api/indicators/compliance/?year={args.year}",
        }
        print(f"load average (1, 5, 15 min) before: {load_average()} — other processes share these CPUs")
        print(
            f"gunicorn {args.workers} workers on {base}, user {args.user}, "
            f"{'cursor' if cursors else 'page-number'} pagination, deep page = page {args.number} of "
            f"{args.page_size}, {args.duration:.0f} s or {args.max_requests} requests per URL",
            flush=True,
        )
        figures = {}
        for name in args.pages.split(","):
            if args.baseline:
                latencies, errors, seconds = drive(base, sessions[:1], urls[name], 120, args.baseline, 1)
                report(name, urls[name][:90], latencies, errors, seconds, 1)
            latencies, errors, seconds, cpu = metered_drive(
                server, base, sessions, urls[name], args.duration, args.max_requests, args.warmup
            )
            report(name, urls[name][:90], latencies, errors, seconds, args.clients)
            print(f"{'':15} {cpu}", flush=True)
            figures[name] = (latencies, errors, cpu)
    finally:
        stop_server(server)
    floors = {}
    for name in ("members-first", "compliance"):
        if name in figures:
            statements = _floor.capture(urls[name], cookies)
            floors[name] = (
                _floor.replay(url, statements, args.clients, args.duration, args.max_requests),
                len(statements),
            )
    results(figures, urls, floors, args)
    print(f"load average (1, 5, 15 min) at the end: {load_average()}")


if __name__ == "__main__":
    main()
