"""Member data entry through the web: each form calls one service and shows its messages by the fields."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from members import record_services, services
from members.models import (
    Code,
    CodeList,
    CommitteeSeat,
    Discipline,
    Member,
    Membership,
    MovementEvent,
    MovementKind,
    StatusKind,
    StatusPeriod,
    TheoryQualification,
)
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role, make_member

ADMITTED = date(2020, 3, 2)


@pytest.fixture
def cadre(tree):
    """A grassroots cadre of G1 (writable today: G1 still exists, under X1 since the reform)."""
    user = UserFactory(username="cadre_g1")
    give_role(user, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    return user


@pytest.fixture
def binh(tree):
    return make_member(tree["C1"], admission_date=ADMITTED, full_name="Nguyễn Văn Bình", record_number="123456TN")


def _identity(**overrides):
    data = {
        "full_name": "Trần Thị Mai",
        "gender": "F",
        "date_of_birth": "17/05/1990",
        "ethnicity": "Kinh",
        "religion": "",
        "record_number": "654321TN",
        "card_number": "",
        "citizen_id": "",
    }
    data.update(overrides)
    return data


def test_create_admits_into_an_organization_of_the_users_scope(client, tree, cadre):
    client.force_login(cadre)
    url = reverse("members:create", args=[tree["G1"].pk])

    page = client.get(url)
    response = client.post(url, {**_identity(), "organization": "C2", "admission_date": "02/03/2024"})

    member = Member.objects.get(record_number="654321TN")
    assert page.context["form"]["organization"].value() == "G1"
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.date_of_birth == date(1990, 5, 17)
    assert member.admission_date == date(2024, 3, 2)
    assert member.card_number is None
    assert MovementEvent.objects.get(member=member).kind == MovementKind.ADMITTED
    assert Membership.objects.get(member=member).organization == tree["C2"]
    assert member.history.get().history_user == cadre
    assert "Đã kết nạp Trần Thị Mai" in client.get(response["Location"]).content.decode()


def test_create_shows_the_services_messages_next_to_the_fields(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:create", args=[tree["G1"].pk])
    recent = timezone.localdate().replace(day=1).strftime("%d/%m/%Y")

    clash = client.post(
        url, {**_identity(record_number="123456TN"), "organization": "C1", "admission_date": "02/03/2024"}
    )
    card = client.post(url, {**_identity(card_number="12345678"), "organization": "C1", "admission_date": recent})
    bad_date = client.post(url, {**_identity(date_of_birth="1990-13-45"), "organization": "C1"})

    assert "đã được dùng" in " ".join(clash.context["form"].errors["record_number"])
    assert "Chỉ đảng viên chính thức" in " ".join(card.context["form"].errors["card_number"])
    assert bad_date.context["form"].errors["date_of_birth"]
    assert "admission_date" in bad_date.context["form"].errors
    assert "Chưa lưu gì" in clash.content.decode()
    assert Member.objects.count() == 1


def test_create_refuses_a_read_only_role_and_hides_other_scopes(client, tree, steering_user, cadre):
    client.force_login(steering_user)
    read_only = client.get(reverse("members:create", args=[tree["G1"].pk]))
    client.force_login(cadre)
    elsewhere = client.get(reverse("members:create", args=[tree["G2"].pk]))

    assert read_only.status_code == 403
    assert "chỉ được xem" in read_only.content.decode()
    assert elsewhere.status_code == 404


def test_edit_identity_calls_the_service_and_keeps_an_audit_row(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:edit", args=[binh.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["date_of_birth"] = "17/05/1985"

    response = client.post(url, {**data, "full_name": "Nguyễn Văn Bính"})

    binh.refresh_from_db()
    assert response.status_code == 302
    assert binh.full_name == "Nguyễn Văn Bính"
    assert binh.name_folded == "nguyen van binh"
    assert binh.history.count() == 2


def test_movement_death_takes_the_member_off_the_rolls(client, tree, cadre, binh):
    client.force_login(cadre)

    response = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": MovementKind.DECEASED, "date": "10/10/2025", "organization": "C1"},
    )

    assert response.status_code == 302
    assert Membership.objects.get(member=binh).end == date(2025, 10, 10)


def test_movement_transfer_within_the_province_writes_out_and_in(client, tree, cadre, binh):
    client.force_login(cadre)

    response = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": "TRANSFER_WITHIN", "date": "01/08/2025", "organization": "C2", "note": "Chuyển khu phố"},
    )

    assert response.status_code == 302
    kinds = list(MovementEvent.objects.filter(member=binh).order_by("pk").values_list("kind", "organization__code"))
    assert kinds[1:] == [(MovementKind.TRANSFER_OUT, "C1"), (MovementKind.TRANSFER_IN, "C2")]


def test_movement_errors_from_the_service_and_the_rolls(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:movement_add", args=[binh.pk])

    same = client.post(url, {"kind": "TRANSFER_WITHIN", "date": "01/08/2025", "organization": "C1"})
    wrong_org = client.post(url, {"kind": MovementKind.EXPELLED, "date": "01/08/2025", "organization": "C2"})
    future = client.post(url, {"kind": MovementKind.DECEASED, "date": "01/01/2099", "organization": "C1"})

    assert same.context["form"].errors["organization"]
    assert "tổ chức đảng khác" in " ".join(wrong_org.context["form"].non_field_errors())
    assert "sau ngày hôm nay" in " ".join(future.context["form"].errors["date"])
    assert MovementEvent.objects.filter(member=binh).count() == 1


def test_theory_level_once_per_level(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:theory_add", args=[binh.pk])

    first = client.post(url, {"level": 2, "obtained_on": "01/06/2021"})
    again = client.post(url, {"level": 2, "obtained_on": "01/06/2022"})

    assert first.status_code == 302
    assert again.context["form"].errors["level"]
    assert TheoryQualification.objects.get(member=binh).obtained_on == date(2021, 6, 1)


def test_discipline_of_a_probationary_member_is_limited(client, tree, cadre):
    newcomer = make_member(tree["C1"], admission_date=date(2025, 9, 1))
    client.force_login(cadre)
    url = reverse("members:discipline_add", args=[newcomer.pk])

    refused = client.post(url, {"kind": "REMOVAL", "decided_on": "01/10/2025"})
    warned = client.post(url, {"kind": "WARNING", "decided_on": "01/10/2025", "reason": "Vắng họp"})

    assert "dự bị" in " ".join(refused.context["form"].errors["kind"])
    assert warned.status_code == 302
    assert Discipline.objects.get().kind == "WARNING"


def test_status_period_with_a_host_code_and_ordered_dates(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:status_add", args=[binh.pk])

    unknown = client.post(url, {"kind": StatusKind.TEMPORARY_ELSEWHERE, "start": "01/02/2025", "host_code": "ZZ9"})
    reversed_dates = client.post(url, {"kind": StatusKind.EXEMPT, "start": "01/02/2025", "end": "01/01/2025"})
    saved = client.post(url, {"kind": StatusKind.TEMPORARY_ELSEWHERE, "start": "01/02/2025", "host_code": "g2"})

    assert "ZZ9" in " ".join(unknown.context["form"].errors["host_code"])
    assert "ngày kết thúc" in " ".join(reversed_dates.context["form"].non_field_errors()).lower()
    assert saved.status_code == 302
    assert StatusPeriod.objects.get().host_organization == tree["G2"]


def test_committee_seat_offers_the_members_organization_and_its_ancestors_in_scope(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:seat_add", args=[binh.pk])

    page = client.get(url)
    response = client.post(url, {"organization": tree["G1"].pk, "role": "SECRETARY", "start": "01/01/2025"})

    choices = [choice[0] for choice in page.context["form"].fields["organization"].choices][1:]
    assert choices == [tree["G1"].pk, tree["C1"].pk]  # X1 and P are above the cadre's scope
    assert response.status_code == 302
    assert CommitteeSeat.objects.get().organization == tree["G1"]


def test_links_show_only_where_the_user_can_write(client, tree, cadre, steering_user, binh):
    member_url = reverse("members:detail", args=[binh.pk])
    org_url = reverse("organization_detail", args=[tree["C1"].pk])
    client.force_login(cadre)
    writer_member, writer_org = client.get(member_url), client.get(org_url)
    client.force_login(steering_user)
    reader_member, reader_org = client.get(member_url), client.get(org_url)

    assert "Ghi biến động" in writer_member.content.decode()
    assert "Thêm đảng viên" in writer_org.content.decode()
    assert "Ghi biến động" not in reader_member.content.decode()
    assert "Thêm đảng viên" not in reader_org.content.decode()


def test_organization_page_of_a_tccsd_links_to_its_rating_grid(client, tree, steering_user):
    client.force_login(steering_user)

    html = client.get(reverse("organization_detail", args=[tree["G1"].pk])).content.decode()

    assert reverse("evaluations:grid_latest", args=[tree["G1"].pk]) in html


# --- roles bounded in time, closed years (the page door) -------------------------------------------------------


def test_movement_page_refuses_a_date_in_a_closed_year_and_writes_nothing(client, tree, cadre, binh, root_user):
    from evaluations.models import RatingYear
    from evaluations.services import year_close

    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))
    client.force_login(cadre)

    response = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": MovementKind.DECEASED, "date": "05/11/2024", "organization": "C1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày 05/11/2024 sẽ làm thay đổi số liệu đã chốt của năm đó. "
        "Ban Tổ chức Tỉnh ủy phải mở lại năm trước."
    ]
    assert MovementEvent.objects.filter(member=binh).count() == 1


def test_movement_page_is_closed_to_a_district_role_that_ended(client, tree, district_cadre, binh):
    # binh is on C1's rolls: G1's district D1 ended on 30/06/2025, and the cadre's role with it.
    client.force_login(district_cadre)

    page = client.get(reverse("members:movement_add", args=[binh.pk]))
    post = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": MovementKind.DECEASED, "date": "01/06/2025", "organization": "C1"},
    )
    history = client.get(reverse("members:detail", args=[binh.pk]) + "?ngay=01/06/2025")

    assert (page.status_code, post.status_code) == (404, 404)
    assert MovementEvent.objects.filter(member=binh).count() == 1
    assert history.status_code == 200  # the past of the district stays readable
    assert history.context["can_write"] is False


def _codes(code_list, *codes):
    return [Code.objects.get(list=code_list, code=code) for code in codes]


def test_edit_offers_the_active_codes_and_keeps_a_members_deactivated_one(client, tree, root_user, cadre, binh):
    tay, thai = _codes(CodeList.ETHNICITY, "02", "03")
    services.member_update(actor=root_user, member=binh, ethnicity_code=tay)
    record_services.code_update(actor=root_user, entry=tay, active=False)
    record_services.code_update(actor=root_user, entry=thai, active=False)
    client.force_login(cadre)

    form = client.get(reverse("members:edit", args=[binh.pk])).context["form"]
    other = client.get(reverse("members:create", args=[tree["G1"].pk])).context["form"]

    offered = set(form.fields["ethnicity_code"].queryset.values_list("code", flat=True))
    # 55 seeded codes, Tày and Thái deactivated: 53 active, plus Tày, Bình's own.
    assert len(offered) == 54
    assert "02" in offered
    assert "03" not in offered
    assert "02" not in set(other.fields["ethnicity_code"].queryset.values_list("code", flat=True))


def test_edit_saves_the_coded_fields_and_the_youth_union_answer(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:edit", args=[binh.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["date_of_birth"] = "17/05/1985"
    muong, buddhist, high_school, university, worker = (
        *_codes(CodeList.ETHNICITY, "06"),
        *_codes(CodeList.RELIGION, "01"),
        *_codes(CodeList.EDUCATION, "THPT"),
        *_codes(CodeList.QUALIFICATION, "DAI_HOC"),
        *_codes(CodeList.OCCUPATION, "CN_DN_NNN"),
    )
    coded = {
        "ethnicity_code": muong.pk,
        "religion_code": buddhist.pk,
        "general_education": high_school.pk,
        "qualification": university.pk,
        "occupation_at_admission": worker.pk,
        "youth_union_at_admission": "true",
    }

    response = client.post(url, {**data, **coded})

    binh.refresh_from_db()
    assert response.status_code == 302
    assert (binh.ethnicity_code, binh.religion_code, binh.general_education) == (muong, buddhist, high_school)
    assert (binh.qualification, binh.occupation_at_admission, binh.occupation_now) == (university, worker, None)
    assert binh.youth_union_at_admission is True
    assert binh.history.first().history_user == cadre
    detail = client.get(response["Location"]).content.decode()
    assert "Mường" in detail
    assert "Phật giáo" in detail


def test_edit_refuses_a_code_of_another_list_naming_the_field(client, tree, cadre, binh):
    client.force_login(cadre)
    url = reverse("members:edit", args=[binh.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["date_of_birth"] = "17/05/1985"
    (post,) = _codes(CodeList.POST, "TRUONG_THON")

    response = client.post(url, {**data, "ethnicity_code": post.pk})

    binh.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["ethnicity_code"]
    assert binh.ethnicity_code is None
