"""Celery app. With REDIS_URL it uses Redis as broker; without it tasks run eagerly inline."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("nutrimx")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are declared here, in code, so every beat replica agrees.
app.conf.beat_schedule = {
    "integrations-webhooks-retry-due": {
        "task": "integrations.tasks.webhooks_retry_due_task",
        "schedule": 60.0,
    },
    "accounts-purge-old-notifications": {
        "task": "accounts.tasks.notifications_purge_old",
        "schedule": crontab(hour=3, minute=15),
    },
    "social-trending-refresh": {
        "task": "social.tasks.trending_refresh",
        "schedule": crontab(minute="*/15"),
    },
    "accounts-purge-old-audit-ip": {
        "task": "accounts.tasks.audit_events_anonymise_old",
        "schedule": crontab(hour=3, minute=45),
    },
    # Scheduled publishing in Wagtail (go_live_at / expire_at).
    "content-publish-scheduled": {
        "task": "content.tasks.publish_scheduled",
        "schedule": crontab(minute="*"),
    },
}

