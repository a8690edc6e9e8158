from datetime import date

import pytest
from django.core.exceptions import ValidationError

from organizations import selectors
from organizations.models import OrgKind
from organizations.services import organization_create, organization_move


def _codes(placements):
    return sorted(p.organization.code for p in placements)


def test_tree_children_before_and_after_reform(tree, root_user):
    before = selectors.tree_children(actor=root_user, parent_id=tree["P"].pk, on=date(2024, 12, 31))
    after = selectors.tree_children(actor=root_user, parent_id=tree["P"].pk, on=date(2025, 12, 31))

    assert _codes(before) == ["D1", "D2"]
    assert _codes(after) == ["X1"]


def test_grassroots_under_district_in_2024_and_ward_in_2025(tree, root_user):
    d1_2024 = selectors.grassroots_under(actor=root_user, organization_id=tree["D1"].pk, on=date(2024, 12, 31))
    x1_2025 = selectors.grassroots_under(actor=root_user, organization_id=tree["X1"].pk, on=date(2025, 12, 31))

    assert _codes(d1_2024) == ["G1"]
    assert _codes(x1_2025) == ["G1", "G2"]


def test_subtree_moves_with_its_cells_and_keeps_the_past(tree, root_user):
    cell_2024 = selectors.placement_get(actor=root_user, organization_id=tree["C1"].pk, on=date(2024, 6, 1))
    cell_2025 = selectors.placement_get(actor=root_user, organization_id=tree["C1"].pk, on=date(2025, 8, 1))

    assert [o.code for o in selectors.ancestors(placement=cell_2024)] == ["P", "D1", "G1"]
    assert [o.code for o in selectors.ancestors(placement=cell_2025)] == ["P", "X1", "G1"]


def test_move_under_own_descendant_is_refused(tree, root_user):
    with pytest.raises(ValidationError) as error:
        organization_move(actor=root_user, organization=tree["G1"], new_parent=tree["C1"], on=date(2025, 9, 1))

    assert "chính nó" in str(error.value) or "itself" in str(error.value)


def test_code_in_force_twice_is_refused(tree, root_user):
    with pytest.raises(ValidationError) as error:
        organization_create(
            actor=root_user,
            code="G2",
            name="Trùng mã",
            kind=OrgKind.CELL,
            parent=tree["G1"],
            valid_from=date(2025, 9, 1),
        )

    assert "G2" in str(error.value)
