"""Websocket events of the social network, registered on the single /ws/ consumer.

Client → server:

- ``post:join`` / ``post:leave`` {post_id} → room ``post_<id>`` (viewers of a post receive
  ``post:new_comment``, ``post:new_reaction`` and ``post:comment_deleted`` live). Joining checks
  that the person may see the post (a post they may not see answers NOT_FOUND, as if missing).
- ``circle:join`` {circle_id} → room ``family_circle_<id>`` for active members.

Server → client (pushed by the services and the fan-out task): ``feed:new_post``,
``family_circle:new_post``, ``post:new_comment``, ``post:new_reaction``, ``notification:new``.
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from config import realtime
from social import rules
from social.services.interactions import post_room


def _check_post(user, data) -> int:
    from social.selectors.posts import post_get

    pk = rules.id_parse(data.get("post_id"))
    if pk is None:
        raise rules.PostNotFound()
    return post_get(viewer=user, post_id=pk).pk


@realtime.register("post:join")
async def post_join(consumer, user, data):
    pk = await database_sync_to_async(_check_post)(user, data)
    await consumer.join_room(post_room(pk))
    return {"event": "post:joined", "data": {"post_id": pk}}


@realtime.register("post:leave")
async def post_leave(consumer, user, data):
    pk = rules.id_parse(data.get("post_id"))
    if pk is not None:
        await consumer.leave_room(post_room(pk))
    return None


def circle_room(circle_id) -> str:
    return f"family_circle_{circle_id}"


def _check_circle(user, data) -> int:
    from social.models import CircleMemberStatus, FamilyCircleMember

    pk = rules.id_parse(data.get("circle_id"))
    if pk is None or not FamilyCircleMember.objects.filter(
        circle_id=pk, user=user, status=CircleMemberStatus.ACTIVE
    ).exists():
        raise rules.CircleNotFound()
    return pk


@realtime.register("circle:join")
async def circle_join(consumer, user, data):
    pk = await database_sync_to_async(_check_circle)(user, data)
    await consumer.join_room(circle_room(pk))
    return {"event": "circle:joined", "data": {"circle_id": pk}}
