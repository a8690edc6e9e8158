"""Response times of the dashboard under 10 concurrent clients, on the `large` demo province in PostgreSQL.

What it does (loopback only, bounded in time and in requests):
1. makes sure the scratch database (default party_portal_large) holds the large province: creates, migrates
   and seeds it (`seed_demo --size large --seed 1`) when empty, computes the dashboard snapshots of
   2020–2025 when missing, and runs ANALYZE (planner statistics after a bulk load);
2. collects the static files and starts gunicorn on 127.0.0.1 with DEBUG off and persistent database
   connections (`?conn_max_age=600` on DATABASE_URL, as in production);
3. logs each client in as a demo user (the Steering Committee, whose scope is the whole province) and
   drives the pages with N threads for a fixed time or number of requests, after a warm-up;
4. prints median, 95th and 99th percentile, max and throughput per page, then stops gunicorn.

    .venv/bin/python bench/dashboard_load.py [--clients 10] [--duration 30] [--max-requests 2000]
        [--workers 3] [--pages dashboard,dashboard-2024,progress,drilldown] [--no-cache] [--database-url URL]

The figures part of the dashboard is cached per (user, node, year, snapshot time); --no-cache measures the
page rendered from the snapshots on every request (what the first visitor after a recompute gets).
"""

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/party_portal_large"
# The server runs with DEBUG off, where the demo password logs nobody in: the bench user gets one of its own.
PASSWORD = "bench-only-" + secrets.token_urlsafe(12)
YEARS = range(2020, 2026)


def _psql(url, sql, database=None):
    parts = urlsplit(url)
    dbname = database or parts.path.lstrip("/")
    host, port, user = parts.hostname or "127.0.0.1", str(parts.port or 5432), parts.username or "postgres"
    cmd = ["psql", "-h", host, "-p", port, "-U", user, "-d", dbname, "-Atc", sql]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def _manage(url, *args, quiet=False):
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=quiet, text=True, check=False)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed" + (f":\n{result.stdout}\n{result.stderr}" if quiet else ""))


def prepare(url):
    """The large province, its snapshots and fresh planner statistics in the database at `url`."""
    name = urlsplit(url).path.lstrip("/")
    code, _out, _err = _psql(url, "SELECT 1", database="postgres")
    if code:
        sys.exit(f"PostgreSQL is not reachable at {url}")
    _code, exists, _err = _psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'", database="postgres")
    if exists != "1":
        print(f"creating database {name}", flush=True)
        _psql(url, f'CREATE DATABASE "{name}"', database="postgres")
    _manage(url, "migrate", "--noinput", "-v0")
    _code, orgs, _err = _psql(url, "SELECT count(*) FROM organizations_organization")
    if orgs == "0":
        print("seeding the large demo province (a few minutes)", flush=True)
        _manage(url, "seed_demo", "--size", "large", "--seed", "1")
    _code, ratings, _err = _psql(url, "SELECT count(*) FROM evaluations_memberrating")
    if ratings == "0":
        print("seeding the ratings 2020–2025", flush=True)
        _manage(url, "shell", "-c", "from evaluations.demo import seed_ratings; seed_ratings(seed=1)")
    _code, years, _err = _psql(url, "SELECT count(DISTINCT year) FROM indicators_indicatorsnapshot")
    if years != str(len(YEARS)):
        print("computing the dashboard snapshots 2020–2025", flush=True)
        refresh = "; ".join(f"snapshot_refresh(year={y})" for y in YEARS)
        _manage(url, "shell", "-c", f"from indicators.services import snapshot_refresh; {refresh}")
    _psql(url, "ANALYZE")
    _code, counts, _err = _psql(
        url,
        "SELECT (SELECT count(*) FROM organizations_organization) || ' organizations, ' || "
        "(SELECT count(*) FROM members_member) || ' members, ' || "
        "(SELECT count(*) FROM evaluations_memberrating) || ' member ratings, ' || "
        "(SELECT count(*) FROM indicators_indicatorsnapshot) || ' snapshot rows'",
    )
    print(f"database {name}: {counts}", flush=True)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _with_persistent_connections(url):
    parts = urlsplit(url)
    query = parts.query or "conn_max_age=600"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def start_server(url, workers, no_cache, settings_dir):
    env = {
        **os.environ,
        "DATABASE_URL": _with_persistent_connections(url),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Plain http on 127.0.0.1: no redirect to https, cookies sent over http.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
    }
    if no_cache:
        # A settings module of the run's own, so that nothing in the project changes for the measurement.
        (Path(settings_dir) / "bench_nocache_settings.py").write_text(
            "from party_portal.settings import *  # noqa: F403\nDASHBOARD_CACHE_SECONDS = 0\n"
        )
        env["DJANGO_SETTINGS_MODULE"] = "bench_nocache_settings"
        env["PYTHONPATH"] = os.pathsep.join([settings_dir, str(ROOT), env.get("PYTHONPATH", "")])
    _manage(env["DATABASE_URL"], "collectstatic", "--noinput", "-v0", quiet=True)
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


def login(base, username):
    session = requests.Session()
    page = session.get(f"{base}/dang-nhap/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=10,
    )
    if "dang-nhap" in answer.url:
        sys.exit(f"could not log in as {username} (is this the demo province?)")
    return session


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
                ok = response.status_code == 200
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
    page = session.get(f"{base}/bang-dieu-khien/?nam={year}", timeout=60).text
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30, help="seconds per page")
    parser.add_argument("--max-requests", type=int, default=2000, help="per page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--user", default="bchi_dao")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--pages", default="dashboard,dashboard-2024,district,progress,drilldown")
    parser.add_argument("--warmup", type=int, default=3, help="requests per client before measuring")
    parser.add_argument("--no-cache", action="store_true", help="render the dashboard's figures on every request")
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--baseline", type=int, default=50, help="requests by a lone client first (0: none)")
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith("postgres"):
        sys.exit("dashboard_load measures on PostgreSQL: give a postgres:// --database-url")
    if not args.skip_prepare:
        prepare(url)
    with tempfile.TemporaryDirectory() as settings_dir:
        set_password = "from django.contrib.auth.models import User; u = User.objects.get(username={!r}); "
        _manage(url, "shell", "-c", set_password.format(args.user) + f"u.set_password({PASSWORD!r}); u.save()")
        server, base = start_server(url, args.workers, args.no_cache, settings_dir)
        try:
            sessions = [login(base, args.user) for _ in range(args.clients)]
            pages = _pages(base, sessions[0], args.year)
            print(
                "load average (1, 5, 15 min) before: {:.1f} {:.1f} {:.1f} — other processes share these CPUs".format(
                    *os.getloadavg()
                )
            )
            print(
                f"gunicorn {args.workers} workers on {base}, {os.cpu_count()} CPUs, user {args.user}, "
                f"cache {'off' if args.no_cache else 'on'}, {args.duration:.0f} s or {args.max_requests} requests "
                "per page",
                flush=True,
            )
            for name in args.pages.split(","):
                if args.baseline:
                    # One client alone: the service time, without queueing behind the other nine.
                    latencies, errors, seconds = drive(base, sessions[:1], pages[name], 60, args.baseline, 1)
                    report(name, pages[name], latencies, errors, seconds, 1)
                latencies, errors, seconds = drive(
                    base, sessions, pages[name], args.duration, args.max_requests, args.warmup
                )
                report(name, pages[name], latencies, errors, seconds, args.clients)
            print("load average (1, 5, 15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
