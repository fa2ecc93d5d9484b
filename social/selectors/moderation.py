"""Reads of moderation: who moderates what, and the queue.

Staff moderate everything; a group's admins and moderators moderate the posts (and the
comments on posts) of their groups. Anyone else gets ``ModerationNotFound`` (a 404): the
queue, like any object a person may not see, does not exist for them.

The queue holds one item per reported object (open reports grouped by post or comment) plus,
for staff only, the posts of new accounts held as likely spam (``moderation_reason
"spam_hold"``). Oldest first, so nothing waits forever. :class:`ModerationQueue` is a lazy
sequence: counting and slicing read only ids, and only the page shown is loaded, in a fixed
number of queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Min, Q

from social.models import (
    GROUP_STAFF_ROLES,
    Comment,
    GroupMember,
    ModerationStatus,
    Post,
    Report,
    ReportReason,
    ReportStatus,
)

SPAM_HOLD = "spam_hold"
AUTO_HIDE_REASON = "report"
DETAILS_PER_ITEM = 3


class ModerationNotFound(ObjectDoesNotExist):
    """Not a moderator (or not of this object): answers 404 like anything one may not see."""


@dataclass(frozen=True)
class ModeratorScope:
    user_id: int
    is_staff: bool
    group_ids: frozenset[int]

    def covers_post(self, post: Post) -> bool:
        return self.is_staff or (post.group_id is not None and post.group_id in self.group_ids)


def moderator_scope(*, actor) -> ModeratorScope:
    """What ``actor`` moderates, or ``ModerationNotFound`` when nothing (one query at most)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise ModerationNotFound()
    if actor.is_staff:
        return ModeratorScope(user_id=actor.pk, is_staff=True, group_ids=frozenset())
    group_ids = frozenset(
        GroupMember.objects.filter(user_id=actor.pk, role__in=GROUP_STAFF_ROLES, group__deleted_at__isnull=True)
        .values_list("group_id", flat=True)
    )
    if not group_ids:
        raise ModerationNotFound()
    return ModeratorScope(user_id=actor.pk, is_staff=False, group_ids=group_ids)


def is_moderator(user) -> bool:
    try:
        moderator_scope(actor=user)
    except ModerationNotFound:
        return False
    return True


@dataclass
class QueueItem:
    """One object waiting for a decision."""

    kind: str  # "post" or "comment"
    object_id: int
    first_at: datetime
    reporters_count: int = 0
    held: bool = False  # a new account's post held as likely spam
    post: Post | None = None
    comment: Comment | None = None
    reasons: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, count)
    details: list[str] = field(default_factory=list)  # what reporters wrote, newest first

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.object_id}"

    @property
    def target_post(self) -> Post | None:
        return self.post if self.kind == "post" else (self.comment.post if self.comment else None)

    @property
    def status(self) -> str:
        obj = self.post if self.kind == "post" else self.comment
        return obj.moderation_status if obj is not None else ""

    @property
    def status_label(self) -> str:
        return ModerationStatus(self.status).label if self.status in ModerationStatus.values else ""

    @property
    def auto_hidden(self) -> bool:
        return (
            self.kind == "post"
            and self.post is not None
            and self.post.moderation_status == ModerationStatus.HIDDEN
            and self.post.moderation_reason == AUTO_HIDE_REASON
        )


def _open_reports(scope: ModeratorScope):
    qs = Report.objects.filter(status=ReportStatus.OPEN)
    posts = qs.filter(post__isnull=False, post__deleted_at__isnull=True)
    comments = qs.filter(comment__isnull=False, comment__is_deleted=False, comment__post__deleted_at__isnull=True)
    if not scope.is_staff:
        posts = posts.filter(post__group_id__in=scope.group_ids)
        comments = comments.filter(comment__post__group_id__in=scope.group_ids)
    return posts, comments


def _held_posts(scope: ModeratorScope):
    if not scope.is_staff:
        return Post.objects.none()
    return Post.objects.filter(
        moderation_status=ModerationStatus.PENDING, moderation_reason=SPAM_HOLD, deleted_at__isnull=True
    )


class ModerationQueue:
    """The queue of one moderator as a lazy, sliceable sequence (works with Django's Paginator
    and the API's PagePagination). ``len()`` reads ids only; a slice loads just its items."""

    def __init__(self, scope: ModeratorScope):
        self.scope = scope
        self._keys: list[QueueItem] | None = None

    def _load_keys(self) -> list[QueueItem]:
        if self._keys is not None:
            return self._keys
        post_reports, comment_reports = _open_reports(self.scope)
        items: dict[str, QueueItem] = {}
        for row in post_reports.values("post_id").annotate(n=Count("id"), first=Min("created_at")):
            item = QueueItem(kind="post", object_id=row["post_id"], first_at=row["first"], reporters_count=row["n"])
            items[item.key] = item
        for row in comment_reports.values("comment_id").annotate(n=Count("id"), first=Min("created_at")):
            item = QueueItem(kind="comment", object_id=row["comment_id"], first_at=row["first"],
                             reporters_count=row["n"])
            items[item.key] = item
        for pk, created in _held_posts(self.scope).values_list("pk", "created_at"):
            key = f"post-{pk}"
            if key in items:
                items[key].held = True
            else:
                items[key] = QueueItem(kind="post", object_id=pk, first_at=created, held=True)
        self._keys = sorted(items.values(), key=lambda i: (i.first_at, i.kind, i.object_id))
        return self._keys

    def __len__(self) -> int:
        return len(self._load_keys())

    def __iter__(self):
        return iter(self[0:len(self)])

    def __getitem__(self, index):
        keys = self._load_keys()
        if isinstance(index, slice):
            return hydrate(keys[index])
        return hydrate([keys[index]])[0]


def hydrate(items: list[QueueItem]) -> list[QueueItem]:
    """Load the objects, reason counts and reporters' words of these items (five queries)."""
    post_ids = [i.object_id for i in items if i.kind == "post"]
    comment_ids = [i.object_id for i in items if i.kind == "comment"]
    posts = {p.pk: p for p in Post.objects.select_related("author", "group").filter(pk__in=post_ids)} if post_ids else {}
    comments = (
        {c.pk: c for c in Comment.objects.select_related("author", "post", "post__author", "post__group")
         .filter(pk__in=comment_ids)}
        if comment_ids else {}
    )
    reasons: dict[str, Counter] = defaultdict(Counter)
    details: dict[str, list[str]] = defaultdict(list)
    if post_ids or comment_ids:
        target = Q(post_id__in=post_ids) | Q(comment_id__in=comment_ids)
        rows = Report.objects.filter(target, status=ReportStatus.OPEN)
        for post_id, comment_id, reason, n in rows.values_list("post_id", "comment_id", "reason").annotate(
            n=Count("id")
        ):
            reasons[f"post-{post_id}" if post_id else f"comment-{comment_id}"][reason] += n
        for post_id, comment_id, text in (
            rows.exclude(details="").order_by("-created_at").values_list("post_id", "comment_id", "details")[:200]
        ):
            key = f"post-{post_id}" if post_id else f"comment-{comment_id}"
            if len(details[key]) < DETAILS_PER_ITEM:
                details[key].append(text)
    labels = dict(ReportReason.choices)
    out = []
    for item in items:
        if item.kind == "post":
            item.post = posts.get(item.object_id)
            if item.post is None:
                continue
        else:
            item.comment = comments.get(item.object_id)
            if item.comment is None:
                continue
        counted = reasons.get(item.key, Counter())
        item.reasons = [(code, str(labels.get(code, code)), n) for code, n in counted.most_common()]
        item.details = details.get(item.key, [])
        out.append(item)
    return out


def moderation_queue(*, actor) -> ModerationQueue:
    """The queue ``actor`` moderates (``ModerationNotFound`` for everyone else)."""
    return ModerationQueue(moderator_scope(actor=actor))


def moderation_queue_count(*, actor) -> int:
    try:
        return len(moderation_queue(actor=actor))
    except ModerationNotFound:
        return 0


def queue_item_get(*, actor, kind: str, object_id: int) -> QueueItem | None:
    """The queue item of one object, or None when it no longer waits (e.g. just resolved)."""
    scope = moderator_scope(actor=actor)
    post_reports, comment_reports = _open_reports(scope)
    if kind == "post":
        agg = post_reports.filter(post_id=object_id).aggregate(n=Count("id"), first=Min("created_at"))
        held = _held_posts(scope).filter(pk=object_id).values_list("created_at", flat=True).first()
        if not agg["n"] and held is None:
            return None
        item = QueueItem(kind="post", object_id=object_id, first_at=agg["first"] or held,
                         reporters_count=agg["n"] or 0, held=held is not None)
    else:
        agg = comment_reports.filter(comment_id=object_id).aggregate(n=Count("id"), first=Min("created_at"))
        if not agg["n"]:
            return None
        item = QueueItem(kind="comment", object_id=object_id, first_at=agg["first"], reporters_count=agg["n"])
    found = hydrate([item])
    return found[0] if found else None

