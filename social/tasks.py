"""Celery adapters of the social network: take ids, load, call the feed and service code.
Every task is idempotent (adding an id to a sorted set twice, or removing it twice, is a no-op)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def _online(user_ids: list[int]) -> list[int]:
    """The subset with an open socket (one cache round trip for the batch)."""
    from django.core.cache import cache

    from config.realtime import _presence_key

    keys = {_presence_key(uid): uid for uid in user_ids}
    found = cache.get_many(list(keys))
    return [keys[k] for k, v in found.items() if (v or 0) > 0]


@shared_task(acks_late=True)
def post_fanout(post_id: int) -> int:
    """Put a new (or newly approved) post in every timeline of its audience and tell the
    people online (``feed:new_post``; ``family_circle:new_post`` for a circle's members)."""
    from config.realtime import push_to_user
    from social.feed import timeline_fanout
    from social.models import Post, Visibility
    from social.payloads import post_brief_payload

    post = Post.objects.select_related("author", "group", "family_circle").filter(pk=post_id).first()
    if post is None:
        return 0
    brief = post_brief_payload(post)

    def on_batch(user_ids):
        for uid in _online([u for u in user_ids if u != post.author_id]):
            push_to_user(uid, "feed:new_post", brief)
            if post.visibility == Visibility.FAMILY_CIRCLE:
                push_to_user(uid, "family_circle:new_post", {"circle_id": post.family_circle_id, "post": brief})

    count = timeline_fanout(post, on_batch=on_batch)
    if post.group_id:
        from social.services.groups import group_post_notify

        group_post_notify(post)
    return count


@shared_task(acks_late=True)
def post_retract(post_id: int, snapshot: dict) -> None:
    """Take a deleted or hidden post out of every timeline it was fanned out to."""
    from social.feed import post_audience_ids, timeline_retract
    from social.models import Post

    ghost = Post(
        pk=post_id,
        author_id=snapshot["author_id"],
        visibility=snapshot["visibility"],
        group_id=snapshot.get("group_id"),
        family_circle_id=snapshot.get("family_circle_id"),
    )
    timeline_retract(post_id, post_audience_ids(ghost))


@shared_task(acks_late=True)
def post_refanout(post_id: int, old_snapshot: dict) -> None:
    """After a visibility change: out of the old audience's timelines, into the new one's."""
    post_retract(post_id, old_snapshot)
    from social.feed import timeline_fanout
    from social.models import Post

    post = Post.objects.filter(pk=post_id).first()
    if post is not None:
        timeline_fanout(post)


@shared_task
def trending_refresh() -> int:
    from social.services.posts import trending_refresh as refresh

    return len(refresh())
