"""SMAE exchange arithmetic: how many equivalents a portion, a meal or a day represents.

A food with an SMAE group and the grams of one equivalent counts ``grams / smae_grams``
equivalents of its group. Foods without a group (mixed dishes, custom foods) fall back to
seed 000's simplified rule: cereals = carbs / 15, AOA = protein / 7, fats = fat / 5.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from nutrition.models import SmaeGroup, is_spanish

FALLBACK_RULE = (
    ("cereales_sin_grasa", "carbs_g", 15.0),
    ("aoa_bajo", "protein_g", 7.0),
    ("grasas_sin_proteina", "fat_g", 5.0),
)


def food_equivalents(food, grams: float) -> dict[str, float]:
    """{smae_group_code: equivalents} for ``grams`` of ``food``."""
    if grams is None or grams <= 0:
        return {}
    if food.smae_group_id and food.smae_grams:
        return {food.smae_group_id: grams / food.smae_grams}
    values = {"carbs_g": food.carbs_g, "protein_g": food.protein_g, "fat_g": food.fat_g}
    return nutrient_equivalents({k: (v or 0) * grams / 100 for k, v in values.items()})


def nutrient_equivalents(values: dict) -> dict[str, float]:
    """Seed 000's fallback from grams of carbs, protein and fat already eaten."""
    out = {}
    for code, field, per in FALLBACK_RULE:
        amount = values.get(field) or 0
        if amount > 0:
            out[code] = amount / per
    return out


def merge(parts: Iterable[dict[str, float]]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for part in parts:
        for code, count in part.items():
            totals[code] += count
    return dict(totals)


def round_half(value: float) -> float:
    """Equivalents are planned in halves."""
    return round(value * 2) / 2


_GROUPS_CACHE: dict[str, SmaeGroup] | None = None


def groups() -> dict[str, SmaeGroup]:
    global _GROUPS_CACHE
    if _GROUPS_CACHE is None:
        _GROUPS_CACHE = {g.code: g for g in SmaeGroup.objects.all()}
    return _GROUPS_CACHE


def as_list(equivalents: dict[str, float], *, minimum: float = 0.25) -> list[dict]:
    """Ordered list for templates and the API: code, name, count (rounded to halves), label."""
    known = groups()
    rows = []
    for code, count in equivalents.items():
        if count < minimum:
            continue
        group = known.get(code)
        rounded = max(0.5, round_half(count))
        rows.append(
            {
                "group": code,
                "name": group.name if group else code,
                "count": round(count, 2),
                "rounded": rounded,
                "label": label_one(code, rounded),
                "order": group.sort_order if group else 99,
            }
        )
    rows.sort(key=lambda r: r["order"])
    for r in rows:
        r.pop("order")
    return rows


def label_one(code: str, count: float) -> str:
    group = groups().get(code)
    if group is None:
        return f"{count:g} {code}"
    singular, plural = (group.short_es if is_spanish() else group.short_en).split("|")
    word = singular if count <= 1 else plural
    number = f"{count:g}".replace(".5", "½") if count != 0.5 else "½"
    if number.startswith("0"):
        number = number[1:]
    return f"{number} {word}"


def as_text(equivalents: dict[str, float]) -> str:
    """"2 cereales, 1 AOA muy bajo aporte de grasa, 1 verdura" (seed 000's format)."""
    rows = as_list(equivalents)
    if not rows:
        return _("sin equivalentes")
    return ", ".join(r["label"] for r in rows)
