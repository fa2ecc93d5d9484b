"""Rendering of the chatbot's answers: escaped text, paragraphs, **bold**, simple lists and
``[n]`` citations linked to the message's sources."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_CITE = re.compile(r"\[(\d{1,2})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _inline(text: str, sources: list) -> str:
    html = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)

    def cite(match):
        n = int(match.group(1))
        if 1 <= n <= len(sources):
            url = escape(sources[n - 1].get("url", ""))
            title = escape(sources[n - 1].get("title", ""))
            return f'<a class="cite" href="{url}" title="{title}">[{n}]</a>'
        return ""

    return _CITE.sub(cite, html)


@register.filter
def chat_html(message) -> str:
    """The message content as safe HTML (the content itself is always escaped)."""
    sources = list(getattr(message, "sources", None) or [])
    blocks = re.split(r"\n\s*\n", str(getattr(message, "content", "") or "").strip())
    out = []
    for block in blocks:
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(_LIST_ITEM.match(ln) for ln in lines):
            items = "".join(f"<li>{_inline(_LIST_ITEM.sub('', ln), sources)}</li>" for ln in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(ln, sources) for ln in lines) + "</p>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text went through escape()
