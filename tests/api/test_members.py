"""Members over the API: the rolls on a date, a member's history, and the writes of members.services."""

from datetime import date

import pytest
from django.utils import timezone

from members.models import Member, MovementEvent, SeatRole, TheoryLevel
from members.services import committee_seat_add
from tests.api.conftest import errors
from tests.indicators.conftest import rated_2024  # noqa: F401

END_2024 = "on=2024-12-31"


@pytest.fixture
def people(rated_2024):  # noqa: F811
    return rated_2024


def _names(response):
    return [row["full_name"] for row in response.json()["results"]]


def _new_member(tree, **overrides):
    return {
        "organization": tree["C1"].pk,
        "admission_date": "2024-03-02",
        "full_name": "Hoàng Văn Mới",
        "gender": "M",
        "date_of_birth": "1990-04-05",
        "record_number": "654321TN",
        **overrides,
    }


# --- reads ------------------------------------------------------------------------------------------------------


def test_list_of_district_cadre_has_only_their_district(tree, people, district_api, other_district_api):
    own = district_api.get(f"/api/members/?{END_2024}")
    other = other_district_api.get(f"/api/members/?{END_2024}")

    assert _names(own) == ["Lê Văn An", "Phạm Minh Nam", "Trần Thị Bình"]
    assert _names(other) == ["Đỗ Văn Em", "Vũ Thị Phương"]


def test_list_row_has_organization_theory_level_and_probation_on_the_date(tree, people, district_api):
    rows = {row["full_name"]: row for row in district_api.get(f"/api/members/?{END_2024}").json()["results"]}

    assert rows["Lê Văn An"]["organization"]["code"] == "C1"
    assert rows["Lê Văn An"]["theory_level"] == TheoryLevel.INTERMEDIATE
    assert rows["Lê Văn An"]["official"] is True
    assert rows["Phạm Minh Nam"]["official"] is False  # admitted 10/09/2024


def test_list_search_ignores_diacritics(tree, people, district_api):
    response = district_api.get(f"/api/members/?{END_2024}&q=tran thi")

    assert _names(response) == ["Trần Thị Bình"]


def test_list_filters_and_orders(tree, people, root_api):
    men = root_api.get(f"/api/members/?{END_2024}&gender=M&ordering=-name")
    women = root_api.get(f"/api/members/?{END_2024}&gender=F")
    elementary = root_api.get(f"/api/members/?{END_2024}&theory_level=1")
    in_g2 = root_api.get(f"/api/members/?{END_2024}&organization={tree['G2'].pk}")

    assert _names(men) == ["Vũ Thị Phương", "Trần Thị Bình", "Phạm Minh Nam", "Lê Văn An", "Đỗ Văn Em"]
    assert _names(women) == []
    assert _names(elementary) == ["Trần Thị Bình"]
    assert _names(in_g2) == ["Đỗ Văn Em", "Vũ Thị Phương"]


def test_list_of_other_district_organization_is_404(tree, people, district_api):
    response = district_api.get(f"/api/members/?{END_2024}&organization={tree['G2'].pk}")

    assert response.status_code == 404


def test_list_rejects_an_unknown_choice(tree, people, district_api):
    response = district_api.get(f"/api/members/?{END_2024}&gender=X")

    assert response.status_code == 400
    assert [field for field, _message in errors(response)] == ["gender"]


def test_detail_has_events_theory_levels_seats_and_status_periods(tree, people, root_api):
    a = root_api.get(f"/api/members/{people['A'].pk}/?{END_2024}").json()
    e = root_api.get(f"/api/members/{people['E'].pk}/?{END_2024}").json()

    assert [(ev["kind"], ev["date"], ev["organization"]["code"]) for ev in a["events"]] == [
        ("ADMITTED", "2019-03-02", "C1")
    ]
    assert [(t["level"], t["obtained_on"]) for t in a["theory_levels"]] == [(TheoryLevel.INTERMEDIATE, "2020-05-01")]
    assert [(s["role"], s["organization"]["code"]) for s in a["committee_seats"]] == [("SECRETARY", "G1")]
    assert [(m["organization"]["code"], m["start"], m["end"]) for m in a["memberships"]] == [("C1", "2019-03-02", None)]
    assert (a["organization"]["code"], a["on_rolls"], a["official"]) == ("C1", True, True)
    assert [(s["kind"], s["start"]) for s in e["status_periods"]] == [("EXEMPT", "2023-02-01")]


def test_detail_of_other_district_member_is_404(tree, people, district_api):
    response = district_api.get(f"/api/members/{people['E'].pk}/?{END_2024}")

    assert response.status_code == 404


def test_committee_of_an_organization_on_a_date(tree, people, district_api, other_district_api):
    own = district_api.get(f"/api/organizations/{tree['G1'].pk}/committee/?{END_2024}")
    other = other_district_api.get(f"/api/organizations/{tree['G1'].pk}/committee/?{END_2024}")

    assert [(s["full_name"], s["role"], s["theory_level"]) for s in own.json()] == [
        ("Trần Thị Bình", SeatRole.MEMBER, TheoryLevel.ELEMENTARY),
        ("Lê Văn An", SeatRole.SECRETARY, TheoryLevel.INTERMEDIATE),
    ]
    assert other.status_code == 404


# --- writes -----------------------------------------------------------------------------------------------------


def test_admit_creates_the_member_through_the_api_door(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", _new_member(tree), format="json")

    member = Member.objects.get(record_number="654321TN")
    assert response.status_code == 201
    assert response.json()["events"][0]["kind"] == "ADMITTED"
    assert member.history.get().history_door == "api"
    assert member.history.get().history_user.username == "cadre_g1"


def test_admit_into_other_district_is_refused(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", _new_member(tree, organization=tree["G2"].pk), format="json")

    assert response.status_code == 403
    assert errors(response) == [(None, "Tổ chức này nằm ngoài phạm vi bạn phụ trách.")]
    assert not Member.objects.filter(record_number="654321TN").exists()


def test_admit_into_unknown_organization_is_refused_like_out_of_scope(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", _new_member(tree, organization=999999), format="json")

    assert response.status_code == 403
    assert errors(response) == [(None, "Tổ chức này nằm ngoài phạm vi bạn phụ trách.")]


def test_admit_by_read_only_role_is_refused(tree, steering_api):
    response = steering_api.post("/api/members/", _new_member(tree), format="json")

    assert response.status_code == 403
    assert errors(response) == [(None, "Vai trò của bạn chỉ được xem, không được sửa.")]


def test_admit_with_bad_record_number_gives_the_pages_message(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", _new_member(tree, record_number="12AB"), format="json")

    assert response.status_code == 400
    # The model's constraint message, as the pages show it (a constraint names no field).
    assert errors(response) == [(None, "Số lý lịch đảng viên gồm 6 chữ số và mã tỉnh 1–3 chữ cái.")]


def test_admit_missing_fields_are_listed_field_by_field(tree, grassroots_api):
    response = grassroots_api.post("/api/members/", {"organization": tree["C1"].pk}, format="json")

    assert response.status_code == 400
    fields = {field for field, _message in errors(response)}
    assert {"full_name", "gender", "date_of_birth", "record_number", "admission_date"} <= fields
    assert {message for _field, message in errors(response)} == {"Trường này là bắt buộc."}


def test_update_identity(tree, people, grassroots_api):
    response = grassroots_api.patch(f"/api/members/{people['B'].pk}/", {"full_name": "Trần Thị Bình An"}, format="json")

    assert response.status_code == 200
    assert Member.objects.get(pk=people["B"].pk).full_name == "Trần Thị Bình An"


def test_update_card_number_of_probationary_member_is_refused(tree, people, grassroots_api):
    # N was admitted on 10/09/2024: probationary until 10/09/2025, so give the date of today a member admitted now.
    newcomer = grassroots_api.post(
        "/api/members/", _new_member(tree, admission_date=str(timezone.localdate())), format="json"
    )

    response = grassroots_api.patch(
        f"/api/members/{newcomer.json()['id']}/", {"card_number": "12345678"}, format="json"
    )

    assert response.status_code == 400
    [(field, message)] = errors(response)
    assert field == "card_number"
    assert message.startswith("Chỉ đảng viên chính thức")


def test_update_of_other_district_member_is_404(tree, people, grassroots_api):
    response = grassroots_api.patch(f"/api/members/{people['E'].pk}/", {"full_name": "X"}, format="json")

    assert response.status_code == 404
    assert Member.objects.get(pk=people["E"].pk).full_name == "Đỗ Văn Em"


def test_record_a_movement(tree, people, grassroots_api):
    response = grassroots_api.post(
        f"/api/members/{people['A'].pk}/movements/",
        {"kind": "DECEASED", "date": "2025-02-03", "organization": tree["C1"].pk},
        format="json",
    )

    on_rolls = grassroots_api.get(f"/api/members/{people['A'].pk}/?on=2025-02-03").json()["on_rolls"]
    assert response.status_code == 201
    assert response.json()["kind"] == "DECEASED"
    assert on_rolls is False


def test_impossible_movement_gives_the_rolls_message(tree, people, grassroots_api):
    response = grassroots_api.post(
        f"/api/members/{people['A'].pk}/movements/",
        {"kind": "TRANSFER_OUT", "date": "2025-02-03", "organization": tree["C2"].pk, "transfer_scope": "WITHIN"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "wrong_organization"
    assert MovementEvent.objects.filter(member=people["A"]).count() == 1


def test_transfer_within_the_district(tree, people, grassroots_api):
    response = grassroots_api.post(
        f"/api/members/{people['A'].pk}/transfer/",
        {"to_organization": tree["C2"].pk, "date": "2024-02-01"},
        format="json",
    )

    detail = grassroots_api.get(f"/api/members/{people['A'].pk}/?{END_2024}").json()
    assert response.status_code == 201
    assert response.json()["kind"] == "TRANSFER_IN"
    assert detail["organization"]["code"] == "C2"


def test_transfer_to_other_district_is_refused(tree, people, grassroots_api):
    response = grassroots_api.post(
        f"/api/members/{people['A'].pk}/transfer/",
        {"to_organization": tree["G2"].pk, "date": "2024-02-01"},
        format="json",
    )

    assert response.status_code == 403
    assert MovementEvent.objects.filter(member=people["A"]).count() == 1


def test_theory_level_added_once(tree, people, grassroots_api):
    url = f"/api/members/{people['B'].pk}/theory-levels/"

    first = grassroots_api.post(url, {"level": TheoryLevel.ADVANCED, "obtained_on": "2023-06-01"}, format="json")
    again = grassroots_api.post(url, {"level": TheoryLevel.ADVANCED, "obtained_on": "2024-06-01"}, format="json")

    assert first.status_code == 201
    assert again.status_code == 400
    assert errors(again) == [("level", "Trình độ lý luận chính trị này đã được ghi cho đảng viên.")]


def test_committee_seat_added(tree, people, root_user, grassroots_api):
    committee_seat_add(
        actor=root_user, member=people["N"], organization=tree["C1"], role="MEMBER", start=date(2024, 10, 1)
    )

    response = grassroots_api.post(
        f"/api/members/{people['B'].pk}/committee-seats/",
        {"organization": tree["C1"].pk, "role": "SECRETARY", "start": "2024-10-01"},
        format="json",
    )

    committee = grassroots_api.get(f"/api/organizations/{tree['C1'].pk}/committee/?{END_2024}").json()
    assert response.status_code == 201
    assert sorted(s["full_name"] for s in committee) == ["Phạm Minh Nam", "Trần Thị Bình"]


# --- roles bounded in time, closed years (the back-dating attack through the API) -------------------------------

ROLE_ENDED = (
    "Vai trò cho phép bạn nhập hoặc sửa dữ liệu đã hết hiệu lực; bạn vẫn xem được quá khứ mà vai trò đó bao quát."
)
YEAR_2024_CLOSED = (
    "Năm đánh giá 2024 đã đóng: thay đổi ghi ngày {date} sẽ làm thay đổi số liệu đã chốt của năm đó. "
    "Ban Tổ chức Tỉnh ủy phải mở lại năm trước."
)


def _close_2024(actor):
    from evaluations.models import RatingYear
    from evaluations.services import year_close

    return year_close(actor=actor, year=RatingYear.objects.get(year=2024))


def test_back_dated_death_by_an_ended_district_role_is_refused(tree, people, district_api):
    # A is on C1's rolls; C1's TCCSĐ G1 was under D1 until 30/06/2025 and is under X1 today.
    response = district_api.post(
        f"/api/members/{people['A'].pk}/movements/",
        {"kind": "DECEASED", "date": "2025-06-01", "organization": tree["C1"].pk},
        format="json",
    )

    assert response.status_code == 403
    assert errors(response) == [(None, ROLE_ENDED)]
    assert list(MovementEvent.objects.filter(member=people["A"]).values_list("kind", flat=True)) == ["ADMITTED"]


def test_back_dated_admission_into_the_old_district_by_an_ended_role_is_refused(tree, district_api):
    response = district_api.post("/api/members/", _new_member(tree, admission_date="2025-05-02"), format="json")

    assert response.status_code == 403
    assert not Member.objects.filter(record_number="654321TN").exists()


def test_open_ended_seat_granted_by_an_ended_role_is_refused(tree, people, district_api):
    response = district_api.post(
        f"/api/members/{people['B'].pk}/committee-seats/",
        {"organization": tree["G1"].pk, "role": "DEPUTY_SECRETARY", "start": "2025-03-01"},
        format="json",
    )

    assert response.status_code == 403
    assert people["B"].committee_seats.count() == 1


def test_back_dated_death_through_the_new_ward_before_it_held_the_member_is_refused(tree, people, ward_cadre):
    # X1's cadre writes G1's members today, but on 01/06/2025 G1 was still under D1: not X1's to change then.
    from tests.api.conftest import token_client

    api = token_client(ward_cadre)
    before = api.post(
        f"/api/members/{people['A'].pk}/movements/",
        {"kind": "DECEASED", "date": "2025-06-01", "organization": tree["C1"].pk},
        format="json",
    )
    after = api.post(
        f"/api/members/{people['A'].pk}/movements/",
        {"kind": "DECEASED", "date": "2025-07-02", "organization": tree["C1"].pk},
        format="json",
    )

    # On that date the member is outside X1's part of the tree: not found, as the page answers.
    assert before.status_code == 404
    assert after.status_code == 201


def test_death_dated_in_a_closed_year_is_refused_until_the_year_is_reopened(tree, people, root_user, grassroots_api):
    from evaluations.models import RatingYear
    from evaluations.services import year_reopen

    _close_2024(root_user)
    url = f"/api/members/{people['A'].pk}/movements/"
    body = {"kind": "DECEASED", "date": "2024-11-05", "organization": tree["C1"].pk}

    refused = grassroots_api.post(url, body, format="json")
    events_while_closed = MovementEvent.objects.filter(member=people["A"]).count()
    year_reopen(actor=root_user, year=RatingYear.objects.get(year=2024), reason="Báo tử muộn")
    accepted = grassroots_api.post(url, body, format="json")

    assert refused.status_code == 400
    assert errors(refused) == [("date", YEAR_2024_CLOSED.format(date="05/11/2024"))]
    assert events_while_closed == 1
    assert accepted.status_code == 201
