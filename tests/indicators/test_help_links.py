"""Each dashboard tile links to the counting rules of its indicator, on a section that exists."""

import re

from django.urls import reverse

from indicators.services import snapshot_refresh


def test_each_tile_links_to_the_rules_of_its_indicator(client, steering_user, rated_2024):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)

    html = client.get(reverse("indicators:dashboard") + "?nam=2024").content.decode()
    rules = client.get(reverse("help:page", args=["quy-tac-tinh"])).content.decode()

    tiles = re.findall(r'<span class="tile-code">(\w+)</span>\s*<h2 class="tile-title">.*?</h2>\s*(<a[^>]*>)', html)
    assert [code for code, _ in tiles] == ["T1a", "T1b", "T2a", "T2b", "T3", "T4"]
    sections = re.findall(r'<section id="([\w-]+)"', rules)
    for code, link in tiles:
        assert f'href="/huong-dan/quy-tac-tinh/#{code.lower()}"' in link
        assert code.lower() in sections
