"""Every list endpoint runs the same, bounded number of queries for 5 rows as for 40."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save, submission_get_or_create
from organizations.models import OrgKind
from tests.factories import make_member, make_org

ADMITTED = date(2019, 3, 1)
# Authentication (token, user), scope, count, page, and a few per endpoint: independent of the rows.
BUDGET = 8


def _queries(client, url, rows):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == rows
    return len(queries)


def _budget(client, url, grow, django_assert_max_num_queries):
    """Queries for 5 rows, then for 40 (after `grow` adds 35), each within the budget."""
    grow(5)
    with django_assert_max_num_queries(BUDGET):
        small = _queries(client, url, 5)
    grow(35)
    with django_assert_max_num_queries(BUDGET):
        big = _queries(client, url, 40)
    return small, big


def _cells(parent, count, start):
    return [make_org(f"CB{start + i:03d}", OrgKind.CELL, parent=parent) for i in range(count)]


def test_member_list_queries(tree, root_user, root_api, django_assert_max_num_queries):
    def grow(count):
        for _ in range(count):
            make_member(tree["C1"], admission_date=ADMITTED)

    small, big = _budget(root_api, "/api/members/?on=2024-12-31&page_size=50", grow, django_assert_max_num_queries)

    assert small == big


def test_organization_children_queries(tree, root_api, django_assert_max_num_queries):
    made = []

    def grow(count):
        made.extend(_cells(tree["G2"], count, len(made)))

    url = f"/api/organizations/{tree['G2'].pk}/children/?on=2024-12-31&page_size=50"
    small, big = _budget(root_api, url, grow, django_assert_max_num_queries)

    assert small == big


def test_member_ratings_queries(tree, root_user, root_api, django_assert_max_num_queries):
    year = RatingYear.objects.get(year=2024)

    def grow(count):
        members = [make_member(tree["C1"], admission_date=ADMITTED) for _ in range(count)]
        entries = [{"member_id": m.pk, "level": "GOOD"} for m in members]
        member_ratings_save(actor=root_user, organization=tree["G1"], year=year, entries=entries)

    small, big = _budget(root_api, "/api/ratings/members/?year=2024&page_size=50", grow, django_assert_max_num_queries)

    assert small == big


def test_organization_ratings_queries(tree, root_user, root_api, django_assert_max_num_queries):
    year = RatingYear.objects.get(year=2024)
    made = []

    def grow(count):
        for cell in _cells(tree["G1"], count, len(made)):
            made.append(cell)
            organization_rating_save(actor=root_user, organization=cell, year=year, level="GOOD")

    url = "/api/ratings/organizations/?year=2024&page_size=50"
    small, big = _budget(root_api, url, grow, django_assert_max_num_queries)

    assert small == big


@pytest.mark.parametrize("url", ["/api/submissions/?year=2024&page_size=50"])
def test_submission_list_queries(tree, root_user, root_api, url, django_assert_max_num_queries):
    year = RatingYear.objects.get(year=2024)
    made = []

    def grow(count):
        for i in range(count):
            org = make_org(f"GX{len(made) + i:03d}", OrgKind.GRASSROOTS_CELL, parent=tree["D1"])
            submission_get_or_create(actor=root_user, organization=org, year=year)
        made.extend(range(count))

    small, big = _budget(root_api, url, grow, django_assert_max_num_queries)

    assert small == big
