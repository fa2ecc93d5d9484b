"""Reads of posts: the ranked personal feed, one post with its comment thread, trending and
featured lists, a person's profile and posts, followers and following, saved posts.

Every read is filtered by ``social.rules`` for the viewer, and lists load their posts with
``posts_hydrate`` in a fixed number of queries whatever the page size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from social import rules
from social.feed import timeline_candidates
from social.models import (
    Comment,
    CommentLike,
    Follow,
    ModerationStatus,
    Post,
    PostImage,
    PostSave,
    PostType,
    Reaction,
    Visibility,
)
from social.text import render_html

FEED_CANDIDATES = 400  # newest timeline entries the ranking considers
FEED_SNAPSHOT_TTL = 600  # later pages of an infinite scroll read the ranking of page 1
MAX_LIMIT = 50


@dataclass
class PostPage:
    posts: list
    page: int
    limit: int
    total_results: int
    extra: dict = field(default_factory=dict)

    @property
    def total_pages(self) -> int:
        return max(math.ceil(self.total_results / self.limit), 1) if self.limit else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    @property
    def next_page(self) -> int:
        return self.page + 1


def page_args(page, limit, *, default_limit: int = 20) -> tuple[int, int]:
    """Clamp page and limit from a query string (the API validates them before)."""
    try:
        page = max(int(page or 1), 1)
    except (TypeError, ValueError):
        page = 1
    try:
        limit = min(max(int(limit or default_limit), 1), MAX_LIMIT)
    except (TypeError, ValueError):
        limit = default_limit
    return page, limit


def _hydrate_qs() -> QuerySet[Post]:
    return Post.objects.select_related(
        "author",
        "author__profile",
        "group",
        "family_circle",
        "recipe",
        "shared_post",
        "shared_post__author",
        "shared_post__author__profile",
        "shared_post__group",
    ).prefetch_related(
        Prefetch("images", queryset=PostImage.objects.order_by("position", "id")),
        Prefetch("shared_post__images", queryset=PostImage.objects.order_by("position", "id")),
        "mentions",
    )


def post_body_html(post):
    """The post's text, escaped, with #tags and the @mentions it really made linked."""
    cached = getattr(post, "_body_html", None)
    if cached is None:
        names = {u.username for u in post.mentions.all()}
        cached = render_html(post.body, usernames=names)
        post._body_html = cached
    return cached


def posts_hydrate(*, viewer, posts: list[Post], audience: rules.Audience | None = None) -> list[Post]:
    """Mark each post with the viewer's reaction (``my_reaction``), ``is_saved``, ``can_edit``
    and the shared original when the viewer may see it (``shared_visible``): two queries."""
    if not posts:
        return posts
    ids = [p.pk for p in posts]
    mine: dict[int, str] = {}
    saved: set[int] = set()
    if viewer is not None and viewer.is_authenticated:
        mine = dict(Reaction.objects.filter(user=viewer, post_id__in=ids).values_list("post_id", "type"))
        saved = set(PostSave.objects.filter(user=viewer, post_id__in=ids).values_list("post_id", flat=True))
    audience = audience or rules.audience_for(viewer)
    for post in posts:
        post.my_reaction = mine.get(post.pk)
        post.is_saved = post.pk in saved
        post.can_edit = audience.user_id == post.author_id
        shared = post.shared_post if post.shared_post_id else None
        post.shared_visible = shared if shared is not None and rules.post_visible_to(audience, shared) else None
    return posts


def posts_load(*, viewer, ids: list[int], audience: rules.Audience) -> list[Post]:
    """Posts by id in the given order, only those the viewer may see right now."""
    if not ids:
        return []
    by_id = {p.pk: p for p in _hydrate_qs().filter(pk__in=ids) if rules.post_visible_to(audience, p)}
    return posts_hydrate(viewer=viewer, posts=[by_id[i] for i in ids if i in by_id], audience=audience)


def post_list(*, viewer, qs: QuerySet[Post], page=1, limit=20, audience: rules.Audience | None = None) -> PostPage:
    """A page of ``qs`` (already ordered) restricted to what the viewer may see."""
    page, limit = page_args(page, limit)
    audience = audience or rules.audience_for(viewer)
    visible = rules.visible_posts(audience, qs)
    total = visible.count()
    rows = list(_hydrate_qs().filter(pk__in=visible.values("pk")).order_by(*(qs.query.order_by or ["-created_at"]))[
        (page - 1) * limit : page * limit
    ])
    return PostPage(posts=posts_hydrate(viewer=viewer, posts=rows, audience=audience), page=page, limit=limit,
                    total_results=total)


def post_get(*, viewer, post_id, audience: rules.Audience | None = None) -> Post:
    """One post the viewer may see (hidden, held, deleted or out of reach → PostNotFound)."""
    pk = rules.id_parse(post_id)
    post = _hydrate_qs().filter(pk=pk).first() if pk else None
    audience = audience or rules.audience_for(viewer)
    if post is None or not rules.post_visible_to(audience, post):
        raise rules.PostNotFound()
    return posts_hydrate(viewer=viewer, posts=[post], audience=audience)[0]


# ---------------------------------------------------------------------------------------
# the ranked feed


def feed_score(*, now, created_at, author_id, reactions, comments, shares, group_id, circle_id, audience) -> float:
    """Recency with boosts for closeness and engagement.

    Recency decays as 1 / (hours + 2)^1.5; closeness adds 0.8 for one's nutritionist or patient,
    0.6 for a family-circle post, 0.3 for someone followed or oneself, 0.15 for a group post;
    engagement adds 0.3 × ln(1 + reactions + 3 × comments + 5 × shares), the seed's weights.
    """
    hours = max((now - created_at).total_seconds() / 3600, 0.0)
    recency = 1.0 / (hours + 2.0) ** 1.5
    if author_id in audience.nutritionist_ids or author_id in audience.patient_ids:
        closeness = 0.8
    elif circle_id:
        closeness = 0.6
    elif author_id in audience.following or author_id == audience.user_id:
        closeness = 0.3
    elif group_id:
        closeness = 0.15
    else:
        closeness = 0.0
    engagement = 0.3 * math.log1p(reactions + 3 * comments + 5 * shares)
    return recency * (1.0 + closeness + engagement)


def _snapshot_key(user_id, post_type) -> str:
    return f"feed-rank:{user_id}:{post_type or 'all'}"


def feed_ranked_ids(*, audience: rules.Audience, post_type: str | None = None) -> list[int]:
    """Rank the newest candidates of the viewer's feed (one query over at most 400 rows)."""
    ids = timeline_candidates(audience, FEED_CANDIDATES)
    if not ids:
        return []
    # The candidates are read by primary key and checked against the rules in Python: sending
    # the viewer's thousand follows to the database with every read would cost more than it saves.
    qs = Post.objects.filter(pk__in=ids)
    if post_type:
        qs = qs.filter(type=post_type)
    rows = [
        (pk, created, author, r, c, s, g, fc)
        for pk, created, author, r, c, s, g, fc, vis, status, deleted, gtype in qs.values_list(
            "pk", "created_at", "author_id", "reactions_count", "comments_count", "shares_count", "group_id",
            "family_circle_id", "visibility", "moderation_status", "deleted_at", "group__type",
        )
        if author not in audience.muted
        and rules.visible_fields(audience, deleted_at=deleted, author_id=author, moderation_status=status,
                                 visibility=vis, group_id=g, group_type=gtype, circle_id=fc)
    ]
    now = timezone.now()
    scored = [
        (
            feed_score(now=now, created_at=created, author_id=author, reactions=r, comments=c, shares=s,
                       group_id=g, circle_id=fc, audience=audience),
            created,
            pk,
        )
        for pk, created, author, r, c, s, g, fc in rows
    ]
    scored.sort(reverse=True)
    return [pk for _score, _created, pk in scored]


def feed_page(*, viewer, page=1, limit=20, post_type: str | None = None,
              audience: rules.Audience | None = None) -> PostPage:
    """A page of the viewer's ranked feed. Page 1 ranks afresh and keeps the order for ten
    minutes so the next pages of an infinite scroll neither repeat nor skip posts; every page
    re-checks visibility, so a deleted or hidden post is gone at once from any page."""
    if post_type not in (None, "") and post_type not in PostType.values:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"type": [_("Tipo de publicación no válido.")]})
    page, limit = page_args(page, limit)
    audience = audience or rules.audience_for(viewer)
    key = _snapshot_key(viewer.pk, post_type)
    ranked = cache.get(key) if page > 1 else None
    if ranked is None:
        ranked = feed_ranked_ids(audience=audience, post_type=post_type or None)
        cache.set(key, ranked, FEED_SNAPSHOT_TTL)
    window = ranked[(page - 1) * limit : page * limit]
    posts = posts_load(viewer=viewer, ids=window, audience=audience)
    if audience.muted:
        posts = [p for p in posts if p.author_id not in audience.muted]
    return PostPage(posts=posts, page=page, limit=limit, total_results=len(ranked))


def trending_posts(*, viewer, limit: int = 10, audience: rules.Audience | None = None) -> list[Post]:
    """Trending public posts (the list is recomputed every 15 minutes and cached for an hour)."""
    ids = cache.get("social:trending")
    if ids is None:
        from social.services.posts import trending_refresh

        ids = trending_refresh()
    return posts_load(viewer=viewer, ids=list(ids)[:limit], audience=audience or rules.audience_for(viewer))


def featured_posts(*, viewer, limit: int = 5, audience: rules.Audience | None = None) -> list[Post]:
    ids = list(
        Post.objects.filter(is_featured=True, deleted_at__isnull=True, moderation_status=ModerationStatus.APPROVED)
        .order_by("-featured_at")
        .values_list("pk", flat=True)[:limit]
    )
    return posts_load(viewer=viewer, ids=ids, audience=audience or rules.audience_for(viewer))


def saved_posts(*, viewer, page=1, limit=20) -> PostPage:
    """The viewer's "Guardados", newest save first (posts no longer visible drop out)."""
    page, limit = page_args(page, limit)
    audience = rules.audience_for(viewer)
    saved = PostSave.objects.filter(user=viewer).filter(rules.visibility_q(audience, prefix="post__"))
    total = saved.count()
    ids = list(saved.order_by("-created_at").values_list("post_id", flat=True)[(page - 1) * limit : page * limit])
    return PostPage(posts=posts_load(viewer=viewer, ids=ids, audience=audience), page=page, limit=limit,
                    total_results=total)


def pending_own_posts(*, viewer) -> list[Post]:
    """The viewer's own posts waiting for review (shown to them with a notice)."""
    return list(
        Post.objects.filter(author=viewer, deleted_at__isnull=True, moderation_status=ModerationStatus.PENDING)
        .order_by("-created_at")[:5]
    )


# ---------------------------------------------------------------------------------------
# comments


def comments_tree(*, viewer, post: Post, audience: rules.Audience | None = None, limit: int = 500) -> list[Comment]:
    """The post's comments as a tree, oldest first (three levels). A deleted or removed
    comment with replies stays as a placeholder so its thread reads; without replies it
    disappears. Comments by people blocked either way are left out."""
    audience = audience or rules.audience_for(viewer)
    rows = list(
        Comment.objects.filter(post=post)
        .exclude(author_id__in=audience.blocked or [0])
        .select_related("author", "author__profile")
        .order_by("created_at", "id")[:limit]
    )
    liked: set[int] = set()
    if audience.authenticated and rows:
        liked = set(
            CommentLike.objects.filter(user_id=audience.user_id, comment_id__in=[c.pk for c in rows]).values_list(
                "comment_id", flat=True
            )
        )
    by_id = {c.pk: c for c in rows}
    roots: list[Comment] = []
    for c in rows:
        c.children = []
        c.has_liked = c.pk in liked
        c.is_hidden = c.is_deleted or c.moderation_status != ModerationStatus.APPROVED
        c.can_edit = audience.user_id == c.author_id and not c.is_hidden
        c.can_delete = audience.user_id in (c.author_id, post.author_id) and not c.is_hidden
        c.body_html = render_html(c.body) if not c.is_hidden else ""
    for c in rows:
        parent = by_id.get(c.parent_id) if c.parent_id else None
        if parent is not None:
            parent.children.append(c)
        elif c.parent_id is None:
            roots.append(c)

    def keep(c) -> bool:
        c.children = [k for k in c.children if keep(k)]
        return not c.is_hidden or bool(c.children)

    return [c for c in roots if keep(c)]


def comment_post_id(*, comment_id) -> int | None:
    """The post a comment belongs to (the thread a comment action re-renders); visibility is
    checked by the service that acts on the comment."""
    pk = rules.id_parse(comment_id)
    return Comment.objects.filter(pk=pk).values_list("post_id", flat=True).first() if pk else None


def comment_list_flat(*, viewer, post: Post, audience: rules.Audience | None = None) -> list[Comment]:
    """The same thread flattened in reading order (for the API)."""
    out: list[Comment] = []

    def walk(nodes):
        for node in nodes:
            out.append(node)
            walk(node.children)

    walk(comments_tree(viewer=viewer, post=post, audience=audience))
    return out


# ---------------------------------------------------------------------------------------
# people


@dataclass
class ProfileView:
    user: object
    followers_count: int
    following_count: int
    posts_count: int
    is_me: bool
    is_following: bool
    follows_me: bool
    is_muted: bool
    is_blocked: bool  # by the viewer
    achievements: list


def profile_get(*, viewer, username: str, audience: rules.Audience | None = None) -> ProfileView:
    """A person's public profile; missing, deleted, or blocked either way → UserNotFound."""
    from accounts.models import User

    user = (
        User.objects.select_related("profile")
        .filter(username=str(username).lower()[:30], is_active=True, deleted_at__isnull=True)
        .first()
    )
    if user is None:
        raise rules.UserNotFound()
    audience = audience or rules.audience_for(viewer)
    if user.pk in audience.blocked:
        from social.models import Block

        # The blocker may still open the profile to unblock; the blocked person may not.
        if not Block.objects.filter(blocker_id=audience.user_id, blocked=user).exists():
            raise rules.UserNotFound()
    uid = audience.user_id
    achievements = list(
        rules.visible_posts(audience, Post.objects.filter(author=user, type=PostType.ACHIEVEMENT))
        .order_by("-created_at")
        .values("pk", "title", "body", "achievement_data", "created_at")[:6]
    )
    return ProfileView(
        user=user,
        followers_count=Follow.objects.filter(followee=user).count(),
        following_count=Follow.objects.filter(follower=user).count(),
        posts_count=rules.visible_posts(audience, Post.objects.filter(author=user)).count(),
        is_me=uid == user.pk,
        is_following=user.pk in audience.following,
        follows_me=bool(uid) and Follow.objects.filter(follower=user, followee_id=uid).exists(),
        is_muted=user.pk in audience.muted,
        is_blocked=user.pk in audience.blocked,
        achievements=achievements,
    )


def profile_posts(*, viewer, user, page=1, limit=20, audience: rules.Audience | None = None) -> PostPage:
    return post_list(viewer=viewer, qs=Post.objects.filter(author=user).order_by("-created_at"), page=page, limit=limit,
                     audience=audience)


def follow_list(*, viewer, user, direction: str, page=1, limit=30) -> tuple[list, int]:
    """Followers (``direction="followers"``) or following of a person, newest first, without
    anyone blocked either way with the viewer. Returns (users, total)."""
    from accounts.models import User

    page, limit = page_args(page, limit, default_limit=30)
    audience = rules.audience_for(viewer)
    if direction == "followers":
        rows = Follow.objects.filter(followee=user)
        users = User.objects.filter(pk__in=rows.values("follower_id"))
    else:
        rows = Follow.objects.filter(follower=user)
        users = User.objects.filter(pk__in=rows.values("followee_id"))
    users = users.filter(is_active=True, deleted_at__isnull=True).exclude(pk__in=audience.blocked or [0])
    total = users.count()
    listed = list(users.select_related("profile").order_by("username")[(page - 1) * limit : page * limit])
    for u in listed:
        u.viewer_follows = u.pk in audience.following
    return listed, total


def visibility_choices_for(*, viewer, audience: rules.Audience | None = None) -> list[tuple[str, str]]:
    """The visibilities the composer offers this person (group and circle come from their pages)."""
    audience = audience or rules.audience_for(viewer)
    choices = [(Visibility.PUBLIC, Visibility.PUBLIC.label), (Visibility.FOLLOWERS, Visibility.FOLLOWERS.label)]
    if audience.nutritionist_ids:
        choices.append((Visibility.NUTRITIONIST_ONLY, Visibility.NUTRITIONIST_ONLY.label))
    return choices
