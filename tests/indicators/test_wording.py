"""The progress page and the drill-down read in plain Vietnamese: "nothing entered" is translated, the groups are
named by what they count."""

from django.urls import reverse

from indicators.services import snapshot_refresh


def test_progress_page_names_the_tccsd_without_ratings_in_vietnamese(client, steering_user, tree, rated_2024):
    client.force_login(steering_user)

    response = client.get(reverse("indicators:progress") + "?nam=2025", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()

    assert "Nothing entered" not in html
    assert "Chưa nhập" in response.context["columns"]
    # G1 and G2 have no submission in 2025: both listed as not entered.
    assert [p.state_label for p in response.context["page"]] == ["Chưa nhập", "Chưa nhập"]
    title = html.split("<title>")[1].split("</title>")[0]
    assert "<" not in title


def test_drilldown_names_its_groups_in_plain_words(client, steering_user, tree, rated_2024):
    snapshot_refresh(year=2024)
    client.force_login(steering_user)
    url = reverse("indicators:drilldown") + f"?nam=2024&pham-vi={tree['P'].pk}&chi-tieu=T2a&nhom=numerator"

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.context["group_title"] == "Đảng viên hoàn thành tốt nhiệm vụ trở lên"
    assert [title for _group, title, _url in response.context["groups"]][:2] == [
        "Đảng viên hoàn thành tốt nhiệm vụ trở lên",
        "Đảng viên được xếp loại",
    ]
