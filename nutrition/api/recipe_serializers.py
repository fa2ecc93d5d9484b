"""JSON shapes of recipes for the API (seed 000 §4.5 names) and the input serializers that
document the request bodies in OpenAPI. Nutrition is computed by the services; clients never
send it. Missing values stay ``null``."""

from __future__ import annotations

from rest_framework import serializers

from nutrition import smae
from nutrition.models import DietaryTag, Difficulty, Meal, RecipeMealType
from nutrition.services.recipes import ingredient_has_data


def _round(value, places=1):
    return None if value is None else round(value, places)


def _photo_url(request, field) -> str | None:
    if not field:
        return None
    url = field.url
    return request.build_absolute_uri(url) if request is not None else url


def author_payload(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "full_name": user.full_name, "user_type": user.user_type}


def nutrition_basic(nutrition: dict) -> dict:
    return {
        "calories": _round(nutrition.get("energy_kcal")),
        "protein_g": _round(nutrition.get("protein_g")),
        "carbs_g": _round(nutrition.get("carbs_g")),
        "fat_g": _round(nutrition.get("fat_g")),
    }


def nutrition_full(nutrition: dict) -> dict:
    return {
        **nutrition_basic(nutrition),
        "fiber_g": _round(nutrition.get("fiber_g")),
        "sugar_g": _round(nutrition.get("sugars_g")),
        "sodium_mg": _round(nutrition.get("sodium_mg"), 0),
        "saturated_fat_g": _round(nutrition.get("saturated_fat_g")),
        "cholesterol_mg": _round(nutrition.get("cholesterol_mg"), 0),
    }


def marks_payload(marks) -> dict:
    if marks is None:
        return {"saved": False, "tried": False, "rating": None, "comment": ""}
    return {"saved": marks.saved, "tried": marks.tried, "rating": marks.rating, "comment": marks.comment}


def recipe_summary(recipe, *, request=None, marks=None) -> dict:
    """A list item (seed 000 ``GET /recipes``) plus state the app needs to draw a card."""
    nutrition = recipe.nutrition or {}
    return {
        "id": recipe.pk,
        "slug": recipe.slug,
        "title": recipe.display_title,
        "description": recipe.display_description,
        "main_photo_url": _photo_url(request, recipe.main_photo),
        "author": author_payload(recipe.author),
        "author_type": recipe.author_type or None,
        "is_system": recipe.is_system,
        "is_verified": recipe.is_verified,
        "meal_type": recipe.meal_type,
        "cuisine_type": recipe.cuisine_type,
        "dietary_tags": recipe.dietary_tags,
        "difficulty": recipe.difficulty,
        "prep_time_min": recipe.prep_time_min,
        "cook_time_min": recipe.cook_time_min,
        "total_time_min": recipe.total_time_min,
        "servings": recipe.servings,
        "nutrition_per_serving": nutrition_basic(nutrition),
        "coverage_pct": nutrition.get("coverage_pct"),
        "rating_average": float(recipe.rating_average),
        "rating_count": recipe.rating_count,
        "tried_count": recipe.tried_count,
        "saves_count": recipe.saves_count,
        "is_published": recipe.is_published,
        "moderation_status": recipe.moderation_status,
        "is_featured": recipe.is_featured,
        "is_trending": recipe.is_trending,
        "is_seasonal": recipe.is_seasonal,
        "is_traditional_mexican": recipe.is_traditional_mexican,
        "me": marks_payload(marks),
        "created_at": recipe.created_at.isoformat(),
    }


def equivalents_payload(nutrition: dict) -> dict:
    """SMAE equivalents per serving, labels in the request's language."""
    raw = nutrition.get("equivalents_raw") or {}
    rows = smae.as_list(raw) if raw else []
    return {"list": rows, "text": smae.as_text(raw) if rows else ""}


def recipe_detail(recipe, *, request=None, marks=None, viewer=None) -> dict:
    """Everything about one recipe: ingredients with their data flag, steps, per-serving
    nutrition with coverage and what is missing, SMAE equivalents, the viewer's marks."""
    nutrition = recipe.nutrition or {}
    payload = recipe_summary(recipe, request=request, marks=marks)
    payload.update(
        {
            "title_es": recipe.title,
            "title_en": recipe.title_en or None,
            "description_es": recipe.description,
            "description_en": recipe.description_en or None,
            "ingredients": [
                {
                    "id": ing.pk,
                    "position": ing.position,
                    "food_id": ing.food.public_id if ing.food_id and ing.food else None,
                    "food_name": ing.food.name if ing.food_id and ing.food else None,
                    "name": ing.name,
                    "quantity": ing.quantity,
                    "unit": ing.unit,
                    "grams": ing.grams,
                    "note": ing.note,
                    "is_optional": ing.is_optional,
                    "substitutions": ing.substitutions,
                    "has_data": ingredient_has_data(ing),
                }
                for ing in recipe.ingredients.all()
            ],
            "instructions": [
                {
                    "step_number": step.number,
                    "instruction": step.instruction,
                    "photo_url": _photo_url(request, step.photo),
                    "duration_min": step.duration_min,
                }
                for step in recipe.steps.all()
            ],
            "gallery_photos": [_photo_url(request, p.image) for p in recipe.gallery.all()],
            "video_url": recipe.video_url or None,
            "nutrition_per_serving": nutrition_full(nutrition),
            "coverage_pct": nutrition.get("coverage_pct"),
            "missing_ingredients": nutrition.get("missing", []),
            "optional_ingredients": nutrition.get("optional", []),
            "equivalents": equivalents_payload(nutrition),
            "serving_g": nutrition.get("serving_g"),
            "cooked_yield_g": recipe.cooked_yield_g,
            "cost_estimate_mxn": recipe.cost_estimate_mxn,
            "cost_level": recipe.cost_level or None,
            "region_origin": recipe.region_origin or None,
            "history_story": recipe.history_story or None,
            "chef_tips": recipe.chef_tips,
            "storage_instructions": recipe.storage_instructions or None,
            "reheating_instructions": recipe.reheating_instructions or None,
            "tags": recipe.tags,
            "season": recipe.season or None,
            "verified_by": author_payload(recipe.verified_by) if recipe.verified_by_id else None,
            "verified_at": recipe.verified_at.isoformat() if recipe.verified_at else None,
            "published_at": recipe.published_at.isoformat() if recipe.published_at else None,
            "updated_at": recipe.updated_at.isoformat(),
            "diary_food_id": recipe.food.public_id if recipe.food_id and recipe.food else None,
        }
    )
    owner = viewer is not None and (viewer.is_staff or (recipe.author_id and recipe.author_id == viewer.pk))
    payload["moderation_notes"] = (recipe.moderation_notes or None) if owner else None
    return payload


# ---------------------------------------------------------------------------------------
# request bodies (documentation; the services validate)


class IngredientInput(serializers.Serializer):
    food_id = serializers.CharField(required=False, help_text="Id del alimento (123 o usda_123).")
    quantity = serializers.FloatField(required=False)
    unit = serializers.CharField(required=False, help_text="g, kg o texto libre (piezas, tazas).")
    grams = serializers.FloatField(required=False, help_text="Peso en gramos; necesario para calcular la nutrición "
                                                               "si la unidad no es g/kg ni portion_id.")
    portion_id = serializers.IntegerField(required=False, help_text="Porción casera del alimento.")
    name = serializers.CharField(required=False)
    note = serializers.CharField(required=False)
    is_optional = serializers.BooleanField(required=False)
    substitutions = serializers.ListField(child=serializers.CharField(), required=False)


class StepInput(serializers.Serializer):
    instruction = serializers.CharField()
    duration_min = serializers.IntegerField(required=False)


class RecipeInput(serializers.Serializer):
    title = serializers.CharField()
    title_en = serializers.CharField(required=False)
    description = serializers.CharField(required=False)
    meal_type = serializers.ChoiceField(choices=RecipeMealType.choices)
    cuisine_type = serializers.CharField(required=False)
    dietary_tags = serializers.ListField(child=serializers.ChoiceField(choices=DietaryTag.choices), required=False)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False)
    prep_time_min = serializers.IntegerField(required=False)
    cook_time_min = serializers.IntegerField(required=False)
    servings = serializers.IntegerField()
    cooked_yield_g = serializers.FloatField(required=False)
    cost_estimate_mxn = serializers.IntegerField(required=False)
    cost_level = serializers.CharField(required=False)
    is_traditional_mexican = serializers.BooleanField(required=False)
    region_origin = serializers.CharField(required=False)
    history_story = serializers.CharField(required=False)
    chef_tips = serializers.ListField(child=serializers.CharField(), required=False)
    storage_instructions = serializers.CharField(required=False)
    reheating_instructions = serializers.CharField(required=False)
    video_url = serializers.URLField(required=False)
    ingredients = IngredientInput(many=True)
    instructions = StepInput(many=True)
    files = serializers.ListField(child=serializers.ImageField(), required=False,
                                  help_text="multipart: fotos; la primera es la principal.")


class RateInput(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5, help_text="También se acepta «rating».")
    comment = serializers.CharField(required=False, allow_blank=True)


class LogInput(serializers.Serializer):
    servings = serializers.FloatField(required=False, default=1)
    meal = serializers.ChoiceField(choices=Meal.choices, help_text="También breakfast, lunch, dinner, snack.")
    date = serializers.DateField(required=False)


class ModerateInput(serializers.Serializer):
    approve = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True)


class VerifyInput(serializers.Serializer):
    verified = serializers.BooleanField(required=False, default=True)
