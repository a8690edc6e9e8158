"""New members written from plain tuples: with COPY on PostgreSQL, with bulk_create elsewhere (SQLite under
`make run`). The same file gives the same rows and audit rows either way, counted here by hand."""

from datetime import date

import pytest
from django.db import connection, transaction

from evaluations.models import ImportState
from members.imports import member_writes
from members.models import Member, Membership, MovementEvent, TheoryQualification

from .conftest import confirm, upload, workbook

ROWS = [
    {
        "record_number": "400001TN",
        "full_name": "Nguyễn Văn An",
        "gender": "Nam",
        "date_of_birth": "12/04/1990",
        "ethnicity": "Tày",
        "religion": "Phật giáo",
        "card_number": "52000011",
        "citizen_id": "001090000011",
        "organization_code": "C1",
        "admission_date": "19/05/2019",
        "admission_kind": "Kết nạp",
        "theory_level": "Trung cấp",
        "theory_obtained_on": "30/06/2021",
        "ethnicity_code": "02",
        "qualification": "DAI_HOC",
        "youth_union_at_admission": "Có",
    },
    {
        # A backslash is a character COPY's text format escapes; an empty religion stays empty, not NULL.
        "record_number": "400002TN",
        "full_name": "Trần Thị B\\Bình",
        "gender": "Nữ",
        "date_of_birth": "02/03/1995",
        "organization_code": "C2",
        "admission_date": "02/03/2024",
        "admission_kind": "Kết nạp",
        "youth_union_at_admission": "Không",
    },
    {
        "record_number": "400003TN",
        "full_name": "Lê Văn Cường",
        "gender": "Nam",
        "date_of_birth": "01/01/1980",
        "organization_code": "C1",
        "admission_date": "01/09/2020",
        "admission_kind": "Kết nạp lại",
        "theory_level": "Cao cấp",
        "theory_obtained_on": "15/01/2022",
    },
]


def _import(client, user):
    client.force_login(user)
    job = confirm(client, upload(client, "dang-vien", workbook("dang-vien", ROWS)))
    assert job.state == ImportState.DONE, job.report
    return job


def _written():
    """Every row the import wrote and its audit rows, members named by record number, organizations by code."""
    members = sorted(
        Member.objects.values_list(
            "record_number",
            "full_name",
            "name_folded",
            "gender",
            "date_of_birth",
            "ethnicity",
            "religion",
            "card_number",
            "citizen_id",
            "admission_date",
            "ethnicity_code__code",
            "religion_code__code",
            "qualification__code",
            "youth_union_at_admission",
        )
    )
    events = sorted(
        MovementEvent.objects.values_list(
            "member__record_number", "kind", "date", "organization__code", "transfer_scope", "note"
        )
    )
    stints = sorted(Membership.objects.values_list("member__record_number", "organization__code", "start", "end"))
    theory = sorted(TheoryQualification.objects.values_list("member__record_number", "level", "obtained_on"))
    audit = sorted(
        (model.__name__, history_type, door, user)
        for model in (Member, MovementEvent, TheoryQualification)
        for history_type, door, user in model.history.values_list(
            "history_type", "history_door", "history_user__username"
        )
    )
    return members, events, stints, theory, audit


def test_new_members_rows_and_audit_rows_as_counted_by_hand(client, tree, root_user):
    job = _import(client, root_user)

    members, events, stints, theory, audit = _written()
    assert members == [
        (
            "400001TN",
            "Nguyễn Văn An",
            "nguyen van an",
            "M",
            date(1990, 4, 12),
            "Tày",
            "Phật giáo",
            "52000011",
            "001090000011",
            date(2019, 5, 19),
            "02",
            None,
            "DAI_HOC",
            True,
        ),
        (
            "400002TN",
            "Trần Thị B\\Bình",
            "tran thi b\\binh",
            "F",
            date(1995, 3, 2),
            "Kinh",
            "",
            None,
            None,
            date(2024, 3, 2),
            None,
            None,
            None,
            False,
        ),
        (
            "400003TN",
            "Lê Văn Cường",
            "le van cuong",
            "M",
            date(1980, 1, 1),
            "Kinh",
            "",
            None,
            None,
            date(2020, 9, 1),
            None,
            None,
            None,
            None,
        ),
    ]
    assert events == [
        ("400001TN", "ADMITTED", date(2019, 5, 19), "C1", "", ""),
        ("400002TN", "ADMITTED", date(2024, 3, 2), "C2", "", ""),
        ("400003TN", "READMITTED", date(2020, 9, 1), "C1", "", ""),
    ]
    assert stints == [
        ("400001TN", "C1", date(2019, 5, 19), None),
        ("400002TN", "C2", date(2024, 3, 2), None),
        ("400003TN", "C1", date(2020, 9, 1), None),
    ]
    assert theory == [("400001TN", 2, date(2021, 6, 30)), ("400003TN", 3, date(2022, 1, 15))]
    # One "+" audit row per member, event and theory level (3 + 3 + 2), by the uploader through the import door;
    # a stint is derived from the events and has no audit table.
    assert (
        audit
        == [("Member", "+", "import", "root")] * 3
        + [("MovementEvent", "+", "import", "root")] * 3
        + [("TheoryQualification", "+", "import", "root")] * 2
    )
    assert job.report["written"] == {"members": 3, "movements": 3, "memberships": 3, "theory_levels": 2}


def test_new_members_audit_rows_hold_the_values_written(client, tree, root_user):
    _import(client, root_user)

    binh = Member.objects.get(record_number="400002TN")
    history = binh.history.get()
    assert (history.id, history.full_name, history.name_folded, history.ethnicity, history.religion) == (
        binh.pk,
        "Trần Thị B\\Bình",
        "tran thi b\\binh",
        "Kinh",
        "",
    )
    event = MovementEvent.objects.get(member=binh)
    event_history = event.history.get()
    assert (event_history.id, event_history.member_id, event_history.organization_id) == (
        event.pk,
        binh.pk,
        tree["C2"].pk,
    )
    # The three members' audit rows carry one time: the moment of the import.
    assert Member.history.values("history_date").distinct().count() == 1


def _not_taken(*args):
    raise AssertionError("this path is not the one expected")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's; elsewhere bulk_create writes")
def test_copy_writes_what_bulk_create_writes(client, tree, root_user, monkeypatch):
    with transaction.atomic():
        monkeypatch.setattr("members.imports.members.write_new", _not_taken)
        _import(client, root_user)
        by_copy = _written()
        transaction.set_rollback(True)
    monkeypatch.undo()
    assert Member.objects.count() == 0

    monkeypatch.setattr("members.imports.members.copy_supported", lambda: False)
    monkeypatch.setattr("members.imports.members.copy_new", _not_taken)
    _import(client, root_user)

    assert _written() == by_copy


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Member, member_writes.MEMBER_FIELDS),
        (MovementEvent, member_writes.EVENT_FIELDS),
        (TheoryQualification, member_writes.THEORY_FIELDS),
    ],
)
def test_copy_names_every_column_of_the_audited_tables(model, fields):
    # An audit table has no database defaults: a column left out of COPY would fail or hold NULL.
    assert sorted(model._meta.get_field(name).column for name in fields) == sorted(
        field.column for field in model._meta.concrete_fields
    )


def test_copy_names_every_column_of_the_stints_but_their_id():
    assert sorted(member_writes.STINT_FIELDS) == ["end", "member_id", "organization_id", "start"]
    assert sorted(field.attname for field in Membership._meta.concrete_fields) == [
        "end",
        "id",
        "member_id",
        "organization_id",
        "start",
    ]
