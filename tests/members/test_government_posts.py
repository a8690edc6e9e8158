"""Government and community posts from the member page: added on a unit of the member's past the actor may
change, ended on a date (members.record_services.government_post_add / government_post_end)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import RatingYear
from evaluations.services import year_close
from members import record_services
from members.models import Code, CodeList, GovernmentPost
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role, make_member

ADMITTED = date(2020, 3, 2)


@pytest.fixture
def binh(tree):
    return make_member(tree["C1"], admission_date=ADMITTED, full_name="Nguyễn Văn Bình")


@pytest.fixture
def g2_cadre(tree):
    user = UserFactory(username="cadre_g2")
    give_role(user, tree["G2"], RoleKind.GRASSROOTS_CADRE)
    return user


def _post(code):
    return Code.objects.get(list=CodeList.POST, code=code)


def _add(actor, member, organization, start, end=None, code="TRUONG_THON"):
    return record_services.government_post_add(
        actor=actor, member=member, kind=_post(code), organization=organization, start=start, end=end
    )


def test_post_add_page_records_the_post_with_an_audit_row(client, tree, grassroots_cadre, binh):
    client.force_login(grassroots_cadre)
    url = reverse("members:post_add", args=[binh.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "kind": _post("CT_UBND_XA").pk,
            "organization": tree["G1"].pk,
            "place": "Phường Bắc",
            "start": "01/07/2021",
            "end": "",
        },
    )

    post = GovernmentPost.objects.get(member=binh)
    assert page.status_code == 200
    assert page.context["form"]["organization"].value() == tree["C1"].pk
    assert response.status_code == 302
    assert (post.kind.code, post.organization, post.place, post.start, post.end) == (
        "CT_UBND_XA",
        tree["G1"],
        "Phường Bắc",
        date(2021, 7, 1),
        None,
    )
    assert post.history.get().history_user == grassroots_cadre
    detail = client.get(response["Location"]).content.decode()
    assert "Đã ghi chức vụ chính quyền, cộng đồng." in detail
    assert reverse("members:post_end", args=[post.pk]) in detail


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start": "01/07/2021", "end": "30/06/2021"},
            "end",
            "Ngày kết thúc không được trước ngày bắt đầu (01/07/2021).",
        ),
        (
            {"start": "01/01/2019", "end": "31/12/2019"},
            "organization",
            "Từ 01/01/2019 đến 31/12/2019 đảng viên chưa từng sinh hoạt tại Chi bộ khu phố 1 hoặc một đơn vị trực "
            "thuộc: chức vụ ghi tại đó phải là của đảng viên thuộc tổ chức đảng này.",
        ),
        ({"start": "01/07/2020"}, "start", "Chức vụ này đã được ghi cho đảng viên từ ngày 01/07/2020."),
    ],
)  # fmt: skip
def test_post_add_page_shows_the_services_message_by_the_field(
    client, tree, root_user, grassroots_cadre, binh, fields, field, message
):
    _add(root_user, binh, tree["C1"], date(2020, 7, 1))
    client.force_login(grassroots_cadre)
    data = {"kind": _post("TRUONG_THON").pk, "organization": tree["C1"].pk, "place": "", "end": "", **fields}

    response = client.post(reverse("members:post_add", args=[binh.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert GovernmentPost.objects.filter(member=binh).count() == 1


def test_post_add_before_the_organization_was_formed_is_refused(tree, root_user, binh):
    with pytest.raises(ValidationError) as error:
        _add(root_user, binh, tree["X1"], date(2025, 6, 30))

    assert error.value.message_dict["start"] == [
        "Tổ chức được thành lập ngày 01/07/2025: chức vụ gắn với tổ chức này không thể bắt đầu trước ngày đó."
    ]


def test_post_add_in_a_closed_year_is_refused(tree, root_user, binh):
    year_close(actor=root_user, year=RatingYear.objects.get(year=2024))

    with pytest.raises(ValidationError) as error:
        _add(root_user, binh, tree["C1"], date(2024, 3, 1))

    assert "Năm đánh giá 2024 đã đóng" in error.value.message_dict["start"][0]
    assert not GovernmentPost.objects.exists()


def test_post_end_page_ends_the_post_on_its_last_day(client, tree, root_user, grassroots_cadre, binh):
    post = _add(root_user, binh, tree["C1"], date(2021, 1, 1))
    client.force_login(grassroots_cadre)

    response = client.post(reverse("members:post_end", args=[post.pk]), {"end": "31/12/2025"})
    again = client.post(reverse("members:post_end", args=[post.pk]), {"end": "31/12/2025"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.end == date(2025, 12, 31)
    assert post.history.first().history_user == grassroots_cadre
    assert again.context["form"].errors["end"] == [
        "Bản ghi này đã có ngày kết thúc 31/12/2025: không thể kết thúc lại."
    ]


def test_a_foreign_members_post_is_refused_and_nothing_is_written(client, tree, root_user, g2_cadre, binh):
    post = _add(root_user, binh, tree["C1"], date(2021, 1, 1))
    client.force_login(g2_cadre)

    add = client.post(
        reverse("members:post_add", args=[binh.pk]),
        {"kind": _post("TRUONG_THON").pk, "organization": tree["C1"].pk, "start": "01/01/2022"},
    )
    end = client.post(reverse("members:post_end", args=[post.pk]), {"end": "31/12/2025"})

    post.refresh_from_db()
    assert (add.status_code, end.status_code) == (404, 404)
    assert GovernmentPost.objects.count() == 1
    assert post.end is None


def test_a_read_only_role_sees_the_post_but_cannot_end_it(client, tree, root_user, steering_user, binh):
    post = _add(root_user, binh, tree["C1"], date(2021, 1, 1))
    client.force_login(steering_user)

    detail = client.get(reverse("members:detail", args=[binh.pk])).content.decode()
    end = client.post(reverse("members:post_end", args=[post.pk]), {"end": "31/12/2025"})

    post.refresh_from_db()
    assert "Trưởng thôn" in detail
    assert reverse("members:post_end", args=[post.pk]) not in detail
    assert end.status_code == 403
    assert post.end is None
