"""Presentation helpers for nutrition templates (diary, foods, recipes, progress).

A missing value is never shown as zero: ``{{ value|nutri:"g" }}`` prints "sin dato" for
``None``. Numbers follow the active locale (es-MX: ``1,250.5``).
"""

from __future__ import annotations

from django import template
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nutrition.models import EntryUnit

register = template.Library()

# Decimals shown per unit: energy and milligrams as whole numbers, grams with one decimal.
_DECIMALS = {"kcal": 0, "mg": 0, "µg": 1, "mcg": 1, "g": 1, "ml": 0, "%": 0, "kg": 1}

# Units of the fixed nutrient columns.
NUTRIENT_UNITS = {
    "energy_kcal": "kcal",
    "protein_g": "g",
    "fat_g": "g",
    "carbs_g": "g",
    "fiber_g": "g",
    "sugars_g": "g",
    "sodium_mg": "mg",
    "saturated_fat_g": "g",
    "trans_fat_g": "g",
    "cholesterol_mg": "mg",
    "water_ml": "ml",
}


def _label(field: str) -> str:
    # The msgids are listed here so makemessages finds them.
    labels = {
        "energy_kcal": _("Energía"),
        "protein_g": _("Proteína"),
        "fat_g": _("Grasa"),
        "carbs_g": _("Carbohidratos"),
        "fiber_g": _("Fibra"),
        "sugars_g": _("Azúcares"),
        "sodium_mg": _("Sodio"),
        "saturated_fat_g": _("Grasa saturada"),
        "trans_fat_g": _("Grasa trans"),
        "cholesterol_mg": _("Colesterol"),
        "water_ml": _("Agua"),
    }
    return labels.get(field, field)


def number(value, decimals: int | None = 1) -> str:
    """A number in the active locale with grouping, without trailing ``.0``."""
    if value is None:
        return _("sin dato")
    value = float(value)
    if decimals is None:
        decimals = 1
    text = number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if decimals:
        sep = get_format("DECIMAL_SEPARATOR")
        if sep in text:
            text = text.rstrip("0").rstrip(sep)
    return text


@register.filter
def nutri(value, unit: str = "") -> str:
    """``12.34|nutri:"g"`` → "12.3 g"; ``None|nutri:"g"`` → "sin dato"."""
    if value is None or value == "":
        return _("sin dato")
    try:
        float(value)
    except (TypeError, ValueError):
        return _("sin dato")
    text = number(value, _DECIMALS.get(unit, 1))
    return f"{text} {unit}".strip()


@register.filter
def num(value, decimals=1) -> str:
    """A plain localized number (``None`` → "sin dato")."""
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        decimals = 1
    return number(value, decimals)


@register.filter
def nutrient_label(field: str) -> str:
    """"protein_g" → "Proteína"."""
    return _label(field)


@register.filter
def nutrient_unit(field: str) -> str:
    """"protein_g" → "g"."""
    return NUTRIENT_UNITS.get(field, "")


@register.filter
def percent_width(value) -> str:
    """A CSS width between 0 and 100 (``None`` → 0) with a dot as decimal separator."""
    try:
        number_value = float(value or 0)
    except (TypeError, ValueError):
        number_value = 0.0
    return f"{max(0.0, min(100.0, number_value)):.1f}"


@register.filter
def amount_label(entry) -> str:
    """How much was eaten, as the person logged it: "1 taza (172 g)", "150 g",
    "2 equivalentes (60 g)", "1 porción (250 g)", "Registro rápido"."""
    unit = getattr(entry, "unit", EntryUnit.GRAMS)
    quantity = float(getattr(entry, "quantity", 0) or 0)
    grams = getattr(entry, "grams", None)
    grams_text = f" ({number(grams, 0 if grams and grams >= 10 else 1)} g)" if grams else ""
    qty = number(quantity, 2)
    if unit == EntryUnit.QUICK:
        return _("Registro rápido")
    if unit == EntryUnit.GRAMS:
        return f"{number(grams if grams is not None else quantity, 1)} g"
    if unit == EntryUnit.PORTION:
        portion = getattr(entry, "portion", None)
        if portion is None:
            return f"{number(grams, 1)} g" if grams else qty
        base = f"{number(portion.amount, 2)} {portion.description}"
        if quantity == 1:
            return f"{base}{grams_text}"
        return f"{qty} × {base}{grams_text}"
    if unit == EntryUnit.SMAE:
        word = ngettext("equivalente", "equivalentes", 1 if quantity == 1 else 2)
        return f"{qty} {word}{grams_text}"
    if unit == EntryUnit.SERVING:
        word = ngettext("porción", "porciones", 1 if quantity == 1 else 2)
        return f"{qty} {word}{grams_text}"
    return f"{qty}{grams_text}"


@register.filter
def food_category(food) -> str:
    """The food's group in the active language, or its kind for recipes and custom foods.
    Uses only loaded relations (``select_related('group')``) or the plain category."""
    source = getattr(food, "source", "")
    if source == "recipe":
        return _("Receta")
    if source == "custom":
        return _("Personalizado")
    group = food._state.fields_cache.get("group") if hasattr(food, "_state") else None
    if group is not None:
        return group.name
    return _category_label(getattr(food, "category", ""))


def _category_label(category: str) -> str:
    labels = {
        "dairy": _("Lácteos y huevo"),
        "spices": _("Especias y hierbas"),
        "baby_foods": _("Alimentos para bebé"),
        "fats": _("Grasas y aceites"),
        "protein": _("Carnes, aves y pescados"),
        "mixed": _("Platillos"),
        "grains": _("Cereales"),
        "fruits": _("Frutas"),
        "vegetables": _("Verduras"),
        "nuts_seeds": _("Nueces y semillas"),
        "beverages": _("Bebidas"),
        "legumes": _("Leguminosas"),
        "sweets": _("Dulces"),
        "snacks": _("Botanas"),
        "recipes": _("Recetas"),
        "custom": _("Personalizado"),
    }
    return labels.get(category, category or "")


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}``."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
