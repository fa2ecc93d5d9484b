"""Outbound webhooks: registration rules, HMAC signatures a receiver can verify, retries with
backoff, the delivery log, and every endpoint answering 404 for someone else's webhook."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrations import webhooks
from integrations.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(user, webhook_receiver):
    return webhooks.webhook_endpoint_create(actor=user, url=webhook_receiver.url, description="mi servidor")


def _emit(user, payload=None):
    with transaction.atomic():
        deliveries = webhooks.webhook_emit(user=user, event="analysis.completed",
                                           payload=payload or {"analysis_id": "a1", "total_nutrition": {"calories": 640}})
    return deliveries


def test_signed_delivery_verifies_and_carries_the_payload(user, endpoint, webhook_receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = webhooks.webhook_emit(user=user, event="analysis.completed",
                                           payload={"analysis_id": "a1", "total_nutrition": {"calories": 640}})
    assert len(webhook_receiver.received) == 1
    request = webhook_receiver.received[0]
    body = json.loads(request["body"])
    assert body["event"] == "analysis.completed" and body["data"]["total_nutrition"]["calories"] == 640
    assert body["id"] == request["headers"]["X-NutriMX-Delivery"] == deliveries[0].event_id
    assert webhooks.verify(endpoint.secret, request["headers"]["X-NutriMX-Signature"], request["body"])
    # A tampered body, another secret or an old timestamp fail.
    assert not webhooks.verify(endpoint.secret, request["headers"]["X-NutriMX-Signature"], request["body"] + b" ")
    assert not webhooks.verify("whsec_otro", request["headers"]["X-NutriMX-Signature"], request["body"])
    ts = int(request["headers"]["X-NutriMX-Signature"].split(",")[0][2:])
    assert not webhooks.verify(endpoint.secret, request["headers"]["X-NutriMX-Signature"], request["body"], now=ts + 301)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempt_count == 1 and delivery.response_status == 200


def test_failures_are_retried_with_backoff_then_delivered(user, endpoint, webhook_receiver,
                                                          django_capture_on_commit_callbacks):
    webhook_receiver.statuses.extend([500, 503])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_emit(user=user, event="analysis.completed", payload={"n": 1})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying" and delivery.attempt_count == 1
    first_wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < first_wait <= 30
    # Not yet due: the sweeper does nothing.
    assert webhooks.webhooks_retry_due() == 0
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert webhooks.webhooks_retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.attempt_count == 2 and 100 < (delivery.next_attempt_at - timezone.now()).total_seconds() <= 120
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    webhooks.webhooks_retry_due()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempt_count == 3
    assert [a["status_code"] for a in delivery.attempts] == [500, 503, 200]
    # The same event id on every attempt, so the receiver can de-duplicate.
    assert len({r["headers"]["X-NutriMX-Delivery"] for r in webhook_receiver.received}) == 1
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 0 and endpoint.last_success_at


def test_gives_up_after_max_attempts(user, endpoint, webhook_receiver, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    webhook_receiver.statuses.extend([500, 500, 500])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_emit(user=user, event="analysis.completed", payload={})
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.webhooks_retry_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert webhooks.webhook_deliver(delivery.pk) is None  # finished: never sent again
    assert len(webhook_receiver.received) == 2


def test_unreachable_receiver_is_logged(user, settings, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    webhooks.webhook_endpoint_create(actor=user, url=f"http://127.0.0.1:{port}/x")
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_emit(user=user, event="analysis.completed", payload={})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying" and delivery.attempts[0]["error"] == "ConnectError"


def test_no_endpoint_no_delivery(user):
    assert _emit(user) == []


def test_registration_rules(user, settings):
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_endpoint_create(actor=user, url="")
    assert "url" in exc.value.message_dict
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_create(actor=user, url="ftp://ejemplo.mx/x")
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_endpoint_create(actor=user, url="https://ejemplo.mx/x", events=["post.created"])
    assert "post.created" in str(exc.value.message_dict["events"])
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_endpoint_create(actor=user, url="https://127.0.0.1/x")
    assert "privada" in exc.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_endpoint_create(actor=user, url="http://ejemplo.mx/x")
    assert "https" in exc.value.message_dict["url"][0]
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    for n in range(5):
        webhooks.webhook_endpoint_create(actor=user, url=f"https://ejemplo{n}.mx/x")
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_endpoint_create(actor=user, url="https://ejemplo9.mx/x")
    assert "5" in exc.value.message_dict["url"][0]


def test_api_register_list_deliveries_and_others_get_404(api_client_for, user, other_user, webhook_receiver):
    client = api_client_for(user)
    response = client.post("/api/v1/webhooks", {"url": webhook_receiver.url}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["events"] == ["analysis.completed"] and created["secret"].startswith("whsec_")
    listing = client.get("/api/v1/webhooks").json()["results"]
    assert [e["url"] for e in listing] == [webhook_receiver.url] and "secret" not in listing[0]
    bad = client.post("/api/v1/webhooks", {"url": "no es url"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["details"]["url"]
    rotated = client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret").json()
    assert rotated["secret"] != created["secret"]
    other = api_client_for(other_user)
    for method, path in (("get", ""), ("delete", ""), ("post", "/rotate-secret"), ("get", "/deliveries")):
        response = getattr(other, method)(f"/api/v1/webhooks/{created['id']}{path}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "WEBHOOK_NOT_FOUND"
    assert client.get(f"/api/v1/webhooks/{created['id']}/deliveries").json()["results"] == []
    assert client.delete(f"/api/v1/webhooks/{created['id']}").status_code == 204
    assert client.get("/api/v1/webhooks").json()["results"] == []


def test_page_register_shows_secret_and_log(client, user, other_user, webhook_receiver, django_capture_on_commit_callbacks):
    client.force_login(user)
    response = client.post(reverse("integrations:webhooks"), {"url": "nada", "events": ["analysis.completed"]})
    assert response.status_code == 422 and "Escribe una dirección completa" in response.content.decode()
    response = client.post(reverse("integrations:webhooks"), {"url": webhook_receiver.url, "events": ["analysis.completed"]},
                           follow=True)
    endpoint = webhooks.webhook_endpoint_list(user=user).get()
    html = response.content.decode()
    assert webhook_receiver.url in html and endpoint.secret in html and "Todavía no hay entregas" in html
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_emit(user=user, event="analysis.completed", payload={})
    html = client.get(reverse("integrations:webhooks")).content.decode()
    assert "HTTP 200" in html and "Entregado" in html.replace("entregado", "Entregado")
    client.force_login(other_user)
    assert webhook_receiver.url not in client.get(reverse("integrations:webhooks")).content.decode()
    assert client.post(reverse("integrations:webhook_delete", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("integrations:webhook_rotate", args=[endpoint.pk])).status_code == 404
