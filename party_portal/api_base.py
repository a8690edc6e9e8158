"""What every API view shares: authentication, the error handler, JSON in, pagination, the as-of date,
query parameters parsed by django-filter, and a schema that lists the error responses."""

from collections.abc import Mapping

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from knox.auth import TokenAuthentication
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ErrorDetail
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission

from organizations import policy

from .api_errors import ErrorsSerializer, exception_handler
from .api_pagination import KeysetPagination
from .api_parsers import ApiJSONParser

# ISO first (what programs send), then the dd/mm/yyyy the pages use for `ngay`.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Ids are 64-bit: a larger number is no object's, and the databases refuse it in a query (a 500, not a 404).
ID_MAX = 2**63 - 1
# Years the tree and the rolls can be asked about: wide enough for any record, narrow enough for dates.
YEAR_MIN, YEAR_MAX = 1945, 2100

UNKNOWN_FIELD = _("Unknown field “%(name)s”: this request does not take it.")

ERROR_DESCRIPTIONS = {
    400: "Invalid input: every problem, with the field it concerns and the service's message.",
    401: "No credentials, or an unknown token.",
    403: "Outside the part of the tree you may change, a read-only role, or a step your level cannot take.",
    404: "No such object in your part of the tree (objects outside it are not revealed).",
    429: "Too many failed sign-ins: this username (from this address) or this address is locked out for a while.",
}


class InputSerializer(serializers.Serializer):
    """The body of an API write. A field it does not declare is a 400 naming it rather than silently ignored:
    a misspelt "card_numbr" would otherwise leave the card number as it was and answer 200."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = [name for name in data if name not in self.fields or self.fields[name].read_only]
            if unknown:
                raise serializers.ValidationError(
                    {name: [ErrorDetail(UNKNOWN_FIELD % {"name": name}, code="unknown_field")] for name in unknown}
                )
        return super().to_internal_value(data)


class ApiAutoSchema(AutoSchema):
    """The view's own responses, plus the error responses it can give (in the one error shape)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in getattr(self.view, "error_statuses", ERROR_DESCRIPTIONS):
            response = OpenApiResponse(ErrorsSerializer, description=ERROR_DESCRIPTIONS[code])
            responses.setdefault(str(code), self._get_response_for_code(response, str(code), direction=direction))
        return responses


# Every list: keyset (cursor) pages, `page=` kept for the scripts of the first version (api_pagination.py).
ApiPagination = KeysetPagination


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An organization or object id: a whole number (NumberFilter alone would accept 1.5)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


def id_field(**kwargs):
    """An id in a request body (an organization, a member)."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class IdConverter:
    """`<id:...>` in a path: a whole number a 64-bit id can be; any other path finds no route (a JSON 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > ID_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


def year_filter(**kwargs):
    return IdFilter(method="given_to_selector", min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


def date_filter(**kwargs):
    return filters.DateFilter(input_formats=DATE_INPUT_FORMATS, method="given_to_selector", **kwargs)


class SelectorFilterSet(filters.FilterSet):
    """Parses, validates and documents a list's query parameters with django-filter.

    The filters with `method="given_to_selector"` are handed by the view to the selector, which holds their
    rules (scope, the date, diacritics-blind search, a node's subtree) so that no rule is written twice; the
    others (plain attributes, `ordering`) are applied here to the selector's already scoped queryset.
    """

    def given_to_selector(self, queryset, name, value):
        return queryset


class AsOfFilterSet(SelectorFilterSet):
    """A list of the tree or the rolls as they stood on a date."""

    on = date_filter(label="As of (YYYY-MM-DD); default today")
    ngay = date_filter(label="As of, the pages' name for `on` (YYYY-MM-DD or dd/mm/yyyy)")


class AsOfParams(serializers.Serializer):
    """The as-of date of a read that is not a list (a list takes it through its FilterSet)."""

    on = serializers.DateField(
        required=False, input_formats=DATE_INPUT_FORMATS, help_text="As of (YYYY-MM-DD); default today"
    )
    ngay = serializers.DateField(
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text="As of, the pages' name for `on` (YYYY-MM-DD or dd/mm/yyyy)",
    )


class PolicyPermission(BasePermission):
    """The API's gate is the permission policy (organizations.policy): a reading method asks for VIEW, a writing
    one for the view's `policy_action` (ENTER_DATA unless the view names another). Whether the action reaches the
    organization concerned, on the date it takes effect, is asked again by the service the view calls."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = policy.VIEW if request.method in SAFE_METHODS else getattr(view, "policy_action", policy.ENTER_DATA)
        if policy.can(user, action):
            return True
        self.message = str(policy.refusal(user, action))
        return False


class ApiMixin:
    """Token first (an expiring token of /api/token/; a script gets 401 with `WWW-Authenticate: Token`), then the
    browser's session."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [PolicyPermission]
    parser_classes = [ApiJSONParser]
    # Only lists (ListApi) are paginated; other views answer one object or a short list.
    pagination_class = None
    # Lists name their FilterSet and add DjangoFilterBackend (ListApi); other views take no filters.
    filter_backends = []
    schema = ApiAutoSchema()
    error_statuses = (400, 401, 403, 404)

    def get_exception_handler(self):
        return exception_handler

    def query(self):
        """The validated query parameters of the view's FilterSet (400 with field messages otherwise)."""
        if not hasattr(self, "_query"):
            filterset = self.filterset_class(self.request.query_params, queryset=self.queryset, request=self.request)
            if not filterset.is_valid():
                raise translate_validation(filterset.errors)
            self._query = filterset.form.cleaned_data
        return self._query

    def as_of(self):
        """The date the tree and the rolls are read on: `on`, else `ngay`, else today."""
        if getattr(self, "filterset_class", None) is not None:
            data = self.query()
        else:
            params = AsOfParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            data = params.validated_data
        return data.get("on") or data.get("ngay") or timezone.localdate()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["on"] = self.as_of()
        return context


class ListApi(ApiMixin, ListAPIView):
    """A paginated list: the view's get_queryset calls a selector with `self.query()`; django-filter then
    applies the plain filters and `ordering` of `filterset_class` to that scoped queryset."""

    filter_backends = [filters.DjangoFilterBackend]
    pagination_class = ApiPagination
