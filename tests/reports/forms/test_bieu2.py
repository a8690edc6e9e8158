"""Biểu 2-BTCTW over the hand-built province (tests/reports/forms/conftest.py), counted by hand.

Admissions in 2024: n1 in CA1 (10/03, woman, born 01/01/2000: 24), r1 re-admitted in GC (20/05, born 17/05/1985:
39), n2 in GB (05/09, born 01/06/1999: 25), n3 in GF (15/10, born 31/12/1994: 29). In 2023: p1 in GC (01/11, 38).
"""

from datetime import date

from reports.forms import compute
from tests.factories import make_member

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))


def _cells(actor, org, column=0):
    table = compute("bieu2", actor=actor, organization_id=org.pk, period_start=Y2024[0], period_end=Y2024[1])
    return {line.key: line.values[column] for line in table.lines}


def test_bieu2_province_2024(province):
    cells = _cells(province["admin"], province["orgs"]["P"])

    assert (cells["total"], cells["women"], cells["minority"], cells["religion"], cells["readmitted"]) == (
        4,
        1,
        0,
        0,
        1,
    )
    assert (cells["age_18"], cells["age_31"], cells["age_36"], cells["age_61"], cells["age_under_18"]) == (
        3,
        0,
        1,
        0,
        0,
    )


def test_bieu2_same_period_last_year_and_ratio(province):
    admin, p = province["admin"], province["orgs"]["P"]

    assert _cells(admin, p, 1)["total"] == 1  # p1
    assert _cells(admin, p, 1)["age_36"] == 1
    assert _cells(admin, p, 2)["total"] == 400.0  # 4 × 100 / 1


def test_bieu2_admission_of_a_merged_unit_counts_where_its_successor_sits(province):
    orgs = province["orgs"]
    make_member(orgs["GE"], full_name="Bùi Sơn", gender="F", ethnicity="Mường", admission_date=date(2024, 2, 1))

    d2 = _cells(province["admin"], orgs["D2"])

    # r1 in GC, n3 in GF, and the admission in GE (ended 30/06/2024, its successor GF is in D2).
    assert (d2["total"], d2["women"], d2["minority"]) == (3, 1, 1)
    assert _cells(province["admin"], orgs["D1"])["total"] == 2  # n1, n2
