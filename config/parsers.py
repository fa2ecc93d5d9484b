"""API parsers (their own module so DRF settings can name them without an import cycle)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a pathologically nested body (``[[[[...``) is a 400
    MALFORMED_REQUEST instead of a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("El cuerpo de la solicitud no es JSON válido."))
