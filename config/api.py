"""API plumbing shared by every app: the error envelope, pagination, rate limits, auth.

Error envelope (seed 003)::

    {"error": {"code": "VALIDATION_ERROR", "message": "...", "details": {...},
               "timestamp": "...", "request_id": "..."}}
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from config.http import client_ip
from config.middleware import current_request_id
from config.parsers import JSONParser

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with a stable code: ``raise ApiError("FOOD_NOT_FOUND", "...", status=404)``."""

    def __init__(self, code: str, message: str, *, status_code: int = 400, details: dict | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.details = details or {}


class RateLimited(exceptions.Throttled):
    def __init__(self, wait: float, limit: int):
        super().__init__(wait=wait)
        self.limit = limit


_CODE_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "AUTHENTICATION_REQUIRED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMIT_EXCEEDED",
}


def error_body(code: str, message: str, details=None) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details or {},
            "timestamp": timezone.now().isoformat(),
            "request_id": current_request_id(),
        }
    }


def _flatten_validation(detail) -> dict:
    """DRF/Django validation details -> ``{field: [messages]}``."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten_validation(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                msgs = []
                for item in value:
                    if isinstance(item, dict):
                        for sub, sub_msgs in _flatten_validation(item).items():
                            out[f"{key}.{sub}"] = sub_msgs
                    else:
                        msgs.append(str(item))
                if msgs:
                    out[key] = msgs
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(d) for d in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """Turn every exception into the error envelope; Django's own errors too."""
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("PAYLOAD_TOO_LARGE", _("La solicitud es demasiado grande.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response(
            error_body("VALIDATION_ERROR", _("La solicitud tiene demasiados campos.")),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        code = getattr(exc, "code", None)
        return Response(
            error_body("VALIDATION_ERROR", _("Revisa los datos enviados."), details),
            status=status.HTTP_400_BAD_REQUEST,
        ) if not (code and code.isupper()) else Response(
            error_body(code, exc.messages[0], details), status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, ObjectDoesNotExist | Http404):
        # Domain "not found" errors carry their own stable code (FOOD_NOT_FOUND, ...).
        code = getattr(exc, "error_code", None)
        if code:
            return Response(error_body(code, str(exc) or _("No encontrado.")), status=status.HTTP_404_NOT_FOUND)
        return Response(error_body("NOT_FOUND", _("No encontrado.")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, InvalidToken | TokenError):
        message = str(exc.detail.get("detail", "")) if isinstance(getattr(exc, "detail", None), dict) else str(exc)
        expired = "expired" in message.lower() or "expir" in str(getattr(exc, "detail", "")).lower()
        messages_ = getattr(exc, "detail", {})
        if isinstance(messages_, dict):
            for m in messages_.get("messages", []) or []:
                if "expired" in str(m.get("message", "")).lower():
                    expired = True
        if expired:
            return Response(
                error_body("TOKEN_EXPIRED", _("Tu sesión expiró. Renueva el token.")), status=status.HTTP_401_UNAUTHORIZED
            )
        return Response(error_body("INVALID_TOKEN", _("Token inválido.")), status=status.HTTP_401_UNAUTHORIZED)

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        return Response(
            error_body("INTERNAL_ERROR", _("Ocurrió un error inesperado. Intenta de nuevo.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, str(exc.detail), exc.details)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("VALIDATION_ERROR", _("Revisa los datos enviados."), _flatten_validation(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        wait = int(math.ceil(exc.wait or 1))
        body = error_body(
            "RATE_LIMIT_EXCEEDED",
            _("Demasiadas solicitudes. Intenta de nuevo en %(s)s segundos.") % {"s": wait},
            {"retry_after": wait},
        )
        response["Retry-After"] = str(wait)
    elif isinstance(exc, exceptions.ParseError):
        body = error_body("MALFORMED_REQUEST", _("El cuerpo de la solicitud no es JSON válido."))
    elif isinstance(exc, exceptions.NotAuthenticated):
        body = error_body("AUTHENTICATION_REQUIRED", _("Inicia sesión para continuar."))
    elif isinstance(exc, exceptions.AuthenticationFailed):
        codes = exc.get_codes()
        code = "TOKEN_EXPIRED" if "token_not_valid" in str(codes) and "expired" in str(exc.detail).lower() else (
            "INVALID_TOKEN" if "token" in str(codes) else "AUTHENTICATION_FAILED"
        )
        body = error_body(code, str(exc.detail) if not isinstance(exc.detail, dict) else _("Token inválido."))
    elif isinstance(exc, exceptions.NotFound):
        body = error_body("NOT_FOUND", _("No encontrado."))
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        body = error_body("UNSUPPORTED_MEDIA_TYPE", _("Tipo de contenido no admitido."))
    else:
        code = _CODE_BY_STATUS.get(response.status_code, "ERROR")
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        body = error_body(code, str(detail))
    response.data = body
    return response


class PagePagination(PageNumberPagination):
    """``?page=&limit=`` -> ``{results, page, limit, total_pages, total_results}`` (seed 003)."""

    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, 1)
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise ApiError("VALIDATION_ERROR", _("page debe ser un número entero."), details={"page": [_("Entero ≥ 1.")]})
        if number < 1:
            raise ApiError("VALIDATION_ERROR", _("page debe ser un número entero."), details={"page": [_("Entero ≥ 1.")]})
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ApiError("VALIDATION_ERROR", _("limit debe ser un entero entre 1 y 100."), details={"limit": ["1-100"]})
        if not 1 <= size <= self.max_page_size:
            raise ApiError("VALIDATION_ERROR", _("limit debe ser un entero entre 1 y 100."), details={"limit": ["1-100"]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        number = self.get_page_number(request, paginator)
        if number > max(paginator.num_pages, 1):
            self.page = None
            self._empty = (paginator, number, page_size)
            return []
        self.page = paginator.page(number)
        return list(self.page)

    def get_paginated_response(self, data):
        if self.page is None:
            paginator, number, size = self._empty
            return Response(
                {"results": data, "page": number, "limit": size, "total_pages": paginator.num_pages,
                 "total_results": paginator.count}
            )
        return Response(
            {
                "results": data,
                "page": self.page.number,
                "limit": self.page.paginator.per_page,
                "total_pages": self.page.paginator.num_pages,
                "total_results": self.page.paginator.count,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                "results": schema,
                "page": {"type": "integer"},
                "limit": {"type": "integer"},
                "total_pages": {"type": "integer"},
                "total_results": {"type": "integer"},
            },
        }


# ---------------------------------------------------------------------------------------
# rate limits


def parse_rate(rate: str) -> tuple[int, int]:
    """"5/m" -> (5, 60); also s, h, d and "5/15m"."""
    count, _sep, period = rate.partition("/")
    unit = period[-1]
    mult = int(period[:-1] or 1)
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit] * mult
    return int(count), seconds


def rate_hit(key: str, rate: str) -> tuple[bool, int, int, int]:
    """Count one hit in a fixed window shared by all replicas (the cache is Redis in production).

    Returns (allowed, limit, remaining, reset_epoch_seconds).
    """
    limit, window = parse_rate(rate)
    now = int(time.time())
    start = now - (now % window)
    reset = start + window
    cache_key = f"rl:{key}:{start}"
    added = cache.add(cache_key, 1, timeout=window + 5)
    if added:
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 5)
            count = 1
    return count <= limit, limit, max(limit - count, 0), reset


class RateLimitMixin:
    """Per-endpoint rate limit with X-RateLimit-* headers.

    Set ``rate_limit_scope`` to a key of ``settings.API_RATE_LIMITS``. Anonymous endpoints
    (login, register) count per client IP; others per user.
    """

    rate_limit_scope = "default"

    def rate_limit_key(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u{user.pk}"
        return f"ip{client_ip(request)}"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not settings.API_RATE_LIMITS_ENABLED or request.method == "OPTIONS":
            return
        rate = settings.API_RATE_LIMITS.get(self.rate_limit_scope, settings.API_RATE_LIMITS["default"])
        allowed, limit, remaining, reset = rate_hit(f"{self.rate_limit_scope}:{self.rate_limit_key(request)}", rate)
        request._ratelimit = (limit, remaining, reset)
        if not allowed:
            raise RateLimited(wait=max(reset - time.time(), 1), limit=limit)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        info = getattr(request, "_ratelimit", None)
        if info:
            limit, remaining, reset = info
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
            response["X-RateLimit-Reset"] = str(reset)
        return response


# ---------------------------------------------------------------------------------------
# request parsing and language


API_PARSERS = [JSONParser, parsers.MultiPartParser, parsers.FormParser]


class UserLanguageMixin:
    """Messages in the signed-in user's saved language (as ``UserLanguageMiddleware`` does
    for the pages); anonymous requests keep the Accept-Language that LocaleMiddleware chose."""

    def perform_authentication(self, request):
        super().perform_authentication(request)
        user = request.user
        if user is not None and user.is_authenticated and getattr(user, "language", ""):
            translation.activate(user.language)
            request._request.LANGUAGE_CODE = translation.get_language()


class _DiscardedMessages:
    """A ``django.contrib.messages`` storage that drops everything. Library code the API
    reuses (allauth's flows) adds flash messages; a JSON client never sees them and the
    response must not carry a ``messages`` cookie."""

    used = False

    def add(self, level, message, extra_tags=""):
        return None

    def update(self, response):
        return []

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


def body_dict(request) -> dict:
    """The request body as a dict for a service: a JSON object as-is; form or multipart fields
    with a repeated field or ``name[]`` as a list. Anything else is a ``VALIDATION_ERROR``."""
    data = request.data
    if hasattr(data, "getlist"):  # QueryDict
        out = {}
        for key in data:
            values = data.getlist(key)
            clean = key[:-2] if key.endswith("[]") else key
            out[clean] = values if (key.endswith("[]") or len(values) > 1) else values[0]
        return out
    if not isinstance(data, dict):
        raise ApiError("VALIDATION_ERROR", _("Envía un objeto JSON."))
    return dict(data)


class ApiView(UserLanguageMixin, RateLimitMixin, APIView):
    """Base for API views: user language, rate limit headers, safe JSON parsing, no
    flash-message cookies."""

    parser_classes = API_PARSERS

    def initial(self, request, *args, **kwargs):
        request._request._messages = _DiscardedMessages()
        super().initial(request, *args, **kwargs)


# ---------------------------------------------------------------------------------------
# OpenAPI helpers


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Código estable, p. ej. VALIDATION_ERROR, INVALID_CREDENTIALS.")
    message = serializers.CharField()
    details = serializers.DictField(help_text="Por campo: lista de mensajes.")
    timestamp = serializers.DateTimeField()
    request_id = serializers.CharField(help_text="Igual al encabezado X-Request-ID.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def error_responses(*statuses: int) -> dict:
    """``{status: ErrorSerializer}`` for ``extend_schema(responses=...)``."""
    return {status_code: ErrorSerializer for status_code in statuses}


class ProjectJWTScheme(SimpleJWTScheme):
    """Describe our JWTAuthentication subclass like simplejwt's (bearer JWT)."""

    target_class = "config.authentication.JWTAuthentication"
