"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


@never_cache
def health(request):
    """Liveness: the process answers. Touches nothing else."""
    return JsonResponse({"status": "ok", "time": timezone.now().isoformat()})


def _check_database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure
        return False, exc.__class__.__name__


def _check_migrations() -> tuple[bool, str]:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return (not plan), ("ok" if not plan else f"{len(plan)} pending")
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__


def _check_redis() -> tuple[bool, str]:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__


@never_cache
def ready(request):
    """Readiness: database reachable, migrations applied, Redis reachable when configured."""
    checks = {}
    checks["database"] = _check_database()
    if checks["database"][0]:
        checks["migrations"] = _check_migrations()
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    ok = all(passed for passed, _detail in checks.values())
    body = {"status": "ok" if ok else "unavailable", "checks": {k: v[1] for k, v in checks.items()}}
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
def metrics(request):
    """Prometheus text format. In production restrict it at the proxy or set METRICS_TOKEN."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token and request.headers.get("Authorization") != f"Bearer {token}":
        return HttpResponse(status=404)
    from accounts.models import User
    from config.middleware import ACTIVE_USERS

    ACTIVE_USERS.set(
        User.objects.filter(last_login__gte=timezone.now() - timedelta(minutes=15)).count()
    )
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)
