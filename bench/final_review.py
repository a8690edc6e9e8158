"""The final review of the province over the whole program: the comparable mode's job (comparable_counts) against
what the page does with its stored result (the figures and tables from the stored counts), and the historical
mode, which stays on the request.

Read-only (the database session is set READ ONLY), so it can run against a shared seeded database:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/final_review.py
Prints the median of --repeat runs of each, with the number of queries and the size of the stored JSON.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indicators.selectors import default_program  # noqa: E402
from indicators.selectors.series import HISTORICAL, comparable_counts, comparable_review, final_review  # noqa: E402
from organizations import policy  # noqa: E402
from reports import final_review as tables  # noqa: E402


def _timed(repeat, work):
    times, result, queries = [], None, 0
    for _ in range(repeat):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            result = work()
        times.append(time.perf_counter() - began)
        queries = len(captured)
    return statistics.median(times), queries, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    actor = policy.system_actor()
    program = default_program()
    first, last = program.first_year, program.last_year
    print(f"load average {os.getloadavg()[0]:.1f}; {connection.vendor}; province {first}–{last}")

    seconds, queries, counts = _timed(
        args.repeat, lambda: comparable_counts(actor=actor, scope_id=None, first=first, last=last, program=program)
    )
    size = len(json.dumps(counts)) / 1024
    print(f"comparable, the job (comparable_counts)  {seconds:7.2f} s  {queries:4} queries  stored JSON {size:.0f} KiB")
    stored = json.loads(json.dumps(counts))

    def from_stored():
        review = comparable_review(stored, first=first, last=last, program=program)
        return tables.blocks(review)

    seconds, queries, _blocks = _timed(args.repeat, from_stored)
    print(f"comparable, the page from the stored counts  {seconds * 1000:7.0f} ms  {queries:4} queries")

    def historical():
        review = final_review(actor=actor, first=first, last=last, mode=HISTORICAL, program=program)
        return tables.blocks(review)

    seconds, queries, _blocks = _timed(args.repeat, historical)
    print(f"historical, on the request (with tables)  {seconds:7.2f} s  {queries:4} queries")


if __name__ == "__main__":
    main()
