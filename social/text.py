"""User text in the social network: cleaned on the way in, rendered safely on the way out.

Posts, comments, group descriptions and names are stored as plain text: any HTML a person
types is stripped (so no script or markup reaches a page, the API or a notification), control
characters are dropped and whitespace is tidied. Rendering escapes everything and only then
turns #tags and @mentions into links; nothing a user wrote is ever marked safe as-is.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TAG_RE = re.compile(r"(?<![\w&#/])#([^\W_][\w]{1,49})", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w@/.])@([a-z0-9_]{3,30})\b", re.IGNORECASE)
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))
_CONTROL[127] = None
MAX_TAGS = 10
MAX_MENTIONS = 10


def clean_text(value, *, field: str, max_length: int, required: bool = False, multiline: bool = True) -> str:
    """Plain text from user input, or ValidationError naming ``field``.

    Strips HTML tags (twice, so ``<scr<script>ipt>`` cannot reassemble), control characters
    and trailing spaces; keeps line breaks when ``multiline``.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: [_("Debe ser texto.")]}, code="invalid")
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_CONTROL)
    for _round in range(3):
        stripped = strip_tags(text)
        if stripped == text:
            break
        text = stripped
    # strip_tags leaves a lone "<" followed by a letter alone only when it is not a tag;
    # break any leftover tag opener so no renderer can read one.
    text = re.sub(r"<(?=[A-Za-z!/?])", "‹", text)
    if multiline:
        lines = [line.rstrip() for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    if required and not text:
        raise ValidationError({field: [_("Este campo es obligatorio.")]}, code="required")
    if len(text) > max_length:
        raise ValidationError(
            {field: [_("Máximo %(n)s caracteres (tiene %(m)s).") % {"n": max_length, "m": len(text)}]}, code="max_length"
        )
    return text


def normalise_tag(tag: str) -> str:
    """``#Recetas`` and ``#recetas`` are one tag; accents are kept (``#nutrición``)."""
    return unicodedata.normalize("NFC", tag.strip().lstrip("#")).lower()[:50]


def extract_tags(text: str) -> list[str]:
    seen: list[str] = []
    for match in TAG_RE.finditer(text or ""):
        tag = normalise_tag(match.group(1))
        if tag and tag not in seen and not tag.isdigit():
            seen.append(tag)
        if len(seen) >= MAX_TAGS:
            break
    return seen


def extract_mentions(text: str) -> list[str]:
    seen: list[str] = []
    for match in MENTION_RE.finditer(text or ""):
        name = match.group(1).lower()
        if name not in seen:
            seen.append(name)
        if len(seen) >= MAX_MENTIONS:
            break
    return seen


def render_html(text: str, *, usernames: set[str] | None = None) -> SafeString:
    """Escaped text with line breaks, #tags linked to their page and @mentions linked to the
    profile of a person who exists (``usernames``; None links every well-formed mention)."""
    if not text:
        return mark_safe("")
    escaped = escape(text)

    def tag_link(match):
        tag = normalise_tag(match.group(1))
        url = reverse("social:tag", args=[tag])
        return f'<a class="tag" href="{escape(url)}">#{match.group(1)}</a>'

    def mention_link(match):
        name = match.group(1).lower()
        if usernames is not None and name not in usernames:
            return match.group(0)
        url = reverse("social:profile", args=[name])
        return f'<a class="mention" href="{escape(url)}">@{match.group(1)}</a>'

    # Escaping turned quotes and ampersands into entities; the patterns exclude "&" and "#"
    # before a tag, so "&#x27;" and friends are never read as tags.
    html = TAG_RE.sub(tag_link, escaped)
    html = MENTION_RE.sub(mention_link, html)
    html = html.replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - built from escaped text and our own links
