"""JSON shapes of foods and diary data for the API (seed 003 names: calories, protein, carbs,
fat, fiber, sugar, sodium). Missing values stay ``null``."""

from __future__ import annotations

from nutrition import smae
from nutrition.calc import scale
from nutrition.models import MEAL_TO_SEED, FoodSource

VITAMINS = {
    "vitamin_a": "320", "vitamin_c": "401", "vitamin_d": "328", "vitamin_e": "323", "vitamin_k": "430",
    "thiamin": "404", "riboflavin": "405", "niacin": "406", "vitamin_b6": "415", "folate": "417",
    "vitamin_b12": "418",
}
MINERALS = {
    "calcium": "301", "iron": "303", "magnesium": "304", "phosphorus": "305", "potassium": "306",
    "zinc": "309", "copper": "312", "selenium": "317",
}
_ANIMAL_GROUPS = {"0500", "0700", "1000", "1300", "1500", "1700"}
_ALLERGEN_WORDS = {
    "milk": ("milk", "cheese", "cream", "butter", "yogurt", "whey", "queso", "leche", "crema"),
    "egg": ("egg",),
    "gluten": ("wheat", "barley", "rye", "bread", "pasta", "flour, wheat", "bolillo"),
    "peanut": ("peanut",),
    "tree_nuts": ("almond", "walnut", "pecan", "cashew", "pistachio", "hazelnut"),
    "fish": ("fish", "tuna", "salmon", "tilapia", "sardine", "cod"),
    "shellfish": ("shrimp", "crab", "lobster", "oyster", "clam", "mussel", "scallop"),
    "soy": ("soy", "tofu"),
}


def _round(value, places=2):
    return None if value is None else round(value, places)


def nutrition_basic(values: dict) -> dict:
    return {
        "calories": _round(values.get("energy_kcal"), 1),
        "protein": _round(values.get("protein_g")),
        "carbs": _round(values.get("carbs_g")),
        "fat": _round(values.get("fat_g")),
        "fiber": _round(values.get("fiber_g")),
        "sugar": _round(values.get("sugars_g")),
        "sodium": _round(values.get("sodium_mg"), 1),
    }


def _food_values(food) -> dict:
    return {f: getattr(food, f) for f in (
        "energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sugars_g", "sodium_mg",
        "saturated_fat_g", "trans_fat_g", "cholesterol_mg",
    )}


def serving_sizes(food, *, with_nutrition: bool = False) -> list[dict]:
    rows = []
    values = _food_values(food)
    for portion in food.portions.all():
        row = {
            "id": portion.pk,
            "description": f"{portion.amount:g} {portion.description}",
            "grams": portion.grams,
        }
        if with_nutrition:
            row["nutrition"] = nutrition_basic(scale(values, portion.grams))
        rows.append(row)
    return rows


def smae_payload(food) -> dict | None:
    if not food.smae_group_id or not food.smae_grams:
        return None
    return {"group": food.smae_group_id, "group_name": food.smae_group.name, "grams_per_equivalent": food.smae_grams}


def food_summary(food, *, mine: dict | None = None) -> dict:
    """A search result (seed 003 ``/foods/search`` item)."""
    return {
        "id": food.public_id,
        "name": food.name,
        "name_normalized": food.name_normalized,
        "source": food.source,
        "category": food.category,
        "brand": food.brand or None,
        "is_verified": food.is_verified,
        "nutrition_per_100g": nutrition_basic(_food_values(food)),
        "serving_sizes": serving_sizes(food),
        "smae": smae_payload(food),
        "confidence": 10 if food.is_verified else 5,
        "usage_count": food.usage_count,
        "is_frequent": bool(mine and food.pk in mine),
    }


def dietary_flags(food) -> tuple[list[str], list[str]]:
    """(allergens, dietary_flags) inferred from the SR28 group and the English name; only
    what the data supports (custom foods get none)."""
    if food.source != FoodSource.USDA:
        return [], []
    name = food.name_en.lower()
    allergens = [a for a, words in _ALLERGEN_WORDS.items() if any(w in name for w in words)]
    flags = []
    animal = food.group_id in _ANIMAL_GROUPS or "egg" in allergens or "milk" in allergens
    if food.group_id not in _ANIMAL_GROUPS and not any(a in allergens for a in ("fish", "shellfish")):
        flags.append("vegetarian")
        if not animal and "honey" not in name:
            flags.append("vegan")
    if "gluten" not in allergens and food.group_id in {"0900", "1100", "1600", "1200", "0500", "1000", "1300", "1500"}:
        flags.append("gluten_free")
    if "milk" not in allergens:
        flags.append("dairy_free")
    return allergens, flags


def food_detail(food, *, nutrients: dict | None = None) -> dict:
    """Seed 003 ``/foods/{id}``: everything per 100 g, portions with their nutrition."""
    extra = food.nutrients or {}
    allergens, flags = dietary_flags(food)
    per100 = nutrition_basic(_food_values(food))
    per100.update(
        {
            "saturated_fat": _round(food.saturated_fat_g),
            "trans_fat": _round(food.trans_fat_g),
            "cholesterol": _round(food.cholesterol_mg, 1),
            "vitamins": {k: extra.get(n) for k, n in VITAMINS.items()},
            "minerals": {k: extra.get(n) for k, n in MINERALS.items()},
        }
    )
    payload = {
        "id": food.public_id,
        "name": food.name,
        "name_es": food.name_es or None,
        "name_en": food.name_en,
        "name_normalized": food.name_normalized,
        "source": food.source,
        "source_version": food.source_version or None,
        "external_id": food.external_id or None,
        "category": food.category,
        "group": food.group.name if food.group_id else None,
        "brand": food.brand or None,
        "barcode": food.barcode or None,
        "is_verified": food.is_verified,
        "nutrition_per_100g": per100,
        "serving_sizes": serving_sizes(food, with_nutrition=True),
        "smae": smae_payload(food),
        "allergens": allergens,
        "dietary_flags": flags,
        "usage_count": food.usage_count,
        "last_updated": food.updated_at.isoformat(),
    }
    if nutrients is not None:
        payload["nutrients"] = [
            {"number": number, "name": nutrients[number].name, "unit": nutrients[number].unit, "value": value}
            for number, value in sorted(extra.items(), key=lambda kv: nutrients[kv[0]].sort_order if kv[0] in nutrients else 0)
            if number in nutrients
        ]
    return payload


def entry_payload(entry) -> dict:
    return {
        "id": entry.pk,
        "date": entry.date.isoformat(),
        "meal": entry.meal,
        "meal_type": MEAL_TO_SEED.get(entry.meal),
        "food_id": entry.food.public_id if entry.food_id and entry.food else None,
        "recipe_id": entry.recipe_id,
        "name": entry.food.name if entry.food_id and entry.food else entry.name,
        "unit": entry.unit,
        "quantity": entry.quantity,
        "portion_id": entry.portion_id,
        "grams": entry.grams,
        "note": entry.note,
        "nutrition": nutrition_basic({f: getattr(entry, f) for f in (
            "energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sugars_g", "sodium_mg")}),
        "created_at": entry.created_at.isoformat(),
    }


def targets_payload(targets) -> dict:
    data = targets.as_dict()
    return {
        "calories": data["energy_kcal"], "protein": data["protein_g"], "fat": data["fat_g"],
        "carbs": data["carbs_g"], "fiber": data["fiber_g"], "sodium": data["sodium_mg"],
        "water_ml": data["water_ml"], "bmr": data["bmr"], "tdee": data["tdee"],
        "complete": data["complete"], "missing_profile_fields": data["missing"],
        "overridden": data["overridden"],
    }


_PROGRESS_NAMES = {"energy_kcal": "calories", "protein_g": "protein", "fat_g": "fat", "carbs_g": "carbs",
                   "fiber_g": "fiber", "sodium_mg": "sodium"}


def day_payload(day) -> dict:
    return {
        "date": day.date.isoformat(),
        "totals": nutrition_basic(day.totals),
        "targets": targets_payload(day.targets),
        "progress": {_PROGRESS_NAMES[r["field"]]: r["percent"] for r in day.progress},
        "macro_split": day.macro_split,
        "equivalents": day.equivalents,
        "equivalents_text": ", ".join(r["label"] for r in day.equivalents),
        "meals": [
            {
                "meal": block.code,
                "label": str(block.label),
                "totals": nutrition_basic(block.totals),
                "equivalents": block.equivalents,
                "entries": [entry_payload(e) for e in block.entries],
            }
            for block in day.meals
        ],
        "water": {"total_ml": day.water_ml, "logs": [{"id": w.pk, "ml": w.ml} for w in day.water_logs]},
        "exercise": {
            "total_kcal": day.exercise_kcal,
            "logs": [
                {"id": x.pk, "activity_code": x.activity_id, "name": x.activity.name if x.activity_id else x.name,
                 "minutes": x.minutes, "calories": x.energy_kcal}
                for x in day.exercise
            ],
        },
        "weight": (
            {"id": day.weight.pk, "weight_kg": float(day.weight.weight_kg)} if day.weight is not None else None
        ),
        "entries_count": day.entry_count,
    }


def equivalents_payload(equivalents: dict) -> dict:
    return {"equivalents": smae.as_list(equivalents), "text": smae.as_text(equivalents)}
