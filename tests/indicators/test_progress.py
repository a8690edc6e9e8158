"""The progress page reads in Vietnamese: the "nothing entered" column and state are translated."""

from django.urls import reverse


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
