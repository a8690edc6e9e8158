"""The bell, the notification list and settings pages, and the urge's door."""

from datetime import date

import pytest
from django.test import Client

from notifications import services
from notifications.models import Kind, Notification, OptOut
from organizations import scoping

AFTER_DUE = date(2026, 1, 24)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _give(user, n, kind=Kind.OVERDUE):
    for i in range(n):
        services.notify(recipients=[user], kind=kind, event_key=f"test:{i}", title=f"Thông báo số {i}", body="")


def test_the_bell_shows_the_unread_count(cycle):
    x1 = cycle["users"]["x1"]
    _give(x1, 3)
    Notification.objects.filter(recipient=x1, event_key="test:0").update(read_at="2026-01-01T00:00:00Z")

    page = _client(x1).get("/").content.decode()

    assert '<span class="bell-count">2</span>' in page


def test_the_bell_has_no_count_without_unread_notifications(cycle):
    page = _client(cycle["users"]["x2"]).get("/").content.decode()

    assert 'class="bell"' in page
    assert "bell-count" not in page


def test_the_list_shows_only_the_users_own_notifications_newest_first(cycle):
    x1, x2 = cycle["users"]["x1"], cycle["users"]["x2"]
    _give(x1, 2)
    services.notify(recipients=[x2], kind=Kind.URGE, event_key="other", title="Việc của xã Tây Sơn")

    page = _client(x1).get("/thong-bao/").content.decode()

    assert page.index("Thông báo số 1") < page.index("Thông báo số 0")
    assert "Việc của xã Tây Sơn" not in page
    assert page.count('class="notification unread"') == 2


def test_the_list_page_runs_a_constant_number_of_queries(cycle, django_assert_max_num_queries):
    x1 = cycle["users"]["x1"]
    client = _client(x1)
    _give(x1, 2)
    client.get("/thong-bao/")
    with django_assert_max_num_queries(12) as small:
        client.get("/thong-bao/")
    _give(x1, 20, kind=Kind.URGE)

    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/thong-bao/")


def test_mark_one_read_then_all_read(cycle):
    x1 = cycle["users"]["x1"]
    _give(x1, 3)
    client = _client(x1)
    first = Notification.objects.get(recipient=x1, event_key="test:0")

    client.post("/thong-bao/da-doc/", {"notification": first.pk})
    one = Notification.objects.filter(recipient=x1, read_at__isnull=True).count()
    client.post("/thong-bao/da-doc/", {})
    none = Notification.objects.filter(recipient=x1, read_at__isnull=True).count()

    assert (one, none) == (2, 0)


def test_mark_read_of_someone_elses_notification_changes_nothing(cycle):
    x1, x2 = cycle["users"]["x1"], cycle["users"]["x2"]
    _give(x2, 1)
    theirs = Notification.objects.get(recipient=x2)

    response = _client(x1).post("/thong-bao/da-doc/", {"notification": theirs.pk})

    assert response.status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_answers_only_post(cycle):
    assert _client(cycle["users"]["x1"]).get("/thong-bao/da-doc/").status_code == 405


def test_the_settings_page_saves_the_opt_outs(cycle):
    x1 = cycle["users"]["x1"]
    client = _client(x1)

    response = client.post("/thong-bao/cai-dat/", {Kind.URGE: "NO_EMAIL", Kind.OVERDUE: "OFF", Kind.DUE_SOON: ""})

    assert response.status_code == 302
    assert sorted(OptOut.objects.filter(user=x1).values_list("kind", "delivery")) == [
        (Kind.OVERDUE, "OFF"),
        (Kind.URGE, "NO_EMAIL"),
    ]
    page = client.get("/thong-bao/cai-dat/").content.decode()
    assert 'name="OVERDUE" value="OFF" id="id_OVERDUE_2" checked' in page


def test_the_settings_page_refuses_an_unknown_choice(cycle):
    x1 = cycle["users"]["x1"]

    response = _client(x1).post("/thong-bao/cai-dat/", {Kind.URGE: "LOUD"})

    assert response.status_code == 200
    assert OptOut.objects.count() == 0


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get("/thong-bao/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


# --- urges -------------------------------------------------------------------------------------------------------


@pytest.fixture
def after_due(monkeypatch):
    monkeypatch.setattr(scoping, "today", lambda: AFTER_DUE)


def _urge(user, **data):
    return _client(user).post("/thong-bao/don-doc/", {"kind": "RATINGS", "year": 2025, **data}, follow=True)


def test_a_district_cadre_cannot_urge(cycle, after_due):
    response = _urge(cycle["users"]["x1"])

    assert response.status_code == 403
    assert Notification.objects.count() == 0


def test_the_steering_committee_urges_the_tccsd_late_with_their_ratings_once_a_day(cycle, after_due, monkeypatch):
    users, orgs = cycle["users"], cycle["orgs"]
    steering = users["steering"]

    first = _urge(steering, scope=orgs["P"].pk, next="/thong-bao/")
    second = _urge(steering, scope=orgs["P"].pk)
    monkeypatch.setattr(scoping, "today", lambda: date(2026, 1, 25))
    _urge(steering, scope=orgs["P"].pk)

    # G1 and G2 have not sent their 2025 ratings: their cadres, one urge each on the 24th and one on the 25th.
    assert first.redirect_chain[-1][0] == "/thong-bao/"
    assert sorted(Notification.objects.filter(kind=Kind.URGE).values_list("recipient__username", "event_key")) == [
        ("cadre_g1", f"urge:ratings:2025:org-{orgs['G1'].pk}:2026-01-24"),
        ("cadre_g1", f"urge:ratings:2025:org-{orgs['G1'].pk}:2026-01-25"),
        ("cadre_g2", f"urge:ratings:2025:org-{orgs['G2'].pk}:2026-01-24"),
        ("cadre_g2", f"urge:ratings:2025:org-{orgs['G2'].pk}:2026-01-25"),
    ]
    assert "Đã đôn đốc 2 đơn vị chậm (gửi 2 thông báo)." in first.content.decode()
    assert "2 đơn vị chậm đã được đôn đốc trong hôm nay." in second.content.decode()


def test_an_urge_within_a_scope_reaches_only_its_subtree(cycle, after_due):
    orgs = cycle["orgs"]

    response = _urge(cycle["users"]["board"], scope=orgs["X2"].pk)

    # X2 has no TCCSĐ: nobody is urged.
    assert Notification.objects.count() == 0
    assert "Không có đơn vị chậm để đôn đốc." in response.content.decode()


def test_the_board_urges_the_units_whose_review_is_overdue(cycle, monkeypatch):
    monkeypatch.setattr(scoping, "today", lambda: date(2026, 2, 2))

    _urge(cycle["users"]["board"], kind="REVIEW", year=2025)

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["cadre_x1", "cadre_x2"]


def test_an_urge_without_a_year_writes_nothing(cycle, after_due):
    response = _urge(cycle["users"]["steering"], year="")

    assert "Năm: hãy chọn năm có kết quả xếp loại hoặc báo cáo sơ kết chậm gửi." in response.content.decode()
    assert Notification.objects.count() == 0


def test_the_progress_page_shows_the_urge_button_to_the_steering_committee_only(cycle, after_due):
    url = "/bang-dieu-khien/tien-do/?nam=2025"

    steering = _client(cycle["users"]["steering"]).get(url).content.decode()
    cadre = _client(cycle["users"]["x1"]).get(url).content.decode()

    assert 'action="/thong-bao/don-doc/"' in steering
    assert 'action="/thong-bao/don-doc/"' not in cadre
