"""Status periods, discipline and committee seats with their ends over the API (members.api_records): the same
services as the pages, scoped, closed years refused, and every door in the OpenAPI schema."""

from datetime import date

import pytest

from evaluations.models import RatingYear
from evaluations.services import year_close
from members.models import CommitteeSeat, Discipline, SeatRole, StatusKind, StatusPeriod
from members.services import committee_seat_add, status_period_add
from organizations.models import OrgKind, RoleKind
from tests.api.conftest import errors, token_client
from tests.factories import UserFactory, give_role, make_member, make_org


@pytest.fixture
def an(tree):
    """On C1's rolls (G1) since 02/03/2019: official since 02/03/2020."""
    return make_member(tree["C1"], admission_date=date(2019, 3, 2), full_name="Lê Văn An")


@pytest.fixture
def third_district_api(tree):
    """A cadre of a district-level committee in force today, which holds neither G1 nor G2."""
    d3 = make_org("D3", OrgKind.DISTRICT_COMMITTEE, parent=tree["P"], name="Huyện ủy Bắc Hà")
    user = UserFactory(username="cadre_d3")
    give_role(user, d3, RoleKind.DISTRICT_CADRE)
    return token_client(user)


def test_status_period_added_listed_and_ended(tree, an, grassroots_api):
    url = f"/api/members/{an.pk}/status-periods/"

    created = grassroots_api.post(
        url,
        {"kind": "TEMPORARY_ELSEWHERE", "start": "2025-08-01", "host_organization": tree["G2"].pk, "reason": "Đi học"},
        format="json",
    )
    period_id = created.json()["id"]
    ended = grassroots_api.post(f"/api/status-periods/{period_id}/end/", {"end": "2025-11-30"}, format="json")
    again = grassroots_api.post(f"/api/status-periods/{period_id}/end/", {"end": "2025-12-31"}, format="json")
    listed = grassroots_api.get(url)

    assert created.status_code == 201
    assert created.json()["host_organization"]["code"] == "G2"
    assert ended.status_code == 200
    assert again.status_code == 400
    assert errors(again) == [("end", "Bản ghi này đã có ngày kết thúc 30/11/2025: không thể kết thúc lại.")]
    assert [(p["kind"], p["start"], p["end"], p["reason"]) for p in listed.json()] == [
        ("TEMPORARY_ELSEWHERE", "2025-08-01", "2025-11-30", "Đi học")
    ]


def test_status_period_with_an_unknown_host_is_refused(tree, an, grassroots_api):
    response = grassroots_api.post(
        f"/api/members/{an.pk}/status-periods/",
        {"kind": "TEMPORARY_ELSEWHERE", "start": "2025-08-01", "host_organization": 987654},
        format="json",
    )

    assert response.status_code == 400
    assert errors(response) == [("host_organization", "Không có tổ chức đảng nào mang mã định danh này.")]
    assert not StatusPeriod.objects.exists()


def test_discipline_added_and_listed(tree, an, grassroots_api):
    url = f"/api/members/{an.pk}/disciplines/"

    created = grassroots_api.post(
        url, {"kind": "WARNING", "decided_on": "2025-09-02", "reason": "Vi phạm"}, format="json"
    )
    listed = grassroots_api.get(url)

    assert created.status_code == 201
    assert [(d["kind"], d["decided_on"], d["reason"]) for d in listed.json()] == [("WARNING", "2025-09-02", "Vi phạm")]


def test_discipline_of_a_probationary_member_beyond_a_warning_is_refused(tree, grassroots_api):
    new = make_member(tree["C1"], admission_date=date(2025, 3, 2))

    response = grassroots_api.post(
        f"/api/members/{new.pk}/disciplines/", {"kind": "EXPULSION", "decided_on": "2025-09-02"}, format="json"
    )

    assert response.status_code == 400
    assert errors(response) == [("kind", "Đảng viên dự bị chỉ có thể bị khiển trách hoặc cảnh cáo.")]
    assert not Discipline.objects.exists()


def test_committee_seats_listed_with_their_ends_and_ended(tree, root_user, an, grassroots_api):
    committee_seat_add(
        actor=root_user,
        member=an,
        organization=tree["C1"],
        role=SeatRole.SECRETARY,
        start=date(2020, 8, 1),
        end=date(2023, 7, 31),
    )
    open_seat = committee_seat_add(
        actor=root_user, member=an, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2023, 8, 1)
    )

    ended = grassroots_api.post(f"/api/committee-seats/{open_seat.pk}/end/", {"end": "2025-10-31"}, format="json")
    listed = grassroots_api.get(f"/api/members/{an.pk}/committee-seats/")

    assert ended.status_code == 200
    assert [(s["organization"]["code"], s["role"], s["start"], s["end"]) for s in listed.json()] == [
        ("C1", "SECRETARY", "2020-08-01", "2023-07-31"),
        ("G1", "MEMBER", "2023-08-01", "2025-10-31"),
    ]


def test_committee_seat_added_with_an_end(tree, an, grassroots_api):
    response = grassroots_api.post(
        f"/api/members/{an.pk}/committee-seats/",
        {"organization": tree["C1"].pk, "role": "DEPUTY_SECRETARY", "start": "2021-01-01", "end": "2022-12-31"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["end"] == "2022-12-31"


def test_another_districts_cadre_neither_reads_nor_writes_the_records(tree, root_user, an, third_district_api):
    seat = committee_seat_add(
        actor=root_user, member=an, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2023, 8, 1)
    )
    period = status_period_add(actor=root_user, member=an, kind=StatusKind.EXEMPT, start=date(2025, 8, 1))

    answers = [
        third_district_api.get(f"/api/members/{an.pk}/status-periods/").status_code,
        third_district_api.get(f"/api/members/{an.pk}/disciplines/").status_code,
        third_district_api.post(
            f"/api/members/{an.pk}/status-periods/", {"kind": "SUSPENDED", "start": "2025-09-01"}, format="json"
        ).status_code,
        third_district_api.post(
            f"/api/members/{an.pk}/disciplines/", {"kind": "REPRIMAND", "decided_on": "2025-09-01"}, format="json"
        ).status_code,
        third_district_api.post(
            f"/api/committee-seats/{seat.pk}/end/", {"end": "2025-09-30"}, format="json"
        ).status_code,
        third_district_api.post(
            f"/api/status-periods/{period.pk}/end/", {"end": "2025-09-30"}, format="json"
        ).status_code,
    ]

    assert answers == [404, 404, 404, 404, 404, 404]
    assert (StatusPeriod.objects.count(), Discipline.objects.count()) == (1, 0)
    assert (CommitteeSeat.objects.get().end, StatusPeriod.objects.get().end) == (None, None)


def test_ending_in_a_closed_year_is_refused(tree, root_user, an, board_api):
    seat = committee_seat_add(
        actor=root_user, member=an, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2023, 8, 1)
    )
    period = status_period_add(actor=root_user, member=an, kind=StatusKind.EXEMPT, start=date(2023, 2, 1))
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))

    seat_answer = board_api.post(f"/api/committee-seats/{seat.pk}/end/", {"end": "2024-06-30"}, format="json")
    period_answer = board_api.post(f"/api/status-periods/{period.pk}/end/", {"end": "2024-06-30"}, format="json")

    closed = (
        "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày 30/06/2024 sẽ làm thay đổi số liệu đã chốt của năm đó. "
        "Ban Tổ chức Tỉnh ủy phải mở lại năm trước."
    )
    assert (seat_answer.status_code, period_answer.status_code) == (400, 400)
    assert errors(seat_answer) == errors(period_answer) == [("end", closed)]
    assert (CommitteeSeat.objects.get().end, StatusPeriod.objects.get().end) == (None, None)


def test_read_only_role_cannot_end_a_seat(tree, root_user, an, steering_api):
    seat = committee_seat_add(
        actor=root_user, member=an, organization=tree["G1"], role=SeatRole.MEMBER, start=date(2023, 8, 1)
    )

    response = steering_api.post(f"/api/committee-seats/{seat.pk}/end/", {"end": "2025-09-30"}, format="json")

    assert response.status_code == 403
    assert CommitteeSeat.objects.get().end is None


def test_record_doors_are_in_the_schema(tree, root_api):
    paths = root_api.get("/api/schema/?format=json").json()["paths"]

    assert set(paths["/api/members/{member_id}/status-periods/"]) >= {"get", "post"}
    assert set(paths["/api/members/{member_id}/disciplines/"]) >= {"get", "post"}
    assert set(paths["/api/members/{member_id}/committee-seats/"]) >= {"get", "post"}
    assert "post" in paths["/api/committee-seats/{seat_id}/end/"]
    assert "post" in paths["/api/status-periods/{status_period_id}/end/"]
