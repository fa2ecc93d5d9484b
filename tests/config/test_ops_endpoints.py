"""Operations endpoints as a load balancer, Prometheus and an operator see them."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def test_health_says_ok_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert "time" in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ready_is_ok_on_a_migrated_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/api/v1/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_ready_checks_redis_when_configured(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL not set")
    response = client.get("/api/v1/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_ready_is_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/api/v1/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] != "ok"


def test_ready_is_503_when_migrations_are_pending(client, monkeypatch):
    from config import views

    monkeypatch.setattr(views, "_migrations_ok", False)
    monkeypatch.setattr(views.MigrationExecutor, "migration_plan", lambda self, targets: [("app", False)] * 3)
    response = client.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "3 pending"
    assert response.json()["failed"] == ["migrations"]


def _samples(text: str, name: str) -> list:
    return [s for fam in text_string_to_metric_families(text) for s in fam.samples if s.name == name]


def _count(text: str, **labels) -> float:
    return sum(s.value for s in _samples(text, "http_requests_total") if all(s.labels.get(k) == v for k, v in labels.items()))


def test_metrics_is_prometheus_text_counting_requests_by_route_pattern(client):
    before = client.get("/metrics").content.decode()
    client.get("/api/v1/health")
    client.get("/api/v1/health")
    client.get("/django-admin/accounts/user/987654/change/")  # a route with a parameter
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    after = response.content.decode()
    assert "# TYPE http_requests_total counter" in after
    assert "# TYPE http_request_duration_seconds histogram" in after
    assert "active_users_total" in after

    health = {"method": "GET", "endpoint": "api/v1/health", "status": "200"}
    assert _count(after, **health) - _count(before, **health) == 2
    # The id is not a label: the request is counted under its pattern.
    assert "987654" not in after
    assert _count(after, method="GET", endpoint="django-admin/accounts/user/<path:object_id>/change/") >= 1
    # Scrapes do not count themselves.
    assert not _samples(after, "http_requests_total") or all(
        s.labels["endpoint"] != "metrics" for s in _samples(after, "http_requests_total")
    )


def test_unknown_paths_share_one_label(client):
    client.get("/no/existe/123")
    client.get("/tampoco/456")
    text = client.get("/metrics").content.decode()
    endpoints = {s.labels["endpoint"] for s in _samples(text, "http_requests_total")}
    assert "unmatched" in endpoints
    assert not any("123" in e or "456" in e for e in endpoints)


def test_metrics_token_protects_the_endpoint(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


# --- request ids and logs ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/health", "/", "/api/v1/nope", "/no/existe/"])
def test_every_response_has_a_request_id(client, path):
    response = client.get(path)
    rid = response["X-Request-ID"]
    assert rid.startswith("req_") and len(rid) == 20
    assert client.get(path)["X-Request-ID"] != rid  # one per request


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"


@pytest.mark.parametrize("bad", ["short", "x" * 65, "abc def ghi", "<script>alert(1)</script>", "id\r\nX-Evil: 1"])
def test_an_insane_incoming_request_id_is_replaced(client, bad):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID=bad)
    assert response["X-Request-ID"] != bad
    assert response["X-Request-ID"].startswith("req_")


def _json_handler() -> logging.Handler:
    from config.logging import RequestIdFilter

    for handler in logging.getLogger().handlers:
        if any(isinstance(f, RequestIdFilter) for f in handler.filters):
            return handler
    raise AssertionError("no log handler with the request-id filter is configured")


def test_json_log_lines_carry_the_request_id(client, caplog):
    handler = _json_handler()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no/existe/", HTTP_X_REQUEST_ID="trace-0123456789")
    assert response.status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records, "Django logs the 404 while handling the request"
    line = handler.format(records[-1]) if handler.filter(records[-1]) else ""
    entry = json.loads(line)  # one JSON object per line
    assert entry["request_id"] == "trace-0123456789"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert "/no/existe/" in entry["message"]
    assert "timestamp" in entry


def test_log_lines_outside_a_request_say_so():
    handler = _json_handler()
    record = logging.LogRecord("nutrimx.test", logging.INFO, __file__, 1, "fuera de una petición", None, None)
    assert handler.filter(record)
    assert json.loads(handler.format(record))["request_id"] == "-"


def test_api_error_body_carries_the_same_request_id(client):
    response = client.get("/api/v1/no-existe", HTTP_X_REQUEST_ID="trace-abcdef0123")
    assert response.json()["error"]["request_id"] == "trace-abcdef0123" == response["X-Request-ID"]
