"""Writes of the public site: blog view counts and the home page cache (stored for anonymous
visitors, cleared whenever editors publish, unpublish or save what the home page shows).

The signal receivers at the bottom are connected by ``ContentConfig.ready``.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from content.models import BlogPage
from content.selectors import HOME_CACHE_TIMEOUT, HOME_CACHE_VARIANTS, home_cache_key

log = logging.getLogger(__name__)

VIEW_DEDUP_SECONDS = 6 * 60 * 60  # one view per visitor and post every six hours


# ---------------------------------------------------------------------------------------
# blog views


def _visitor_fingerprint(request) -> str:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return "s:" + session.session_key
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    raw = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')}"
    return "a:" + hashlib.sha256(raw.encode()).hexdigest()[:24]


def blog_view_count(*, post: BlogPage, request=None) -> bool:
    """Count a view of ``post`` (``view_count + 1`` in the database, race-free with ``F``).
    With a request, the same visitor counts once per post every six hours. Returns whether
    the view was counted."""
    if post.pk is None:
        return False
    if request is not None:
        key = f"content:viewed:{post.pk}:{_visitor_fingerprint(request)}"
        if not cache.add(key, 1, VIEW_DEDUP_SECONDS):
            return False
    BlogPage.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
    return True


# ---------------------------------------------------------------------------------------
# home page cache


def home_cache_store(*, site_id, language: str, html: str, variant: str = "") -> None:
    cache.set(home_cache_key(site_id=site_id, language=language, variant=variant), html, HOME_CACHE_TIMEOUT)


def home_cache_invalidate() -> None:
    """Forget the cached home of every site in every language."""
    from wagtail.models import Site

    languages = [code for code, _name in settings.LANGUAGES]
    site_ids = list(Site.objects.values_list("pk", flat=True))
    cache.delete_many([home_cache_key(site_id=s, language=lang, variant=v)
                       for s in site_ids for lang in languages for v in HOME_CACHE_VARIANTS])


def _on_content_change(sender=None, **kwargs):
    try:
        home_cache_invalidate()
    except Exception:  # a cache outage must never stop an editor from publishing
        log.exception("home cache invalidation failed")


def connect_signals() -> None:
    """Clear the home cache when a page is published or unpublished, or a snippet or setting
    the pages show is saved or deleted."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from content.models import FAQ, Navigation, SiteSettings, Testimonial, Video

    page_published.connect(_on_content_change, dispatch_uid="content_home_cache_published")
    page_unpublished.connect(_on_content_change, dispatch_uid="content_home_cache_unpublished")
    for model in (FAQ, Testimonial, Video, SiteSettings, Navigation):
        post_save.connect(_on_content_change, sender=model, dispatch_uid=f"content_home_cache_save_{model.__name__}")
        post_delete.connect(_on_content_change, sender=model, dispatch_uid=f"content_home_cache_del_{model.__name__}")
