"""How long a 100,000-row movements file (chuyen-sinh-hoat) takes to import through the portal's own code path, and
its peak memory.

The scratch PostgreSQL database bench_movements (default server 127.0.0.1:5432, user postgres, or DATABASE_URL's
server) is dropped if left over, created, migrated and loaded with the tiny demo province; 60,000 members are
imported into its cells with the members file (not timed). The movements file then holds, in 2026: 30,000 arrivals
from another province (new people, with their identity), 10,000 departures to another province of those arrivals,
40,000 moves within the province to another cell, 10,000 deaths, 5,000 expulsions and 5,000 withdrawals. One
process does what the import pages do (upload, check, confirm, the Celery task run eagerly in the same process),
so its peak RSS (ru_maxrss) is the whole import's. The same file is checked again afterwards: every row unchanged.

    .venv/bin/python bench/import_movements.py [--rows 100000] [--keep]
"""

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from import_members import DEFAULT_PG, _setup_django, pg_admin, run

BENCH_DB = "bench_movements"
# Shares of the file, per 100 rows (arrivals and their later departures are separate rows).
MIX = (("arrival", 30), ("departure", 10), ("within", 40), ("deceased", 10), ("expelled", 5), ("withdrawn", 5))
LABELS = {
    "arrival": "Chuyển đến (ngoài tỉnh)",
    "departure": "Chuyển đi (ngoài tỉnh)",
    "within": "Chuyển sinh hoạt trong tỉnh",
    "deceased": "Từ trần",
    "expelled": "Khai trừ",
    "withdrawn": "Xin ra khỏi Đảng",
}


def _import(path, kind, actor_name, *, repeat=False):
    """The import as the pages do it: upload, check (timed), confirm and write (timed); optionally check again."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from party_portal.imports import services

    users = get_user_model().objects
    actor = users.filter(username=actor_name).first() or users.create_superuser(actor_name, password=actor_name)

    def upload():
        content = Path(path).read_bytes()
        return services.import_job_create(actor=actor, kind=kind, upload=SimpleUploadedFile(Path(path).name, content))

    timings = {}
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
    again = None
    if repeat:
        again = upload()
        t0 = time.perf_counter()
        services.import_job_check_start(again)
        again.refresh_from_db()
        timings["re-import check, all unchanged (s)"] = time.perf_counter() - t0
    return job, again, timings


def load_members(path):
    """Child step: import the members file the movements will move (not part of the measure). The demo closes its
    past rating years; the members admitted then are loaded with the years open again, as after a reopening."""
    _setup_django()
    from evaluations.models import RatingYear, YearState

    closed = list(RatingYear.objects.filter(state=YearState.CLOSED).values_list("pk", flat=True))
    RatingYear.objects.filter(pk__in=closed).update(state=YearState.OPEN)
    _import(path, "dang-vien", "bench_members")
    RatingYear.objects.filter(pk__in=closed).update(state=YearState.CLOSED)


def generate(path, rows):
    """Child step: write the movements file (openpyxl write-only) with the headers of the portal's template."""
    _setup_django()
    from openpyxl import Workbook

    from members.imports.movement_resource import MovementResource
    from members.models import Membership
    from organizations.models import Organization, OrgKind
    from organizations.resources import import_columns

    rng = random.Random(20261206)
    units = list(
        Organization.objects.filter(kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL], valid_to__isnull=True)
        .filter(valid_from__lte=date(1980, 1, 1))
        .values_list("code", flat=True)
    )
    on_rolls = list(
        Membership.objects.filter(end__isnull=True, member__record_number__endswith="BN").values_list(
            "member__record_number", "organization__code"
        )
    )
    rng.shuffle(on_rolls)
    counts = {name: rows * share // 100 for name, share in MIX}
    counts["arrival"] += rows - sum(counts.values())
    needed = sum(counts[name] for name in ("within", "deceased", "expelled", "withdrawn"))
    if needed > len(on_rolls):
        sys.exit(f"only {len(on_rolls)} members on the rolls for {needed} movements")
    first, last = date(2026, 1, 5).toordinal(), date(2026, 11, 20).toordinal()
    columns = [c for c in import_columns(MovementResource) if c.attribute]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append(["STT", *[str(c.header) for c in columns]])
    serial = 0

    def append(values):
        nonlocal serial
        serial += 1
        sheet.append([serial, *[values.get(c.attribute, "") for c in columns]])

    def day(low=first):
        return date.fromordinal(rng.randint(low, last)).strftime("%d/%m/%Y")

    arrivals = []
    for n in range(counts["arrival"]):
        arrived = date.fromordinal(rng.randint(first, last - 30))
        record = f"{n:06d}CD"
        arrivals.append((record, arrived))
        append(
            {
                "record_number": record,
                "movement": LABELS["arrival"],
                "date": arrived.strftime("%d/%m/%Y"),
                "organization_code": rng.choice(units),
                "full_name": f"{rng.choice(['Nguyễn', 'Trần', 'Lê'])} Thị Đến {n}",
                "gender": rng.choice(["Nam", "Nữ"]),
                "date_of_birth": (arrived - timedelta(days=rng.randint(25 * 365, 60 * 365))).strftime("%d/%m/%Y"),
                "admission_date": (arrived - timedelta(days=rng.randint(400, 20 * 365))).strftime("%d/%m/%Y"),
                "note": "Từ tỉnh khác",
            }
        )
    for record, arrived in arrivals[: counts["departure"]]:
        append({"record_number": record, "movement": LABELS["departure"], "date": day(arrived.toordinal() + 1)})
    members = iter(on_rolls)
    for _n in range(counts["within"]):
        record, current = next(members)
        target = rng.choice(units)
        while target == current:
            target = rng.choice(units)
        append({"record_number": record, "movement": LABELS["within"], "date": day(), "organization_code": target})
    for name in ("deceased", "expelled", "withdrawn"):
        for _n in range(counts[name]):
            record, _current = next(members)
            append({"record_number": record, "movement": LABELS[name], "date": day()})
    book.save(path)


def import_file(path):
    """Child step: the movements import, timed, with this process's peak memory."""
    started = time.perf_counter()
    _setup_django()
    import resource

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter() - started
    job, again, timings = _import(path, "chuyen-sinh-hoat", "bench_movements", repeat=True)
    timings = {"django start (s)": start, **timings}
    print(
        json.dumps(
            {
                "timings": timings,
                "counts": job.report["counts"],
                "written": job.report["written"],
                "again": again.report["counts"],
                "again_state": again.state,
                "baseline_rss_mb": baseline,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database for inspection")
    parser.add_argument("--profile", help="write a cProfile of the importing process to this file")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--load-members", help=argparse.SUPPRESS)
    parser.add_argument("--import-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        return generate(args.generate, args.rows)
    if args.load_members:
        return load_members(args.load_members)
    if args.import_file:
        return import_file(args.import_file)

    import os

    database_url = os.environ.get("DATABASE_URL", "")
    server = database_url if database_url.startswith(("postgres://", "postgresql://")) else DEFAULT_PG
    parts = urlsplit(server)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    admin = pg_admin(server)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    directory = Path(tempfile.mkdtemp(prefix="movements_bench_"))
    members_path, path = directory / "dang-vien.xlsx", directory / "chuyen-sinh-hoat.xlsx"
    member_rows = args.rows * 60 // 100
    try:
        run(url, "manage.py", "migrate", "--noinput", "-v0")
        run(url, "manage.py", "seed_demo", "--size", "tiny", "--seed", "1")
        run(url, str(Path(__file__).with_name("import_members.py")), "--generate", str(members_path), "--rows",
            str(member_rows))  # fmt: skip
        t0 = time.perf_counter()
        run(url, __file__, "--load-members", str(members_path), eager=True)
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        run(url, __file__, "--generate", str(path), "--rows", str(args.rows))
        generated = time.perf_counter() - t0
        t0 = time.perf_counter()
        profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
        result = json.loads(run(url, *profile, __file__, "--import-file", str(path), eager=True).splitlines()[-1])
        wall = time.perf_counter() - t0
    finally:
        if not args.keep:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.close()
        for file in (members_path, path):
            file.unlink(missing_ok=True)
        directory.rmdir()

    print(
        f"Movements import, {args.rows:,} rows, PostgreSQL ({member_rows:,} members loaded first in {loaded:.1f} s; "
        f"file written in {generated:.1f} s)"
    )
    for name, seconds in result["timings"].items():
        print(f"  {name:<40} {seconds:>7.1f}")
    total = result["timings"]["check / preview (s)"] + result["timings"]["import after confirm (s)"]
    print(f"  {'upload to done (preview + import) (s)':<40} {total:>7.1f}")
    print(f"  {'child process wall time (s)':<40} {wall:>7.1f}")
    print(f"  {'peak RSS of the importing process (MB)':<40} {result['peak_rss_mb']:>7.0f}")
    print(f"  {'  of which Django and the app at start':<40} {result['baseline_rss_mb']:>7.0f}")
    print(f"  rows: {result['counts']}; written: {result['written']}")
    print(f"  same file again: {result['again_state']}, {result['again']}")
    return None


if __name__ == "__main__":
    main()
