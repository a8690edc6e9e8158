"""The indicator catalogue: the Organization Board adds and edits tracked figures from the registry's measures on a
page, through an audited service; a program target is read-only there; a new figure shows on the dashboard.

The province for 2024 (the `tree` fixture): C1 (cell of G1, under D1) has A, B and K; G2 (under D2) has M and Q,
all admitted in 2019. M is expelled at G2 on 01/08/2024; K is struck off at C1 on 10/05/2024 (not an expulsion).
Rolls on 31/12/2023: C1 3 (A, B, K), G2 2 (M, Q) → D1 3, D2 2, the province 5.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from indicators import services
from indicators.models import IndicatorDefinition
from indicators.services import snapshot_refresh
from members.models import DisciplineKind, MovementKind
from members.services import discipline_add, movement_record
from party_portal.doors import WEB
from tests.factories import make_member

ADMITTED = date(2019, 4, 2)
# The brief's example: members expelled over the members on the rolls at the start of the year, in percent.
EXPELLED = {
    "code": "KT_TY_LE",
    "name_vi": "Đảng viên bị khai trừ",
    "name_en": "Members expelled",
    "numerator": "members_expelled",
    "denominator": "members_at_start_of_year",
    "unit": "PERCENT",
    "comparator": "",
    "threshold": "",
    "mode": "EACH_YEAR",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def expelled_2024(tree, root_user):
    a, b, k = (make_member(tree["C1"], admission_date=ADMITTED, full_name=n) for n in ("An", "Bình", "Khánh"))
    m, q = (make_member(tree["G2"], admission_date=ADMITTED, full_name=n) for n in ("Minh", "Quang"))
    discipline_add(actor=root_user, member=m, kind=DisciplineKind.EXPULSION, decided_on=date(2024, 8, 1))
    movement_record(
        actor=root_user, member=m, kind=MovementKind.EXPELLED, date=date(2024, 8, 1), organization=tree["G2"]
    )
    movement_record(
        actor=root_user, member=k, kind=MovementKind.STRUCK_OFF, date=date(2024, 5, 10), organization=tree["C1"]
    )
    return {"A": a, "B": b, "K": k, "M": m, "Q": q}


def _tracked(**changes):
    values = {
        "name_vi": "Đảng viên bị khai trừ",
        "numerator": "members_expelled",
        "denominator": "members_at_start_of_year",
        "unit": "PERCENT",
    }
    return {**values, **changes}


def _dashboard(client, tree, key):
    return client.get(reverse("indicators:dashboard") + f"?nam=2024&pham-vi={tree[key].pk}")


def _tiles(response):
    return {tile.code: tile for section in response.context["sections"] for tile in section.tiles}


def test_board_adds_a_figure_on_the_page_and_the_dashboard_shows_it(client, board_user, tree, expelled_2024):
    snapshot_refresh(year=2024)
    client.force_login(board_user)
    before = _dashboard(client, tree, "P")

    added = client.post(reverse("definitions:create"), EXPELLED)

    assert added.status_code == 302
    province, d1, d2 = (_tiles(_dashboard(client, tree, key)) for key in ("P", "D1", "D2"))
    assert "KT_TY_LE" not in _tiles(before)
    # M expelled of the 5 on the rolls on 31/12/2023; D2: M of M, Q; D1: none of A, B, K (K was struck off).
    assert (province["KT_TY_LE"].numerator, province["KT_TY_LE"].denominator) == (1, 5)
    assert province["KT_TY_LE"].value == "20,00 %"
    assert d2["KT_TY_LE"].value == "50,00 %"
    assert d1["KT_TY_LE"].value == "0,00 %"
    definition = IndicatorDefinition.objects.get(code="KT_TY_LE")
    assert (definition.kind, definition.group, definition.active) == ("TRACKED", "other", True)


def test_a_new_figure_is_in_the_compliance_json(client, board_user, tree, expelled_2024):
    client.force_login(board_user)
    client.post(reverse("definitions:create"), EXPELLED)
    snapshot_refresh(year=2024)  # the API serves the snapshots: the nightly (or requested) refresh after the change

    body = client.get("/api/indicators/compliance/?year=2024&scope=P").json()

    # 1 of 5 in the province; the D2 child: 1 of 2.
    figure = body["scope"]["indicators"]["KT_TY_LE"]
    assert (figure["numerator"], figure["denominator"], figure["ratio"]) == (1, 5, "20.0000")
    d2 = next(child for child in body["children"] if child["code"] == "D2")
    assert (d2["indicators"]["KT_TY_LE"]["numerator"], d2["indicators"]["KT_TY_LE"]["denominator"]) == (1, 2)


def test_a_count_with_a_threshold_is_judged_and_a_deactivated_figure_leaves_the_dashboard(
    client, board_user, tree, expelled_2024
):
    snapshot_refresh(year=2024)
    client.force_login(board_user)
    count = {**EXPELLED, "code": "XT_SO", "numerator": "members_struck_off", "denominator": "", "unit": "COUNT"}
    client.post(reverse("definitions:create"), {**count, "comparator": "<=", "threshold": "0"})
    definition = IndicatorDefinition.objects.get(code="XT_SO")
    shown = _tiles(_dashboard(client, tree, "P"))

    client.post(
        reverse("definitions:edit", args=[definition.pk]),
        {**count, "comparator": "<=", "threshold": "0", "active": ""},
    )

    # K struck off in the province: 1, against "≤ 0": missed.
    assert (shown["XT_SO"].numerator, shown["XT_SO"].status) == (1, "not_met")
    assert "XT_SO" not in _tiles(_dashboard(client, tree, "P"))
    definition.refresh_from_db()
    assert definition.active is False


def test_the_audit_rows_name_the_board_and_the_web(client, board_user, tree):
    client.force_login(board_user)
    client.post(reverse("definitions:create"), EXPELLED)
    definition = IndicatorDefinition.objects.get(code="KT_TY_LE")

    client.post(reverse("definitions:edit", args=[definition.pk]), {**EXPELLED, "threshold": "1,5", "comparator": "<"})

    definition.refresh_from_db()
    assert (definition.comparator, definition.threshold) == ("<", Decimal("1.5"))
    rows = list(definition.history.order_by("history_id").values_list("history_type", "history_user", "history_door"))
    assert rows == [("+", board_user.pk, WEB), ("~", board_user.pk, WEB)]
    trail = client.get(reverse("audit:trail", args=["chi-so", definition.pk]))
    assert trail.status_code == 200


def test_saving_a_figure_unchanged_writes_no_audit_row(board_user, tree):
    definition = services.definition_create(actor=board_user, code="KT_TY_LE", **_tracked())

    services.definition_update(actor=board_user, definition=definition, **_tracked())

    assert definition.history.count() == 1


def test_only_the_board_may_add_or_edit(client, board_user, district_cadre, steering_user, ward_cadre, tree):
    definition = services.definition_create(actor=board_user, code="KT_TY_LE", **_tracked())
    for user in (district_cadre, steering_user, ward_cadre):
        client.force_login(user)

        create_page = client.get(reverse("definitions:create"))
        created = client.post(reverse("definitions:create"), {**EXPELLED, "code": "KHAC"})
        edited = client.post(reverse("definitions:edit", args=[definition.pk]), {**EXPELLED, "name_vi": "Khác"})
        listing = client.get(reverse("definitions:list"))

        assert (create_page.status_code, created.status_code, edited.status_code) == (403, 403, 403)
        assert listing.status_code == 200
        assert reverse("definitions:edit", args=[definition.pk]) not in listing.content.decode()
    with pytest.raises(PermissionDenied):
        services.definition_create(actor=steering_user, code="KHAC", **_tracked())
    with pytest.raises(PermissionDenied):
        services.definition_update(actor=district_cadre, definition=definition, name_vi="Khác")
    assert list(IndicatorDefinition.objects.filter(code="KT_TY_LE").values_list("code", "name_vi")) == [
        ("KT_TY_LE", "Đảng viên bị khai trừ")
    ]
    assert IndicatorDefinition.objects.filter(kind="TRACKED").count() == 17  # the 16 of the migration and KT_TY_LE
    client.force_login(board_user)
    assert client.get(reverse("definitions:create")).status_code == 200


def test_the_menu_offers_the_catalogue_to_the_board_only(client, board_user, steering_user, tree):
    url = reverse("definitions:list")
    client.force_login(board_user)
    board_home = client.get(reverse("home")).content.decode()
    client.force_login(steering_user)
    steering_home = client.get(reverse("home")).content.decode()

    assert f'href="{url}"' in board_home
    assert f'href="{url}"' not in steering_home


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"numerator": ""}, "numerator", "Phép đếm của tử số: chọn phép đếm được đếm."),
        (
            {"numerator": "members_gone"},
            "numerator",
            "Phép đếm của tử số: “members_gone” không có trong danh mục phép đếm; hãy chọn trong danh sách.",
        ),
        (
            {"denominator": "rolls_gone"},
            "denominator",
            "Phép đếm của tổng số: “rolls_gone” không có trong danh mục phép đếm; hãy chọn trong danh sách.",
        ),
        (
            {"denominator": ""},
            "denominator",
            "Phép đếm của tổng số: số liệu tính theo tỷ lệ phần trăm là tỷ lệ trên một tổng số; "
            "hãy chọn phép đếm của tổng số đó.",
        ),
        (
            {"unit": "COUNT"},
            "denominator",
            "Phép đếm của tổng số: số liệu đếm số lượng không có tổng số để so; hãy để trống.",
        ),
        ({"threshold": Decimal("2")}, "comparator", "Phép so sánh: ngưỡng cần có phép so sánh (>, ≥, < hoặc ≤)."),
        ({"comparator": ">"}, "threshold", "Ngưỡng: phép so sánh cần có ngưỡng để so."),
        ({"comparator": "<", "threshold": Decimal("-1")}, "threshold", "Ngưỡng: không được âm."),
        ({"comparator": "<", "threshold": Decimal("100.5")}, "threshold", "Ngưỡng: tỷ lệ phần trăm từ 0 đến 100."),
        ({"mode": "BY_DEADLINE"}, "deadline_year", "Năm hạn: số liệu đánh giá theo năm hạn cần có năm đó."),
        ({"name_vi": "  "}, "name_vi", "Tên (tiếng Việt): hãy nhập tên của số liệu."),
    ],
)
def test_a_wrong_value_is_refused_naming_the_field(board_user, tree, changes, field, message):
    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            services.definition_create(actor=board_user, code="KT_TY_LE", **_tracked(**changes))

        assert _messages(error) == {field: [message]}
    assert not IndicatorDefinition.objects.filter(code="KT_TY_LE").exists()


def _messages(error):
    return {name: [str(m) for m in messages] for name, messages in error.value.message_dict.items()}


CODE_FORMAT = (
    "Mã: dùng từ 2 đến 16 chữ cái, chữ số, dấu gạch ngang hoặc dấu gạch dưới, bắt đầu bằng chữ cái (ví dụ KHAI_TRU)."
)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1ABC", CODE_FORMAT),
        ("KHAI TRU", CODE_FORMAT),
        ("", CODE_FORMAT),
        # T1a is a program target's code (a data migration's row); codes differ by more than their case.
        ("t1A", "Mã: t1A đã là mã của một chỉ tiêu khác."),
    ],
)
def test_a_code_is_well_formed_and_unused(board_user, tree, code, message):
    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            services.definition_create(actor=board_user, code=code, **_tracked())

        assert _messages(error) == {"code": [message]}
    assert not IndicatorDefinition.objects.filter(name_vi="Đảng viên bị khai trừ").exists()


TARGET_MESSAGE = (
    "T2a là chỉ tiêu của Chương trình: không tạo hay sửa ở đây; ngưỡng của chỉ tiêu được thay đổi ở trang Chỉ tiêu."
)


def test_a_program_target_is_neither_created_nor_changed_here(client, board_user, tree):
    target = IndicatorDefinition.objects.get(code="T2a")
    with translation.override("vi"):
        with pytest.raises(ValidationError) as created:
            services.definition_create(actor=board_user, code="T2a", kind="TARGET", **_tracked())
        with pytest.raises(ValidationError) as changed:
            services.definition_update(actor=board_user, definition=target, name_vi="Khác", unit="COUNT")

        assert _messages(created) == {"kind": [TARGET_MESSAGE]}
        assert [str(m) for m in changed.value.messages] == [TARGET_MESSAGE]
    client.force_login(board_user)
    page = client.post(reverse("definitions:edit", args=[target.pk]), {**EXPELLED, "name_vi": "Khác"}, follow=True)
    assert TARGET_MESSAGE in page.content.decode()
    target.refresh_from_db()
    assert (target.kind, target.name_vi, target.numerator) == (
        "TARGET",
        "Đảng viên hoàn thành tốt nhiệm vụ trở lên",
        "members_good",
    )
    assert target.history.count() == 0


def test_the_page_shows_the_message_on_its_field_and_writes_nothing(client, board_user, tree):
    client.force_login(board_user)

    response = client.post(reverse("definitions:create"), {**EXPELLED, "numerator": "members_gone"})

    assert response.status_code == 200
    assert response.context["form"].errors["numerator"] == [
        "Phép đếm của tử số: “members_gone” không có trong danh mục phép đếm; hãy chọn trong danh sách."
    ]
    assert not IndicatorDefinition.objects.filter(code="KT_TY_LE").exists()


def test_the_list_groups_the_targets_and_the_tracked_figures_with_their_measures(
    client, steering_user, board_user, tree
):
    services.definition_create(
        actor=board_user, code="KT_TY_LE", comparator="<", threshold=Decimal("0.5"), **_tracked()
    )
    client.force_login(steering_user)

    page = client.get(reverse("definitions:list")).content.decode()

    groups = [title for title, _rows in client.get(reverse("definitions:list")).context["groups"]]
    assert groups == ["Chỉ tiêu của Chương trình hành động", "Chỉ tiêu theo dõi khác"]
    # T3's measures by their labels for any year N; the program's threshold "> 4" with a link to the targets page.
    assert "đảng viên kết nạp trong năm N" in page
    assert "đảng viên có đến 31/12/N-1" in page
    assert "&gt; 4" in page
    assert reverse("targets:list") in page
    # The tracked figure with its own threshold, in Vietnamese decimals.
    assert "Đảng viên bị khai trừ" in page
    assert "&lt; 0,5" in page


def test_every_wrong_field_is_named_at_once(board_user, tree):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.definition_create(
            actor=board_user, code="1ABC", **_tracked(numerator="members_gone", unit="COUNT", comparator=">")
        )

    # The code's format, the unknown measure, a count with a denominator, a comparator without a threshold.
    assert sorted(error.value.message_dict) == ["code", "denominator", "numerator", "threshold"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_page_and_api_read_a_constant_number_of_queries(client, board_user, tree):
    client.force_login(board_user)
    services.definition_create(actor=board_user, code="KT1", **_tracked())
    one = (_queries(client, reverse("definitions:list")), _queries(client, "/api/indicators/definitions/"))
    for n in range(2, 7):
        services.definition_create(actor=board_user, code=f"KT{n}", **_tracked())

    six = (_queries(client, reverse("definitions:list")), _queries(client, "/api/indicators/definitions/"))

    assert one == six
