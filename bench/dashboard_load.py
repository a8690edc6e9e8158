"""Response times of the dashboard under 10 concurrent clients, warm and cold, beside their floor, on the `large`
demo province in PostgreSQL.

What it does (loopback only, bounded in time and in requests; nothing is written into the measured database):
1. makes sure the database (default party_portal_large) holds a province: an empty or missing one is created,
   migrated and seeded (`seed_demo --size large --seed 1`, which computes the snapshots and runs ANALYZE); one that
   holds a province is only checked (migrations applied, snapshots of 2020–2025 present), never written;
2. collects the static files and starts gunicorn on 127.0.0.1 with DEBUG off, persistent database connections
   (`?conn_max_age=600` on DATABASE_URL, as in production) and bench/_bench_settings.py: a read-only database
   connection and cookie sessions — each client carries a session cookie of a demo user (the Steering Committee,
   whose scope is the whole province) signed by this script, so nobody logs in;
3. drives the pages with N threads for a fixed time or number of requests, after a warm-up: warm (the figures
   cache on), then the 2025 dashboard again cold (caches off: what the first visitor after a recompute gets,
   when no refresh job warmed it);
4. measures the floor: the SQL one cold dashboard request runs (the snapshot reads), captured through Django and
   replayed with psycopg2 by N clients (bench/_floor.py);
5. prints median, 95th and 99th percentile, max and throughput per page, and a BENCH-RESULT line per figure
   (bench/_report.py) with the goal of issue 13 (warm p95 ≤ 150 ms, cold p95 ≤ 300 ms), then stops gunicorn.

    .venv/bin/python bench/dashboard_load.py [--clients 10] [--duration 30] [--max-requests 2000]
        [--workers 3] [--pages dashboard,dashboard-2024,district,progress,drilldown] [--no-cache] [--database-url URL]

--no-cache measures only cold (every page given rendered from the snapshots on every request).
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _cpu
import _floor
from _report import goal, load_average, result

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/party_portal_large"
YEARS = range(2020, 2026)
# Issue 13's targets for the 2025 dashboard under 10 clients, p95 in ms.
GOALS = {"warm": 150, "cold": 300}


def _psql(url, sql, database=None):
    parts = urlsplit(url)
    dbname = database or parts.path.lstrip("/")
    host, port, user = parts.hostname or "127.0.0.1", str(parts.port or 5432), parts.username or "postgres"
    cmd = ["psql", "-h", host, "-p", port, "-U", user, "-d", dbname, "-Atc", sql]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def _manage(url, *args, quiet=False, env=None):
    env = {**(env or os.environ), "DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=quiet, text=True, check=False)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed" + (f":\n{result.stdout}\n{result.stderr}" if quiet else ""))


def prepare(url):
    """The large province and its snapshots in the database at `url`: built into an empty or missing database,
    only checked in one that holds a province (which may be shared: nothing is written into it)."""
    name = urlsplit(url).path.lstrip("/")
    code, _out, _err = _psql(url, "SELECT 1", database="postgres")
    if code:
        sys.exit(f"PostgreSQL is not reachable at {url}")
    _code, exists, _err = _psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'", database="postgres")
    _code, orgs, _err = _psql(url, "SELECT count(*) FROM organizations_organization") if exists == "1" else (1, "", "")
    if orgs in ("", "0"):
        if exists != "1":
            print(f"creating database {name}", flush=True)
            _psql(url, f'CREATE DATABASE "{name}"', database="postgres")
        _manage(url, "migrate", "--noinput", "-v0")
        print("seeding the large demo province with its snapshots (a few minutes)", flush=True)
        _manage(url, "seed_demo", "--size", "large", "--seed", "1")
        return
    _manage(url, "migrate", "--check", "-v0", quiet=True)
    _code, years, _err = _psql(url, "SELECT count(DISTINCT year) FROM indicators_indicatorsnapshot")
    if years != str(len(YEARS)):
        sys.exit(f"{name} has snapshots for {years} of the years {YEARS[0]}–{YEARS[-1]}: refresh them first")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url, workers, cache=True):
    """gunicorn on the read-only bench settings (bench/_floor.py's portal_env); `cache` False: no dashboard cache."""
    env = _floor.portal_env(url, cache=cache)
    _manage(env["DATABASE_URL"], "collectstatic", "--noinput", "-v0", quiet=True, env=env)
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "party_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(f"{base}/dang-nhap/", timeout=10).status_code == 200:
                return server, base
        except requests.RequestException:
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not start")


def stop_server(server):
    """Stop gunicorn and its workers: they run in a process group of their own."""
    os.killpg(server.pid, 15)
    server.wait(timeout=30)


def drive(base, sessions, url, duration, max_requests, warmup):
    """Each session in its own thread requests `url` in a loop; returns (latencies in ms, errors, seconds)."""
    for session in sessions:
        for _ in range(warmup):
            session.get(base + url, timeout=30)
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(session):
        while time.perf_counter() < stop_at:
            with lock:
                if len(latencies) + len(errors) >= max_requests:
                    return
            started = time.perf_counter()
            try:
                response = session.get(base + url, timeout=30)
                # a redirect (to the login page, say) is not the page
                ok = response.status_code == 200 and not response.history
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (latencies if ok else errors).append(elapsed)

    threads = [threading.Thread(target=client, args=(session,)) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def _pages(base, session, year):
    """The URLs measured: the landing dashboard, a district's, the progress panel and a drill-down list."""
    # The home page ("/") is a page of its own: the dashboard lives under /bang-dieu-khien/.
    answer = session.get(f"{base}/bang-dieu-khien/?nam={year}", timeout=60)
    if answer.history:
        sys.exit(f"the signed session cookie was refused: the dashboard redirected to {answer.url}")
    page = answer.text
    scope = re.search(r"tien-do/\?nam=\d+&amp;pham-vi=(\d+)", page)
    scope_id = scope.group(1) if scope else ""
    child = re.search(r'<td data-sort="[^"]*"><a href="(/bang-dieu-khien/\?nam=\d+&amp;pham-vi=\d+)"', page)
    # The first list of missing ratings the page links to, whichever definition it belongs to.
    missing = re.search(r'href="(/bang-dieu-khien/chi-tiet/\?[^"]*nhom=missing[^"]*)"', page)
    return {
        "dashboard": f"/bang-dieu-khien/?nam={year}",
        "dashboard-2024": "/bang-dieu-khien/?nam=2024",
        "district": child.group(1).replace("&amp;", "&") if child else f"/bang-dieu-khien/?nam={year}",
        "progress": f"/bang-dieu-khien/tien-do/?nam={year}&pham-vi={scope_id}",
        "drilldown": missing.group(1).replace("&amp;", "&") if missing else f"/bang-dieu-khien/tien-do/?nam={year}",
    }


def report(name, url, latencies, errors, seconds, clients):
    if not latencies:
        print(f"{name:15} no successful request ({len(errors)} errors)")
        return
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"{name:15} {len(latencies):6d} req  {clients:2d} clients  median {statistics.median(latencies):7.1f} ms  "
        f"p95 {cuts[94]:7.1f} ms  p99 {cuts[98]:7.1f} ms  max {max(latencies):7.1f} ms  "
        f"{len(latencies) / seconds:6.1f} req/s  errors {len(errors)}   {url}",
        flush=True,
    )


def floor(url, path, clients, duration, max_requests, cookies):
    """Latencies of the SQL of one cold request of `path` replayed by `clients` clients (bench/_floor.py), and
    how many statements that is."""
    statements = _floor.capture(path, cookies, cold=True)
    return _floor.replay(url, statements, clients, duration, max_requests), len(statements)


def measure(base, sessions, pages, names, args, server):
    """Drive each page (a lone client first when --baseline) and return {name: (latencies, errors, CPU)}: CPU
    describes what the web server, PostgreSQL and the clients used per request under the N clients (bench/_cpu.py)."""
    figures = {}
    for name in names:
        if args.baseline:
            # One client alone: the service time, without queueing behind the other nine.
            latencies, errors, seconds = drive(base, sessions[:1], pages[name], 60, args.baseline, 1)
            report(name, pages[name], latencies, errors, seconds, 1)
        latencies, errors, seconds, cpu = metered_drive(
            server, base, sessions, pages[name], args.duration, args.max_requests, args.warmup
        )
        report(name, pages[name], latencies, errors, seconds, args.clients)
        print(f"{'':15} {cpu}", flush=True)
        figures[name] = (latencies, errors, cpu)
    return figures


def metered_drive(server, base, sessions, url, duration, max_requests, warmup):
    """drive() after the clients' warm-up, with what each request cost in CPU (bench/_cpu.py) while they ran:
    (latencies, errors, seconds, the CPU in words)."""
    for session in sessions:
        for _ in range(warmup):
            session.get(base + url, timeout=30)
    meter = _cpu.Meter(os.getpgid(server.pid))
    meter.start()
    latencies, errors, seconds = drive(base, sessions, url, duration, max_requests, 0)
    meter.stop()
    return latencies, errors, seconds, meter.describe(len(latencies) + len(errors))


def results(figures, floors, state, args):
    """One BENCH-RESULT per page measured, beside the floor of its SQL, with the goal for the 2025 dashboard."""
    for name, (latencies, errors, cpu) in figures.items():
        floor_latencies, statements = floors[name]
        p50, p95 = _floor.percentiles(latencies)
        floor_p50, _p95 = _floor.percentiles(floor_latencies)
        note = f"floor: its {statements} SQL statements (snapshot reads) replayed by {args.clients} clients"
        if name == "dashboard":
            note = f"{goal(p95, GOALS[state])}; {note}"
        result(
            f"{name} {args.year if name == 'dashboard' else ''}, {state}, {args.clients} clients".replace(" ,", ","),
            _floor.describe(latencies, len(errors)),
            _floor.describe(floor_latencies),
            f"{p50 / floor_p50:.1f}×" if latencies else None,
            f"{note}; {cpu}; load {load_average()}",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30, help="seconds per page")
    parser.add_argument("--max-requests", type=int, default=2000, help="per page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--user", default="bchi_dao")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--pages", default="dashboard", help="of dashboard,dashboard-2024,district,progress,drilldown")
    parser.add_argument("--warmup", type=int, default=3, help="requests per client before measuring")
    parser.add_argument("--no-cache", action="store_true", help="only cold: the figures rendered on every request")
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--baseline", type=int, default=50, help="requests by a lone client first (0: none)")
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith("postgres"):
        sys.exit("dashboard_load measures on PostgreSQL: give a postgres:// --database-url")
    if not args.skip_prepare:
        prepare(url)
    _floor.setup(url)
    cookies = _floor.session_cookies(args.user)
    sessions = _floor.client_sessions(cookies, args.clients)
    print(f"database {urlsplit(url).path.lstrip('/')}: {_floor.database_size()}; {os.cpu_count()} CPUs")
    names = args.pages.split(",")
    passes = [("cold", names)] if args.no_cache else [("warm", names), ("cold", names[:1])]
    floors = {}
    for state, measured in passes:
        server, base = start_server(url, args.workers, cache=state == "warm")
        try:
            pages = _pages(base, sessions[0], args.year)
            print(f"load average (1, 5, 15 min) before: {load_average()} — other processes share these CPUs")
            print(
                f"gunicorn {args.workers} workers on {base}, user {args.user}, {state} (cache "
                f"{'on' if state == 'warm' else 'off'}), {args.duration:.0f} s or {args.max_requests} requests "
                "per page",
                flush=True,
            )
            figures = measure(base, sessions, pages, measured, args, server)
        finally:
            stop_server(server)
        for name in measured:
            if name not in floors:
                floors[name] = floor(url, pages[name], args.clients, args.duration, args.max_requests, cookies)
                print(f"{name:15} floor: {_floor.describe(floors[name][0])}, {floors[name][1]} statements", flush=True)
        results(figures, floors, state, args)
    print(f"load average (1, 5, 15 min) at the end: {load_average()}")


if __name__ == "__main__":
    main()
