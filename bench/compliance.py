"""Time `compliance` for one year and for all six years, next to a fair floor: plain SQL giving every number it
gives for every definition (see YEAR_SQL); the ratio is portal time / floor time.

Run against a seeded database (ratings included), e.g.:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/party_portal_large .venv/bin/python bench/compliance.py
Prints medians of --repeat runs, in seconds, and a BENCH-RESULT line for each (bench/_report.py). It runs on
bench/_bench_settings.py: a read-only database connection, so that it cannot change the database it measures.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "_bench_settings")

import django

django.setup()

from _report import load_average, result  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from indicators.selectors import compliance  # noqa: E402
from indicators.selectors.scope import default_program, resolve_scope  # noqa: E402

# The floor: hand-written SQL giving every number `compliance` gives for every definition (the six targets and
# the tracked figures of docs/counting-rules.md §7), one plain aggregate per source at the finest grain, over the
# subtree of the root as of 31/12 — what any implementation must at least read. Figures derivable from the tree
# rows alone (non-state TCCSĐ, commune-level TCCSĐ, residential cells, cells in total) need no statement of
# their own. Kept in step with indicators.selectors.counts, indicators.tracked and indicators.tracked_records.


def _tree(alias):
    """`alias`.organization_id among the organizations of the subtree on 31/12 (what the portal filters on)."""
    return f"""{alias}.organization_id IN (SELECT organization_id FROM organizations_placement
       WHERE valid_from <= %(end)s AND (valid_to IS NULL OR valid_to >= %(end)s) AND path LIKE %(path)s)"""


def _rolls(alias, day):
    """Stints of `alias` on the rolls on `day` (a parameter name)."""
    return f'{alias}.start <= %({day})s AND ({alias}."end" IS NULL OR {alias}."end" > %({day})s)'


SEAT_ON = 's.start <= %(end)s AND (s."end" IS NULL OR s."end" >= %(end)s)'
ENDED = """SELECT l.predecessor_id FROM organizations_successorlink l JOIN organizations_organization o
       ON o.id = l.predecessor_id WHERE o.valid_to >= %(eve)s AND o.valid_to < %(end)s"""
SUCCESSORS = ENDED.replace("SELECT l.predecessor_id", "SELECT l.successor_id")
# T3 (admissions and the rolls of 31/12 of the year before, with the units that ended inside the year and their
# successors): also read for every earlier program year, for the program-mean figures.
T3_SQL = [
    # the tree of 31/12 (nodes, kinds and types: also every count-of-units figure)
    """SELECT p.organization_id, o.code, o.name, o.kind, o.org_type, p.path, p.depth
       FROM organizations_placement p JOIN organizations_organization o ON o.id = p.organization_id
       WHERE p.valid_from <= %(end)s AND (p.valid_to IS NULL OR p.valid_to >= %(end)s) AND p.path LIKE %(path)s""",
    # admissions, re-admissions, struck off and expelled in the year (T3, tracked removals)
    f"""SELECT e.organization_id, e.kind, count(*) FROM members_movementevent e
       WHERE e.kind IN ('ADMITTED', 'READMITTED', 'STRUCK_OFF', 'EXPELLED') AND e.date BETWEEN %(start)s AND %(end)s
       AND {_tree("e")} GROUP BY e.organization_id, e.kind""",
    # the rolls on 31/12 of the year before (T3 base, removal rates)
    f"""SELECT m.organization_id, count(*) FROM members_membership m WHERE {_rolls("m", "eve")} AND {_tree("m")}
       GROUP BY m.organization_id""",
    # units ended inside the year with their successors, and the records they carry (counting-rules §3); the
    # stints the successors took are read for the whole year (the portal: on the day after each end)
    """SELECT l.predecessor_id, l.successor_id, o.valid_to FROM organizations_successorlink l
       JOIN organizations_organization o ON o.id = l.predecessor_id
       WHERE o.valid_to >= %(eve)s AND o.valid_to < %(end)s""",
    f"""SELECT e.id, e.member_id, e.organization_id, e.kind FROM members_movementevent e
       WHERE e.kind IN ('ADMITTED', 'READMITTED') AND e.date BETWEEN %(start)s AND %(end)s
       AND e.organization_id IN ({ENDED})""",
    f"""SELECT m.id, m.member_id, m.organization_id FROM members_membership m
       WHERE {_rolls("m", "eve")} AND m.organization_id IN ({ENDED})""",
    f"""SELECT m.member_id, m.organization_id, m.start FROM members_membership m
       WHERE m.start > %(eve)s AND m.start <= %(end)s AND m.organization_id IN ({SUCCESSORS})""",
]
YEAR_SQL = [
    # T1: organization ratings
    f"""SELECT r.organization_id, r.level, r.not_rated_reason FROM evaluations_organizationrating r
       JOIN evaluations_ratingyear y ON y.id = r.year_id WHERE y.year = %(year)s AND {_tree("r")}""",
    # T2: member ratings at the unit whose rolls hold the member on 31/12 (at most one stint a day)
    f"""SELECT r.organization_id, m.organization_id, r.level, r.not_rated_reason, count(*)
       FROM evaluations_memberrating r JOIN evaluations_ratingyear y ON y.id = r.year_id
       LEFT JOIN members_membership m ON m.member_id = r.member_id AND {_rolls("m", "end")}
       WHERE y.year = %(year)s AND {_tree("r")} GROUP BY 1, 2, 3, 4""",
    # the rolls on 31/12 (T2 total, members at year end), and those with intermediate theory or higher then
    f"""SELECT m.organization_id, count(*) FROM members_membership m WHERE {_rolls("m", "end")} AND {_tree("m")}
       GROUP BY m.organization_id""",
    f"""SELECT m.organization_id, count(*) FROM members_membership m WHERE {_rolls("m", "end")} AND {_tree("m")}
       AND EXISTS (SELECT 1 FROM members_theoryqualification t WHERE t.member_id = m.member_id
       AND t.obtained_on <= %(end)s AND t.level >= 2) GROUP BY m.organization_id""",
    # T4: committee members of the TCCSĐ on 31/12 and their theory level that day (a few thousand seats: a
    # lookup per seat beats joining the levels of every member, measured on the province demo)
    f"""SELECT DISTINCT s.organization_id, s.member_id, (SELECT max(t.level) FROM members_theoryqualification t
       WHERE t.member_id = s.member_id AND t.obtained_on <= %(end)s) FROM members_committeeseat s
       JOIN organizations_organization o ON o.id = s.organization_id
       WHERE {SEAT_ON} AND o.kind IN ('GRASSROOTS_COMMITTEE', 'GRASSROOTS_CELL') AND {_tree("s")}""",
    # discipline decisions of the year at the unit of the member's latest stint begun by the decision date
    """SELECT unit, kind, count(*) FROM (SELECT d.kind, (SELECT m.organization_id FROM members_membership m
       WHERE m.member_id = d.member_id AND m.start <= d.decided_on ORDER BY m.start DESC LIMIT 1) AS unit
       FROM members_discipline d WHERE d.decided_on BETWEEN %(start)s AND %(end)s) u
       WHERE unit IN (SELECT organization_id FROM organizations_placement WHERE valid_from <= %(end)s
       AND (valid_to IS NULL OR valid_to >= %(end)s) AND path LIKE %(path)s) GROUP BY unit, kind""",
    # admissions of the year by group of the admitted member
    f"""SELECT e.organization_id, count(*), count(*) FILTER (WHERE mb.youth_union_at_admission),
       count(*) FILTER (WHERE oc."group" = 'CONG_NHAN_NNN'), count(*) FILTER (WHERE q."group" = 'TRI_THUC'),
       count(*) FILTER (WHERE oc."group" = 'HS_SV'), count(*) FILTER (WHERE oc."group" = 'DU_BI_DQTV'),
       count(*) FILTER (WHERE et."group" = 'THIEU_SO'), count(*) FILTER (WHERE re."group" = 'TON_GIAO')
       FROM members_movementevent e JOIN members_member mb ON mb.id = e.member_id
       LEFT JOIN members_code oc ON oc.id = mb.occupation_at_admission_id
       LEFT JOIN members_code q ON q.id = mb.qualification_id
       LEFT JOIN members_code et ON et.id = mb.ethnicity_code_id
       LEFT JOIN members_code re ON re.id = mb.religion_code_id
       WHERE e.kind IN ('ADMITTED', 'READMITTED') AND e.date BETWEEN %(start)s AND %(end)s AND {_tree("e")}
       GROUP BY e.organization_id""",
    # secretaries on 31/12 holding that day a commune chair or a village / residential-group head post
    f"""SELECT DISTINCT s.organization_id, c."group" FROM members_committeeseat s
       JOIN members_governmentpost g ON g.member_id = s.member_id JOIN members_code c ON c.id = g.kind_id
       WHERE s.role = 'SECRETARY' AND {SEAT_ON} AND g.start <= %(end)s AND (g."end" IS NULL OR g."end" >= %(end)s)
       AND c."group" IN ('CHU_TICH_XA', 'TRUONG_THON_TO') AND {_tree("s")}""",
    # cell meetings held and attended
    f"""SELECT a.organization_id, sum(a.meetings_held), sum(a.meetings_attended) FROM members_meetingattendance a
       WHERE a.year = %(year)s AND {_tree("a")} GROUP BY a.organization_id""",
    # the definitions, targets and overrides the figures are judged against
    "SELECT * FROM indicators_indicatordefinition WHERE active",
    "SELECT * FROM indicators_target",
    "SELECT * FROM indicators_targetoverride",
]


def _run(cursor, sql, params):
    cursor.execute(sql if connection.vendor == "postgresql" else sql.replace("%(", ":").replace(")s", ""), params)
    cursor.fetchall()


def bare_sql(year, path="/%", first_year=2020):
    """The floor for `year`: its own statements, and T3's for every program year (the means)."""
    with connection.cursor() as cursor:
        for y in range(first_year, year + 1):
            params = {
                "year": y,
                "start": f"{y}-01-01",
                "end": f"{y}-12-31",
                "eve": f"{y - 1}-12-31",
                "path": path,
            }
            for sql in T3_SQL + (YEAR_SQL if y == year else []):
                _run(cursor, sql, params)


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
    program = default_program()
    years = range(2020, 2026)

    def floor(year):
        # the subtree `compliance` counts for the actor (the root for a superuser), as of 31/12 of the year
        path = resolve_scope(actor=actor, scope_id=None, on=date(year, 12, 31)).path
        bare_sql(year, path=f"{path}%", first_year=program.first_year)

    one = timed(lambda: compliance(actor=actor, year=args.year), args.repeat)
    all_years = timed(lambda: [compliance(actor=actor, year=y) for y in years], max(1, args.repeat // 2))
    bare_one = timed(lambda: floor(args.year), args.repeat)
    bare_all = timed(lambda: [floor(y) for y in years], max(1, args.repeat // 2))
    print(f"database: {connection.vendor}   load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"compliance {args.year}:       {one:.3f} s   SQL floor: {bare_one:.3f} s   ratio {one / bare_one:.2f}")
    print(f"compliance 2020–2025:  {all_years:.3f} s   SQL floor: {bare_all:.3f} s   ratio {all_years / bare_all:.2f}")
    note = "floor: plain SQL giving every number of every definition; load " + load_average()
    runs = f"median of {args.repeat}, "
    result(f"compliance() {args.year}", f"{one:.2f} s", f"{bare_one:.2f} s", f"{one / bare_one:.2f}×", runs + note)
    runs = f"median of {max(1, args.repeat // 2)}, "
    result(
        "compliance() 2020–2025", f"{all_years:.2f} s", f"{bare_all:.2f} s", f"{all_years / bare_all:.2f}×", runs + note
    )


if __name__ == "__main__":
    main()
