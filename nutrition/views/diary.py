"""Food diary pages (htmx): the day, adding foods (live search, amount form with a server-side
preview, quick add), editing/moving/deleting entries, copying meals and days, water, body
weight, exercise, the week view and the targets page.

Views parse input and call ``nutrition.services.diary`` / ``nutrition.selectors``. Each page
is a full page; when htmx asks, the view answers with the ``{% partialdef %}`` regions that
changed (the meal section, plus the day summary as an out-of-band swap). Every form also
works without JavaScript: a normal POST and a redirect back to the day.
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist as ObjectDoesNotExistError
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nutrition.calc import food_values, scale
from nutrition.errors import FoodNotFound, RecipeNotFound
from nutrition.forms import (
    CopyForm,
    EntryAddForm,
    EntryEditForm,
    ExerciseForm,
    QuickAddForm,
    TargetsForm,
    WaterForm,
    WeightForm,
    add_service_errors,
    unit_default,
)
from nutrition.models import Activity, DiaryEntry, EntryUnit, Meal
from nutrition.selectors.diary import (
    activities_list,
    diary_day,
    diary_entry_get,
    diary_week,
    targets_explain,
)
from nutrition.selectors.foods import food_get, food_search, foods_frequent, foods_recent
from nutrition.services import diary as diary_services
from nutrition.targets import TARGET_FIELDS

SEARCH_LIMIT = 15
SHORTLIST_LIMIT = 8
GLASS_ML = 250
MEAL_CODES = tuple(Meal.values)


# ---------------------------------------------------------------------------------------
# helpers


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _parse_day(value) -> date_type:
    """A date from the URL; anything else is a page that does not exist."""
    try:
        return date_type.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise Http404


def _day_param(value) -> date_type:
    """A date from a query string or form, today when missing or malformed."""
    try:
        return date_type.fromisoformat(str(value))
    except (TypeError, ValueError):
        return timezone.localdate()


def _meal_param(value) -> str:
    value = str(value or "")
    return value if value in MEAL_CODES else default_meal()


def default_meal(now=None) -> str:
    """The meal slot that fits the time of day in the user's time zone."""
    hour = timezone.localtime(now).hour
    if hour < 11:
        return Meal.DESAYUNO
    if hour < 13:
        return Meal.COLACION_MATUTINA
    if hour < 17:
        return Meal.COMIDA
    if hour < 19:
        return Meal.COLACION_VESPERTINA
    return Meal.CENA


def _meal_label(code: str) -> str:
    return str(dict(Meal.choices).get(code, code))


def day_url(day: date_type, meal: str | None = None) -> str:
    url = reverse("nutrition:diary_day", args=[day.isoformat()])
    return f"{url}#meal-{meal}" if meal else url


def add_url(day: date_type, **params) -> str:
    url = reverse("nutrition:diary_add", args=[day.isoformat()])
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _entry_for(user, entry_id) -> DiaryEntry:
    """One of the user's own entries, or 404 (another person's entry is never fetched)."""
    try:
        return diary_entry_get(user=user, entry_id=entry_id)
    except DiaryEntry.DoesNotExist:
        raise Http404


def _activities() -> list[Activity]:
    return activities_list()


def _is_spanish() -> bool:
    from nutrition.models import is_spanish

    return is_spanish()


def _hx_redirect(url: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Location"] = url
    return response


def _retarget(response: HttpResponse, selector: str, swap: str = "outerHTML") -> HttpResponse:
    response["HX-Retarget"] = selector
    response["HX-Reswap"] = swap
    return response


# ---------------------------------------------------------------------------------------
# the day page


def _summary(data) -> dict:
    """The summary card: energy against its target and the other progress rows, with how
    many entries lack each value ("sin dato" stays visible instead of counting as zero)."""
    entries = [e for block in data.meals for e in block.entries]
    rows = []
    for row in data.progress:
        field = row["field"]
        missing = sum(1 for e in entries if getattr(e, field) is None)
        value = row["value"]
        if not entries:
            value = 0
        rows.append({**row, "value": value, "missing": missing})
    energy, others = rows[0], rows[1:]
    remaining = None
    if energy["goal"] is not None and energy["value"] is not None:
        remaining = round(energy["goal"] - energy["value"])
    over_by = -remaining if remaining is not None and remaining < 0 else None
    return {"energy": energy, "rows": others, "remaining": remaining, "over_by": over_by, "empty": not entries}


def _copy_form(day: date_type, meal: str | None = None, data=None) -> CopyForm:
    key = meal or "day"
    initial = {"from_date": day.isoformat(), "from_meal": meal or "", "to_date": timezone.localdate(), "to_meal": ""}
    if data is not None:
        return CopyForm(data, auto_id=f"copy-{key}-%s", initial=initial)
    return CopyForm(auto_id=f"copy-{key}-%s", initial=initial)


def _day_context(request, day: date_type, **overrides) -> dict:
    """Everything the day page shows; ``overrides`` replace forms (bound, with errors)."""
    data = diary_day(user=request.user, day=day)
    today = timezone.localdate()
    activities = overrides.pop("activities", None)
    if activities is None:
        activities = _activities()
    for block in data.meals:
        block.copy_form = overrides.pop(f"copy_form_{block.code}", None) or _copy_form(day, block.code)
        block.add_url = add_url(day, meal=block.code)
    water_goal = data.targets.water_ml
    context = {
        "data": data,
        "day": day,
        "day_iso": day.isoformat(),
        "today": today,
        "is_today": day == today,
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < today else None,
        "summary": _summary(data),
        "water_percent": round(100 * data.water_ml / water_goal, 1) if water_goal else None,
        "glasses": data.water_ml // GLASS_ML,
        "glass_ml": GLASS_ML,
        "water_form": WaterForm(initial={"date": day.isoformat()}, auto_id="water-%s"),
        "weight_form": WeightForm(
            initial={"date": day.isoformat(), "weight_kg": data.weight.weight_kg if data.weight else None},
            auto_id="weight-%s",
        ),
        "exercise_form": ExerciseForm(
            initial={"date": day.isoformat()}, activities=activities, auto_id="exercise-%s"
        ),
        "has_activities": bool(activities),
        "copy_day_form": _copy_form(day),
        "meal_choices": [(code, str(label)) for code, label in Meal.choices],  # translated once, not per entry
    }
    context.update(overrides)
    return context


def _render_day(request, day: date_type, status: int = 200, **overrides):
    return render(request, "nutrition/diary/day.html", _day_context(request, day, **overrides), status=status)


@login_required
@require_GET
def diary_today(request):
    return _day_page(request, timezone.localdate())


@login_required
@require_GET
def diary_day_page(request, day: str):
    return _day_page(request, _parse_day(day))


_REGIONS = {"summary", "meals", "water", "weight", "exercise", "live"}


def _day_page(request, day: date_type):
    if day > timezone.localdate():
        return redirect("nutrition:diary")
    region = request.GET.get("region", "")
    if _htmx(request) and region == "meal":
        meal = request.GET.get("meal", "")
        if meal not in MEAL_CODES:
            raise Http404
        context = _day_context(request, day)
        context["meal"] = next(b for b in context["data"].meals if b.code == meal)
        return render(request, "nutrition/diary/day.html#meal", context)
    if _htmx(request) and region in _REGIONS:
        return render(request, f"nutrition/diary/day.html#{region}", _day_context(request, day))
    return _render_day(request, day)


def _update_response(request, day: date_type, *, target_meal: str, changed_meals=(), status: int = 200):
    """The meal section that changed (htmx target), other changed meal sections and the
    day summary as out-of-band swaps."""
    context = _day_context(request, day)
    blocks = {b.code: b for b in context["data"].meals}
    context["meal"] = blocks[target_meal]
    context["oob_meals"] = [blocks[m] for m in dict.fromkeys(changed_meals) if m != target_meal and m in blocks]
    return render(request, "nutrition/diary/day.html#update", context, status=status)


# ---------------------------------------------------------------------------------------
# adding: search, amount form, preview, quick add


def _shortlists(user) -> tuple[list, list, set[int]]:
    frequent = foods_frequent(user=user, limit=SHORTLIST_LIMIT)
    recent = foods_recent(user=user, limit=SHORTLIST_LIMIT)
    return recent, frequent, {f.pk for f in frequent}


def _results_context(request, day: date_type, meal: str, q: str) -> dict:
    recent, frequent, frequent_ids = _shortlists(request.user)
    context = {"q": q, "day": day, "day_iso": day.isoformat(), "meal": meal, "frequent_ids": frequent_ids}
    if q.strip():
        found = food_search(user=request.user, q=q, limit=SEARCH_LIMIT)
        context.update(results=found.results, total_results=found.total_results, searched=True)
    else:
        recent_ids = {f.pk for f in recent}
        context.update(recent=recent, frequent=[f for f in frequent if f.pk not in recent_ids], searched=False)
    return context


def _preview(food, quantity, unit_choice) -> dict:
    """Nutrients of an amount of ``food`` (same arithmetic as logging), or the error text."""
    from nutrition.forms import unit_split

    unit, portion_id = unit_split(unit_choice or EntryUnit.GRAMS.value)
    try:
        # the services' own arithmetic, so the preview and the saved entry agree to the gram
        grams, _portion = diary_services.entry_amount_grams(
            food=food, unit=unit, quantity=quantity, portion_id=portion_id
        )
    except ValidationError as exc:
        return {"error": " ".join(exc.messages)}
    return {"grams": grams, "values": scale(food_values(food), grams)}


def _add_context(request, day: date_type, meal: str, *, q: str = "", food=None, form=None, quick_form=None,
                 added=None) -> dict:
    context = _results_context(request, day, meal, q)
    if food is not None and form is None:
        unit, quantity = unit_default(food)
        form = EntryAddForm(
            food=food, auto_id="add-%s",
            initial={"food": food.pk, "date": day.isoformat(), "meal": meal, "unit": unit, "quantity": quantity},
        )
    if form is not None:
        raw_quantity = form.data.get("quantity") if form.is_bound else form.initial.get("quantity")
        raw_unit = form.data.get("unit") if form.is_bound else form.initial.get("unit")
        context["preview"] = _preview(form.food, raw_quantity, raw_unit)
    context.update(
        food=food if food is not None else getattr(form, "food", None),
        form=form,
        quick_form=quick_form or QuickAddForm(initial={"date": day.isoformat(), "meal": meal}, auto_id="quick-%s"),
        meal_label=_meal_label(meal),
        added=added,
        close_url=day_url(day, meal),
        create_food_url=f"{reverse('nutrition:food_create')}?{urlencode({'fecha': day.isoformat(), 'comida': meal})}",
    )
    return context


def _food_or_404(user, food_id):
    try:
        return food_get(user=user, food_id=food_id)
    except FoodNotFound:
        raise Http404


@login_required
@require_GET
def diary_add(request, day: str):
    """The add panel: search, recent/frequent foods, the amount form for a chosen food and
    quick add. A full page without JavaScript; the ``#add-panel`` region for htmx."""
    day = _parse_day(day)
    if day > timezone.localdate():
        return redirect("nutrition:diary")
    meal = _meal_param(request.GET.get("meal"))
    q = request.GET.get("q", "")[:100]
    food = _food_or_404(request.user, request.GET["food"]) if request.GET.get("food") else None
    context = _add_context(request, day, meal, q=q, food=food)
    if _htmx(request):
        return render(request, "nutrition/diary/add.html#panel", context)
    return render(request, "nutrition/diary/add.html", context)


@login_required
@require_GET
def food_search_results(request):
    """Live search (htmx, debounced): the results listbox. Without htmx, the add page."""
    day = _day_param(request.GET.get("date"))
    meal = _meal_param(request.GET.get("meal"))
    q = request.GET.get("q", "")[:100]
    if not _htmx(request):
        return redirect(add_url(day, meal=meal, q=q))
    return render(request, "nutrition/diary/add.html#results", _results_context(request, day, meal, q))


@login_required
@require_GET
def entry_preview(request):
    """Kcal and macros of the amount being typed (htmx); computed here, not in JavaScript."""
    food = _food_or_404(request.user, request.GET.get("food"))
    context = {"preview": _preview(food, request.GET.get("quantity"), request.GET.get("unit")), "food": food}
    return render(request, "nutrition/diary/add.html#preview", context)


@login_required
@require_POST
def entry_add(request):
    day = _day_param(request.POST.get("date"))
    meal = _meal_param(request.POST.get("meal"))
    food = None
    try:
        food = food_get(user=request.user, food_id=request.POST.get("food"))
    except FoodNotFound as exc:
        not_found = str(exc)
    form = EntryAddForm(request.POST, food=food, auto_id="add-%s") if food is not None else None
    entry = None
    if form is not None and form.is_valid():
        try:
            entry = diary_services.diary_entry_add(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, form.SERVICE_FIELDS)
        except (FoodNotFound, RecipeNotFound) as exc:
            form.add_error(None, str(exc))
    if entry is None:
        if form is None:
            messages.error(request, not_found)
            if _htmx(request):
                context = _add_context(request, day, meal)
                context["not_found"] = not_found
                return render(request, "nutrition/diary/add.html#panel", context, status=422)
            context = _add_context(request, day, meal)
            context["not_found"] = not_found
            return render(request, "nutrition/diary/add.html", context, status=422)
        context = _add_context(request, day, meal, food=food, form=form)
        if _htmx(request):
            return render(request, "nutrition/diary/add.html#amount", context, status=422)
        return render(request, "nutrition/diary/add.html", context, status=422)

    from nutrition.templatetags.nutrition_ui import amount_label

    text = _("Agregaste %(food)s (%(amount)s) a %(meal)s.") % {
        "food": entry.name, "amount": amount_label(entry), "meal": _meal_label(entry.meal),
    }
    messages.success(request, text)
    if not _htmx(request):
        return redirect(day_url(entry.date, entry.meal))
    if _from_add_page(request):
        return _hx_redirect(day_url(entry.date, entry.meal))
    response = _update_response(request, entry.date, target_meal=entry.meal)
    panel = _add_context(request, entry.date, entry.meal, added=text)
    response.content += _render_panel_oob(request, panel)
    return _retarget(response, f"#meal-{entry.meal}")


def _render_panel_oob(request, context) -> bytes:
    from django.template.loader import render_to_string

    return render_to_string("nutrition/diary/add.html#panel-oob", context, request=request).encode()


def _from_add_page(request) -> bool:
    """True when an htmx request comes from the stand-alone add page (no day regions there)."""
    return "/agregar/" in request.headers.get("HX-Current-URL", "")


@login_required
@require_POST
def quick_add(request):
    day = _day_param(request.POST.get("date"))
    meal = _meal_param(request.POST.get("meal"))
    form = QuickAddForm(request.POST, auto_id="quick-%s")
    entry = None
    if form.is_valid():
        try:
            entry = diary_services.diary_quick_add(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, form.SERVICE_FIELDS)
    if entry is None:
        context = _add_context(request, day, meal, quick_form=form)
        if _htmx(request):
            return render(request, "nutrition/diary/add.html#quick", context, status=422)
        return render(request, "nutrition/diary/add.html", context, status=422)
    from nutrition.templatetags.nutrition_ui import nutri

    text = _("Registraste %(name)s (%(kcal)s) en %(meal)s.") % {
        "name": entry.name, "kcal": nutri(entry.energy_kcal, "kcal"), "meal": _meal_label(entry.meal),
    }
    messages.success(request, text)
    if not _htmx(request):
        return redirect(day_url(entry.date, entry.meal))
    if _from_add_page(request):
        return _hx_redirect(day_url(entry.date, entry.meal))
    response = _update_response(request, entry.date, target_meal=entry.meal)
    response.content += _render_panel_oob(request, _add_context(request, entry.date, entry.meal, added=text))
    return _retarget(response, f"#meal-{entry.meal}")


# ---------------------------------------------------------------------------------------
# editing, moving, deleting entries


def _edit_food(request, entry):
    if entry.food_id is None or entry.unit == EntryUnit.QUICK:
        return None
    try:
        return food_get(user=request.user, food_id=entry.food_id)
    except FoodNotFound:
        return None  # the food was hidden since: the amount can no longer change


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    """Edit an entry inline (amount, unit, meal, date, note); moving is editing the meal."""
    entry = _entry_for(request.user, entry_id)
    food = _edit_food(request, entry)
    auto_id = f"edit{entry.pk}-%s"
    if request.method == "GET":
        form = EntryEditForm(entry=entry, food=food, auto_id=auto_id)
        context = {"entry": entry, "form": form, "day": entry.date, "cancel_url": day_url(entry.date, entry.meal)}
        if _htmx(request):
            return render(request, "nutrition/diary/entry_edit.html#form", context)
        return render(request, "nutrition/diary/entry_edit.html", context)

    form = EntryEditForm(request.POST, entry=entry, food=food, auto_id=auto_id)
    updated = None
    if form.is_valid():
        kwargs = form.service_kwargs()
        if not form.errors:
            try:
                updated = diary_services.diary_entry_update(actor=request.user, entry_id=entry.pk, **kwargs)
            except ValidationError as exc:
                add_service_errors(form, exc, form.SERVICE_FIELDS)
            except FoodNotFound as exc:
                form.add_error(None, str(exc))
            except DiaryEntry.DoesNotExist:
                raise Http404
    if updated is None:
        context = {"entry": entry, "form": form, "day": entry.date, "cancel_url": day_url(entry.date, entry.meal)}
        if _htmx(request):
            response = render(request, "nutrition/diary/entry_edit.html#form", context, status=422)
            return _retarget(response, f"#entry-{entry.pk}")
        return render(request, "nutrition/diary/entry_edit.html", context, status=422)

    if updated.date != entry.date:
        messages.success(request, _("Se movió al %(date)s.") % {"date": date_format(updated.date, "DATE_FORMAT")})
    elif updated.meal != entry.meal:
        messages.success(request, _("Se movió a %(meal)s.") % {"meal": _meal_label(updated.meal)})
    else:
        messages.success(request, _("Se guardó el cambio."))
    if not _htmx(request):
        return redirect(day_url(updated.date, updated.meal))
    changed = [updated.meal] if updated.date == entry.date else []
    response = _update_response(request, entry.date, target_meal=entry.meal, changed_meals=changed)
    return _retarget(response, f"#meal-{entry.meal}")


@login_required
@require_POST
def entry_move(request, entry_id: int):
    """Move an entry to another meal of the same day (the "move" menu of each entry)."""
    entry = _entry_for(request.user, entry_id)
    try:
        updated = diary_services.diary_entry_update(actor=request.user, entry_id=entry.pk, meal=request.POST.get("meal"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if not _htmx(request):
            return redirect(day_url(entry.date, entry.meal))
        response = _update_response(request, entry.date, target_meal=entry.meal, status=422)
        return _retarget(response, f"#meal-{entry.meal}")
    except DiaryEntry.DoesNotExist:
        raise Http404
    messages.success(request, _("Se movió a %(meal)s.") % {"meal": _meal_label(updated.meal)})
    if not _htmx(request):
        return redirect(day_url(updated.date, updated.meal))
    response = _update_response(request, entry.date, target_meal=entry.meal, changed_meals=[updated.meal])
    return _retarget(response, f"#meal-{entry.meal}")


@login_required
@require_POST
def entry_delete(request, entry_id: int):
    entry = _entry_for(request.user, entry_id)
    try:
        diary_services.diary_entry_delete(actor=request.user, entry_id=entry.pk)
    except DiaryEntry.DoesNotExist:
        raise Http404
    messages.success(request, _("Se eliminó %(name)s.") % {"name": entry.name})
    if not _htmx(request):
        return redirect(day_url(entry.date, entry.meal))
    return _retarget(_update_response(request, entry.date, target_meal=entry.meal), f"#meal-{entry.meal}")


# ---------------------------------------------------------------------------------------
# copying meals and days


@login_required
@require_POST
def diary_copy(request):
    """Copy a meal (``from_meal``) or the whole day to another date (and meal)."""
    page_day = _day_param(request.POST.get("from_date"))
    meal = request.POST.get("from_meal") or ""
    meal = meal if meal in MEAL_CODES else ""
    form = _copy_form(page_day, meal or None, data=request.POST)
    copies = None
    if form.is_valid():
        try:
            copies = diary_services.diary_entries_copy(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, {"from_date": "__all__", "from_meal": "__all__"})
    if copies is None:
        if _htmx(request):
            context = {"form": form, "copy_key": meal or "day", "meal_code": meal}
            return render(request, "nutrition/diary/day.html#copy-form", context, status=422)
        overrides = {f"copy_form_{meal}": form} if meal else {"copy_day_form": form}
        return _render_day(request, page_day, status=422, **overrides)

    target = copies[0]
    messages.success(
        request,
        ngettext(
            "Se copió %(count)s alimento a %(meal)s del %(date)s.",
            "Se copiaron %(count)s alimentos a %(meal)s del %(date)s.",
            len(copies),
        ) % {"count": len(copies), "meal": _meal_label(target.meal) if meal else _("todas las comidas"),
             "date": date_format(target.date, "DATE_FORMAT")},
    )
    if not _htmx(request):
        return redirect(day_url(target.date))
    context = _day_context(request, page_day)
    return _retarget(render(request, "nutrition/diary/day.html#meals-update", context), "#meals")


# ---------------------------------------------------------------------------------------
# water, weight, exercise


def _side_response(request, day, region: str, status: int = 200, **overrides):
    if _htmx(request):
        context = _day_context(request, day, **overrides)
        return render(request, f"nutrition/diary/day.html#{region}", context, status=status)
    if status >= 400:
        return _render_day(request, day, status=status, **overrides)
    return redirect(day_url(day) + f"#{region}")


@login_required
@require_POST
def water_add(request):
    day = _day_param(request.POST.get("date"))
    form = WaterForm(request.POST, auto_id="water-%s")
    if form.is_valid():
        try:
            log = diary_services.water_add(actor=request.user, ml=form.cleaned_data["ml"], date=form.cleaned_data["date"])
        except ValidationError as exc:
            add_service_errors(form, exc, {"date": "ml"})
        else:
            messages.success(request, _("Registraste %(ml)s ml de agua.") % {"ml": log.ml})
            return _side_response(request, log.date, "water")
    return _side_response(request, day, "water", status=422, water_form=form)


def _side_delete(request, delete, log_id: int, section: str, done: str):
    """Delete a water, weight or exercise log of the actor's (someone else's is a 404) and
    re-render that side panel of the day."""
    day = _day_param(request.POST.get("date"))
    try:
        delete(actor=request.user, log_id=log_id)
    except ObjectDoesNotExistError:
        raise Http404
    messages.success(request, done)
    return _side_response(request, day, section)


@login_required
@require_POST
def water_delete(request, log_id: int):
    return _side_delete(request, diary_services.water_delete, log_id, "water", _("Se eliminó el registro de agua."))


@login_required
@require_POST
def weight_set(request):
    day = _day_param(request.POST.get("date"))
    form = WeightForm(request.POST, auto_id="weight-%s")
    if form.is_valid():
        weight = form.cleaned_data["weight_kg"]
        try:
            log = diary_services.weight_log_set(
                actor=request.user, weight_kg=weight if weight is not None else "", date=form.cleaned_data["date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"date": "weight_kg"})
        else:
            messages.success(request, _("Registraste tu peso: %(kg)s kg.") % {"kg": log.weight_kg})
            return _side_response(request, log.date, "weight")
    return _side_response(request, day, "weight", status=422, weight_form=form)


@login_required
@require_POST
def exercise_add(request):
    day = _day_param(request.POST.get("date"))
    activities = _activities()
    form = ExerciseForm(request.POST, activities=activities, auto_id="exercise-%s")
    if form.is_valid():
        try:
            log = diary_services.exercise_add(
                actor=request.user, activity_code=form.cleaned_data["activity_code"],
                minutes=form.cleaned_data["minutes"], date=form.cleaned_data["date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"date": "minutes"})
        else:
            messages.success(request, _("Registraste %(minutes)s min de %(name)s.") % {
                "minutes": log.minutes, "name": log.activity.name if log.activity else log.name,
            })
            return _side_response(request, log.date, "exercise", activities=activities)
    return _side_response(request, day, "exercise", status=422, exercise_form=form, activities=activities)


@login_required
@require_POST
def exercise_delete(request, log_id: int):
    return _side_delete(request, diary_services.exercise_delete, log_id, "exercise", _("Se eliminó la actividad."))


@login_required
@require_GET
def exercise_preview(request):
    """The kcal an activity would burn for the minutes typed (MET × kg × hours)."""
    context = {"activity": None}
    try:
        estimate = diary_services.exercise_estimate(
            actor=request.user, activity_code=request.GET.get("activity_code", ""),
            minutes=str(request.GET.get("minutes", "")).replace(",", "."),
        )
    except ValidationError:
        # an unknown activity or empty minutes: the preview simply stays quiet
        estimate = None
    if estimate is not None:
        context.update(activity=estimate["activity"], kcal=estimate["kcal"], assumed_weight=estimate["assumed_weight"])
    return render(request, "nutrition/diary/day.html#exercise-preview", context)


# ---------------------------------------------------------------------------------------
# week


@login_required
@require_GET
def diary_week_page(request, day: str | None = None):
    day = _parse_day(day) if day else timezone.localdate()
    today = timezone.localdate()
    week = diary_week(user=request.user, day=min(day, today))
    for row in week["days"]:
        row["future"] = row["date"] > today
        row["is_today"] = row["date"] == today
    context = {
        "week": week,
        "prev_week": week["start"] - timedelta(days=7),
        "next_week": week["start"] + timedelta(days=7) if week["end"] < today else None,
        "today": today,
    }
    return render(request, "nutrition/diary/week.html", context)


# ---------------------------------------------------------------------------------------
# targets


def _targets_context(request, form=None) -> dict:
    explained = targets_explain(user=request.user)
    profile, computed, targets = explained["profile"], explained["computed"], explained["targets"]
    missing_labels = {"date_of_birth": _("fecha de nacimiento"), "height_cm": _("estatura"), "weight_kg": _("peso")}
    if form is None:
        override = explained["override"]
        initial = {f: getattr(override, f) for f in TARGET_FIELDS} if override else {}
        form = TargetsForm(initial=initial, computed=computed)
    rows = [
        {"field": f, "computed": getattr(computed, f), "current": getattr(targets, f), "overridden": f in targets.overridden,
         "form_field": form[f]}
        for f in TARGET_FIELDS
    ]
    return {
        **explained,
        "rows": rows,
        "form": form,
        "activity_label": profile.get_activity_level_display() if profile.activity_level else "",
        "goal_label": profile.get_goal_display() if profile.goal else "",
        "missing": [missing_labels.get(m, m) for m in computed.missing],
    }


@login_required
@require_http_methods(["GET", "POST"])
def targets_page(request):
    """The computed targets, how they were computed, and overrides (empty = automatic)."""
    if request.method == "GET":
        return render(request, "nutrition/diary/targets.html", _targets_context(request))
    form = TargetsForm(request.POST)
    if request.POST.get("reset"):
        form = TargetsForm({f: "" for f in TARGET_FIELDS})
    saved = False
    if form.is_valid():
        try:
            diary_services.target_override_set(actor=request.user, data=form.service_data())
            saved = True
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not saved:
        messages.error(request, _("Revisa los valores marcados; no se guardó ningún cambio."))
        context = _targets_context(request, form=form)
        template = "nutrition/diary/targets.html#targets" if _htmx(request) else "nutrition/diary/targets.html"
        return render(request, template, context, status=422)
    messages.success(request, _("Tus metas se guardaron."))
    if _htmx(request):
        return render(request, "nutrition/diary/targets.html#targets", _targets_context(request))
    return redirect("nutrition:targets")

