"""Small presentation helpers for the account templates."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


@register.filter
def device_label(user_agent: str) -> str:
    """ "Chrome · Android" from a User-Agent string (for the sessions lists)."""
    ua = user_agent or ""
    browser = next((name for key, name in _BROWSERS if key in ua), "")
    system = next((name for key, name in _SYSTEMS if key in ua), "")
    label = " · ".join(part for part in (browser, system) if part)
    return label or _("Navegador desconocido")


# ---------------------------------------------------------------------------------------
# icons: the SVG paths live in components/icon_source.html (one `{% if name == ... %}` branch
# per icon); they are parsed once into a dict, because evaluating ~50 comparisons for every
# icon made long pages (a diary day with 40 entries) spend most of their time choosing icons.

_ICON_BRANCH = None


def _icon_paths() -> dict[str, str]:
    global _ICON_BRANCH
    if _ICON_BRANCH is None:
        import re

        from django.template.loader import get_template

        source = get_template("components/icon_source.html").template.source
        found = dict(re.findall(r'{% (?:el)?if name == "([\w-]+)" %}(.*?)(?={% el)', source, re.S))
        default = re.search(r"{% else %}(.*?){% endif %}", source, re.S)
        found[""] = default.group(1) if default else ""
        _ICON_BRANCH = found
    return _ICON_BRANCH


@register.simple_tag
def icon_svg(name: str = "", size: str = ""):
    """The inline SVG of an icon (``{% icon_svg "home" "sm" %}``), decorative (aria-hidden)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    paths = _icon_paths()
    inner = paths.get(name or "", paths[""])
    size_class = f" icon--{escape(size)}" if size else ""
    return mark_safe(  # noqa: S308 - the paths are our own template source, the size is escaped
        f'<svg class="icon{size_class}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
        f'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">{inner}</svg>'
    )
