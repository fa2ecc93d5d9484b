"""Celery adapters of the integrations: take ids, call the client code. Idempotent."""

from celery import shared_task


@shared_task(acks_late=True)
def webhook_deliver_task(delivery_id: int) -> bool:
    """One attempt at a webhook delivery (a finished or not-yet-due one is skipped)."""
    from integrations.webhooks import webhook_deliver

    return webhook_deliver(delivery_id) is not None


@shared_task(acks_late=True)
def webhooks_retry_due_task() -> int:
    """Beat: attempt every delivery whose retry time has come."""
    from integrations.webhooks import webhooks_retry_due

    return webhooks_retry_due()
