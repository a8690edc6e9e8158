"""Reorganizations as one operation, on the `tree` fixture (tests/conftest.py): since 01/07/2025 G1 (cells C1, C2)
and G2 sit under the ward committee X1. Operations are dated 01/03/2026, so the units that end have their last day
on 28/02/2026."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.models import RatingYear, YearState
from members.models import Membership, MovementEvent, MovementKind, SeatRole
from members.services import committee_seat_add
from organizations import reorganizations as R
from organizations.models import Organization, OrgKind, OrgType, Placement, Reorganization, RoleKind, SuccessorLink
from organizations.services import organization_create
from tests.factories import UserFactory, give_role, make_member, make_org

DAY = date(2026, 3, 1)
LAST_DAY = date(2026, 2, 28)
DECISION = {"decision_number": "125-QĐ/TU", "decision_date": date(2026, 2, 20)}


def _parent_code(org, on):
    return Placement.objects.on(on).select_related("parent").get(organization=org).parent.code


def _rolls(member, on):
    stint = Membership.objects.filter(member=member, start__lte=on).exclude(end__lte=on).get()
    return stint.organization.code


def _member(organization, **identity):
    return make_member(organization, admission_date=date(2020, 1, 6), **identity)


def _new_g3():
    return R.NewUnit(code="G3", name="Đảng bộ phường Bắc Tây", kind=OrgKind.GRASSROOTS_COMMITTEE, org_type=OrgType.WARD)


def _messages(error, field):
    return [str(message) for message in error.value.message_dict[field]]


def test_merge_of_two_tccsd_into_a_new_one(tree, board_user):
    e = _member(tree["G2"], full_name="Đỗ Văn Em")
    f = _member(tree["G2"], full_name="Vũ Thị Phương")
    a = _member(tree["C1"], full_name="Lê Văn An")
    arguments = {"predecessors": [tree["G1"], tree["G2"]], "successor": _new_g3(), "effective_on": DAY, **DECISION}

    preview = R.reorganization_preview(actor=board_user, kind="MERGE", **arguments).summary()
    operation = R.reorganization_apply(actor=board_user, kind="MERGE", **{**arguments, "successor": _new_g3()})

    assert preview["ends"] == ["G1 – Đảng bộ phường Bắc", "G2 – Chi bộ Sở Tư pháp"]
    assert preview["begins"] == [{"unit": "G3 – Đảng bộ phường Bắc Tây", "parent": "X1 – Đảng bộ phường Trung Tâm"}]
    assert sorted(move["unit"] for move in preview["units_moved"]) == ["C1 – Chi bộ khu phố 1", "C2 – Chi bộ khu phố 2"]
    assert preview["members_moved"] == [
        {"from": "G2 – Chi bộ Sở Tư pháp", "to": "G3 – Đảng bộ phường Bắc Tây", "count": 2}
    ]
    g3 = Organization.objects.get(code="G3")
    assert (g3.valid_from, _parent_code(g3, DAY)) == (DAY, "X1")
    assert Organization.objects.get(pk=tree["G1"].pk).valid_to == LAST_DAY
    assert Organization.objects.get(pk=tree["G2"].pk).valid_to == LAST_DAY
    assert (_parent_code(tree["C1"], LAST_DAY), _parent_code(tree["C1"], DAY)) == ("G1", "G3")
    assert (_rolls(e, LAST_DAY), _rolls(e, DAY), _rolls(f, DAY)) == ("G2", "G3", "G3")
    assert _rolls(a, DAY) == "C1"  # members of a cell move with their cell
    kinds = list(MovementEvent.objects.filter(member=e, date=DAY).order_by("pk").values_list("kind", flat=True))
    assert kinds == [MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN]
    links = sorted(
        SuccessorLink.objects.filter(reorganization=operation).values_list(
            "predecessor__code", "successor__code", "members_moved"
        )
    )
    assert links == [("G1", "G3", 0), ("G2", "G3", 2)]
    assert (operation.kind, operation.decision_number, operation.members_moved, operation.actor) == (
        "MERGE",
        "125-QĐ/TU",
        2,
        board_user,
    )


def test_merge_into_an_existing_organization_ends_the_seats_of_the_merged_one(tree, board_user, root_user):
    a = _member(tree["G2"])
    committee_seat_add(
        actor=root_user, member=a, organization=tree["G2"], role=SeatRole.SECRETARY, start=date(2020, 1, 1)
    )

    R.reorganization_apply(
        actor=board_user, kind="MERGE", predecessors=[tree["G2"]], successor=tree["G1"], effective_on=DAY
    )

    assert _rolls(a, DAY) == "G1"
    assert a.committee_seats.get().end == LAST_DAY
    assert Organization.objects.get(pk=tree["G1"].pk).valid_to is None


def test_split_distributes_cells_and_members_by_the_mapping(tree, board_user):
    own = _member(tree["G1"], full_name="Ngô Văn Riêng", record_number="900001TN")
    stays = _member(tree["G1"], full_name="Ngô Văn Ở", record_number="900002TN")
    successors = [
        R.NewUnit(code="G1A", name="Đảng bộ phường Bắc A", kind=OrgKind.GRASSROOTS_COMMITTEE, org_type=OrgType.WARD),
        R.NewUnit(code="G1B", name="Chi bộ phường Bắc B", kind=OrgKind.GRASSROOTS_CELL, org_type=OrgType.WARD),
    ]

    operation = R.reorganization_apply(
        actor=board_user,
        kind="SPLIT",
        predecessor=tree["G1"],
        successors=successors,
        mapping={"C2": "G1B", "900001TN": "G1B"},
        effective_on=DAY,
    )

    assert (_parent_code(tree["C1"], DAY), _parent_code(tree["C2"], DAY)) == ("G1A", "G1B")
    assert (_rolls(own, DAY), _rolls(stays, DAY)) == ("G1B", "G1A")
    links = sorted(operation.links.values_list("predecessor__code", "successor__code", "members_moved"))
    assert links == [("G1", "G1A", 1), ("G1", "G1B", 1)]
    assert Organization.objects.get(pk=tree["G1"].pk).valid_to == LAST_DAY


def test_split_refuses_a_mapping_naming_nothing_of_the_predecessor(tree, board_user):
    successors = [R.NewUnit(code=f"S{i}", name=f"Chi bộ {i}", kind=OrgKind.CELL) for i in (1, 2)]

    with pytest.raises(ValidationError) as error:
        R.reorganization_preview(
            actor=board_user,
            kind="SPLIT",
            predecessor=tree["G1"],
            successors=successors,
            mapping={"C9": "S1"},
            effective_on=DAY,
        )

    assert _messages(error, "mapping") == [
        "C9 không phải là đơn vị trực thuộc hay đảng viên trong danh sách của G1 vào ngày 01/03/2026."
    ]
    assert not Organization.objects.filter(code__in=["S1", "S2"]).exists()


def test_move_re_attaches_a_subtree_and_is_recorded(tree, board_user):
    operation = R.reorganization_apply(
        actor=board_user, kind="MOVE", organization=tree["C2"], new_parent=tree["G2"], effective_on=DAY
    )

    assert (_parent_code(tree["C2"], LAST_DAY), _parent_code(tree["C2"], DAY)) == ("G1", "G2")
    assert (operation.organization, operation.new_parent) == (tree["C2"], tree["G2"])


def test_rename_keeps_the_old_name_on_the_record(tree, board_user):
    operation = R.reorganization_apply(
        actor=board_user, kind="RENAME", organization=tree["G2"], new_name="Chi bộ Sở Tư pháp tỉnh", effective_on=DAY
    )

    assert (operation.old_name, operation.new_name) == ("Chi bộ Sở Tư pháp", "Chi bộ Sở Tư pháp tỉnh")
    assert Organization.objects.get(pk=tree["G2"].pk).name == "Chi bộ Sở Tư pháp tỉnh"


def test_dissolve_refuses_while_members_remain_then_closes_the_subtree(tree, board_user):
    a = _member(tree["C1"])
    _member(tree["G1"])

    with pytest.raises(ValidationError) as error:
        R.reorganization_apply(actor=board_user, kind="DISSOLVE", organization=tree["G1"], effective_on=DAY)
    R.reorganization_apply(
        actor=board_user, kind="MERGE", predecessors=[tree["G1"]], successor=tree["G2"], effective_on=date(2026, 2, 1)
    )
    R.reorganization_apply(
        actor=board_user, kind="MOVE", organization=tree["C1"], new_parent=tree["X1"], effective_on=DAY
    )
    R.reorganization_apply(actor=board_user, kind="DISSOLVE", organization=tree["C2"], effective_on=DAY)

    assert _messages(error, "organization") == [
        "2 đảng viên đang trong danh sách của G1 hoặc các đơn vị trực thuộc vào ngày 01/03/2026: hãy chuyển họ đi "
        "trước, hoặc sáp nhập tổ chức thay vì giải thể."
    ]
    assert Organization.objects.get(pk=tree["C2"].pk).valid_to == LAST_DAY
    assert _rolls(a, DAY) == "C1"
    assert Reorganization.objects.count() == 3


def test_reorganization_refuses_a_closed_year(tree, board_user):
    RatingYear.objects.filter(year=2025).update(state=YearState.CLOSED)

    with pytest.raises(ValidationError) as error:
        R.reorganization_preview(
            actor=board_user,
            kind="MERGE",
            predecessors=[tree["G2"]],
            successor=tree["G1"],
            effective_on=date(2025, 9, 1),
        )

    assert "effective_on" in error.value.message_dict
    assert "2025" in _messages(error, "effective_on")[0]


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({"predecessors": [], "successor": "G1"}, "predecessors", "Hãy chọn ít nhất một tổ chức để sáp nhập."),
        (
            {"predecessors": ["G1", "G2"], "successor": "G1"},
            "successor",
            "Tổ chức G1 không thể vừa bị sáp nhập vừa là tổ chức tiếp tục.",
        ),
        (
            {"predecessors": ["G1"], "successor": "C1"},
            "successor",
            "Tổ chức C1 nằm trong một tổ chức chấm dứt hoạt động; hãy chọn tổ chức ở ngoài.",
        ),
        ({"predecessors": ["D1"], "successor": "G1"}, "predecessors", "Tổ chức D1 không tồn tại vào ngày 01/03/2026."),
        (
            {"predecessors": ["G2"], "successor": "G1", "effective_on": date(2099, 1, 1)},
            "effective_on",
            "Ngày có hiệu lực không được ở tương lai: hãy ghi nhận việc sắp xếp vào ngày nó có hiệu lực.",
        ),
    ],
)
def test_merge_refusals_name_the_field(tree, board_user, arguments, field, message):
    arguments = {
        "effective_on": DAY,
        **arguments,
        "predecessors": [tree[code] for code in arguments["predecessors"]],
        "successor": tree[arguments["successor"]],
    }

    with pytest.raises(ValidationError) as error:
        R.reorganization_preview(actor=board_user, kind="MERGE", **arguments)

    assert _messages(error, field) == [message]


def test_merge_refuses_a_new_code_in_use(tree, board_user):
    taken = R.NewUnit(code="G1", name="Trùng mã", kind=OrgKind.CELL)

    with pytest.raises(ValidationError) as error:
        R.reorganization_preview(
            actor=board_user, kind="MERGE", predecessors=[tree["G2"]], successor=taken, effective_on=DAY
        )

    assert list(error.value.message_dict) == ["code"]


def test_ward_cadre_merges_inside_own_subtree_but_not_its_own_committee(tree, ward_cadre):
    R.reorganization_apply(
        actor=ward_cadre, kind="MERGE", predecessors=[tree["G2"]], successor=tree["G1"], effective_on=DAY
    )

    with pytest.raises(PermissionDenied):
        R.reorganization_preview(
            actor=ward_cadre, kind="RENAME", organization=tree["X1"], new_name="Phường Mới", effective_on=DAY
        )
    assert Organization.objects.get(pk=tree["G2"].pk).valid_to == LAST_DAY


@pytest.mark.parametrize("who", ["grassroots", "ended_district", "other_ward"])
def test_reorganization_refused_outside_the_actor_reach(tree, grassroots_cadre, district_cadre, who):
    other = UserFactory(username="other_ward")
    y1 = make_org("Y1", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=date(2025, 7, 1))
    give_role(other, y1, RoleKind.DISTRICT_CADRE)
    actor = {"grassroots": grassroots_cadre, "ended_district": district_cadre, "other_ward": other}[who]

    with pytest.raises(PermissionDenied):
        R.reorganization_preview(
            actor=actor, kind="MERGE", predecessors=[tree["G2"]], successor=tree["G1"], effective_on=DAY
        )


def test_create_with_a_predecessor_records_a_successor_link(tree, root_user):
    g4 = make_org("G4", OrgKind.GRASSROOTS_CELL, parent=tree["X1"], valid_from=DAY)
    g5 = organization_create(
        actor=root_user,
        code="G5",
        name="Chi bộ kế tục",
        kind=OrgKind.GRASSROOTS_CELL,
        org_type=OrgType.WARD,
        valid_from=DAY,
        parent=tree["X1"],
        successor_of=g4,
    )

    link = SuccessorLink.objects.get()
    assert (link.predecessor, link.successor, link.reorganization.effective_on) == (g4, g5, DAY)


def test_existing_successor_of_becomes_a_recorded_link(tree):
    migration = importlib.import_module("organizations.migrations.0006_successor_links_from_successor_of")
    Organization.objects.filter(pk=tree["X1"].pk).update(successor_of=tree["D1"])

    migration.forwards(apps, None)

    link = SuccessorLink.objects.select_related("reorganization").get()
    assert (link.predecessor_id, link.successor_id) == (tree["D1"].pk, tree["X1"].pk)
    assert (link.reorganization.kind, link.reorganization.effective_on) == ("MERGE", date(2025, 7, 1))
