"""Security headers, HTTPS settings from the environment, and the API's JSON 404."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_pages_send_the_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Permissions-Policy" in response
    # Plain HTTP in development: no HSTS.
    assert "Strict-Transport-Security" not in response


def test_https_settings_add_hsts_and_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    redirect = client.get("/cuenta/perfil/?x=1")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/cuenta/perfil/?x=1"
    # Health probes from inside the network speak plain HTTP and are not redirected.
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/ready").status_code in (200, 503)
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def settings_from_env(**env) -> dict:
    """Settings as a fresh process computes them from these environment variables only."""
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT", "DEBUG", "TESTING", "CELERY_BROKER_URL",
                          "CELERY_TASK_ALWAYS_EAGER", "SECURE_HSTS_SECONDS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import json; from django.conf import settings as s; from config.celery import app; "
        "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "'ssl': s.SECURE_SSL_REDIRECT, 'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url, "
        "'layer': s.CHANNEL_LAYERS['default']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'], "
        "'db': s.DATABASES['default']['ENGINE']}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_secure_ssl_redirect_env_turns_on_hsts_and_secure_cookies():
    prod = settings_from_env(SECURE_SSL_REDIRECT="1")
    assert prod["ssl"] is True
    assert prod["hsts"] == 31536000
    assert prod["sub"] is True
    assert prod["session_secure"] is True and prod["csrf_secure"] is True
    dev = settings_from_env()
    assert dev["ssl"] is False and dev["hsts"] == 0 and dev["session_secure"] is False


def test_embedded_default_and_production_services_come_from_env():
    embedded = settings_from_env()
    assert embedded["eager"] is True
    assert embedded["broker"].startswith("memory://")
    assert embedded["layer"] == "channels.layers.InMemoryChannelLayer"
    assert embedded["cache"].endswith("LocMemCache")
    assert embedded["db"] == "django.db.backends.sqlite3"
    scaled = settings_from_env(REDIS_URL="redis://127.0.0.1:6399/0", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert scaled["eager"] is False
    assert scaled["broker"] == "redis://127.0.0.1:6399/0"
    assert scaled["layer"] == "channels_redis.core.RedisChannelLayer"
    assert scaled["cache"].endswith("RedisCache")
    assert scaled["db"] == "django.db.backends.postgresql"


# --- API 404 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/no-existe", "/api/v1/no/existe/123/", "/api/v1/auth/nada"])
def test_unknown_api_path_answers_the_json_error_envelope(client, method, path):
    response = getattr(client, method)(path, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "NOT_FOUND"
    assert error["message"]
    assert error["details"] == {}
    assert error["request_id"] == response["X-Request-ID"]
    assert error["timestamp"]


def test_unknown_api_path_is_not_in_the_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert all(p.startswith("/api/v1/") for p in paths)
    assert not any(".*" in p or "{path}" in p for p in paths)
