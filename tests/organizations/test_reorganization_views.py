"""The pages under /to-chuc/ that change the tree: a form, its preview, then the confirmation (the `tree` fixture
of tests/conftest.py; operations dated 01/03/2026)."""

import re
from datetime import date

from organizations.models import Organization, OrgKind, Reorganization
from tests.factories import make_org

MERGE_URL = "/to-chuc/sap-xep/sap-nhap/"
MERGE = {
    "predecessors": ["G1", "G2"],
    "successor": "G3",
    "name": "Đảng bộ phường Bắc Tây",
    "new_kind": "GRASSROOTS_COMMITTEE",
    "org_type": "WARD",
    "effective_on": "01/03/2026",
    "decision_number": "125-QĐ/TU",
}


def _fingerprint(response):
    return re.search(r'name="confirm" value="(\w+)"', response.content.decode()).group(1)


def test_merge_page_previews_then_applies(client, tree, board_user):
    client.force_login(board_user)

    page = client.get(MERGE_URL)
    preview = client.post(MERGE_URL, {**MERGE, "preview": ""})
    written_by_preview = Organization.objects.filter(code="G3").exists()
    confirmed = client.post(MERGE_URL, {**MERGE, "confirm": _fingerprint(preview)})

    assert page.status_code == 200
    # Organization pickers (suggestions as one types), never a drop-down or a list of every code or id.
    assert 'name="predecessors"' in page.content.decode()
    assert "data-org-picker-write" in page.content.decode()
    assert "<option" not in page.content.decode().split('name="predecessors"')[1].split('name="successor"')[0]
    assert "Đảng bộ phường Bắc" not in page.content.decode()
    text = preview.content.decode()
    assert "Tổ chức chấm dứt hoạt động (ngày cuối 28/02/2026)" in text
    assert "G3 – Đảng bộ phường Bắc Tây" in text
    assert not written_by_preview
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/to-chuc/sap-xep/"
    assert Organization.objects.get(code="G3").valid_from.isoformat() == "2026-03-01"
    listing = client.get("/to-chuc/sap-xep/").content.decode()
    assert "125-QĐ/TU" in listing


def test_merge_page_refuses_a_confirmation_of_another_preview(client, tree, board_user):
    client.force_login(board_user)

    response = client.post(MERGE_URL, {**MERGE, "confirm": "0000000000000000"})

    assert response.status_code == 200
    assert "Dữ liệu đã thay đổi kể từ khi xem trước" in response.content.decode()
    assert _fingerprint(response)  # the preview of what would happen now, to confirm again
    assert not Reorganization.objects.exists()


MOVE_URL = "/to-chuc/sap-xep/dieu-chuyen/"


def test_move_page_refuses_an_unknown_code_on_its_field_with_the_pickers_message(client, tree, board_user):
    client.force_login(board_user)

    response = client.post(MOVE_URL, {"organization": "ZZ9", "new_parent": "G2", "effective_on": "01/03/2026"})

    assert response.context["form"].errors["organization"] == [
        "ngày 01/03/2026, trong phạm vi phụ trách không có tổ chức nào có mã hoặc tên “ZZ9”. Hãy gõ mã, hoặc chọn "
        "một tổ chức trong danh sách gợi ý."
    ]
    assert not Reorganization.objects.exists()


def test_move_page_picks_by_code_or_name_in_the_part_the_actor_may_change(client, tree, ward_cadre):
    # The ward cadre changes X1's subtree (G1, C1, C2, G2 since 01/07/2025), not X9 beside it.
    make_org("X9", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=date(2025, 7, 1), name="Đảng bộ xã Ngoài")
    client.force_login(ward_cadre)
    day = {"effective_on": "01/03/2026"}

    by_name = client.post(MOVE_URL, {**day, "organization": "khu pho 2", "new_parent": "so tu phap", "preview": ""})
    outside = client.post(MOVE_URL, {**day, "organization": "C1", "new_parent": "X9", "preview": ""})
    ambiguous = client.post(MOVE_URL, {**day, "organization": "khu pho", "new_parent": "G2", "preview": ""})

    # C2 ("Chi bộ khu phố 2") under G2 ("Chi bộ Sở Tư pháp"): the preview, by their codes.
    assert by_name.context["form"].cleaned_data["organization"] == "C2"
    assert by_name.context["form"].cleaned_data["new_parent"] == "G2"
    assert "fingerprint" in by_name.context
    assert outside.context["form"].errors["new_parent"] == [
        "ngày 01/03/2026, trong phạm vi phụ trách không có tổ chức nào có mã hoặc tên “X9”. Hãy gõ mã, hoặc chọn "
        "một tổ chức trong danh sách gợi ý."
    ]
    assert ambiguous.context["form"].errors["organization"] == [
        "có 2 tổ chức trong phạm vi phụ trách có “khu pho” trong tên. Hãy gõ mã của tổ chức cần chọn, hoặc chọn một "
        "tổ chức trong danh sách gợi ý."
    ]
    assert not Reorganization.objects.exists()


def test_split_page_distributes_by_the_mapping(client, tree, board_user):
    client.force_login(board_user)
    data = {
        "predecessor": "G1",
        "successor_1": "G1A",
        "successor_1_name": "Đảng bộ phường Bắc A",
        "successor_1_kind": "GRASSROOTS_COMMITTEE",
        "successor_1_type": "WARD",
        "successor_2": "G2",
        "mapping": "C2 = G2",
        "effective_on": "01/03/2026",
    }

    preview = client.post("/to-chuc/sap-xep/chia-tach/", {**data, "preview": ""})
    client.post("/to-chuc/sap-xep/chia-tach/", {**data, "confirm": _fingerprint(preview)})

    operation = Reorganization.objects.get()
    assert sorted(operation.links.values_list("successor__code", flat=True)) == ["G1A", "G2"]


def test_reorganization_pages_refused_to_a_grassroots_cadre(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)

    assert client.get(MERGE_URL).status_code == 403
    assert client.get("/to-chuc/sap-xep/").status_code == 200


def test_create_page_creates_a_cell_by_parent_code(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)

    response = client.post(
        "/to-chuc/them/",
        {"code": "C3", "name": "Chi bộ khu phố 3", "kind": "CELL", "valid_from": "05/01/2026", "parent": "G1"},
    )

    created = Organization.objects.get(code="C3")
    assert response.status_code == 302
    assert response["Location"] == f"/to-chuc/{created.pk}/"
