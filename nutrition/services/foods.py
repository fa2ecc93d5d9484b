"""Writes of the food database: custom foods from a label, their verification by staff.

A custom food is private to its author until staff verify it. Creating one that matches an
existing visible food on name + brand + barcode is refused with DUPLICATE_FOOD (the error
carries the existing id so the page can link to it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nutrition.models import FIXED_NUTRIENTS, Food, FoodPortion, FoodSource
from nutrition.selectors.foods import food_id_parse
from nutrition.sr28 import food_search_text
from nutrition.text import normalize, snake

# Plausible upper bounds per 100 g (pure fat is 900 kcal; salt is 39 g sodium).
LIMITS_PER_100G = {
    "energy_kcal": 902,
    "protein_g": 100,
    "fat_g": 100,
    "carbs_g": 100,
    "fiber_g": 100,
    "sugars_g": 100,
    "sodium_mg": 40000,
    "saturated_fat_g": 100,
    "trans_fat_g": 100,
    "cholesterol_mg": 5000,
}
LABEL_BASES = ("serving", "100g")


def dedupe_key(*, name: str, brand: str = "", barcode: str = "") -> str:
    """Name + brand, normalised; the barcode is matched on its own (same code = same product)."""
    return "|".join((normalize(name), normalize(brand)))[:300]


def _clean_barcode(value) -> str:
    value = str(value or "").strip().replace(" ", "")
    if value and (not value.isdigit() or not 8 <= len(value) <= 14):
        raise ValidationError({"barcode": _("El código de barras debe tener de 8 a 14 dígitos.")})
    return value


def custom_food_clean(data: dict) -> dict:
    """Validate a label and convert it to per-100 g values. Returns model field values."""
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Escribe el nombre del alimento.")
    elif len(name) > 200:
        errors["name"] = _("El nombre es demasiado largo (máximo 200 caracteres).")
    brand = str(data.get("brand") or "").strip()[:120]
    try:
        barcode = _clean_barcode(data.get("barcode"))
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        barcode = ""
    basis = str(data.get("basis") or "100g")
    if basis not in LABEL_BASES:
        errors["basis"] = _("Indica si los valores son por porción o por 100 g.")
    serving = data.get("serving_size_g")
    serving_g = None
    if serving not in (None, ""):
        try:
            serving_g = float(serving)
        except (TypeError, ValueError):
            errors["serving_size_g"] = _("Escribe un número.")
        else:
            if not 0 < serving_g <= 5000:
                errors["serving_size_g"] = _("La porción debe pesar entre 0 y 5000 g.")
                serving_g = None
    if basis == "serving" and serving_g is None and "serving_size_g" not in errors:
        errors["serving_size_g"] = _("Indica cuántos gramos tiene la porción de la etiqueta.")
    factor = (100.0 / serving_g) if basis == "serving" and serving_g else 1.0
    values: dict[str, float | None] = {}
    for field in FIXED_NUTRIENTS:
        raw = data.get(field)
        if raw in (None, ""):
            values[field] = None
            continue
        try:
            number = float(raw)
        except (TypeError, ValueError):
            errors[field] = _("Escribe un número.")
            continue
        if number < 0:
            errors[field] = _("No puede ser negativo.")
            continue
        per_100 = round(number * factor, 3)
        if per_100 > LIMITS_PER_100G[field]:
            errors[field] = _("El valor es imposible para 100 g de alimento; revisa la etiqueta.")
            continue
        values[field] = per_100
    if values.get("energy_kcal") is None and "energy_kcal" not in errors:
        errors["energy_kcal"] = _("Escribe las calorías (kcal) de la etiqueta.")
    macros = sum(values.get(f) or 0 for f in ("protein_g", "fat_g", "carbs_g"))
    if not errors and macros > 100.5:
        errors["carbs_g"] = _("Proteína, grasa y carbohidratos suman más de 100 g por cada 100 g; revisa la etiqueta.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "brand": brand,
        "barcode": barcode,
        "serving_size_g": serving_g,
        "serving_description": str(data.get("serving_description") or "").strip()[:120],
        **values,
    }


def _duplicate_of(*, user, key: str, barcode: str, exclude_pk=None) -> Food | None:
    qs = Food.objects.filter(is_active=True).filter(Q(is_verified=True) | Q(author=user))
    match = Q(dedupe_key=key)
    if barcode:
        match |= Q(barcode=barcode)
    qs = qs.filter(match)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _apply(food: Food, cleaned: dict, language: str) -> None:
    name = cleaned["name"]
    # The author writes the name in their language; it is shown in both until translated.
    food.name_es = name
    food.name_en = name
    food.brand = cleaned["brand"]
    food.barcode = cleaned["barcode"]
    food.serving_size_g = cleaned["serving_size_g"]
    food.serving_description = cleaned["serving_description"]
    for field in FIXED_NUTRIENTS:
        setattr(food, field, cleaned[field])
    food.name_normalized = snake(name)
    food.search_text = food_search_text(name_es=name, synonyms="", name_en="", brand=food.brand)
    food.dedupe_key = dedupe_key(name=name, brand=food.brand, barcode=food.barcode)


def _sync_serving_portion(food: Food) -> None:
    FoodPortion.objects.filter(food=food).delete()
    if food.serving_size_g:
        FoodPortion.objects.create(
            food=food, seq=1, amount=1, grams=food.serving_size_g,
            description_en=food.serving_description or "serving",
            description_es=food.serving_description or "porción",
        )


@transaction.atomic
def custom_food_create(*, actor, data: dict) -> Food:
    """Add a food from a label (values per serving or per 100 g). Private until verified.
    Raises ValidationError (code DUPLICATE_FOOD, params ``{"food_id": id}``) on a duplicate."""
    cleaned = custom_food_clean(data)
    key = dedupe_key(name=cleaned["name"], brand=cleaned["brand"], barcode=cleaned["barcode"])
    existing = _duplicate_of(user=actor, key=key, barcode=cleaned["barcode"])
    if existing is not None:
        raise ValidationError(
            _("Ya existe «%(name)s» con ese nombre, marca o código de barras.") % {"name": existing.name},
            code="DUPLICATE_FOOD",
            params={"food_id": existing.pk},
        )
    food = Food(source=FoodSource.CUSTOM, author=actor, category="custom", is_verified=False)
    _apply(food, cleaned, actor.language)
    food.save()
    _sync_serving_portion(food)
    return food


def _own_custom_food(actor, food_id) -> Food:
    pk = food_id_parse(food_id)
    food = Food.objects.select_for_update().filter(pk=pk, source=FoodSource.CUSTOM, is_active=True).first()
    if food is None or (food.author_id != actor.pk and not actor.is_staff):
        from nutrition.errors import FoodNotFound

        raise FoodNotFound()
    return food


@transaction.atomic
def custom_food_update(*, actor, food_id, data: dict) -> Food:
    """Correct a custom food. Editing a verified food sends it back to review (unless staff)."""
    food = _own_custom_food(actor, food_id)
    merged = {
        "name": food.name_es, "brand": food.brand, "barcode": food.barcode, "basis": "100g",
        "serving_size_g": food.serving_size_g, "serving_description": food.serving_description,
        **{f: getattr(food, f) for f in FIXED_NUTRIENTS},
        **data,
    }
    cleaned = custom_food_clean(merged)
    key = dedupe_key(name=cleaned["name"], brand=cleaned["brand"], barcode=cleaned["barcode"])
    existing = _duplicate_of(user=actor, key=key, barcode=cleaned["barcode"], exclude_pk=food.pk)
    if existing is not None:
        raise ValidationError(
            _("Ya existe «%(name)s» con ese nombre, marca o código de barras.") % {"name": existing.name},
            code="DUPLICATE_FOOD",
            params={"food_id": existing.pk},
        )
    _apply(food, cleaned, actor.language)
    if not actor.is_staff:
        food.is_verified = False
        food.verified_by = None
        food.verified_at = None
    food.save()
    _sync_serving_portion(food)
    return food


@transaction.atomic
def custom_food_delete(*, actor, food_id) -> None:
    """Hide a custom food. Diary entries keep their snapshot, so history does not change."""
    food = _own_custom_food(actor, food_id)
    food.is_active = False
    food.save(update_fields=["is_active", "updated_at"])


@transaction.atomic
def custom_food_verify(*, actor, food_id, verified: bool = True) -> Food:
    """Staff make a custom food public (or private again)."""
    if not actor.is_staff:
        raise PermissionDenied(_("Solo el personal puede verificar alimentos."))
    food = Food.objects.select_for_update().get(pk=food_id_parse(food_id), source=FoodSource.CUSTOM)
    food.is_verified = verified
    food.verified_by = actor if verified else None
    food.verified_at = timezone.now() if verified else None
    food.save(update_fields=["is_verified", "verified_by", "verified_at", "updated_at"])
    return food
