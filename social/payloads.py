"""Wire shapes of the social network (seed 000 §4.3), shared by the API, the websocket pushes
and the Celery fan-out. Text fields carry the stored plain text; ``body_html`` is the escaped
rendering with #tags and @mentions linked, safe to insert as HTML."""

from __future__ import annotations

from social.models import ReactionType


def user_brief(user) -> dict:
    profile = getattr(user, "profile", None)
    photo = ""
    if profile is not None and getattr(profile, "photo", None):
        try:
            photo = profile.photo.url
        except ValueError:
            photo = ""
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "photo_url": photo,
        "user_type": user.user_type,
    }


def _images(post) -> list[dict]:
    return [
        {"url": img.image.url, "width": img.width, "height": img.height, "role": img.role}
        for img in post.images.all()
    ]


def post_payload(post, *, include_shared: bool = True) -> dict:
    """A post as the mobile app reads it; ``post`` comes from ``posts_hydrate``."""
    from social.selectors.posts import post_body_html

    reactions = {t: getattr(post, f"reaction_{t}") for t in ReactionType.values}
    data = {
        "id": post.pk,
        "author": user_brief(post.author),
        "type": post.type,
        "title": post.title,
        "body": post.body,
        "body_html": str(post_body_html(post)),
        "media_urls": [i["url"] for i in _images(post)],
        "images": _images(post),
        "progress_data": post.progress_data,
        "recipe": (
            {"id": post.recipe.pk, "slug": post.recipe.slug, "title": post.recipe.title} if post.recipe_id and post.recipe else None
        ),
        "achievement_data": post.achievement_data,
        "visibility": post.visibility,
        "group": {"id": post.group.pk, "name": post.group.name, "slug": post.group.slug} if post.group_id else None,
        "family_circle": {"id": post.family_circle.pk, "name": post.family_circle.name} if post.family_circle_id else None,
        "tags": post.tags,
        "state": post.state,
        "city": post.city,
        "likes_count": post.reactions_count,
        "comments_count": post.comments_count,
        "shares_count": post.shares_count,
        "saves_count": post.saves_count,
        "views_count": post.views_count,
        "reactions": reactions,
        "my_reaction": getattr(post, "my_reaction", None),
        "has_liked": getattr(post, "my_reaction", None) is not None,
        "has_saved": bool(getattr(post, "is_saved", False)),
        "is_featured": post.is_featured,
        "is_trending": post.is_trending,
        "moderation_status": post.moderation_status,
        "is_edited": post.is_edited,
        "edited_at": post.edited_at.isoformat() if post.edited_at else None,
        "created_at": post.created_at.isoformat(),
    }
    if include_shared:
        shared = getattr(post, "shared_visible", None)
        data["shared_post"] = post_payload(shared, include_shared=False) if shared is not None else None
        data["shared_post_unavailable"] = bool(post.shared_post_id and shared is None)
    return data


def post_brief_payload(post) -> dict:
    """The small shape of a live ``feed:new_post`` push (the client fetches the rest)."""
    return {
        "id": post.pk,
        "type": post.type,
        "author": {"id": post.author.pk, "username": post.author.username, "full_name": post.author.full_name},
        "visibility": post.visibility,
        "group_id": post.group_id,
        "family_circle_id": post.family_circle_id,
        "created_at": post.created_at.isoformat(),
    }
