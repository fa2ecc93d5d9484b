"""Celery adapters of the public site."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="content.tasks.publish_scheduled")
def publish_scheduled() -> None:
    """Publish revisions whose ``go_live_at`` passed and unpublish pages whose ``expire_at``
    did (Wagtail's ``publish_scheduled`` command; idempotent). Celery beat runs it every minute."""
    call_command("publish_scheduled")
