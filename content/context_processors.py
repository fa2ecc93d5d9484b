"""Site settings and navigation for every page of the platform (CMS pages and app pages alike),
and the cookie-consent state for the banner.

Editors change these rarely and every page shows them, so they are read once into the shared
cache (Redis in production, so every replica sees the same) and the cache is bumped when an
editor saves them, or publishes/unpublishes a legal page (the footer links to the cookie policy).
Within a request the values are read once (``request._content_chrome``).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

COOKIE_NAME = "nmx_cookies"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
COOKIE_CHOICES = ("necessary", "all")

_VERSION_KEY = "content:chrome:version"
_TTL = 60 * 60


def chrome_invalidate(**_kwargs) -> None:
    """Forget the cached settings and menus (signal receiver)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(_VERSION_KEY, version, timeout=None):
            version = cache.get(_VERSION_KEY) or version
    return version


def _whatsapp_url(number: str) -> str:
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if not digits:
        return ""
    if len(digits) == 10:  # a Mexican number without the country code
        digits = f"52{digits}"
    return f"https://wa.me/{digits}"


SOCIAL_NETWORKS = (("instagram", "Instagram"), ("facebook", "Facebook"), ("youtube", "YouTube"),
                   ("tiktok", "TikTok"), ("x", "X"))


def _load(request) -> dict:
    from wagtail.models import Site

    from content.models import LegalKind, LegalPage, Navigation, SiteSettings

    site = Site.find_for_request(request)
    data = {
        "site_settings": {"site_name": "NutriMX", "tagline": "", "contact_email": "", "phone": "", "whatsapp": "",
                          "whatsapp_url": "", "social_links": []},
        "navigation": {"main_menu": [], "footer_menu": []},
        "cookie_policy_url": "",
    }
    if site is None:
        return data
    s = SiteSettings.for_request(request)
    data["site_settings"] = {
        "site_name": s.site_name or "NutriMX",
        "tagline": s.tagline,
        "contact_email": s.contact_email,
        "phone": s.phone,
        "phone_href": "tel:" + "".join(ch for ch in s.phone if ch.isdigit() or ch == "+"),
        "whatsapp": s.whatsapp,
        "whatsapp_url": _whatsapp_url(s.whatsapp),
        "social_links": [{"key": key, "label": label, "url": getattr(s, key)} for key, label in SOCIAL_NETWORKS
                         if getattr(s, key)],
    }
    nav = Navigation.for_request(request)
    data["navigation"] = {
        "main_menu": [
            {"label": b.value["label"], "url": b.value["url"],
             "children": [{"label": c["label"], "url": c["url"]} for c in (b.value.get("children") or [])]}
            for b in nav.main_menu if b.block_type == "item"
        ],
        "footer_menu": [{"label": b.value["label"], "url": b.value["url"]} for b in nav.footer_menu
                        if b.block_type == "link"],
    }
    cookies_page = (LegalPage.objects.live().public().filter(kind=LegalKind.COOKIES)
                    .descendant_of(site.root_page, inclusive=True).first())
    if cookies_page is not None:
        data["cookie_policy_url"] = cookies_page.get_url(request=request) or ""
    return data


def chrome(request) -> dict:
    """The layout's editor-managed parts: ``site_settings``, ``navigation``, cookie banner state."""
    cached = getattr(request, "_content_chrome", None)
    if cached is None:
        host = request.get_host() if hasattr(request, "get_host") else ""
        try:
            key = f"content:chrome:{_version()}:{host}"
        except Exception:  # noqa: BLE001 - a broken cache must not take every page down
            key = None
        cached = cache.get(key) if key else None
        if cached is None:
            cached = _load(request)
            if key:
                # Loading may create the rows (get_or_create), which bumps the version: store
                # under the version current now.
                cache.set(f"content:chrome:{_version()}:{host}", cached, timeout=_TTL)
        request._content_chrome = cached
    choice = request.COOKIES.get(COOKIE_NAME, "")
    return {
        "site_settings": cached["site_settings"],
        "navigation": cached["navigation"],
        "cookie_policy_url": cached["cookie_policy_url"],
        "cookie_choice": choice if choice in COOKIE_CHOICES else "",
    }
