"""JSON in, for every API view (REST_FRAMEWORK's default parser), and the content negotiation of every view.

Kept apart from api_base: REST framework imports its default parser while its own views module is still loading.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation
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


class ApiContentNegotiation(DefaultContentNegotiation):
    """An empty Accept header (sent by some HTTP libraries when asked for no particular type) means any type, as a
    missing one does; REST framework's default read it as "none" and answered 406 on every endpoint."""

    def get_accept_list(self, request):
        return [token for token in super().get_accept_list(request) if token] or ["*/*"]
