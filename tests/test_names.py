"""Names are stored in Unicode NFC and never hold a control, zero-width or bidirectional character, whichever
door they come in by: the pages' forms, the API, the admin, and the bulk writes of the Excel imports."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Member
from organizations.models import Organization
from party_portal.text import clean_text
from tests.api.conftest import token_client
from tests.factories import make_member

NFC_NAME = "Nguyễn Thị Ánh"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
RTL_NAME = "Nguyễn\u202eThị"  # U+202E RIGHT-TO-LEFT OVERRIDE, 7th character
FULL_NAME_REFUSED = "Họ và tên có ký tự điều khiển hoặc ký tự ẩn (U+202E) ở vị trí 7: hãy gõ lại mà không có ký tự đó."


def test_clean_text_composes_decomposed_vietnamese():
    assert NFD_NAME != NFC_NAME
    assert len(NFC_NAME) == 14
    assert len(NFD_NAME) == 18  # ễ is e and two marks, ị and Á a letter and one mark each

    assert clean_text(NFD_NAME) == NFC_NAME


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", "U+0000"),
        ("\t", "U+0009"),
        ("\n", "U+000A"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
        ("\x9f", "U+009F"),
        ("\u200b", "U+200B"),
        ("\u200f", "U+200F"),
        ("\u202a", "U+202A"),
        ("\u202e", "U+202E"),
        ("\u2066", "U+2066"),
        ("\u2069", "U+2069"),
        ("\ufeff", "U+FEFF"),
    ],
)
def test_clean_text_refuses_each_kind_of_hidden_character_naming_it_and_its_position(char, shown):
    with pytest.raises(ValidationError) as refused:
        clean_text(f"Lê{char}Văn", field="full_name", label="họ và tên")

    assert refused.value.message_dict == {
        "full_name": [
            f"Họ và tên có ký tự điều khiển hoặc ký tự ẩn ({shown}) ở vị trí 3: hãy gõ lại mà không có ký tự đó."
        ]
    }


def test_clean_text_keeps_the_characters_next_to_the_forbidden_ranges():
    # U+00A0 follows the C1 controls, U+2010 (hyphen) the zero-width marks, U+202F the overrides.
    text = "Lê\u00a0Văn\u2010A\u202fB\u2065C"

    assert clean_text(text) == text


def _member_page_data(tree, full_name):
    return {
        "organization": "C1",
        "admission_date": "02/03/2024",
        "full_name": full_name,
        "gender": "F",
        "date_of_birth": "05/04/1990",
        "ethnicity": "Kinh",
        "religion": "",
        "record_number": "765432TN",
        "card_number": "",
        "citizen_id": "",
    }


def test_page_form_refuses_a_hidden_character_and_writes_nothing(client, tree, root_user):
    client.force_login(root_user)

    response = client.post(reverse("members:create", args=[tree["C1"].pk]), _member_page_data(tree, RTL_NAME))

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [FULL_NAME_REFUSED]
    assert not Member.objects.filter(record_number="765432TN").exists()


def test_page_form_stores_a_decomposed_name_composed(client, tree, root_user):
    client.force_login(root_user)

    response = client.post(reverse("members:create", args=[tree["C1"].pk]), _member_page_data(tree, NFD_NAME))

    assert response.status_code == 302
    assert Member.objects.get(record_number="765432TN").full_name == NFC_NAME


def _api_member(tree, **overrides):
    return {
        "organization": tree["C1"].pk,
        "admission_date": "2024-03-02",
        "full_name": NFC_NAME,
        "gender": "F",
        "date_of_birth": "1990-04-05",
        "record_number": "765432TN",
        **overrides,
    }


def test_api_refuses_a_hidden_character_naming_the_field(tree, root_user):
    api = token_client(root_user)

    response = api.post("/api/members/", _api_member(tree, full_name=RTL_NAME), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "full_name", "message": FULL_NAME_REFUSED, "code": "forbidden_character"}
    ]
    assert not Member.objects.filter(record_number="765432TN").exists()


def test_api_stores_decomposed_names_composed_on_admission_and_update(tree, root_user):
    api = token_client(root_user)

    created = api.post("/api/members/", _api_member(tree, full_name=NFD_NAME), format="json")
    member = Member.objects.get(record_number="765432TN")
    updated = api.patch(
        f"/api/members/{member.pk}/", {"religion": unicodedata.normalize("NFD", "Phật giáo")}, format="json"
    )
    member.refresh_from_db()

    assert (created.status_code, updated.status_code) == (201, 200)
    assert (member.full_name, member.religion) == (NFC_NAME, "Phật giáo")


def test_api_update_refuses_a_zero_width_space_in_the_ethnicity(tree, root_user):
    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))

    response = token_client(root_user).patch(f"/api/members/{member.pk}/", {"ethnicity": "Kinh\u200b"}, format="json")

    member.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ethnicity"
    assert response.json()["errors"][0]["message"].startswith(
        "Dân tộc có ký tự điều khiển hoặc ký tự ẩn (U+200B) ở vị trí 5"
    )
    assert member.ethnicity == "Kinh"


def test_admin_refuses_a_hidden_character_in_an_organization_name(client, tree, root_user):
    client.force_login(root_user)
    data = {
        "code": "C9",
        "name": "Chi bộ\u200bkhu phố 9",
        "kind": "CELL",
        "org_type": "",
        "valid_from": "01/03/2024",
        "successor_of": "",
        "parent": tree["G1"].pk,
    }

    response = client.post(reverse("admin:organizations_organization_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "Tên có ký tự điều khiển hoặc ký tự ẩn (U+200B) ở vị trí 7: hãy gõ lại mà không có ký tự đó."
    ]
    assert not Organization.objects.filter(code="C9").exists()


def test_admin_rename_stores_the_name_composed(client, tree, root_user):
    client.force_login(root_user)
    url = reverse("admin:organizations_organization_change", args=[tree["C1"].pk])
    name = unicodedata.normalize("NFD", "Chi bộ khu phố Đông")

    placements = list(tree["C1"].placements.order_by("pk"))
    inline = {"placements-TOTAL_FORMS": len(placements), "placements-INITIAL_FORMS": len(placements)}
    for index, placement in enumerate(placements):
        inline |= {f"placements-{index}-id": placement.pk, f"placements-{index}-organization": tree["C1"].pk}

    response = client.post(url, {"name": name, "valid_to": "", "new_parent": "", "move_on": "", **inline})

    tree["C1"].refresh_from_db()
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert tree["C1"].name == "Chi bộ khu phố Đông"


def test_bulk_writes_store_names_composed(tree):
    # The Excel imports write members in bulk, without a full_clean: the field itself composes the name.
    Member.objects.bulk_create(
        [Member(full_name=NFD_NAME, gender="F", date_of_birth=date(1990, 4, 5), admission_date=date(2020, 1, 2),
                record_number="765432TN")]
    )  # fmt: skip

    assert Member.objects.get(record_number="765432TN").full_name == NFC_NAME


def test_anonymous_api_write_is_still_401_not_a_validation_error(tree):
    response = APIClient().post("/api/members/", _api_member(tree, full_name=RTL_NAME), format="json")

    assert response.status_code == 401
