"""Follow, unfollow, block and mute. Each change reaches the follower's feed at once: the
visibility rules read the relationship on every request, and the Redis timeline gains or
loses the person's posts in the same call."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from social import feed, rules
from social.models import Block, Follow, Mute
from social.services.common import display_name, limit_check, notify_social


def _person(*, actor, username=None, user_id=None):
    """Another active person by username or id; yourself, missing, or blocked either way → 404."""
    from accounts.models import User

    qs = User.objects.filter(is_active=True, deleted_at__isnull=True)
    if username:
        target = qs.filter(username=str(username).strip().lstrip("@").lower()[:30]).first()
    else:
        pk = rules.id_parse(user_id)
        target = qs.filter(pk=pk).first() if pk else None
    if target is None or target.pk == actor.pk:
        raise rules.UserNotFound()
    return target


@transaction.atomic
def follow(*, actor, username=None, user_id=None) -> tuple[Follow, bool]:
    """Follow someone (idempotent). Returns (follow, created); a first follow notifies them."""
    target = _person(actor=actor, username=username, user_id=user_id)
    if rules.is_blocked_between(actor.pk, target.pk):
        raise rules.UserNotFound()
    existing = Follow.objects.filter(follower=actor, followee=target).first()
    if existing is not None:
        return existing, False
    limit_check(actor, "follow")
    try:
        with transaction.atomic():
            row = Follow.objects.create(follower=actor, followee=target)
    except IntegrityError:
        return Follow.objects.get(follower=actor, followee=target), False
    notify_social(
        target,
        "new_follower",
        _("Nuevo seguidor"),
        body=_("@%(u)s comenzó a seguirte") % {"u": actor.username},
        link=reverse("social:profile", args=[actor.username]),
        data={"user_id": actor.pk, "name": display_name(actor)},
    )
    transaction.on_commit(lambda: feed.timeline_add_author(actor.pk, target.pk))
    return row, True


@transaction.atomic
def unfollow(*, actor, username=None, user_id=None) -> bool:
    """Stop following; their followers-only posts leave your feed at once."""
    target = _person(actor=actor, username=username, user_id=user_id)
    deleted, _rows = Follow.objects.filter(follower=actor, followee=target).delete()
    if deleted:
        transaction.on_commit(lambda: feed.timeline_drop_author(actor.pk, target.pk))
    return bool(deleted)


@transaction.atomic
def block(*, actor, username=None, user_id=None) -> Block:
    """Block someone: follows end both ways, each side's posts, comments and profile
    disappear for the other at once, and neither can follow, mention or react to the other."""
    target = _person(actor=actor, username=username, user_id=user_id)
    row, _created = Block.objects.get_or_create(blocker=actor, blocked=target)
    Follow.objects.filter(Q(follower=actor, followee=target) | Q(follower=target, followee=actor)).delete()

    def _drop():
        feed.timeline_drop_author(actor.pk, target.pk)
        feed.timeline_drop_author(target.pk, actor.pk)

    transaction.on_commit(_drop)
    return row


@transaction.atomic
def unblock(*, actor, username=None, user_id=None) -> bool:
    from accounts.models import User

    if username:
        target = User.objects.filter(username=str(username).lstrip("@").lower()[:30]).first()
    else:
        pk = rules.id_parse(user_id)
        target = User.objects.filter(pk=pk).first() if pk else None
    if target is None:
        raise rules.UserNotFound()
    deleted, _rows = Block.objects.filter(blocker=actor, blocked=target).delete()
    return bool(deleted)


@transaction.atomic
def mute(*, actor, username=None, user_id=None) -> Mute:
    """Mute someone: their posts leave your feed; they are not told and can still see yours."""
    target = _person(actor=actor, username=username, user_id=user_id)
    row, _created = Mute.objects.get_or_create(muter=actor, muted=target)
    transaction.on_commit(lambda: feed.timeline_drop_author(actor.pk, target.pk))
    return row


@transaction.atomic
def unmute(*, actor, username=None, user_id=None) -> bool:
    target = _person(actor=actor, username=username, user_id=user_id)
    deleted, _rows = Mute.objects.filter(muter=actor, muted=target).delete()
    if deleted:
        transaction.on_commit(lambda: feed.timeline_add_author(actor.pk, target.pk))
    return bool(deleted)


def relationship_action_clean(action: str) -> str:
    if action not in ("follow", "unfollow", "block", "unblock", "mute", "unmute"):
        raise ValidationError({"action": [_("Acción no válida.")]})
    return action
