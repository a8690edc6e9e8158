"""The coded lists pages (/danh-muc/): every reader sees the lists, the Organization Board adds and edits codes
(members.record_services.code_add / code_update), a used code keeps its spelling, every change is audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members import record_services
from members.models import Code, CodeList, GovernmentPost
from members.record_services import government_post_add
from tests.factories import make_member

ADMITTED = date(2020, 3, 2)


def _code(code_list, code):
    return Code.objects.get(list=code_list, code=code)


@pytest.fixture
def coded_members(tree, root_user):
    """Two members of Tày ethnicity (02), one Kinh (01); one of them holds a village head post."""
    tay = _code(CodeList.ETHNICITY, "02")
    first = make_member(tree["C1"], admission_date=ADMITTED, full_name="Hoàng Văn Một", ethnicity_code=tay)
    make_member(tree["C1"], admission_date=ADMITTED, full_name="Hoàng Thị Hai", ethnicity_code=tay)
    kinh = _code(CodeList.ETHNICITY, "01")
    make_member(tree["C2"], admission_date=ADMITTED, full_name="Nguyễn Văn Ba", ethnicity_code=kinh)
    head = _code(CodeList.POST, "TRUONG_THON")
    government_post_add(actor=root_user, member=first, kind=head, organization=tree["C1"], start=first.admission_date)
    return first


def _form(**overrides):
    data = {"code": "", "name": "", "name_en": "", "group": "", "position": "0", "active": "on"}
    data.update(overrides)
    return data


def test_code_lists_page_counts_the_codes_of_each_list(client, board_user):
    client.force_login(board_user)

    response = client.get(reverse("codes:lists"))

    rows = {row["list"]: (row["total"], row["active"]) for row in response.context["lists"]}
    # The seeded lists (docs/decisions.md): 54 ethnic groups and "other" (99); nine posts.
    assert rows[CodeList.ETHNICITY] == (55, 55)
    assert rows[CodeList.POST] == (9, 9)
    assert reverse("codes:list", args=["ethnicity"]) in response.content.decode()


def test_code_list_page_shows_how_many_records_use_each_code(client, board_user, coded_members):
    client.force_login(board_user)

    ethnicity = client.get(reverse("codes:list", args=["ethnicity"]))
    posts = client.get(reverse("codes:list", args=["post"]))

    usage = {code.code: code.usage for code in ethnicity.context["codes"]}
    # Hand-counted from the fixture: two Tày members, one Kinh, nobody Thái.
    assert (usage["02"], usage["01"], usage["03"]) == (2, 1, 0)
    assert {code.code: code.usage for code in posts.context["codes"]}["TRUONG_THON"] == 1
    assert reverse("codes:edit", args=[_code(CodeList.ETHNICITY, "02").pk]) in ethnicity.content.decode()


def test_a_cadre_reads_the_codes_without_the_province_wide_counts(client, district_cadre, coded_members):
    client.force_login(district_cadre)

    response = client.get(reverse("codes:list", args=["ethnicity"]))

    # The counts run over every unit of the province, most of them outside the cadre's district.
    assert response.status_code == 200
    assert "Tày" in response.content.decode()
    assert "Số hồ sơ đang dùng" not in response.content.decode()
    assert not any(hasattr(code, "usage") for code in response.context["codes"])


def test_code_list_page_of_an_unknown_list_is_not_found(client, board_user):
    client.force_login(board_user)

    assert client.get(reverse("codes:list", args=["mau-sac"])).status_code == 404


def test_code_add_by_the_board_is_saved_in_capitals_and_audited(client, board_user):
    client.force_login(board_user)
    url = reverse("codes:add", args=["post"])

    response = client.post(url, _form(code="pho_to", name="Tổ phó tổ dân phố", group="khac", position="95"))

    code = _code(CodeList.POST, "PHO_TO")
    assert response.status_code == 302
    assert response["Location"] == reverse("codes:list", args=["post"])
    assert (code.name, code.group, code.position, code.active) == ("Tổ phó tổ dân phố", "KHAC", 95, True)
    assert code.history.get().history_user == board_user
    assert "Đã thêm mã PHO_TO (Tổ phó tổ dân phố)." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"code": "01", "name": "Kinh"}, "code", "Danh mục “Dân tộc” đã có mã “01”."),
        (
            {"code": "A-1", "name": "Khác"},
            "code",
            "Mã “A-1” không hợp lệ: mã gồm 1–16 ký tự là chữ in hoa không dấu, chữ số hoặc dấu gạch dưới.",
        ),
        (
            {"code": "X1", "name": "Khác", "group": "THIỂU SỐ"},
            "group",
            "Nhóm “THIỂU SỐ” không hợp lệ: nhóm gồm tối đa 32 ký tự là chữ in hoa không dấu, chữ số hoặc dấu gạch "
            "dưới.",
        ),
    ],
)
def test_code_add_refuses_bad_input_next_to_the_field_and_writes_nothing(client, board_user, fields, field, message):
    client.force_login(board_user)
    before = Code.objects.count()

    response = client.post(reverse("codes:add", args=["ethnicity"]), _form(**fields))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Code.objects.count() == before


def test_code_edit_renames_regroups_reorders_and_deactivates_a_used_code(client, board_user, coded_members):
    client.force_login(board_user)
    tay = _code(CodeList.ETHNICITY, "02")
    url = reverse("codes:edit", args=[tay.pk])

    page = client.get(url)
    response = client.post(
        url, _form(code="TAY", name="Tày (Thổ)", name_en="Tay", group="THIEU_SO", position="3", active="")
    )

    tay.refresh_from_db()
    assert page.context["form"].fields["code"].disabled is True
    assert response.status_code == 302
    # The code field is disabled on a used code: the value posted is ignored, the spelling stays.
    assert (tay.code, tay.name, tay.name_en, tay.position, tay.active) == ("02", "Tày (Thổ)", "Tay", 3, False)
    latest = tay.history.first()
    assert latest.history_user == board_user
    assert (latest.name, latest.active) == ("Tày (Thổ)", False)


def test_code_update_refuses_to_change_a_used_code(board_user, coded_members):
    tay = _code(CodeList.ETHNICITY, "02")

    with pytest.raises(ValidationError) as error:
        record_services.code_update(actor=board_user, entry=tay, code="TAY")

    assert error.value.message_dict["code"] == [
        "Mã “02” đang được 2 hồ sơ sử dụng nên không thể đổi: hãy đổi tên hoặc ngừng dùng mã này."
    ]
    assert Code.objects.filter(list=CodeList.ETHNICITY, code="02").exists()


def test_code_update_changes_an_unused_code_and_reactivates_it(board_user):
    thai = _code(CodeList.ETHNICITY, "03")
    record_services.code_update(actor=board_user, entry=thai, active=False)

    record_services.code_update(actor=board_user, entry=thai, code="THAI", active=True)

    thai.refresh_from_db()
    assert (thai.code, thai.active) == ("THAI", True)
    # Deactivated, then recoded and reactivated: two audit rows, both the Board's.
    assert thai.history.filter(history_user=board_user).count() == 2


def test_code_update_with_the_same_values_writes_no_audit_row(board_user):
    kinh = _code(CodeList.ETHNICITY, "01")
    rows = kinh.history.count()

    record_services.code_update(actor=board_user, entry=kinh, name=kinh.name, active=True)

    assert kinh.history.count() == rows


def test_district_cadre_cannot_add_or_edit_codes(client, ward_cadre):
    client.force_login(ward_cadre)
    kinh = _code(CodeList.ETHNICITY, "01")
    before = Code.objects.count()

    add = client.post(reverse("codes:add", args=["ethnicity"]), _form(code="100", name="Khác"))
    edit = client.post(reverse("codes:edit", args=[kinh.pk]), _form(code="01", name="Việt"))
    listing = client.get(reverse("codes:list", args=["ethnicity"]))

    kinh.refresh_from_db()
    assert add.status_code == 403
    assert edit.status_code == 403
    assert "thay đổi các danh mục mã" in add.content.decode()
    assert (Code.objects.count(), kinh.name) == (before, "Kinh")
    # Reading the lists is every reader's (imports and the API name codes); the edit links are the Board's.
    assert listing.status_code == 200
    assert reverse("codes:edit", args=[kinh.pk]) not in listing.content.decode()
    with pytest.raises(PermissionDenied):
        record_services.code_add(actor=ward_cadre, code_list=CodeList.ETHNICITY, code="100", name="Khác")


def test_coded_lists_menu_entry_is_the_boards(client, board_user, grassroots_cadre):
    client.force_login(board_user)
    board_page = client.get(reverse("organizations:tree")).content.decode()
    client.force_login(grassroots_cadre)
    cadre_page = client.get(reverse("organizations:tree")).content.decode()

    assert f'href="{reverse("codes:lists")}"' in board_page
    assert f'href="{reverse("codes:lists")}"' not in cadre_page


def test_a_deactivated_post_cannot_be_given_but_stays_on_the_members_who_hold_it(tree, root_user, coded_members):
    head = _code(CodeList.POST, "TRUONG_THON")
    record_services.code_update(actor=root_user, entry=head, active=False)

    with pytest.raises(ValidationError) as error:
        government_post_add(
            actor=root_user,
            member=coded_members,
            kind=head,
            organization=tree["C1"],
            start=date(2024, 1, 1),
        )

    assert error.value.message_dict["kind"] == [
        "Hãy chọn một chức vụ đang dùng trong danh mục chức vụ chính quyền, cộng đồng."
    ]
    assert GovernmentPost.objects.get(member=coded_members).kind == head
