"""How long a 100,000-row members file takes to import through the portal's own code path, and its peak memory.

The scratch PostgreSQL database party_portal_bench_import (or --db; default server 127.0.0.1:5432, user postgres, or
DATABASE_URL's server) is dropped if left over, created, migrated and loaded with the tiny demo province (its tree
and a few hundred members; its closed years reopened, so that back-dated admissions are accepted). A members file
is written with openpyxl's write-only mode (new members admitted into the demo's cells, 40 % with a political
theory level, official members with a party card, the coded records written by code or by name). Then one process
does what the import pages do: import_job_create, the check (preview), import_job_confirm, and the Celery task run
in the same process (CELERY_TASK_ALWAYS_EAGER), so its peak RSS (ru_maxrss) is the whole import's. The same file
is checked again afterwards: every row unchanged. Then the floor is measured in the same process (see floor()),
and a BENCH-RESULT line gives the portal's figure beside it. The database is dropped at the end unless --keep.

    .venv/bin/python bench/import_members.py [--rows 100000] [--db NAME] [--keep]

Goal (issue 13): 100,000 rows in 20 s or less end to end (preview + write), under 500 MB.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "party_portal_bench_import"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def pg_admin(server_url):
    import psycopg2

    parts = urlsplit(server_url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def run(database_url, *args, eager=False):
    env = {**os.environ, "DATABASE_URL": database_url}
    if eager:
        env["CELERY_TASK_ALWAYS_EAGER"] = "1"
    result = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if env.get("BENCH_SQL_TIMES") and result.stderr:
        print(result.stderr, file=sys.stderr)
    return result.stdout.strip()


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")
    import django

    django.setup()


def open_years():
    """Child step: reopen the demo's closed rating years in the scratch database. The demo closes its past years,
    and a back-dated admission or seat would be refused (rightly): the bench measures the import, not the lock."""
    _setup_django()
    from evaluations.models import RatingYear, YearState

    RatingYear.objects.update(state=YearState.OPEN, closed_at=None, closed_by=None)


def generate(path, rows):
    """Child step: write the members file (openpyxl write-only) with the headers of the portal's template."""
    _setup_django()
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from members.models import Member, TheoryLevel
    from organizations.models import Organization, OrgKind
    from organizations.resources import import_columns

    from members.resources import MemberResource  # isort: skip

    rng = random.Random(20251231)
    units = list(
        Organization.objects.filter(kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL], valid_to__isnull=True)
        .filter(valid_from__lte=date(1980, 1, 1))
        .values_list("code", flat=True)
    )
    taken_cards = set(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
    taken_ids = set(Member.objects.exclude(citizen_id=None).values_list("citizen_id", flat=True))
    columns = [c for c in import_columns(MemberResource) if c.attribute]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append(["STT", *[str(c.header) for c in columns]])
    levels = [str(level.label) for level in TheoryLevel if level]
    first, last = date(1980, 1, 1).toordinal(), date(2024, 6, 30).toordinal()
    cards = iter(n for n in rng.sample(range(10_000_000, 99_999_999), rows * 2) if f"{n:08d}" not in taken_cards)
    citizens = iter(n for n in rng.sample(range(10**11, 10**12 - 1), rows * 2) if f"{n:012d}" not in taken_ids)
    for n in range(rows):
        admitted = date.fromordinal(rng.randint(first, last))
        born = admitted - timedelta(days=rng.randint(18 * 365, 40 * 365))
        theory = rng.random() < 0.4
        values = {
            "record_number": f"{n:06d}BN",
            "card_number": f"{next(cards):08d}" if rng.random() < 0.8 else "",
            "full_name": f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'])} Văn Thử {n}",
            "gender": rng.choice(["Nam", "Nữ"]),
            "date_of_birth": born.strftime("%d/%m/%Y"),
            "ethnicity": "Kinh",
            "religion": "",
            "citizen_id": f"{next(citizens):012d}" if rng.random() < 0.7 else "",
            "organization_code": rng.choice(units),
            "admission_date": admitted,
            "admission_kind": "Kết nạp",
            "theory_level": rng.choice(levels) if theory else "",
            "theory_obtained_on": (admitted + timedelta(days=400)).strftime("%d/%m/%Y") if theory else "",
            # The coded records by code or by name, folded or not: each spelling is resolved once per file.
            "ethnicity_code": rng.choice(["Kinh", "01", "Tày", "muong", "05"]),
            "religion_code": rng.choice(["Không", "00", "Phật giáo", "cong giao"]),
            "general_education": rng.choice(["THPT", "Trung học cơ sở"]),
            "qualification": rng.choice(["DAI_HOC", "Thạc sĩ", "Trung cấp", ""]),
            "occupation_at_admission": rng.choice(["VIEN_CHUC", "Sinh viên", "CN_DN_NNN", ""]),
            "occupation_now": rng.choice(["VIEN_CHUC", "HUU_TRI", ""]),
            "youth_union_at_admission": rng.choice(["Có", "Không", "x", ""]),
        }
        row = [n + 1]
        for column in columns:
            value = values[column.attribute]
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                value = cell
            row.append(value)
        sheet.append(row)
    book.save(path)


# The tables the import writes, each with the audit table of its rows (a stint has none).
WRITTEN_TABLES = (
    ("members_member", "members_historicalmember"),
    ("members_movementevent", "members_historicalmovementevent"),
    ("members_membership", None),
    ("members_theoryqualification", "members_historicaltheoryqualification"),
)


def backend_cpu(cursor):
    """CPU seconds used so far by this connection's PostgreSQL backend (the server runs on this machine), or None:
    on 2 shared cores the wall time of a phase says little, its CPU time more."""
    cursor.execute("SELECT pg_backend_pid()")
    try:
        fields = Path(f"/proc/{cursor.fetchone()[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def foreign_keys(cursor, names):
    """ALTER TABLE statements giving each floor_ table the foreign keys of its table, as Django made them
    (deferrable, checked at commit); a key to another written table points at that table's floor_ copy."""
    cursor.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 3",
        [names],
    )
    statements = []
    for table, referenced, definition in cursor.fetchall():
        if referenced in names:
            definition = definition.replace(f"REFERENCES {referenced}(", f"REFERENCES floor_{referenced}(")
        statements.append(f"ALTER TABLE floor_{table} ADD {definition}")
    return statements


def floor(path, first_ids):
    """The floor, in the same run and on the same database: what no import of this file can avoid. Read the sheet
    with calamine; look up its record, card and citizen numbers among the members (the checks' SQL); COPY the rows
    the portal wrote (members, admissions, stints, theory levels) into scratch tables with the same columns,
    indexes and check constraints (LIKE … INCLUDING ALL), then their audit rows likewise; then check the foreign
    keys those tables have (foreign_keys()): PostgreSQL checks each row's keys, one lookup per key, at the commit
    of the portal's import as here. The lines to COPY are taken from the portal's own rows beforehand, untimed;
    the scratch tables are rolled back."""
    import python_calamine
    from django.db import connection, transaction

    figures = {}
    t0 = time.perf_counter()
    book = python_calamine.load_workbook(path)
    book.get_sheet_by_name(book.sheet_names[0]).to_python()
    figures["read"] = time.perf_counter() - t0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT record_number, card_number, citizen_id FROM members_member WHERE id >= %s",
            [first_ids["members_member"]],
        )
        numbers = [[v for v in column if v] for column in zip(*cursor.fetchall(), strict=True)]
        lines = {}
        for name, since in [(t, first_ids[t]) for t, _h in WRITTEN_TABLES] + [
            (h, first_ids[t]) for t, h in WRITTEN_TABLES if h
        ]:
            lines[name] = StringIO()
            sql = cursor.mogrify(f"SELECT * FROM {name} WHERE id >= %s", [since]).decode()
            cursor.cursor.copy_expert(f"COPY ({sql}) TO STDOUT", lines[name])
            lines[name].seek(0)
            cursor.execute(f"CREATE TABLE floor_{name} (LIKE {name} INCLUDING ALL)")
        for statement in foreign_keys(cursor, list(lines)):
            cursor.execute(statement)
        t0, cpu0 = time.perf_counter(), backend_cpu(cursor)
        for column, values in zip(("record_number", "card_number", "citizen_id"), numbers, strict=True):
            cursor.execute(f"SELECT id, {column} FROM members_member WHERE {column} = ANY(%s)", [values])
            cursor.fetchall()
        figures["checks"] = time.perf_counter() - t0
        for part, names in (("copy", [t for t, _h in WRITTEN_TABLES]), ("audit", [h for _t, h in WRITTEN_TABLES])):
            t0 = time.perf_counter()
            for name in filter(None, names):
                cursor.cursor.copy_expert(f"COPY floor_{name} FROM STDIN", lines[name])
            figures[part] = time.perf_counter() - t0
        t0 = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        figures["foreign keys"] = time.perf_counter() - t0
        cpu1 = backend_cpu(cursor)
        transaction.set_rollback(True)
    figures["total"] = sum(figures[part] for part in ("read", "checks", "copy", "audit", "foreign keys"))
    figures["database_cpu"] = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    return figures


def import_file(path):
    """Child step: the import as the pages do it, timed, with this process's peak memory."""
    started = time.perf_counter()
    _setup_django()
    import resource

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from party_portal.imports import services

    actor = get_user_model().objects.create_superuser("bench_import", password="bench-import")
    sql_times = {}
    if os.environ.get("BENCH_SQL_TIMES"):
        from django.db import connection

        def timed(execute, sql, params, many, context):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                key = " ".join(sql.split()[:4])[:90]
                count, total = sql_times.get(key, (0, 0.0))
                sql_times[key] = (count + 1, total + time.perf_counter() - t0)

        connection.execute_wrappers.append(timed)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = {"django start (s)": time.perf_counter() - started}

    def upload():
        content = Path(path).read_bytes()
        job = services.import_job_create(
            actor=actor, kind="dang-vien", upload=SimpleUploadedFile(Path(path).name, content)
        )
        del content
        return job

    from django.db import connection

    with connection.cursor() as cursor:
        first_ids = {}
        for table, _history in WRITTEN_TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            first_ids[table] = cursor.fetchone()[0]

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        with connection.cursor() as cursor:
            return usage.ru_utime + usage.ru_stime, backend_cpu(cursor)

    job = upload()
    t0, cpu0 = time.perf_counter(), cpu()
    services.import_job_check_start(job)
    job.refresh_from_db()
    timings["check / preview (s)"] = time.perf_counter() - t0
    assert job.state == "READY", (job.state, job.report.get("file_errors"), job.report.get("errors", [])[:5])
    t0, cpu1 = time.perf_counter(), cpu()
    services.import_job_confirm(actor=actor, job=job)
    job.refresh_from_db()
    timings["import after confirm (s)"] = time.perf_counter() - t0
    assert job.state == "DONE", (job.state, job.report.get("file_errors"), job.report.get("errors", [])[:5])
    cpu2 = cpu()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for phase, before, after in (("preview", cpu0, cpu1), ("write", cpu1, cpu2)):
        timings[f"  {phase}: CPU of this process (s)"] = after[0] - before[0]
        if after[1] is not None and before[1] is not None:
            timings[f"  {phase}: CPU of its database backend (s)"] = after[1] - before[1]
    again = upload()
    t0 = time.perf_counter()
    services.import_job_check_start(again)
    again.refresh_from_db()
    timings["re-import check, all unchanged (s)"] = time.perf_counter() - t0
    floor_figures = floor(path, first_ids)
    for key, (count, total) in sorted(sql_times.items(), key=lambda item: -item[1][1])[:15]:
        print(f"{total:7.2f} s {count:5d}x {key}", file=sys.stderr)
    print(
        json.dumps(
            {
                "timings": timings,
                "counts": job.report["counts"],
                "written": job.report["written"],
                "again": again.report["counts"],
                "again_state": again.state,
                "baseline_rss_mb": baseline,
                "peak_rss_mb": peak,
                "floor": floor_figures,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database for inspection")
    parser.add_argument("--db", default=BENCH_DB, help=f"name of the scratch database (default {BENCH_DB})")
    parser.add_argument("--profile", help="write a cProfile of the importing process to this file")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--import-file", help=argparse.SUPPRESS)
    parser.add_argument("--open-years", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open_years:
        return open_years()
    if args.generate:
        return generate(args.generate, args.rows)
    if args.import_file:
        return import_file(args.import_file)

    database_url = os.environ.get("DATABASE_URL", "")
    server = database_url if database_url.startswith(("postgres://", "postgresql://")) else DEFAULT_PG
    parts = urlsplit(server)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{args.db}", "", ""))
    admin = pg_admin(server)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {args.db}")
        cursor.execute(f"CREATE DATABASE {args.db}")
    directory = tempfile.mkdtemp(prefix="import_bench_")
    path = Path(directory) / "dang-vien.xlsx"
    try:
        run(url, "manage.py", "migrate", "--noinput", "-v0")
        run(url, "manage.py", "seed_demo", "--size", "tiny", "--seed", "1")
        run(url, __file__, "--open-years")
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
                cursor.execute(f"DROP DATABASE IF EXISTS {args.db}")
        admin.close()
        if path.exists():
            path.unlink()
        Path(directory).rmdir()

    size = f"{args.rows:,} rows"
    print(f"Members import, {size}, PostgreSQL (file written in {generated:.1f} s with openpyxl write-only)")
    for name, seconds in result["timings"].items():
        print(f"  {name:<40} {seconds:>7.1f}")
    check_and_import = result["timings"]["check / preview (s)"] + result["timings"]["import after confirm (s)"]
    print(f"  {'upload to done (preview + import) (s)':<40} {check_and_import:>7.1f}")
    print(f"  {'load average (1, 5, 15 min)':<40} {' '.join(f'{v:.2f}' for v in os.getloadavg()):>7}")
    print(f"  {'child process wall time (s)':<40} {wall:>7.1f}")
    print(f"  {'peak RSS of the importing process (MB)':<40} {result['peak_rss_mb']:>7.0f}")
    print(f"  {'  of which Django and the app at start':<40} {result['baseline_rss_mb']:>7.0f}")
    print(f"  rows: {result['counts']}; written: {result['written']}")
    print(f"  same file again: {result['again_state']}, {result['again']}")
    floor_figures = result["floor"]
    print(f"  {'floor (s)':<40} {floor_figures['total']:>7.1f}")
    for name in ("read", "checks", "copy", "audit", "foreign keys"):
        print(f"  {'  ' + name:<40} {floor_figures[name]:>7.1f}")
    if floor_figures["database_cpu"] is not None:
        print(f"  {'  CPU of its database backend (s)':<40} {floor_figures['database_cpu']:>7.1f}")
    preview, write = result["timings"]["check / preview (s)"], result["timings"]["import after confirm (s)"]
    bench_result = {
        "work": f"import {args.rows // 1000}k members",
        "portal": f"{preview + write:.1f} s, {result['peak_rss_mb']:.0f} MB",
        "floor": f"{floor_figures['total']:.1f} s",
        "ratio": f"{(preview + write) / floor_figures['total']:.2f}×",
        "note": (
            f"preview {preview:.1f} + write {write:.1f}; floor: calamine read {floor_figures['read']:.1f} + checks "
            f"{floor_figures['checks']:.1f} + COPY {floor_figures['copy']:.1f} + audit {floor_figures['audit']:.1f} + "
            f"foreign keys {floor_figures['foreign keys']:.1f}; "
            f"load {os.getloadavg()[0]:.2f}"
        ),
    }
    print("BENCH-RESULT", json.dumps(bench_result, ensure_ascii=False))
    return None


if __name__ == "__main__":
    main()
