"""Realtime plumbing: push events to a user's websocket group, and the registry of
client→server event handlers that apps contribute (``notification:read``, later
``typing:start``, ``challenge:join_room``...).

Events follow seed 000 §4.8: every frame is ``{"event": "<name>", "data": {...}}``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group(user_id) -> str:
    return f"user_{user_id}"


def group_send(group: str, message: dict) -> None:
    """Send a channel-layer message from synchronous code (a service, a task, an on_commit
    hook). From a thread whose event loop is running, the send is scheduled on that loop
    instead of blocking on it, which async_to_sync refuses to do."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)
    else:
        loop.create_task(layer.group_send(group, message))


def push_to_user(user_id, event: str, data: dict) -> None:
    """Send one event to every open socket of this user, on any server process."""
    group_send(user_group(user_id), {"type": "relay", "event": event, "data": data})


def push_to_room(room: str, event: str, data: dict) -> None:
    """Send one event to everyone who joined a room (viewers of a post, a conversation)."""
    group_send(room, {"type": "relay", "event": event, "data": data})


async def apush_to_user(user_id, event: str, data: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(user_group(user_id), {"type": "relay", "event": event, "data": data})


def disconnect_user(user_id, code: int = 4403) -> None:
    """Close every open socket of this user, on any server process (after a ban, an account
    deletion or "sign out everywhere"): the clients see the close code, not a silent stream."""
    group_send(user_group(user_id), {"type": "force_close", "code": code})


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


# ---------------------------------------------------------------------------------------
# presence: does this user have an open socket on any server process?
#
# A counter per user in the shared cache (Redis in production), incremented on connect and
# decremented on disconnect. The timeout is refreshed on every frame the client sends, so a
# process that died without disconnecting leaves a stale count for at most PRESENCE_TTL.

PRESENCE_TTL = 10 * 60


def _presence_key(user_id) -> str:
    return f"presence:{user_id}"


def presence_connect(user_id) -> None:
    from django.core.cache import cache

    key = _presence_key(user_id)
    if not cache.add(key, 1, PRESENCE_TTL):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, PRESENCE_TTL)
        cache.touch(key, PRESENCE_TTL)


def presence_disconnect(user_id) -> None:
    from django.core.cache import cache

    key = _presence_key(user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def presence_touch(user_id) -> None:
    from django.core.cache import cache

    cache.touch(_presence_key(user_id), PRESENCE_TTL)


def is_online(user_id) -> bool:
    """True while the user has at least one open socket (any process)."""
    from django.core.cache import cache

    return (cache.get(_presence_key(user_id)) or 0) > 0
