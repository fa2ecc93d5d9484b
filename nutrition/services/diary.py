"""Writes of the food diary: log, edit, move, copy and delete entries; quick add; water, body
weight and exercise logs; target overrides.

Every page, API view and task calls these. They validate everything (dates not in the
future, amounts between 0 and 5 kg, foods the user may see, entries the user owns) and
raise ``ValidationError`` (codes in upper case become API error codes), ``FoodNotFound`` or
``DiaryEntry.DoesNotExist`` (404). Nothing already saved changes when one fails.
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nutrition.calc import MAX_GRAMS_PER_ENTRY, food_values, scale
from nutrition.errors import FoodNotFound, RecipeNotFound
from nutrition.models import (
    ENTRY_NUTRIENTS,
    MEAL_ALIASES,
    Activity,
    DiaryEntry,
    EntryUnit,
    ExerciseLog,
    Food,
    FoodSource,
    Meal,
    NutritionTarget,
    WaterLog,
    WeightLog,
)
from nutrition.selectors.foods import food_get

EARLIEST_DATE = date_type(2000, 1, 1)
MAX_QUICK_KCAL = 10000
MAX_WATER_ML = 5000


# ---------------------------------------------------------------------------------------
# validation helpers


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A field error that also carries a stable API code (FUTURE_DATE, AMOUNT_TOO_LARGE...)."""
    exc = ValidationError({field: [ValidationError(message, code=code)]})
    exc.code = code
    return exc


def meal_clean(value) -> str:
    """A diary meal slot; accepts seed 003's breakfast/lunch/dinner/snack."""
    value = (str(value or "")).strip().lower()
    value = MEAL_ALIASES.get(value, value)
    if value not in Meal.values:
        raise ValidationError(
            {"meal": _("Comida no válida. Usa desayuno, colacion_matutina, comida, colacion_vespertina o cena.")}
        )
    return value


def date_clean(value, *, field: str = "date") -> date_type:
    """A past or present date in the user's time zone (America/Mexico_City by default)."""
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date_type):
        try:
            value = date_type.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({field: _("Fecha no válida; usa el formato AAAA-MM-DD.")})
    if value > timezone.localdate():
        raise field_error(field, _("No puedes registrar en una fecha futura."), "FUTURE_DATE")
    if value < EARLIEST_DATE:
        raise ValidationError({field: _("La fecha es demasiado antigua.")})
    return value


def _positive(value, field: str, *, maximum: float | None = None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Escribe un número.")})
    if number != number or number <= 0:  # NaN or not positive
        raise ValidationError({field: _("La cantidad debe ser mayor que cero.")})
    if maximum is not None and number > maximum:
        raise ValidationError({field: _("La cantidad es demasiado grande (máximo %(max)s).") % {"max": f"{maximum:g}"}})
    return number


def _grams_for(*, food: Food, unit: str, quantity: float, portion_id=None):
    """(grams, portion) for an amount expressed in ``unit``."""
    portion = None
    if unit == EntryUnit.GRAMS:
        grams = quantity
    elif unit == EntryUnit.PORTION:
        portion = next((p for p in food.portions.all() if str(p.pk) == str(portion_id)), None)
        if portion is None:
            raise ValidationError({"portion_id": _("Elige una porción de este alimento.")})
        grams = quantity * portion.grams
    elif unit == EntryUnit.SMAE:
        if not food.smae_grams:
            raise ValidationError({"unit": _("Este alimento no tiene equivalente SMAE asignado; regístralo en gramos.")})
        grams = quantity * food.smae_grams
    elif unit == EntryUnit.SERVING:
        if not food.serving_size_g:
            raise ValidationError({"unit": _("Este alimento no tiene porción definida; regístralo en gramos.")})
        grams = quantity * food.serving_size_g
    else:
        raise ValidationError({"unit": _("Unidad no válida.")})
    if grams > MAX_GRAMS_PER_ENTRY:
        raise field_error("quantity", _("Son más de 5 kg de un solo alimento; revisa la cantidad."), "AMOUNT_TOO_LARGE")
    return round(grams, 2), portion


def entry_amount_grams(*, food: Food, unit: str, quantity, portion_id=None) -> tuple[float, object]:
    """(grams, portion) for an amount of ``food``, validated exactly as logging validates it.
    The diary's live preview uses it so the preview and the saved entry never disagree."""
    return _grams_for(food=food, unit=unit, quantity=_positive(quantity, "quantity"), portion_id=portion_id)


def _entry_fill(entry: DiaryEntry, food: Food, grams: float) -> None:
    entry.grams = grams
    entry.name = food.name[:250]
    for field, value in scale(food_values(food), grams).items():
        setattr(entry, field, value)


def _food_for_entry(*, user, food_id=None, recipe_id=None) -> Food:
    if recipe_id not in (None, ""):
        from nutrition.selectors.recipes import recipe_get

        try:
            recipe = recipe_get(user=user, recipe_id=recipe_id)
        except RecipeNotFound:
            raise
        if recipe.food_id is None:
            raise ValidationError({"recipe_id": _("Esta receta aún no tiene información nutrimental.")})
        return food_get(user=user, food_id=recipe.food_id)
    if food_id in (None, ""):
        raise ValidationError({"food_id": _("Elige un alimento.")})
    return food_get(user=user, food_id=food_id)


def _own_entry(user, entry_id) -> DiaryEntry:
    try:
        return DiaryEntry.objects.select_for_update().get(pk=int(entry_id), user=user)
    except (TypeError, ValueError):
        raise DiaryEntry.DoesNotExist()


def _check_actor(actor, user, capability: str = "diary"):
    """The owner writes their own diary; someone else only through a delegate a higher app
    registered (``nutrition.access``), e.g. the patient's nutritionist setting targets."""
    from nutrition.access import may_act_for

    if actor.pk != user.pk and not may_act_for(actor=actor, user=user, capability=capability):
        raise PermissionDenied(_("No puedes modificar el diario de otra persona."))


# ---------------------------------------------------------------------------------------
# entries


@transaction.atomic
def diary_entry_add(
    *,
    actor,
    date=None,
    meal,
    food_id=None,
    recipe_id=None,
    quantity,
    unit: str = EntryUnit.GRAMS,
    portion_id=None,
    note: str = "",
    user=None,
) -> DiaryEntry:
    """Log a food (or one or more servings of a recipe with ``recipe_id``) to a meal.

    ``unit``: ``g`` (quantity in grams), ``portion`` (quantity × household ``portion_id``),
    ``smae`` (quantity × grams of one SMAE equivalent) or ``serving`` (quantity × the food's
    serving, e.g. one recipe serving). Nutrients are computed from the food's per-100 g values.
    """
    user = user or actor
    _check_actor(actor, user)
    day = date_clean(date)
    meal = meal_clean(meal)
    if recipe_id not in (None, "") and unit == EntryUnit.GRAMS and not quantity:
        unit = EntryUnit.SERVING
    quantity = _positive(quantity, "quantity")
    food = _food_for_entry(user=user, food_id=food_id, recipe_id=recipe_id)
    grams, portion = _grams_for(food=food, unit=unit, quantity=quantity, portion_id=portion_id)
    entry = DiaryEntry(
        user=user, date=day, meal=meal, food=food, portion=portion, unit=unit, quantity=quantity,
        note=(note or "")[:250],
    )
    if food.source == FoodSource.RECIPE:
        entry.recipe_id = getattr(getattr(food, "recipe", None), "pk", None)
    _entry_fill(entry, food, grams)
    entry.save()
    Food.objects.filter(pk=food.pk).update(usage_count=F("usage_count") + 1)
    _changed(user, day)
    return entry


@transaction.atomic
def diary_quick_add(
    *, actor, date=None, meal, name: str = "", energy_kcal, protein_g=None, fat_g=None, carbs_g=None, user=None
) -> DiaryEntry:
    """Log calories (and optionally macros) without a food, e.g. a meal eaten out."""
    user = user or actor
    _check_actor(actor, user)
    day = date_clean(date)
    meal = meal_clean(meal)
    kcal = _positive(energy_kcal, "energy_kcal", maximum=MAX_QUICK_KCAL)
    macros = {}
    for field, value in (("protein_g", protein_g), ("fat_g", fat_g), ("carbs_g", carbs_g)):
        if value in (None, ""):
            macros[field] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError({field: _("Escribe un número.")})
        if number < 0 or number > 1000:
            raise ValidationError({field: _("Escribe un valor entre 0 y 1000 g.")})
        macros[field] = number
    entry = DiaryEntry(
        user=user, date=day, meal=meal, unit=EntryUnit.QUICK, quantity=1, grams=None,
        name=(name or "").strip()[:250] or _("Registro rápido"), energy_kcal=kcal, **macros,
    )
    entry.save()
    _changed(user, day)
    return entry


@transaction.atomic
def diary_entry_update(
    *, actor, entry_id, quantity=None, unit=None, portion_id=None, meal=None, date=None, note=None
) -> DiaryEntry:
    """Change the amount, unit, meal, date or note of one of the actor's entries.
    Another user's entry raises ``DiaryEntry.DoesNotExist`` (404)."""
    entry = _own_entry(actor, entry_id)
    old_date = entry.date
    if meal not in (None, ""):
        entry.meal = meal_clean(meal)
    if date not in (None, ""):
        entry.date = date_clean(date)
    if note is not None:
        entry.note = str(note)[:250]
    if quantity not in (None, "") or unit not in (None, "") or portion_id not in (None, ""):
        if entry.unit == EntryUnit.QUICK:
            raise ValidationError({"quantity": _("Un registro rápido se edita cambiando sus calorías.")})
        food = entry.food
        if food is None:
            raise FoodNotFound()
        food = food_get(user=actor, food_id=food.pk)
        new_unit = unit or entry.unit
        new_portion = portion_id if portion_id not in (None, "") else entry.portion_id
        new_quantity = _positive(quantity if quantity not in (None, "") else entry.quantity, "quantity")
        grams, portion = _grams_for(food=food, unit=new_unit, quantity=new_quantity, portion_id=new_portion)
        entry.unit, entry.quantity, entry.portion = new_unit, new_quantity, portion
        _entry_fill(entry, food, grams)
    entry.save()
    _changed(actor, entry.date)
    if old_date != entry.date:
        _changed(actor, old_date)
    return entry


@transaction.atomic
def diary_entry_delete(*, actor, entry_id) -> None:
    entry = _own_entry(actor, entry_id)
    day = entry.date
    entry.delete()
    _changed(actor, day)


@transaction.atomic
def diary_entries_copy(*, actor, from_date, to_date, from_meal=None, to_meal=None) -> list[DiaryEntry]:
    """Copy a meal (``from_meal`` → ``to_meal``) or a whole day to another date. The copies keep
    the nutrient snapshot of the originals. Copying onto itself is refused."""
    source_day = date_clean(from_date, field="from_date")
    target_day = date_clean(to_date, field="to_date")
    qs = DiaryEntry.objects.filter(user=actor, date=source_day)
    if from_meal not in (None, ""):
        from_meal = meal_clean(from_meal)
        to_meal = meal_clean(to_meal or from_meal)
        qs = qs.filter(meal=from_meal)
        if source_day == target_day and from_meal == to_meal:
            raise ValidationError({"to_meal": _("Elige otra comida u otro día como destino.")})
    elif source_day == target_day:
        raise ValidationError({"to_date": _("Elige otro día como destino.")})
    originals = list(qs.order_by("created_at", "id"))
    if not originals:
        raise field_error("from_date", _("No hay nada registrado para copiar."), "NOTHING_TO_COPY")
    now = timezone.now()
    copies = []
    for original in originals:
        copy = DiaryEntry(
            user=actor, date=target_day, meal=to_meal or original.meal, food_id=original.food_id,
            recipe_id=original.recipe_id, portion_id=original.portion_id, unit=original.unit,
            quantity=original.quantity, grams=original.grams, name=original.name, note=original.note,
            created_at=now, **{f: getattr(original, f) for f in ENTRY_NUTRIENTS},
        )
        copies.append(copy)
    DiaryEntry.objects.bulk_create(copies)
    _changed(actor, target_day)
    return copies


# ---------------------------------------------------------------------------------------
# water, weight, exercise


@transaction.atomic
def water_add(*, actor, ml, date=None) -> WaterLog:
    day = date_clean(date)
    amount = int(_positive(ml, "ml", maximum=MAX_WATER_ML))
    log = WaterLog.objects.create(user=actor, date=day, ml=amount)
    _changed(actor, day)
    return log


@transaction.atomic
def water_delete(*, actor, log_id) -> None:
    log = WaterLog.objects.get(pk=int(log_id), user=actor)
    day = log.date
    log.delete()
    _changed(actor, day)


@transaction.atomic
def weight_log_set(*, actor, weight_kg, date=None, note: str = "", user=None) -> WeightLog:
    """Record the body weight of a day (a second value the same day replaces the first).
    The latest weight also becomes the profile's weight, so targets follow it. ``user`` is the
    patient when their nutritionist records a weight measured in consultation."""
    from decimal import Decimal, InvalidOperation

    user = user or actor
    _check_actor(actor, user, "weight")
    day = date_clean(date)
    try:
        weight = Decimal(str(weight_kg)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"weight_kg": _("Escribe tu peso en kg, por ejemplo 72.5.")})
    if not Decimal(20) <= weight <= Decimal(500):
        raise ValidationError({"weight_kg": _("El peso debe estar entre 20 y 500 kg.")})
    log, _created = WeightLog.objects.update_or_create(
        user=user, date=day, defaults={"weight_kg": weight, "note": (note or "")[:250]}
    )
    latest = WeightLog.objects.filter(user=user).order_by("-date").values_list("date", flat=True).first()
    if latest == day:
        from accounts.models import Profile

        Profile.objects.update_or_create(user=user, defaults={"weight_kg": weight})
    _changed(user, day)
    return log


@transaction.atomic
def weight_log_delete(*, actor, log_id) -> None:
    log = WeightLog.objects.get(pk=int(log_id), user=actor)
    day = log.date
    log.delete()
    _changed(actor, day)


def exercise_kcal(*, met: float, weight_kg: float, minutes: float) -> float:
    """Energy spent: MET × kg × hours (1 MET ≈ 1 kcal/kg/h)."""
    return round(met * weight_kg * minutes / 60.0, 1)


DEFAULT_WEIGHT_KG = 70.0


def exercise_estimate(*, actor, activity_code, minutes) -> dict:
    """What ``minutes`` of an activity burn for this person: ``{"activity", "minutes", "kcal",
    "assumed_weight"}``. Uses the profile's latest weight, 70 kg when none is known. The
    page's live preview and ``exercise_add`` both call it."""
    mins = _positive(minutes, "minutes", maximum=1440)
    activity = Activity.objects.filter(code=str(activity_code or "").strip()).first()
    if activity is None:
        raise ValidationError({"activity_code": _("Elige una actividad de la lista.")})
    from accounts.models import Profile

    # read fresh: a weight logged a moment ago (same request object) must count
    known = Profile.objects.filter(user=actor).values_list("weight_kg", flat=True).first()
    weight = float(known) if known else DEFAULT_WEIGHT_KG
    return {
        "activity": activity,
        "minutes": mins,
        "kcal": exercise_kcal(met=activity.met, weight_kg=weight, minutes=mins),
        "assumed_weight": not known,
    }


@transaction.atomic
def exercise_add(*, actor, activity_code, minutes, date=None) -> ExerciseLog:
    """Log minutes of an activity from the MET table (kcal from ``exercise_estimate``)."""
    day = date_clean(date)
    estimate = exercise_estimate(actor=actor, activity_code=activity_code, minutes=minutes)
    activity = estimate["activity"]
    log = ExerciseLog.objects.create(
        user=actor, date=day, activity=activity, name=activity.name_es, minutes=int(round(estimate["minutes"])),
        energy_kcal=estimate["kcal"],
    )
    _changed(actor, day)
    return log


@transaction.atomic
def exercise_delete(*, actor, log_id) -> None:
    log = ExerciseLog.objects.get(pk=int(log_id), user=actor)
    day = log.date
    log.delete()
    _changed(actor, day)


# ---------------------------------------------------------------------------------------
# targets


@transaction.atomic
def target_override_set(*, actor, user=None, data: dict) -> NutritionTarget:
    """Set (a number) or clear (null/empty) overrides of the computed daily targets.

    ``meal_equivalents`` (``{meal: {smae code: count}}``, only from the user's nutritionist)
    replaces the SMAE exchanges planned per meal slot: known meals and groups, 0–20 in halves."""
    from nutrition.targets import TARGET_FIELDS

    max_per_group = 20

    def meal_equivalents_clean(value) -> tuple[dict, dict]:
        """``{meal: {smae code: count}}`` checked: known meals and SMAE groups, counts from 0 to
        20 in steps of 0.5 (zeros and empty values dropped). Returns ``(cleaned, errors)`` with
        errors keyed ``meal_equivalents[.meal[.code]]``."""
        from nutrition import smae

        if value in (None, ""):
            return {}, {}
        if not isinstance(value, dict) or len(value) > 10 or any(
            isinstance(g, dict) and len(g) > 40 for g in value.values()
        ):
            return {}, {"meal_equivalents": _("Envía un objeto {comida: {grupo: equivalentes}}.")}
        known = smae.groups()
        cleaned: dict = {}
        errors: dict = {}
        for meal, groups in value.items():
            key = f"meal_equivalents.{str(meal)[:40]}"
            if meal not in Meal.values:
                errors[key] = _("Comida desconocida.")
                continue
            if groups in (None, ""):
                continue
            if not isinstance(groups, dict):
                errors[key] = _("Envía un objeto {grupo: equivalentes}.")
                continue
            for code, count in groups.items():
                cell = f"{key}.{str(code)[:40]}"
                if code not in known:
                    errors[cell] = _("Grupo SMAE desconocido.")
                    continue
                if count in (None, ""):
                    continue
                if isinstance(count, bool):
                    errors[cell] = _("Escribe un número.")
                    continue
                try:
                    number = float(str(count).replace(",", "."))
                except (TypeError, ValueError):
                    errors[cell] = _("Escribe un número.")
                    continue
                if number != number or not 0 <= number <= max_per_group:
                    errors[cell] = _("Escribe entre 0 y %(max)s equivalentes.") % {"max": max_per_group}
                    continue
                if number * 2 != int(number * 2):
                    errors[cell] = _("Usa medios equivalentes (0.5, 1, 1.5…).")
                    continue
                if number:
                    cleaned.setdefault(meal, {})[code] = int(number) if number == int(number) else number
        return cleaned, errors

    user = user or actor
    _check_actor(actor, user, "targets")
    target, _created = NutritionTarget.objects.get_or_create(user=user)
    limits = {
        "energy_kcal": (800, 6000), "protein_g": (10, 500), "fat_g": (10, 400), "carbs_g": (20, 900),
        "fiber_g": (5, 150), "sodium_mg": (200, 10000), "water_ml": (500, 10000),
    }
    errors = {}
    for field in TARGET_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if value in (None, ""):
            setattr(target, field, None)
            continue
        try:
            number = int(round(float(value)))
        except (TypeError, ValueError, OverflowError):
            errors[field] = _("Escribe un número entero.")
            continue
        low, high = limits[field]
        if not low <= number <= high:
            errors[field] = _("Escribe un valor entre %(low)s y %(high)s.") % {"low": low, "high": high}
            continue
        setattr(target, field, number)
    if "meal_equivalents" in data:
        if actor.pk == user.pk:
            errors["meal_equivalents"] = _("Solo tu nutrióloga puede fijar equivalentes por comida.")
        else:
            cleaned, eq_errors = meal_equivalents_clean(data["meal_equivalents"])
            errors.update(eq_errors)
            if not eq_errors:
                target.meal_equivalents = cleaned
    if errors:
        raise ValidationError(errors)
    target.set_by = actor
    target.save()
    return target


# ---------------------------------------------------------------------------------------


def _changed(user, day) -> None:
    """Tell the user's open pages that a day changed (after commit)."""
    from config.realtime import push_to_user

    transaction.on_commit(lambda: push_to_user(user.pk, "diary:changed", {"date": day.isoformat()}))
