"""Timelines: who receives a post, fan-out on write to per-user timelines in Redis, and the
database fallback when Redis is absent (the embedded default).

A timeline is a Redis sorted set ``tl:<user_id>`` of post ids scored by creation time,
trimmed to ``TIMELINE_MAX``. It only proposes candidates: ``social.selectors.feed`` filters
them through ``social.rules`` on every read, so a post that stopped being visible to someone
disappears from their feed at once even before its id is retracted here.

A timeline is built lazily from the database the first time it is read (and again after it
expires), so fan-out never has to know whether a user has one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Q

from social.models import (
    ACTIVE_GROUP_ROLES,
    CircleMemberStatus,
    FamilyCircleMember,
    Follow,
    GroupMember,
    ModerationStatus,
    Post,
    Visibility,
)
from social.rules import Audience, visibility_q

logger = logging.getLogger(__name__)

TIMELINE_MAX = 800  # ids kept per timeline
TIMELINE_TTL = 14 * 24 * 3600  # an unread timeline expires and is rebuilt when read again
FANOUT_CHUNK = 1000


def redis_client():
    """The Redis client behind the default cache, or None on the embedded default."""
    if not settings.REDIS_URL:
        return None
    from django.core.cache import cache

    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    try:
        return backend.get_client(write=True)
    except Exception:  # pragma: no cover - Redis down: the database answers instead
        logger.exception("redis unavailable for timelines")
        return None


def _key(user_id) -> str:
    from django.core.cache import cache

    return cache.make_key(f"tl:{user_id}")


def _built_key(user_id) -> str:
    from django.core.cache import cache

    return cache.make_key(f"tl-built:{user_id}")


# ---------------------------------------------------------------------------------------
# who receives a post


def post_audience_ids(post: Post) -> Iterator[int]:
    """Every user whose feed this post belongs in, streamed (10,000 followers is fine).

    Public and followers posts go to the author's followers and, when the author is a
    nutritionist, to their patients in open care; group posts to the group's members; circle
    posts to the circle's members; nutritionist-only posts to the author's nutritionists.
    The author always gets their own post.
    """
    from clinical.models import OPEN_CARE, CareRelationship

    yield post.author_id
    vis = post.visibility
    if vis in (Visibility.PUBLIC, Visibility.FOLLOWERS):
        qs = Follow.objects.filter(followee_id=post.author_id).values_list("follower_id", flat=True)
        yield from qs.iterator(chunk_size=FANOUT_CHUNK)
        yield from CareRelationship.objects.filter(nutritionist_id=post.author_id, status__in=OPEN_CARE).values_list(
            "patient_id", flat=True
        )
        if vis == Visibility.PUBLIC:
            yield from CareRelationship.objects.filter(patient_id=post.author_id, status__in=OPEN_CARE).values_list(
                "nutritionist_id", flat=True
            )
    elif vis == Visibility.GROUP and post.group_id:
        qs = GroupMember.objects.filter(group_id=post.group_id, role__in=ACTIVE_GROUP_ROLES).values_list(
            "user_id", flat=True
        )
        yield from qs.iterator(chunk_size=FANOUT_CHUNK)
    elif vis == Visibility.FAMILY_CIRCLE and post.family_circle_id:
        yield from FamilyCircleMember.objects.filter(
            circle_id=post.family_circle_id, status=CircleMemberStatus.ACTIVE
        ).values_list("user_id", flat=True)
    elif vis == Visibility.NUTRITIONIST_ONLY:
        yield from CareRelationship.objects.filter(patient_id=post.author_id, status__in=OPEN_CARE).values_list(
            "nutritionist_id", flat=True
        )


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    seen: set[int] = set()
    for uid in ids:
        if uid in seen:
            continue
        seen.add(uid)
        batch.append(uid)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def timeline_fanout(post: Post, *, on_batch=None) -> int:
    """Add the post to the timeline of everyone in its audience; returns how many.

    ``on_batch(user_ids)`` runs after each batch is written (the live ``feed:new_post``
    push uses it). Without Redis nothing is stored: the database fallback reads posts
    directly, so only ``on_batch`` runs.
    """
    if post.deleted_at is not None or post.moderation_status != ModerationStatus.APPROVED:
        return 0
    client = redis_client()
    score = post.created_at.timestamp()
    total = 0
    for batch in _chunks(post_audience_ids(post), FANOUT_CHUNK):
        if client is not None:
            pipe = client.pipeline(transaction=False)
            for uid in batch:
                key = _key(uid)
                pipe.zadd(key, {post.pk: score})
                pipe.zremrangebyrank(key, 0, -(TIMELINE_MAX + 1))
            pipe.execute()
        total += len(batch)
        if on_batch is not None:
            on_batch(batch)
    return total


def timeline_retract(post_id: int, user_ids: Iterable[int]) -> None:
    """Take a post id out of these timelines (after a deletion or a visibility change)."""
    client = redis_client()
    if client is None:
        return
    for batch in _chunks(user_ids, FANOUT_CHUNK):
        pipe = client.pipeline(transaction=False)
        for uid in batch:
            pipe.zrem(_key(uid), post_id)
        pipe.execute()


def timeline_drop_author(viewer_id: int, author_id: int) -> int:
    """Take every post by ``author_id`` out of one viewer's timeline (unfollow, block, mute)."""
    client = redis_client()
    if client is None:
        return 0
    ids = [int(x) for x in client.zrange(_key(viewer_id), 0, -1)]
    if not ids:
        return 0
    theirs = list(Post.objects.filter(pk__in=ids, author_id=author_id).values_list("pk", flat=True))
    if theirs:
        client.zrem(_key(viewer_id), *theirs)
    return len(theirs)


def timeline_add_author(viewer_id: int, author_id: int, limit: int = 50) -> None:
    """After a follow: the followee's recent posts join the viewer's timeline."""
    client = redis_client()
    if client is None or not client.exists(_built_key(viewer_id)):
        return
    rows = list(
        Post.objects.filter(author_id=author_id, deleted_at__isnull=True, moderation_status=ModerationStatus.APPROVED)
        .filter(visibility__in=(Visibility.PUBLIC, Visibility.FOLLOWERS))
        .order_by("-created_at")
        .values_list("pk", "created_at")[:limit]
    )
    if rows:
        key = _key(viewer_id)
        pipe = client.pipeline(transaction=False)
        pipe.zadd(key, {pk: created.timestamp() for pk, created in rows})
        pipe.zremrangebyrank(key, 0, -(TIMELINE_MAX + 1))
        pipe.execute()


def timeline_drop_group(viewer_id: int, *, group_id=None, circle_id=None) -> None:
    """After leaving a group or a circle: its posts leave the viewer's timeline."""
    client = redis_client()
    if client is None:
        return
    ids = [int(x) for x in client.zrange(_key(viewer_id), 0, -1)]
    if not ids:
        return
    q = Q(group_id=group_id) if group_id else Q(family_circle_id=circle_id)
    theirs = list(Post.objects.filter(q, pk__in=ids).exclude(author_id=viewer_id).values_list("pk", flat=True))
    if theirs:
        client.zrem(_key(viewer_id), *theirs)


def timeline_invalidate(user_id: int) -> None:
    """Forget a timeline; the next read rebuilds it from the database (after joining a group)."""
    client = redis_client()
    if client is not None:
        client.delete(_key(user_id), _built_key(user_id))


# ---------------------------------------------------------------------------------------
# reading candidates


def feed_source_q(audience: Audience) -> Q:
    """Where a person's feed comes from: themselves, people they follow, their nutritionist,
    their patients' nutritionist-only posts, their groups and their family circles."""
    uid = audience.user_id
    authors = {uid} | audience.following | audience.nutritionist_ids
    q = Q(author_id__in=authors)
    if audience.patient_ids:
        q |= Q(author_id__in=audience.patient_ids, visibility=Visibility.NUTRITIONIST_ONLY)
    if audience.group_ids:
        q |= Q(group_id__in=audience.group_ids)
    if audience.circle_ids:
        q |= Q(family_circle_id__in=audience.circle_ids)
    return q


def feed_db_candidates(audience: Audience, limit: int = TIMELINE_MAX) -> list[tuple[int, float]]:
    """(post id, timestamp) of the newest posts of the feed's sources, straight from the database."""
    qs = (
        Post.objects.filter(feed_source_q(audience))
        .filter(visibility_q(audience))
        .order_by("-created_at")
        .values_list("pk", "created_at")[:limit]
    )
    return [(pk, created.timestamp()) for pk, created in qs]


def timeline_rebuild(audience: Audience) -> list[int]:
    """Replace a user's Redis timeline with the newest posts from the database."""
    rows = feed_db_candidates(audience)
    client = redis_client()
    if client is not None:
        key, built = _key(audience.user_id), _built_key(audience.user_id)
        pipe = client.pipeline(transaction=True)
        pipe.delete(key)
        if rows:
            pipe.zadd(key, {pk: ts for pk, ts in rows})
        pipe.expire(key, TIMELINE_TTL)
        pipe.set(built, 1, ex=TIMELINE_TTL)
        pipe.execute()
    return [pk for pk, _ts in rows]


def timeline_candidates(audience: Audience, limit: int) -> list[int]:
    """The newest ``limit`` candidate post ids of a feed: from Redis when it holds a built
    timeline, else from the database (building the timeline when Redis is there)."""
    client = redis_client()
    if client is None:
        return [pk for pk, _ts in feed_db_candidates(audience, limit)]
    key, built = _key(audience.user_id), _built_key(audience.user_id)
    pipe = client.pipeline(transaction=False)
    pipe.exists(built)
    pipe.zrevrange(key, 0, limit - 1)
    pipe.expire(key, TIMELINE_TTL)
    pipe.expire(built, TIMELINE_TTL)
    exists, ids, _e1, _e2 = pipe.execute()
    if not exists:
        return timeline_rebuild(audience)[:limit]
    return [int(x) for x in ids]
