"""One error body for every API response that is not a success:

    {"errors": [{"field": "card_number", "message": "…", "code": "invalid"}, …]}

`field` is null for an error about the request as a whole; nested fields are dotted ("entries.2.level").
The messages are those of the services (the same the pages show), in the request's language.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NOT_FOUND = _("Not found, or outside the part of the tree you are responsible for.")
TOO_LARGE = _("The request body is larger than the %(size)s the API accepts.")


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


# Django REST framework's Vietnamese catalogue lacks these messages; they are listed here so that
# makemessages keeps their translations in locale/vi (the project's catalogue takes precedence).
DRF_MESSAGES = (
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Invalid token."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("This field may not be null."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("Ensure that there are no more than {max_decimal_places} decimal places."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("Invalid page."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Malformed request."),
    gettext_noop("JSON parse error - {detail}"),
    gettext_noop("Could not satisfy the request Accept header."),
)


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The input field at fault (dotted path), or null.")
    message = serializers.CharField(help_text="A message for people, in the request's language.")
    code = serializers.CharField(help_text="A stable code for programs: invalid, required, locked, not_found, …")


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)


def _flatten(detail, path=()):
    """Walk DRF's nested error detail into a flat list of (field, message, code)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = path if key in (NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY) else (*path, key)
            yield from _flatten(value, inner)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            # A field's list of messages keeps the field's name; a list of objects (entries) adds the index.
            yield from _flatten(item, path if isinstance(item, str) else (*path, str(index)))
    else:
        code = detail.code if isinstance(detail, ErrorDetail) else "invalid"
        yield {"field": ".".join(str(p) for p in path) or None, "message": str(detail), "code": code}


def exception_handler(exc, context):
    """Django's ValidationError, PermissionDenied and Http404 (raised by services and selectors) become
    400, 403 and 404, a body over DATA_UPLOAD_MAX_MEMORY_SIZE 413; every error body gets the one shape above."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(TOO_LARGE % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": list(_flatten(exc.detail))}
    return response
