"""Template helpers of resources, snippet blocks (testimonials, FAQ, videos) and the cookie
banner. Reads go through ``content.resources``."""

from __future__ import annotations

import json

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from content import resources

register = template.Library()


@register.simple_tag(takes_context=True)
def resource_state(context, page):
    """Access and delivery of a resource page for this person (see views_resources.resource_state)."""
    given = context.get("resource_state")
    if isinstance(given, dict):
        return given
    from content.views_resources import resource_state as compute

    return compute(context["request"], page)


@register.simple_tag(takes_context=True)
def resource_listing(context, index_page):
    request = context["request"]
    return resources.resource_list(index_page=index_page, user=request.user,
                                   resource_type=request.GET.get("tipo", ""), access=request.GET.get("acceso", ""))


@register.simple_tag
def testimonials_for(value):
    return resources.testimonials_for(value)


@register.simple_tag
def faqs_for(value):
    return resources.faqs_for(value)


@register.simple_tag
def videos_by_category():
    return resources.videos_by_category()


@register.simple_tag
def faq_jsonld(questions):
    """schema.org FAQPage for the questions shown (a data block, not a script that runs)."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q.question,
             "acceptedAnswer": {"@type": "Answer", "text": strip_tags(q.answer).strip()}}
            for q in questions
        ],
    }
    raw = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{raw}</script>')  # noqa: S308 - escaped above


@register.filter
def rating_label(value) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    return gettext("%(n)s de 5") % {"n": n}


@register.filter
def star_range(value):
    try:
        n = max(0, min(5, int(value)))
    except (TypeError, ValueError):
        n = 0
    return [i < n for i in range(5)]
