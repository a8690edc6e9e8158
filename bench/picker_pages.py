"""Render time of the pages whose organization fields were drop-downs of the whole scope (issue 13, item 1).

Read-only: the database session is set READ ONLY before anything runs, the login writes nothing (signed-cookie
session, the login signals' receivers detached), so it can run against a shared seeded database:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/picker_pages.py
`--root DIR` renders the pages of another checkout of the project (e.g. the main branch, for a before/after) with
this script. Prints, per page, the median and the best of --repeat renders, the HTML size and the <option> count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = [
    ("user creation", "users:create", {}),
    ("merge (reorganization)", "organizations:sap-nhap", {}),
    ("compliance reports", "reports:list", {}),
    ("final review, historical", "reports:final_review", {"mode": "historical"}),
]


def _arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--user", default="bantochuc")
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args()


def main():
    args = _arguments()
    sys.path.insert(0, args.root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    user_logged_in.receivers = []
    client = Client()
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies", ALLOWED_HOSTS=["testserver"]
    ):
        client.force_login(get_user_model().objects.get(username=args.user))
        print(f"load average {os.getloadavg()[0]:.1f}; {connection.vendor}; {args.root}; as {args.user}")
        for label, name, query in PAGES:
            url = reverse(name)
            times = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                response = client.get(url, query)
                times.append(time.perf_counter() - began)
            html = response.content.decode()
            print(
                f"{label:<26} {response.status_code} median {statistics.median(times) * 1000:7.0f} ms  "
                f"best {min(times) * 1000:7.0f} ms  {len(html) / 1024:7.0f} KiB  {html.count('<option'):5} options"
            )


if __name__ == "__main__":
    main()
