"""Websocket events of the nutritionist–patient conversation, registered on the single /ws/
consumer (accounts/consumers.py). Every event re-checks membership through
``clinical.selectors.messages.conversation_get`` (a non-member gets a NOT_FOUND error frame,
exactly as for a conversation that does not exist) and writes go through
``clinical.services.messages``, the same functions the pages and the API call.

Client → server (seed 000 §4.8 names):

- ``typing:start`` / ``typing:stop`` {conversation_id} → relayed to the other member as the
  same event {conversation_id, user_id, name} (only while care is open);
- ``conversation:join`` / ``conversation:leave`` {conversation_id} → room ``conversation_<id>``;
- ``message:send`` {conversation_id, body, client_id} → ``message_send``; the sender gets
  ``message:sent`` {conversation_id, message, replayed} (both members also get ``message:new``);
- ``message:read`` {conversation_id} → ``conversation_mark_read`` (the other member gets
  ``message:read``).
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from clinical.selectors.messages import ConversationNotFound, conversation_get, display_name, message_payload
from config import realtime


def room_name(conversation_id) -> str:
    return f"conversation_{conversation_id}"


def _conversation_id(data) -> int:
    from clinical.rules import id_parse

    raw = data.get("conversation_id")
    if isinstance(raw, bool):
        raise ConversationNotFound()
    pk = id_parse(raw)
    if pk is None:
        raise ConversationNotFound()
    return pk


async def _member_conversation(user, data):
    pk = _conversation_id(data)
    return await database_sync_to_async(conversation_get)(user=user, conversation_id=pk)


async def _typing(event, user, data):
    conversation = await _member_conversation(user, data)
    if not conversation.care_open:
        return None
    await realtime.apush_to_user(
        conversation.other.pk, event, {"conversation_id": conversation.pk, "user_id": user.pk, "name": display_name(user)}
    )
    return None


@realtime.register("typing:start")
async def typing_start(consumer, user, data):
    return await _typing("typing:start", user, data)


@realtime.register("typing:stop")
async def typing_stop(consumer, user, data):
    return await _typing("typing:stop", user, data)


@realtime.register("conversation:join")
async def conversation_join(consumer, user, data):
    conversation = await _member_conversation(user, data)
    await consumer.join_room(room_name(conversation.pk))
    return {"event": "conversation:joined", "data": {"conversation_id": conversation.pk}}


@realtime.register("conversation:leave")
async def conversation_leave(consumer, user, data):
    pk = _conversation_id(data)
    await consumer.leave_room(room_name(pk))
    return None


def _send(user, data):
    from clinical.services.messages import message_send

    body = data.get("body", "")
    client_id = data.get("client_id", "")
    if body is not None and not isinstance(body, str):
        raise ValidationError({"body": "body must be text."})
    message = message_send(actor=user, conversation_id=_conversation_id(data), body=body, client_id=client_id)
    return {
        "event": "message:sent",
        "data": {
            "conversation_id": message.conversation_id,
            "message": message_payload(message, sender_name=display_name(user)),
            "replayed": bool(getattr(message, "replayed", False)),
        },
    }


@realtime.register("message:send")
async def message_send_event(consumer, user, data):
    return await database_sync_to_async(_send)(user, data)


def _read(user, data):
    from clinical.services.messages import conversation_mark_read

    conversation_mark_read(actor=user, conversation_id=_conversation_id(data))


@realtime.register("message:read")
async def message_read_event(consumer, user, data):
    await database_sync_to_async(_read)(user, data)
    return None
