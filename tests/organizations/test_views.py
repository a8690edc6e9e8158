from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization, OrgKind, Placement
from tests.factories import make_org

BEFORE_REFORM = "31/12/2024"
AFTER_REFORM = "31/12/2025"


def _tree_url(**params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('organizations:tree')}?{query}"


def _children_url(org, day):
    return f"{reverse('organizations:children', args=[org.pk])}?ngay={day}"


def test_tree_requires_login(client, tree):
    response = client.get(reverse("organizations:tree"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_is_the_users_work_and_the_tree_stays_in_the_menu(client, root_user, tree):
    client.force_login(root_user)

    response = client.get("/")

    assert response.status_code == 200
    assert f'href="{reverse("organizations:tree")}"' in response.content.decode()


def test_login_page_signs_in(client, root_user):
    page = client.get(reverse("login"))

    response = client.post(reverse("login"), {"username": "root", "password": "pw"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_a_post(client, root_user):
    client.force_login(root_user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("organizations:tree")).status_code == 302


def test_tree_roots_are_the_top_of_the_users_scope(client, district_cadre):
    client.force_login(district_cadre)

    response = client.get(_tree_url(ngay=BEFORE_REFORM))

    html = response.content.decode()
    assert "Huyện ủy Đông Sơn" in html
    assert "Huyện ủy Tây Hòa" not in html
    assert "Đảng bộ tỉnh Thử Nghiệm" not in html


def test_tree_of_an_abolished_district_is_empty_after_the_reform(client, district_cadre):
    client.force_login(district_cadre)

    response = client.get(_tree_url(ngay=AFTER_REFORM))

    main = response.content.decode().split("<main", 1)[1]
    assert response.status_code == 200
    # The user menu still names the cadre's ended role; the tree of the day does not show the district.
    assert "Huyện ủy Đông Sơn" not in main
    assert response.context["roots"] == []


def test_tree_children_follow_the_date(client, tree, root_user):
    client.force_login(root_user)

    before = client.get(_children_url(tree["P"], BEFORE_REFORM)).content.decode()
    after = client.get(_children_url(tree["P"], AFTER_REFORM)).content.decode()

    assert "Huyện ủy Đông Sơn" in before
    assert "Huyện ủy Tây Hòa" in before
    assert "Đảng bộ phường Trung Tâm" not in before
    assert "Đảng bộ phường Trung Tâm" in after
    assert "Huyện ủy Đông Sơn" not in after


def test_tree_children_row_shows_code_kind_type_and_count(client, tree, root_user):
    client.force_login(root_user)

    html = client.get(_children_url(tree["D1"], BEFORE_REFORM)).content.decode()

    assert "G1" in html
    assert "Đảng bộ phường Bắc" in html
    assert '<span class="num">2</span>' in html  # C1 and C2
    assert f"{reverse('organization_detail', args=[tree['G1'].pk])}?ngay=31/12/2024" in html


def test_tree_children_of_another_district_are_404(client, tree, district_cadre):
    client.force_login(district_cadre)

    response = client.get(_children_url(tree["D2"], BEFORE_REFORM))

    assert response.status_code == 404


def _add_cells(parent, count):
    for number in range(count):
        make_org(f"Q{parent.code}{number:03d}", OrgKind.CELL, parent=parent, valid_from=date(2020, 1, 1))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_tree_children_run_a_constant_number_of_queries(client, tree, root_user):
    _add_cells(tree["C1"], 5)
    _add_cells(tree["C2"], 40)
    client.force_login(root_user)

    few = _count_queries(client, _children_url(tree["C1"], AFTER_REFORM))
    many = _count_queries(client, _children_url(tree["C2"], AFTER_REFORM))

    assert few == many
    assert many <= 8


def test_tree_page_runs_a_constant_number_of_queries(client, tree, root_user):
    client.force_login(root_user)
    few = _count_queries(client, _tree_url(ngay=AFTER_REFORM))
    _add_cells(tree["P"], 40)

    many = _count_queries(client, _tree_url(ngay=AFTER_REFORM))

    assert few == many


def test_search_ignores_diacritics(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(_tree_url(q="dang bo phuong", ngay=AFTER_REFORM))

    html = response.content.decode()
    assert "Đảng bộ phường Bắc" in html
    assert "Đảng bộ phường Trung Tâm" in html
    assert "Chi bộ Sở Tư pháp" not in html


def test_search_finds_by_code(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(_tree_url(q="g2", ngay=AFTER_REFORM))

    assert "Chi bộ Sở Tư pháp" in response.content.decode()


def test_search_stays_inside_the_users_scope(client, tree, district_cadre):
    client.force_login(district_cadre)

    other = client.get(_tree_url(q="so tu phap", ngay=BEFORE_REFORM)).content.decode()
    own = client.get(_tree_url(q="chi bo", ngay=BEFORE_REFORM)).content.decode()

    assert "Chi bộ Sở Tư pháp" not in other
    assert "Chi bộ khu phố 1" in own
    assert "Chi bộ Sở Tư pháp" not in own


def test_htmx_search_returns_only_the_tree_body(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(_tree_url(q="bac", ngay=AFTER_REFORM), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Đảng bộ phường Bắc" in html
    assert "<html" not in html


def test_as_of_date_is_read_and_shown_as_dd_mm_yyyy(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(_tree_url(ngay="05/03/2025"))

    assert response.context["on"] == date(2025, 3, 5)
    assert 'value="05/03/2025"' in response.content.decode()


def test_bad_as_of_date_is_reported_and_today_is_used(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(_tree_url(ngay="2025-31-12"))

    assert response.status_code == 200
    assert response.context["form"].errors["ngay"]
    assert response.context["on"] > date(2025, 7, 1)


def test_pages_are_vietnamese_by_default_and_english_on_request(client, root_user):
    client.force_login(root_user)

    vietnamese = client.get(reverse("organizations:tree"), headers={"accept-language": "vi"}).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/to-chuc/"})
    english = client.get(reverse("organizations:tree")).content.decode()

    assert '<html lang="vi">' in vietnamese
    assert "Cây tổ chức" in vietnamese
    assert '<html lang="en">' in english
    assert "Organization tree" in english


# --- Django admin: the admin door goes through the same services.


def test_admin_adds_an_organization_through_the_service(client, tree, root_user):
    client.force_login(root_user)

    response = client.post(
        reverse("admin:organizations_organization_add"),
        {
            "code": "C9",
            "name": "Chi bộ khu phố 9",
            "kind": OrgKind.CELL,
            "org_type": "",
            "valid_from": "01/09/2025",
            "successor_of": "",
            "parent": tree["G1"].pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Organization.objects.get(code="C9")
    assert created.name_folded == "chi bo khu pho 9"
    assert created.level == "BELOW_GRASSROOTS"
    placement = Placement.objects.get(organization=created)
    assert placement.path == f"/{tree['P'].pk}/{tree['X1'].pk}/{tree['G1'].pk}/{created.pk}/"
    assert created.history.get().history_door == "admin"


def test_admin_shows_service_errors_on_the_form(client, tree, root_user):
    client.force_login(root_user)

    response = client.post(
        reverse("admin:organizations_organization_add"),
        {"code": "G9", "name": "Thiếu loại hình", "kind": OrgKind.GRASSROOTS_CELL, "valid_from": "01/09/2025"},
    )

    assert response.status_code == 200
    assert not Organization.objects.filter(code="G9").exists()
    assert response.context["adminform"].form.errors


def test_admin_rename_keeps_the_folded_name(client, tree, root_user):
    client.force_login(root_user)
    g2 = tree["G2"]

    response = client.post(
        reverse("admin:organizations_organization_change", args=[g2.pk]),
        {
            "name": "Chi bộ Sở Tài chính",
            "valid_to": "",
            "new_parent": "",
            "move_on": "",
            "placements-TOTAL_FORMS": "2",
            "placements-INITIAL_FORMS": "2",
            "placements-MIN_NUM_FORMS": "0",
            "placements-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    g2.refresh_from_db()
    assert g2.name_folded == "chi bo so tai chinh"


def test_admin_cannot_edit_placements(client, tree, root_user):
    client.force_login(root_user)

    response = client.get(reverse("admin:organizations_placement_add"))

    assert response.status_code == 403


@pytest.mark.parametrize("model", ["organization", "placement", "role"])
def test_admin_search_lists_open(client, tree, root_user, model):
    client.force_login(root_user)

    response = client.get(reverse(f"admin:organizations_{model}_changelist"), {"q": "Đảng bộ phường"})

    assert response.status_code == 200


def test_pages_are_vietnamese_even_for_an_english_browser(client, tree, root_user):
    client.force_login(root_user)

    response = client.get("/dang-vien/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "vi"
