"""The single websocket endpoint ``/ws/``.

Every frame is JSON ``{"event": name, "data": {...}}`` (seed 000 §4.8). On connect the
user joins ``user_<id>``; server events arrive through the channel layer as ``relay``
messages. Client events are dispatched to handlers that apps register in
``config.realtime``; this module registers ``notification:read``, ``notification:read_all``
and ``ping``. Rooms (a conversation, a challenge) are joined with explicit events and
checked again on every receive by the app that owns them.
"""

from __future__ import annotations

import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from config import realtime

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class RealtimeConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        # Refusals accept first and then close with a code, so the client can tell
        # 4401 (sign in / refresh the token) from 4403 (account suspended or deleted);
        # a refused handshake would reach it only as a bare HTTP 403.
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await database_sync_to_async(_still_allowed)(user.pk):
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.rooms: set[str] = set()
        self.group = realtime.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(realtime.presence_connect)(user.pk)
        unread = await database_sync_to_async(_unread)(user)
        await self.send_json({"event": "connection:ready", "data": {"user_id": user.pk, "unread_count": unread}})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await database_sync_to_async(realtime.presence_disconnect)(self.user.pk)
            await self.channel_layer.group_discard(self.group, self.channel_name)
            for room in list(getattr(self, "rooms", ())):
                await self.channel_layer.group_discard(room, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error("INVALID_FRAME", "Frame must be JSON text under 64 KB.")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.send_error("INVALID_FRAME", "Frame is not valid JSON.")
            return
        if not isinstance(message, dict) or not isinstance(message.get("event"), str):
            await self.send_error("INVALID_FRAME", 'Expected {"event": "...", "data": {...}}.')
            return
        event = message["event"]
        data = message.get("data")
        if data is None:
            data = {}
        if not isinstance(data, dict):
            await self.send_error("INVALID_FRAME", "data must be an object.", event=event)
            return
        await database_sync_to_async(realtime.presence_touch)(self.user.pk)
        handler = realtime.handler_for(event)
        if handler is None:
            await self.send_error("UNKNOWN_EVENT", f"Unknown event {event!r}.", event=event)
            return
        try:
            reply = await handler(self, self.user, data)
        except ObjectDoesNotExist:
            # Another user's object looks exactly like a missing one.
            await self.send_error("NOT_FOUND", "Not found.", event=event)
            return
        except PermissionDenied:
            await self.send_error("PERMISSION_DENIED", "Not allowed.", event=event)
            return
        except ValidationError as exc:
            await self.send_error("VALIDATION_ERROR", "; ".join(exc.messages), event=event)
            return
        except Exception:  # a failing handler must not kill the socket
            logger.exception("ws handler %s failed", event)
            await self.send_error("EVENT_FAILED", "Event failed.", event=event)
            return
        if reply is not None:
            await self.send_json(reply)

    async def send_error(self, code: str, message: str, *, event: str | None = None):
        await self.send_json({"event": "error", "data": {"code": code, "message": message, "event": event}})

    async def relay(self, message):
        """A server event from the channel layer, forwarded as-is."""
        await self.send_json({"event": message["event"], "data": message["data"]})

    async def force_close(self, message):
        """``config.realtime.disconnect_user``: the account may no longer use its sockets."""
        await self.close(code=message.get("code", CLOSE_FORBIDDEN))

    async def join_room(self, room: str):
        await self.channel_layer.group_add(room, self.channel_name)
        self.rooms.add(room)

    async def leave_room(self, room: str):
        await self.channel_layer.group_discard(room, self.channel_name)
        self.rooms.discard(room)


def _still_allowed(user_id) -> bool:
    from accounts.models import User
    from accounts.services import jwt_user_can_authenticate

    user = User.objects.filter(pk=user_id).first()
    return jwt_user_can_authenticate(user)


def _unread(user) -> int:
    from accounts.selectors import notification_unread_count

    return notification_unread_count(user=user)


@realtime.register("ping")
async def _ping(consumer, user, data):
    return {"event": "pong", "data": {"t": data.get("t")}}


@realtime.register("notification:read")
async def _notification_read(consumer, user, data):
    from accounts.services import notification_mark_read

    raw = data.get("notification_id")
    try:
        notification_id = int(raw)
    except (TypeError, ValueError):
        return {"event": "error", "data": {"code": "VALIDATION_ERROR", "message": "notification_id must be an integer.",
                                           "event": "notification:read"}}
    await database_sync_to_async(notification_mark_read)(user=user, notification_id=notification_id)
    return None  # the service pushes notification:read with the new unread count


@realtime.register("notification:read_all")
async def _notification_read_all(consumer, user, data):
    from accounts.services import notification_mark_all_read

    await database_sync_to_async(notification_mark_all_read)(user=user)
    return None
