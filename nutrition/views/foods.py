"""Food pages: the detail of any food the user may see, custom foods copied from a label
(create, edit, delete) and the list of the user's own foods.

A custom food is private to its author until staff verify it; a food the user may not see
answers 404. Duplicates (same name + brand, or the same barcode) are refused by the service
and shown with a link to the food that already exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nutrition.calc import food_values, scale
from nutrition.errors import FoodNotFound
from nutrition.forms import CustomFoodForm, add_service_errors
from nutrition.models import FIXED_NUTRIENTS, FoodSource, Meal, Nutrient
from nutrition.selectors.foods import food_get, foods_visible
from nutrition.services import foods as food_services
from nutrition.views.diary import _day_param, _food_or_404, add_url, default_meal


def _return_to(request) -> tuple:
    """Where to go after creating a food from the diary's add panel (``fecha``/``comida``)."""
    source = request.POST if request.method == "POST" else request.GET
    meal = source.get("comida", "")
    if meal not in Meal.values:
        return None, None
    return _day_param(source.get("fecha")), meal


def _duplicate(exc: ValidationError) -> dict | None:
    """The existing food a DUPLICATE_FOOD error points to, for the warning with its link."""
    if hasattr(exc, "error_dict") or getattr(exc, "code", None) != "DUPLICATE_FOOD":
        return None
    food_id = (getattr(exc, "params", None) or {}).get("food_id")
    return {"message": exc.message, "url": reverse("nutrition:food_detail", args=[food_id]) if food_id else ""}


def _own_custom_food(request, food_id):
    """A custom food the user may edit (its author, or staff), else 404."""
    food = _food_or_404(request.user, food_id)
    if food.source != FoodSource.CUSTOM or (food.author_id != request.user.pk and not request.user.is_staff):
        raise Http404
    return food


def _form_page(request, form, *, food=None, duplicate=None, status=200):
    day, meal = _return_to(request)
    context = {
        "form": form,
        "food": food,
        "duplicate": duplicate,
        "return_day": day.isoformat() if day else "",
        "return_meal": meal or "",
    }
    return render(request, "nutrition/foods/food_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def food_create(request):
    """Add a food from its nutrition label (per serving or per 100 g)."""
    if request.method == "GET":
        return _form_page(request, CustomFoodForm(initial={"basis": "serving"}))
    form = CustomFoodForm(request.POST)
    duplicate = None
    food = None
    if form.is_valid():
        try:
            food = food_services.custom_food_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            duplicate = _duplicate(exc)
            if duplicate is None:
                add_service_errors(form, exc)
    if food is None:
        if duplicate is None:
            messages.error(request, _("Revisa los campos marcados; no se guardó el alimento."))
        return _form_page(request, form, duplicate=duplicate, status=422)
    messages.success(
        request, _("Guardamos «%(name)s». Solo tú lo ves hasta que nuestro equipo lo verifique.") % {"name": food.name}
    )
    day, meal = _return_to(request)
    if meal:
        return redirect(add_url(day, meal=meal, food=food.pk))
    return redirect("nutrition:food_detail", food_id=food.pk)


@login_required
@require_http_methods(["GET", "POST"])
def food_edit(request, food_id: int):
    food = _own_custom_food(request, food_id)
    if request.method == "GET":
        return _form_page(request, CustomFoodForm(initial=CustomFoodForm.initial_for(food)), food=food)
    form = CustomFoodForm(request.POST)
    duplicate = None
    updated = None
    if form.is_valid():
        try:
            updated = food_services.custom_food_update(actor=request.user, food_id=food.pk, data=form.service_data())
        except ValidationError as exc:
            duplicate = _duplicate(exc)
            if duplicate is None:
                add_service_errors(form, exc)
        except FoodNotFound:
            raise Http404
    if updated is None:
        if duplicate is None:
            messages.error(request, _("Revisa los campos marcados; no se guardó ningún cambio."))
        return _form_page(request, form, food=food, duplicate=duplicate, status=422)
    if updated.is_verified:
        messages.success(request, _("Se guardaron los cambios."))
    else:
        messages.success(request, _("Se guardaron los cambios. El alimento sigue privado hasta que lo verifiquemos."))
    return redirect("nutrition:food_detail", food_id=updated.pk)


@login_required
@require_POST
def food_delete(request, food_id: int):
    """Hide one of the user's custom foods; the diary keeps what was logged with it."""
    try:
        food_services.custom_food_delete(actor=request.user, food_id=food_id)
    except FoodNotFound:
        raise Http404
    messages.success(request, _("Se eliminó el alimento. Tus registros anteriores no cambian."))
    return redirect("nutrition:my_foods")


def _is_vitamin_or_mineral(number: str) -> bool:
    """Water, minerals (USDA 301–317) and vitamins (318–435) lead; amino acids, fatty acids
    and the rest go in "more"."""
    return number == "255" or (number.isdigit() and 301 <= int(number) <= 435)


@login_required
@require_GET
def food_detail(request, food_id: int):
    """Per-100 g values ("sin dato" when missing), every other nutrient by its USDA number
    (names and units from the Nutrient table, one query), portions and the SMAE equivalent."""
    try:
        food = food_get(user=request.user, food_id=food_id)
    except FoodNotFound:
        raise Http404
    fixed_numbers = set(FIXED_NUTRIENTS.values())
    other_numbers = [number for number in (food.nutrients or {}) if number not in fixed_numbers]
    definitions = list(Nutrient.objects.filter(number__in=other_numbers).order_by("sort_order", "number")) if other_numbers else []
    others = [
        {"name": n.name, "unit": n.unit, "value": food.nutrients.get(n.number), "decimals": min(n.decimals, 2),
         "main": _is_vitamin_or_mineral(n.number)}
        for n in definitions
    ]
    per_100 = food_values(food)
    portions = [
        {"portion": p, "kcal": scale(per_100, p.grams, fields=("energy_kcal",))["energy_kcal"]}
        for p in food.portions.all()
    ]
    smae_kcal = None
    if food.smae_grams:
        smae_kcal = scale(per_100, food.smae_grams, fields=("energy_kcal",))["energy_kcal"]
    context = {
        "food": food,
        "fixed": [{"field": f, "value": getattr(food, f)} for f in FIXED_NUTRIENTS],
        "others": [row for row in others if row["main"]],
        "more": [row for row in others if not row["main"]],
        "portions": portions,
        "smae_kcal": smae_kcal,
        "is_owner": food.source == FoodSource.CUSTOM and food.author_id == request.user.pk,
        "log_url": add_url(timezone.localdate(), meal=default_meal(), food=food.pk),
    }
    return render(request, "nutrition/foods/food_detail.html", context)


@login_required
@require_GET
def my_foods(request):
    """The user's own custom foods, verified or still private."""
    foods = list(
        foods_visible(user=request.user)
        .filter(author=request.user, source=FoodSource.CUSTOM)
        .order_by("name_es", "pk")
    )
    return render(request, "nutrition/foods/my_foods.html", {"foods": foods})
