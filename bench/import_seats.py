"""How long a 50,000-row committee seats file (cap-uy) takes to import through the portal's own code path, and its
peak memory.

The scratch PostgreSQL database bench_seats (default server 127.0.0.1:5432, user postgres, or DATABASE_URL's
server) is dropped if left over, created, migrated and loaded with the tiny demo province (its closed years
reopened, so that back-dated rows are accepted); as many members as
seats are then imported with the members file (bench/import_members.py's generator and import, not timed here).
The seats file gives each new member one seat on the committee of their unit (a third of them with an end), in
the years still open. Then one process does what the import pages do: import_job_create, the check (preview),
import_job_confirm, and the Celery task run in the same process (CELERY_TASK_ALWAYS_EAGER), so its peak RSS
(ru_maxrss) is the whole import's. The same file is checked again afterwards: every row unchanged. The database is
dropped at the end unless --keep.

    .venv/bin/python bench/import_seats.py [--rows 50000] [--keep]
"""

import argparse
import json
import os
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from import_members import DEFAULT_PG, _setup_django, open_years, pg_admin, run

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_seats"
MEMBERS_SCRIPT = str(Path(__file__).resolve().parent / "import_members.py")


def generate(path):
    """Child step: one seat per member imported by the bench (record numbers …BN), on their unit's committee."""
    _setup_django()
    from openpyxl import Workbook

    from members.imports.committee_seats import CommitteeSeatResource
    from members.models import Membership, SeatRole
    from organizations.resources import import_columns
    from party_portal import closed_years

    rng = random.Random(20250701)
    today = date.today()
    closed = closed_years.closed_until_today()
    first_open = date(max(closed) + 1, 1, 1) if closed else date(2020, 1, 1)
    columns = [c for c in import_columns(CommitteeSeatResource) if c.attribute]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append(["STT", *[str(c.header) for c in columns]])
    roles = [str(role.label) for role in SeatRole]
    stints = (
        # The members the bench imported (the demo's own may hold seats already).
        Membership.objects.filter(member__record_number__regex=r"^[0-9]{6}BN$", end__isnull=True)
        .filter(member__committee_seats__isnull=True)
        .order_by("member__record_number")
        .values_list("member__record_number", "organization__code", "start")
    )
    for number, (record, code, since) in enumerate(stints.iterator(), start=1):
        start = max(since, first_open) + timedelta(days=rng.randint(0, 300))
        start = min(start, today)
        end = start + timedelta(days=rng.randint(30, 900)) if rng.random() < 1 / 3 else None
        end = min(end, today) if end else None
        values = {
            "record_number": record,
            "organization_code": code,
            "role": rng.choice(roles),
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y") if end else "",
        }
        sheet.append([number, *[values[c.attribute] for c in columns]])
    book.save(path)


def import_file(path):
    """Child step: the import as the pages do it, timed, with this process's peak memory."""
    started = time.perf_counter()
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import CommitteeSeat
    from party_portal.imports import services

    actor = get_user_model().objects.create_superuser("bench_seats", password="bench-seats")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = {"django start (s)": time.perf_counter() - started}

    def upload():
        content = Path(path).read_bytes()
        return services.import_job_create(actor=actor, kind="cap-uy", upload=SimpleUploadedFile("cap-uy.xlsx", content))

    job = upload()
    t0 = time.perf_counter()
    services.import_job_check_start(job)
    job.refresh_from_db()
    timings["check / preview (s)"] = time.perf_counter() - t0
    assert job.state == "READY", (job.state, job.report.get("file_errors"), job.report.get("errors", [])[:5])
    t0 = time.perf_counter()
    services.import_job_confirm(actor=actor, job=job)
    job.refresh_from_db()
    timings["import after confirm (s)"] = time.perf_counter() - t0
    assert job.state == "DONE", (job.state, job.report.get("file_errors"), job.report.get("errors", [])[:5])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024
    again = upload()
    t0 = time.perf_counter()
    services.import_job_check_start(again)
    again.refresh_from_db()
    timings["re-import check, all unchanged (s)"] = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "timings": timings,
                "counts": job.report["counts"],
                "written": job.report["written"],
                "again": again.report["counts"],
                "seats": CommitteeSeat.objects.count(),
                "audit_rows": CommitteeSeat.history.count(),
                "baseline_rss_mb": baseline,
                "peak_rss_mb": peak,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database for inspection")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--import-file", help=argparse.SUPPRESS)
    parser.add_argument("--open-years", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open_years:
        return open_years()
    if args.generate:
        return generate(args.generate)
    if args.import_file:
        return import_file(args.import_file)

    database_url = os.environ.get("DATABASE_URL", "")
    server = database_url if database_url.startswith(("postgres://", "postgresql://")) else DEFAULT_PG
    parts = urlsplit(server)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    admin = pg_admin(server)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    directory = Path(tempfile.mkdtemp(prefix="import_seats_bench_"))
    members, seats = directory / "dang-vien.xlsx", directory / "cap-uy.xlsx"
    try:
        run(url, "manage.py", "migrate", "--noinput", "-v0")
        run(url, "manage.py", "seed_demo", "--size", "tiny", "--seed", "1")
        run(url, __file__, "--open-years")
        t0 = time.perf_counter()
        run(url, MEMBERS_SCRIPT, "--generate", str(members), "--rows", str(args.rows))
        run(url, MEMBERS_SCRIPT, "--import-file", str(members), eager=True)
        run(url, __file__, "--generate", str(seats))
        prepared = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = json.loads(run(url, __file__, "--import-file", str(seats), eager=True).splitlines()[-1])
        wall = time.perf_counter() - t0
    finally:
        if not args.keep:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.close()
        for path in (members, seats):
            if path.exists():
                path.unlink()
        directory.rmdir()

    print(
        f"Committee seats import, {result['counts']['new']:,} rows, PostgreSQL "
        f"(members and file ready in {prepared:.1f} s)"
    )
    for name, seconds in result["timings"].items():
        print(f"  {name:<40} {seconds:>7.1f}")
    total = result["timings"]["check / preview (s)"] + result["timings"]["import after confirm (s)"]
    print(f"  {'upload to done (preview + import) (s)':<40} {total:>7.1f}")
    print(f"  {'child process wall time (s)':<40} {wall:>7.1f}")
    print(f"  {'peak RSS of the importing process (MB)':<40} {result['peak_rss_mb']:>7.0f}")
    print(f"  {'  of which Django and the app at start':<40} {result['baseline_rss_mb']:>7.0f}")
    print(f"  rows: {result['counts']}; written: {result['written']}")
    print(f"  seats stored: {result['seats']:,}; audit rows: {result['audit_rows']:,}")
    print(f"  same file again: {result['again']}")
    return None


if __name__ == "__main__":
    main()
