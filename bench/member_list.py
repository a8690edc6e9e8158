"""Time the member list page (first page, a deep page, a diacritics-free search) on a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/member_list.py
Prints the median of --repeat requests through Django's test client (no network), in milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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
    "page 100": "/dang-vien/?page=100",
    "search 'nguyen van'": "/dang-vien/?q=nguyen+van",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--user", default="bantochuc")
    args = parser.parse_args()
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
