"""Template helpers of the social pages."""

from django import template

from social.models import ReportReason

register = template.Library()


@register.simple_tag
def post_html(post):
    """The post's text, escaped, with its #tags and real @mentions linked."""
    from social.selectors.posts import post_body_html

    return post_body_html(post)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def report_reasons():
    return ReportReason.choices
