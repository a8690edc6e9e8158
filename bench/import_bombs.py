"""Peak memory and time of the import's file checks on decompression bombs, each in a fresh process.

Each file is built first (streaming, to a temporary folder); then one process per file does what an import worker
does with it: open_sheet (the checks of party_portal/imports/inspection.py, then python-calamine) on the members
resource. It prints the peak resident set (ru_maxrss) before and after, the time and the refusal. With
--unguarded, the same files are also read by python-calamine alone (as before the checks), in a process whose
address space is capped at 6 GB so that a bomb cannot take the machine: "killed" means it needed more.

    .venv/bin/python bench/import_bombs.py [--unguarded]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")
CAP = 6 * 2**30


def build(folder):
    import django

    django.setup()
    from tests.imports.test_bombs import ROW, _repeated_rows, _sheet, _with_sheet

    def rows_with_references(megabytes):
        # Rows numbered 3, 4, 5… (no dimension): within every declared limit, so the whole part is streamed before
        # the used cells are found to run past the row limit.
        yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        yield b"<sheetData>"
        written, n = 0, 3
        while written < megabytes * 2**20:
            block = "".join(ROW.format(n=k) for k in range(n, n + 10_000)).encode()
            n += 10_000
            written += len(block)
            yield block
        yield b"</sheetData></worksheet>"

    far = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="XFD1000000"><v>1</v></c></row>'
    files = {
        "sheet of 256 MB, one row repeated": _with_sheet(_repeated_rows(256)),
        "sheet of 190 MB, numbered rows": _with_sheet(rows_with_references(190)),
        "two cells far apart (A1, XFD1000000)": _with_sheet(_sheet(far)),
        "dimension A1:XFD1048576": _with_sheet(_sheet(ROW.format(n=1).encode(), b'<dimension ref="A1:XFD1048576"/>')),
    }
    paths = {}
    for index, (name, content) in enumerate(files.items()):
        path = Path(folder) / f"bomb-{index}.xlsx"
        path.write_bytes(content)
        paths[name] = str(path)
    return paths


def measure(path, unguarded):
    if unguarded:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
    import django

    django.setup()
    import python_calamine

    from members.resources import MemberResource
    from party_portal.imports.reading import FileProblem, open_sheet

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = "read"
    with open(path, "rb") as handle:
        if unguarded:
            sheet = python_calamine.load_workbook(handle).get_sheet_by_index(0)
            outcome = f"read {sum(1 for _row in sheet.iter_rows())} rows"
        else:
            try:
                open_sheet(handle, MemberResource)
            except FileProblem as problem:
                outcome = f"refused: {problem}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before": before, "peak": peak, "seconds": time.perf_counter() - started, "outcome": outcome}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unguarded", action="store_true", help="also read each file with python-calamine alone")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure(args.one, args.raw)
        return
    with tempfile.TemporaryDirectory() as folder:
        paths = build(folder)
        for name, path in paths.items():
            size = os.path.getsize(path)
            for raw in (False, True) if args.unguarded else (False,):
                command = [sys.executable, __file__, "--one", path, *(["--raw"] if raw else [])]
                result = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ})
                label = "calamine alone" if raw else "checked"
                if result.returncode:
                    print(f"{name} ({size / 2**20:.2f} MB file), {label}: killed (exit {result.returncode})")
                    continue
                data = json.loads(result.stdout.strip().splitlines()[-1])
                print(
                    f"{name} ({size / 2**20:.2f} MB file), {label}: peak RSS {data['peak'] / 1024:.0f} MB "
                    f"(Django loaded: {data['before'] / 1024:.0f} MB), {data['seconds']:.2f} s",
                    f"— {data['outcome'][:110]}",
                )


if __name__ == "__main__":
    main()
