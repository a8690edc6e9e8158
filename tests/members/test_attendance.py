"""Attendance of committee members at a cell's meetings, a page per cell and quarter
(members.record_services.attendance_save): who is listed, all-or-nothing saves, refusals and the audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations.models import RatingYear
from evaluations.services import year_close
from members import record_selectors, record_services, services
from members.models import MeetingAttendance, SeatRole
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role, make_member

ADMITTED = date(2020, 3, 2)


@pytest.fixture
def people(tree, root_user):
    """On G1's committee: An (C1, from 2024), Bảo (C2, 2023–2024). Cúc is on C1's rolls with no seat; Dung sits
    on C1's own committee (chi ủy), not on the committee above the cell."""
    people = {
        key: make_member(tree[cell], admission_date=ADMITTED, full_name=name)
        for key, cell, name in (
            ("an", "C1", "Lê Văn An"),
            ("bao", "C2", "Phạm Văn Bảo"),
            ("cuc", "C1", "Trần Thị Cúc"),
            ("dung", "C1", "Vũ Thị Dung"),
        )
    }
    for key, organization, start, end in (
        ("an", "G1", date(2024, 1, 1), None),
        ("bao", "G1", date(2023, 1, 1), date(2024, 12, 31)),
        ("dung", "C1", date(2023, 1, 1), None),
    ):
        services.committee_seat_add(
            actor=root_user,
            member=people[key],
            organization=tree[organization],
            role=SeatRole.MEMBER,
            start=start,
            end=end,
        )
    return people


def _url(tree, year, quarter, key="C1"):
    return reverse("members:attendance", args=[tree[key].pk, year, quarter])


def _row_data(people, **values):
    """The form's two numbers per member: `values` maps a person to (held, attended); the others stay empty."""
    data = {}
    for key, member in people.items():
        held, attended = values.get(key, ("", ""))
        data[f"held_{member.pk}"], data[f"attended_{member.pk}"] = held, attended
    return data


def test_attendance_page_lists_the_members_of_the_committee_above_the_cell_in_the_quarter(
    client, tree, grassroots_cadre, people
):
    client.force_login(grassroots_cadre)

    q4_2024 = client.get(_url(tree, 2024, 4))
    q1_2025 = client.get(_url(tree, 2025, 1))

    # Q4/2024: An and Bảo sit on G1's committee; from 2025 only An (Bảo's seat ended on 31/12/2024).
    assert [m.full_name for m in q4_2024.context["form"].members] == ["Lê Văn An", "Phạm Văn Bảo"]
    assert [m.full_name for m in q1_2025.context["form"].members] == ["Lê Văn An"]
    assert q4_2024.context["can_write"] is True
    assert reverse("members:attendance", args=[tree["C1"].pk, 2024, 3]) in q4_2024.content.decode()


def test_attendance_saved_from_the_page_with_an_audit_row(client, tree, grassroots_cadre, people):
    client.force_login(grassroots_cadre)

    response = client.post(_url(tree, 2024, 4), _row_data(people, an=("3", "2"), bao=("3", "3")))

    rows = {
        row.member_id: (row.meetings_held, row.meetings_attended)
        for row in MeetingAttendance.objects.filter(organization=tree["C1"], year=2024, quarter=4)
    }
    assert response.status_code == 302
    assert rows == {people["an"].pk: (3, 2), people["bao"].pk: (3, 3)}
    assert {row.history.get().history_user for row in MeetingAttendance.objects.all()} == {grassroots_cadre}
    assert "Đã lưu việc dự sinh hoạt: 2 dòng được ghi." in client.get(response["Location"]).content.decode()


def test_attendance_with_wrong_rows_names_each_member_and_writes_nothing(client, tree, grassroots_cadre, people):
    client.force_login(grassroots_cadre)

    response = client.post(_url(tree, 2024, 4), _row_data(people, an=("3", "4"), bao=("3", "")))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Lê Văn An: số buổi dự (4) nhiều hơn số buổi sinh hoạt (3).",
        "Phạm Văn Bảo: hãy nhập cả số buổi sinh hoạt và số buổi dự, hoặc để trống cả hai.",
    ]
    assert "Chưa lưu gì" in response.content.decode()
    assert not MeetingAttendance.objects.exists()


def test_attendance_emptied_for_a_member_deletes_the_row_in_the_audit(client, tree, grassroots_cadre, people):
    client.force_login(grassroots_cadre)
    client.post(_url(tree, 2024, 4), _row_data(people, an=("3", "2"), bao=("3", "3")))

    response = client.post(_url(tree, 2024, 4), _row_data(people, an=("3", "2")))

    assert response.status_code == 302
    assert list(MeetingAttendance.objects.values_list("member_id", flat=True)) == [people["an"].pk]
    deleted = MeetingAttendance.history.filter(member_id=people["bao"].pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", grassroots_cadre)


def test_attendance_of_a_member_not_on_the_committee_above_is_refused(tree, grassroots_cadre, people):
    placement = record_selectors.cell_get(actor=grassroots_cadre, organization_id=tree["C1"].pk, year=2024, quarter=4)

    with pytest.raises(ValidationError) as error:
        record_services.attendance_save(
            actor=grassroots_cadre,
            placement=placement,
            year=2024,
            quarter=4,
            entries=[(people["an"], 3, 3), (people["dung"], 3, 1)],
        )

    assert error.value.messages == [
        "Vũ Thị Dung không giữ ghế cấp ủy nào của tổ chức đảng cấp trên chi bộ này trong quý."
    ]
    assert not MeetingAttendance.objects.exists()


def test_attendance_of_a_quarter_not_begun_is_refused(tree, grassroots_cadre, people):
    year = timezone.localdate().year + 1
    placement = record_selectors.cell_get(actor=grassroots_cadre, organization_id=tree["C1"].pk, year=year, quarter=1)

    with pytest.raises(ValidationError) as error:
        record_services.attendance_save(
            actor=grassroots_cadre, placement=placement, year=year, quarter=1, entries=[(people["an"], 3, 3)]
        )

    assert error.value.messages == [
        f"Quý 1 năm {year} chưa bắt đầu: chỉ ghi việc dự sinh hoạt khi đã có buổi sinh hoạt."
    ]


def test_attendance_in_a_closed_year_is_refused(client, tree, root_user, grassroots_cadre, people):
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))
    client.force_login(grassroots_cadre)

    response = client.post(_url(tree, 2024, 4), _row_data(people, an=("3", "2")))

    assert response.status_code == 200
    assert "Năm đánh giá 2024 đã đóng" in " ".join(response.context["form"].non_field_errors())
    assert not MeetingAttendance.objects.exists()


@pytest.mark.parametrize(("key", "quarter"), [("G1", 4), ("C1", 5), ("C1", 0)])
def test_attendance_page_is_for_a_cell_and_a_quarter_of_1_to_4(client, tree, grassroots_cadre, key, quarter):
    client.force_login(grassroots_cadre)

    assert client.get(_url(tree, 2024, quarter, key)).status_code == 404


def test_attendance_page_refuses_other_scopes_and_read_only_roles(client, tree, steering_user, people):
    g2_cadre = UserFactory(username="cadre_g2")
    give_role(g2_cadre, tree["G2"], RoleKind.GRASSROOTS_CADRE)
    data = _row_data(people, an=("3", "2"))

    client.force_login(g2_cadre)
    foreign_get, foreign_post = client.get(_url(tree, 2024, 4)), client.post(_url(tree, 2024, 4), data)
    client.force_login(steering_user)
    read = client.get(_url(tree, 2024, 4))
    write = client.post(_url(tree, 2024, 4), data)

    assert (foreign_get.status_code, foreign_post.status_code) == (404, 404)
    assert read.status_code == 200
    assert read.context["can_write"] is False
    assert 'type="number"' not in read.content.decode()
    assert write.status_code == 403
    assert not MeetingAttendance.objects.exists()


def test_attendance_shown_on_the_member_page_and_reached_from_the_cell_page(client, tree, grassroots_cadre, people):
    client.force_login(grassroots_cadre)
    client.post(_url(tree, 2024, 4), _row_data(people, an=("3", "2")))

    member_page = client.get(reverse("members:detail", args=[people["an"].pk])).content.decode()
    cell_page = client.get(reverse("organization_detail", args=[tree["C1"].pk]) + "?ngay=15/11/2024")

    assert _url(tree, 2024, 4) in member_page
    assert "4/2024" in member_page
    assert _url(tree, 2024, 4) in cell_page.content.decode()
