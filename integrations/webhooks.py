"""Outbound webhooks: URLs a person registers to receive events such as
``analysis.completed`` (seed 003).

Each delivery is a JSON POST::

    {"id": "evt_…", "event": "analysis.completed", "created_at": "…", "data": {…}}

signed with the endpoint's secret: ``X-NutriMX-Signature: t=<unix seconds>,v1=<hex>`` where
``v1 = HMAC-SHA256(secret, f"{t}.{raw body}")``. Receivers check the signature and reject a
``t`` older than five minutes (replays). ``X-NutriMX-Event`` and ``X-NutriMX-Delivery`` (the
event id, stable across retries, for idempotency) come with it.

A 2xx answer is success; anything else, a timeout or a refused connection is retried with
backoff (30 s, 2 min, 10 min, 1 h) up to ``WEBHOOK_MAX_ATTEMPTS``; every attempt is logged on
the :class:`WebhookDelivery`. With a Celery worker the retry is a countdown task; the
``webhooks_retry_due`` beat task is the safety net, and in the embedded default (eager Celery)
it is what delivers retries: a retry never runs inline in the request that emitted.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.errors import WebhookNotFound
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

SIGNATURE_HEADER = "X-NutriMX-Signature"
BACKOFF_SECONDS = (30, 120, 600, 3600)
MAX_ENDPOINTS_PER_USER = 5
EVENT_LABELS = {"analysis.completed": "analysis.completed"}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does: check the HMAC in constant time and refuse old timestamps."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


# ---------------------------------------------------------------------------------------
# endpoints


def _host_is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable now; delivery will fail and be logged
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return True
    return False


def _clean_url(url) -> str:
    url = str(url or "").strip()
    if not url:
        raise ValidationError({"url": _("Escribe la dirección que recibirá los avisos.")})
    if len(url) > 500:
        raise ValidationError({"url": _("La dirección es demasiado larga (máximo 500 caracteres).")})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": _("Escribe una dirección completa que empiece con https://.")})
    parts = urlsplit(url)
    if parts.scheme != "https" and not settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        raise ValidationError({"url": _("La dirección debe usar https://.")})
    if not settings.WEBHOOK_ALLOW_PRIVATE_HOSTS and _host_is_private(parts.hostname or ""):
        # Server-side request forgery: nobody may make our server call its own network.
        raise ValidationError({"url": _("Esa dirección apunta a una red privada; usa una dirección pública.")})
    return url


def _clean_events(events) -> list[str]:
    if events in (None, "", []):
        return list(WebhookEndpoint.EVENTS)
    if isinstance(events, str):
        events = [e.strip() for e in events.split(",") if e.strip()]
    if not isinstance(events, list | tuple) or not all(isinstance(e, str) for e in events):
        raise ValidationError({"events": _("Envía una lista de eventos.")})
    unknown = sorted(set(events) - set(WebhookEndpoint.EVENTS))
    if unknown:
        raise ValidationError({"events": _("Eventos desconocidos: %(events)s.") % {"events": ", ".join(unknown)}})
    return sorted(set(events))


def webhook_endpoint_list(*, user):
    """The person's endpoints, newest first."""
    return WebhookEndpoint.objects.filter(user=user)


def webhook_endpoint_get(*, user, endpoint_id) -> WebhookEndpoint:
    """One of the person's endpoints; anyone else's is a 404."""
    try:
        return WebhookEndpoint.objects.get(user=user, pk=int(endpoint_id))
    except (WebhookEndpoint.DoesNotExist, TypeError, ValueError):
        raise WebhookNotFound()


def webhook_delivery_list(*, user, endpoint_id, limit: int = 50):
    """The latest deliveries of one of the person's endpoints."""
    endpoint = webhook_endpoint_get(user=user, endpoint_id=endpoint_id)
    return endpoint.deliveries.all()[:limit]


@transaction.atomic
def webhook_endpoint_create(*, actor, url, events=None, description="") -> WebhookEndpoint:
    """Register a URL for events. At most five per person; the secret is generated here."""
    errors = {}
    clean = {}
    for field, func, value in (("url", _clean_url, url), ("events", _clean_events, events)):
        try:
            clean[field] = func(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    description = str(description or "").strip()
    if len(description) > 120:
        errors["description"] = [_("La descripción es demasiado larga (máximo 120 caracteres).")]
    if errors:
        raise ValidationError(errors)
    if WebhookEndpoint.objects.select_for_update().filter(user=actor).count() >= MAX_ENDPOINTS_PER_USER:
        raise ValidationError({"url": _("Puedes registrar hasta %(n)d direcciones.") % {"n": MAX_ENDPOINTS_PER_USER}})
    if WebhookEndpoint.objects.filter(user=actor, url=clean["url"]).exists():
        raise ValidationError({"url": _("Ya registraste esa dirección.")})
    return WebhookEndpoint.objects.create(user=actor, url=clean["url"], events=clean["events"],
                                          description=description)


def webhook_endpoint_delete(*, actor, endpoint_id) -> None:
    """Remove an endpoint and its delivery log."""
    webhook_endpoint_get(user=actor, endpoint_id=endpoint_id).delete()


def webhook_endpoint_rotate_secret(*, actor, endpoint_id) -> WebhookEndpoint:
    """A new signing secret; the old one stops working at once."""
    endpoint = webhook_endpoint_get(user=actor, endpoint_id=endpoint_id)
    endpoint.secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint.save(update_fields=["secret"])
    return endpoint


# ---------------------------------------------------------------------------------------
# delivery


def webhook_emit(*, user, event: str, payload: dict) -> list[WebhookDelivery]:
    """Queue ``event`` for each of ``user``'s active endpoints subscribed to it. Call it from
    inside the transaction that produced the event: deliveries start after commit."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(user=user, is_active=True) if event in (e.events or [])]
    if not endpoints:
        return []
    event_id = "evt_" + secrets.token_hex(12)
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, event_id=event_id, payload=payload)
        for endpoint in endpoints
    ]

    def enqueue():
        from integrations.tasks import webhook_deliver_task

        for delivery in deliveries:
            webhook_deliver_task.delay(delivery.pk)

    transaction.on_commit(enqueue)
    return deliveries


def _body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {"id": delivery.event_id, "event": delivery.event, "created_at": delivery.created_at.isoformat(),
         "data": delivery.payload},
        ensure_ascii=False, separators=(",", ":"),
    ).encode()


def webhook_deliver(delivery_id: int) -> WebhookDelivery | None:
    """Make one attempt at a delivery that is due; log it and schedule the next one.

    Returns the delivery, or None when it is gone or already finished (idempotent: a task
    that runs twice does not send twice)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING])
            .first()
        )
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        # Claim the attempt so a second worker skips it while this one is sending.
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3)
        delivery.save(update_fields=["next_attempt_at"])

    endpoint = delivery.endpoint
    body = _body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "NutriMX-Webhooks/1",
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
        "X-NutriMX-Event": delivery.event,
        "X-NutriMX-Delivery": delivery.event_id,
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        with httpx.Client(timeout=settings.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False) as client:
            response = client.post(endpoint.url, content=body, headers=headers)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except httpx.TimeoutException:
        error = "timeout"
    except httpx.HTTPError as exc:
        error = type(exc).__name__
    duration_ms = int((time.monotonic() - started) * 1000)

    delivery.attempt_count += 1
    delivery.attempts = [*delivery.attempts, {"at": timezone.now().isoformat(), "status_code": status_code,
                                              "error": error, "duration_ms": duration_ms}]
    delivery.response_status = status_code
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_count=0, last_success_at=timezone.now())
    elif delivery.attempt_count >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.RETRYING
        wait = BACKOFF_SECONDS[min(delivery.attempt_count - 1, len(BACKOFF_SECONDS) - 1)]
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
    if error:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            failure_count=endpoint.failure_count + 1, last_failure_at=timezone.now()
        )
    delivery.save(update_fields=["attempt_count", "attempts", "response_status", "status", "delivered_at",
                                 "next_attempt_at"])
    if delivery.status == DeliveryStatus.RETRYING and not settings.CELERY_TASK_ALWAYS_EAGER:
        from integrations.tasks import webhook_deliver_task

        webhook_deliver_task.apply_async((delivery.pk,), countdown=wait)
    return delivery


def webhooks_retry_due(*, limit: int = 200) -> int:
    """Attempt every delivery whose retry time has come; returns how many were attempted."""
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.RETRYING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        webhook_deliver(pk)
    return len(due)
