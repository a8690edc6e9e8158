"""The coded member records over the API: given and shown by their codes, an unknown or inactive code refused
with a message naming it, posts held listed on the member."""

from datetime import date

import pytest

from members.models import Code, CodeList, GovernmentPost, Member
from tests.api.conftest import errors
from tests.factories import make_member


@pytest.fixture
def an(tree):
    return make_member(tree["C1"], admission_date=date(2019, 3, 2), full_name="Lê Văn An")


def test_member_coded_fields_updated_and_shown_by_code(tree, an, grassroots_api):
    response = grassroots_api.patch(
        f"/api/members/{an.pk}/",
        {
            "ethnicity_code": "02",
            "religion_code": "00",
            "qualification": "DAI_HOC",
            "occupation_at_admission": "CN_DN_NNN",
            "youth_union_at_admission": True,
        },
        format="json",
    )

    assert response.status_code == 200
    an.refresh_from_db()
    assert an.ethnicity_code.name == "Tày"
    assert an.qualification.code == "DAI_HOC"
    assert an.youth_union_at_admission is True
    shown = grassroots_api.get(f"/api/members/{an.pk}/").json()
    assert shown["ethnicity_code"] == "02"
    assert shown["occupation_at_admission"] == "CN_DN_NNN"
    assert shown["occupation_now"] is None
    assert shown["youth_union_at_admission"] is True


def test_member_code_of_another_list_or_inactive_is_refused(tree, an, grassroots_api):
    Code.objects.filter(list=CodeList.RELIGION, code="16").update(active=False)

    wrong_list = grassroots_api.patch(f"/api/members/{an.pk}/", {"ethnicity_code": "DAI_HOC"}, format="json")
    inactive = grassroots_api.patch(f"/api/members/{an.pk}/", {"religion_code": "16"}, format="json")

    assert wrong_list.status_code == 400
    assert errors(wrong_list) == [("ethnicity_code", "Không có mã “DAI_HOC” đang dùng trong danh mục này.")]
    assert inactive.status_code == 400
    assert Member.objects.get(pk=an.pk).religion_code is None


def test_member_government_posts_listed(tree, an, grassroots_api):
    GovernmentPost.objects.create(
        member=an,
        kind=Code.objects.get(list=CodeList.POST, code="TRUONG_THON"),
        organization=tree["C1"],
        place="Thôn Đông",
        start=date(2022, 1, 1),
    )

    [post] = grassroots_api.get(f"/api/members/{an.pk}/").json()["government_posts"]

    assert post["kind"] == "TRUONG_THON"
    assert post["place"] == "Thôn Đông"
    assert post["end"] is None
