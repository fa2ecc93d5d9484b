"""Automatic hold of likely spam from new accounts.

A post by an account younger than ``NEW_ACCOUNT_DAYS`` that scores ``HOLD_THRESHOLD`` or more
waits in the moderation queue (``moderation_status = pending``, reason ``spam_hold``) instead of
reaching anyone's feed. Older accounts are never held automatically; people can still report them.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

NEW_ACCOUNT_DAYS = 3
HOLD_THRESHOLD = 3
LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
PHONE_RE = re.compile(r"(\+?52)?[\s-]?\(?\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4}")
SPAM_PHRASES = (
    "gana dinero", "dinero fácil", "dinero facil", "bitcoin", "cripto", "inversión garantizada",
    "pastillas para adelgazar", "baja 10 kilos", "bajar 10 kilos", "sin dieta ni ejercicio",
    "quemador de grasa", "escríbeme al whatsapp", "escribeme al whatsapp", "manda dm", "link en mi perfil",
    "compra ya", "oferta exclusiva", "100% garantizado",
)


def spam_score(*, author, text: str, recent_texts: list[str], recent_count_10min: int) -> int:
    """Points for the signs of spam in a new post; each sign is cheap to check."""
    lowered = (text or "").lower()
    score = 0
    links = len(LINK_RE.findall(lowered))
    if links >= 2:
        score += 2
    elif links == 1:
        score += 1
    if PHONE_RE.search(lowered):
        score += 1
    score += 2 * sum(1 for phrase in SPAM_PHRASES if phrase in lowered)
    if lowered and lowered in [t.lower() for t in recent_texts]:
        score += 3  # the same text again
    if recent_count_10min >= 5:
        score += 2
    letters = [c for c in text or "" if c.isalpha()]
    if len(letters) >= 30 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        score += 1
    return score


def should_hold(*, author, text: str) -> bool:
    """True when a new account's post looks like spam (two queries, only for new accounts)."""
    if author.is_staff or author.date_joined < timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS):
        return False
    from social.models import Post

    since = timezone.now() - timedelta(hours=24)
    recent = list(
        Post.objects.filter(author=author, created_at__gte=since).order_by("-created_at").values_list("body", "created_at")[:20]
    )
    ten = timezone.now() - timedelta(minutes=10)
    score = spam_score(
        author=author,
        text=text,
        recent_texts=[body for body, _c in recent],
        recent_count_10min=sum(1 for _b, created in recent if created >= ten),
    )
    return score >= HOLD_THRESHOLD
