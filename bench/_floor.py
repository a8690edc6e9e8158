"""The harness of the load benchmarks: a portal that cannot write, clients without a login, and the fair floor.

- The portal (gunicorn) and this process run bench/_bench_settings.py: a read-only database connection and
  cookie sessions. The clients carry a session cookie signed with the run's SECRET_KEY, built here from the
  user's row (read only): a login would write the session, last_login and the login audit into the database.
- The floor of a page is the SQL one request of it runs, captured here through Django on the same database
  (after a first request, so per-process caches are as warm as in a running worker), then replayed statement by
  statement with psycopg2 by as many clients as the portal gets, each on a connection of its own kept open (as the
  portal keeps its own): what any implementation giving the same numbers would at least cost.
"""

import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# One key for the server and this process, so that the cookie signed here opens a session there.
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
# Transaction bookkeeping Django sends inside atomic blocks: no data, and refused outside a transaction.
BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def persistent(url):
    """DATABASE_URL with persistent connections (`conn_max_age=600` unless the URL says otherwise)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query or "conn_max_age=600", parts.fragment))


def portal_env(url, cache=True):
    """The environment of the measured portal: DEBUG off, plain http on loopback, the read-only bench settings."""
    return {
        **os.environ,
        "DATABASE_URL": persistent(url),
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "BENCH_DASHBOARD_CACHE": "1" if cache else "0",
    }


def setup(url):
    """Django in this process on the portal's settings (read-only), for the cookies and the captures."""
    os.environ.update(portal_env(url))
    for folder in (str(ROOT), str(HERE)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    import django

    django.setup()


def session_cookies(username):
    """The cookies of a session logged in as `username`, signed here: no login, nothing written."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        sys.exit(f"no user {username!r} in the database (is this the demo province?)")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def client_sessions(cookies, count):
    """`count` HTTP sessions carrying `cookies`."""
    import requests

    sessions = []
    for _ in range(count):
        session = requests.Session()
        session.cookies.update(cookies)
        sessions.append(session)
    return sessions


def capture(path, cookies, cold=False):
    """The statements (sql, params, many) of one GET of `path` through Django, after a first one; `cold` turns the
    dashboard caches off for both."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in cookies.items():
        client.cookies[name] = value
    statements = []

    def record(execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(BOOKKEEPING):
            statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with override_settings(**({"DASHBOARD_CACHE_SECONDS": 0} if cold else {})):
        client.get(path)
        with connection.execute_wrapper(record):
            response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"capturing the SQL of {path}: HTTP {response.status_code}")
    return statements


def replay(url, statements, clients, duration, max_runs, warmup=1):
    """Latencies (ms) of running `statements` in order, by `clients` threads on connections of their own, for
    `duration` seconds or `max_runs` runs in all, after `warmup` runs each."""
    import psycopg2

    dsn = url.split("?", 1)[0]
    latencies, lock = [], threading.Lock()
    stop_at = [0.0]

    def run_once(cursor):
        for sql, params, many in statements:
            (cursor.executemany if many else cursor.execute)(sql, params)
            if cursor.description is not None:
                cursor.fetchall()

    def client(connection, ready):
        with connection.cursor() as cursor:
            try:
                for _ in range(warmup):
                    run_once(cursor)
            except Exception:
                ready.abort()
                raise
            ready.wait()
            while time.perf_counter() < stop_at[0]:
                with lock:
                    if len(latencies) >= max_runs:
                        return
                started = time.perf_counter()
                run_once(cursor)
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)

    connections = [psycopg2.connect(dsn, options="-c default_transaction_read_only=on") for _ in range(clients)]
    for connection in connections:
        connection.autocommit = True

    def start_clock():
        stop_at[0] = time.perf_counter() + duration

    # All clients start together after their warm-up, the clock set before any is released; a client that fails
    # breaks the barrier instead of leaving the others waiting.
    ready = threading.Barrier(clients + 1, action=start_clock, timeout=600)
    threads = [threading.Thread(target=client, args=(c, ready)) for c in connections]
    try:
        for thread in threads:
            thread.start()
        ready.wait()
        for thread in threads:
            thread.join()
    finally:
        for connection in connections:
            connection.close()
    return latencies


def percentiles(latencies):
    """(p50, p95) of latencies in ms."""
    if len(latencies) < 2:
        return (latencies[0], latencies[0]) if latencies else (float("nan"), float("nan"))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return statistics.median(latencies), cuts[94]


def describe(latencies, errors=0):
    """ "p50 120 ms, p95 210 ms (400 req)" — with the errors if any."""
    p50, p95 = percentiles(latencies)
    text = f"p50 {p50:.0f} ms, p95 {p95:.0f} ms ({len(latencies)} req"
    return text + (f", {errors} errors)" if errors else ")")


def database_size():
    """ "248,000 members, 1,522 TCCSĐ" of the database this process reads."""
    from members.models import Member
    from organizations.models import Organization

    members = Member.objects.count()
    tccsd = Organization.objects.filter(
        kind__in=["GRASSROOTS_COMMITTEE", "GRASSROOTS_CELL"], valid_to__isnull=True
    ).count()
    return f"{members:,} members, {tccsd:,} TCCSĐ"
