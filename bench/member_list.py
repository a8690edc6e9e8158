"""Time the member list page (first page, a deep page, a diacritics-free search) on a seeded database, beside the
floor: the SQL each page runs, replayed with psycopg2 under the same concurrency (bench/_floor.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/member_list.py
        [--clients 10] [--duration 20] [--workers 3]
drives the pages (and the organization picker's JSON, the drill-down's "missing" list) with N concurrent clients
against gunicorn on 127.0.0.1 (bench/dashboard_load.py's server, read-only, with signed session cookies) and
prints p50/p95 and a BENCH-RESULT line per page with issue 13's goal (list and search p95 ≤ 300 ms).

    … bench/member_list.py --clients 0 [--repeat 10]
prints instead the median of --repeat requests through Django's test client (no network), in milliseconds.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _floor
import dashboard_load as load
from _report import goal, load_average, result

PAGES = {
    "first page": "/dang-vien/",
    "page 100 by its number": "/dang-vien/?trang=100",
    "search 'nguyen van'": "/dang-vien/?q=nguyen+van",
}
# Page 100 as a reader reaches it: the "next" link of page 99 (it carries page 99's last position).
LINKED_NAME = "page 100 by 'next'"


def _linked_page(text_of):
    """The address of page 100 behind page 99's "next" link; text_of(url) returns a page's HTML."""
    found = re.search(r'<a href="(\?[^"]*trang=100&amp;sau=\d+)"', text_of("/dang-vien/?trang=99"))
    if found is None:
        sys.exit("page 99 of the member list has no 'next' link carrying a position")
    return "/dang-vien/" + found.group(1).replace("&amp;", "&")


# Measured under load only (--clients): they need a server.
LOAD_PAGES = {
    "organization picker 'xa'": "/to-chuc/chon/?q=xa",
}
# Issue 13's target for the list and the search under 10 clients, p95 in ms.
GOAL_MS = 300


def _drill_pages(base, session):
    """The drill-down lists the 2025 dashboard links to (missing ratings, the denominator)."""
    pages = {}
    dashboard = session.get(f"{base}/bang-dieu-khien/?nam=2025", timeout=120).text
    for group in ("missing", "denominator"):
        link = re.search(rf'href="(/bang-dieu-khien/chi-tiet/\?[^"]*nhom={group})"', dashboard)
        if link:
            pages[f"drill-down '{group}' 2025"] = link.group(1).replace("&amp;", "&")
    return pages


def under_load(args, url, cookies):
    """N clients against gunicorn: p50/p95 per page, then each page's SQL floor under the same N clients."""
    sessions = _floor.client_sessions(cookies, args.clients)
    server, base = load.start_server(url, args.workers)
    try:
        pages = dict(PAGES)
        pages[LINKED_NAME] = _linked_page(lambda page: sessions[0].get(f"{base}{page}", timeout=120).text)
        if args.picker:
            pages.update(LOAD_PAGES)
        pages.update(_drill_pages(base, sessions[0]))
        if args.only:
            pages = {name: page for name, page in pages.items() if any(word in name for word in args.only.split(","))}
        print(f"load average (1, 5, 15 min) before: {load_average()}", flush=True)
        figures = {}
        for name, page in pages.items():
            latencies, errors, seconds, cpu = load.metered_drive(
                server, base, sessions, page, args.duration, args.max_requests, 2
            )
            load.report(name[:15], page, latencies, errors, seconds, args.clients)
            print(f"{'':15} {cpu}", flush=True)
            figures[name] = (page, latencies, errors, cpu)
    finally:
        load.stop_server(server)
    for name, (page, latencies, errors, cpu) in figures.items():
        statements = _floor.capture(page, cookies)
        floor = _floor.replay(url, statements, args.clients, args.duration, args.max_requests)
        p50, p95 = _floor.percentiles(latencies)
        floor_p50, _p95 = _floor.percentiles(floor)
        listed = name in PAGES or name == LINKED_NAME
        target = goal(p95, GOAL_MS) if listed else "no goal in issue 13"
        result(
            f"{'member list, ' if listed else ''}{name}, {args.clients} clients",
            _floor.describe(latencies, len(errors)),
            _floor.describe(floor),
            f"{p50 / floor_p50:.1f}×" if latencies else None,
            f"{target}; floor: its {len(statements)} SQL statements replayed; {cpu}; load {load_average()}",
        )
    print(f"load average (1, 5, 15 min) at the end: {load_average()}")


def in_process(args, cookies):
    """The median of --repeat requests per page through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in cookies.items():
        client.cookies[name] = value
    pages = {**PAGES, LINKED_NAME: _linked_page(lambda page: client.get(page).content.decode())}
    for name, url in pages.items():
        client.get(url)
        runs = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                runs.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"{name:<22} median {statistics.median(runs):7.1f} ms   max {max(runs):7.1f} ms   "
            f"{len(queries.captured_queries)} queries"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10, help="requests per page without --clients")
    parser.add_argument("--user", default="bantochuc")
    parser.add_argument("--clients", type=int, default=10, help="N concurrent clients against gunicorn (0: none)")
    parser.add_argument("--duration", type=float, default=20, help="seconds per page under load")
    parser.add_argument("--max-requests", type=int, default=400, help="per page under load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--only", default="", help="comma-separated words: the pages whose name holds one")
    parser.add_argument("--no-picker", dest="picker", action="store_false", help="skip the picker (before it existed)")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    _floor.setup(url)
    cookies = _floor.session_cookies(args.user)
    print(f"database: {_floor.database_size()}, user: {args.user}, {os.cpu_count()} CPUs", flush=True)
    if args.clients:
        under_load(args, url, cookies)
    else:
        in_process(args, cookies)


if __name__ == "__main__":
    main()
