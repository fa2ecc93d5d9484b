"""Reactions and comments on posts, and likes on comments.

Counters are exact under concurrency: the row that is counted (reaction, comment, like) is
inserted or deleted first, guarded by its unique constraint, and only a write that really
changed a row moves the counter, with an ``F()`` update in the same transaction. A person
changing their reaction locks their own reaction row, so two changes of the same reaction
cannot both decrement the old type.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from social import rules
from social.models import REACTION_EMOJI, Comment, CommentLike, ModerationStatus, Post, Reaction, ReactionType
from social.services.common import (
    display_name,
    limit_check,
    notify_social,
    push_after_commit,
    push_room_after_commit,
)
from social.text import clean_text

MAX_COMMENT = 2000


def post_room(post_id) -> str:
    return f"post_{post_id}"


def _interactable_post(*, actor, post_id, for_update: bool = False) -> Post:
    pk = rules.id_parse(post_id)
    qs = Post.objects.select_related("author", "group")
    post = qs.filter(pk=pk).first() if pk else None
    if post is None or not rules.user_can_see(actor, post):
        raise rules.PostNotFound()
    if post.moderation_status != ModerationStatus.APPROVED:
        raise ValidationError({"post_id": [_("Esta publicación está en revisión.")]}, code="POST_NOT_APPROVED")
    return post


def _brief(user) -> dict:
    return {"id": user.pk, "username": user.username, "full_name": user.full_name}


# ---------------------------------------------------------------------------------------
# reactions


@transaction.atomic
def reaction_set(*, actor, post_id, reaction_type: str) -> tuple[Reaction, bool]:
    """Set your reaction on a post (one per person, changeable). Returns (reaction, changed).

    The same reaction again changes nothing; another type moves the count from the old type
    to the new one. The author is notified of a first reaction and viewers of the post get
    ``post:new_reaction`` live.
    """
    if reaction_type not in ReactionType.values:
        raise ValidationError(
            {"reaction_type": [_("Reacción no válida. Usa: %(v)s.") % {"v": ", ".join(ReactionType.values)}]},
            code="invalid_choice",
        )
    post = _interactable_post(actor=actor, post_id=post_id)
    limit_check(actor, "reaction")
    # The counter update locks the post's row until commit, so it is the last statement of
    # each branch: concurrent reactions on a popular post queue for as short a time as possible.
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(user=actor, post=post, type=reaction_type)
    except IntegrityError:
        reaction = Reaction.objects.select_for_update().get(user=actor, post=post)
        if reaction.type == reaction_type:
            return reaction, False
        old = reaction.type
        reaction.type = reaction_type
        reaction.save(update_fields=["type", "updated_at"])
        _push_reaction(post, actor, reaction_type, previous=old)
        Post.objects.filter(pk=post.pk).update(
            **{f"reaction_{old}": F(f"reaction_{old}") - 1, f"reaction_{reaction_type}": F(f"reaction_{reaction_type}") + 1}
        )
        return reaction, True
    _push_reaction(post, actor, reaction_type, previous=None)
    if post.author_id != actor.pk:
        notify_social(
            post.author,
            "post_reaction",
            _("A %(name)s le gustó tu publicación %(emoji)s") % {"name": display_name(actor), "emoji": REACTION_EMOJI[reaction_type]},
            body=(post.body or post.title)[:120],
            link=reverse("social:post", args=[post.pk]),
            data={"post_id": post.pk, "reaction_type": reaction_type, "user_id": actor.pk},
        )
    Post.objects.filter(pk=post.pk).update(
        reactions_count=F("reactions_count") + 1, **{f"reaction_{reaction_type}": F(f"reaction_{reaction_type}") + 1}
    )
    return reaction, True


@transaction.atomic
def reaction_remove(*, actor, post_id) -> bool:
    """Take your reaction back; True when there was one."""
    pk = rules.id_parse(post_id)
    post = Post.objects.select_related("group").filter(pk=pk).first() if pk else None
    if post is None or not rules.user_can_see(actor, post):
        raise rules.PostNotFound()
    reaction = Reaction.objects.select_for_update().filter(user=actor, post=post).first()
    if reaction is None:
        return False
    old = reaction.type
    reaction.delete()
    Post.objects.filter(pk=post.pk).update(
        reactions_count=F("reactions_count") - 1, **{f"reaction_{old}": F(f"reaction_{old}") - 1}
    )
    _push_reaction(post, actor, None, previous=old)
    return True


def _push_reaction(post: Post, actor, reaction_type, *, previous) -> None:
    post_id = post.pk

    def counts():
        row = Post.objects.filter(pk=post_id).values(
            "reactions_count", "reaction_heart", "reaction_clap", "reaction_fire", "reaction_strong", "reaction_celebrate"
        ).first() or {}
        return {
            "total": row.get("reactions_count", 0),
            **{t: row.get(f"reaction_{t}", 0) for t in ReactionType.values},
        }

    def _push():
        from config.realtime import push_to_room, push_to_user

        data = {
            "post_id": post_id,
            "reaction_type": reaction_type,
            "previous": previous,
            "user": _brief(actor),
            "reactions": counts(),
        }
        push_to_room(post_room(post_id), "post:new_reaction", data)
        if post.author_id != actor.pk:
            push_to_user(post.author_id, "post:new_reaction", data)

    transaction.on_commit(_push)


# ---------------------------------------------------------------------------------------
# comments


def comment_payload(comment: Comment, *, viewer_liked: bool = False) -> dict:
    """Wire shape of a comment (seed 000 §4.3) for the API and the live push."""
    deleted = comment.is_deleted or comment.moderation_status != ModerationStatus.APPROVED
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "parent_comment_id": comment.parent_id,
        "depth": comment.depth,
        "author": None if deleted else _brief(comment.author),
        "content": "" if deleted else comment.body,
        "is_deleted": deleted,
        "likes_count": comment.likes_count,
        "has_liked": viewer_liked,
        "is_edited": comment.is_edited,
        "created_at": comment.created_at.isoformat(),
    }


@transaction.atomic
def comment_create(*, actor, post_id, content, parent_comment_id=None) -> Comment:
    """Comment on a post or reply to a comment (three levels: a reply to a reply of a reply
    attaches to its parent's level). Notifies the post's author and the parent comment's
    author; viewers of the post get ``post:new_comment`` live."""
    post = _interactable_post(actor=actor, post_id=post_id)
    if not rules.circle_comment_allowed(user_id=actor.pk, post=post) and post.author_id != actor.pk:
        raise PermissionDenied(_("Tu permiso en este círculo no incluye comentar."))
    body = clean_text(content, field="content", max_length=MAX_COMMENT, required=True)
    parent = None
    depth = 0
    if parent_comment_id not in (None, "", 0, "0"):
        ppk = rules.id_parse(parent_comment_id)
        parent = Comment.objects.select_related("author").filter(pk=ppk, post=post).first() if ppk else None
        if parent is None:
            raise ValidationError({"parent_comment_id": [_("El comentario al que respondes no existe.")]}, code="invalid")
        if parent.depth >= 2:
            parent = parent.parent if parent.parent_id else parent
            parent = Comment.objects.select_related("author").get(pk=parent.pk)
        depth = parent.depth + 1
    limit_check(actor, "comment")
    comment = Comment.objects.create(post=post, author=actor, parent=parent, depth=depth, body=body)
    Post.objects.filter(pk=post.pk).update(comments_count=F("comments_count") + 1)
    payload = comment_payload(comment)
    push_room_after_commit(post_room(post.pk), "post:new_comment", {"post_id": post.pk, "comment": payload})
    link = reverse("social:post", args=[post.pk]) + f"#comentario-{comment.pk}"
    notified = set()
    if post.author_id != actor.pk:
        push_after_commit([post.author_id], "post:new_comment", {"post_id": post.pk, "comment": payload})
        notify_social(
            post.author,
            "post_comment",
            _("%(name)s comentó tu publicación") % {"name": display_name(actor)},
            body=body[:140],
            link=link,
            data={"post_id": post.pk, "comment_id": comment.pk},
        )
        notified.add(post.author_id)
    if parent is not None and parent.author_id != actor.pk and parent.author_id not in notified and not parent.is_deleted:
        notify_social(
            parent.author,
            "comment_reply",
            _("%(name)s respondió tu comentario") % {"name": display_name(actor)},
            body=body[:140],
            link=link,
            data={"post_id": post.pk, "comment_id": comment.pk},
        )
    return comment


def _own_comment(*, actor, comment_id) -> Comment:
    pk = rules.id_parse(comment_id)
    comment = Comment.objects.select_for_update().filter(pk=pk, is_deleted=False).first() if pk else None
    if comment is None or comment.author_id != actor.pk:
        raise rules.CommentNotFound()
    return comment


@transaction.atomic
def comment_update(*, actor, comment_id, content) -> Comment:
    """Edit your comment; it gets the "editado" mark."""
    comment = _own_comment(actor=actor, comment_id=comment_id)
    comment.body = clean_text(content, field="content", max_length=MAX_COMMENT, required=True)
    comment.is_edited = True
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "is_edited", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, actor, comment_id) -> Comment:
    """Delete your comment (or, as the post's author, a comment on your post). The row stays
    as "Comentario eliminado" so the replies under it remain readable."""
    pk = rules.id_parse(comment_id)
    comment = Comment.objects.select_for_update().select_related("post").filter(pk=pk, is_deleted=False).first() if pk else None
    if comment is None or actor.pk not in (comment.author_id, comment.post.author_id):
        raise rules.CommentNotFound()
    if comment.author_id != actor.pk and not rules.post_visible_to(rules.audience_for(actor), comment.post):
        raise rules.CommentNotFound()
    comment.is_deleted = True
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["is_deleted", "deleted_at"])
    Post.objects.filter(pk=comment.post_id, comments_count__gt=0).update(comments_count=F("comments_count") - 1)
    push_room_after_commit(
        post_room(comment.post_id), "post:comment_deleted", {"post_id": comment.post_id, "comment_id": comment.pk}
    )
    return comment


def _visible_comment(*, actor, comment_id) -> Comment:
    pk = rules.id_parse(comment_id)
    comment = Comment.objects.select_related("post", "post__group").filter(pk=pk).first() if pk else None
    if (
        comment is None
        or comment.is_deleted
        or comment.moderation_status != ModerationStatus.APPROVED
        or comment.author_id in rules.audience_for(actor).blocked
        or not rules.post_visible_to(rules.audience_for(actor), comment.post)
    ):
        raise rules.CommentNotFound()
    return comment


@transaction.atomic
def comment_like_set(*, actor, comment_id, liked: bool) -> Comment:
    """Like (or unlike) a comment; idempotent, counts exact."""
    comment = _visible_comment(actor=actor, comment_id=comment_id)
    if liked:
        limit_check(actor, "reaction")
        try:
            with transaction.atomic():
                CommentLike.objects.create(user=actor, comment=comment)
        except IntegrityError:
            pass
        else:
            Comment.objects.filter(pk=comment.pk).update(likes_count=F("likes_count") + 1)
    else:
        deleted, _rows = CommentLike.objects.filter(user=actor, comment=comment).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk, likes_count__gt=0).update(likes_count=F("likes_count") - 1)
    comment.refresh_from_db(fields=["likes_count"])
    return comment


def counts_reconcile(*, post_ids=None) -> int:
    """Recompute every denormalised counter from the rows (a repair tool; the services keep
    them exact). Returns how many posts changed."""
    from django.db.models import Count

    qs = Post.objects.all() if post_ids is None else Post.objects.filter(pk__in=post_ids)
    changed = 0
    for post in qs.iterator(chunk_size=500):
        by_type = dict(
            Reaction.objects.filter(post_id=post.pk).values_list("type").annotate(n=Count("id")).values_list("type", "n")
        )
        fields = {f"reaction_{t}": by_type.get(t, 0) for t in ReactionType.values}
        fields["reactions_count"] = sum(by_type.values())
        fields["comments_count"] = Comment.objects.filter(post_id=post.pk, is_deleted=False).count()
        fields["saves_count"] = post.save_rows.count()
        fields["shares_count"] = Post.objects.filter(shared_post_id=post.pk, deleted_at__isnull=True).count()
        if any(getattr(post, k) != v for k, v in fields.items()):
            Post.objects.filter(pk=post.pk).update(**fields)
            changed += 1
    return changed
