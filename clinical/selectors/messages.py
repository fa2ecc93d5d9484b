"""Reads of the nutritionist–patient conversation, scoped to its two members.

A conversation is visible to its nutritionist and its patient while the pair has (or had) a
care relationship that got past the invitation stage (any status but invited, requested or
declined). Everyone else gets ``ConversationNotFound`` (a ``DoesNotExist``: 404 on pages and
in the API, a NOT_FOUND frame on the websocket). Sending needs OPEN care; ``care_open`` is
annotated on every conversation these selectors return.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinical.models import OPEN_CARE, CareRelationship, CareStatus, Conversation, Message
from clinical.rules import id_parse

# A conversation outlives the care relationship but never precedes it.
NOT_STARTED = (CareStatus.INVITED, CareStatus.REQUESTED, CareStatus.DECLINED)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PAGE_SIZE = 30
MAX_PAGE_SIZE = 100
PREVIEW_CHARS = 80


class ConversationNotFound(ObjectDoesNotExist):
    error_code = "CONVERSATION_NOT_FOUND"

    def __str__(self):
        return str(_("Conversación no encontrada."))


class MessageNotFound(ObjectDoesNotExist):
    error_code = "MESSAGE_NOT_FOUND"

    def __str__(self):
        return str(_("Mensaje no encontrado."))


def _pair_care(statuses=None, exclude=None):
    qs = CareRelationship.objects.filter(nutritionist=OuterRef("nutritionist_id"), patient=OuterRef("patient_id"))
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if exclude is not None:
        qs = qs.exclude(status__in=exclude)
    return qs


def conversations_visible(*, user):
    """Conversations ``user`` is a member of, with ``care_open`` and ``my_read_at`` /
    ``other_read_at`` annotated. One query when evaluated."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(Q(nutritionist=user) | Q(patient=user))
        .filter(Exists(_pair_care(exclude=NOT_STARTED)))
        .annotate(
            care_open=Exists(_pair_care(statuses=OPEN_CARE)),
            my_read_at=Case(
                When(nutritionist=user, then=F("nutritionist_read_at")), default=F("patient_read_at"),
                output_field=DateTimeField(),
            ),
            other_read_at=Case(
                When(nutritionist=user, then=F("patient_read_at")), default=F("nutritionist_read_at"),
                output_field=DateTimeField(),
            ),
        )
        .select_related("nutritionist", "patient", "nutritionist__profile", "patient__profile")
    )


def _decorate(conversation, user):
    conversation.is_nutritionist_side = conversation.nutritionist_id == user.pk
    conversation.other = conversation.patient if conversation.is_nutritionist_side else conversation.nutritionist
    return conversation


def conversation_get(*, user, conversation_id) -> Conversation:
    """The conversation if ``user`` is a member, else ``ConversationNotFound``. Adds
    ``other`` (the other party), ``care_open``, ``my_read_at`` and ``other_read_at``."""
    pk = id_parse(conversation_id)
    if pk is None:
        raise ConversationNotFound()
    conversation = conversations_visible(user=user).filter(pk=pk).first()
    if conversation is None:
        raise ConversationNotFound()
    return _decorate(conversation, user)


def conversation_for_pair(*, actor, patient_id) -> Conversation:
    """Nutritionist side: the conversation with this patient, created if care is open;
    an existing one stays reachable (read-only) after care ended. Else ``ConversationNotFound``.
    (A write when it creates: it delegates to ``clinical.services.messages``.)"""
    from clinical.services.messages import conversation_open

    return conversation_open(actor=actor, patient_id=patient_id)


def _photo_url(user) -> str:
    try:
        photo = user.profile.photo
    except ObjectDoesNotExist:
        return ""
    return photo.url if photo else ""


def display_name(user) -> str:
    return user.full_name or user.username


def conversation_list(*, user) -> list[Conversation]:
    """Every conversation of ``user``, most recent first, each with ``other`` (the other
    party, with ``photo_url``), ``last_message`` (decrypted, or None), ``unread`` (messages
    from the other party newer than my read mark) and ``care_open``. Two queries."""
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), created_at__gt=OuterRef("my_read_since"))
        .exclude(sender=user)
        .order_by()
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_id = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id").values("id")[:1]
    conversations = list(
        conversations_visible(user=user)
        .annotate(my_read_since=Coalesce(F("my_read_at"), Value(EPOCH), output_field=DateTimeField()))
        .annotate(
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            last_message_id=Subquery(last_id),
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-created_at", "-id")
    )
    ids = [c.last_message_id for c in conversations if c.last_message_id]
    last = {m.pk: m for m in Message.objects.filter(pk__in=ids)} if ids else {}
    for conversation in conversations:
        _decorate(conversation, user)
        conversation.other.photo_url = _photo_url(conversation.other)
        conversation.last_message = last.get(conversation.last_message_id)
    return conversations


def messages_unread_total(*, user) -> int:
    """Messages from the other party newer than my read mark, over all my conversations
    (the nav badge). One query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    visible = conversations_visible(user=user).values("pk")
    return (
        Message.objects.filter(conversation__in=visible)
        .exclude(sender=user)
        .filter(
            Q(conversation__nutritionist=user,
              created_at__gt=Coalesce(F("conversation__nutritionist_read_at"), Value(EPOCH)))
            | Q(conversation__patient=user, created_at__gt=Coalesce(F("conversation__patient_read_at"), Value(EPOCH)))
        )
        .count()
    )


def message_page(*, conversation, before=None, limit=PAGE_SIZE) -> tuple[list[Message], bool]:
    """``(messages newest first, has_more)``: up to ``limit`` messages older than the message
    id ``before`` (cursor), for a conversation the caller already resolved with
    ``conversation_get``. One query."""
    qs = conversation.messages.select_related("sender").order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def message_get(*, user, conversation_id, message_id) -> Message:
    conversation = conversation_get(user=user, conversation_id=conversation_id)
    pk = id_parse(message_id)
    message = conversation.messages.filter(pk=pk).first() if pk else None
    if message is None:
        raise MessageNotFound()
    return message


def preview(message: Message | None) -> str:
    if message is None:
        return ""
    text = " ".join((message.body or "").split())
    if not text and message.image:
        return str(_("📷 Imagen"))
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def message_payload(message: Message, *, sender_name: str | None = None) -> dict:
    """Seed 000 §4.8 ``message:new`` message shape (also the API's)."""
    image_url = ""
    if message.image:
        image_url = reverse(
            "clinical:message_image", kwargs={"conversation_id": message.conversation_id, "message_id": message.pk}
        )
    if sender_name is None:
        sender_name = display_name(message.sender)
    return {
        "id": message.pk,
        "sender_id": message.sender_id,
        "sender_name": sender_name,
        "body": message.body or "",
        "image_url": image_url,
        "created_at": message.created_at.isoformat(),
        "client_id": message.client_id,
    }


def conversation_payload(conversation: Conversation) -> dict:
    """A row of ``GET /api/v1/conversations`` (from ``conversation_list``)."""
    other = conversation.other
    last = getattr(conversation, "last_message", None)
    return {
        "id": conversation.pk,
        "other": {"id": other.pk, "name": display_name(other), "photo_url": getattr(other, "photo_url", "")},
        "role": "nutritionist" if conversation.is_nutritionist_side else "patient",
        "last_message": None if last is None else {
            "id": last.pk, "sender_id": last.sender_id, "preview": preview(last), "created_at": last.created_at.isoformat(),
        },
        "last_message_at": conversation.last_message_at.isoformat() if conversation.last_message_at else None,
        "unread_count": getattr(conversation, "unread", 0),
        "can_send": conversation.care_open,
        "other_read_at": conversation.other_read_at.isoformat() if conversation.other_read_at else None,
    }
