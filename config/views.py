"""Operations endpoints: liveness, readiness and Prometheus metrics, plus the JSON 404 for
unknown ``/api/v1/`` paths."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny


@never_cache
def health(request):
    """Liveness: the process answers. Touches nothing else (no database, no Redis)."""
    return JsonResponse({"status": "ok", "time": timezone.now().isoformat()})


def _check_database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure
        return False, exc.__class__.__name__


# Once every migration is applied, a running process cannot see new ones (its code is fixed),
# so the (slow) migration graph is loaded only until the first success.
_migrations_ok = False


def _check_migrations() -> tuple[bool, str]:
    global _migrations_ok
    if _migrations_ok:
        return True, "ok"
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__
    if plan:
        return False, f"{len(plan)} pending"
    _migrations_ok = True
    return True, "ok"


def _check_redis() -> tuple[bool, str]:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__


@never_cache
def ready(request):
    """Readiness: database reachable, migrations applied, Redis reachable when configured.

    200 ``{"status": "ok", "checks": {...}}`` or 503 ``{"status": "unavailable", "checks":
    {...}, "failed": ["redis"]}`` naming what is down, so a load balancer stops routing here
    and an operator sees why.
    """
    checks: dict[str, tuple[bool, str]] = {"database": _check_database()}
    if checks["database"][0]:
        checks["migrations"] = _check_migrations()
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    failed = [name for name, (passed, _detail) in checks.items() if not passed]
    body: dict = {"status": "unavailable" if failed else "ok", "checks": {k: v[1] for k, v in checks.items()}}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
def metrics(request):
    """Prometheus text format. In production restrict it at the proxy or set METRICS_TOKEN."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token and request.headers.get("Authorization") != f"Bearer {token}":
        return HttpResponse(status=404)
    from accounts.models import User
    from config.middleware import ACTIVE_USERS

    ACTIVE_USERS.set(User.objects.filter(last_login__gte=timezone.now() - timedelta(minutes=15)).count())
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def api_not_found(request, *args, **kwargs):
    """Last pattern under /api/v1/: unknown paths answer the JSON error envelope, not HTML."""
    raise NotFound()
