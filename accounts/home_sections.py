"""Sections higher apps add to the home page without ``accounts`` importing them.

An app registers ``func(request) -> dict | None`` at start-up with an order; the dict is
``{"template": "...", "context": {...}}`` (None hides the section for this person). The home
view renders them in order between the welcome card and the rest.
"""

from __future__ import annotations

from collections.abc import Callable

Section = Callable[..., dict | None]
_SECTIONS: list[tuple[int, str, Section]] = []


def register(name: str, *, order: int = 50):
    def deco(func: Section) -> Section:
        _SECTIONS[:] = [s for s in _SECTIONS if s[1] != name]
        _SECTIONS.append((order, name, func))
        _SECTIONS.sort(key=lambda s: (s[0], s[1]))
        return func

    return deco


def sections_for(request) -> list[dict]:
    rendered = []
    for _order, name, func in _SECTIONS:
        section = func(request)
        if section:
            rendered.append({"name": name, **section})
    return rendered
