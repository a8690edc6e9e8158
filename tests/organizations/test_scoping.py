"""One scoping rule everywhere: a user reads and writes only the subtrees of the nodes they hold roles on."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members import selectors as member_selectors
from members.models import Membership, MovementEvent, MovementKind, StatusKind, StatusPeriod
from members.services import member_transfer, member_update, movement_record, status_period_add
from organizations import scoping, selectors
from organizations.models import Organization, OrgKind, Placement
from organizations.services import organization_create, organization_move, organization_rename
from tests.factories import make_member

ON = date(2024, 6, 1)
AFTER_REFORM = date(2025, 12, 31)


@pytest.fixture
def people(tree, root_user):
    """Two members in D1 (C1, C2) and two in D2 (G2), admitted in 2020."""
    return {
        "c1": make_member(tree["C1"], admission_date=date(2020, 2, 3), full_name="Lê Văn Một"),
        "c2": make_member(tree["C2"], admission_date=date(2020, 2, 3), full_name="Lê Văn Hai"),
        "g2a": make_member(tree["G2"], admission_date=date(2020, 2, 3), full_name="Phạm Thị Ba"),
        "g2b": make_member(tree["G2"], admission_date=date(2020, 2, 3), full_name="Phạm Thị Bốn"),
    }


def _codes(placements):
    return sorted(p.organization.code for p in placements)


def _names(stints):
    return sorted(s.member.full_name for s in stints)


# --- a district cadre reads only their district -------------------------------------------------------------


def test_can_access_district_cadre_reaches_own_subtree_only(tree, district_cadre):
    reachable = {code for code in tree if scoping.can_access(district_cadre, tree[code].pk, ON)}

    assert reachable == {"D1", "G1", "C1", "C2"}


def test_placement_get_other_district_is_404_for_district_cadre(tree, district_cadre):
    own = selectors.placement_get(actor=district_cadre, organization_id=tree["G1"].pk, on=ON)

    with pytest.raises(Http404):
        selectors.placement_get(actor=district_cadre, organization_id=tree["G2"].pk, on=ON)
    assert own.organization == tree["G1"]


def test_tree_children_of_other_district_empty_for_district_cadre(tree, district_cadre):
    under_p = selectors.tree_children(actor=district_cadre, parent_id=tree["P"].pk, on=ON)
    under_d2 = selectors.tree_children(actor=district_cadre, parent_id=tree["D2"].pk, on=ON)
    under_g1 = selectors.tree_children(actor=district_cadre, parent_id=tree["G1"].pk, on=ON)

    assert _codes(under_p) == ["D1"]
    assert _codes(under_d2) == []
    assert _codes(under_g1) == ["C1", "C2"]


def test_organization_search_skips_other_district_for_district_cadre(tree, district_cadre):
    # "Chi bộ" names C1, C2 (D1) and G2 (D2); "Sở Tư pháp" names G2 only.
    chi_bo = selectors.organization_search(actor=district_cadre, query="chi bo", on=ON)
    so_tu_phap = selectors.organization_search(actor=district_cadre, query="Sở Tư pháp", on=ON)

    assert _codes(chi_bo) == ["C1", "C2"]
    assert _codes(so_tu_phap) == []


def test_organization_search_finds_every_district_for_superuser(tree, root_user):
    chi_bo = selectors.organization_search(actor=root_user, query="chi bo", on=ON)

    assert _codes(chi_bo) == ["C1", "C2", "G2"]


def test_member_list_district_cadre_sees_own_district_only(tree, people, district_cadre):
    stints = member_selectors.member_list(actor=district_cadre, on=ON)

    assert _names(stints) == ["Lê Văn Hai", "Lê Văn Một"]


def test_member_list_filtered_to_other_district_is_404_for_district_cadre(tree, people, district_cadre):
    with pytest.raises(Http404):
        member_selectors.member_list(actor=district_cadre, on=ON, organization_id=tree["G2"].pk)


def test_member_get_other_district_is_404_for_district_cadre(tree, people, district_cadre):
    own = member_selectors.member_get(actor=district_cadre, member_id=people["c1"].pk, on=ON)

    with pytest.raises(Http404):
        member_selectors.member_get(actor=district_cadre, member_id=people["g2a"].pk, on=ON)
    assert own == people["c1"]


# --- a district cadre changes only their district ------------------------------------------------------------


def test_member_transfer_within_own_tccsd_allowed_for_its_cadre(tree, people, grassroots_cadre):
    member_transfer(actor=grassroots_cadre, member=people["c1"], to_organization=tree["C2"], date=ON)

    stint = Membership.objects.get(member=people["c1"], end__isnull=True)
    assert stint.organization == tree["C2"]


def test_member_transfer_into_other_district_denied_for_grassroots_cadre(tree, people, grassroots_cadre):
    events_before = MovementEvent.objects.count()

    with pytest.raises(PermissionDenied) as error:
        member_transfer(actor=grassroots_cadre, member=people["c1"], to_organization=tree["G2"], date=ON)

    assert str(error.value) == str(scoping.NOT_IN_SCOPE)
    # The transfer out of C1 was written first; the refusal rolls it back too.
    assert MovementEvent.objects.count() == events_before
    assert Membership.objects.get(member=people["c1"]).organization == tree["C1"]


def test_movement_record_in_other_district_denied_for_district_cadre(tree, people, district_cadre):
    with pytest.raises(PermissionDenied) as error:
        movement_record(
            actor=district_cadre, member=people["g2a"], kind=MovementKind.DECEASED, date=ON, organization=tree["G2"]
        )

    assert str(error.value) == str(scoping.NOT_IN_SCOPE)
    assert not MovementEvent.objects.filter(kind=MovementKind.DECEASED).exists()


def test_organization_create_under_other_district_denied_for_district_cadre(tree, district_cadre):
    with pytest.raises(PermissionDenied) as error:
        organization_create(
            actor=district_cadre, code="C9", name="Chi bộ mới", kind=OrgKind.CELL, parent=tree["D2"], valid_from=ON
        )

    assert str(error.value) == str(scoping.NOT_IN_SCOPE)
    assert not Organization.objects.filter(code="C9").exists()


def test_organization_create_under_own_tccsd_allowed_for_its_cadre(tree, grassroots_cadre):
    org = organization_create(
        actor=grassroots_cadre, code="C9", name="Chi bộ mới", kind=OrgKind.CELL, parent=tree["G1"], valid_from=ON
    )

    assert Placement.objects.get(organization=org).parent == tree["G1"]


def test_organization_move_of_other_district_unit_denied_for_district_cadre(tree, district_cadre):
    with pytest.raises(PermissionDenied) as error:
        organization_move(actor=district_cadre, organization=tree["G2"], new_parent=tree["D1"], on=ON)

    assert str(error.value) == str(scoping.NOT_IN_SCOPE)
    assert Placement.objects.on(ON).get(organization=tree["G2"]).parent == tree["D2"]


def test_status_period_add_on_other_district_member_denied_for_district_cadre(tree, people, district_cadre):
    with pytest.raises(PermissionDenied) as error:
        status_period_add(actor=district_cadre, member=people["g2a"], kind=StatusKind.EXEMPT, start=ON)

    assert str(error.value) == str(scoping.NOT_IN_SCOPE)
    assert not StatusPeriod.objects.exists()


def test_organization_rename_after_the_reform_denied_for_former_district_cadre(tree, district_cadre):
    # G1 was under D1 until 30/06/2025; today it is under X1 and D1 no longer exists.
    with pytest.raises(PermissionDenied):
        organization_rename(actor=district_cadre, organization=tree["G1"], name="Đổi tên")

    tree["G1"].refresh_from_db()
    assert tree["G1"].name == "Đảng bộ phường Bắc"


# --- steering: reads everything, writes nothing ---------------------------------------------------------------


def test_member_list_steering_sees_every_district(tree, people, steering_user):
    stints = member_selectors.member_list(actor=steering_user, on=ON)

    assert _names(stints) == ["Lê Văn Hai", "Lê Văn Một", "Phạm Thị Ba", "Phạm Thị Bốn"]


def test_placement_get_any_district_for_steering(tree, steering_user):
    placement = selectors.placement_get(actor=steering_user, organization_id=tree["G2"].pk, on=ON)

    assert placement.parent == tree["D2"]


def test_organization_create_read_only_for_steering(tree, steering_user):
    with pytest.raises(PermissionDenied) as error:
        organization_create(
            actor=steering_user, code="C9", name="Chi bộ mới", kind=OrgKind.CELL, parent=tree["G1"], valid_from=ON
        )

    assert str(error.value) == str(scoping.READ_ONLY_ROLE)


def test_organization_move_read_only_for_steering(tree, steering_user):
    with pytest.raises(PermissionDenied) as error:
        organization_move(actor=steering_user, organization=tree["G2"], new_parent=tree["D1"], on=ON)

    assert str(error.value) == str(scoping.READ_ONLY_ROLE)


def test_movement_record_read_only_for_steering(tree, people, steering_user):
    with pytest.raises(PermissionDenied) as error:
        movement_record(
            actor=steering_user, member=people["g2a"], kind=MovementKind.DECEASED, date=ON, organization=tree["G2"]
        )

    assert str(error.value) == str(scoping.READ_ONLY_ROLE)


def test_status_period_add_read_only_for_steering(tree, people, steering_user):
    with pytest.raises(PermissionDenied) as error:
        status_period_add(actor=steering_user, member=people["g2a"], kind=StatusKind.EXEMPT, start=ON)

    assert str(error.value) == str(scoping.READ_ONLY_ROLE)


def test_member_update_read_only_for_steering(tree, people, steering_user):
    with pytest.raises(PermissionDenied) as error:
        member_update(actor=steering_user, member=people["c1"], full_name="Tên khác")

    assert str(error.value) == str(scoping.READ_ONLY_ROLE)


# --- superuser, and the district cadre after the reform -----------------------------------------------------


def test_member_list_superuser_sees_every_district(tree, people, root_user):
    stints = member_selectors.member_list(actor=root_user, on=ON)

    assert len(stints) == 4


def test_tree_roots_superuser_sees_the_province(tree, root_user):
    roots = selectors.tree_roots(actor=root_user, on=ON)

    assert _codes(roots) == ["P"]


def test_scope_of_district_cadre_empty_after_the_district_ended(tree, people, district_cadre):
    before = selectors.tree_roots(actor=district_cadre, on=date(2025, 6, 30))

    after_roots = selectors.tree_roots(actor=district_cadre, on=AFTER_REFORM)
    after_placements = scoping.visible_placements(district_cadre, AFTER_REFORM)
    after_members = member_selectors.member_list(actor=district_cadre, on=AFTER_REFORM)

    assert _codes(before) == ["D1"]
    assert scoping.scope_paths(district_cadre, AFTER_REFORM) == []
    assert _codes(after_roots) == []
    assert not after_placements.exists()
    assert not after_members.exists()
    with pytest.raises(Http404):
        member_selectors.member_get(actor=district_cadre, member_id=people["c1"].pk, on=AFTER_REFORM)
