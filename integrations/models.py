"""Connection records for the outside world: AI usage metering and outbound webhooks.

Users are referenced through ``settings.AUTH_USER_MODEL``; this app imports no domain app."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class AIUsage(models.Model):
    """One call to the AI provider. ``practice`` is the nutritionist whose patient made the
    call (or the nutritionist themself), so usage can be reported per practice."""

    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    practice = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    feature = models.CharField(max_length=40)
    model = models.CharField(max_length=100)
    ok = models.BooleanField(default=True)
    error_code = models.CharField(max_length=30, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=10, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["practice", "created_at"]),
        ]
        verbose_name = _("uso de IA")
        verbose_name_plural = _("uso de IA")

    def __str__(self):
        return f"{self.feature} {self.model} {self.created_at:%Y-%m-%d %H:%M}"


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL a user registered to receive events (e.g. ``analysis.completed``), signed with
    HMAC-SHA256 using ``secret``."""

    EVENTS = ("analysis.completed",)

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80, default=_new_secret)
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    failure_count = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pendiente")
    RETRYING = "retrying", _("reintentando")
    DELIVERED = "delivered", _("entregado")
    FAILED = "failed", _("fallido")


class WebhookDelivery(models.Model):
    """One event for one endpoint, with every attempt logged in ``attempts``
    (``[{"at", "status_code", "error", "duration_ms"}]``)."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60)
    event_id = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.JSONField(default=list)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once")]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.status})"
