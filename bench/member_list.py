"""Time the member list page (first page, a deep page, a diacritics-free search) on a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/member_list.py
Prints the median of --repeat requests through Django's test client (no network), in milliseconds.

    DATABASE_URL=… .venv/bin/python bench/member_list.py --clients 10 [--duration 20] [--workers 3]
drives the same pages (and the organization picker's JSON, the drill-down's "missing" list) with N concurrent
clients against gunicorn on 127.0.0.1 (bench/dashboard_load.py's server and clients) and prints p50/p95.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.models import Membership  # noqa: E402

PAGES = {
    "first page": "/dang-vien/",
    "page 100": "/dang-vien/?trang=100",
    "search 'nguyen van'": "/dang-vien/?q=nguyen+van",
}
# Measured under load only (--clients): they need a server.
LOAD_PAGES = {
    "picker 'xa'": "/to-chuc/chon/?q=xa",
}


def under_load(args):
    """N clients against gunicorn: p50/p95 per page (bench/dashboard_load.py's server, login and driver)."""
    import tempfile

    import dashboard_load as load

    url = os.environ["DATABASE_URL"]
    set_password = "from django.contrib.auth.models import User; u = User.objects.get(username={!r}); "
    load._manage(url, "shell", "-c", set_password.format(args.user) + f"u.set_password({load.PASSWORD!r}); u.save()")
    with tempfile.TemporaryDirectory() as settings_dir:
        server, base = load.start_server(url, args.workers, False, settings_dir)
        try:
            sessions = [load.login(base, args.user) for _ in range(args.clients)]
            pages = dict(PAGES)
            if args.picker:
                pages.update(LOAD_PAGES)
            dashboard = sessions[0].get(f"{base}/bang-dieu-khien/?nam=2025", timeout=120).text
            for group in ("missing", "denominator"):
                link = re.search(rf'href="(/bang-dieu-khien/chi-tiet/\?[^"]*nhom={group})"', dashboard)
                if link:
                    pages[f"drill {group}"] = link.group(1).replace("&amp;", "&")
            if args.only:
                pages = {name: url for name, url in pages.items() if any(word in name for word in args.only.split(","))}
            print("load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
            for name, page in pages.items():
                latencies, errors, seconds = load.drive(base, sessions, page, args.duration, args.max_requests, 2)
                load.report(name[:15], page, latencies, errors, seconds, args.clients)
            print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        finally:
            load.stop_server(server)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--user", default="bantochuc")
    parser.add_argument("--clients", type=int, default=0, help="N concurrent clients against gunicorn (0: none)")
    parser.add_argument("--duration", type=float, default=20, help="seconds per page under load")
    parser.add_argument("--max-requests", type=int, default=400, help="per page under load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--only", default="", help="comma-separated words: the pages whose name holds one")
    parser.add_argument("--no-picker", dest="picker", action="store_false", help="skip the picker (before it existed)")
    args = parser.parse_args()
    if args.clients:
        under_load(args)
        return
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    print(f"database: {connection.vendor}, stints: {Membership.objects.count():,}, user: {args.user}")
    for name, url in PAGES.items():
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


if __name__ == "__main__":
    main()
