"""Keyset (cursor) pagination of the API lists: walking every page gives every row once in a stable order, forwards
and back; each page runs the same number of queries; a cursor that is not the one given is a 400."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from organizations import reorganizations
from organizations.models import OrgKind, Role, RoleKind
from party_portal.api_pagination import KeysetPagination
from tests.api.conftest import errors
from tests.factories import make_member, make_org

ON = "on=2024-12-31"
ADMITTED = date(2019, 3, 1)
BAD_CURSOR = (
    "Con trỏ trang (cursor) không hợp lệ: hãy dùng liên kết `next` hoặc `previous` của danh sách đúng như đã nhận."
)
OTHER_LIST = (
    "Con trỏ trang (cursor) này thuộc về một danh sách hoặc một cách sắp xếp khác: hãy bắt đầu lại từ trang đầu."
)
CURSOR_AND_PAGE = "Chỉ dùng một trong hai tham số `cursor` hoặc `page`, không dùng cả hai."


@pytest.fixture
def five(tree):
    """Five members of C1, two with the same name (their order is then the order they were entered in)."""
    names = ["Đỗ Văn Dũng", "Lê Thị Bình", "Ân Văn An", "Lê Thị Bình", "Trần Văn Chi"]
    return [make_member(tree["C1"], admission_date=ADMITTED, full_name=name) for name in names]


def _walk(api, url):
    """Every page by following `next`: [(names, count)] per page."""
    pages = []
    while url:
        body = api.get(url).json()
        pages.append(([row["full_name"] for row in body["results"]], body["count"]))
        url = body["next"]
    return pages, body


def test_walking_every_page_gives_every_member_once_in_name_order(five, root_api):
    pages, last = _walk(root_api, f"/api/members/?{ON}&page_size=2")

    # By the folded name, then by the row: "Ân Văn An" < "Đỗ Văn Dũng" (đ folds to d) < "Lê Thị Bình" (twice)…
    assert [names for names, _count in pages] == [
        ["Ân Văn An", "Đỗ Văn Dũng"],
        ["Lê Thị Bình", "Lê Thị Bình"],
        ["Trần Văn Chi"],
    ]
    # Counted on the first page only.
    assert [count for _names, count in pages] == [5, None, None]
    assert last["next"] is None


def test_same_names_keep_the_order_they_were_entered_in(five, root_api):
    first = root_api.get(f"/api/members/?{ON}&page_size=2").json()
    second = root_api.get(first["next"]).json()

    assert [row["id"] for row in second["results"]] == [five[1].pk, five[3].pk]


def test_walking_back_with_previous_gives_the_same_pages(five, root_api):
    _pages, last = _walk(root_api, f"/api/members/?{ON}&page_size=2")
    back, url = [], last["previous"]
    while url:
        body = root_api.get(url).json()
        back.append([row["full_name"] for row in body["results"]])
        url = body["previous"]

    assert back == [["Lê Thị Bình", "Lê Thị Bình"], ["Ân Văn An", "Đỗ Văn Dũng"]]
    assert body["next"] is not None


def test_descending_order_is_walked_too(five, root_api):
    pages, _last = _walk(root_api, f"/api/members/?{ON}&page_size=2&ordering=-name")

    # The reverse: the two "Lê Thị Bình" last entered first.
    assert [names for names, _count in pages] == [
        ["Trần Văn Chi", "Lê Thị Bình"],
        ["Lê Thị Bình", "Đỗ Văn Dũng"],
        ["Ân Văn An"],
    ]


def test_order_on_another_column_with_ties(tree, root_api):
    # Three born the same day, two another: by date of birth, then by row.
    born = [date(1990, 1, 1), date(1980, 6, 6), date(1990, 1, 1), date(1980, 6, 6), date(1990, 1, 1)]
    members = [
        make_member(tree["C1"], admission_date=ADMITTED, full_name=f"Người {i}", date_of_birth=day)
        for i, day in enumerate(born)
    ]
    url = f"/api/members/?{ON}&page_size=2&ordering=date_of_birth"
    ids = []
    while url:
        body = root_api.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]

    assert ids == [members[1].pk, members[3].pk, members[0].pk, members[2].pk, members[4].pk]


def test_organization_children_walked_two_by_two(tree, root_api):
    for i in range(3):
        make_org(f"CB{i}", OrgKind.CELL, parent=tree["G1"])
    url = f"/api/organizations/{tree['G1'].pk}/children/?{ON}&page_size=2"
    codes = []
    while url:
        body = root_api.get(url).json()
        codes.append([row["code"] for row in body["results"]])
        url = body["next"]

    # The selector's order: kind, then code (C1, C2 are cells as CB0–CB2).
    assert codes == [["C1", "C2"], ["CB0", "CB1"], ["CB2"]]


def test_each_page_runs_the_same_queries(tree, root_api):
    for i in range(9):
        make_member(tree["C1"], admission_date=ADMITTED, full_name=f"Thành Viên {i}")
    url, queries = f"/api/members/?{ON}&page_size=2", []
    while url:
        with CaptureQueriesContext(connection) as captured:
            body = root_api.get(url).json()
        queries.append(len(captured))
        url = body["next"]

    assert len(queries) == 5
    # Pages 2 to 5 alike; the first one counts the list as well (one query more).
    assert queries[1] == queries[2] == queries[3] == queries[4]
    assert queries[0] == queries[1] + 1


def test_first_page_holding_the_whole_list_is_counted_without_a_count_query(five, root_api):
    with CaptureQueriesContext(connection) as whole:
        body = root_api.get(f"/api/members/?{ON}&page_size=10").json()
    with CaptureQueriesContext(connection) as paged:
        root_api.get(f"/api/members/?{ON}&page_size=2")

    assert body["count"] == 5
    assert len(whole) == len(paged) - 1


def test_a_cursor_that_was_altered_is_refused(five, root_api):
    cursor = root_api.get(f"/api/members/?{ON}&page_size=2").json()["next"].split("cursor=")[1].split("&")[0]
    forged = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")

    for bad in (forged, "xyz", "", "1" * 300):
        response = root_api.get(f"/api/members/?{ON}&page_size=2&cursor={bad}")
        assert response.status_code == 400
        assert errors(response) == [("cursor", BAD_CURSOR)]


def test_a_cursor_of_another_list_or_ordering_is_refused(five, tree, root_api):
    cursor = root_api.get(f"/api/members/?{ON}&page_size=2").json()["next"].split("cursor=")[1].split("&")[0]

    other_ordering = root_api.get(f"/api/members/?{ON}&page_size=2&ordering=-name&cursor={cursor}")
    other_list = root_api.get(f"/api/organizations/{tree['G1'].pk}/children/?{ON}&cursor={cursor}")

    assert other_ordering.status_code == other_list.status_code == 400
    assert errors(other_ordering) == errors(other_list) == [("cursor", OTHER_LIST)]


def test_cursor_and_page_together_are_refused(five, root_api):
    cursor = root_api.get(f"/api/members/?{ON}&page_size=2").json()["next"].split("cursor=")[1].split("&")[0]

    response = root_api.get(f"/api/members/?{ON}&page_size=2&page=2&cursor={cursor}")

    assert response.status_code == 400
    assert errors(response) == [("cursor", CURSOR_AND_PAGE)]


def test_page_number_still_answers_for_existing_scripts(five, root_api):
    response = root_api.get(f"/api/members/?{ON}&page_size=2&page=2")
    body = response.json()

    assert [row["full_name"] for row in body["results"]] == ["Lê Thị Bình", "Lê Thị Bình"]
    assert body["count"] == 5
    assert "page=3" in body["next"]
    assert "page=" not in body["previous"].replace("page_size=", "")
    assert response["Deprecation"] == "true"


# --- a nullable column: NULL sorts last going up, first going down, on every database -------------------------


def _roles(tree):
    days = [None, date(2021, 1, 1), None, date(2020, 1, 1)]
    return [
        Role.objects.create(
            user=get_user_model().objects.create(username=f"vai_tro_{i}"),
            organization=tree["C1"],
            kind=RoleKind.GRASSROOTS_CADRE,
            valid_from=day,
        )
        for i, day in enumerate(days)
    ]


def _cursor(link):
    return parse_qs(urlsplit(link).query)["cursor"][0]


def _walk_directly(queryset, ordering, backwards_from_end=False):
    """Page through `queryset` ordered by `ordering`, one row a page, with the paginator alone."""
    factory, ids, params = APIRequestFactory(), [], {"page_size": 1}
    queryset = queryset.order_by(ordering)
    while True:
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(queryset, Request(factory.get("/api/roles/", params)))
        ids.append([row.pk for row in rows])
        if paginator.next is None:
            break
        params = {"page_size": 1, "cursor": _cursor(paginator.next)}
    back = []
    while paginator.previous is not None:
        params = {"page_size": 1, "cursor": _cursor(paginator.previous)}
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(queryset, Request(factory.get("/api/roles/", params)))
        back.append([row.pk for row in rows])
    return ids, back


def test_nullable_column_ascending_puts_nulls_last(tree):
    roles = _roles(tree)

    forwards, back = _walk_directly(Role.objects.filter(user__username__startswith="vai_tro_"), "valid_from")

    assert forwards == [[roles[3].pk], [roles[1].pk], [roles[0].pk], [roles[2].pk]]
    assert back == [[roles[0].pk], [roles[1].pk], [roles[3].pk]]


def test_nullable_column_descending_puts_nulls_first(tree):
    roles = _roles(tree)

    forwards, back = _walk_directly(Role.objects.filter(user__username__startswith="vai_tro_"), "-valid_from")

    # Ties (the two NULLs) follow the last column's direction: the primary key descending.
    assert forwards == [[roles[2].pk], [roles[0].pk], [roles[1].pk], [roles[3].pk]]
    assert back == [[roles[1].pk], [roles[0].pk], [roles[2].pk]]


# --- a list with DISTINCT and prefetches (the reorganizations), by cursor and by the deprecated page number ----


def test_reorganizations_walked_by_cursor_and_by_page_number_alike(tree, board_user, board_api):
    made = [
        reorganizations.reorganization_apply(
            actor=board_user,
            kind="RENAME",
            organization=tree["G2"],
            new_name=f"Chi bộ Sở Tư pháp {i}",
            effective_on=date(2026, 1, 1) + timedelta(days=i),
        )
        for i in range(5)
    ]
    newest_first = [made[4].pk, made[3].pk, made[2].pk, made[1].pk, made[0].pk]

    url, by_cursor = "/api/reorganizations/?page_size=2", []
    while url:
        body = board_api.get(url).json()
        by_cursor += [row["id"] for row in body["results"]]
        url = body["next"]
    by_page = []
    for page in (1, 2, 3):
        response = board_api.get(f"/api/reorganizations/?page_size=2&page={page}")
        by_page += [row["id"] for row in response.json()["results"]]

    assert by_cursor == newest_first
    assert by_page == newest_first
