"""Text normalisation shared by the importer, the search selectors and the services."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9ñ]+")


def normalize(text: str | None) -> str:
    """Lowercase, accent-free, punctuation-free text with single spaces.

    ``"Plátano, crudo"`` -> ``"platano crudo"``. The ñ is folded to n as well, so "pina" finds
    "piña" (people type without accents on phones).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def snake(text: str | None) -> str:
    """``"Apples, raw, with skin"`` -> ``"apples_raw_with_skin"`` (seed 003 name_normalized)."""
    return normalize(text).replace(" ", "_")[:250]
