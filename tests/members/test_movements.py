"""Movements through every door: arrivals from another province, departures, and moves between any two units
the actor may write (across district-level committees for the Board)."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.selectors import compliance
from members.models import Member, Membership, MovementEvent, MovementKind, TransferScope
from members.selectors import rolls_movement
from members.services import member_arrive
from organizations.models import OrgKind, OrgType
from tests.api.conftest import errors, token_client
from tests.conftest import REFORM_DAY
from tests.factories import make_member, make_org

ADMITTED = date(2020, 3, 2)


def _identity(**overrides):
    return {
        "full_name": "Đặng Thị Thu",
        "gender": "F",
        "date_of_birth": "12/08/1980",
        "ethnicity": "Kinh",
        "religion": "",
        "record_number": "246810HN",
        "card_number": "",
        "citizen_id": "",
        **overrides,
    }


@pytest.fixture
def west(tree):
    """A second commune-level committee beside X1 since the reform, with a grassroots cell G3."""
    x2 = make_org("X2", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=REFORM_DAY, name="Đảng bộ xã Tây")
    g3 = make_org(
        "G3", OrgKind.GRASSROOTS_CELL, parent=x2, valid_from=REFORM_DAY, org_type=OrgType.COMMUNE, name="Chi bộ Tây"
    )
    return {"X2": x2, "G3": g3}


@pytest.fixture
def board_api(board_user):
    return token_client(board_user)


@pytest.fixture
def binh(tree):
    return make_member(tree["C1"], admission_date=ADMITTED, full_name="Nguyễn Văn Bình")


def _events(member):
    return list(
        MovementEvent.objects.filter(member=member).order_by("pk").values_list("kind", "organization__code", "date")
    )


# --- arrival from another province --------------------------------------------------------------------------------


def test_arrival_page_keeps_the_admission_date_and_writes_only_the_arrival(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    url = reverse("members:arrive", args=[tree["G1"].pk])

    response = client.post(
        url,
        {
            **_identity(),
            "organization": "c2",
            "arrival_date": "15/04/2024",
            "admission_date": "19/05/2008",
            "note": "Từ Đảng bộ tỉnh Hà Nam",
        },
    )

    member = Member.objects.get(record_number="246810HN")
    assert response.status_code == 302
    assert member.admission_date == date(2008, 5, 19)
    assert _events(member) == [(MovementKind.TRANSFER_IN, "C2", date(2024, 4, 15))]
    event = MovementEvent.objects.get(member=member)
    assert (event.transfer_scope, event.note) == (TransferScope.OUTSIDE_PROVINCE, "Từ Đảng bộ tỉnh Hà Nam")
    assert list(Membership.objects.filter(member=member).values_list("start", "end")) == [(date(2024, 4, 15), None)]
    assert member.history.get().history_user == grassroots_cadre


def test_arrival_page_refuses_an_admission_after_the_arrival(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)

    response = client.post(
        reverse("members:arrive", args=[tree["G1"].pk]),
        {**_identity(), "organization": "C1", "arrival_date": "15/04/2024", "admission_date": "16/04/2024"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["admission_date"] == ["Ngày vào Đảng không được sau ngày chuyển đến tỉnh."]
    assert not Member.objects.exists()


def test_organization_page_links_to_the_arrival_form(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)

    html = client.get(reverse("organization_detail", args=[tree["C1"].pk])).content.decode()

    assert reverse("members:arrive", args=[tree["C1"].pk]) in html


def test_arrival_counts_on_the_rolls_but_not_as_an_admission_of_the_year(tree, root_user):
    # G2 (a chi bộ cơ sở): two members since 2020, one admitted on 10/03/2024, one arriving on 15/04/2024 from
    # another province (admitted there in 2012).
    make_member(tree["G2"], admission_date=ADMITTED)
    make_member(tree["G2"], admission_date=ADMITTED)
    make_member(tree["G2"], admission_date=date(2024, 3, 10))
    member_arrive(
        actor=root_user,
        organization=tree["G2"],
        arrival_date=date(2024, 4, 15),
        admission_date=date(2012, 9, 2),
        full_name="Đặng Thị Thu",
        gender="F",
        date_of_birth=date(1980, 8, 12),
        record_number="246810HN",
    )

    movement = rolls_movement(
        actor=root_user, organization_id=tree["G2"].pk, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )
    t3_2024 = compliance(actor=root_user, year=2024, scope_id=tree["G2"].pk).scope.figures["T3"]
    t3_2025 = compliance(actor=root_user, year=2025, scope_id=tree["G2"].pk).scope.figures["T3"]

    # Biểu 1 for 2024: 2 at the start, + 1 admission + 1 arrival, 4 at the end.
    assert (movement.start, movement.end) == (2, 4)
    assert dict(movement.increases) == {MovementKind.ADMITTED: 1, MovementKind.TRANSFER_IN: 1}
    # T3 2024: one admission (not the arrival) over the 2 on the rolls on 31/12/2023.
    assert (t3_2024.numerator, t3_2024.denominator) == (1, 2)
    # T3 2025: no admission, over the 4 on the rolls on 31/12/2024 (the arrival included).
    assert (t3_2025.numerator, t3_2025.denominator) == (0, 4)


def test_api_creates_an_arrival_with_the_same_service(tree, board_api):
    body = {
        "entry": "arrival",
        "organization": tree["G2"].pk,
        "arrival_date": "2024-04-15",
        "admission_date": "2012-09-02",
        "note": "Từ tỉnh Nam Định",
        "full_name": "Đặng Thị Thu",
        "gender": "F",
        "date_of_birth": "1980-08-12",
        "record_number": "246810HN",
    }

    response = board_api.post("/api/members/", body, format="json")

    assert response.status_code == 201
    assert response.json()["admission_date"] == "2012-09-02"
    assert [(e["kind"], e["transfer_scope"]) for e in response.json()["events"]] == [("TRANSFER_IN", "OUTSIDE")]


def test_api_arrival_needs_its_date_and_an_admission_refuses_arrival_fields(tree, board_api):
    base = {
        "organization": tree["G2"].pk,
        "admission_date": "2012-09-02",
        "full_name": "Đặng Thị Thu",
        "gender": "F",
        "date_of_birth": "1980-08-12",
        "record_number": "246810HN",
    }

    no_date = board_api.post("/api/members/", {**base, "entry": "arrival"}, format="json")
    admission_with_arrival = board_api.post("/api/members/", {**base, "arrival_date": "2024-04-15"}, format="json")

    assert (no_date.status_code, errors(no_date)) == (
        400,
        [("arrival_date", "Chuyển đến từ tỉnh khác cần có ngày đến.")],
    )
    assert admission_with_arrival.status_code == 400
    assert errors(admission_with_arrival)[0][0] == "arrival_date"
    assert not Member.objects.exists()


# --- departures and the other decreases, and re-admission: a page door and an API door ------------------------------


@pytest.mark.parametrize(
    ("kind", "scope"),
    [
        (MovementKind.TRANSFER_OUT, TransferScope.OUTSIDE_PROVINCE),
        (MovementKind.DECEASED, ""),
        (MovementKind.EXPELLED, ""),
        (MovementKind.STRUCK_OFF, ""),
        (MovementKind.WITHDRAWN, ""),
    ],
)
def test_every_decrease_through_the_page_and_the_api(client, tree, grassroots_cadre, kind, scope):
    by_page = make_member(tree["C1"], admission_date=ADMITTED)
    by_api = make_member(tree["C1"], admission_date=ADMITTED)
    client.force_login(grassroots_cadre)

    page = client.post(
        reverse("members:movement_add", args=[by_page.pk]),
        {"kind": kind, "date": "01/09/2025", "organization": "C1", "transfer_scope": scope},
    )
    api = token_client(grassroots_cadre).post(
        f"/api/members/{by_api.pk}/movements/",
        {"kind": kind, "date": "2025-09-01", "organization": tree["C1"].pk, "transfer_scope": scope},
        format="json",
    )

    assert (page.status_code, api.status_code) == (302, 201)
    for member in (by_page, by_api):
        assert _events(member)[-1] == (kind, "C1", date(2025, 9, 1))
        assert Membership.objects.get(member=member).end == date(2025, 9, 1)


def test_readmission_after_leaving_through_the_page(client, tree, grassroots_cadre, binh):
    client.force_login(grassroots_cadre)
    url = reverse("members:movement_add", args=[binh.pk])

    left = client.post(url, {"kind": MovementKind.WITHDRAWN, "date": "01/02/2025", "organization": "C1"})
    back = client.post(url, {"kind": MovementKind.READMITTED, "date": "01/09/2025", "organization": "C2"})

    binh.refresh_from_db()
    assert (left.status_code, back.status_code) == (302, 302)
    assert _events(binh)[-1] == (MovementKind.READMITTED, "C2", date(2025, 9, 1))
    assert binh.admission_date == date(2025, 9, 1)
    assert list(Membership.objects.filter(member=binh).order_by("start").values_list("organization__code", "end")) == [
        ("C1", date(2025, 2, 1)),
        ("C2", None),
    ]


# --- moves between any two units the actor may write ---------------------------------------------------------------


def test_board_moves_a_member_across_district_level_committees_through_the_page(client, tree, west, board_user, binh):
    client.force_login(board_user)

    response = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": "TRANSFER_WITHIN", "date": "01/09/2025", "organization": "G3", "note": "Chuyển công tác"},
    )

    assert response.status_code == 302
    assert _events(binh)[1:] == [
        (MovementKind.TRANSFER_OUT, "C1", date(2025, 9, 1)),
        (MovementKind.TRANSFER_IN, "G3", date(2025, 9, 1)),
    ]
    assert Membership.objects.get(member=binh, end__isnull=True).organization == west["G3"]


def test_district_cadre_cannot_move_a_member_into_another_district(client, tree, west, ward_cadre, binh):
    client.force_login(ward_cadre)

    response = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": "TRANSFER_WITHIN", "date": "01/09/2025", "organization": "G3"},
    )

    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["organization"])
    assert message.startswith("Tổ chức đảng: không có chi bộ hoặc tổ chức cơ sở đảng nào mã “G3”")
    assert "01/09/2025" in message
    assert str(west["G3"].pk) not in message
    assert len(_events(binh)) == 1


def test_unknown_unit_code_is_refused_by_name_not_by_number(client, tree, board_user, binh):
    client.force_login(board_user)

    response = client.post(
        reverse("members:movement_add", args=[binh.pk]),
        {"kind": "TRANSFER_WITHIN", "date": "01/09/2025", "organization": str(tree["C2"].pk)},
    )

    assert response.status_code == 200
    assert "không phải là một trong các lựa chọn" not in response.content.decode()
    assert f"mã “{tree['C2'].pk}”" in " ".join(response.context["form"].errors["organization"])
    assert len(_events(binh)) == 1


def test_unit_suggestions_cover_every_writable_unit_and_only_those(client, tree, west, board_user, ward_cadre):
    url = reverse("members:unit_options") + "?truong=organization&organization="
    client.force_login(board_user)
    board_all = client.get(url).content.decode()
    board_west = client.get(url + "tay").content.decode()
    client.force_login(ward_cadre)
    ward_all = client.get(url).content.decode()

    assert all(f'value="{code}"' in board_all for code in ("G1", "C1", "C2", "G2", "G3"))
    assert 'value="X2"' not in board_all  # a commune-level committee keeps no rolls
    assert 'value="G3"' in board_west
    assert 'value="G1"' not in board_west
    assert 'value="G1"' in ward_all
    assert 'value="G3"' not in ward_all


def test_movement_page_offers_the_current_unit_by_its_code(client, tree, board_user, binh):
    client.force_login(board_user)

    html = client.get(reverse("members:movement_add", args=[binh.pk])).content.decode()

    assert 'value="C1"' in html
    assert reverse("members:unit_options") in html
