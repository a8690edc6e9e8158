"""Run the benchmarks of this folder (`make bench`): those named on the command line, or all of them; then write
the table of their figures into docs/performance.md.

    .venv/bin/python bench/run.py                      # every bench/*.py but this runner
    .venv/bin/python bench/run.py dashboard_load       # one or more, with or without ".py"
    .venv/bin/python bench/run.py dashboard_load -- --duration 10   # arguments after "--" go to each script
    .venv/bin/python bench/run.py --no-write …         # print the table, leave docs/performance.md alone

Each script runs in its own process with this interpreter and the current environment (DATABASE_URL…);
the runner prints its output and the time it took, and exits non-zero if any script failed. An option after
"--" goes only to the scripts that define it (`--duration` reaches the load scripts, not compliance.py).
Every `BENCH-RESULT {…}` line a script prints (bench/_report.py) becomes a row of the table, which goes between
the markers of docs/performance.md with the date, the machine, the load average and the database measured.
"""

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _report import MalformedResult, load_average, parse, table, write_between_markers  # noqa: E402

PERFORMANCE = HERE.parent / "docs" / "performance.md"


def _scripts(names):
    if not names:
        return sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    scripts = []
    for name in names:
        path = HERE / (name if name.endswith(".py") else f"{name}.py")
        if not path.exists():
            sys.exit(f"bench/run.py: no benchmark {path.name} in {HERE}")
        scripts.append(path)
    return scripts


def _arguments_for(script, extra):
    """The options of `extra` (each with the values after it) that `script` defines; the others are left out,
    so one `-- --duration 5` can go to a whole run."""
    source = script.read_text(encoding="utf-8")
    kept, keep = [], True
    for word in extra:
        if word.startswith("--"):
            keep = f'"{word.split("=", 1)[0]}"' in source
        if keep:
            kept.append(word)
    return kept


def _run(script, extra):
    """Run one script, echoing its output as it comes; returns (exit code, output)."""
    arguments = _arguments_for(script, extra)
    print(f"=== {script.name} {' '.join(arguments)}".rstrip(), flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-u", str(script), *arguments], cwd=HERE.parent, stdout=subprocess.PIPE, text=True
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    code = process.wait()
    print(f"=== {script.name}: exit {code} after {time.perf_counter() - started:.1f} s\n", flush=True)
    return code, "".join(lines)


def database_size(url):
    """(database name, its members, its TCCSĐ) for DATABASE_URL; None for what cannot be read."""
    parts = urlsplit(url or "sqlite:///db.sqlite3")
    name = parts.path.lstrip("/") or None
    sql = (
        "SELECT (SELECT count(*) FROM members_member), (SELECT count(*) FROM organizations_organization "
        "WHERE kind IN ('GRASSROOTS_COMMITTEE', 'GRASSROOTS_CELL') AND valid_to IS NULL)"
    )
    try:
        if parts.scheme.startswith("postgres"):
            import psycopg2

            with psycopg2.connect(url.split("?", 1)[0]) as connection, connection.cursor() as cursor:
                cursor.execute(sql)
                return (name, *cursor.fetchone())
        import sqlite3

        with sqlite3.connect(parts.path[1:] if parts.path.startswith("//") else parts.path.lstrip("/")) as connection:
            return (Path(name).name, *connection.execute(sql).fetchone())
    except Exception as error:
        print(f"bench/run.py: could not count the database's members ({error})")
        return name, None, None


def header_lines(started, load_start, load_end, size):
    name, members, tccsd = size
    counted = f"{members:,} members, {tccsd:,} TCCSĐ" if members is not None else "size not read"
    return [
        f"Run {started:%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores, {platform.system()}).",
        f"Load average (1, 5, 15 min): {load_start} at the start, {load_end} at the end.",
        f"Database: `{name}` ({counted}).",
    ]


def main(argv):
    write = "--no-write" not in argv[: argv.index("--") if "--" in argv else len(argv)]
    names, extra = argv, []
    if "--" in argv:
        cut = argv.index("--")
        names, extra = argv[:cut], argv[cut + 1 :]
    names = [name for name in names if name != "--no-write"]
    started, load_start = datetime.now(UTC), load_average()
    failed, rows = [], []
    for script in _scripts(names):
        code, output = _run(script, extra)
        if code:
            failed.append(script.name)
        try:
            rows += parse(script.name, output)
        except MalformedResult as error:
            sys.exit(f"bench/run.py: {error}; {PERFORMANCE.name} left as it was")
    block = table(
        rows, header_lines(started, load_start, load_average(), database_size(os.environ.get("DATABASE_URL")))
    )
    if failed:
        block += f"\n\nFailed (no figures, or only some): {', '.join(failed)}."
    print(block)
    if write and rows:
        write_between_markers(PERFORMANCE, block)
        print(f"\nwritten to {PERFORMANCE.relative_to(HERE.parent)}")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
