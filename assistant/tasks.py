"""Celery adapters of the chatbot: take ids, call the service; idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, name="assistant.tasks.chat_reply_task")
def chat_reply_task(message_id: int) -> None:
    """Answer a pending assistant message, streaming it to the person's sockets (a message
    already answered is left alone, so a redelivered task does nothing)."""
    from assistant.services import chat_reply_generate

    chat_reply_generate(message_id=message_id, push=True)
