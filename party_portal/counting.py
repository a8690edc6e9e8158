"""Page counts that do not scan a whole roll on every page (issue 13).

A list page's "N rows, page x of y" used to run a COUNT over every matching row on every request: on a province's
rolls that COUNT cost as much as the page itself. `LargeCountPaginator` counts exactly only up to a threshold
(a COUNT over at most THRESHOLD + 1 rows, cheap whatever the list's size); beyond it the page shows an estimate
— a count given by the caller (the drill-down's snapshot figure), else PostgreSQL's planner estimate — or an exact
count cached for a few minutes under the actor and the filters, and counts exactly when asked (`?dem=chinh-xac`,
the "count exactly" link), caching that count for the next pages.

SQLite has no planner estimate: beyond the threshold it counts exactly, once, and caches the count.
"""

import hashlib
import json

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.utils import timezone
from django.utils.functional import cached_property

THRESHOLD = 1000
CACHE_SECONDS = 300
EXACT_PARAM = "dem"
EXACT_VALUE = "chinh-xac"


def wants_exact(request):
    return request.GET.get(EXACT_PARAM) == EXACT_VALUE


def cache_key(*parts):
    """A cache key for a count: the list's name, the actor and the filters (anything JSON can write)."""
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return f"count:{digest}"


def filters_of(request, page_param):
    """The request's query string without the page number and the exact-count switch: a count's filters."""
    return sorted((name, values) for name, values in request.GET.lists() if name not in (page_param, EXACT_PARAM))


def planner_estimate(queryset):
    """PostgreSQL's estimate of the rows `queryset` returns (no row is read), or None on another database."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class LargeCountPaginator(Paginator):
    """A Paginator whose count is exact up to `threshold` rows and estimated (or cached) beyond.

    `key`: the cache key of the exact count (see cache_key), None to cache nothing. `exact`: count exactly (the
    user asked). `estimate`: a count the caller already knows (e.g. from a snapshot), used before the planner's.
    After `count` is read, `is_estimate` tells whether it is an estimate and `counted_at` when a cached exact
    count was taken.
    """

    def __init__(self, object_list, per_page, *, key=None, exact=False, estimate=None, threshold=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.key = key
        self.exact = exact
        self.hint = estimate
        self.threshold = THRESHOLD if threshold is None else threshold
        self.is_estimate = False
        self.counted_at = None

    def _exact_count(self):
        count = self.object_list.count()
        if self.key is not None:
            cache.set(self.key, (count, timezone.now()), CACHE_SECONDS)
        return count

    @cached_property
    def count(self):
        rows = self.object_list
        if not hasattr(rows, "query"):  # a list: its length is already known
            return len(rows)
        if rows.query.combinator:  # a union: counted as Django counts it
            return rows.count()
        if self.exact:
            return self._exact_count()
        bounded = rows.order_by().values("pk")[: self.threshold + 1].count()
        if bounded <= self.threshold:
            return bounded
        cached = cache.get(self.key) if self.key is not None else None
        if cached is not None:
            count, self.counted_at = cached
            return count
        estimate = self.hint if self.hint is not None else planner_estimate(rows)
        if estimate is None:
            return self._exact_count()
        self.is_estimate = True
        # The planner may guess low; the bounded count proved more than the threshold.
        return max(int(estimate), self.threshold + 1)
