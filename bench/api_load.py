"""Response times of the API under 10 concurrent clients: the member list's first page against a deep page (page
100, or the last if the list is shorter) with page_size 500, and the compliance API.

Same harness as dashboard_load.py (loopback gunicorn, DEBUG off, persistent connections, the Steering
Committee's session, whose scope is the whole province; a lone client first, then N clients):

    .venv/bin/python bench/api_load.py [--database-url URL] [--clients 10] [--duration 20] [--deep 100]
        [--page-size 500] [--year 2024] [--pages members-first,members-deep,members-page,compliance]

`members-deep` follows the `next` links (cursor) to the deep page before measuring it; `members-page` asks
for the same page the old way (`page=N`, OFFSET), kept for existing scripts. On a version without cursors
(before issue 13) `members-deep` falls back to `page=N` too.
"""

import argparse
import os
import sys
import tempfile

from dashboard_load import DEFAULT_DB, PASSWORD, _manage, drive, login, prepare, report, start_server, stop_server


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
    with tempfile.TemporaryDirectory() as settings_dir:
        set_password = "from django.contrib.auth.models import User; u = User.objects.get(username={!r}); "
        _manage(url, "shell", "-c", set_password.format(args.user) + f"u.set_password({PASSWORD!r}); u.save()")
        server, base = start_server(url, args.workers, False, settings_dir)
        try:
            sessions = [login(base, args.user) for _ in range(args.clients)]
            first = f"/api/members/?page_size={args.page_size}"
            probe = sessions[0].get(base + first, timeout=120).json()
            cursors = "next" in probe and "cursor=" in (probe.get("next") or "")
            if cursors:
                deep, number = _deep_url(base, sessions[0], args.page_size, args.deep)
            else:
                number = min(args.deep, -(-probe["count"] // args.page_size))
                deep = f"{first}&page={number}"
            urls = {
                "members-first": first,
                "members-deep": deep,
                "members-page": f"{first}&page={number}",
                "compliance": f"/api/indicators/compliance/?year={args.year}",
            }
            print(
                "load average (1, 5, 15 min) before: {:.1f} {:.1f} {:.1f} — other processes share these CPUs".format(
                    *os.getloadavg()
                )
            )
            print(
                f"gunicorn {args.workers} workers on {base}, {os.cpu_count()} CPUs, user {args.user}, "
                f"{'cursor' if cursors else 'page-number'} pagination, deep page = page {number} of "
                f"{args.page_size}, {args.duration:.0f} s or {args.max_requests} requests per URL",
                flush=True,
            )
            for name in args.pages.split(","):
                if args.baseline:
                    latencies, errors, seconds = drive(base, sessions[:1], urls[name], 120, args.baseline, 1)
                    report(name, urls[name][:90], latencies, errors, seconds, 1)
                latencies, errors, seconds = drive(
                    base, sessions, urls[name], args.duration, args.max_requests, args.warmup
                )
                report(name, urls[name][:90], latencies, errors, seconds, args.clients)
            print("load average (1, 5, 15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
