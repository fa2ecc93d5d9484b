"""Writes of recipes: create, edit, delete, moderate, verify, rate, save, "lo preparé", log a
serving to the diary, the nutrition computed from the ingredients, and the loader of the
Mexican system recipes (``data/mexican_dishes.json``).

Nutrition is never typed in: ``recipe_nutrition_refresh`` adds up the SR28 (or custom) values
of each ingredient's grams, divides by the servings and records which ingredients had no data
("sin dato"), so a missing value is flagged instead of counting as zero. Each recipe also has
a diary ``Food`` (source ``recipe``) whose per-100 g values and "1 porción" portion come from
the same numbers, so a serving is logged like any other food and shows up in food search.

Every page, API view and the admin call these functions. They raise ``ValidationError``
(field keys like ``ingredients.0.grams``; upper-case codes become API error codes),
``PermissionDenied`` or ``RecipeNotFound`` (404). Nothing is written when validation fails.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nutrition import smae
from nutrition.calc import MAX_GRAMS_PER_ENTRY, add_up, scale
from nutrition.errors import FoodNotFound
from nutrition.models import (
    FIXED_NUTRIENTS,
    CostLevel,
    Cuisine,
    DietaryTag,
    Difficulty,
    EntryUnit,
    Food,
    FoodPortion,
    FoodSource,
    Moderation,
    Recipe,
    RecipeIngredient,
    RecipeMealType,
    RecipePhoto,
    RecipeRating,
    RecipeSave,
    RecipeStep,
    RecipeTried,
    Season,
)
from nutrition.reference import DATA_DIR
from nutrition.selectors.foods import food_get
from nutrition.selectors.recipes import recipe_get
from nutrition.text import normalize, snake

logger = logging.getLogger(__name__)

MAX_INGREDIENTS = 60
MAX_STEPS = 40
MAX_PHOTOS = 8
MAX_TIPS = 12
MAX_YIELD_G = 50000
# Page paths under /nutricion/recetas/ that a slug must not take.
RESERVED_SLUGS = {"nueva", "ingrediente", "paso", "moderacion", "mias", "guardadas"}
GRAM_UNITS = {"g", "gr", "grs", "gramo", "gramos", "gram", "grams"}
KILO_UNITS = {"kg", "kilo", "kilos", "kilogramo", "kilogramos"}
NUTRITION_FIELDS = list(FIXED_NUTRIENTS)
FREE_SMAE_GROUP = "libres"
# Every scalar the recipe form and the API may set.
TEXT_LIMITS = {
    "title": 200,
    "title_en": 200,
    "description": 5000,
    "description_en": 5000,
    "region_origin": 100,
    "history_story": 5000,
    "storage_instructions": 2000,
    "reheating_instructions": 2000,
}
STAFF_FLAGS = ("is_featured", "is_trending", "is_seasonal")


# ---------------------------------------------------------------------------------------
# validation helpers


def truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "si", "sí", "yes")


def _number(value, *, field: str, errors: dict, minimum: float, maximum: float, integer: bool = False):
    """A number within [minimum, maximum], None when blank; records an error otherwise."""
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", ".")) if not isinstance(value, (int, float)) else float(value)
    except (TypeError, ValueError):
        errors[field] = _("Escribe un número.")
        return None
    if number != number:  # NaN
        errors[field] = _("Escribe un número.")
        return None
    if integer:
        if number != int(number):
            errors[field] = _("Escribe un número entero.")
            return None
        number = int(number)
    if not minimum <= number <= maximum:
        errors[field] = _("Escribe un valor entre %(low)s y %(high)s.") % {"low": f"{minimum:g}", "high": f"{maximum:g}"}
        return None
    return number


def _as_list(value) -> list:
    """A list from a list, a JSON string or a newline / comma separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                return [text]
            return parsed if isinstance(parsed, list) else [parsed]
        separator = "\n" if "\n" in text else ","
        return [part.strip() for part in text.split(separator) if part.strip()]
    return [value]


def _string_list(value, *, field: str, errors: dict, max_items: int, max_len: int) -> list[str]:
    items = [str(v).strip() for v in _as_list(value) if str(v).strip()]
    if len(items) > max_items:
        errors[field] = _("Máximo %(n)s elementos.") % {"n": max_items}
        return []
    if any(len(v) > max_len for v in items):
        errors[field] = _("Cada elemento puede tener hasta %(n)s caracteres.") % {"n": max_len}
        return []
    return items


def _choice(value, choices, *, field: str, errors: dict, default: str = "", required: bool = False) -> str:
    text = str(value or "").strip().lower()
    if not text:
        if required and not default:
            errors[field] = _("Elige una opción.")
        return default
    if text not in choices.values:
        errors[field] = _("Opción no válida. Usa: %(v)s.") % {"v": ", ".join(choices.values)}
        return default
    return text


def _scalars_clean(data: dict, *, actor, current: dict) -> dict:
    """Validate the recipe's own fields. ``current`` holds the values being edited (empty on
    create); keys missing from ``data`` keep their current value."""
    errors: dict[str, str] = {}

    def pick(key, default=None):
        return data[key] if key in data else current.get(key, default)

    out: dict = {}
    for key, limit in TEXT_LIMITS.items():
        text = str(pick(key, "") or "").strip()
        if len(text) > limit:
            errors[key] = _("Máximo %(n)s caracteres.") % {"n": limit}
        out[key] = text
    if not out["title"]:
        errors["title"] = _("Escribe el nombre de la receta.")
    out["meal_type"] = _choice(pick("meal_type"), RecipeMealType, field="meal_type", errors=errors, required=True)
    out["cuisine_type"] = _choice(pick("cuisine_type"), Cuisine, field="cuisine_type", errors=errors,
                                  default=Cuisine.MEXICANA)
    out["difficulty"] = _choice(pick("difficulty"), Difficulty, field="difficulty", errors=errors,
                                default=Difficulty.FACIL)
    out["cost_level"] = _choice(pick("cost_level"), CostLevel, field="cost_level", errors=errors)
    out["season"] = _choice(pick("season"), Season, field="season", errors=errors)

    tags = []
    for tag in _as_list(pick("dietary_tags", [])):
        tag = str(tag).strip().lower()
        if not tag:
            continue
        if tag not in DietaryTag.values:
            errors["dietary_tags"] = _("Etiqueta dietética no válida: %(t)s.") % {"t": tag}
            break
        if tag not in tags:
            tags.append(tag)
    out["dietary_tags"] = tags
    out["tags"] = [t.lower() for t in _string_list(pick("tags", []), field="tags", errors=errors, max_items=20,
                                                   max_len=40)]
    out["chef_tips"] = _string_list(pick("chef_tips", []), field="chef_tips", errors=errors, max_items=MAX_TIPS,
                                    max_len=500)

    out["prep_time_min"] = _number(pick("prep_time_min"), field="prep_time_min", errors=errors, minimum=0,
                                   maximum=1440, integer=True) or 0
    out["cook_time_min"] = _number(pick("cook_time_min"), field="cook_time_min", errors=errors, minimum=0,
                                   maximum=2880, integer=True) or 0
    servings = _number(pick("servings"), field="servings", errors=errors, minimum=1, maximum=100, integer=True)
    if servings is None and "servings" not in errors:
        errors["servings"] = _("Indica para cuántas porciones alcanza la receta.")
    out["servings"] = servings or 1
    out["cooked_yield_g"] = _number(pick("cooked_yield_g"), field="cooked_yield_g", errors=errors, minimum=1,
                                    maximum=MAX_YIELD_G)
    out["cost_estimate_mxn"] = _number(pick("cost_estimate_mxn"), field="cost_estimate_mxn", errors=errors,
                                       minimum=0, maximum=100000, integer=True)
    out["is_traditional_mexican"] = truthy(pick("is_traditional_mexican", False))
    video = str(pick("video_url", "") or "").strip()
    if video:
        try:
            URLValidator(schemes=["http", "https"])(video)
        except ValidationError:
            errors["video_url"] = _("Escribe una dirección web válida (https://...).")
        if len(video) > 200:
            errors["video_url"] = _("Máximo %(n)s caracteres.") % {"n": 200}
    out["video_url"] = video
    if actor is not None and actor.is_staff:
        for flag in STAFF_FLAGS:
            out[flag] = truthy(pick(flag, False))
    if errors:
        raise ValidationError(errors)
    out["total_time_min"] = out["prep_time_min"] + out["cook_time_min"]
    return out


def _ingredient_grams(*, food, quantity, unit: str, portion_id, errors: dict, prefix: str):
    """Grams of an ingredient from its quantity and unit (g, kg or one of the food's
    household portions); None when they do not say the weight. Returns (grams, unit label)."""
    if portion_id not in (None, ""):
        if food is None:
            errors[f"{prefix}.portion_id"] = _("Elige primero el alimento.")
            return None, unit
        portion = next((p for p in food.portions.all() if str(p.pk) == str(portion_id)), None)
        if portion is None:
            errors[f"{prefix}.portion_id"] = _("Elige una porción de este alimento.")
            return None, unit
        if quantity is None:
            errors[f"{prefix}.quantity"] = _("Escribe la cantidad.")
            return None, unit
        return round(quantity * portion.grams, 2), unit or portion.description
    key = normalize(unit)
    if quantity is not None and key in GRAM_UNITS:
        return quantity, unit
    if quantity is not None and key in KILO_UNITS:
        return quantity * 1000, unit
    return None, unit


def _ingredients_clean(items, *, actor, errors: dict) -> list[dict]:
    """Validate ingredient rows: a food of the database (one the author may see) and/or a
    name; the weight in grams (given, or from g/kg/a household portion)."""
    if isinstance(items, str):
        try:
            items = json.loads(items)
        except ValueError:
            errors["ingredients"] = _("Los ingredientes no tienen un formato válido.")
            return []
    items = [i for i in (items or []) if i not in (None, "", {})]
    if not items:
        errors["ingredients"] = _("Agrega al menos un ingrediente.")
        return []
    if len(items) > MAX_INGREDIENTS:
        errors["ingredients"] = _("Máximo %(n)s ingredientes.") % {"n": MAX_INGREDIENTS}
        return []
    rows = []
    for index, item in enumerate(items):
        prefix = f"ingredients.{index}"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            errors[prefix] = _("Cada ingrediente debe ser un objeto con nombre, cantidad y unidad.")
            continue
        food = None
        food_id = item.get("food_id")
        if food_id not in (None, ""):
            try:
                food = food_get(user=actor, food_id=food_id)
            except FoodNotFound:
                errors[f"{prefix}.food_id"] = _("Ingrediente %(n)s: alimento no encontrado en la base de datos.") % {
                    "n": index + 1
                }
        name = str(item.get("name") or item.get("name_es") or "").strip()
        if not name and food is not None:
            name = food.name
        if not name and f"{prefix}.food_id" not in errors:
            errors[f"{prefix}.name"] = _("Ingrediente %(n)s: escribe su nombre o elige un alimento.") % {"n": index + 1}
        if len(name) > 200:
            errors[f"{prefix}.name"] = _("Máximo %(n)s caracteres.") % {"n": 200}
        local: dict[str, str] = {}
        quantity = _number(item.get("quantity"), field=f"{prefix}.quantity", errors=local, minimum=0, maximum=100000)
        unit = str(item.get("unit") or "").strip()[:40]
        grams = _number(item.get("grams"), field=f"{prefix}.grams", errors=local, minimum=0.01,
                        maximum=MAX_GRAMS_PER_ENTRY)
        if grams is None and f"{prefix}.grams" not in local:
            grams, unit = _ingredient_grams(food=food, quantity=quantity, unit=unit,
                                            portion_id=item.get("portion_id"), errors=local, prefix=prefix)
            if grams is not None and grams > MAX_GRAMS_PER_ENTRY:
                local[f"{prefix}.quantity"] = _("Son más de 5 kg de un ingrediente; revisa la cantidad.")
                grams = None
        errors.update(local)
        note = str(item.get("note") or item.get("notes") or "").strip()
        if len(note) > 200:
            errors[f"{prefix}.note"] = _("Máximo %(n)s caracteres.") % {"n": 200}
        subs = _string_list(item.get("substitutions"), field=f"{prefix}.substitutions", errors=errors, max_items=10,
                            max_len=200)
        rows.append(
            {
                "position": index,
                "food": food,
                "name": name[:200],
                "quantity": quantity,
                "unit": unit,
                "grams": grams,
                "note": note[:200],
                "is_optional": truthy(item.get("is_optional", item.get("optional", False))),
                "substitutions": subs,
            }
        )
    if rows and not errors and not any(r["grams"] and not r["is_optional"] for r in rows):
        errors["ingredients"] = _(
            "Indica el peso en gramos de al menos un ingrediente (no opcional) para calcular la nutrición."
        )
    return rows


def _steps_clean(items, *, errors: dict) -> list[dict]:
    if isinstance(items, str):
        text = items.strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError:
                errors["instructions"] = _("Los pasos no tienen un formato válido.")
                return []
        else:
            items = [line.strip() for line in text.splitlines() if line.strip()]
    items = [i for i in (items or []) if i not in (None, "", {})]
    if not items:
        errors["instructions"] = _("Escribe al menos un paso de preparación.")
        return []
    if len(items) > MAX_STEPS:
        errors["instructions"] = _("Máximo %(n)s pasos.") % {"n": MAX_STEPS}
        return []
    rows = []
    for index, item in enumerate(items):
        prefix = f"instructions.{index}"
        if isinstance(item, str):
            item = {"instruction": item}
        if not isinstance(item, dict):
            errors[prefix] = _("Cada paso debe tener su instrucción.")
            continue
        text = str(item.get("instruction") or item.get("text") or "").strip()
        if not text:
            errors[f"{prefix}.instruction"] = _("Paso %(n)s: escribe la instrucción.") % {"n": index + 1}
        elif len(text) > 2000:
            errors[f"{prefix}.instruction"] = _("Máximo %(n)s caracteres.") % {"n": 2000}
        duration = _number(item.get("duration_min"), field=f"{prefix}.duration_min", errors=errors, minimum=0,
                           maximum=1440, integer=True)
        rows.append({"number": index + 1, "instruction": text, "duration_min": duration,
                     "photo": item.get("photo") or None, "keep_photo": item.get("keep_photo", True)})
    return rows


def _images_clean(files, *, field: str, errors: dict) -> list:
    from config.uploads import image_clean

    cleaned = []
    files = [f for f in (files or []) if f]
    if len(files) > MAX_PHOTOS:
        errors[field] = _("Máximo %(n)s fotos.") % {"n": MAX_PHOTOS}
        return []
    for upload in files:
        try:
            cleaned.append(image_clean(upload))
        except ValidationError as exc:
            errors[field] = exc.messages[0]
            return []
    return cleaned


def _step_photos_clean(steps: list[dict], errors: dict) -> None:
    from config.uploads import image_clean

    for index, step in enumerate(steps):
        if step["photo"] is not None and not isinstance(step["photo"], str):
            try:
                step["photo"] = image_clean(step["photo"])
            except ValidationError as exc:
                errors[f"instructions.{index}.photo"] = exc.messages[0]
        elif isinstance(step["photo"], str):
            step["photo"] = None  # a URL or name is not an upload


# ---------------------------------------------------------------------------------------
# writing helpers


def _author_type(actor) -> str:
    if actor.has_role("nutritionist"):
        return "nutritionist"
    if actor.is_staff or actor.user_type == "admin":
        return "admin"
    return "patient"


def _slug_for(title: str, *, exclude_pk=None) -> str:
    base = (slugify(title) or "receta")[:120].strip("-") or "receta"
    candidate = base
    taken = Recipe.objects.filter(slug=candidate)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if candidate in RESERVED_SLUGS or candidate.isdigit() or taken.exists():
        candidate = f"{base}-{uuid.uuid4().hex[:6]}"
    return candidate


def recipe_search_text(recipe: Recipe, ingredient_names) -> str:
    """The accent-free text the list search reads: title first (relevance ranks a title that
    starts with the query first), then the English title, description, tags, dietary tags
    (code and Spanish name), meal type, region and ingredient names."""
    with translation.override("es-mx"):
        tag_names = [str(DietaryTag(t).label) for t in recipe.dietary_tags if t in DietaryTag.values]
        meal = str(RecipeMealType(recipe.meal_type).label) if recipe.meal_type in RecipeMealType.values else ""
    parts = [
        recipe.title, recipe.title_en, recipe.description, " ".join(recipe.tags or []),
        " ".join(recipe.dietary_tags or []).replace("_", " "), " ".join(tag_names), meal, recipe.region_origin,
        " ".join(n for n in ingredient_names if n),
    ]
    return normalize(" ".join(p for p in parts if p))


def _ingredients_write(recipe: Recipe, rows: list[dict]) -> None:
    recipe.ingredients.all().delete()
    RecipeIngredient.objects.bulk_create(
        [
            RecipeIngredient(
                recipe=recipe, position=r["position"], food=r["food"], name=r["name"], quantity=r["quantity"],
                unit=r["unit"], grams=r["grams"], note=r["note"], is_optional=r["is_optional"],
                substitutions=r["substitutions"],
            )
            for r in rows
        ]
    )


def _steps_write(recipe: Recipe, rows: list[dict]) -> None:
    old_photos = {s.number: s.photo.name for s in recipe.steps.all() if s.photo}
    recipe.steps.all().delete()
    for r in rows:
        step = RecipeStep(recipe=recipe, number=r["number"], instruction=r["instruction"],
                          duration_min=r["duration_min"])
        if r["photo"] is not None:
            step.photo.save(r["photo"].name, r["photo"], save=False)
        elif r.get("keep_photo", True) and r["number"] in old_photos:
            step.photo.name = old_photos[r["number"]]
        step.save()


def _photos_write(recipe: Recipe, images: list) -> None:
    if not images:
        return
    first, rest = images[0], images[1:]
    recipe.main_photo.save(first.name, first, save=False)
    recipe.save(update_fields=["main_photo", "updated_at"])
    start = recipe.gallery.count()
    for offset, image in enumerate(rest):
        photo = RecipePhoto(recipe=recipe, position=start + offset)
        photo.image.save(image.name, image, save=False)
        photo.save()


def _own_recipe(actor, recipe_id, *, for_update: bool = True) -> Recipe:
    """A recipe the actor may change (its author, or staff); a recipe they cannot see is
    ``RecipeNotFound`` and one they can see but do not own is ``PermissionDenied``."""
    recipe = recipe_get(user=actor, recipe_id=recipe_id, detail=False)
    if for_update:
        recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    if actor.is_staff:
        return recipe
    if recipe.is_system or recipe.author_id != actor.pk:
        raise PermissionDenied(_("Solo quien escribió la receta puede cambiarla."))
    return recipe


def _recipe_url(recipe: Recipe) -> str:
    try:
        return reverse("nutrition:recipe_detail", args=[recipe.slug])
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------------------------------
# create, edit, delete


@transaction.atomic
def recipe_create(*, actor, data: dict, photos=None) -> Recipe:
    """Create a recipe written by ``actor``. It waits for moderation (pending, unpublished)
    and its nutrition is computed from the ingredients (whatever ``data`` says about
    nutrition is ignored).

    ``data``: title, description, meal_type, dietary_tags, difficulty, prep_time_min,
    cook_time_min, servings, cooked_yield_g, cost..., ``ingredients`` [{food_id, quantity,
    unit, grams, portion_id, name, note, is_optional, substitutions}] (at least one, and at
    least one with its weight) and ``instructions`` (or ``steps``) [{instruction,
    duration_min, photo}]. ``photos``: uploaded images; the first is the main photo.
    """
    errors: dict[str, str] = {}
    try:
        fields = _scalars_clean(data, actor=actor, current={})
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        fields = None
    ingredients = _ingredients_clean(data.get("ingredients"), actor=actor, errors=errors)
    steps = _steps_clean(data.get("instructions", data.get("steps")), errors=errors)
    images = _images_clean(photos, field="photos", errors=errors)
    _step_photos_clean(steps, errors)
    if errors:
        raise ValidationError(errors)

    recipe = Recipe(
        **fields,
        slug=_slug_for(fields["title"]),
        author=actor,
        author_type=_author_type(actor),
        is_system=False,
        moderation_status=Moderation.PENDING,
        is_published=False,
    )
    recipe.search_text = recipe_search_text(recipe, [r["name"] for r in ingredients])
    recipe.save()
    _ingredients_write(recipe, ingredients)
    _steps_write(recipe, steps)
    _photos_write(recipe, images)
    recipe_nutrition_refresh(recipe)
    return recipe


@transaction.atomic
def recipe_update(*, actor, recipe_id, data: dict, photos=None) -> Recipe:
    """Edit a recipe (its author or staff). Keys missing from ``data`` keep their value;
    ``ingredients`` and ``instructions`` replace the whole list when given. An author's edit
    sends a published recipe back to review and drops a nutritionist's verification (the
    content changed); staff edits keep both."""
    recipe = _own_recipe(actor, recipe_id)
    current = {key: getattr(recipe, key) for key in (*TEXT_LIMITS, "meal_type", "cuisine_type", "difficulty",
                                                     "cost_level", "season", "dietary_tags", "tags", "chef_tips",
                                                     "prep_time_min", "cook_time_min", "servings", "cooked_yield_g",
                                                     "cost_estimate_mxn", "is_traditional_mexican", "video_url",
                                                     *STAFF_FLAGS)}
    errors: dict[str, str] = {}
    try:
        fields = _scalars_clean(data, actor=actor, current=current)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        fields = {}
    ingredients = None
    if "ingredients" in data:
        ingredients = _ingredients_clean(data.get("ingredients"), actor=actor, errors=errors)
    steps = None
    if "instructions" in data or "steps" in data:
        steps = _steps_clean(data.get("instructions", data.get("steps")), errors=errors)
        _step_photos_clean(steps, errors)
    images = _images_clean(photos, field="photos", errors=errors)
    if errors:
        raise ValidationError(errors)

    title_changed = fields["title"] != recipe.title
    for key, value in fields.items():
        setattr(recipe, key, value)
    if title_changed and not recipe.is_system:
        recipe.slug = _slug_for(recipe.title, exclude_pk=recipe.pk)
    if not actor.is_staff:
        recipe.moderation_status = Moderation.PENDING
        recipe.is_published = False
        recipe.is_verified = False
        recipe.verified_by = None
        recipe.verified_at = None
    recipe.save()
    if ingredients is not None:
        _ingredients_write(recipe, ingredients)
    if steps is not None:
        _steps_write(recipe, steps)
    _photos_write(recipe, images)
    names = list(recipe.ingredients.values_list("name", flat=True))
    recipe.search_text = recipe_search_text(recipe, names)
    recipe.save(update_fields=["search_text", "updated_at"])
    recipe_nutrition_refresh(recipe)
    return recipe


@transaction.atomic
def recipe_delete(*, actor, recipe_id) -> None:
    """Hide a recipe (its author or staff). Diary entries keep their snapshot; the recipe's
    diary food stops appearing in search."""
    recipe = _own_recipe(actor, recipe_id)
    recipe.deleted_at = timezone.now()
    recipe.is_published = False
    recipe.save(update_fields=["deleted_at", "is_published", "updated_at"])
    if recipe.food_id:
        Food.objects.filter(pk=recipe.food_id).update(is_active=False, is_verified=False)


# ---------------------------------------------------------------------------------------
# moderation and verification


def _notify_author(recipe: Recipe, kind: str, title: str, body: str) -> None:
    from accounts.services import notify

    notify(recipe.author, kind, title, body, _recipe_url(recipe), {"recipe_id": recipe.pk}, category="social")


@transaction.atomic
def recipe_moderate(*, actor, recipe_id, approve: bool, notes: str = "") -> Recipe:
    """Staff approve (publish) or reject a recipe and tell its author, in the author's
    language, with the notes."""
    if not actor.is_staff:
        raise PermissionDenied(_("Solo el personal puede moderar recetas."))
    notes = str(notes or "").strip()
    if len(notes) > 2000:
        raise ValidationError({"notes": _("Máximo %(n)s caracteres.") % {"n": 2000}})
    recipe = Recipe.objects.select_for_update().filter(pk=recipe_get(user=actor, recipe_id=recipe_id,
                                                                       detail=False).pk).get()
    recipe.moderation_notes = notes
    if approve:
        recipe.moderation_status = Moderation.APPROVED
        recipe.is_published = True
        recipe.published_at = recipe.published_at or timezone.now()
    else:
        recipe.moderation_status = Moderation.REJECTED
        recipe.is_published = False
    recipe.save(update_fields=["moderation_notes", "moderation_status", "is_published", "published_at",
                               "updated_at"])
    if recipe.food_id:
        Food.objects.filter(pk=recipe.food_id).update(is_verified=recipe.is_published)
    if recipe.author_id and recipe.author_id != actor.pk:
        with translation.override(recipe.author.language or "es-mx"):
            if approve:
                title = _("Tu receta «%(t)s» ya está publicada") % {"t": recipe.title}
                body = notes or _("Gracias por compartirla con la comunidad.")
                _notify_author(recipe, "recipe_approved", title, body)
            else:
                title = _("Tu receta «%(t)s» no fue aprobada") % {"t": recipe.title}
                body = notes or _("Revísala y vuelve a enviarla.")
                _notify_author(recipe, "recipe_rejected", title, body)
    return recipe


@transaction.atomic
def recipe_verify(*, actor, recipe_id, verified: bool = True) -> Recipe:
    """A verified nutritionist marks a published recipe as nutritionally verified (or takes
    the mark back)."""
    from accounts.selectors import nutritionist_is_verified

    if not (actor.has_role("nutritionist") and nutritionist_is_verified(user=actor)):
        raise PermissionDenied(_("Solo un(a) nutriólogo(a) verificado(a) puede verificar recetas."))
    recipe = recipe_get(user=actor, recipe_id=recipe_id, detail=False)
    if not recipe.is_published:
        raise ValidationError(_("Solo se verifican recetas publicadas."), code="RECIPE_NOT_PUBLISHED")
    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    was = recipe.is_verified
    recipe.is_verified = bool(verified)
    recipe.verified_by = actor if verified else None
    recipe.verified_at = timezone.now() if verified else None
    recipe.save(update_fields=["is_verified", "verified_by", "verified_at", "updated_at"])
    if verified and not was and recipe.author_id and recipe.author_id != actor.pk:
        with translation.override(recipe.author.language or "es-mx"):
            _notify_author(
                recipe, "recipe_verified",
                _("Un(a) nutriólogo(a) verificó tu receta «%(t)s»") % {"t": recipe.title},
                _("%(n)s revisó su información nutrimental.") % {"n": actor.full_name or actor.username},
            )
    return recipe


# ---------------------------------------------------------------------------------------
# rate, save, tried, log


def _published_for_marks(actor, recipe_id) -> Recipe:
    recipe = recipe_get(user=actor, recipe_id=recipe_id, detail=False)
    if not recipe.is_published:
        raise ValidationError(_("La receta aún no está publicada."), code="RECIPE_NOT_PUBLISHED")
    return recipe


@transaction.atomic
def recipe_rate(*, actor, recipe_id, stars, comment: str = "") -> RecipeRating:
    """Rate a published recipe from 1 to 5 stars (one rating per person; rating again changes
    it). The recipe's average and count are recomputed from the ratings table."""
    try:
        value = int(str(stars).strip())
    except (TypeError, ValueError):
        raise ValidationError({"stars": _("Elige de 1 a 5 estrellas.")})
    if str(stars).strip() not in {str(value)} or not 1 <= value <= 5:
        raise ValidationError({"stars": _("Elige de 1 a 5 estrellas.")})
    comment = str(comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("Máximo %(n)s caracteres.") % {"n": 500}})
    recipe = _published_for_marks(actor, recipe_id)
    if recipe.author_id == actor.pk:
        raise ValidationError({"stars": _("No puedes calificar tu propia receta.")})
    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    rating, _created = RecipeRating.objects.update_or_create(
        recipe=recipe, user=actor, defaults={"stars": value, "comment": comment}
    )
    agg = RecipeRating.objects.filter(recipe=recipe).aggregate(avg=Avg("stars"), n=Count("id"))
    average = Decimal(str(agg["avg"] or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    Recipe.objects.filter(pk=recipe.pk).update(rating_average=average, rating_count=agg["n"])
    return rating


@transaction.atomic
def recipe_save_toggle(*, actor, recipe_id, saved: bool | None = None) -> bool:
    """Save (``True``), unsave (``False``) or toggle (``None``) a recipe in the actor's
    collection. Returns whether it is saved now."""
    recipe = recipe_get(user=actor, recipe_id=recipe_id, detail=False)
    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    exists = RecipeSave.objects.filter(recipe=recipe, user=actor).exists()
    want = (not exists) if saved is None else bool(saved)
    if want and not exists:
        RecipeSave.objects.create(recipe=recipe, user=actor)
    elif not want and exists:
        RecipeSave.objects.filter(recipe=recipe, user=actor).delete()
    Recipe.objects.filter(pk=recipe.pk).update(saves_count=RecipeSave.objects.filter(recipe=recipe).count())
    return want


@transaction.atomic
def recipe_tried_mark(*, actor, recipe_id, tried: bool = True) -> bool:
    """Mark a published recipe as prepared ("lo preparé"), once per person; ``tried=False``
    takes the mark back. Returns the mark."""
    recipe = _published_for_marks(actor, recipe_id)
    recipe = Recipe.objects.select_for_update().get(pk=recipe.pk)
    if tried:
        RecipeTried.objects.get_or_create(recipe=recipe, user=actor)
    else:
        RecipeTried.objects.filter(recipe=recipe, user=actor).delete()
    Recipe.objects.filter(pk=recipe.pk).update(tried_count=RecipeTried.objects.filter(recipe=recipe).count())
    return bool(tried)


def recipe_log_serving(*, actor, recipe_id, servings=1, meal, date=None):
    """Log ``servings`` servings of a recipe to the actor's diary in one step (the diary's
    own validation applies: meal, date not in the future, amount)."""
    from nutrition.services.diary import diary_entry_add

    return diary_entry_add(actor=actor, recipe_id=recipe_id, quantity=servings, unit=EntryUnit.SERVING, meal=meal,
                           date=date)


# ---------------------------------------------------------------------------------------
# nutrition


def _food_values(food) -> dict:
    return {field: getattr(food, field) for field in NUTRITION_FIELDS}


def ingredient_has_data(ingredient) -> bool:
    """An ingredient counts when it has a food with energy data and a weight."""
    food = ingredient.food
    return bool(food is not None and food.energy_kcal is not None and ingredient.grams)


def recipe_nutrition_compute(*, servings: int, cooked_yield_g, ingredients) -> dict:
    """The recipe's nutrition from its ingredients (objects with ``food``, ``grams``,
    ``name``, ``is_optional``): per serving values of the fixed nutrients, totals, coverage
    (share of the ingredients' grams that have data), the ingredients without data, the
    optional ones (left out of the totals), serving weight and SMAE equivalents per serving.
    Pure: reads only the objects given."""
    servings = max(int(servings or 1), 1)
    rows, parts = [], []
    extra: dict[str, float] = defaultdict(float)
    total_g = covered_g = 0.0
    missing, optional = [], []
    for ing in ingredients:
        label = ing.name or (ing.food.name if ing.food is not None else "")
        if ing.is_optional:
            optional.append(label)
            continue
        grams = ing.grams or 0.0
        total_g += grams
        if not ingredient_has_data(ing):
            missing.append(label)
            continue
        covered_g += grams
        rows.append(scale(_food_values(ing.food), grams, NUTRITION_FIELDS))
        for number, value in (ing.food.nutrients or {}).items():
            if value is not None:
                extra[number] += value * grams / 100.0
        parts.append(smae.food_equivalents(ing.food, grams))
    totals = add_up(rows, NUTRITION_FIELDS)
    per_serving = {f: (None if v is None else round(v / servings, 3)) for f, v in totals.items()}
    weight = float(cooked_yield_g) if cooked_yield_g else total_g
    # "Libres" (water, spices, coffee...) are free foods: a meal plan does not count them.
    equivalents = {code: count / servings for code, count in smae.merge(parts).items() if code != FREE_SMAE_GROUP}
    with translation.override("es-mx"):
        eq_list = smae.as_list(equivalents)
        eq_text = smae.as_text(equivalents) if eq_list else ""
    return {
        **per_serving,
        "total": totals,
        "other_total": {k: round(v, 4) for k, v in sorted(extra.items())},
        "coverage_pct": round(100.0 * covered_g / total_g, 1) if total_g else 0.0,
        "missing": missing,
        "optional": optional,
        "servings": servings,
        "total_g": round(total_g, 1),
        "yield_g": round(weight, 1),
        "serving_g": round(weight / servings, 1) if weight else None,
        "equivalents": eq_list,
        "equivalents_text": eq_text,
        "equivalents_raw": {code: round(count, 3) for code, count in sorted(equivalents.items())},
    }


def _recipe_food_sync(recipe: Recipe, nutrition: dict) -> Food | None:
    """Create or update the recipe's diary food: per-100 g values of the whole dish and a
    "1 porción" portion of one serving's weight."""
    weight = nutrition["yield_g"]
    food = recipe.food
    if not weight:
        if food is not None:
            Food.objects.filter(pk=food.pk).update(is_active=False)
        return food
    factor = 100.0 / weight
    values = {f: (None if v is None else round(v * factor, 4)) for f, v in nutrition["total"].items()}
    others = {k: round(v * factor, 4) for k, v in nutrition["other_total"].items()}
    title_en = recipe.title_en or recipe.title
    fields = {
        "source": FoodSource.RECIPE,
        "external_id": str(recipe.pk),
        "name_es": recipe.title[:250],
        "name_en": title_en[:250],
        "name_normalized": snake(recipe.title),
        "search_text": normalize(" ".join(dict.fromkeys([recipe.title, title_en]))),
        "category": "recipes",
        "serving_size_g": nutrition["serving_g"],
        "serving_description": "1 porción",
        "author": recipe.author,
        "is_verified": bool(recipe.is_published),
        "is_active": recipe.deleted_at is None,
        "smae_group": None,
        "smae_grams": None,
        "nutrients": others,
        **values,
    }
    if food is None:
        food = Food.objects.filter(source=FoodSource.RECIPE, external_id=str(recipe.pk)).first()
    if food is None:
        food = Food.objects.create(**fields)
    else:
        for key, value in fields.items():
            setattr(food, key, value)
        food.save()
    FoodPortion.objects.update_or_create(
        food=food, seq=1,
        defaults={"amount": 1, "description_es": "porción", "description_en": "serving",
                  "grams": nutrition["serving_g"]},
    )
    FoodPortion.objects.filter(food=food).exclude(seq=1).delete()
    return food


@transaction.atomic
def recipe_nutrition_refresh(recipe: Recipe) -> Recipe:
    """Recompute and store the recipe's nutrition (``recipe.nutrition``, per-serving
    ``recipe.energy_kcal``) from its ingredients, and sync its diary food."""
    ingredients = list(recipe.ingredients.select_related("food").order_by("position", "id"))
    nutrition = recipe_nutrition_compute(
        servings=recipe.servings, cooked_yield_g=recipe.cooked_yield_g, ingredients=ingredients
    )
    recipe.nutrition = nutrition
    kcal = nutrition.get("energy_kcal")
    recipe.energy_kcal = None if kcal is None else round(kcal, 1)
    food = _recipe_food_sync(recipe, nutrition)
    recipe.food = food
    Recipe.objects.filter(pk=recipe.pk).update(nutrition=nutrition, energy_kcal=recipe.energy_kcal, food=food)
    return recipe


# ---------------------------------------------------------------------------------------
# the Mexican system recipes


def _dish_fields(dish: dict) -> dict:
    tips = dish.get("chef_tips") or []
    return {
        "title": str(dish["title_es"]).strip()[:200],
        "title_en": str(dish.get("title_en") or "").strip()[:200],
        "description": str(dish.get("description_es") or "").strip(),
        "description_en": str(dish.get("description_en") or "").strip(),
        "meal_type": dish["meal_type"],
        "cuisine_type": dish.get("cuisine_type") or Cuisine.MEXICANA,
        "dietary_tags": [t for t in (dish.get("dietary_tags") or []) if t in DietaryTag.values],
        "difficulty": dish.get("difficulty") or Difficulty.FACIL,
        "prep_time_min": int(dish.get("prep_time_min") or 0),
        "cook_time_min": int(dish.get("cook_time_min") or 0),
        "total_time_min": int(dish.get("prep_time_min") or 0) + int(dish.get("cook_time_min") or 0),
        "servings": int(dish.get("servings") or 1),
        "cooked_yield_g": float(dish["cooked_yield_g"]) if dish.get("cooked_yield_g") else None,
        "cost_estimate_mxn": int(dish["cost_estimate_mxn"]) if dish.get("cost_estimate_mxn") is not None else None,
        "cost_level": dish.get("cost_level") or "",
        "is_traditional_mexican": bool(dish.get("is_traditional_mexican", False)),
        "region_origin": str(dish.get("region_origin") or "")[:100],
        "history_story": str(dish.get("history_story") or ""),
        "chef_tips": [str(t) for t in tips] if isinstance(tips, list) else [str(tips)],
        "storage_instructions": str(dish.get("storage_instructions") or ""),
        "reheating_instructions": str(dish.get("reheating_instructions") or ""),
        "tags": [str(t) for t in (dish.get("tags") or [])],
        "season": dish.get("season") or "",
        "is_seasonal": bool(dish.get("season")),
        "is_system": True,
        "author": None,
        "author_type": "admin",
        "is_published": True,
        "moderation_status": Moderation.APPROVED,
        "is_verified": True,
        "deleted_at": None,
    }


def _dish_ingredients(dish: dict, foods: dict[str, Food]) -> list[dict]:
    rows = []
    for position, item in enumerate(dish.get("ingredients") or []):
        ndb = str(item.get("ndb_no") or "").strip().zfill(5) if item.get("ndb_no") else ""
        food = foods.get(ndb) if ndb else None
        if ndb and food is None:
            logger.warning("recipe %s: SR28 food %s is not in the database; its ingredient is flagged "
                           "without data", dish.get("slug"), ndb)
        rows.append(
            {
                "position": position,
                "food": food,
                "name": str(item.get("name_es") or (food.name_es if food else "") or "").strip()[:200],
                "quantity": float(item["quantity"]) if item.get("quantity") not in (None, "") else None,
                "unit": str(item.get("unit") or "")[:40],
                "grams": float(item["grams"]) if item.get("grams") not in (None, "") else None,
                "note": str(item.get("note") or "")[:200],
                "is_optional": bool(item.get("optional", item.get("is_optional", False))),
                "substitutions": [str(s) for s in (item.get("substitutions") or [])],
            }
        )
    return rows


def _dish_steps(dish: dict) -> list[dict]:
    rows = []
    for number, item in enumerate(dish.get("steps") or [], start=1):
        if isinstance(item, str):
            item = {"instruction": item}
        duration = item.get("duration_min")
        rows.append({"number": number, "instruction": str(item.get("instruction") or "").strip(),
                     "duration_min": int(duration) if duration not in (None, "") else None, "photo": None,
                     "keep_photo": False})
    return rows


_ING_KEYS = ("position", "food_id", "name", "quantity", "unit", "grams", "note", "is_optional", "substitutions")


def _ingredient_tuple(row: dict) -> tuple:
    food = row["food"]
    values = {**row, "food_id": food.pk if food is not None else None}
    return tuple(json.dumps(values[k], sort_keys=True) for k in _ING_KEYS)


class _Ing:
    """A stand-in with the attributes ``recipe_nutrition_compute`` reads."""

    def __init__(self, row: dict):
        self.food = row["food"]
        self.grams = row["grams"]
        self.name = row["name"]
        self.is_optional = row["is_optional"]


def system_recipes_load(path=None) -> dict:
    """Create or update the Mexican system recipes from ``data/mexican_dishes.json`` (or
    ``path``), keyed by slug. Ingredients point to SR28 foods by NDB number, so nutrition is
    computed, never typed in; an NDB number missing from the database is logged and its
    ingredient is kept without data (flagged "sin dato"). Idempotent: a second run reports
    0 created and 0 updated. Returns {"created", "updated", "unchanged"}."""
    source = Path(path) if path is not None else DATA_DIR / "mexican_dishes.json"
    result = {"created": 0, "updated": 0, "unchanged": 0}
    if not source.exists():
        logger.warning("no system recipes file at %s", source)
        return result
    dishes = json.loads(source.read_text(encoding="utf-8"))
    ndbs = {
        str(i["ndb_no"]).strip().zfill(5)
        for dish in dishes for i in (dish.get("ingredients") or []) if i.get("ndb_no")
    }
    foods = {f.external_id: f for f in Food.objects.filter(source=FoodSource.USDA, external_id__in=ndbs)}
    existing = {
        r.slug: r
        for r in Recipe.objects.filter(slug__in=[d["slug"] for d in dishes]).select_related("food")
    }
    with transaction.atomic():
        for dish in dishes:
            slug = dish["slug"]
            fields = _dish_fields(dish)
            ingredients = _dish_ingredients(dish, foods)
            steps = _dish_steps(dish)
            recipe = existing.get(slug)
            if recipe is not None and not recipe.is_system:
                logger.warning("slug %s belongs to a user recipe; system recipe skipped", slug)
                continue
            if recipe is None:
                recipe = Recipe(slug=slug, published_at=timezone.now(), **fields)
                recipe.search_text = recipe_search_text(recipe, [r["name"] for r in ingredients])
                recipe.save()
                _ingredients_write(recipe, ingredients)
                _steps_write(recipe, steps)
                recipe_nutrition_refresh(recipe)
                result["created"] += 1
                continue
            if _system_recipe_unchanged(recipe, fields, ingredients, steps):
                result["unchanged"] += 1
                continue
            for key, value in fields.items():
                setattr(recipe, key, value)
            recipe.published_at = recipe.published_at or timezone.now()
            recipe.search_text = recipe_search_text(recipe, [r["name"] for r in ingredients])
            recipe.save()
            _ingredients_write(recipe, ingredients)
            _steps_write(recipe, steps)
            recipe_nutrition_refresh(recipe)
            result["updated"] += 1
    return result


def _system_recipe_unchanged(recipe: Recipe, fields: dict, ingredients: list[dict], steps: list[dict]) -> bool:
    if any(getattr(recipe, key) != value for key, value in fields.items() if key != "author"):
        return False
    if recipe.author_id is not None or recipe.food_id is None or recipe.food is None or not recipe.food.is_active:
        return False
    if recipe.search_text != recipe_search_text(recipe, [r["name"] for r in ingredients]):
        return False
    stored = [
        tuple(json.dumps(v, sort_keys=True) for v in row)
        for row in recipe.ingredients.order_by("position", "id").values_list(*_ING_KEYS)
    ]
    if stored != [_ingredient_tuple(r) for r in ingredients]:
        return False
    stored_steps = list(recipe.steps.order_by("number").values_list("number", "instruction", "duration_min"))
    if stored_steps != [(s["number"], s["instruction"], s["duration_min"]) for s in steps]:
        return False
    # The foods may have been corrected (a newer SR28 import): compare the computed numbers.
    nutrition = recipe_nutrition_compute(servings=recipe.servings, cooked_yield_g=recipe.cooked_yield_g,
                                         ingredients=[_Ing(r) for r in ingredients])
    return _json_equal(nutrition, recipe.nutrition)


def _json_equal(a, b) -> bool:
    return json.loads(json.dumps(a, sort_keys=True)) == json.loads(json.dumps(b, sort_keys=True))
