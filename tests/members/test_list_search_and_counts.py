"""Issue 13: the member list's search (trigram index on PostgreSQL, plain LIKE on SQLite), its organization box and
its count (exact up to a threshold, estimated or cached beyond, exact on request)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from members import selectors
from members.models import Member, Membership
from organizations.models import OrgKind
from party_portal import counting
from tests.factories import make_member, make_org

BEFORE_REFORM = "31/12/2024"
ON = date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _names(response):
    return sorted(stint.member.full_name for stint in response.context["page"].object_list)


def _list(client, **params):
    return client.get(reverse("members:list"), {"ngay": BEFORE_REFORM, **params})


@pytest.fixture
def namesakes(tree):
    for name in ("Nguyễn Văn A", "Nguyễn Văn An", "Trần Văn A", "Nguyễn Thị A", "Ngô Văn A"):
        make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name=name)
    make_member(tree["G2"], admission_date=date(2020, 3, 2), full_name="Nguyễn Văn Ánh")


def test_search_without_diacritics_finds_nguyen_van_a(client, namesakes, root_user):
    client.force_login(root_user)

    found = _names(_list(client, q="nguyen van a"))

    # "nguyen van a" is inside "nguyen van a", "nguyen van an" and "nguyen van anh"; not in the other three.
    assert found == ["Nguyễn Văn A", "Nguyễn Văn An", "Nguyễn Văn Ánh"]


def test_search_with_diacritics_and_capitals_finds_the_same(client, namesakes, root_user):
    client.force_login(root_user)

    assert _names(_list(client, q="NGUYỄN  Văn A")) == ["Nguyễn Văn A", "Nguyễn Văn An", "Nguyễn Văn Ánh"]


def test_search_stays_in_the_scope(client, namesakes, district_cadre):
    client.force_login(district_cadre)

    # Nguyễn Văn Ánh is on the rolls of G2, in the other district.
    assert _names(_list(client, q="nguyen van a")) == ["Nguyễn Văn A", "Nguyễn Văn An"]


def test_search_is_a_like_the_trigram_index_serves_on_postgresql(namesakes, root_user):
    stints = selectors.member_list(actor=root_user, on=ON, query="nguyen van a")
    # The selector searches the folded name with a LIKE '%…%' (Django's `contains`) on both databases.
    assert '"members_member"."name_folded"' in str(stints.query)
    assert "LIKE" in str(stints.query)
    names = Member.objects.filter(name_folded__contains="nguyen van a").order_by().values("pk")
    sql, params = names.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Six members: the planner would read the table, or walk a B-tree end to end. Without either, only
            # the trigram index answers LIKE '%…%' (a B-tree cannot: the pattern starts with a wildcard).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on members_member_name_folded_trgm" in plan
        else:
            # SQLite: the plain LIKE fallback, over the table.
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            assert "members_member" in " ".join(str(row) for row in cursor.fetchall())
    assert len(stints) == 3
    assert len(names) == 3


def test_the_trigram_index_is_on_organizations_too(tree):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'organizations_org_name_folded_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]
        else:
            # The migration is a no-op on SQLite: no such index.
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'organizations_org_name_folded_trgm'")
            assert cursor.fetchone() is None


# --- The organization box ---------------------------------------------------------------------------------------


def test_the_box_takes_a_code_in_any_case(client, namesakes, root_user):
    client.force_login(root_user)

    response = _list(client, to_chuc="g2", q="nguyen")

    assert _names(response) == ["Nguyễn Văn Ánh"]
    assert response.context["form"].chosen_organization().code == "G2"
    # The box shows the code the filter used.
    assert 'value="G2"' in response.content.decode()


def test_the_box_takes_a_name_only_one_organization_holds(client, namesakes, root_user):
    client.force_login(root_user)

    # "Chi bộ Sở Tư pháp" is the only organization whose folded name holds "so tu phap".
    assert _names(_list(client, to_chuc="sở tư pháp")) == ["Nguyễn Văn Ánh"]


def test_the_box_refuses_a_name_several_organizations_hold(client, namesakes, root_user):
    client.force_login(root_user)

    response = _list(client, to_chuc="chi bo khu pho")

    # C1 and C2: "Chi bộ khu phố 1", "Chi bộ khu phố 2".
    assert "có 2 tổ chức trong phạm vi phụ trách" in str(response.context["form"].errors["to_chuc"])
    # Nothing filtered: the whole scope, the six members.
    assert response.context["page"].paginator.count == 6


def test_the_box_refuses_an_organization_outside_the_scope_as_an_unknown_one(client, tree, namesakes, district_cadre):
    client.force_login(district_cadre)

    by_code = _list(client, to_chuc="G2")
    by_id = _list(client, to_chuc=tree["G2"].pk)
    unknown = _list(client, to_chuc="ZZ9")

    for response, typed in ((by_code, "G2"), (unknown, "ZZ9")):
        message = str(response.context["form"].errors["to_chuc"])
        assert f"“{typed}”" in message
        assert "31/12/2024" in message
    assert by_id.context["form"].errors["to_chuc"]
    assert "Nguyễn Văn Ánh" not in by_code.content.decode()


def test_a_number_is_an_id_never_a_piece_of_a_name(client, tree, root_user):
    make_org("C8", OrgKind.CELL, parent=tree["G1"], name="Chi bộ số 999999")
    client.force_login(root_user)

    response = _list(client, to_chuc="999999")

    assert "“999999”" in str(response.context["form"].errors["to_chuc"])


# --- The count ---------------------------------------------------------------------------------------------------


@pytest.fixture
def five_members(tree):
    return [make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name=f"Lê Văn Số {n}") for n in range(5)]


def test_count_is_exact_up_to_the_threshold(client, five_members, root_user, monkeypatch):
    monkeypatch.setattr(counting, "THRESHOLD", 5)
    monkeypatch.setattr(counting, "planner_estimate", lambda rows: 40)
    client.force_login(root_user)

    paginator = _list(client).context["page"].paginator

    assert (paginator.count, paginator.is_estimate, paginator.counted_at) == (5, False, None)


def test_count_beyond_the_threshold_is_estimated_then_exact_on_request_then_cached(
    client, five_members, root_user, monkeypatch
):
    monkeypatch.setattr(counting, "THRESHOLD", 3)
    monkeypatch.setattr(counting, "planner_estimate", lambda rows: 40)
    client.force_login(root_user)

    estimated = _list(client)
    exact = _list(client, dem="chinh-xac")
    cached = _list(client)

    # 5 members > 3: the (stubbed) planner's 40, marked as an estimate with the link that counts.
    assert (estimated.context["page"].paginator.count, estimated.context["page"].paginator.is_estimate) == (40, True)
    html = estimated.content.decode()
    assert "dem=chinh-xac" in html
    # Asked: the 5 counted.
    assert (exact.context["page"].paginator.count, exact.context["page"].paginator.is_estimate) == (5, False)
    # The next page view reads the count kept under the same actor and filters, and says when it was counted.
    assert cached.context["page"].paginator.count == 5
    assert cached.context["page"].paginator.counted_at is not None
    # Another filter is another count: only "Lê Văn Số 1" holds "so 1" (1 ≤ 3: exact).
    assert _list(client, q="so 1").context["page"].paginator.count == 1


def test_an_estimate_below_the_threshold_is_raised_to_it(five_members, root_user):
    rows = Membership.objects.order_by("pk")

    paginator = counting.LargeCountPaginator(rows, 2, estimate=1, threshold=3)

    # The bounded count proved 4 rows or more (5 here): an estimate of 1 cannot stand.
    assert (paginator.count, paginator.is_estimate, paginator.num_pages) == (4, True, 2)


def test_a_known_count_is_used_before_the_planner(five_members, root_user):
    paginator = counting.LargeCountPaginator(Membership.objects.order_by("pk"), 2, estimate=9, threshold=3)

    assert (paginator.count, paginator.num_pages) == (9, 5)


def test_the_planner_estimate_exists_on_postgresql_only(five_members):
    estimate = counting.planner_estimate(Membership.objects.all())

    if connection.vendor == "postgresql":
        assert isinstance(estimate, int)
        assert estimate >= 0
    else:
        assert estimate is None


def test_without_an_estimate_the_count_is_exact_and_cached(five_members, root_user, monkeypatch):
    monkeypatch.setattr(counting, "planner_estimate", lambda rows: None)
    key = counting.cache_key("test", root_user.pk)

    paginator = counting.LargeCountPaginator(Membership.objects.order_by("pk"), 2, key=key, threshold=3)

    assert (paginator.count, paginator.is_estimate) == (5, False)
    assert cache.get(key)[0] == 5


def test_the_constant_query_count_holds_beyond_the_threshold(client, tree, root_user, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(counting, "THRESHOLD", 3)
    monkeypatch.setattr(counting, "planner_estimate", lambda rows: 400)
    client.force_login(root_user)
    for n in range(4):
        make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name=f"Võ Thị {n}")
    with CaptureQueriesContext(connection) as few:
        _list(client)
    cache.clear()
    for n in range(20):
        make_member(tree["C2"], admission_date=date(2020, 3, 2), full_name=f"Đỗ Văn {n}")
    with CaptureQueriesContext(connection) as many:
        _list(client)

    assert len(few) == len(many)


def test_a_cell_can_be_chosen_now(client, tree, root_user):
    cell = make_org("C9", OrgKind.CELL, parent=tree["G1"], name="Chi bộ thôn Mới")
    make_member(cell, admission_date=date(2020, 3, 2), full_name="Hà Văn Mới")
    client.force_login(root_user)

    assert _names(_list(client, to_chuc="c9")) == ["Hà Văn Mới"]


def test_a_deep_page_reads_its_ids_first_and_shows_the_same_rows_in_order(client, tree, root_user):
    from members.models import TheoryLevel
    from members.services import theory_level_add

    members = [make_member(tree["C1"], admission_date=date(2020, 3, 2), full_name=f"Lê Văn {n:02d}") for n in range(55)]
    theory_level_add(actor=root_user, member=members[52], level=TheoryLevel.ADVANCED, obtained_on=date(2021, 1, 1))
    client.force_login(root_user)

    second = _list(client, trang=2).context["page"]

    # 55 names sort as "le van 00" … "le van 54": page 2 holds the last five, in that order.
    assert [stint.member.full_name for stint in second.object_list] == [f"Lê Văn {n}" for n in range(50, 55)]
    assert [stint.theory_label for stint in second.object_list][2] == TheoryLevel.ADVANCED.label
    assert second.paginator.count == 55
