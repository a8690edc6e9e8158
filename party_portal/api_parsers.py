"""JSON in, for every API view (REST_FRAMEWORK's default parser).

Kept apart from api_base: REST framework imports its default parser while its own views module is still loading.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

TOO_DEEP = _("Malformed request: the JSON is nested too deeply.")


class ApiJSONParser(JSONParser):
    """Deeply nested JSON ("[[[[…") makes json.loads raise RecursionError, which REST framework's parser lets
    through as a 500: it is a 400 in the API's error shape here."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(TOO_DEEP) from error
