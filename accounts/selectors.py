"""Reads for accounts, always scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import AuditEvent, Notification, NotificationCategory, NotificationPreference, User


def user_get_by_username(*, username: str) -> User:
    """A live (not deleted, not banned) user by handle; raises DoesNotExist otherwise."""
    return User.objects.select_related("profile").get(
        username=username.lower(), deleted_at__isnull=True, is_active=True, is_banned=False
    )


def user_with_profile(*, user_id) -> User:
    return User.objects.select_related("profile").prefetch_related("role_grants").get(pk=user_id)


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_preferences(*, user) -> dict[str, bool]:
    """Every category with whether in-app notifications are on (default on)."""
    prefs = {c: True for c in NotificationCategory.values}
    for row in NotificationPreference.objects.filter(user=user):
        prefs[row.category] = row.in_app
    prefs[NotificationCategory.SYSTEM] = True
    return prefs


def audit_event_list(*, user) -> QuerySet[AuditEvent]:
    """The user's own security events (shown on the security page)."""
    return AuditEvent.objects.filter(user=user).order_by("-created_at")[:50]
