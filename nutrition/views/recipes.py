"""Recipe pages (htmx): the list with live search, filters and sort ("Todas", "Mis recetas",
"Guardadas"); the detail page (ingredients with "sin dato" flags, steps, per-serving
nutrition with coverage, SMAE equivalents, rating, save, "lo preparé", log a serving to the
diary, verification and moderation); the create/edit form with an htmx food search per
ingredient.

Views parse input and call ``nutrition.selectors.recipes`` / ``nutrition.services.recipes``
(the API calls the same functions). A full page is rendered normally; when htmx asks, just
the ``{% partialdef %}`` region that changed. Every form also works without JavaScript.
"""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nutrition import smae
from nutrition.errors import FoodNotFound, RecipeNotFound
from nutrition.models import (
    CostLevel,
    Cuisine,
    DietaryTag,
    Difficulty,
    Meal,
    Moderation,
    RecipeMealType,
    Season,
)
from nutrition.selectors import recipes as selectors
from nutrition.selectors.foods import food_get, food_search, foods_visible
from nutrition.services import recipes as services
from nutrition.services.recipes import ingredient_has_data

PER_PAGE = 12
SEARCH_LIMIT = 8
TEMPLATE_LIST = "nutrition/recipes/list.html"
TEMPLATE_DETAIL = "nutrition/recipes/detail.html"
TEMPLATE_FORM = "nutrition/recipes/form.html"
FREE_UNITS = ("pieza", "taza", "cucharada", "cucharadita", "diente", "rebanada", "al gusto")
_ROW_KEY = re.compile(r"^(ingredients|steps)-([a-z0-9]{1,12})-([a-z_]+)$")
# The diary meal offered first when logging a recipe of each type.
MEAL_FOR_TYPE = {
    "desayuno": Meal.DESAYUNO,
    "colacion": Meal.COLACION_VESPERTINA,
    "comida": Meal.COMIDA,
    "cena": Meal.CENA,
    "postre": Meal.COMIDA,
    "bebida": Meal.COLACION_MATUTINA,
}


# ---------------------------------------------------------------------------------------
# helpers


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _num(value, decimals: int = 0) -> str:
    if value is None:
        return _("sin dato")
    text = number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return text


_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


def amount_text(value) -> str:
    """A kitchen quantity: ``0.5`` -> "½", ``1.5`` -> "1½", ``2`` -> "2", ``2.3`` -> "2.3"."""
    if value is None:
        return ""
    whole, part = divmod(round(float(value), 2), 1)
    if part in _FRACTIONS:
        return f"{int(whole) or ''}{_FRACTIONS[part]}"
    decimals = 0 if part == 0 else 2
    text = number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return text.rstrip("0").rstrip(".,") if decimals else text


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


def _recipe_or_404(user, slug):
    try:
        return selectors.recipe_get(user=user, recipe_id=slug)
    except RecipeNotFound:
        raise Http404


def _diary_url(day=None) -> str:
    try:
        if day is not None:
            return reverse("nutrition:diary_day", args=[day.isoformat()])
        return reverse("nutrition:diary")
    except NoReverseMatch:
        return "/nutricion/"


def _nutrition_rows(nutrition: dict) -> list[dict]:
    rows = [
        ("energy_kcal", _("Energía"), "kcal", 0),
        ("protein_g", _("Proteína"), "g", 1),
        ("carbs_g", _("Carbohidratos"), "g", 1),
        ("fiber_g", _("Fibra"), "g", 1),
        ("sugars_g", _("Azúcares"), "g", 1),
        ("fat_g", _("Grasa"), "g", 1),
        ("saturated_fat_g", _("Grasa saturada"), "g", 1),
        ("cholesterol_mg", _("Colesterol"), "mg", 0),
        ("sodium_mg", _("Sodio"), "mg", 0),
    ]
    out = []
    for field, label, unit, decimals in rows:
        value = nutrition.get(field)
        out.append({"field": field, "label": label, "value": value,
                    "text": _("sin dato") if value is None else f"{_num(value, decimals)} {unit}"})
    return out


def _equivalents_text(nutrition: dict) -> str:
    raw = nutrition.get("equivalents_raw") or {}
    return smae.as_text(raw) if smae.as_list(raw) else ""


def _stars(value) -> list[bool]:
    full = round(float(value or 0))
    return [i < full for i in range(5)]


def _card(recipe, marks) -> dict:
    nutrition = recipe.nutrition or {}
    return {
        "recipe": recipe,
        "kcal": _num(nutrition.get("energy_kcal")) if nutrition.get("energy_kcal") is not None else None,
        "rating": _num(recipe.rating_average, 1),
        "stars": _stars(recipe.rating_average),
        "marks": marks,
        "initial": (recipe.display_title[:1] or "?").upper(),
    }


def _choices(enum) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in enum.choices]


# ---------------------------------------------------------------------------------------
# list


def _list_filters(request):
    params = request.GET
    try:
        return selectors.recipe_filters_clean(
            search=params.get("search"), meal_type=params.get("meal_type"),
            dietary_tags=params.getlist("dietary_tags"), max_prep_time_min=params.get("max_prep_time_min"),
            difficulty=params.get("difficulty"), is_verified="true" if params.get("is_verified") else None,
            sort_by=params.get("sort_by"), scope=params.get("scope"),
        ), {}
    except ValidationError as exc:
        return selectors.recipe_filters_clean(scope=params.get("scope") if params.get("scope") in selectors.SCOPES
                                              else None), _errors(exc)


@login_required
@require_GET
def recipe_list_page(request):
    filters, errors = _list_filters(request)
    qs = selectors.recipe_list(user=request.user, **filters.as_kwargs())
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    marks = selectors.recipe_marks(user=request.user, recipe_ids=[r.pk for r in page])
    query = request.GET.copy()
    query.pop("page", None)
    tabs = []
    for scope, label in (("all", _("Todas")), ("mine", _("Mis recetas")), ("saved", _("Guardadas"))):
        tabs.append({"scope": scope, "label": label, "current": filters.scope == scope,
                     "href": "?" + urlencode({"scope": scope}) if scope != "all" else "?"})
    context = {
        "filters": filters,
        "filter_errors": errors,
        "cards": [_card(r, marks.get(r.pk)) for r in page],
        "page_obj": page,
        "query": query.urlencode(),
        "tabs": tabs,
        "meal_types": _choices(RecipeMealType),
        "difficulties": _choices(Difficulty),
        "dietary_tags": _choices(DietaryTag),
        "sort_param": request.GET.get("sort_by", "") if not errors.get("sort_by") else "",
        "sorts": [
            ("", _("Recomendadas")), ("rating", _("Mejor calificadas")), ("created_at", _("Más recientes")),
            ("tried_count", _("Más preparadas")), ("kcal", _("Menos calorías")), ("total_time", _("Más rápidas")),
        ],
        "prep_times": [(15, _("15 min o menos")), (30, _("30 min o menos")), (60, _("1 hora o menos"))],
    }
    if _htmx(request) and request.headers.get("HX-Target") in ("recipe-results", "recipe-more"):
        partial = "more" if request.headers.get("HX-Target") == "recipe-more" else "results"
        return render(request, f"{TEMPLATE_LIST}#{partial}", context)
    return render(request, TEMPLATE_LIST, context)


# ---------------------------------------------------------------------------------------
# detail and its actions


def _detail_context(request, recipe, **extra) -> dict:
    user = request.user
    marks = selectors.recipe_marks(user=user, recipe_ids=[recipe.pk])[recipe.pk]
    nutrition = recipe.nutrition or {}
    ingredients = []
    for ing in recipe.ingredients.all():
        in_grams = ing.unit.strip().lower() in services.GRAM_UNITS
        if ing.quantity is not None:
            amount = f"{amount_text(ing.quantity)} {ing.unit}".strip()
        else:
            amount = f"{amount_text(ing.grams)} g" if ing.grams else ""
        ingredients.append({"ing": ing, "has_data": ingredient_has_data(ing), "amount": amount,
                            "grams": amount_text(ing.grams) if ing.grams and ing.quantity is not None
                            and not in_grams else ""})
    is_owner = recipe.author_id is not None and recipe.author_id == user.pk
    context = {
        "recipe": recipe,
        "marks": marks,
        "ingredients": ingredients,
        "steps": list(recipe.steps.all()),
        "gallery": list(recipe.gallery.all()),
        "nutrition": nutrition,
        "nutrition_rows": _nutrition_rows(nutrition),
        "equivalents_text": _equivalents_text(nutrition),
        "coverage": nutrition.get("coverage_pct"),
        "serving_g": _num(nutrition.get("serving_g")) if nutrition.get("serving_g") else None,
        "rating_text": _num(recipe.rating_average, 1),
        "stars": _stars(recipe.rating_average),
        "is_owner": is_owner,
        "can_edit": (is_owner and not recipe.is_system) or user.is_staff,
        "can_rate": recipe.is_published and not is_owner,
        "can_verify": recipe.is_published and user.has_role("nutritionist"),
        "can_moderate": user.is_staff,
        "meals": _choices(Meal),
        "log_meal": MEAL_FOR_TYPE.get(recipe.meal_type, Meal.COMIDA),
        "today": timezone.localdate().isoformat(),
        "tags": [str(DietaryTag(t).label) for t in recipe.dietary_tags if t in DietaryTag.values],
        "pending": recipe.moderation_status == Moderation.PENDING,
        "rejected": recipe.moderation_status == Moderation.REJECTED,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def recipe_detail_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    return render(request, TEMPLATE_DETAIL, _detail_context(request, recipe))


def _after_action(request, recipe, partial: str, status: int = 200, **extra):
    """The changed region for htmx, otherwise back to the detail page."""
    if _htmx(request):
        recipe = _recipe_or_404(request.user, recipe.pk)
        return render(request, f"{TEMPLATE_DETAIL}#{partial}", _detail_context(request, recipe, **extra),
                      status=status)
    return redirect("nutrition:recipe_detail", slug=recipe.slug)


@login_required
@require_POST
def recipe_save_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    saved = services.recipe_save_toggle(actor=request.user, recipe_id=recipe.pk)
    messages.success(request, _("Guardada en tus recetas.") if saved else _("Quitada de tus guardadas."))
    return _after_action(request, recipe, "actions")


@login_required
@require_POST
def recipe_tried_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    marks = selectors.recipe_marks(user=request.user, recipe_ids=[recipe.pk])[recipe.pk]
    try:
        tried = services.recipe_tried_mark(actor=request.user, recipe_id=recipe.pk, tried=not marks.tried)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _after_action(request, recipe, "actions")
    messages.success(request, _("¡Qué rico! La marcamos como preparada.") if tried else _("Quitamos la marca."))
    return _after_action(request, recipe, "actions")


@login_required
@require_POST
def recipe_rate_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    try:
        services.recipe_rate(actor=request.user, recipe_id=recipe.pk, stars=request.POST.get("stars", ""),
                             comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        errors = _errors(exc)
        messages.error(request, _("No se guardó tu calificación."))
        if _htmx(request):
            return _after_action(request, recipe, "rating", status=422, rate_errors=errors)
        return redirect("nutrition:recipe_detail", slug=recipe.slug)
    messages.success(request, _("Gracias por calificar esta receta."))
    return _after_action(request, recipe, "rating")


@login_required
@require_POST
def recipe_log_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    form = {"servings": request.POST.get("servings", "1"), "meal": request.POST.get("meal", ""),
            "date": request.POST.get("date", "")}
    try:
        entry = services.recipe_log_serving(actor=request.user, recipe_id=recipe.pk, servings=form["servings"],
                                            meal=form["meal"], date=form["date"] or None)
    except (ValidationError, FoodNotFound, RecipeNotFound) as exc:
        errors = _errors(exc) if isinstance(exc, ValidationError) else {"general": [str(exc)]}
        if "__all__" in errors:  # template variables cannot start with an underscore
            errors["general"] = errors.pop("__all__")
        if "quantity" in errors:
            errors["servings"] = errors.pop("quantity")
        messages.error(request, _("No se registró: revisa los datos."))
        if _htmx(request):
            return _after_action(request, recipe, "log", status=422, log_errors=errors, log_form=form)
        return redirect("nutrition:recipe_detail", slug=recipe.slug)
    messages.success(request, _("Registrada en tu diario: %(name)s.") % {"name": recipe.display_title})
    logged = {"entry": entry, "diary_url": _diary_url(entry.date), "kcal": _num(entry.energy_kcal)}
    if _htmx(request):
        return _after_action(request, recipe, "log", logged=logged)
    return redirect(logged["diary_url"])


@login_required
@require_POST
def recipe_verify_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    verified = request.POST.get("verified", "1") != "0"
    try:
        services.recipe_verify(actor=request.user, recipe_id=recipe.pk, verified=verified)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("nutrition:recipe_detail", slug=recipe.slug)
    messages.success(request, _("Receta verificada.") if verified else _("Quitaste la verificación."))
    return redirect("nutrition:recipe_detail", slug=recipe.slug)


@login_required
@require_POST
def recipe_moderate_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    approve = request.POST.get("approve") == "1"
    try:
        services.recipe_moderate(actor=request.user, recipe_id=recipe.pk, approve=approve,
                                 notes=request.POST.get("notes", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("nutrition:recipe_detail", slug=recipe.slug)
    messages.success(request, _("Receta publicada.") if approve else _("Receta rechazada; avisamos a su autor(a)."))
    return redirect("nutrition:recipe_detail", slug=recipe.slug)


@login_required
@require_POST
def recipe_delete_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    services.recipe_delete(actor=request.user, recipe_id=recipe.pk)
    messages.success(request, _("Eliminaste la receta «%(t)s».") % {"t": recipe.title})
    url = reverse("nutrition:recipes") + "?scope=mine"
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)


# ---------------------------------------------------------------------------------------
# create and edit


def _row_index() -> str:
    return uuid.uuid4().hex[:8]


def _unit_options(food) -> list[tuple[str, str]]:
    options = [("g", _("gramos (g)")), ("kg", _("kilogramos (kg)"))]
    if food is None:
        options += [(u, u) for u in FREE_UNITS]
        return options
    for portion in food.portions.all():
        options.append((f"portion:{portion.pk}", f"{portion.description} ({amount_text(portion.grams)} g)"))
    return options


def _ingredient_row(index=None, *, food=None, quantity="", unit="g", name="", note="", is_optional=False,
                    grams_per_unit="", errors=None) -> dict:
    options = _unit_options(food)
    if unit and unit not in [value for value, _label in options]:
        options.append((unit, unit.removeprefix("text:")))
    return {"i": index or _row_index(), "food": food, "quantity": quantity, "unit": unit, "name": name,
            "note": note, "is_optional": is_optional, "grams_per_unit": grams_per_unit, "unit_options": options,
            "errors": errors or []}


def _step_row(index=None, *, instruction="", duration_min="", photo=None, errors=None) -> dict:
    return {"i": index or _row_index(), "instruction": instruction, "duration_min": duration_min, "photo": photo,
            "errors": errors or []}


def _rows_from_post(request) -> tuple[list[dict], list[dict]]:
    """Ingredient and step rows in the order they appear in the form."""
    groups: dict[str, dict[str, dict]] = {"ingredients": {}, "steps": {}}
    for key in request.POST:
        match = _ROW_KEY.match(key)
        if match:
            kind, index, field = match.groups()
            groups[kind].setdefault(index, {})[field] = request.POST.get(key, "").strip()
    for key in request.FILES:
        match = _ROW_KEY.match(key)
        if match and match.group(1) == "steps":
            groups["steps"].setdefault(match.group(2), {})["photo"] = request.FILES[key]
    return ([{"i": i, **v} for i, v in groups["ingredients"].items()],
            [{"i": i, **v} for i, v in groups["steps"].items()])


def _ingredient_input(row: dict) -> dict | None:
    """A form row as the service's ingredient (None for an empty row)."""
    if not any(row.get(k) for k in ("food_id", "name", "quantity")):
        return None
    item = {"food_id": row.get("food_id") or None, "name": row.get("name", ""), "note": row.get("note", ""),
            "quantity": row.get("quantity") or None, "is_optional": row.get("is_optional") == "1"}
    unit = row.get("unit", "g")
    if unit.startswith("portion:"):
        item["portion_id"] = unit.split(":", 1)[1]
    elif unit.startswith("text:"):
        item["unit"] = unit.removeprefix("text:")
        try:
            item["grams"] = round(float(row["quantity"]) * float(row.get("grams_per_unit") or ""), 2)
        except (KeyError, TypeError, ValueError):
            item["grams"] = None
    else:
        item["unit"] = unit
    return item


def _step_input(row: dict) -> dict | None:
    if not (row.get("instruction") or row.get("duration_min") or row.get("photo")):
        return None
    return {"instruction": row.get("instruction", ""), "duration_min": row.get("duration_min") or None,
            "photo": row.get("photo"), "keep_photo": row.get("remove_photo") != "1"}


SCALAR_FIELDS = ("title", "title_en", "description", "description_en", "meal_type", "cuisine_type", "difficulty",
                 "prep_time_min", "cook_time_min", "servings", "cooked_yield_g", "cost_estimate_mxn", "cost_level",
                 "region_origin", "history_story", "storage_instructions", "reheating_instructions", "video_url",
                 "season", "chef_tips")


def _form_data(request) -> tuple[dict, list[dict], list[dict], list[int], list[int]]:
    """(service data, ingredient rows, step rows, positions of sent rows) from the form."""
    post = request.POST
    data = {key: post.get(key, "") for key in SCALAR_FIELDS}
    data["dietary_tags"] = post.getlist("dietary_tags")
    data["is_traditional_mexican"] = post.get("is_traditional_mexican") == "1"
    if request.user.is_staff:
        for flag in services.STAFF_FLAGS:
            data[flag] = post.get(flag) == "1"
    ing_rows, step_rows = _rows_from_post(request)
    ingredients, ing_pos = [], []
    for position, row in enumerate(ing_rows):
        item = _ingredient_input(row)
        if item is not None:
            ingredients.append(item)
            ing_pos.append(position)
    steps, step_pos = [], []
    for position, row in enumerate(step_rows):
        item = _step_input(row)
        if item is not None:
            steps.append(item)
            step_pos.append(position)
    data["ingredients"] = ingredients
    data["instructions"] = steps
    return data, ing_rows, step_rows, ing_pos, step_pos


def _rows_for_redisplay(request, ing_rows, step_rows, ing_pos, step_pos, errors) -> tuple[list, list]:
    ids = [r.get("food_id") for r in ing_rows if r.get("food_id")]
    foods = {}
    for food_id in ids:
        try:
            foods[str(food_id)] = food_get(user=request.user, food_id=food_id)
        except FoodNotFound:
            continue
    ingredients = []
    for position, row in enumerate(ing_rows):
        row_errors = []
        if position in ing_pos:
            n = ing_pos.index(position)
            row_errors = [m for k, msgs in errors.items() if k.startswith(f"ingredients.{n}.") for m in msgs]
        ingredients.append(_ingredient_row(
            row["i"], food=foods.get(str(row.get("food_id"))), quantity=row.get("quantity", ""),
            unit=row.get("unit", "g"), name=row.get("name", ""), note=row.get("note", ""),
            is_optional=row.get("is_optional") == "1", grams_per_unit=row.get("grams_per_unit", ""),
            errors=row_errors,
        ))
    steps = []
    for position, row in enumerate(step_rows):
        row_errors = []
        if position in step_pos:
            n = step_pos.index(position)
            row_errors = [m for k, msgs in errors.items() if k.startswith(f"instructions.{n}.") for m in msgs]
        steps.append(_step_row(row["i"], instruction=row.get("instruction", ""),
                               duration_min=row.get("duration_min", ""), errors=row_errors))
    return ingredients or [_ingredient_row()], steps or [_step_row()]


def _rows_from_recipe(recipe) -> tuple[list, list]:
    ingredients = []
    for ing in recipe.ingredients.all():
        unit, per_unit = ing.unit or "", ""
        key = unit.strip().lower()
        if key in services.GRAM_UNITS:
            unit = "g"
        elif key in services.KILO_UNITS:
            unit = "kg"
        elif ing.grams and ing.quantity:
            unit, per_unit = f"text:{unit or _('porción')}", round(ing.grams / ing.quantity, 4)
        elif ing.grams:
            unit = "g"
        ingredients.append(_ingredient_row(
            food=ing.food, quantity=(f"{ing.quantity:g}" if ing.quantity is not None else
                                     (f"{ing.grams:g}" if ing.grams and unit == "g" else "")),
            unit=unit, name=ing.name, note=ing.note, is_optional=ing.is_optional, grams_per_unit=per_unit,
        ))
    steps = [_step_row(instruction=s.instruction, duration_min=s.duration_min if s.duration_min is not None else "",
                       photo=s.photo or None) for s in recipe.steps.all()]
    return ingredients or [_ingredient_row()], steps or [_step_row()]


def _form_context(*, values: dict, ingredients, steps, errors=None, recipe=None) -> dict:
    return {
        "values": values,
        "ingredient_rows": ingredients,
        "step_rows": steps,
        "errors": errors or {},
        "field_errors": {k: v for k, v in (errors or {}).items() if "." not in k},
        "recipe": recipe,
        "meal_types": _choices(RecipeMealType),
        "difficulties": _choices(Difficulty),
        "cuisines": _choices(Cuisine),
        "cost_levels": _choices(CostLevel),
        "seasons": _choices(Season),
        "dietary_tags": _choices(DietaryTag),
    }


def _values_from_recipe(recipe) -> dict:
    values = {key: getattr(recipe, key) for key in SCALAR_FIELDS if key != "chef_tips"}
    values = {k: ("" if v is None else v) for k, v in values.items()}
    values["chef_tips"] = "\n".join(recipe.chef_tips or [])
    values["dietary_tags"] = list(recipe.dietary_tags)
    values["is_traditional_mexican"] = recipe.is_traditional_mexican
    for flag in services.STAFF_FLAGS:
        values[flag] = getattr(recipe, flag)
    return values


def _values_from_post(request) -> dict:
    values = {key: request.POST.get(key, "") for key in SCALAR_FIELDS}
    values["dietary_tags"] = request.POST.getlist("dietary_tags")
    values["is_traditional_mexican"] = request.POST.get("is_traditional_mexican") == "1"
    for flag in services.STAFF_FLAGS:
        values[flag] = request.POST.get(flag) == "1"
    return values


def _save_form(request, *, recipe=None):
    data, ing_rows, step_rows, ing_pos, step_pos = _form_data(request)
    photos = request.FILES.getlist("photos")
    try:
        if recipe is None:
            saved = services.recipe_create(actor=request.user, data=data, photos=photos)
        else:
            saved = services.recipe_update(actor=request.user, recipe_id=recipe.pk, data=data, photos=photos)
    except ValidationError as exc:
        errors = _errors(exc)
        messages.error(request, _("Revisa los campos marcados; la receta no se guardó."))
        ingredients, steps = _rows_for_redisplay(request, ing_rows, step_rows, ing_pos, step_pos, errors)
        context = _form_context(values=_values_from_post(request), ingredients=ingredients, steps=steps,
                                errors=errors, recipe=recipe)
        return render(request, TEMPLATE_FORM, context, status=422)
    if saved.is_published:
        messages.success(request, _("Receta guardada."))
    else:
        messages.success(request, _("Receta guardada. En revisión para publicación."))
    url = reverse("nutrition:recipe_detail", args=[saved.slug])
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def recipe_create_page(request):
    if request.method == "POST":
        return _save_form(request)
    values = {"meal_type": request.GET.get("meal_type", ""), "servings": 2, "difficulty": Difficulty.FACIL,
              "cuisine_type": Cuisine.MEXICANA, "dietary_tags": []}
    return render(request, TEMPLATE_FORM, _form_context(values=values, ingredients=[_ingredient_row()],
                                                        steps=[_step_row()]))


@login_required
@require_http_methods(["GET", "POST"])
def recipe_edit_page(request, slug):
    recipe = _recipe_or_404(request.user, slug)
    if not ((recipe.author_id == request.user.pk and not recipe.is_system) or request.user.is_staff):
        raise PermissionDenied
    if request.method == "POST":
        return _save_form(request, recipe=recipe)
    ingredients, steps = _rows_from_recipe(recipe)
    return render(request, TEMPLATE_FORM, _form_context(values=_values_from_recipe(recipe), ingredients=ingredients,
                                                        steps=steps, recipe=recipe))


@login_required
@require_GET
def ingredient_row(request):
    return render(request, f"{TEMPLATE_FORM}#ingredient-row", {"row": _ingredient_row()})


@login_required
@require_GET
def step_row(request):
    return render(request, f"{TEMPLATE_FORM}#step-row", {"row": _step_row()})


def _index_param(request) -> str:
    index = request.GET.get("i", "")
    if not re.fullmatch(r"[a-z0-9]{1,12}", index):
        raise Http404
    return index


@login_required
@require_GET
def ingredient_search(request):
    """Foods matching what was typed in one ingredient row (any ``*-search`` parameter)."""
    index = _index_param(request)
    query = request.GET.get(f"ingredients-{index}-search", "") or request.GET.get("q", "")
    results = food_search(user=request.user, q=query, limit=SEARCH_LIMIT).results if query.strip() else []
    return render(request, f"{TEMPLATE_FORM}#food-results", {"row": {"i": index}, "results": results,
                                                                  "query": query})


@login_required
@require_GET
def ingredient_pick(request):
    """The food chooser of one row, with the chosen food (or empty again to search)."""
    index = _index_param(request)
    food = None
    if request.GET.get("food"):
        food = foods_visible(user=request.user).filter(pk=request.GET["food"]).first() if \
            request.GET["food"].isdigit() else None
        if food is None:
            raise Http404
    row = _ingredient_row(index, food=food, unit="g")
    return render(request, f"{TEMPLATE_FORM}#food-chooser", {"row": row})
