"""Issue 13: the member list's "next" and "previous" links carry a position, the last page is read backwards,
and a search starts its walk of the name index at the first matching name — every page holding the very rows,
in the very order, that skipping rows would give."""

import html
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import selectors
from members import views as member_views
from members.services import member_update
from tests.factories import make_member

ON = "31/12/2024"


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(member_views, "PAGE_SIZE", 5)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def twelve(tree):
    """Twelve members of cell C1 whose names sort as written here; two are both called "Lê Văn 04", so the
    member id decides between them, and they straddle the end of the first page (5 rows a page)."""
    names = ["Lê Văn 00", "Lê Văn 01", "Lê Văn 02", "Lê Văn 03", "Lê Văn 04", "Lê Văn 04"]
    names += ["Lê Văn 05", "Lê Văn 06", "Lê Văn 07", "Lê Văn 08", "Lê Văn 09", "Lê Văn 10"]
    return [make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name=name) for name in names]


def _get(client, query):
    return client.get(f"{reverse('members:list')}?{query.removeprefix('?')}")


def _ids(response):
    return [stint.member_id for stint in response.context["page"].object_list]


def _link(response, label):
    """The query string of the pagination link labelled `label` (English UI)."""
    found = re.search(rf'<a href="(\?[^"]*)">[^<]*{label}', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def test_next_and_previous_walk_the_pages_by_position(client, twelve, root_user):
    client.force_login(root_user)
    client.cookies["django_language"] = "en"
    ids = [member.pk for member in twelve]

    first = _get(client, f"ngay={ON}")
    second = _get(client, _link(first, "next"))
    third = _get(client, _link(second, "next"))
    back = _get(client, _link(third, "previous"))

    # Page 1: 00, 01, 02, 03 and the first "04"; page 2 starts with the second "04"; page 3 holds 09 and 10.
    assert _ids(first) == ids[0:5]
    assert _link(first, "next") == f"?ngay=31%2F12%2F2024&trang=2&sau={ids[4]}"
    assert _ids(second) == ids[5:10]
    assert _ids(third) == ids[10:12]
    assert _ids(back) == ids[5:10]
    assert _link(third, "previous") == f"?ngay=31%2F12%2F2024&trang=2&truoc={ids[10]}"
    assert _link(second, "first") == "?ngay=31%2F12%2F2024&trang=1"
    assert back.context["page"].number == 2


def test_a_page_by_its_number_and_the_last_page_hold_the_same_rows(client, twelve, root_user):
    client.force_login(root_user)
    ids = [member.pk for member in twelve]

    by_number = _get(client, f"ngay={ON}&trang=2")
    last = _get(client, f"ngay={ON}&trang=3")

    assert _ids(by_number) == ids[5:10]
    assert _ids(last) == ids[10:12]
    assert [stint.member.full_name for stint in last.context["page"].object_list] == ["Lê Văn 09", "Lê Văn 10"]


def test_a_position_that_names_no_member_falls_back_to_the_page_number(client, twelve, root_user):
    client.force_login(root_user)
    ids = [member.pk for member in twelve]

    for position in ("sau=999999999", "sau=abc", "truoc=-3"):
        assert _ids(_get(client, f"ngay={ON}&trang=2&{position}")) == ids[5:10]


def test_a_position_outside_the_scope_is_no_position(client, twelve, tree, district_cadre):
    """A position names a row of the reader's own list: a member outside the scope places nothing, and the page
    is the page by its number."""
    outsider = make_member(tree["G2"], admission_date=date(2020, 3, 2), full_name="Lê Văn 045")
    client.force_login(district_cadre)
    ids = [member.pk for member in twelve]

    page = _get(client, f"ngay={ON}&trang=2&sau={outsider.pk}")

    # "le van 045" would sort between the second "04" and "05", so as a position it would give 05 … 09. The
    # outsider is in cell G2 (district D2), outside the cadre's district D1: page 2 of the cadre's twelve members
    # of cell C1 is the second "04" … 08, as by its number.
    assert _ids(page) == ids[5:10]
    assert outsider.pk not in _ids(_get(client, f"ngay={ON}&trang=1")) + _ids(_get(client, f"ngay={ON}&trang=3"))


def test_a_search_holds_the_same_rows_with_or_without_the_first_name_bound(twelve, tree, root_user, monkeypatch):
    make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name="Trần Văn 04", record_number="000777TN")
    make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name="An Thị Bình", record_number="123456AB")
    on = date(2024, 12, 31)

    def names(query):
        rows = selectors.member_list(actor=root_user, on=on, query=query)
        return [stint.member.full_name for stint in rows]

    bounded = {query: names(query) for query in ("van 04", "123456ab", "xyz", "thi")}
    monkeypatch.setattr(selectors, "_first_matching_name", lambda *args: None)  # never look the bound up
    unbounded = {query: names(query) for query in ("van 04", "123456ab", "xyz", "thi")}

    # "van 04" is in both "Lê Văn 04" and in "Trần Văn 04"; 123456AB is An Thị Bình's record number; nobody is
    # called "xyz"; "thi" is only in An Thị Bình's name.
    assert bounded["van 04"] == ["Lê Văn 04", "Lê Văn 04", "Trần Văn 04"]
    assert bounded["123456ab"] == ["An Thị Bình"]
    assert bounded["xyz"] == []
    assert bounded["thi"] == ["An Thị Bình"]
    assert bounded == unbounded


def test_the_search_starts_at_the_first_matching_name_on_postgresql_only(twelve, root_user):
    on = date(2024, 12, 31)
    with CaptureQueriesContext(connection) as queries:
        found = [stint.member.full_name for stint in selectors.member_list(actor=root_user, on=on, query="van 05")]

    bounded = [query["sql"] for query in queries.captured_queries if '"name_folded" >= ' in query["sql"]]
    assert found == ["Lê Văn 05"]
    if connection.vendor == "postgresql":
        # The bound is the only match's name, "le van 05", and the page's query starts its walk there.
        assert len(bounded) == 1
        assert "'le van 05'" in bounded[0]
    else:
        # SQLite has no trigram index and no planner estimate: the plain search.
        assert bounded == []


def test_a_kept_bound_gives_way_to_a_member_renamed_or_admitted_after_it(twelve, tree, root_user):
    on = date(2024, 12, 31)

    def search():
        with CaptureQueriesContext(connection) as queries:
            names = [stint.member.full_name for stint in selectors.member_list(actor=root_user, on=on, query="van 0")]
        return names, sum("MIN(" in query["sql"] for query in queries.captured_queries)

    first, first_lookups = search()
    again, again_lookups = search()
    member_update(actor=root_user, member=twelve[11], full_name="Hà Văn 03")
    renamed, renamed_lookups = search()
    make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name="Bùi Văn 02")
    admitted, admitted_lookups = search()

    # "van 0" is in the eleven names "Lê Văn 00" … "Lê Văn 09" (04 twice). Lê Văn 10 renamed "Hà Văn 03" joins
    # them ahead of every "le van"; "Bùi Văn 02" then comes first of all. A bound kept from before either write
    # ("le van 00") would hide them.
    le_van = ["Lê Văn 00", "Lê Văn 01", "Lê Văn 02", "Lê Văn 03", "Lê Văn 04", "Lê Văn 04"]
    le_van += ["Lê Văn 05", "Lê Văn 06", "Lê Văn 07", "Lê Văn 08", "Lê Văn 09"]
    assert first == again == le_van
    assert renamed == ["Hà Văn 03", *le_van]
    assert admitted == ["Bùi Văn 02", "Hà Văn 03", *le_van]
    if connection.vendor == "postgresql":
        # The bound is looked up once, kept for the same search, and looked up again after each write.
        assert (first_lookups, again_lookups, renamed_lookups, admitted_lookups) == (1, 0, 1, 1)
    else:
        assert (first_lookups, again_lookups, renamed_lookups, admitted_lookups) == (0, 0, 0, 0)


def test_a_search_read_from_a_next_link_needs_no_bound_of_its_own(client, twelve, root_user, monkeypatch):
    client.force_login(root_user)
    client.cookies["django_language"] = "en"
    ids = [member.pk for member in twelve]
    looked_up = []
    bound = selectors._first_matching_name
    monkeypatch.setattr(selectors, "_first_matching_name", lambda *args: looked_up.append(args) or bound(*args))

    first = _get(client, f"ngay={ON}&q=le+van")
    after_first = len(looked_up)
    second = _get(client, _link(first, "next"))
    after_next = len(looked_up)
    by_number = _get(client, f"ngay={ON}&q=le+van&trang=2")
    back = _get(client, _link(second, "previous"))

    # All twelve are "Lê Văn …": page 2 is the same by the link and by its number, and "previous" leads back.
    assert _ids(second) == ids[5:10]
    assert _ids(by_number) == ids[5:10]
    assert _ids(back) == ids[0:5]
    # The bound is asked for by the first page, the page by its number and the previous page (read backwards),
    # not by the page after a "next" link's position.
    assert (after_first, after_next, len(looked_up)) == (1, 1, 3)
