"""T4 counts people, not seats: a person on two TCCSĐ committees of a scope counts once in it (DOMAIN.md §3)."""

from datetime import date

import pytest

from indicators.selectors import DENOMINATOR, NUMERATOR, compliance, compliance_snapshot, figure_rows
from indicators.services import snapshot_refresh
from members.models import SeatRole
from members.services import committee_seat_add, member_transfer
from tests.indicators.conftest import committee_world


@pytest.fixture
def committees(root_user):
    """committee_world (tests/indicators/conftest.py) keyed P, D, D2, G1, C1, G3, G4, then A transferred C1 → G3 on
    01/01/2023 (on its committee from 01/02/2023) and G3 → G4 on 01/03/2024 (on its committee from 01/04/2024): on
    31/12/2024 A sits on the committees of G1, G3 and G4, B on G1's, C on G3's."""
    orgs, people = committee_world(root_user)
    orgs = {code[1:]: org for code, org in orgs.items()}
    a, seat = people["A"], {"actor": root_user, "role": SeatRole.MEMBER}
    member_transfer(actor=root_user, member=a, to_organization=orgs["G3"], date=date(2023, 1, 1))
    committee_seat_add(**seat, member=a, organization=orgs["G3"], start=date(2023, 2, 1))
    member_transfer(actor=root_user, member=a, to_organization=orgs["G4"], date=date(2024, 3, 1))
    committee_seat_add(**seat, member=a, organization=orgs["G4"], start=date(2024, 4, 1))
    return orgs


def _t4(actor, org):
    figure = compliance(actor=actor, year=2024, scope_id=org.pk).scope.figures["T4"]
    return figure.numerator, figure.denominator


def test_committee_people_counted_once_at_every_scope(committees, root_user):
    # G1: A, B (A qualified); G3: A, C (A); G4: A (A).
    assert _t4(root_user, committees["G1"]) == (1, 2)
    assert _t4(root_user, committees["G3"]) == (1, 2)
    # D: A on G1's and G3's committees counts once: A, B, C, of whom A qualified (seats: 4 and 2).
    assert _t4(root_user, committees["D"]) == (1, 3)
    assert _t4(root_user, committees["D2"]) == (1, 1)
    # P: A on three committees counts once: A, B, C (seats: 5 and 3).
    assert _t4(root_user, committees["P"]) == (1, 3)
    # A cell has no TCCSĐ committee: nothing to count.
    assert _t4(root_user, committees["C1"]) == (0, 0)


def test_committee_people_children_and_types_of_the_province(committees, root_user):
    result = compliance(actor=root_user, year=2024, scope_id=committees["P"].pk)
    children = {child.node.code: child.figures["T4"] for child in result.children}
    assert (children["TD"].numerator, children["TD"].denominator) == (1, 3)
    assert (children["TD2"].numerator, children["TD2"].denominator) == (1, 1)
    by_type = {org_type: figures["T4"] for org_type, figures in result.by_type}
    # State agencies G3 and G4: A (on both) and C; wards G1: A and B.
    assert (by_type["STATE_AGENCY"].numerator, by_type["STATE_AGENCY"].denominator) == (1, 2)
    assert (by_type["WARD"].numerator, by_type["WARD"].denominator) == (1, 2)
    # The theory make-up sums to the people: A intermediate, B elementary, C none.
    assert result.scope.figures["T4"].breakdown == {
        "NONE": 1,
        "ELEMENTARY": 1,
        "INTERMEDIATE": 1,
        "ADVANCED": 0,
        "BACHELOR": 0,
    }


def test_committee_people_snapshot_agrees_with_the_live_figures(committees, root_user):
    snapshot_refresh(year=2024)
    result = compliance_snapshot(actor=root_user, year=2024, scope_id=committees["P"].pk)
    t4 = result.scope.figures["T4"]
    assert (t4.numerator, t4.denominator) == (1, 3)
    district = compliance_snapshot(actor=root_user, year=2024, scope_id=committees["D"].pk)
    assert (district.scope.figures["T4"].numerator, district.scope.figures["T4"].denominator) == (1, 3)
    by_type = {org_type: figures["T4"] for org_type, figures in result.by_type}
    assert by_type["STATE_AGENCY"].denominator == 2


def test_committee_people_drilldown_lists_each_person_once(committees, root_user):
    where = {"actor": root_user, "year": 2024, "scope_id": committees["D"].pk, "indicator": "T4"}
    _kind, holders = figure_rows(**where, group=DENOMINATOR)
    assert sorted(seat.member.full_name for seat in holders) == ["Hoàng Văn Cường", "Lê Văn An", "Trần Thị Bình"]
    _kind, qualified = figure_rows(**where, group=NUMERATOR)
    assert [seat.member.full_name for seat in qualified] == ["Lê Văn An"]
