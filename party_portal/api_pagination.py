"""Keyset (cursor) pagination for every API list, so that page 1,000 costs what page 1 costs.

A list is ordered by its selector's order (or the `ordering=` the client asked for), always ended by the
primary key, which makes the order total and stable. A page is the `page_size` rows after (or, going back,
before) the last row of the page before it: the cursor carries that row's ordering values, signed, so the
database seeks to it through `WHERE (key) > (values)` instead of skipping every row before it with OFFSET.

The cursor is opaque: signed with the project's secret (django.core.signing), it names the list (path) and
the ordering it was made for; a cursor that was altered, that belongs to another list or to another ordering
answers 400 with the field `cursor`.

`page=N` (the page-number pagination of the first API version) keeps working for existing scripts, answered
as before with OFFSET (over the ids only, but its cost still grows with N); it is deprecated (a
`Deprecation: true` header) and the docs point to the `next` links. docs/api.md ("Pagination") and
docs/decisions.md (issue 13) say why.
"""

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_PARAM, PAGE_PARAM, PAGE_SIZE_PARAM = "cursor", "page", "page_size"
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 500
SALT = "party_portal.api.cursor"

BAD_CURSOR = _("This cursor is not valid: use the `next` or `previous` link of the list exactly as it was given.")
OTHER_LIST = _("This cursor belongs to another list or another ordering: start again from the first page.")
CURSOR_AND_PAGE = _("Give either `cursor` or `page`, not both.")


def _invalid(message, field=CURSOR_PARAM):
    return serializers.ValidationError({field: [ErrorDetail(str(message), code="invalid_cursor")]})


def _nullable(model, path):
    """Whether the value at `path` (a__b__c) can be NULL: a nullable field, or one reached through a nullable
    relation (a LEFT JOIN)."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        if getattr(field, "null", False):
            return True
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return False


class _Key:
    """One column of the order: its path, direction, and whether it can be NULL. NULLs sort as the largest
    value on every database (PostgreSQL's default, spelled out for SQLite)."""

    def __init__(self, model, spec, index):
        self.descending = spec.startswith("-")
        self.path = spec.lstrip("-")
        if self.path == "pk":
            self.path = model._meta.pk.name
        self.alias = f"_keyset_{index}"
        self.nullable = _nullable(model, self.path)

    def order(self, backwards):
        descending = self.descending != backwards
        expression = F(self.alias)
        return expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)

    def equal(self, value):
        return Q(**{f"{self.alias}__isnull": True}) if value is None else Q(**{self.alias: value})

    def beyond(self, value, backwards):
        """Rows strictly past `value` in the direction of travel, on this column alone."""
        descending = self.descending != backwards
        if value is None:
            # NULL is the largest: nothing lies beyond it going up; every non-NULL value does going down.
            return Q(**{f"{self.alias}__isnull": False}) if descending else Q(pk__in=[])
        condition = Q(**{f"{self.alias}__{'lt' if descending else 'gt'}": value})
        if self.nullable and not descending:
            condition |= Q(**{f"{self.alias}__isnull": True})
        return condition


def _key_specs(queryset):
    """The queryset's order (its own, else the model's), ended by the primary key so that it is total."""
    specs = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    if not all(isinstance(spec, str) for spec in specs):
        raise TypeError("Keyset pagination needs an ordering by field names")
    pk_names = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    if not any(spec.lstrip("-") in pk_names for spec in specs):
        last_descending = bool(specs) and specs[-1].startswith("-")
        specs.append("-pk" if last_descending else "pk")
    return specs


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class KeysetPagination(BasePagination):
    """`?page_size=` (at most 500, default 50) and the `cursor` of a `next` or `previous` link.

    The answer keeps the page-number shape: {"count", "next", "previous", "results"}; `count` is given on the
    first page only (null on the pages a cursor opens, so that walking a list counts it once)."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    def __init__(self):
        self.legacy = None

    # --- parameters ------------------------------------------------------------------------------------

    def get_page_size(self, request):
        # As the page-number pagination did: a page size that is not a positive number gives the default.
        try:
            size = int(request.query_params[PAGE_SIZE_PARAM])
        except (KeyError, ValueError):
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def _decode(self, request, specs):
        token = request.query_params.get(CURSOR_PARAM)
        if token is None:
            return None
        try:
            payload = signing.loads(token, salt=SALT)
            values, backwards, path, signature = payload["v"], payload["b"], payload["p"], payload["o"]
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise _invalid(BAD_CURSOR) from error
        if path != request.path or signature != specs or not isinstance(values, list) or len(values) != len(specs):
            raise _invalid(OTHER_LIST)
        return values, bool(backwards)

    def _encode(self, values, backwards):
        payload = {"v": [_jsonable(v) for v in values], "b": backwards, "p": self.request.path, "o": self.specs}
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, PAGE_PARAM)
        return replace_query_param(url, CURSOR_PARAM, signing.dumps(payload, salt=SALT, compress=True))

    # --- the page --------------------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if PAGE_PARAM in request.query_params:
            if CURSOR_PARAM in request.query_params:
                raise _invalid(CURSOR_AND_PAGE)
            self.legacy = _LegacyPageNumber()
            return self.legacy.paginate_queryset(queryset.order_by(*_key_specs(queryset)), request, view)
        self.specs = _key_specs(queryset)
        model = queryset.model
        self.keys = [_Key(model, spec, index) for index, spec in enumerate(self.specs)]
        cursor = self._decode(request, self.specs)
        size = self.get_page_size(request)
        backwards = bool(cursor and cursor[1])
        rows = queryset.annotate(**{key.alias: F(key.path) for key in self.keys}).order_by(
            *(key.order(backwards) for key in self.keys)
        )
        if cursor is not None:
            rows = rows.filter(self._after(cursor[0], backwards))
        rows = list(rows[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.count = None
        if cursor is None:
            # The first page: counted, with no query of its own when it holds the whole list.
            self.count = len(rows) if not more else queryset.count()
        has_next = more if not backwards else True
        has_previous = cursor is not None and (more if backwards else True)
        self.next = self._encode(self._values(rows[-1]), False) if has_next and rows else None
        self.previous = self._encode(self._values(rows[0]), True) if has_previous and rows else None
        return rows

    def _values(self, row):
        return [getattr(row, key.alias) for key in self.keys]

    def _after(self, values, backwards):
        """(k1, k2, …) strictly past `values` in the order of travel: k1 past v1, or k1 = v1 and k2 past v2…"""
        condition, equal = Q(pk__in=[]), Q()
        for key, value in zip(self.keys, values, strict=True):
            condition |= equal & key.beyond(value, backwards)
            equal &= key.equal(value)
        # The same rows, with the first column's bound said on its own as well: PostgreSQL turns it into an index
        # range (k1 >= v1) instead of reading the index from its start and filtering the OR above.
        first, value = self.keys[0], values[0]
        if not first.nullable and value is not None:
            descending = first.descending != backwards
            condition &= Q(**{f"{first.alias}__{'lte' if descending else 'gte'}": value})
        return condition

    def get_paginated_response(self, data):
        if self.legacy is not None:
            response = self.legacy.get_paginated_response(data)
            response["Deprecation"] = "true"
            return response
        return Response({"count": self.count, "next": self.next, "previous": self.previous, "results": data})

    # --- the schema ------------------------------------------------------------------------------------

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "The number of rows of the whole list: on the first page (and with `page`); "
                    "null on the pages a cursor opens",
                },
                "next": {**link, "description": "The next page (a `cursor` link); null on the last page"},
                "previous": {**link, "description": "The page before (a `cursor` link); null on the first page"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Opaque: the `cursor` of a `next` or `previous` link, as given",
                "schema": {"type": "string"},
            },
            {
                "name": PAGE_SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": f"Rows per page, at most {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})",
                "schema": {"type": "integer"},
            },
            {
                "name": PAGE_PARAM,
                "required": False,
                "in": "query",
                "deprecated": True,
                "description": "Deprecated: a page number (OFFSET, slower the deeper it goes); follow `next`",
                "schema": {"type": "integer"},
            },
        ]


class _LegacyPageNumber(PageNumberPagination):
    """`page=N`, as the first API version answered it (its order now ends by the primary key, so stable)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = PAGE_SIZE_PARAM
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        """The page's ids first — the OFFSET then skips narrow rows, without the joins of select_related and the
        select-list subqueries (a member's theory level) for every row skipped — then those rows in full."""
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if not ids:
            return []
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids]
