"""The home page per role: the tasks waiting for the user, counted in their part of the tree and linked to the
page where each is done; the menu with only the entries the role can use; the profile page and the user menu.

The hand-drawn tree (tests/conftest.py): G1 and G2, the two TCCSĐ, sit under X1 on 31/12/2025 (the reform);
the ratings of 2025 are due on 20/01/2026."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations import work_selectors
from evaluations.models import ImportJob, ImportState, RatingYear, Submission, SubmissionState, YearState
from organizations import scoping
from organizations.models import RoleKind
from party_portal import home
from tests.factories import UserFactory, give_role

BEFORE_DUE = date(2026, 1, 10)
AFTER_DUE = date(2026, 2, 2)


@pytest.fixture
def years(db, monkeypatch):
    """2020–2024 closed, 2025 open; today is before the 2025 ratings are due (tests move it past)."""
    RatingYear.objects.filter(year__lt=2025).update(state=YearState.CLOSED)
    monkeypatch.setattr(scoping, "today", lambda: BEFORE_DUE)
    return RatingYear.objects.get(year=2025)


def _submission(organization, year, state):
    return Submission.objects.create(organization=organization, year=year, state=state)


def _failed_upload(user, state=ImportState.FAILED):
    return ImportJob.objects.create(
        kind="dang-vien", state=state, file="imports/x.xlsx", file_name="x.xlsx", created_by=user
    )


def _first_task(page):
    """(count, label) of the first task listed on the home page."""
    task = page[page.index('<li class="task') :]
    count = task[task.index('class="task-count">') + 19 : task.index("</span>")]
    label = task[task.index('class="task-label">') + 19 :]
    return count, label[: label.index("</span>")]


def _home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_a_grassroots_cadre_starts_with_the_grid_to_enter_linked_directly(client, tree, grassroots_cadre, years):
    work = work_selectors.work_for(actor=grassroots_cadre)

    page = _home(client, grassroots_cadre)

    assert (work.year, work.to_enter, work.returned, work.to_approve, work.only_grid) == (2025, 1, 0, 0, tree["G1"].pk)
    assert work.due == date(2026, 1, 20)
    assert not work.late
    grid_url = reverse("evaluations:grid", args=[tree["G1"].pk, 2025])
    assert f'href="{grid_url}"' in page
    assert _first_task(page) == ("1", "bảng xếp loại năm 2025 cần nhập và gửi")
    # The tasks come first, the figures after them.
    assert page.index("Việc chờ bạn") < page.index("Số liệu của bạn")


def test_a_returned_grid_is_its_own_task_and_late_after_the_due_day(client, tree, grassroots_cadre, years, monkeypatch):
    _submission(tree["G1"], years, SubmissionState.RETURNED)
    monkeypatch.setattr(scoping, "today", lambda: AFTER_DUE)

    work = work_selectors.work_for(actor=grassroots_cadre)
    page = _home(client, grassroots_cadre)

    assert (work.to_enter, work.returned, work.late) == (0, 1, True)
    assert _first_task(page) == ("1", "bảng xếp loại bị cấp trên trả lại, cần sửa và gửi lại")
    assert "quá hạn" in page
    assert "20/01/2026" in page


def test_a_sent_grid_leaves_nothing_to_do(client, tree, grassroots_cadre, years):
    _submission(tree["G1"], years, SubmissionState.SUBMITTED)

    page = _home(client, grassroots_cadre)

    assert work_selectors.work_for(actor=grassroots_cadre).total == 0
    assert "Không có việc nào chờ bạn." in page


def test_the_level_above_sees_what_waits_for_its_approval(client, tree, ward_cadre, years):
    _submission(tree["G1"], years, SubmissionState.SUBMITTED)
    _submission(tree["G2"], years, SubmissionState.APPROVED)

    work = work_selectors.work_for(actor=ward_cadre)
    page = _home(client, ward_cadre)

    # X1's cadre approves G1 and G2 (both under X1 on 31/12/2025); it enters no grid itself.
    assert (work.to_approve, work.not_sent_below, work.to_enter) == (1, 0, 0)
    assert f'href="{reverse("evaluations:queue")}?nam=2025&amp;trang_thai=cho-duyet"' in page
    assert _first_task(page) == ("1", "bản xếp loại năm 2025 chờ bạn duyệt")


def test_organizations_that_have_not_sent_are_chased_only_after_the_due_day(tree, ward_cadre, years, monkeypatch):
    _submission(tree["G1"], years, SubmissionState.DRAFT)

    before = work_selectors.work_for(actor=ward_cadre)
    monkeypatch.setattr(scoping, "today", lambda: AFTER_DUE)
    after = work_selectors.work_for(actor=ward_cadre)
    rows = home.tasks(after)

    assert (before.not_sent_below, before.total) == (2, 0)
    assert (after.not_sent_below, after.total) == (2, 2)
    assert rows[0]["url"] == f"{reverse('indicators:progress')}?nam=2025"
    assert rows[0]["late"]


def test_a_district_cadre_whose_district_ended_has_no_task(tree, district_cadre, years):
    _submission(tree["G1"], years, SubmissionState.SUBMITTED)

    assert work_selectors.work_for(actor=district_cadre).total == 0


def test_the_board_closes_the_years_that_are_over(client, tree, board_user, years, monkeypatch):
    # Before 2026, 2025 is not over: nothing to close.
    monkeypatch.setattr(scoping, "today", lambda: date(2025, 12, 1))
    assert work_selectors.work_for(actor=board_user).years_to_close == []
    monkeypatch.setattr(scoping, "today", lambda: BEFORE_DUE)
    RatingYear.objects.filter(year=2024).update(state=YearState.OPEN)

    page = _home(client, board_user)

    assert work_selectors.work_for(actor=board_user).years_to_close == [2024, 2025]
    assert _first_task(page) == (
        "2",
        "năm đánh giá đã hết nhưng vẫn mở (2024, 2025): đóng năm khi kết quả xếp loại đã được duyệt",
    )
    assert f'<a href="{reverse("evaluations:years")}">' in page
    RatingYear.objects.filter(year=2024).update(state=YearState.CLOSED)
    assert f'<a href="{reverse("evaluations:year_close", args=[2025])}">' in _home(client, board_user)


def test_failed_uploads_count_the_users_own_among_those_the_import_page_lists(tree, grassroots_cadre, years):
    _failed_upload(grassroots_cadre)
    _failed_upload(grassroots_cadre, ImportState.REJECTED)
    _failed_upload(grassroots_cadre, ImportState.DONE)
    someone_else = UserFactory(username="other_g1")
    give_role(someone_else, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    _failed_upload(someone_else)

    rows = home.tasks(work_selectors.work_for(actor=grassroots_cadre))

    failed = [row for row in rows if row["url"] == reverse("imports:home")]
    assert [row["count"] for row in failed] == [2]


def test_the_steering_committee_has_no_task_and_its_figures_one_click_away(client, tree, steering_user, years):
    _submission(tree["G1"], years, SubmissionState.SUBMITTED)

    page = _home(client, steering_user)

    assert work_selectors.work_for(actor=steering_user).total == 0
    assert "Không có việc nào chờ bạn." in page
    assert f'href="{reverse("indicators:dashboard")}"' in page


def test_with_no_open_year_there_is_no_rating_task(client, tree, grassroots_cadre, years):
    RatingYear.objects.update(state=YearState.CLOSED)

    work = work_selectors.work_for(actor=grassroots_cadre)

    assert (work.year, work.total) == (None, 0)
    assert _home(client, grassroots_cadre).count('class="task') == 0


# --- the menu ----------------------------------------------------------------------------------------------------

MENU = {
    "home": "/",
    "dashboard": "/bang-dieu-khien/",
    "grids": "/xep-loai/",
    "queue": "/duyet/",
    "years": "/nam-danh-gia/",
    "reports": "/bao-cao/",
    "import": "/nhap-du-lieu/",
    "admin": "/admin/",
}


def _menu(page):
    nav = page[page.index('<nav class="mainnav"') : page.index("</nav>")]
    return {name for name, url in MENU.items() if f'href="{url}"' in nav}


@pytest.mark.parametrize(
    ("who", "entries"),
    [
        ("steering_user", {"home", "dashboard", "grids", "reports"}),
        ("grassroots_cadre", {"home", "dashboard", "grids", "reports", "import"}),
        ("ward_cadre", {"home", "dashboard", "grids", "queue", "reports", "import"}),
        ("district_cadre", {"home", "dashboard", "grids", "reports"}),
        ("board_user", {"home", "dashboard", "grids", "queue", "years", "reports", "import"}),
    ],
)
def test_the_menu_shows_only_what_the_role_can_use(client, request, tree, years, who, entries):
    user = request.getfixturevalue(who)

    assert _menu(_home(client, user)) == entries


def test_the_home_page_reads_a_constant_number_of_queries(
    client, tree, board_user, years, django_assert_max_num_queries
):
    _submission(tree["G1"], years, SubmissionState.SUBMITTED)
    _failed_upload(board_user)
    client.force_login(board_user)
    client.get(reverse("home"))

    # 11, and the bell's unread count (notifications.context_processors).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))

    assert response.status_code == 200


# --- the user menu and the profile -------------------------------------------------------------------------------


def test_the_user_menu_names_the_role_and_links_profile_password_help_language_and_log_out(client, tree, ward_cadre):
    page = _home(client, ward_cadre)
    menu = page[page.index('<details class="usermenu"') : page.index("</details>")]

    assert "Cán bộ cấp huyện · Đảng bộ phường Trung Tâm" in menu
    for url in ("/ho-so/", "/mat-khau/doi/", "/huong-dan/", "/i18n/setlang/", "/dang-xuat/"):
        assert url in menu, url


def test_the_profile_lists_the_roles_with_their_dates(client, tree, ward_cadre):
    give_role(ward_cadre, tree["D1"], RoleKind.DISTRICT_CADRE, valid_from=date(2020, 1, 1), valid_to=date(2025, 6, 30))
    client.force_login(ward_cadre)

    page = client.get(reverse("profile")).content.decode()

    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.count("<tr>") == 2
    # The role in force first, then the ended one, with their dates.
    assert rows.index("Đảng bộ phường Trung Tâm") < rows.index("Huyện ủy Đông Sơn")
    assert "01/07/2025" in rows
    assert "01/01/2020" in rows
    assert "30/06/2025" in rows
    assert rows.count("đang hiệu lực") == 1
