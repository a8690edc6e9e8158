"""Committee seats held on any unit of a member's past, with an end, and status periods ended on a date: the
services and the pages (members.services.committee_seat_add / committee_seat_end / status_period_end)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations.models import RatingYear
from evaluations.services import year_close
from members import services
from members.models import CommitteeSeat, SeatRole, StatusKind
from organizations.models import OrgKind, RoleKind
from tests.factories import UserFactory, give_role, make_member, make_org

MOVED = date(2024, 5, 1)
ORG_ENDED = (
    "Tổ chức đã chấm dứt hoạt động ngày 30/06/2025: chức danh trong cấp ủy của tổ chức phải kết thúc chậm nhất "
    "vào ngày đó."
)


@pytest.fixture
def binh(tree, root_user):
    """On C1's rolls (G1, district D1) from 02/03/2020, transferred to G2 (district D2) on 01/05/2024."""
    member = make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name="Nguyễn Văn Bình")
    services.member_transfer(actor=root_user, member=member, to_organization=tree["G2"], date=MOVED)
    return member


@pytest.fixture
def third_district_cadre(tree):
    """A cadre of a district-level committee in force today, holding neither C1 nor G2."""
    d3 = make_org("D3", OrgKind.DISTRICT_COMMITTEE, parent=tree["P"], name="Huyện ủy Bắc Hà")
    make_org("G3", OrgKind.GRASSROOTS_CELL, parent=d3, name="Chi bộ Bưu điện Bắc Hà")
    user = UserFactory(username="cadre_d3")
    give_role(user, d3, RoleKind.DISTRICT_CADRE)
    return user


def _seat(actor, member, organization, start, end=None, role=SeatRole.MEMBER):
    return services.committee_seat_add(
        actor=actor, member=member, organization=organization, role=role, start=start, end=end
    )


# --- the service ----------------------------------------------------------------------------------------------


def test_committee_seat_add_on_the_cell_left_before_the_move(tree, root_user, binh):
    seat = _seat(root_user, binh, tree["C1"], date(2022, 1, 1), date(2024, 4, 30), role=SeatRole.SECRETARY)

    assert (seat.organization, seat.start, seat.end) == (tree["C1"], date(2022, 1, 1), date(2024, 4, 30))


def test_committee_seat_add_overlapping_the_last_day_on_the_rolls_is_accepted(tree, root_user, binh):
    # On C1's rolls until 30/04/2024 (off them on the transfer day): one common day is enough.
    seat = _seat(root_user, binh, tree["G1"], date(2024, 4, 30), date(2024, 12, 31))

    assert seat.end == date(2024, 12, 31)


@pytest.mark.parametrize(
    ("key", "start", "end", "shown"),
    [
        ("C2", date(2022, 1, 1), date(2024, 4, 30), "Từ 01/01/2022 đến 30/04/2024, {} Chi bộ khu phố 2"),
        ("C1", MOVED, None, "Từ 01/05/2024 đến hôm nay, {} Chi bộ khu phố 1"),
        ("G1", date(2019, 1, 1), date(2020, 3, 1), "Từ 01/01/2019 đến 01/03/2020, {} Đảng bộ phường Bắc"),
    ],
)  # fmt: skip
def test_committee_seat_add_outside_the_members_units_during_the_term_is_refused(
    tree, root_user, binh, key, start, end, shown
):
    with pytest.raises(ValidationError) as error:
        _seat(root_user, binh, tree[key], start, end)

    assert error.value.message_dict["organization"] == [
        shown.format("đảng viên không sinh hoạt tại") + " hay tổ chức trực thuộc nào của tổ chức này: "
        "chức danh trong cấp ủy phải là đảng viên của đảng bộ, chi bộ đó."
    ]
    assert binh.committee_seats.count() == 0


def test_committee_seat_add_second_seat_on_the_same_committee_at_once_is_refused(tree, root_user, binh):
    _seat(root_user, binh, tree["G2"], date(2024, 6, 1), role=SeatRole.DEPUTY_SECRETARY)

    with pytest.raises(ValidationError) as error:
        _seat(root_user, binh, tree["G2"], date(2025, 1, 1), role=SeatRole.SECRETARY)

    assert error.value.message_dict["start"] == [
        "Đảng viên đã giữ chức danh trong cấp ủy này từ ngày 01/06/2024 (Phó Bí thư): hãy kết thúc chức danh đó trước."
    ]


def test_committee_seat_add_before_the_organization_was_formed_is_refused(tree, root_user, binh):
    with pytest.raises(ValidationError) as error:
        _seat(root_user, binh, tree["X1"], date(2025, 1, 1))

    assert error.value.message_dict["start"] == [
        "Tổ chức được thành lập ngày 01/07/2025: chức danh trong cấp ủy của tổ chức không thể bắt đầu trước ngày đó."
    ]


def test_committee_seat_end_records_the_last_day_and_who(tree, root_user, board_user, binh):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))

    services.committee_seat_end(actor=board_user, seat=seat, end=date(2025, 9, 30))

    seat.refresh_from_db()
    assert seat.end == date(2025, 9, 30)
    assert seat.history.latest().history_user == board_user


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (date(2024, 5, 31), "Ngày kết thúc không được trước ngày bắt đầu (01/06/2024)."),
        (date(2025, 7, 1), ORG_ENDED),
    ],
)  # fmt: skip
def test_committee_seat_end_with_an_impossible_date_is_refused(tree, root_user, binh, end, message):
    # A seat on D2's committee, which ended on 30/06/2025 (recorded with that end, then reopened by the admin).
    seat = _seat(root_user, binh, tree["D2"], date(2024, 6, 1), date(2025, 6, 30))
    CommitteeSeat.objects.filter(pk=seat.pk).update(end=None)

    with pytest.raises(ValidationError) as error:
        services.committee_seat_end(actor=root_user, seat=seat, end=end)

    assert error.value.message_dict["end"] == [message]
    assert CommitteeSeat.objects.get(pk=seat.pk).end is None


def test_committee_seat_end_of_an_ended_seat_is_refused(tree, root_user, binh):
    seat = _seat(root_user, binh, tree["C1"], date(2022, 1, 1), date(2024, 4, 30))

    with pytest.raises(ValidationError) as error:
        services.committee_seat_end(actor=root_user, seat=seat, end=date(2024, 1, 31))

    assert error.value.message_dict["end"] == ["Bản ghi này đã có ngày kết thúc 30/04/2024: không thể kết thúc lại."]


def test_committee_seat_end_reaching_a_closed_year_is_refused(tree, root_user, binh):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))

    with pytest.raises(ValidationError) as error:
        services.committee_seat_end(actor=root_user, seat=seat, end=date(2024, 10, 31))
    services.committee_seat_end(actor=root_user, seat=seat, end=date(2025, 2, 28))

    assert error.value.message_dict["end"][0].startswith("Năm đánh giá 2024 đã đóng: thay đổi ghi ngày 31/10/2024")
    assert CommitteeSeat.objects.get(pk=seat.pk).end == date(2025, 2, 28)


def test_committee_seat_end_by_a_cadre_of_another_district_is_refused(tree, root_user, binh, third_district_cadre):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))

    with pytest.raises(PermissionDenied):
        services.committee_seat_end(actor=third_district_cadre, seat=seat, end=date(2025, 9, 30))

    assert CommitteeSeat.objects.get(pk=seat.pk).end is None


def test_status_period_end_and_again(tree, root_user, grassroots_cadre):
    an = make_member(tree["C1"], admission_date=date(2019, 3, 2))
    period = services.status_period_add(actor=root_user, member=an, kind=StatusKind.SUSPENDED, start=date(2025, 8, 1))

    services.status_period_end(actor=grassroots_cadre, period=period, end=date(2025, 11, 30))
    with pytest.raises(ValidationError) as again:
        services.status_period_end(actor=grassroots_cadre, period=period, end=date(2025, 12, 31))

    period.refresh_from_db()
    assert period.end == date(2025, 11, 30)
    assert period.history.latest().history_user == grassroots_cadre
    assert again.value.message_dict["end"] == ["Bản ghi này đã có ngày kết thúc 30/11/2025: không thể kết thúc lại."]


# --- the pages ------------------------------------------------------------------------------------------------


def _choices(response):
    return {label.strip() for value, label in response.context["form"].fields["organization"].choices if value}


def test_seat_page_of_the_board_offers_every_unit_of_the_members_past(client, tree, board_user, binh):
    client.force_login(board_user)

    page = client.get(reverse("members:seat_add", args=[binh.pk]))

    # C1, G1, D1 until the move; G2 and D2 since, X1 above G2 since the reform; the province throughout.
    assert _choices(page) == {
        "P – Đảng bộ tỉnh Thử Nghiệm",
        "D1 – Huyện ủy Đông Sơn (đến 30/06/2025)",
        "G1 – Đảng bộ phường Bắc",
        "C1 – Chi bộ khu phố 1",
        "D2 – Huyện ủy Tây Hòa (đến 30/06/2025)",
        "G2 – Chi bộ Sở Tư pháp",
        "X1 – Đảng bộ phường Trung Tâm",
    }


def test_seat_page_lets_the_old_cells_cadre_record_a_seat_held_before_the_move(client, tree, grassroots_cadre, binh):
    client.force_login(grassroots_cadre)
    url = reverse("members:seat_add", args=[binh.pk])

    page = client.get(url)
    response = client.post(
        url, {"organization": tree["C1"].pk, "role": SeatRole.SECRETARY, "start": "01/01/2022", "end": "30/04/2024"}
    )

    assert _choices(page) == {"G1 – Đảng bộ phường Bắc", "C1 – Chi bộ khu phố 1"}
    assert response.status_code == 302
    seat = binh.committee_seats.get()
    assert (seat.organization, seat.role, seat.start, seat.end) == (
        tree["C1"],
        SeatRole.SECRETARY,
        date(2022, 1, 1),
        date(2024, 4, 30),
    )


def test_seat_page_refuses_a_committee_not_offered_without_showing_its_id(client, tree, grassroots_cadre, binh):
    client.force_login(grassroots_cadre)

    response = client.post(
        reverse("members:seat_add", args=[binh.pk]),
        {"organization": tree["G2"].pk, "role": SeatRole.MEMBER, "start": "01/06/2024"},
    )

    assert response.context["form"].errors["organization"] == ["Hãy chọn một cấp ủy trong danh sách."]
    assert f"{tree['G2'].pk} không phải" not in response.content.decode()
    assert binh.committee_seats.count() == 0


def test_seat_page_shows_the_services_refusal_by_the_field(client, tree, board_user, binh):
    client.force_login(board_user)

    response = client.post(
        reverse("members:seat_add", args=[binh.pk]),
        {"organization": tree["C1"].pk, "role": SeatRole.MEMBER, "start": "01/06/2024"},
    )

    assert "không sinh hoạt tại Chi bộ khu phố 1" in " ".join(response.context["form"].errors["organization"])
    assert binh.committee_seats.count() == 0


def test_seat_page_of_another_district_is_not_found(client, tree, third_district_cadre, binh):
    client.force_login(third_district_cadre)

    response = client.get(reverse("members:seat_add", args=[binh.pk]))

    assert response.status_code == 404


def test_member_page_links_to_ending_an_open_seat_only_for_a_writer(
    client, tree, root_user, board_user, steering_user, binh
):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))
    end_url = reverse("members:seat_end", args=[seat.pk])
    client.force_login(board_user)
    writer = client.get(reverse("members:detail", args=[binh.pk])).content.decode()
    client.force_login(steering_user)
    reader = client.get(reverse("members:detail", args=[binh.pk])).content.decode()

    assert end_url in writer
    assert end_url not in reader


def test_seat_end_page_ends_the_seat(client, tree, root_user, board_user, binh):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))
    client.force_login(board_user)
    url = reverse("members:seat_end", args=[seat.pk])

    refused = client.post(url, {"end": "31/05/2024"})
    response = client.post(url, {"end": "30/09/2025"})

    assert refused.context["form"].errors["end"] == ["Ngày kết thúc không được trước ngày bắt đầu (01/06/2024)."]
    assert response.status_code == 302
    assert CommitteeSeat.objects.get(pk=seat.pk).end == date(2025, 9, 30)


def test_seat_end_page_of_another_district_is_not_found_and_writes_nothing(
    client, tree, root_user, third_district_cadre, binh
):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))
    client.force_login(third_district_cadre)

    response = client.post(reverse("members:seat_end", args=[seat.pk]), {"end": "30/09/2025"})

    assert response.status_code == 404
    assert CommitteeSeat.objects.get(pk=seat.pk).end is None


def test_seat_end_page_of_a_read_only_role_is_refused(client, tree, root_user, steering_user, binh):
    seat = _seat(root_user, binh, tree["G2"], date(2024, 6, 1))
    client.force_login(steering_user)

    response = client.post(reverse("members:seat_end", args=[seat.pk]), {"end": "30/09/2025"})

    assert response.status_code == 403
    assert CommitteeSeat.objects.get(pk=seat.pk).end is None


def test_status_end_page_ends_the_period(client, tree, root_user, grassroots_cadre):
    an = make_member(tree["C1"], admission_date=date(2019, 3, 2))
    period = services.status_period_add(actor=root_user, member=an, kind=StatusKind.EXEMPT, start=date(2025, 8, 1))
    client.force_login(grassroots_cadre)
    member_page = client.get(reverse("members:detail", args=[an.pk])).content.decode()

    response = client.post(reverse("members:status_end", args=[period.pk]), {"end": "30/11/2025"})

    period.refresh_from_db()
    assert reverse("members:status_end", args=[period.pk]) in member_page
    assert response.status_code == 302
    assert period.end == date(2025, 11, 30)
