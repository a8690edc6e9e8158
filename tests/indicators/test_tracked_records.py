"""Tracked figures counted from the member records (docs/counting-rules.md §7), counted by hand for 2024.

The `tree` fixture on 31/12/2024: P ─ D1 ─ G1 (ward committee) ─ C1, C2 cells; P ─ D2 ─ G2 (state agency cell).
Added here: G6, a commune TCCSĐ (chi bộ cơ sở) under D2.

Commune-level TCCSĐ: G1, G6 (G2 is a state agency). Secretaries on 31/12/2024:
  G1: S1, chair of the commune People's Council since 2021 → counts
  G6: S2, chair of the People's Committee until 30/06/2024, vice-chair since → does not count
  G2: S3, chair of the People's Committee, but G2 is not commune-level → in neither count
Residential cells: C1, C2 (under the ward committee G1). C1's secretary T1 is residential-group head since
2022 → counts; C2's secretary T2 holds no post.
Attendance 2024: C1 Q1 3 of 3, Q2 2 of 3; C2 Q1 1 of 3 (and a 2023 record of C2, 0 of 3, not counted).
Admissions 2024: at C1, M1 (youth union, Tày, student) and M2 (youth union, Catholic, university degree, worker
in a non-state enterprise); at G2, M3 (not youth union, Kinh, militia) and M4 (nothing recorded). M5 was
admitted at C1 in 2023 (youth union) and does not count.
"""

from datetime import date
from decimal import Decimal

import pytest

from indicators.selectors import NUMERATOR, compliance, figure_rows
from indicators.tracked_records import admissions_in_group_list, secretaries_holding_list
from members.models import Code, GovernmentPost, MeetingAttendance, Member, SeatRole
from members.services import committee_seat_add
from organizations.models import OrgKind
from tests.factories import make_member, make_org

OLD = date(2019, 3, 2)


def _code(code_list, code):
    return Code.objects.get(list=code_list, code=code)


def _post(member, org, code, start, end=None):
    GovernmentPost.objects.create(member=member, kind=_code("post", code), organization=org, start=start, end=end)


def _secretary(root_user, org, name):
    member = make_member(org, admission_date=OLD, full_name=name)
    committee_seat_add(
        actor=root_user, member=member, organization=org, role=SeatRole.SECRETARY, start=date(2020, 9, 1)
    )
    return member


def _admit(org, day, **records):
    member = make_member(org, admission_date=day)
    Member.objects.filter(pk=member.pk).update(**records)
    return member


@pytest.fixture
def records_2024(tree, root_user):
    g6 = make_org("G6", OrgKind.GRASSROOTS_CELL, parent=tree["D2"])
    s1, s2, s3 = (
        _secretary(root_user, tree["G1"], "S1"),
        _secretary(root_user, g6, "S2"),
        _secretary(root_user, tree["G2"], "S3"),
    )
    _post(s1, tree["G1"], "CT_HDND_XA", date(2021, 5, 1))
    _post(s2, g6, "CT_UBND_XA", date(2020, 1, 1), date(2024, 6, 30))
    _post(s2, g6, "PCT_UBND_XA", date(2024, 7, 1))
    _post(s3, tree["G2"], "CT_UBND_XA", date(2021, 5, 1))
    t1, _t2 = _secretary(root_user, tree["C1"], "T1"), _secretary(root_user, tree["C2"], "T2")
    _post(t1, tree["C1"], "TO_TRUONG_TDP", date(2022, 1, 1))
    for cell, year, quarter, held, attended in (
        (tree["C1"], 2024, 1, 3, 3),
        (tree["C1"], 2024, 2, 3, 2),
        (tree["C2"], 2024, 1, 3, 1),
        (tree["C2"], 2023, 4, 3, 0),
    ):
        MeetingAttendance.objects.create(
            organization=cell, year=year, quarter=quarter, member=s1, meetings_held=held, meetings_attended=attended
        )
    _admit(
        tree["C1"],
        date(2024, 3, 1),
        youth_union_at_admission=True,
        ethnicity_code=_code("ethnicity", "02"),
        occupation_at_admission=_code("occupation", "SINH_VIEN"),
    )
    _admit(
        tree["C1"],
        date(2024, 5, 1),
        youth_union_at_admission=True,
        religion_code=_code("religion", "02"),
        qualification=_code("qualification", "DAI_HOC"),
        occupation_at_admission=_code("occupation", "CN_DN_NNN"),
    )
    _admit(
        tree["G2"],
        date(2024, 6, 1),
        youth_union_at_admission=False,
        ethnicity_code=_code("ethnicity", "01"),
        occupation_at_admission=_code("occupation", "DU_BI_DQTV"),
    )
    _admit(tree["G2"], date(2024, 8, 1))
    _admit(tree["C1"], date(2023, 4, 1), youth_union_at_admission=True)
    return {"G6": g6}


def _figures(actor, org):
    return compliance(actor=actor, year=2024, scope_id=org.pk).scope.figures


def _pair(figure):
    return figure.numerator, figure.denominator


def test_tracked_secretaries_chairing_the_commune_share_of_commune_level_tccsd(tree, root_user, records_2024):
    assert _pair(_figures(root_user, tree["P"])["BT_CHU_TICH"]) == (1, 2)
    assert _pair(_figures(root_user, tree["D1"])["BT_CHU_TICH"]) == (1, 1)
    assert _pair(_figures(root_user, tree["D2"])["BT_CHU_TICH"]) == (0, 1)


def test_tracked_cell_secretaries_heading_the_village_share_of_residential_cells(tree, root_user, records_2024):
    province = _figures(root_user, tree["P"])["BT_TRUONG_THON"]
    assert (_pair(province), province.ratio) == ((1, 2), 50)
    assert _pair(_figures(root_user, tree["C1"])["BT_TRUONG_THON"]) == (1, 1)
    # D2 has no residential cell: no data.
    d2 = _figures(root_user, tree["D2"])["BT_TRUONG_THON"]
    assert (d2.ratio, d2.status) == (None, "no_data")


def test_tracked_attendance_share_of_meetings_over_recorded_quarters(tree, root_user, records_2024):
    province = _figures(root_user, tree["P"])
    # 3 + 2 + 1 attended of 3 + 3 + 3 held in 2024 = 66,666… %; both cells recorded (C1, C2 of 2 cells).
    assert (_pair(province["DU_SINH_HOAT"]), province["DU_SINH_HOAT"].ratio) == ((6, 9), Decimal("66.6667"))
    assert _pair(province["DU_SH_BAO_PHU"]) == (2, 2)
    assert _pair(_figures(root_user, tree["C1"])["DU_SINH_HOAT"]) == (5, 6)


ADMISSION_CODES = {
    "PRIVATE_WORKER": "KN_CONG_NHAN",
    "INTELLECTUAL": "KN_TRI_THUC",
    "STUDENT": "KN_HS_SV",
    "RESERVIST_MILITIA": "KN_DB_DQTV",
    "ETHNIC_MINORITY": "KN_DAN_TOC",
    "RELIGIOUS": "KN_TON_GIAO",
}


def test_tracked_admissions_by_group_with_share_of_the_year_admissions(tree, root_user, records_2024):
    province = _figures(root_user, tree["P"])
    # 4 admissions in 2024: M1, M2 youth union; M2 worker and intellectual; M1 student and Tày; M2 Catholic; M3 militia.
    assert (_pair(province["KN_DOAN_VIEN"]), province["KN_DOAN_VIEN"].ratio) == ((2, 4), 50)
    for group, code in ADMISSION_CODES.items():
        assert (_pair(province[code]), province[code].ratio) == ((1, 4), 25), group
    d1, d2 = _figures(root_user, tree["D1"]), _figures(root_user, tree["D2"])
    assert (d1["KN_DOAN_VIEN"].ratio, d2["KN_DOAN_VIEN"].ratio) == (100, 0)
    assert _pair(d2["KN_DB_DQTV"]) == (1, 2)


def test_tracked_record_drill_down_lists_match_the_figures(tree, root_user, records_2024):
    where = {"actor": root_user, "year": 2024, "organization_id": tree["P"].pk}
    assert admissions_in_group_list(**where).count() == 4
    assert admissions_in_group_list(**where, group="YOUTH_UNION").count() == 2
    assert [s.member.full_name for s in secretaries_holding_list(**where)] == ["S1"]
    assert [s.member.full_name for s in secretaries_holding_list(**where, residential=True)] == ["T1"]


def test_tracked_record_figures_drill_down_through_their_definitions(tree, root_user, records_2024):
    where = {"actor": root_user, "year": 2024, "scope_id": tree["P"].pk, "group": NUMERATOR}

    kind, youth = figure_rows(**where, indicator="KN_DOAN_VIEN")
    seats_kind, chairs = figure_rows(**where, indicator="BT_CHU_TICH")

    # M1 and M2, the youth-union admissions of 2024; S1, G1's secretary chairing the People's Council.
    assert (kind, len(youth)) == ("admissions", 2)
    assert (seats_kind, [s.member.full_name for s in chairs]) == ("seats", ["S1"])
