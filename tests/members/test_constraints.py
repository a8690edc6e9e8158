"""Rules on one row, held twice: by the services (with a clear message) and by the database itself."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from members.models import Member, Membership
from members.services import CARD_IN_USE, CARD_ONLY_OFFICIAL, CITIZEN_ID_IN_USE, member_update
from organizations.models import Organization, OrgKind, OrgLevel, OrgType, Placement
from organizations.services import DATES_ORDERED, TYPE_REQUIRED, organization_close, organization_create
from tests.factories import make_member

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="exclusion constraints exist only on PostgreSQL; SQLite has no EXCLUDE",
)


def _bare_member(**fields):
    """A member as a row, bypassing the services (and so their checks)."""
    values = {
        "full_name": "Trần Thị Bình",
        "gender": "F",
        "date_of_birth": date(1990, 1, 1),
        "record_number": "900001TN",
        "admission_date": date(2015, 3, 2),
        **fields,
    }
    return Member(**values)


def _insert(instance):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        instance.save()
    return str(error.value)


def test_member_admit_refuses_a_card_number_already_held(tree, root_user):
    make_member(tree["C1"], admission_date=date(2019, 3, 2), card_number="12345678")

    with pytest.raises(ValidationError) as error:
        make_member(tree["C2"], admission_date=date(2019, 4, 2), card_number="12345678")

    with translation.override("en"):
        assert error.value.message_dict == {"card_number": [str(CARD_IN_USE) % {"value": "12345678"}]}
        assert error.value.message_dict["card_number"][0].startswith("The party card number 12345678 is already")
    assert Member.objects.filter(card_number="12345678").count() == 1


def test_member_update_refuses_a_card_number_held_by_another_member(tree, root_user):
    make_member(tree["C1"], admission_date=date(2019, 3, 2), card_number="12345678")
    other = make_member(tree["C1"], admission_date=date(2019, 3, 2))

    with pytest.raises(ValidationError) as error:
        member_update(actor=root_user, member=other, card_number="12345678")

    with translation.override("en"):
        assert error.value.message_dict == {"card_number": [str(CARD_IN_USE) % {"value": "12345678"}]}


def test_member_card_number_unique_in_the_database(db):
    _bare_member(record_number="900001TN", card_number="12345678").save()

    message = _insert(_bare_member(record_number="900002TN", card_number="12345678"))

    assert "card_number" in message


def test_member_without_card_numbers_do_not_clash(db):
    _bare_member(record_number="900001TN", card_number=None, citizen_id=None).save()

    _bare_member(record_number="900002TN", card_number=None, citizen_id=None).save()

    assert Member.objects.filter(card_number__isnull=True, citizen_id__isnull=True).count() == 2


def test_member_admit_refuses_a_citizen_id_already_held(tree, root_user):
    make_member(tree["C1"], admission_date=date(2019, 3, 2), citizen_id="001085012345")

    with pytest.raises(ValidationError) as error:
        make_member(tree["G2"], admission_date=date(2019, 4, 2), citizen_id="001085012345")

    with translation.override("en"):
        assert error.value.message_dict == {"citizen_id": [str(CITIZEN_ID_IN_USE) % {"value": "001085012345"}]}


def test_member_citizen_id_unique_in_the_database(db):
    _bare_member(record_number="900001TN", citizen_id="001085012345").save()

    message = _insert(_bare_member(record_number="900002TN", citizen_id="001085012345"))

    assert "citizen_id" in message


@pytest.mark.parametrize(
    ("field", "value", "constraint", "message"),
    [
        ("card_number", "1234567", "member_card_format", "A party card number has exactly 8 digits."),
        ("card_number", "1234567A", "member_card_format", "A party card number has exactly 8 digits."),
        ("citizen_id", "00108501234A", "member_citizen_id_format", "A citizen ID has exactly 12 digits."),
        ("citizen_id", "00108501234", "member_citizen_id_format", "A citizen ID has exactly 12 digits."),
        (
            "record_number",
            "12345TN",
            "member_record_number_format",
            "A party record number is 6 digits followed by a 1–3 letter province code.",
        ),
        (
            "record_number",
            "123456tn",
            "member_record_number_format",
            "A party record number is 6 digits followed by a 1–3 letter province code.",
        ),
        (
            "record_number",
            "1234567",
            "member_record_number_format",
            "A party record number is 6 digits followed by a 1–3 letter province code.",
        ),
    ],
)
def test_member_number_format_refused_by_database_and_full_clean(db, field, value, constraint, message):
    member = _bare_member(**{field: value})

    raised = _insert(member)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        member.full_clean(validate_unique=False)

    assert constraint in raised
    with translation.override("en"):
        assert message in error.value.messages


def test_member_well_formed_numbers_pass_full_clean(db):
    member = _bare_member(record_number="123456TN", card_number="12345678", citizen_id="001085012345")

    member.full_clean()
    member.save()

    assert Member.objects.get(record_number="123456TN").card_number == "12345678"


def test_member_admit_refuses_a_card_number_for_a_probationary_member(tree, root_user):
    admitted = timezone.localdate() - timedelta(days=100)

    with pytest.raises(ValidationError) as error:
        make_member(tree["C1"], admission_date=admitted, card_number="12345678")

    with translation.override("en"):
        assert error.value.message_dict == {"card_number": [str(CARD_ONLY_OFFICIAL)]}
    assert not Member.objects.exists()


def test_member_update_refuses_a_card_number_for_a_probationary_member(tree, root_user):
    member = make_member(tree["C1"], admission_date=timezone.localdate() - timedelta(days=100))

    with pytest.raises(ValidationError) as error:
        member_update(actor=root_user, member=member, card_number="12345678")

    with translation.override("en"):
        assert error.value.message_dict == {"card_number": [str(CARD_ONLY_OFFICIAL)]}
    member.refresh_from_db()
    assert member.card_number is None


def test_member_admitted_before_birth_refused_by_database(db):
    message = _insert(_bare_member(date_of_birth=date(2000, 1, 1), admission_date=date(1999, 12, 31)))

    assert "member_admitted_after_birth" in message


def _bare_org(**fields):
    values = {
        "code": "Z9",
        "name": "Tổ chức Z9",
        "kind": OrgKind.CELL,
        "level": OrgLevel.BELOW_GRASSROOTS,
        "org_type": "",
        "valid_from": date(2020, 1, 1),
        **fields,
    }
    return Organization(**values)


def test_organization_dates_out_of_order_refused_by_database(db):
    message = _insert(_bare_org(valid_from=date(2020, 1, 1), valid_to=date(2019, 12, 31)))

    assert "org_dates_ordered" in message


def test_organization_one_day_long_accepted_by_database(db):
    _bare_org(valid_from=date(2020, 1, 1), valid_to=date(2020, 1, 1)).save()

    assert Organization.objects.filter(code="Z9").count() == 1


def test_organization_close_before_its_start_is_refused(tree, root_user):
    with pytest.raises(ValidationError) as error:
        organization_close(actor=root_user, organization=tree["C2"], last_day=date(2018, 12, 31))

    with translation.override("en"):
        assert error.value.message_dict == {"valid_to": [str(DATES_ORDERED)]}


def test_grassroots_organization_without_type_refused_by_database(db):
    message = _insert(_bare_org(kind=OrgKind.GRASSROOTS_CELL, level=OrgLevel.GRASSROOTS, org_type=""))

    assert "org_type_iff_grassroots" in message


def test_cell_with_a_type_refused_by_database(db):
    message = _insert(_bare_org(kind=OrgKind.CELL, level=OrgLevel.BELOW_GRASSROOTS, org_type=OrgType.WARD))

    assert "org_type_iff_grassroots" in message


def test_organization_create_refuses_a_grassroots_organization_without_type(tree, root_user):
    with pytest.raises(ValidationError) as error:
        organization_create(
            actor=root_user,
            code="G9",
            name="Chi bộ không loại hình",
            kind=OrgKind.GRASSROOTS_CELL,
            parent=tree["D1"],
            valid_from=date(2020, 1, 1),
        )

    with translation.override("en"):
        assert error.value.message_dict == {"org_type": [str(TYPE_REQUIRED)]}
    assert not Organization.objects.filter(code="G9").exists()


def test_placement_under_itself_refused_by_database(db):
    org = _bare_org()
    org.save()

    message = _insert(Placement(organization=org, parent=org, valid_from=date(2020, 1, 1), path=f"/{org.pk}/", depth=0))

    assert "placement_not_own_parent" in message


@only_on_postgresql
def test_organization_code_periods_overlapping_refused_by_database(tree):
    # G2 is in force from 01/01/2019 with no end: an earlier G2 reaching into 2019 overlaps it.
    earlier = _bare_org(code="G2", valid_from=date(2018, 1, 1), valid_to=date(2019, 6, 30))

    message = _insert(earlier)

    assert "org_code_no_overlap" in message


@only_on_postgresql
def test_organization_code_periods_back_to_back_accepted_by_database(tree):
    _bare_org(code="G2", valid_from=date(2017, 1, 1), valid_to=date(2018, 12, 31)).save()

    assert Organization.objects.filter(code="G2").count() == 2


@only_on_postgresql
def test_placements_overlapping_refused_by_database(tree):
    # G2 sits under D2 from 01/01/2019 to 30/06/2025; a second placement in 2020 overlaps it.
    g2, p = tree["G2"], tree["P"]
    second = Placement(
        organization=g2, parent=p, valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31), path="/x/", depth=1
    )

    message = _insert(second)

    assert "placement_no_overlap" in message


@only_on_postgresql
def test_memberships_overlapping_refused_by_database(tree, root_user):
    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))
    second = Membership(member=member, organization=tree["G2"], start=date(2020, 1, 1), end=None)

    message = _insert(second)

    assert "membership_no_overlap" in message


@only_on_postgresql
def test_memberships_back_to_back_accepted_by_database(tree, root_user):
    # Stints are half-open [start, end): leaving C1 on a day and joining G2 the same day do not overlap.
    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))
    Membership.objects.filter(member=member).update(end=date(2020, 1, 1))

    Membership(member=member, organization=tree["G2"], start=date(2020, 1, 1), end=None).save()

    assert Membership.objects.filter(member=member).count() == 2
