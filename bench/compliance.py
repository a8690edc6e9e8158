"""Time `compliance` for one year and for all six years, next to the bare aggregate SQL it rests on.

Run against a seeded database (ratings included), e.g.:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/compliance.py
Prints medians of --repeat runs, in seconds.
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

from indicators.selectors import compliance  # noqa: E402

# The same four finest-grain aggregates `compliance` issues, written by hand, over the whole tree.
BARE_SQL = [
    """SELECT r.organization_id, r.level, r.not_rated_reason FROM evaluations_organizationrating r
       JOIN evaluations_ratingyear y ON y.id = r.year_id WHERE y.year = %(year)s""",
    """SELECT r.organization_id, r.level, r.not_rated_reason, count(*) FROM evaluations_memberrating r
       JOIN evaluations_ratingyear y ON y.id = r.year_id WHERE y.year = %(year)s
       GROUP BY r.organization_id, r.level, r.not_rated_reason""",
    """SELECT organization_id, count(*) FROM members_membership
       WHERE start <= %(end)s AND ("end" IS NULL OR "end" > %(end)s) GROUP BY organization_id""",
    """SELECT organization_id, kind, count(*) FROM members_movementevent
       WHERE kind IN ('ADMITTED', 'READMITTED') AND date BETWEEN %(start)s AND %(end)s
       GROUP BY organization_id, kind""",
    """SELECT organization_id, count(*) FROM members_membership
       WHERE start <= %(eve)s AND ("end" IS NULL OR "end" > %(eve)s) GROUP BY organization_id""",
    """SELECT s.organization_id, count(DISTINCT s.member_id) FROM members_committeeseat s
       WHERE s.start <= %(end)s AND (s."end" IS NULL OR s."end" >= %(end)s) GROUP BY s.organization_id""",
    """SELECT organization_id, path FROM organizations_placement
       WHERE valid_from <= %(end)s AND (valid_to IS NULL OR valid_to >= %(end)s)""",
]


def bare_sql(year):
    params = {"year": year, "start": f"{year}-01-01", "end": f"{year}-12-31", "eve": f"{year - 1}-12-31"}
    with connection.cursor() as cursor:
        for sql in BARE_SQL:
            cursor.execute(
                sql if connection.vendor == "postgresql" else sql.replace("%(", ":").replace(")s", ""), params
            )
            cursor.fetchall()


def timed(function, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    actor = get_user_model().objects.filter(is_superuser=True).first()
    if actor is None:
        sys.exit("No superuser: seed the demo province first (seed_demo).")
    years = range(2020, 2026)
    one = timed(lambda: compliance(actor=actor, year=args.year), args.repeat)
    all_years = timed(lambda: [compliance(actor=actor, year=y) for y in years], max(1, args.repeat // 2))
    bare_one = timed(lambda: bare_sql(args.year), args.repeat)
    bare_all = timed(lambda: [bare_sql(y) for y in years], max(1, args.repeat // 2))
    print(f"database: {connection.vendor}")
    print(f"compliance {args.year}:       {one:.3f} s   bare SQL: {bare_one:.3f} s   ratio {one / bare_one:.2f}")
    print(f"compliance 2020–2025:  {all_years:.3f} s   bare SQL: {bare_all:.3f} s   ratio {all_years / bare_all:.2f}")


if __name__ == "__main__":
    main()
