"""Time each statistics form (reports.forms) for the province and a year, the workbook included.

Run against a seeded database, e.g.:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/forms.py --year 2024
Prints, per form, the median of --repeat runs in seconds, the number of queries and of rows.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from organizations import policy  # noqa: E402
from reports.forms import FORMS, compute, export  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--forms", nargs="*", default=list(FORMS))
    args = parser.parse_args()
    actor = policy.system_actor()
    start, end = date(args.year, 1, 1), date(args.year, 12, 31)
    print(f"load average {os.getloadavg()[0]:.1f}; {connection.vendor}; year {args.year}")
    for form in args.forms:
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                table = compute(form, actor=actor, organization_id=None, period_start=start, period_end=end)
            computed = time.perf_counter() - began
            export.workbook(table)
            times.append((computed, time.perf_counter() - began))
        compute_s = statistics.median(t[0] for t in times)
        total_s = statistics.median(t[1] for t in times)
        print(
            f"{form:<9} compute {compute_s:7.2f} s  with workbook {total_s:7.2f} s  "
            f"{len(queries)} queries  {len(table.lines)} rows"
        )


if __name__ == "__main__":
    main()
