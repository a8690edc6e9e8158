"""The audit trail: every change through a service leaves a history row saying who, through which door, and what."""

from datetime import date

from django.db import connection
from django.urls import reverse

from members.models import Member, MovementEvent, MovementKind
from members.services import member_update, movement_record
from organizations.models import Organization, OrgKind, Placement, RoleKind
from organizations.services import organization_create, organization_move
from party_portal.doors import door
from tests.factories import UserFactory, give_role, make_member


def test_member_admit_records_actor_and_door(tree, board_user):
    with door("web"):
        member = make_member(tree["C1"], admission_date=date(2020, 2, 3), actor=board_user)

    record = member.history.get()
    assert record.history_type == "+"
    assert record.history_user == board_user
    assert record.history_door == "web"
    event = MovementEvent.objects.get(member=member).history.get()
    assert (event.history_user, event.history_door) == (board_user, "web")


def test_member_update_records_actor_door_and_changed_fields(tree, board_user):
    member = make_member(tree["C1"], admission_date=date(2020, 2, 3), full_name="Nguyễn Văn An", actor=board_user)

    with door("web"):
        member_update(actor=board_user, member=member, full_name="Nguyễn Văn Ân", citizen_id="001085012345")

    latest, first = member.history.order_by("-history_id")
    assert first.history_door == "other"
    assert latest.history_type == "~"
    assert (latest.history_user, latest.history_door) == (board_user, "web")
    # diff_against compares editable fields only; name_folded ("nguyen van an") is the same for both names.
    assert set(latest.diff_against(first).changed_fields) == {"full_name", "citizen_id"}
    assert (latest.full_name, first.full_name) == ("Nguyễn Văn Ân", "Nguyễn Văn An")


def test_member_changes_by_two_people_are_told_apart(tree, board_user):
    # Identity changes are scoped on today's tree: C1 is now under the ward committee X1.
    ward_cadre = UserFactory(username="cadre_x1")
    give_role(ward_cadre, tree["X1"], RoleKind.DISTRICT_CADRE)
    member = make_member(tree["C1"], admission_date=date(2020, 2, 3), actor=board_user)

    with door("command"):
        member_update(actor=ward_cadre, member=member, religion="Phật giáo")

    users = list(member.history.order_by("history_id").values_list("history_user__username", "history_door"))
    assert users == [("board", "other"), ("cadre_x1", "command")]


def test_movement_record_records_actor_on_the_event_and_the_admission_date(tree, board_user, grassroots_cadre):
    member = make_member(tree["C1"], admission_date=date(2020, 2, 3), actor=board_user)
    movement_record(
        actor=board_user, member=member, kind=MovementKind.EXPELLED, date=date(2021, 5, 6), organization=tree["C1"]
    )

    with door("task"):
        movement_record(
            actor=grassroots_cadre,
            member=member,
            kind=MovementKind.READMITTED,
            date=date(2023, 7, 8),
            organization=tree["C2"],
        )

    readmission = MovementEvent.objects.get(member=member, kind=MovementKind.READMITTED).history.get()
    assert (readmission.history_user, readmission.history_door) == (grassroots_cadre, "task")
    latest, previous = Member.objects.get(pk=member.pk).history.order_by("-history_id")[:2]
    assert (latest.history_user, latest.history_door) == (grassroots_cadre, "task")
    assert latest.diff_against(previous).changed_fields == ["admission_date"]


def test_organization_create_records_actor_and_door_on_organization_and_placement(tree, board_user):
    with door("import"):
        org = organization_create(
            actor=board_user,
            code="C9",
            name="Chi bộ mới",
            kind=OrgKind.CELL,
            parent=tree["G1"],
            valid_from=date(2024, 1, 1),
        )

    org_record = Organization.history.get(id=org.pk)
    placement_record = Placement.history.get(organization_id=org.pk)
    assert (org_record.history_user, org_record.history_door) == (board_user, "import")
    assert (placement_record.history_user, placement_record.history_door) == (board_user, "import")


def test_organization_move_records_actor_on_ended_and_new_placements(tree, board_user):
    with door("web"):
        organization_move(actor=board_user, organization=tree["C2"], new_parent=tree["G2"], on=date(2024, 3, 1))

    rows = Placement.history.filter(organization_id=tree["C2"].pk, history_user=board_user, history_door="web")
    assert sorted((r.history_type, r.valid_from, r.valid_to) for r in rows) == [
        ("+", date(2024, 3, 1), date(2025, 6, 30)),
        ("~", date(2019, 1, 1), date(2024, 2, 29)),
    ]


def test_admin_member_change_records_admin_door_user_and_fields(client, tree, root_user):
    member = make_member(tree["C1"], admission_date=date(2020, 2, 3), full_name="Nguyễn Văn An")
    client.force_login(root_user)
    data = {
        "full_name": "Nguyễn Văn Bình",
        "gender": member.gender,
        "date_of_birth": member.date_of_birth.isoformat(),
        "ethnicity": member.ethnicity,
        "religion": member.religion,
        "record_number": member.record_number,
        "card_number": "",
        "citizen_id": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(member.memberships.get().pk),
        "memberships-0-member": str(member.pk),
    }

    response = client.post(reverse("admin:members_member_change", args=[member.pk]), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    latest, first = member.history.order_by("-history_id")
    assert (latest.history_user, latest.history_door) == (root_user, "admin")
    assert latest.diff_against(first).changed_fields == ["full_name"]
    assert latest.name_folded == "nguyen van binh"


def test_the_members_audit_rows_are_indexed_only_for_how_they_are_read(db):
    """The audit trail reads a member's rows by member (id), in time order; a user's deletion clears who wrote
    them (history_user). The member's own indexes (name, record number, the six codes) are not copied onto its
    audit table, where every import would keep them up and no query read them."""
    table = Member.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["primary_key"]}

    assert indexed == {("history_id",), ("id",), ("history_date",), ("history_user_id",)}
