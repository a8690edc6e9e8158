"""The permission policy, role by role: which actions each role may take, which menu entries it sees, and what
each action reaches in the tree on a date. Expected values are written out by hand from the fixture tree:

P ── D1 (ends 30/06/2025) ── G1 ── C1, C2        P ── X1 (from 01/07/2025) ── G1, G2 (moved there on 01/07/2025)
  └─ D2 (ends 30/06/2025) ── G2
"""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from organizations import policy, scoping
from organizations.models import Role, RoleKind
from tests.factories import UserFactory, give_role

BEFORE_REFORM = date(2024, 6, 1)
END_2024 = date(2024, 12, 31)
END_2025 = date(2025, 12, 31)

P = policy
EVERYTHING = set(P.ACTIONS)
BOARD = {
    P.VIEW,
    P.RUN_REPORTS,
    P.REFRESH_FIGURES,
    P.ENTER_DATA,
    P.IMPORT,
    P.APPROVE,
    P.CLOSE_YEAR,
    P.REOPEN_YEAR,
    P.ISSUE_REPORTS,
    P.MANAGE_TREE,
    P.MANAGE_USERS,
    P.REORGANIZE,
    P.MANAGE_TARGETS,
    P.MANAGE_CODES,
    P.SUBMIT_REVIEWS,
    P.RECEIVE_REVIEWS,
    P.MANAGE_REPORTING,
    P.SEND_URGES,
    P.COMPARE_UNITS,
}
STEERING = {P.VIEW, P.RUN_REPORTS, P.REFRESH_FIGURES, P.SEND_URGES, P.COMPARE_UNITS}
DISTRICT = {
    P.VIEW,
    P.RUN_REPORTS,
    P.ENTER_DATA,
    P.IMPORT,
    P.APPROVE,
    P.REORGANIZE,
    P.MANAGE_USERS,
    P.SUBMIT_REVIEWS,
}
GRASSROOTS = {P.VIEW, P.RUN_REPORTS, P.ENTER_DATA, P.IMPORT, P.MANAGE_USERS, P.SUBMIT_REVIEWS}
HISTORY = {P.VIEW, P.RUN_REPORTS}


@pytest.fixture
def users(tree, root_user, board_user, steering_user, ward_cadre, grassroots_cadre, district_cadre):
    left = UserFactory(username="left_g1")  # left G1's committee office at the end of 2025
    give_role(left, tree["G1"], RoleKind.GRASSROOTS_CADRE, valid_to=END_2025)
    future = UserFactory(username="future_g1")  # appointed from tomorrow
    give_role(future, tree["G1"], RoleKind.GRASSROOTS_CADRE, valid_from=timezone.localdate() + timedelta(days=1))
    return {
        "superuser": root_user,
        "board": board_user,
        "steering": steering_user,
        "district": ward_cadre,
        "grassroots": grassroots_cadre,
        "expired": district_cadre,
        "left": left,
        "future": future,
        "none": UserFactory(username="no_role"),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("superuser", EVERYTHING),
        ("board", BOARD),
        ("steering", STEERING),
        ("district", DISTRICT),
        ("grassroots", GRASSROOTS),
        ("expired", HISTORY),
        ("left", HISTORY),
        ("future", set()),
        ("none", set()),
    ],
)
def test_allowed_actions_per_role(users, who, expected):
    assert policy.allowed_actions(users[who]) == expected


MENU = {
    "dashboard": "indicators:dashboard",
    "tree": "organizations:tree",
    "members": "members:list",
    "ratings": "evaluations:grids",
    "approvals": "evaluations:queue",
    "years": "evaluations:years",
    "reports": "reports:list",
    "import": "imports:home",
    "codes": "codes:lists",
    "admin": "admin:index",
}
# The rating years page is the Board's (close, reopen): the other roles have nothing to do there.
READER_MENU = {"dashboard", "tree", "members", "ratings", "reports"}


def _menu(client, user):
    client.force_login(user)
    html = client.get(reverse("organizations:tree")).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    hrefs = set(re.findall(r'href="([^"]+)"', nav.group(0))) if nav else set()
    return {name for name, url in MENU.items() if reverse(url) in hrefs}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("superuser", set(MENU)),
        ("board", set(MENU) - {"admin"}),
        ("steering", READER_MENU),
        ("district", READER_MENU | {"approvals", "import"}),
        ("grassroots", READER_MENU | {"import"}),
        ("expired", READER_MENU),
        ("none", set()),
    ],
)
def test_menu_shows_each_role_only_what_it_can_use(client, users, who, expected):
    assert _menu(client, users[who]) == expected


@pytest.mark.parametrize(
    ("who", "action", "code", "on", "expected"),
    [
        # The ended district role reads its district's past, never writes it, and reads nothing of today.
        ("expired", P.VIEW, "G1", BEFORE_REFORM, True),
        ("expired", P.VIEW, "G1", "today", False),
        ("expired", P.ENTER_DATA, "G1", BEFORE_REFORM, False),
        ("expired", P.APPROVE, "G1", END_2024, False),
        # The ward cadre writes G1 today, but not G1's past from before the ward held it.
        ("district", P.ENTER_DATA, "G1", "today", True),
        ("district", P.ENTER_DATA, "G1", BEFORE_REFORM, False),
        ("district", P.APPROVE, "G1", END_2025, True),
        ("district", P.APPROVE, "G1", END_2024, False),
        ("district", P.ENTER_DATA, "D1", BEFORE_REFORM, False),
        # G1's own cadre: G1 was theirs before and after the reform; G2 never was; nobody approves themselves.
        ("grassroots", P.ENTER_DATA, "C1", BEFORE_REFORM, True),
        ("grassroots", P.ENTER_DATA, "G2", BEFORE_REFORM, False),
        ("grassroots", P.APPROVE, "G1", END_2024, False),
        ("grassroots", P.APPROVE, "C1", END_2024, False),
        # The Board and the superuser reach ended organizations through the province, which goes on.
        ("board", P.APPROVE, "G1", END_2024, True),
        ("board", P.ENTER_DATA, "D1", BEFORE_REFORM, True),
        ("superuser", P.ENTER_DATA, "D2", BEFORE_REFORM, True),
        # Steering reads everything and changes nothing.
        ("steering", P.VIEW, "G2", BEFORE_REFORM, True),
        ("steering", P.ENTER_DATA, "G2", BEFORE_REFORM, False),
        ("steering", P.RUN_REPORTS, "X1", "today", True),
        # A role with its own end date: the past up to that date is readable, nothing after it, no write.
        ("left", P.VIEW, "G1", END_2025, True),
        ("left", P.VIEW, "G1", "today", False),
        ("left", P.ENTER_DATA, "G1", END_2025, False),
        # A role not started yet opens nothing.
        ("future", P.VIEW, "G1", "today", False),
    ],
)
def test_can_on_an_organization_and_a_date(tree, users, who, action, code, on, expected):
    day = timezone.localdate() if on == "today" else on

    assert policy.can(users[who], action, tree[code].pk, day) is expected


@pytest.mark.parametrize(
    ("who", "action", "code", "on", "message"),
    [
        (
            "expired",
            P.ENTER_DATA,
            "G1",
            BEFORE_REFORM,
            "Vai trò cho phép bạn nhập hoặc sửa dữ liệu đã hết hiệu lực; bạn vẫn xem được quá khứ mà vai trò đó "
            "bao quát.",
        ),
        ("steering", P.ENTER_DATA, "G2", BEFORE_REFORM, "Vai trò của bạn chỉ được xem, không được sửa."),
        ("district", P.ENTER_DATA, "G2", BEFORE_REFORM, "Tổ chức này nằm ngoài phạm vi bạn phụ trách."),
        ("grassroots", P.APPROVE, "G1", END_2024, "Chỉ cấp trên của Đảng bộ phường Bắc mới được duyệt"),
        ("grassroots", P.CLOSE_YEAR, None, None, "Vai trò của bạn không cho phép đóng năm đánh giá."),
        ("steering", P.IMPORT, None, None, "Vai trò của bạn chỉ được xem, không được sửa."),
        ("district", P.MANAGE_CODES, None, None, "Vai trò của bạn không cho phép thay đổi các danh mục mã."),
    ],
)
def test_require_says_why(tree, users, who, action, code, on, message):
    organization_id = tree[code].pk if code else None

    with pytest.raises(PermissionDenied) as error:
        policy.require(users[who], action, organization_id, on)

    assert str(error.value).startswith(message)


def test_a_role_ending_today_still_writes_today_and_not_tomorrow(tree, grassroots_cadre):
    today = timezone.localdate()
    Role.objects.filter(user=grassroots_cadre).update(valid_to=today)

    assert scoping.can_access(grassroots_cadre, tree["C1"].pk, today, write=True) is True
    assert scoping.scope_paths(grassroots_cadre, today + timedelta(days=1)) == []


def test_role_dates_must_be_ordered(tree, grassroots_cadre):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        give_role(grassroots_cadre, tree["G2"], RoleKind.GRASSROOTS_CADRE, valid_from=END_2025, valid_to=END_2024)

    assert Role.objects.filter(user=grassroots_cadre).count() == 1


def test_role_admin_changes_roles_only_for_the_superuser(client, tree, root_user, grassroots_cadre):
    staff_cadre = UserFactory(username="staff_g1", is_staff=True)
    give_role(staff_cadre, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    staff_cadre.user_permissions.set(Permission.objects.filter(codename__endswith="_role"))
    role = Role.objects.get(user=grassroots_cadre)
    url = reverse("admin:organizations_role_change", args=[role.pk])
    data = {"user": grassroots_cadre.pk, "organization": tree["G1"].pk, "kind": role.kind, "valid_to": "31/12/2025"}

    client.force_login(staff_cadre)
    refused = client.post(url, data)
    client.force_login(root_user)
    accepted = client.post(url, {**data, "valid_from": ""})

    role.refresh_from_db()
    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert role.valid_to == END_2025
