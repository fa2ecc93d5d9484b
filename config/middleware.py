"""Project-wide middleware: request ids, Prometheus metrics and the Content-Security-Policy."""

from __future__ import annotations

import contextvars
import re
import time
import uuid

from django.conf import settings
from prometheus_client import Counter, Gauge, Histogram

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id (or keep a sane incoming X-Request-ID), expose it to logs
    and the error envelope, and return it in the ``X-Request-ID`` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _VALID_ID.match(incoming) else f"req_{uuid.uuid4().hex[:16]}"
        token = _request_id.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ACTIVE_USERS = Gauge("active_users_total", "Users signed in within the last 15 minutes")


class MetricsMiddleware:
    """Count requests and time them by route pattern (not raw path, so labels stay bounded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        endpoint = match.route if match is not None and match.route else "unmatched"
        if endpoint == "metrics":
            return response
        method = request.method if request.method in _METHODS else "OTHER"
        HTTP_REQUESTS.labels(method, endpoint, str(response.status_code)).inc()
        HTTP_LATENCY.labels(method, endpoint).observe(time.perf_counter() - start)
        return response


class ContentSecurityPolicyMiddleware:
    """Send the CSP header (Django 5.2 has none built in). Wagtail admin needs inline
    scripts, so the policy allows 'unsafe-inline'; everything is still same-origin only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        return response

