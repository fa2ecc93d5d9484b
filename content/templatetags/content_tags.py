"""Template helpers of the public site: video embed addresses, the recipe block's lookup,
prices in pesos, blog category labels, latest posts for the home block, share links and the
SEO data (Open Graph image, JSON-LD structured data)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, quote, urlsplit

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_YOUTUBE_ID = re.compile(r"^[\w-]{11}$")
_VIMEO_ID = re.compile(r"^\d{5,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
                  "youtube-nocookie.com", "www.youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


# ---------------------------------------------------------------------------------------
# video embeds


@register.filter
def embed_url(value) -> str | None:
    """A YouTube or Vimeo address as the privacy-friendly player address
    (``https://www.youtube-nocookie.com/embed/<id>`` or ``https://player.vimeo.com/video/<id>``);
    anything else gives ``None``."""
    try:
        parts = urlsplit(str(value or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host == "youtu.be" and segments:
        video_id = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            video_id = segments[1]
    if video_id is not None:
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else None
    if host in _VIMEO_HOSTS:
        vimeo_id = next((s for s in segments if _VIMEO_ID.match(s)), "")
        if vimeo_id:
            return f"https://player.vimeo.com/video/{vimeo_id}"
    return None


# ---------------------------------------------------------------------------------------
# recipe block


@register.simple_tag
def recipe_lookup(reference):
    """``{% recipe_lookup value.recipe as recipe %}``: the published recipe named by slug or
    address as ``{"title", "kcal", "url", "description"}``, or ``None``."""
    from django.utils.translation import get_language

    from content.selectors import recipe_public_get

    recipe = recipe_public_get(reference=str(reference or ""))
    if recipe is None:
        return None
    english = (get_language() or "").startswith("en")
    kcal = recipe.energy_kcal
    if kcal is None:
        kcal = (recipe.nutrition or {}).get("energy_kcal")
    return {
        "title": (recipe.title_en if english and recipe.title_en else recipe.title),
        "description": (recipe.description_en if english and recipe.description_en else recipe.description),
        "kcal": round(kcal) if kcal is not None else None,
        "servings": recipe.servings,
        "total_time": recipe.total_time_min,
        "url": reverse("nutrition:recipe_detail", kwargs={"slug": recipe.slug}),
    }


# ---------------------------------------------------------------------------------------
# home blocks and blog cards


@register.filter
def mxn(value) -> str:
    """``1200`` → ``$1,200 MXN`` (prices are shown with IVA included)."""
    if value in (None, ""):
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"${amount:,} MXN"


@register.filter
def blog_category_label(value) -> str:
    from content.models import BlogCategory

    try:
        return str(BlogCategory(value).label)
    except ValueError:
        return ""


@register.simple_tag(takes_context=True)
def latest_posts(context, count=3, category=""):
    """``{% latest_posts value.count value.category as posts %}``: the newest published posts."""
    from wagtail.models import Site

    from content.models import BlogCategory
    from content.selectors import blog_latest_posts

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    category = (category or "").strip()
    if category and category not in BlogCategory.values:
        # editors may type the label ("Recetas") rather than the value
        category = next((v for v, label in BlogCategory.choices if str(label).lower() == category.lower()), "")
    return blog_latest_posts(count=count or 3, category=category or None, site=site)


@register.simple_tag
def blog_index_url(page=None):
    """The address of the blog index (the parent of a post, or the site's index)."""
    from content.models import BlogIndexPage
    from content.selectors import blog_index_for

    if isinstance(page, BlogIndexPage):
        return page.url
    index = blog_index_for()
    return index.url if index is not None else "/"


@register.simple_tag(takes_context=True)
def share_links(context, page):
    """Plain share links (no third-party scripts) for WhatsApp, Facebook and X."""
    request = context.get("request")
    url = page.get_full_url(request) or ""
    title = getattr(page, "seo_title", "") or page.title
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        {"name": "WhatsApp", "href": f"https://wa.me/?text={quote(f'{title} {url}', safe='')}"},
        {"name": "Facebook", "href": f"https://www.facebook.com/sharer/sharer.php?u={u}"},
        {"name": "X", "href": f"https://x.com/intent/post?url={u}&text={t}"},
    ]


# ---------------------------------------------------------------------------------------
# SEO


def _absolute(request, url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    if request is not None:
        # The Wagtail site's address (the one canonical URLs use), else the request's host.
        from wagtail.models import Site

        site = Site.find_for_request(request)
        return site.root_url + url if site is not None else request.build_absolute_uri(url)
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + url


def _share_image(page):
    return getattr(page, "og_image", None) or getattr(page, "hero_image", None)


@register.simple_tag(takes_context=True)
def og_image(context, page):
    """``{"url", "width", "height", "alt"}`` of the 1200×630 social image (the page's Open
    Graph image, else its hero image), or ``None``."""
    image = _share_image(page)
    if image is None:
        return None
    rendition = image.get_rendition("fill-1200x630|format-jpeg|jpegquality-80")
    return {
        "url": _absolute(context.get("request"), rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(page, "hero_alt", "") or image.title,
    }


def _site_settings(request):
    from content.models import SiteSettings

    try:
        return SiteSettings.for_request(request) if request is not None else None
    except Exception:  # no site matches (a bare test request): fall back to defaults
        return None


def _jsonld_script(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Same escapes as Django's json_script: nothing in the data can close the script element.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    """JSON-LD: ``Article`` for a blog post, ``Organization`` + ``WebSite`` for the home page."""
    from content.models import BlogPage, HomePage

    request = context.get("request")
    settings_obj = _site_settings(request)
    site_name = getattr(settings_obj, "site_name", "") or "NutriMX"
    home_url = _absolute(request, "/")
    logo = _absolute(request, "/static/img/favicon.svg")
    organization = {"@type": "Organization", "name": site_name, "url": home_url, "logo": logo}
    same_as = [u for u in (getattr(settings_obj, f, "") for f in ("facebook", "instagram", "youtube", "tiktok", "x")) if u]
    if same_as:
        organization["sameAs"] = same_as

    if isinstance(page, BlogPage):
        url = page.canonical_url or page.get_full_url(request)
        image = og_image(context, page)
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": (page.seo_title or page.title)[:110],
            "description": page.search_description or page.excerpt,
            "datePublished": page.date.isoformat(),
            "dateModified": (page.last_published_at or page.latest_revision_created_at).isoformat()
            if (page.last_published_at or page.latest_revision_created_at) else page.date.isoformat(),
            "author": {"@type": "Person", "name": page.byline or site_name},
            "publisher": organization,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "articleSection": blog_category_label(page.category),
            "keywords": ", ".join(t.name for t in page.tags.all()),
        }
        if image:
            data["image"] = [image["url"]]
        return _jsonld_script(data)
    if isinstance(page, HomePage):
        data = {
            "@context": "https://schema.org",
            "@graph": [
                {**organization, "@id": f"{home_url}#organization"},
                {"@type": "WebSite", "@id": f"{home_url}#website", "url": home_url, "name": site_name,
                 "description": getattr(settings_obj, "tagline", ""), "inLanguage": "es-MX",
                 "publisher": {"@id": f"{home_url}#organization"}},
            ],
        }
        return _jsonld_script(data)
    return ""


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    return page.canonical_url or page.get_full_url(context.get("request")) or ""


@register.simple_tag
def seo_description(page) -> str:
    return (getattr(page, "search_description", "") or getattr(page, "excerpt", "") or "").strip()


@register.simple_tag
def read_time_label(minutes) -> str:
    from django.utils.translation import gettext as _

    return _("%(n)s min de lectura") % {"n": minutes or 1}


@register.simple_tag
def icon(name, size=""):
    """The platform's inline icons (decorative)."""
    from accounts.templatetags.accounts_ui import icon_svg

    return icon_svg(name, size)


@register.simple_tag
def page_link(number, query: str = "") -> str:
    """``?page=N`` keeping the other filters of ``query`` (already url-encoded, without page)."""
    return format_html("?{}page={}", f"{query}&" if query else "", number)
