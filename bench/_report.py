"""The one line a benchmark prints per figure, and the table bench/run.py builds from those lines.

A script prints each figure with `result(...)`:

    BENCH-RESULT {"work": "member list, first page, 10 clients", "portal": "p50 120 ms, p95 210 ms", ...}

(json.dumps of exactly the keys work, portal, floor, ratio and note, each a string or null). Scripts that do not
import this module print the same line by hand; bench/run.py reads every such line of every script's output and
writes the table into docs/performance.md between the two markers, keeping the text around them.
"""

import json
import os

PREFIX = "BENCH-RESULT "
KEYS = ("work", "portal", "floor", "ratio", "note")
BEGIN = "<!-- bench-table:begin (written by bench/run.py) -->"
END = "<!-- bench-table:end -->"


class MalformedResult(ValueError):
    """A BENCH-RESULT line that is not the agreed JSON object: refused rather than guessed at."""


def result(work, portal, floor=None, ratio=None, note=""):
    """Print one figure as a BENCH-RESULT line (every value a string, or None for "none")."""
    values = {"work": work, "portal": portal, "floor": floor, "ratio": ratio, "note": note}
    print(
        PREFIX + json.dumps({key: None if value is None else str(value) for key, value in values.items()}), flush=True
    )


def load_average():
    """The 1, 5 and 15-minute load averages, as printed beside every measurement."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def goal(value_ms, limit_ms, what="p95"):
    """The note saying whether a figure meets its target of issue 13, e.g. "goal p95 ≤ 300 ms: met"."""
    return f"goal {what} ≤ {limit_ms:g} ms: {'met' if value_ms <= limit_ms else 'not met'}"


def parse(script, output):
    """The figures printed in `output` by `script`, in order; a malformed BENCH-RESULT line raises MalformedResult
    naming the script and the line."""
    rows = []
    for number, line in enumerate(output.splitlines(), start=1):
        if not line.startswith(PREFIX):
            continue
        where = f"{script}, line {number}"
        try:
            row = json.loads(line[len(PREFIX) :])
        except json.JSONDecodeError as error:
            raise MalformedResult(f"{where}: BENCH-RESULT is not followed by JSON ({error.msg})") from None
        if not isinstance(row, dict) or tuple(sorted(row)) != tuple(sorted(KEYS)):
            found = ", ".join(sorted(row)) if isinstance(row, dict) else type(row).__name__
            raise MalformedResult(f"{where}: BENCH-RESULT needs exactly the keys {', '.join(KEYS)} (found: {found})")
        wrong = [key for key in KEYS if row[key] is not None and not isinstance(row[key], str)]
        if wrong:
            raise MalformedResult(f"{where}: BENCH-RESULT values must be strings or null ({', '.join(wrong)})")
        if not row["work"]:
            raise MalformedResult(f"{where}: BENCH-RESULT has no work")
        rows.append({key: row[key] for key in KEYS})
    return rows


def _cell(value):
    """A table cell: "—" for none, pipes escaped so a note cannot break the row."""
    return "—" if value in (None, "") else value.replace("|", "\\|").replace("\n", " ")


def table(rows, header_lines):
    """The markdown block: the run's context (a list item each), then work | portal | floor | ratio | note."""
    lines = [f"- {line}" for line in header_lines] + [""]
    lines += ["| work | portal | floor | ratio | note |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(_cell(row[key]) for key in KEYS) + " |" for row in rows]
    return "\n".join(lines)


def write_between_markers(path, block):
    """Put `block` between the markers of the file at `path`, keeping every other line; a file without the markers
    gets them (with the block) appended, a missing file is created with a title."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    fresh = f"{BEGIN}\n{block}\n{END}"
    start, end = text.find(BEGIN), text.find(END)
    if start == -1 and end == -1:
        text = text.rstrip("\n") + "\n\n" + fresh + "\n"
    elif start == -1 or end < start:
        raise MalformedResult(f"{path}: the markers {BEGIN!r} and {END!r} must both be there, in this order")
    else:
        text = text[:start] + fresh + text[end + len(END) :]
    path.write_text(text, encoding="utf-8")
