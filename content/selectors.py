"""Reads of the public site: the published blog (filtered by category and tag, paginated,
newest first), related and latest posts, a visible recipe for the recipe block, and the
cached home page HTML.

Only live, public pages are ever returned: drafts and pages behind a password or a group
restriction never reach a list, a feed or a block.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet

from content.models import BlogCategory, BlogPage

BLOG_PAGE_SIZE = 10
RELATED_EDITOR_MAX = 3
RELATED_TAGS_MAX = 4
HOME_CACHE_PREFIX = "content:home"
HOME_CACHE_TIMEOUT = 60 * 60  # an hour at most; publishing or saving a snippet clears it at once


# ---------------------------------------------------------------------------------------
# blog


def blog_categories() -> list[tuple[str, str]]:
    """The six categories as (value, label) for the filter."""
    return list(BlogCategory.choices)


def blog_post_list(*, index=None, category: str | None = None, tag: str | None = None) -> QuerySet[BlogPage]:
    """Published, public posts (under ``index`` when given), newest first, optionally of one
    category and/or carrying one tag (by slug). Unknown categories are ignored."""
    qs = BlogPage.objects.live().public()
    if index is not None:
        qs = qs.child_of(index)
    if category and category in BlogCategory.values:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(tags__slug=tag).distinct()
    return (
        qs.select_related("hero_image", "author")
        .prefetch_related("tags", "hero_image__renditions")
        .defer_streamfields()
        .order_by("-date", "-first_published_at", "-pk")
    )


def blog_post_page(*, posts: QuerySet[BlogPage], page_number, per_page: int = BLOG_PAGE_SIZE) -> PaginatorPage:
    """One page of ``posts``; a page number that is not a number or is out of range gives the
    first or the last page (a shared link never breaks)."""
    return Paginator(posts, per_page).get_page(page_number)


def blog_related_posts(*, post: BlogPage) -> list[BlogPage]:
    """The editor's choice (up to 3 published posts, in their order); without one, up to 4
    published posts sharing the most tags with ``post``, newest first. Never ``post`` itself."""
    ids = [pk for pk in post.related_links.order_by("sort_order").values_list("related_id", flat=True)
           if pk and pk != post.pk]
    if ids:
        found = {p.pk: p for p in BlogPage.objects.live().public().filter(pk__in=ids)
                 .select_related("hero_image").defer_streamfields()}
        chosen = [found[pk] for pk in ids if pk in found][:RELATED_EDITOR_MAX]
    else:
        chosen = []
    if chosen:
        return chosen
    tag_ids = list(post.tags.values_list("pk", flat=True))
    if not tag_ids:
        return []
    return list(
        BlogPage.objects.live()
        .public()
        .filter(tags__pk__in=tag_ids, locale_id=post.locale_id)
        .exclude(translation_key=post.translation_key)
        .annotate(shared_tags=Count("pk"))
        .select_related("hero_image")
        .defer_streamfields()
        .order_by("-date", "-first_published_at", "-pk")[:RELATED_TAGS_MAX]
    )


def blog_latest_posts(*, count: int = 3, category: str | None = None, site=None) -> list[BlogPage]:
    """The newest ``count`` published posts (of the site when given), for the home block."""
    qs = blog_post_list(category=category or None)
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=False)
    return list(qs[: max(1, min(int(count or 3), 9))])


def blog_index_for(*, site=None):
    """The published blog index of ``site`` (or any), for links and the feed."""
    from content.models import BlogIndexPage

    qs = BlogIndexPage.objects.live().public()
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=True)
    return qs.order_by("path").first()


# ---------------------------------------------------------------------------------------
# recipes (the recipe block): a published recipe of the platform, as anyone sees it


def recipe_public_get(*, reference: str):
    """The publicly visible recipe named by its slug or address (``/nutricion/recetas/<slug>/``),
    or ``None``."""
    import re

    from nutrition.selectors.recipes import recipes_visible

    value = (reference or "").strip()
    match = re.search(r"/recetas/([\w-]+)/?", value)
    slug = match.group(1) if match else value.strip("/")
    if not slug or not re.fullmatch(r"[\w-]+", slug):
        return None
    return recipes_visible(user=None).filter(slug=slug).first()


# ---------------------------------------------------------------------------------------
# home page cache


# The cached HTML differs by site, language and the visitor's cookie choice (the consent
# banner shows until they choose); nothing else in an anonymous home page is personal.
HOME_CACHE_VARIANTS = ("", "necessary", "all")


def home_cache_variant(request) -> str:
    choice = request.COOKIES.get("nmx_cookies", "")
    return choice if choice in HOME_CACHE_VARIANTS else ""


def home_cache_key(*, site_id, language: str, variant: str = "") -> str:
    return f"{HOME_CACHE_PREFIX}:{site_id}:{language}:{variant or '-'}"


def home_cache_get(*, site_id, language: str, variant: str = "") -> str | None:
    """The home HTML rendered for anonymous visitors of this site in this language, if any."""
    return cache.get(home_cache_key(site_id=site_id, language=language, variant=variant))
