"""The province's member list as an Excel download, on a seeded database: the time of the whole request and the
peak memory of the process, beside the floor measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/list_download.py
        [--user bchi_dao] [--repeat 1]

The download goes through the view with Django's test client as a demo user (the Steering Committee: the whole
province), on the read-only bench settings (bench/_floor.py), so nothing is written. The floor is what the file
cannot do without: the SQL giving every value of its rows (the view's own statement, captured, run again with
psycopg2 and every row fetched as plain tuples). Writing the workbook has no floor of its own: the note gives the
rows and the file's size. A web worker answers within gunicorn's timeout (120 s in the Dockerfile) or not at all.
"""

import argparse
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _floor
from _report import load_average, result

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/party_portal_large"
PATH = "/dang-vien/tai-xuong/"


def _statement(client):
    """The SQL statement that reads the file's rows (the longest of the request's, declared as a server-side
    cursor by the view), with its parameters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(PATH)
    longest = max((query["sql"] for query in captured.captured_queries), key=len)
    return re.sub(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', "", longest)


def _floor_seconds(url, sql):
    """Seconds to run `sql` and fetch every row as tuples, with psycopg2 on its own connection."""
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql)
            rows = len(cursor.fetchall())
            return time.perf_counter() - started, rows
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--user", default="bchi_dao")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("list_download measures on PostgreSQL: give a postgres:// DATABASE_URL")
    _floor.setup(args.database_url)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in _floor.session_cookies(args.user).items():
        client.cookies[name] = value
    client.get("/dang-vien/")  # the process's first request loads the URL conf and the templates
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times, size = [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.get(PATH)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"{PATH} answered {response.status_code}")
        size = len(response.content)
        del response
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sql = _statement(client)
    floors = [_floor_seconds(args.database_url, sql) for _ in range(max(3, args.repeat))]
    floor, rows = statistics.median(seconds for seconds, _rows in floors), floors[0][1]
    portal = statistics.median(times)
    print(f"member list download as {args.user}: {rows:,} rows, {size / 1e6:.1f} MB; {portal:.1f} s, {peak:.0f} MB")
    result(
        "member list download (Excel), the province",
        f"{portal:.1f} s, {peak:.0f} MB",
        f"{floor:.1f} s",
        f"{portal / floor:.1f}×",
        f"{rows:,} rows, {size / 1e6:.1f} MB; median of {args.repeat}; floor: its SQL with every row fetched "
        f"(median of {len(floors)}); peak RSS of the process, {baseline:.0f} MB before; gunicorn's timeout 120 s; "
        f"load {load_average()}",
    )


if __name__ == "__main__":
    main()
