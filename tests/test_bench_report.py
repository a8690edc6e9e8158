"""The table `make bench` writes into docs/performance.md from the BENCH-RESULT lines of the scripts' output."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "bench"


def _load(name, filename):
    spec = importlib.util.spec_from_file_location(name, BENCH / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _load("bench_report", "_report.py")
runner = _load("bench_run", "run.py")

DASHBOARD_OUTPUT = """database party_portal_large: 288,071 members
dashboard   109 req  10 clients  median 213.1 ms
BENCH-RESULT {"work": "dashboard 2025, warm, 10 clients", "portal": "p50 90 ms, p95 140 ms", "floor": "p50 40 ms", \
"ratio": "2.3\\u00d7", "note": "goal p95 \\u2264 150 ms: met"}
load average at the end: 3.99
"""
IMPORT_OUTPUT = """import of 100,000 rows
BENCH-RESULT {"work": "import 100k members", "portal": "19.2 s, 430 MB", "floor": "12.0 s", "ratio": null, \
"note": "a | in a note"}
"""
HEADER = ["Run 2026-12-06 12:00 UTC on box (2 cores).", "Database: `party_portal_large`."]
TABLE = """- Run 2026-12-06 12:00 UTC on box (2 cores).
- Database: `party_portal_large`.

| work | portal | floor | ratio | note |
|---|---|---|---|---|
| dashboard 2025, warm, 10 clients | p50 90 ms, p95 140 ms | p50 40 ms | 2.3× | goal p95 ≤ 150 ms: met |
| import 100k members | 19.2 s, 430 MB | 12.0 s | — | a \\| in a note |"""


def _rows():
    return report.parse("dashboard_load.py", DASHBOARD_OUTPUT) + report.parse("import_members.py", IMPORT_OUTPUT)


def test_two_scripts_lines_become_the_table_between_the_markers_and_the_text_around_stays(tmp_path):
    performance = tmp_path / "performance.md"
    performance.write_text(
        f"# Performance\n\nHow to re-run.\n\n{report.BEGIN}\nan older table\n{report.END}\n\n## Reading it\n",
        encoding="utf-8",
    )

    report.write_between_markers(performance, report.table(_rows(), HEADER))

    assert performance.read_text(encoding="utf-8") == (
        f"# Performance\n\nHow to re-run.\n\n{report.BEGIN}\n{TABLE}\n{report.END}\n\n## Reading it\n"
    )


def test_a_second_run_replaces_the_table_it_wrote(tmp_path):
    performance = tmp_path / "performance.md"
    performance.write_text("Intro.\n", encoding="utf-8")

    report.write_between_markers(performance, "first run")
    report.write_between_markers(performance, report.table(_rows()[1:], HEADER))

    text = performance.read_text(encoding="utf-8")
    assert text.startswith(f"Intro.\n\n{report.BEGIN}\n")
    assert "first run" not in text
    assert "dashboard 2025" not in text
    assert text.count("| import 100k members |") == 1
    assert text.count(report.BEGIN) == 1


def test_result_prints_the_agreed_line_that_parse_reads_back(capsys):
    report.result("API compliance 2024, 10 clients", "p50 90 ms", floor=None, ratio=None)

    line = capsys.readouterr().out
    assert line == (
        'BENCH-RESULT {"work": "API compliance 2024, 10 clients", "portal": "p50 90 ms", "floor": null, '
        '"ratio": null, "note": ""}\n'
    )
    assert report.parse("api_load.py", line) == [
        {"work": "API compliance 2024, 10 clients", "portal": "p50 90 ms", "floor": None, "ratio": None, "note": ""}
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('BENCH-RESULT {"work": "x", "portal": "1 s"', "fanout.py, line 2: BENCH-RESULT is not followed by JSON"),
        (
            'BENCH-RESULT {"work": "x", "portal": "1 s", "floor": null, "ratio": null}',
            "fanout.py, line 2: BENCH-RESULT needs exactly the keys work, portal, floor, ratio, note (found: floor, "
            "portal, ratio, work)",
        ),
        (
            'BENCH-RESULT {"work": "x", "portal": 1.5, "floor": null, "ratio": null, "note": ""}',
            "fanout.py, line 2: BENCH-RESULT values must be strings or null (portal)",
        ),
    ],
)
def test_a_malformed_line_is_refused_naming_the_script_and_the_line(tmp_path, line, message):
    with pytest.raises(report.MalformedResult) as refused:
        report.parse("fanout.py", f"national refresh, 1 worker\n{line}\n")

    assert str(refused.value).startswith(message)


def test_a_file_with_one_marker_only_is_refused_and_left_alone(tmp_path):
    performance = tmp_path / "performance.md"
    performance.write_text(f"Intro.\n{report.BEGIN}\nold\n", encoding="utf-8")

    with pytest.raises(report.MalformedResult, match="markers"):
        report.write_between_markers(performance, "new")

    assert performance.read_text(encoding="utf-8") == f"Intro.\n{report.BEGIN}\nold\n"


def test_an_option_after_the_double_dash_reaches_only_the_scripts_that_define_it(tmp_path):
    script = tmp_path / "load.py"
    script.write_text('parser.add_argument("--duration", type=float)\nparser.add_argument("--no-cache")\n')

    kept = runner._arguments_for(script, ["--duration", "5", "--repeat", "3", "--no-cache", "--max-requests=9"])

    assert kept == ["--duration", "5", "--no-cache"]
