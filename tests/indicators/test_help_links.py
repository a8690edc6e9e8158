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
    # The six targets, then the sixteen tracked figures of migration 0008 in their order.
    assert [code for code, _ in tiles] == [
        *("T1a", "T1b", "T2a", "T2b", "T3", "T4"),
        *("KN_DOAN_VIEN", "KN_CONG_NHAN", "KN_TRI_THUC", "KN_HS_SV", "KN_DB_DQTV", "KN_DAN_TOC", "KN_TON_GIAO"),
        *("BT_CHU_TICH", "BT_TRUONG_THON", "TCCSD_NGOAI_NN", "XOA_TEN", "KHAI_TRU", "KY_LUAT"),
        *("LLCT_TRUNG_CAP", "DU_SINH_HOAT", "DU_SH_BAO_PHU"),
    ]
    sections = re.findall(r'<section id="([\w-]+)"', rules)
    for code, link in tiles:
        assert f'href="/huong-dan/quy-tac-tinh/#{code.lower()}"' in link
        assert code.lower() in sections
