"""Biểu 1-BTCTW over the hand-built province (tests/reports/forms/conftest.py), every cell counted by hand."""

from datetime import date

import pytest
from django.http import Http404

from members.selectors import rolls_movement
from members.services import member_transfer
from organizations.models import OrgKind, OrgType
from organizations.services import organization_close
from reports.forms import compute
from tests.factories import make_member, make_org

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))


def _bieu1(actor, org=None, period=Y2024):
    return compute(
        "bieu1", actor=actor, organization_id=org.pk if org else None, period_start=period[0], period_end=period[1]
    )


def _column(table, column=0):
    return {line.key: line.values[column] for line in table.lines}


def test_bieu1_province_2024_cells_equal_the_hand_count(province):
    table = _bieu1(province["admin"], province["orgs"]["P"])

    assert _column(table) == {
        "start": 14,  # a1–a6, b1 b2, c1 c2 p1, e1–e3
        "increase": 9,
        "admitted": 4,  # n1, n2, n3 and r1's re-admission
        "readmitted": 1,
        "transfer_in": 5,
        "transfer_in_outside": 1,  # t1
        "transfer_in_within": 4,  # e1–e3 into GF, b2 into GC
        "restored": 0,
        "decrease": 9,
        "deceased": 1,  # a5
        "expelled": 1,  # a4
        "struck_off": 2,  # c2, p1
        "struck_off_probationary": 1,  # p1, admitted 01/11/2023
        "withdrawn": 0,
        "transfer_out": 5,
        "transfer_out_outside": 1,  # a2
        "transfer_out_within": 4,  # e1–e3 out of GE, b2 out of GB
        "end": 14,
    }


def test_bieu1_identity_holds_for_each_scope(province):
    orgs = province["orgs"]
    for code in ("P", "D1", "D2"):
        cells = _column(_bieu1(province["admin"], orgs[code]))

        assert cells["end"] == cells["start"] + cells["increase"] - cells["decrease"], code


def test_bieu1_district_with_a_merge_keeps_the_merged_unit_members_in_its_start_rolls(province):
    cells = _column(_bieu1(province["admin"], province["orgs"]["D2"]))

    # GE ended on 30/06/2024; its successor GF sits in D2 on 31/12/2024, so GE's e1–e3 are in the start rolls.
    assert (cells["start"], cells["increase"], cells["decrease"], cells["end"]) == (6, 6, 5, 7)
    assert (cells["admitted"], cells["readmitted"], cells["transfer_in_within"]) == (2, 1, 4)
    assert (cells["struck_off"], cells["struck_off_probationary"], cells["transfer_out_within"]) == (2, 1, 3)


def test_bieu1_other_district_2024(province):
    cells = _column(_bieu1(province["admin"], province["orgs"]["D1"]))

    assert (cells["start"], cells["increase"], cells["decrease"], cells["end"]) == (8, 3, 4, 7)
    assert (cells["admitted"], cells["transfer_in_outside"], cells["deceased"], cells["expelled"]) == (2, 1, 1, 1)
    assert (cells["transfer_out_within"], cells["transfer_out_outside"]) == (1, 1)


def test_bieu1_same_period_last_year_and_ratio(province):
    table = _bieu1(province["admin"], province["orgs"]["P"])

    # 2023: 13 on the rolls on 31/12/2022, p1 admitted on 01/11/2023, 14 at the end.
    assert _column(table, 1)["start"] == 13
    assert _column(table, 1)["admitted"] == 1
    assert _column(table, 1)["end"] == 14
    assert _column(table, 2)["admitted"] == 400.0  # 4 × 100 / 1
    assert _column(table, 2)["deceased"] is None  # nobody died in 2023: no ratio


def test_bieu1_half_year_period_ends_on_the_day_before_the_merge(province):
    cells = _column(_bieu1(province["admin"], province["orgs"]["D2"], (date(2024, 1, 1), date(2024, 6, 30))))

    # GE is still in force on 30/06: c2 struck off, r1 re-admitted; 6 + 1 − 1.
    assert (cells["start"], cells["increase"], cells["decrease"], cells["end"]) == (6, 1, 1, 6)


def test_bieu1_outside_the_actor_scope_is_not_found(province, d1_cadre):
    with pytest.raises(Http404):
        _bieu1(d1_cadre, province["orgs"]["D2"])


def test_bieu1_whole_scope_of_a_district_cadre_is_their_district(province, d1_cadre):
    table = _bieu1(d1_cadre)

    assert table.scope == province["orgs"]["D1"]
    assert table.value("start") == 8


def test_bieu1_unit_dissolved_without_successor_counts_where_it_last_sat(province):
    admin, orgs = province["admin"], province["orgs"]
    gz = make_org(
        "GZ", OrgKind.GRASSROOTS_CELL, parent=orgs["D1"], org_type=OrgType.STATE_AGENCY, valid_from=date(2010, 1, 1)
    )
    z1 = make_member(gz, full_name="Cao Xuân")
    member_transfer(actor=admin, member=z1, to_organization=orgs["GB"], date=date(2024, 5, 1))
    organization_close(actor=admin, organization=gz, last_day=date(2024, 4, 30))

    d1 = _column(_bieu1(admin, orgs["D1"]))
    d2 = _column(_bieu1(admin, orgs["D2"]))

    # D1 as before plus z1: on GZ's rolls at the start, out of GZ and into GB on 01/05.
    assert (d1["start"], d1["increase"], d1["decrease"], d1["end"]) == (9, 4, 5, 8)
    assert (d2["start"], d2["end"]) == (6, 7)


def test_rolls_movement_agrees_with_the_form_over_a_merge(province):
    admin, d2 = province["admin"], province["orgs"]["D2"]

    movement = rolls_movement(actor=admin, organization_id=d2.pk, period_start=Y2024[0], period_end=Y2024[1])

    assert (movement.start, movement.total_increase, movement.total_decrease, movement.end) == (6, 6, 5, 7)
