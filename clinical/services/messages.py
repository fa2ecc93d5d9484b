"""Writes of the nutritionist–patient conversation: open it, send a message (text and/or one
image, idempotent on ``client_id``), mark it read. The pages, the API and the websocket
handlers (clinical/consumers.py) all call these functions.

After commit a send pushes ``message:new`` to both members' sockets (seed 000 §4.8) and, when
the recipient has no open socket anywhere, leaves an in-app notification (category
``messages``); marking read pushes ``message:read`` to the other member.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinical import rules
from clinical.models import Conversation, Message
from clinical.selectors.messages import (
    ConversationNotFound,
    conversation_get,
    conversations_visible,
    display_name,
    message_payload,
    preview,
)
from config import realtime

MAX_BODY = 4000
MAX_CLIENT_ID = 64


def _read_only_error() -> ValidationError:
    return ValidationError(
        _("La atención con esta persona terminó: la conversación queda solo para lectura."),
        code="CONVERSATION_READ_ONLY",
    )


@transaction.atomic
def conversation_open(*, actor, patient_id) -> Conversation:
    """Nutritionist side: the conversation with ``patient_id``, created when care is open.
    After care ended an existing conversation is still returned (read-only); anything else
    raises ``ConversationNotFound``."""
    pid = rules.id_parse(patient_id)
    if pid is None or not getattr(actor, "is_authenticated", False) or pid == actor.pk:
        raise ConversationNotFound()
    if rules.is_verified_nutritionist(actor) and rules.open_care(nutritionist=actor, patient_id=pid) is not None:
        conversation, _created = Conversation.objects.get_or_create(nutritionist=actor, patient_id=pid)
        return conversation_get(user=actor, conversation_id=conversation.pk)
    existing = conversations_visible(user=actor).filter(nutritionist=actor, patient_id=pid).first()
    if existing is None:
        raise ConversationNotFound()
    return conversation_get(user=actor, conversation_id=existing.pk)


def _clean_client_id(client_id) -> str:
    if client_id is None:
        return ""
    if not isinstance(client_id, str | int):
        raise ValidationError({"client_id": _("client_id debe ser texto.")})
    client_id = str(client_id).strip()
    if len(client_id) > MAX_CLIENT_ID:
        raise ValidationError({"client_id": _("client_id no puede pasar de %(n)s caracteres.") % {"n": MAX_CLIENT_ID}})
    return client_id


def _clean_body(body) -> str:
    if body is None:
        return ""
    if not isinstance(body, str):
        raise ValidationError({"body": _("El mensaje debe ser texto.")})
    body = body.replace("\x00", "").strip()
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("El mensaje no puede pasar de %(n)s caracteres (tiene %(m)s).") % {"n": MAX_BODY, "m": len(body)}}
        )
    return body


def _clean_image(image):
    from config.uploads import image_clean

    if not image:
        return None
    if not hasattr(image, "read"):
        raise ValidationError({"image": _("Adjunta un archivo de imagen.")})
    try:
        return image_clean(image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc


def _conversation_url(conversation_id) -> str:
    return reverse("clinical:conversation", kwargs={"conversation_id": conversation_id})


@transaction.atomic
def message_send(*, actor, conversation_id, body="", image=None, client_id="") -> Message:
    """Send a message (text up to 4000 characters and/or one image) in a conversation the
    actor belongs to, while care is open. A repeated ``client_id`` returns the message
    already stored (``message.replayed`` is True) without pushing again.

    Raises ``ConversationNotFound`` (not a member), ``ValidationError`` (empty, too long, bad
    image; code CONVERSATION_READ_ONLY once care ended)."""
    conversation = conversation_get(user=actor, conversation_id=conversation_id)
    client_id = _clean_client_id(client_id)
    if client_id:
        existing = Message.objects.filter(conversation=conversation, sender=actor, client_id=client_id).first()
        if existing is not None:
            existing.replayed = True
            return existing
    if not conversation.care_open:
        raise _read_only_error()
    body = _clean_body(body)
    clean_image = _clean_image(image)
    if not body and clean_image is None:
        raise ValidationError({"body": _("Escribe un mensaje o adjunta una imagen.")})

    message = Message(conversation=conversation, sender=actor, body=body, client_id=client_id)
    if clean_image is not None:
        message.image.save(clean_image.name or "imagen.jpg", clean_image, save=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # The same client_id raced in from another request: answer with the stored one.
        existing = Message.objects.filter(conversation=conversation, sender=actor, client_id=client_id).first()
        if existing is None:
            raise
        existing.replayed = True
        return existing
    message.replayed = False
    # Replying means the sender has read what came before: their side is read up to now, so
    # their own unread badge clears and the other side's earlier messages show "Leído".
    read_field = "nutritionist_read_at" if conversation.is_nutritionist_side else "patient_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=message.created_at, **{read_field: message.created_at}
    )

    recipient = conversation.other
    sender_name = display_name(actor)
    payload = {"conversation_id": conversation.pk, "message": message_payload(message, sender_name=sender_name)}
    if not realtime.is_online(recipient.pk):
        from accounts.services import notify

        notify(
            recipient,
            "message:new",
            _("Nuevo mensaje de %(name)s") % {"name": sender_name},
            body=preview(message),
            link=_conversation_url(conversation.pk),
            data={"conversation_id": conversation.pk, "message_id": message.pk},
            category="messages",
        )

    read_payload = {"conversation_id": conversation.pk, "reader_id": actor.pk, "read_at": message.created_at.isoformat()}

    def push():
        realtime.push_to_user(recipient.pk, "message:new", payload)
        realtime.push_to_user(actor.pk, "message:new", payload)
        realtime.push_to_user(recipient.pk, "message:read", read_payload)

    transaction.on_commit(push)
    return message


@transaction.atomic
def conversation_mark_read(*, actor, conversation_id):
    """Mark the conversation read on the actor's side (now) and tell the other member
    (``message:read``). Allowed on read-only conversations too. Returns the read time."""
    conversation = conversation_get(user=actor, conversation_id=conversation_id)
    now = timezone.now()
    field = "nutritionist_read_at" if conversation.is_nutritionist_side else "patient_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{field: now})
    payload = {"conversation_id": conversation.pk, "reader_id": actor.pk, "read_at": now.isoformat()}
    other_id = conversation.other.pk
    transaction.on_commit(lambda: realtime.push_to_user(other_id, "message:read", payload))
    return now
