"""Plumbing the social services share: per-person action limits, notifications in the social
category, live pushes after commit, and group/circle checks that post creation asks."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from config.api import rate_hit

# Seed 000: 20 posts per hour. The rest are our own, generous for a person, tight for a script.
SOCIAL_LIMITS = {
    "post": "20/h",
    "comment": "60/h",
    "reaction": "300/h",
    "follow": "100/h",
    "report": "20/h",
    "group_create": "10/d",
}


class SocialRateLimited(Exception):
    """A person went past one of ``SOCIAL_LIMITS``; the API answers 429, pages a message."""

    def __init__(self, action: str, retry_after: int):
        self.action = action
        self.retry_after = max(int(retry_after), 1)
        super().__init__(
            _("Vas muy rápido: espera %(s)s segundos para volver a intentarlo.") % {"s": self.retry_after}
        )


def limit_check(actor, action: str) -> None:
    """Count one ``action`` by ``actor``; raise SocialRateLimited past its limit (pages and API
    share the counter, so neither is a way around the other)."""
    if not settings.API_RATE_LIMITS_ENABLED:
        return
    rate = settings.API_RATE_LIMITS.get(f"social_{action}", SOCIAL_LIMITS[action])
    allowed, _limit, _remaining, reset = rate_hit(f"social_{action}:u{actor.pk}", rate)
    if not allowed:
        raise SocialRateLimited(action, reset - time.time())


def notify_social(user, kind: str, title: str, body: str = "", link: str = "", data: dict | None = None):
    """An in-app notification in the ``social`` category (the person can turn it off)."""
    from accounts.services import notify

    if user is None or not user.is_active or getattr(user, "deleted_at", None):
        return None
    return notify(user, kind, title, body=body, link=link, data=data or {}, category="social")


def push_after_commit(user_ids, event: str, data: dict) -> None:
    """Push ``event`` to these users' sockets once the transaction commits."""
    from config.realtime import push_to_user

    ids = list(dict.fromkeys(user_ids))

    def _push():
        for uid in ids:
            push_to_user(uid, event, data)

    transaction.on_commit(_push)


def push_room_after_commit(room: str, event: str, data: dict) -> None:
    """Push ``event`` to everyone who joined a room (viewers of a post, members of a circle)."""
    from config.realtime import push_to_room

    transaction.on_commit(lambda: push_to_room(room, event, data))


def bool_clean(value, field: str) -> bool:
    """A yes/no from JSON, a form or a query string ("on", "sí", "false"...); anything else is
    a field error. Missing means no."""
    from django.core.exceptions import ValidationError

    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    text = str(value).strip().lower()
    if text in ("1", "true", "on", "yes", "si", "sí"):
        return True
    if text in ("0", "false", "off", "no"):
        return False
    raise ValidationError({field: [_("Debe ser verdadero o falso.")]})


def display_name(user) -> str:
    return user.full_name or f"@{user.username}"
