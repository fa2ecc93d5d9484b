"""Pure nutrient arithmetic: scaling per-100 g values to an amount and adding them up.

A missing value stays missing (None) instead of becoming zero; sums report how many parts
lacked a value so pages can say "sin dato" or flag partial coverage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nutrition.models import ENTRY_NUTRIENTS

MAX_GRAMS_PER_ENTRY = 5000  # over 5 kg of one food is a typing mistake, not a meal


def scale(per_100g: Mapping[str, float | None], grams: float, fields: Iterable[str] = ENTRY_NUTRIENTS) -> dict:
    """Values for ``grams`` of a food whose values are per 100 g (``None`` stays ``None``)."""
    factor = grams / 100.0
    out = {}
    for field in fields:
        value = per_100g.get(field)
        out[field] = None if value is None else round(value * factor, 3)
    return out


def food_values(food) -> dict:
    """The per-100 g fixed values of a Food as a dict."""
    return {field: getattr(food, field) for field in ENTRY_NUTRIENTS}


def add_up(rows: Iterable[Mapping[str, float | None]], fields: Iterable[str] = ENTRY_NUTRIENTS) -> dict:
    """Sum of the rows per field. A field is None only when no row had a value."""
    fields = list(fields)
    totals: dict[str, float | None] = {f: None for f in fields}
    for row in rows:
        for f in fields:
            value = row.get(f)
            if value is not None:
                totals[f] = (totals[f] or 0.0) + value
    return {f: (None if v is None else round(v, 3)) for f, v in totals.items()}


def macro_split(energy_kcal: float | None, protein_g: float | None, fat_g: float | None, carbs_g: float | None) -> dict:
    """Share of energy from each macro in percent (4/9/4 kcal per gram)."""
    p, f, c = (protein_g or 0) * 4, (fat_g or 0) * 9, (carbs_g or 0) * 4
    total = p + f + c
    if not total:
        return {"protein": 0, "fat": 0, "carbs": 0}
    return {"protein": round(100 * p / total, 1), "fat": round(100 * f / total, 1), "carbs": round(100 * c / total, 1)}
