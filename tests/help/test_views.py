"""The user guide: one page per role, the counting rules with a section per indicator, and the "?" links of
the grid, the import and the review pages landing on a section that exists."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from indicators.models import DefinitionKind, IndicatorDefinition
from party_portal import help as guide

SECTION = re.compile(r'<section id="([\w-]+)"')
HELP_LINK = re.compile(r'class="help-link" href="/huong-dan/([\w-]+)/#([\w-]+)"')


def _page(client, slug):
    response = client.get(reverse("help:page", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def _help_links(html):
    return HELP_LINK.findall(html)


def test_the_guide_needs_a_login(client, tree):
    assert client.get(reverse("help:index")).status_code == 302
    assert client.get(reverse("help:page", args=[guide.RULES])).status_code == 302


@pytest.mark.parametrize(
    ("fixture", "page"),
    [
        ("board_user", "ban-to-chuc"),
        ("steering_user", "ban-chi-dao"),
        ("district_cadre", "can-bo-huyen"),
        ("ward_cadre", "can-bo-xa"),
        ("grassroots_cadre", "can-bo-co-so"),
    ],
)
def test_the_index_points_each_role_to_its_page(client, request, fixture, page):
    client.force_login(request.getfixturevalue(fixture))

    response = client.get(reverse("help:index"))

    assert response.status_code == 200
    mine = [p["slug"] for p in response.context["pages"] if p["mine"]]
    assert mine == [page]
    # Every page of the guide is listed: five roles and the counting rules.
    assert len(response.context["pages"]) == 6


def test_every_page_renders_in_vietnamese_with_its_screenshots(client, steering_user):
    client.force_login(steering_user)
    for slug in guide.PAGES:
        html = _page(client, slug)
        assert 'lang="vi"' in html
        for name in re.findall(r'src="/static/help/([\w-]+\.png)"', html):
            assert finders.find(f"help/{name}"), f"{slug}: help/{name} is not a static file"
    # A role page shows screenshots; the grassroots page shows the grid and the import.
    shots = re.findall(r'src="/static/help/([\w-]+)\.png"', _page(client, "can-bo-co-so"))
    assert {"rating-grid", "import-home", "import-preview"} <= set(shots)


def test_an_unknown_page_is_not_found(client, steering_user):
    client.force_login(steering_user)

    assert client.get(reverse("help:page", args=["khong-co"])).status_code == 404


def test_the_counting_rules_have_one_section_per_indicator(client, steering_user):
    client.force_login(steering_user)

    sections = SECTION.findall(_page(client, guide.RULES))

    targets = IndicatorDefinition.objects.filter(kind=DefinitionKind.TARGET).values_list("code", flat=True)
    # The program's six targets: T1a, T1b, T2a, T2b, T3, T4.
    assert {code.lower() for code in targets} == {"t1a", "t1b", "t2a", "t2b", "t3", "t4"}
    assert {code.lower() for code in targets} <= set(sections)


def test_the_grid_import_and_review_pages_link_to_a_section_of_the_guide(client, tree, root_user):
    client.force_login(root_user)
    pages = {
        "grid": reverse("evaluations:grid", args=[tree["G1"].pk, 2024]),
        "import": reverse("imports:home"),
        "review": reverse("evaluations:review", args=[tree["G1"].pk, 2024]),
    }
    expected = {
        "grid": ("can-bo-co-so", "nhap-xep-loai"),
        "import": ("can-bo-co-so", "nhap-tu-excel"),
        "review": ("can-bo-huyen", "duyet"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        links = _help_links(response.content.decode())
        assert links == [expected[name]], name
        slug, anchor = links[0]
        assert anchor in SECTION.findall(_page(client, slug)), name
