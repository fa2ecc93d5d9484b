"""Reads of the chatbot: a person's conversations (only their own, ever) and the payloads the
API, the page and the websocket events share."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery

from assistant.errors import ConversationNotFound
from assistant.models import ChatMessage, Conversation, Role

PREVIEW_CHARS = 90


def _id(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def conversation_list(*, user) -> QuerySet[Conversation]:
    """The person's conversations, most recently active first, with ``message_count`` and
    ``last_text`` (the last message's text) annotated: one query for any number of rows."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    last = ChatMessage.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Conversation.objects.filter(user=user)
        .annotate(message_count=Count("messages"), last_text=Subquery(last.values("content")[:1]))
        .order_by("-updated_at", "-pk")
    )


def conversation_get(*, user, conversation_id) -> Conversation:
    """One of the person's conversations, or ``ConversationNotFound`` (someone else's looks missing)."""
    pk = _id(conversation_id)
    if pk is None or not getattr(user, "is_authenticated", False):
        raise ConversationNotFound()
    conversation = Conversation.objects.filter(pk=pk, user=user).first()
    if conversation is None:
        raise ConversationNotFound()
    return conversation


def message_list(*, conversation: Conversation) -> QuerySet[ChatMessage]:
    """The conversation's messages, oldest first."""
    return conversation.messages.order_by("created_at", "pk")


def history_for_model(*, conversation: Conversation, before_id: int, turns: int = 10) -> list[ChatMessage]:
    """The last ``turns`` finished messages before ``before_id``, oldest first (the model's memory)."""
    rows = list(
        conversation.messages.filter(pk__lt=before_id, status="complete").exclude(content="")
        .order_by("-created_at", "-pk")[:turns]
    )
    return list(reversed(rows))


def preview(text: str | None) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


def message_payload(message: ChatMessage) -> dict:
    return {
        "id": message.pk,
        "role": message.role,
        "content": message.content,
        "sources": list(message.sources or []),
        "related_questions": list(message.related_questions or []) if message.role == Role.ASSISTANT else [],
        "mode": message.mode or None,
        "status": message.status,
        "created_at": message.created_at.isoformat(),
    }


def conversation_payload(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "title": conversation.title,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "message_count": getattr(conversation, "message_count", None),
        "last_message": preview(getattr(conversation, "last_text", "")),
    }
