"""Language switching that keeps the page.

``{% translation_url page 'en' %}`` is the address of ``page`` in another language: its live
translation when there is one (slugs may differ), else the nearest translated ancestor (for
instance the English home page). Anything that is not a Wagtail page (a paginator's page, no page
at all) gives the current path, so the switcher works on every page of the platform.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_supported_language_variant
from wagtail.models import Locale, Page

register = template.Library()


def page_translation_url(page, language: str, request=None) -> str | None:
    """URL of the live translation of ``page`` (or of its nearest translated ancestor) in
    ``language``; None when ``page`` is not a Wagtail page or nothing is translated."""
    if not isinstance(page, Page):
        return None
    try:
        locale = Locale.objects.get_for_language(get_supported_language_variant(language))
    except (LookupError, Locale.DoesNotExist):
        return None
    if page.locale_id == locale.pk:
        return page.get_url(request=request)
    candidates = [page, *page.get_ancestors().filter(depth__gt=1).order_by("-depth")]
    for candidate in candidates:
        translation = (Page.objects.live().public().filter(translation_key=candidate.translation_key, locale=locale)
                       .first())
        if translation is not None:
            url = translation.get_url(request=request)
            if url:
                return url
    return None


@register.simple_tag(takes_context=True)
def translation_url(context, page, language):
    request = context.get("request")
    url = page_translation_url(page, language, request)
    if url:
        return url
    return request.get_full_path() if request is not None else ""
