"""Celery adapters for accounts: take ids, call a service, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, Notification


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def notifications_purge_old(self, days: int = 180) -> int:
    """Delete read notifications older than ``days``. Idempotent."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _detail = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return deleted


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def audit_events_anonymise_old(self, days: int = 365) -> int:
    """Drop IP and user agent from security events older than ``days`` (data minimisation)."""
    cutoff = timezone.now() - timedelta(days=days)
    return (
        AuditEvent.objects.filter(created_at__lt=cutoff)
        .exclude(ip_address__isnull=True, user_agent="")
        .update(ip_address=None, user_agent="")
    )


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def notify_task(self, user_id: int, kind: str, title: str, body: str = "", link: str = "", data=None,
                category: str = "system", dedupe_key: str = ""):
    """Queue a notification from anywhere. With ``dedupe_key`` a retried (or duplicated) task
    stores it once: the user's row is locked while checking, so two workers running the same
    task at once cannot both insert (PostgreSQL; SQLite serialises writers anyway)."""
    from accounts.models import User
    from accounts.services import notify

    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, deleted_at__isnull=True).first()
        if user is None:
            return None
        payload = dict(data or {})
        if dedupe_key:
            if Notification.objects.filter(user=user, data__dedupe_key=dedupe_key).exists():
                return None
            payload["dedupe_key"] = dedupe_key
        n = notify(user, kind, title, body, link, payload, category=category)
    return n.pk if n else None
