"""Realtime plumbing: push events to a user's websocket group, and the registry of
client→server event handlers that apps contribute (``notification:read``, later
``typing:start``, ``challenge:join_room``...).

Events follow seed 000 §4.8: every frame is ``{"event": "<name>", "data": {...}}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group(user_id) -> str:
    return f"user_{user_id}"


def push_to_user(user_id, event: str, data: dict) -> None:
    """Send one event to every open socket of this user, on any server process."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(user_group(user_id), {"type": "relay", "event": event, "data": data})


async def apush_to_user(user_id, event: str, data: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(user_group(user_id), {"type": "relay", "event": event, "data": data})


def disconnect_user(user_id, code: int = 4403) -> None:
    """Close every open socket of this user, on any server process (after a ban, an account
    deletion or "sign out everywhere"): the clients see the close code, not a silent stream."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "force_close", "code": code})


# event name -> async handler(consumer, user, data) returning an optional reply dict
Handler = Callable[..., Awaitable[dict | None]]
_HANDLERS: dict[str, Handler] = {}


def register(event: str):
    """Decorator: an app registers the handler of a client→server event."""

    def deco(func: Handler) -> Handler:
        _HANDLERS[event] = func
        return func

    return deco


def handler_for(event: str) -> Handler | None:
    return _HANDLERS.get(event)
