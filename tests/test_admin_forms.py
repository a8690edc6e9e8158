"""The admin's add forms save through the services: the same rules, and audit rows marked "admin"."""

from datetime import date

import pytest
from django.urls import reverse

from members.models import CommitteeSeat, Discipline, Member, MovementEvent, StatusPeriod, TheoryQualification
from organizations.models import Organization
from tests.factories import make_member


@pytest.fixture
def admin_client(client, root_user):
    client.force_login(root_user)
    return client


def _add(client, model, data):
    response = client.post(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"), data)
    errors = response.context["adminform"].form.errors if response.context and "adminform" in response.context else ""
    assert response.status_code == 302, errors
    return model.objects.order_by("-pk").first()


def test_admin_adds_a_member_through_the_admission_service(admin_client, tree):
    member = _add(admin_client, Member, {
        "full_name": "Trịnh Văn Mới", "gender": "M", "date_of_birth": "02/03/1990", "ethnicity": "Kinh",
        "religion": "", "record_number": "123456TN", "card_number": "", "citizen_id": "",
        "admission_date": "15/05/2024", "organization": tree["C2"].pk,
    })  # fmt: skip

    assert member.name_folded == "trinh van moi"
    assert (member.card_number, member.citizen_id) == (None, None)  # empty, not "", so uniqueness holds
    assert list(member.events.values_list("kind", "organization__code")) == [("ADMITTED", "C2")]
    assert member.history.latest().history_door == "admin"


def test_admin_movement_status_theory_discipline_and_seat_go_through_the_services(admin_client, tree):
    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))

    _add(admin_client, MovementEvent, {
        "member": member.pk, "kind": "DECEASED", "date": "01/02/2024", "organization": tree["C1"].pk,
        "transfer_scope": "", "note": "",
    })  # fmt: skip
    _add(admin_client, StatusPeriod, {
        "member": member.pk, "kind": "EXEMPT", "start": "01/01/2023", "end": "", "host_organization": "",
        "reason": "Tuổi cao",
    })  # fmt: skip
    _add(admin_client, TheoryQualification, {"member": member.pk, "level": "2", "obtained_on": "01/06/2021"})
    _add(admin_client, Discipline, {"member": member.pk, "kind": "REPRIMAND", "decided_on": "01/06/2022", "reason": ""})
    _add(admin_client, CommitteeSeat, {
        "member": member.pk, "organization": tree["G1"].pk, "role": "MEMBER", "start": "01/08/2020", "end": "",
    })  # fmt: skip

    # The death re-derived the rolls: the stint ends on the day of death.
    assert list(member.memberships.values_list("end", flat=True)) == [date(2024, 2, 1)]
    assert StatusPeriod.objects.get(member=member).history.latest().history_door == "admin"
    assert TheoryQualification.objects.filter(member=member, level=2).exists()
    assert Discipline.objects.filter(member=member).count() == 1
    assert CommitteeSeat.objects.filter(member=member, organization=tree["G1"]).count() == 1


def test_admin_refuses_what_the_service_refuses_and_writes_nothing(admin_client, tree):
    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))

    response = admin_client.post(reverse("admin:members_movementevent_add"), {
        "member": member.pk, "kind": "ADMITTED", "date": "01/02/2024", "organization": tree["C2"].pk,
        "transfer_scope": "", "note": "",
    })  # fmt: skip

    assert response.status_code == 200
    assert "01/02/2024" in str(response.context["adminform"].form.non_field_errors())
    assert member.events.count() == 1


def test_admin_adds_an_organization_through_the_service(admin_client, tree):
    org = _add(admin_client, Organization, {
        "code": "C9", "name": "Chi bộ khu phố 9", "kind": "CELL", "org_type": "", "valid_from": "01/03/2024",
        "successor_of": "", "parent": tree["G1"].pk,
    })  # fmt: skip

    assert org.code == "C9"
    assert org.placements.get().path.endswith(f"/{tree['G1'].pk}/{org.pk}/")


def test_admin_refuses_a_death_dated_in_a_closed_year_until_it_is_reopened(admin_client, tree, root_user):
    from evaluations.models import RatingYear
    from evaluations.services import year_close, year_reopen

    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))
    data = {
        "member": member.pk, "kind": "DECEASED", "date": "05/11/2024", "organization": tree["C1"].pk,
        "transfer_scope": "", "note": "",
    }  # fmt: skip
    url = reverse("admin:members_movementevent_add")

    refused = admin_client.post(url, data)
    events_while_closed = MovementEvent.objects.filter(member=member).count()
    year_reopen(actor=root_user, year=RatingYear.objects.get(year=2024), reason="Báo tử muộn")
    accepted = admin_client.post(url, data)

    assert refused.status_code == 200
    assert "Năm đánh giá 2024 đã đóng" in refused.content.decode()
    assert events_while_closed == 1
    assert accepted.status_code == 302
    assert list(member.memberships.values_list("end", flat=True)) == [date(2024, 11, 5)]
