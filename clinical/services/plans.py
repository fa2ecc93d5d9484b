"""Writes of meal plans: create, edit, delete, clone (also as a template or for a patient),
copy or clear a day, add/edit/remove items, assign to a patient, archive; and the patient's
side: log a planned item (or a whole meal slot) into the diary, undo it.

Every page view and API view calls these. Each checks permissions through ``clinical.rules``
and the plan selectors (another nutritionist's plan raises ``PlanNotFound`` -> 404), raises
``ValidationError`` with a Spanish message per field, and changes nothing when it fails.
Nutrients of an item are computed once, when it is written, and cached on the item.
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinical import rules
from clinical.models import (
    AccessAction,
    MealPlan,
    MealPlanDay,
    MealPlanItem,
    PlanItemKind,
    PlanItemLog,
    PlanStatus,
)
from clinical.selectors import plans as selectors
from clinical.selectors.adherence import plan_day_number
from nutrition import smae
from nutrition.calc import food_values, scale
from nutrition.errors import FoodNotFound, RecipeNotFound
from nutrition.models import EntryUnit
from nutrition.reference import SMAE_GROUPS

MAX_DAYS = 14
MAX_ITEMS_PER_DAY = 80
MAX_SERVINGS = 20
MAX_EXCHANGES = 20
MAX_PLAN_SPAN_DAYS = 366
TARGET_LIMITS = {"energy_kcal": (500, 6000), "protein_g": (0, 500), "fat_g": (0, 400), "carbs_g": (0, 900)}
SMAE_VALUES = {row[0]: {"energy_kcal": row[5], "protein_g": row[6], "fat_g": row[7], "carbs_g": row[8]}
               for row in SMAE_GROUPS}
SMAE_NAMES = {row[0]: (row[1], row[2]) for row in SMAE_GROUPS}
FOOD_UNITS = (EntryUnit.GRAMS, EntryUnit.PORTION, EntryUnit.SMAE, EntryUnit.SERVING)


# ---------------------------------------------------------------------------------------
# validation helpers


def _text(value, field: str, *, maximum: int, required: bool = False) -> str:
    if value is not None and not isinstance(value, str | int | float):
        raise ValidationError({field: _("Escribe un texto.")})
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Este campo es obligatorio.")})
    if len(text) > maximum:
        raise ValidationError({field: _("Máximo %(n)s caracteres.") % {"n": maximum}})
    return text


def _int(value, field: str, *, low: int, high: int, message: str | None = None) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: _("Escribe un número entero.")})
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("Escribe un número entero.")})
    if number != number or number != int(number):
        raise ValidationError({field: _("Escribe un número entero.")})
    number = int(number)
    if not low <= number <= high:
        raise ValidationError({field: message or _("Escribe un valor entre %(low)s y %(high)s.") % {"low": low, "high": high}})
    return number


def _number(value, field: str, *, maximum: float) -> float:
    if isinstance(value, bool) or value in (None, ""):
        raise ValidationError({field: _("Escribe la cantidad.")})
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError({field: _("Escribe un número.")})
    if number != number or number <= 0:
        raise ValidationError({field: _("La cantidad debe ser mayor que cero.")})
    if number > maximum:
        raise ValidationError({field: _("La cantidad es demasiado grande (máximo %(max)s).") % {"max": f"{maximum:g}"}})
    return number


def _date(value, field: str, *, required: bool = True) -> date_type | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Elige una fecha.")})
        return None
    if isinstance(value, date_type):
        return value
    try:
        return date_type.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Fecha no válida; usa el formato AAAA-MM-DD.")})


def _targets_clean(data: dict) -> dict:
    out, errors = {}, {}
    for name, (low, high) in TARGET_LIMITS.items():
        if name not in data:
            continue
        value = data[name]
        if value in (None, ""):
            out[name] = None
            continue
        try:
            out[name] = _int(value, name, low=low, high=high)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return out


def _collect(errors: dict, func):
    """Run one field's validation, gathering its messages so a form shows every error at once."""
    try:
        return func()
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None


def _patient_for(*, actor, patient_id):
    """The patient the actor cares for (open care), or ``PatientNotFound`` (404)."""
    access = rules.patient_access(actor=actor, patient_id=patient_id)
    if access.is_self:
        raise rules.PatientNotFound()
    return access.patient


def _editable(plan: MealPlan) -> None:
    if plan.status == PlanStatus.ARCHIVED:
        raise ValidationError({"plan": _("Un plan archivado no se modifica; clónalo para hacer uno nuevo.")})


def _day_number(plan: MealPlan, value, field: str = "day") -> int:
    count = MealPlanDay.objects.filter(plan=plan).count()
    return _int(value, field, low=1, high=max(count, 1),
                message=_("Elige un día del plan (1 a %(n)s).") % {"n": count})


def _touch(plan: MealPlan) -> None:
    MealPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


# ---------------------------------------------------------------------------------------
# plans


@transaction.atomic
def plan_create(*, actor, title, days=7, patient_id=None, description: str = "", targets: dict | None = None,
                is_template: bool = False) -> MealPlan:
    """A new draft plan of ``days`` days (1–14) for one of the actor's patients (open care) or
    for nobody (later assigned, or a template). Targets typed in ``targets`` win; missing ones
    are copied from the patient's daily targets."""
    rules.require_verified_nutritionist(actor)
    errors: dict = {}
    title = _collect(errors, lambda: _text(title, "title", maximum=150, required=True))
    description = _collect(errors, lambda: _text(description, "description", maximum=4000))
    number = _collect(errors, lambda: _int(days, "days", low=1, high=MAX_DAYS, message=_("El plan tiene de 1 a 14 días.")))
    typed = _collect(errors, lambda: _targets_clean(targets or {}))
    if errors:
        raise ValidationError(errors)
    patient = None
    if patient_id not in (None, ""):
        patient = _patient_for(actor=actor, patient_id=patient_id)
    values = {name: None for name in TARGET_LIMITS}
    if patient is not None:
        from nutrition.selectors.diary import targets_get

        current = targets_get(user=patient)
        values.update({name: getattr(current, name, None) for name in TARGET_LIMITS})
    values.update({k: v for k, v in typed.items() if v is not None})
    plan = MealPlan.objects.create(
        author=actor, patient=None if is_template else patient, title=title, description=description,
        is_template=bool(is_template), **values,
    )
    MealPlanDay.objects.bulk_create([MealPlanDay(plan=plan, number=n) for n in range(1, number + 1)])
    return plan


@transaction.atomic
def plan_update(*, actor, plan_id, data: dict) -> MealPlan:
    """Change the title, instructions, targets, number of days (dropping the last days drops
    their items) or the patient of a draft. Only the given keys change."""
    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    _editable(plan)
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": _("Envía un objeto JSON.")})
    if "title" in data:
        plan.title = _text(data["title"], "title", maximum=150, required=True)
    if "description" in data:
        plan.description = _text(data["description"], "description", maximum=4000)
    for name, value in _targets_clean(data).items():
        setattr(plan, name, value)
    if "patient_id" in data:
        if plan.status != PlanStatus.DRAFT or plan.is_template:
            raise ValidationError({"patient_id": _("Solo un borrador cambia de paciente.")})
        plan.patient = None if data["patient_id"] in (None, "") else _patient_for(actor=actor, patient_id=data["patient_id"])
    if "days" in data:
        number = _int(data["days"], "days", low=1, high=MAX_DAYS, message=_("El plan tiene de 1 a 14 días."))
        current = MealPlanDay.objects.filter(plan=plan).count()
        if number > current:
            MealPlanDay.objects.bulk_create([MealPlanDay(plan=plan, number=n) for n in range(current + 1, number + 1)])
        elif number < current:
            MealPlanDay.objects.filter(plan=plan, number__gt=number).delete()
    plan.save()
    return plan


@transaction.atomic
def plan_delete(*, actor, plan_id) -> None:
    """Delete a draft or a template (assigned plans are archived, not deleted)."""
    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"plan": _("Solo se eliminan borradores; un plan asignado se archiva.")})
    plan.delete()


def _copy_items(source_items, day: MealPlanDay) -> list[MealPlanItem]:
    copies = []
    for item in source_items:
        copies.append(MealPlanItem(
            day=day, meal=item.meal, kind=item.kind, food_id=item.food_id, recipe_id=item.recipe_id,
            portion_id=item.portion_id, unit=item.unit, quantity=item.quantity, grams=item.grams,
            smae_group=item.smae_group, note=item.note, position=item.position, energy_kcal=item.energy_kcal,
            protein_g=item.protein_g, fat_g=item.fat_g, carbs_g=item.carbs_g, fiber_g=item.fiber_g,
            equivalents=dict(item.equivalents or {}),
        ))
    return MealPlanItem.objects.bulk_create(copies)


@transaction.atomic
def plan_clone(*, actor, plan_id, patient_id=None, as_template: bool = False, title: str | None = None) -> MealPlan:
    """A new draft copy of one of the actor's plans with every day and item: for a patient
    (``patient_id``: "create from a template"), as a template (no patient: "save as
    template") or as is. The copy remembers where it came from."""
    rules.require_verified_nutritionist(actor)
    source = selectors.plan_get(user=actor, plan_id=plan_id)
    patient = None
    if as_template:
        if patient_id not in (None, ""):
            raise ValidationError({"patient_id": _("Una plantilla no tiene paciente.")})
    elif patient_id not in (None, ""):
        patient = _patient_for(actor=actor, patient_id=patient_id)
    elif not source.is_template:
        patient = source.patient
    if title in (None, ""):
        title = source.title if (as_template or source.is_template) else _("%(t)s (copia)") % {"t": source.title}
    plan = MealPlan.objects.create(
        author=actor, patient=patient, title=_text(title, "title", maximum=150, required=True)[:150],
        description=source.description, is_template=bool(as_template), status=PlanStatus.DRAFT,
        energy_kcal=source.energy_kcal, protein_g=source.protein_g, fat_g=source.fat_g, carbs_g=source.carbs_g,
        cloned_from=source,
    )
    days = list(source.days.all().prefetch_related("items"))
    new_days = MealPlanDay.objects.bulk_create([MealPlanDay(plan=plan, number=d.number, label=d.label) for d in days])
    by_number = {d.number: d for d in new_days}
    for day in days:
        _copy_items(day.items.all(), by_number[day.number])
    return plan


@transaction.atomic
def plan_day_copy(*, actor, plan_id, from_day, to_day) -> MealPlanDay:
    """Replace every item of ``to_day`` with copies of ``from_day``'s items."""
    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    _editable(plan)
    source = _day_number(plan, from_day, "from_day")
    target = _day_number(plan, to_day, "to_day")
    if source == target:
        raise ValidationError({"to_day": _("Elige otro día como destino.")})
    days = {d.number: d for d in MealPlanDay.objects.filter(plan=plan, number__in=[source, target])}
    MealPlanItem.objects.filter(day=days[target]).delete()
    _copy_items(MealPlanItem.objects.filter(day=days[source]).order_by("position", "id"), days[target])
    _touch(plan)
    return days[target]


@transaction.atomic
def plan_day_clear(*, actor, plan_id, day_number) -> MealPlanDay:
    """Remove every item of one day."""
    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    _editable(plan)
    number = _day_number(plan, day_number)
    day = MealPlanDay.objects.get(plan=plan, number=number)
    MealPlanItem.objects.filter(day=day).delete()
    _touch(plan)
    return day


# ---------------------------------------------------------------------------------------
# items


def _q2(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _fill_food(item: MealPlanItem, *, actor, food_id, quantity, unit, portion_id) -> None:
    from nutrition.selectors.foods import food_get
    from nutrition.services.diary import entry_amount_grams

    if food_id in (None, ""):
        raise ValidationError({"food_id": _("Elige un alimento.")})
    food = food_get(user=actor, food_id=food_id)
    unit = str(unit or EntryUnit.GRAMS)
    if unit not in FOOD_UNITS:
        raise ValidationError({"unit": _("Unidad no válida; usa g, portion, smae o serving.")})
    amount = _number(quantity, "quantity", maximum=5000)
    if _q2(amount) <= 0:
        raise ValidationError({"quantity": _("La cantidad debe ser mayor que cero.")})
    grams, portion = entry_amount_grams(food=food, unit=unit, quantity=amount, portion_id=portion_id)
    item.kind, item.food, item.recipe, item.smae_group = PlanItemKind.FOOD, food, None, ""
    item.unit, item.quantity, item.portion, item.grams = unit, _q2(amount), portion, round(grams, 1)
    fill_values(item, scale(food_values(food), grams), smae.food_equivalents(food, grams))


def _fill_recipe(item: MealPlanItem, *, actor, recipe_id, quantity) -> None:
    from nutrition.selectors.foods import food_get
    from nutrition.selectors.recipes import recipe_get

    if recipe_id in (None, ""):
        raise ValidationError({"recipe_id": _("Elige una receta.")})
    recipe = recipe_get(user=actor, recipe_id=recipe_id, detail=False)
    if recipe.food_id is None:
        raise ValidationError({"recipe_id": _("Esta receta aún no tiene información nutrimental.")})
    food = food_get(user=actor, food_id=recipe.food_id, with_portions=False)
    servings = _number(quantity, "quantity", maximum=MAX_SERVINGS)
    if not food.serving_size_g:
        raise ValidationError({"recipe_id": _("Esta receta no tiene porción definida.")})
    grams = servings * food.serving_size_g
    raw = (recipe.nutrition or {}).get("equivalents_raw") or {}
    equivalents = {k: v * servings for k, v in raw.items()} if raw else smae.food_equivalents(food, grams)
    item.kind, item.food, item.recipe, item.smae_group, item.portion = PlanItemKind.RECIPE, None, recipe, "", None
    item.unit, item.quantity, item.grams = EntryUnit.SERVING, _q2(servings), round(grams, 1)
    fill_values(item, scale(food_values(food), grams), equivalents)


def _fill_smae(item: MealPlanItem, *, smae_group, quantity) -> None:
    code = str(smae_group or "").strip()
    if code not in SMAE_VALUES:
        raise ValidationError({"smae_group": _("Elige un grupo del SMAE.")})
    count = _number(quantity, "quantity", maximum=MAX_EXCHANGES)
    if count * 2 != int(count * 2):
        raise ValidationError({"quantity": _("Los equivalentes van en mitades (0.5, 1, 1.5...).")})
    per = SMAE_VALUES[code]
    item.kind, item.food, item.recipe, item.portion, item.smae_group = PlanItemKind.SMAE, None, None, None, code
    item.unit, item.quantity, item.grams = "", _q2(count), None
    fill_values(item, {k: v * count for k, v in per.items()}, {code: count})


def fill_values(item: MealPlanItem, values: dict, equivalents: dict) -> None:
    """Set an item's nutrient totals and SMAE equivalents (rounded as the plan shows them)."""
    item.energy_kcal = round(values.get("energy_kcal") or 0.0, 1)
    item.protein_g = round(values.get("protein_g") or 0.0, 1)
    item.fat_g = round(values.get("fat_g") or 0.0, 1)
    item.carbs_g = round(values.get("carbs_g") or 0.0, 1)
    fiber = values.get("fiber_g")
    item.fiber_g = None if fiber is None else round(fiber, 1)
    item.equivalents = {k: round(v, 3) for k, v in equivalents.items() if v}


def _fill(item: MealPlanItem, *, actor, kind, food_id=None, recipe_id=None, smae_group=None, quantity=None,
          unit=None, portion_id=None) -> None:
    kind = str(kind or "").strip()
    try:
        if kind == PlanItemKind.FOOD:
            _fill_food(item, actor=actor, food_id=food_id, quantity=quantity, unit=unit, portion_id=portion_id)
        elif kind == PlanItemKind.RECIPE:
            _fill_recipe(item, actor=actor, recipe_id=recipe_id, quantity=quantity)
        elif kind == PlanItemKind.SMAE:
            _fill_smae(item, smae_group=smae_group, quantity=quantity)
        else:
            raise ValidationError({"kind": _("Elige qué agregar: alimento, receta o equivalentes SMAE.")})
    except FoodNotFound:
        raise ValidationError({"food_id": _("Ese alimento no existe o no está disponible.")})
    except RecipeNotFound:
        raise ValidationError({"recipe_id": _("Esa receta no existe o no está disponible.")})


@transaction.atomic
def plan_item_add(*, actor, plan_id, day_number, meal, kind, food_id=None, recipe_id=None, smae_group=None,
                  quantity=None, unit=None, portion_id=None, note: str = "") -> MealPlanItem:
    """Add a food (grams, household portion or SMAE grams), recipe servings or N SMAE
    exchanges (in halves) to a meal slot of a day. Nutrients and equivalents are cached."""
    from nutrition.services.diary import meal_clean

    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    _editable(plan)
    number = _day_number(plan, day_number)
    meal = meal_clean(meal)
    day = MealPlanDay.objects.get(plan=plan, number=number)
    if MealPlanItem.objects.filter(day=day).count() >= MAX_ITEMS_PER_DAY:
        raise ValidationError({"day": _("Un día admite hasta %(n)s elementos.") % {"n": MAX_ITEMS_PER_DAY}})
    last = MealPlanItem.objects.filter(day=day, meal=meal).order_by("-position").values_list("position", flat=True).first()
    item = MealPlanItem(day=day, meal=meal, position=(last or 0) + 1,
                        note=_text(note, "note", maximum=200))
    _fill(item, actor=actor, kind=kind, food_id=food_id, recipe_id=recipe_id, smae_group=smae_group,
          quantity=quantity, unit=unit, portion_id=portion_id)
    item.save()
    _touch(plan)
    return item


@transaction.atomic
def plan_item_update(*, actor, plan_id, item_id, quantity=None, unit=None, portion_id=None, note=None,
                     meal=None) -> MealPlanItem:
    """Change the amount (recomputing nutrients), the note or the meal slot of an item."""
    from nutrition.services.diary import meal_clean

    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    _editable(plan)
    item = selectors.item_get(user=actor, plan=plan, item_id=item_id)
    if meal not in (None, ""):
        item.meal = meal_clean(meal)
    if note is not None:
        item.note = _text(note, "note", maximum=200)
    if quantity not in (None, "") or unit not in (None, "") or portion_id not in (None, ""):
        _fill(item, actor=actor, kind=item.kind, food_id=item.food_id, recipe_id=item.recipe_id,
              smae_group=item.smae_group, quantity=quantity if quantity not in (None, "") else item.quantity,
              unit=unit or item.unit, portion_id=portion_id if portion_id not in (None, "") else item.portion_id)
    item.save()
    _touch(plan)
    return item


@transaction.atomic
def plan_item_remove(*, actor, plan_id, item_id) -> MealPlanItem:
    """Remove an item from its slot (returns the removed item, with its day and meal)."""
    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    _editable(plan)
    item = selectors.item_get(user=actor, plan=plan, item_id=item_id)
    item.delete()
    _touch(plan)
    return item


# ---------------------------------------------------------------------------------------
# assignment


@transaction.atomic
def plan_assign(*, actor, plan_id, patient_id=None, start_date=None, end_date=None, request=None) -> MealPlan:
    """Give the plan to a patient from ``start_date`` (to ``end_date``, optional). One active
    plan per patient: assigning archives the one they had. The patient gets a notification
    with a link to "Mi plan"."""
    from django.urls import reverse

    from accounts.services import notify

    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    if plan.is_template:
        raise ValidationError({"plan": _("Una plantilla no se asigna: crea un plan desde ella para el paciente.")})
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"plan": _("Este plan ya fue asignado; clónalo para asignarlo de nuevo.")})
    if patient_id in (None, ""):
        if plan.patient_id is None:
            raise ValidationError({"patient_id": _("Elige a quién asignar el plan.")})
        patient_id = plan.patient_id
    patient = _patient_for(actor=actor, patient_id=patient_id)
    start = _date(start_date, "start_date")
    end = _date(end_date, "end_date", required=False)
    today = timezone.localdate()
    if start < today - timedelta(days=30):
        raise ValidationError({"start_date": _("La fecha de inicio no puede ser de hace más de 30 días.")})
    if start > today + timedelta(days=MAX_PLAN_SPAN_DAYS):
        raise ValidationError({"start_date": _("La fecha de inicio está demasiado lejos.")})
    if end is not None and end < start:
        raise ValidationError({"end_date": _("La fecha de fin debe ser igual o posterior al inicio.")})
    if end is not None and (end - start).days > MAX_PLAN_SPAN_DAYS:
        raise ValidationError({"end_date": _("Un plan dura como máximo un año.")})
    if not MealPlanItem.objects.filter(day__plan=plan).exists():
        raise ValidationError({"plan": _("El plan está vacío: agrega alimentos antes de asignarlo.")})
    MealPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE).exclude(pk=plan.pk).update(
        status=PlanStatus.ARCHIVED, updated_at=timezone.now()
    )
    plan.patient = patient
    plan.status = PlanStatus.ACTIVE
    plan.start_date, plan.end_date = start, end
    plan.assigned_at = timezone.now()
    plan.save()
    rules.access_log(patient=patient, actor=actor, action=AccessAction.CREATE, resource="plan", object_id=plan.pk,
                     request=request)
    name = actor.get_full_name() or actor.get_username()
    notify(
        patient, "meal_plan_assigned", _("Tienes un plan de alimentación nuevo"),
        _("%(name)s te asignó «%(title)s».") % {"name": name, "title": plan.title},
        link=reverse("clinical:today_plan"), data={"plan_id": plan.pk}, category="clinical",
    )
    return plan


@transaction.atomic
def plan_archive(*, actor, plan_id) -> MealPlan:
    """Stop an assigned plan (the patient keeps reading it as archived)."""
    rules.require_verified_nutritionist(actor)
    plan = selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"plan": _("Solo se archiva un plan asignado.")})
    plan.status = PlanStatus.ARCHIVED
    plan.save(update_fields=["status", "updated_at"])
    return plan


# ---------------------------------------------------------------------------------------
# the patient's log


def _plan_item_for_patient(*, actor, item_id, day: date_type) -> MealPlanItem:
    """An item of the patient's active plan that falls on ``day``, else ``PlanItemNotFound``."""
    pk = rules.id_parse(item_id)
    if pk is None:
        raise selectors.PlanItemNotFound()
    item = (
        MealPlanItem.objects.select_related("day", "day__plan", "food", "recipe", "portion")
        .filter(pk=pk, day__plan__patient=actor, day__plan__status=PlanStatus.ACTIVE, day__plan__is_template=False)
        .first()
    )
    if item is None:
        raise selectors.PlanItemNotFound()
    plan = item.day.plan
    if plan.start_date is None or day < plan.start_date or (plan.end_date and day > plan.end_date):
        raise ValidationError({"date": _("Tu plan no cubre esa fecha.")})
    days_in_plan = MealPlanDay.objects.filter(plan=plan).count()
    if plan_day_number(plan.start_date, day, days_in_plan) != item.day.number:
        raise ValidationError({"date": _("Este alimento no está en tu plan de ese día.")})
    return item


def smae_log_name(item: MealPlanItem) -> str:
    """"2 × Cereales y tubérculos sin grasa (plan)"."""
    from nutrition.models import is_spanish

    names = SMAE_NAMES.get(item.smae_group, (item.smae_group, item.smae_group))
    count = f"{float(item.quantity):g}"
    return _("%(n)s × %(group)s (plan)") % {"n": count, "group": names[0] if is_spanish() else names[1]}


def _diary_entry_for(*, actor, item: MealPlanItem, day: date_type):
    from nutrition.services.diary import diary_entry_add, diary_quick_add

    if item.kind in (PlanItemKind.FOOD, PlanItemKind.RECIPE):
        try:
            if item.kind == PlanItemKind.FOOD:
                return diary_entry_add(actor=actor, date=day, meal=item.meal, food_id=item.food_id,
                                       quantity=item.quantity, unit=item.unit or EntryUnit.GRAMS,
                                       portion_id=item.portion_id, note=item.note)
            return diary_entry_add(actor=actor, date=day, meal=item.meal, recipe_id=item.recipe_id,
                                   quantity=item.quantity, unit=EntryUnit.SERVING, note=item.note)
        except (FoodNotFound, RecipeNotFound, ValidationError):
            pass  # a food the patient cannot see (the author's private food): log its figures
        name = (item.food.name if item.food_id else getattr(item.recipe, "title", "")) or _("Alimento del plan")
    else:
        name = smae_log_name(item)
    if not item.energy_kcal or item.energy_kcal <= 0:
        return None  # "libres": nothing to add to the diary
    return diary_quick_add(actor=actor, date=day, meal=item.meal, name=name, energy_kcal=item.energy_kcal,
                           protein_g=item.protein_g, fat_g=item.fat_g, carbs_g=item.carbs_g)


@transaction.atomic
def plan_item_log(*, actor, item_id, date=None) -> tuple[PlanItemLog, bool]:
    """Log one planned item into the patient's diary for ``date`` (today by default) in its
    meal: a real diary entry for foods and recipes, a quick add of the exchanges' kcal and
    macros for SMAE items. Idempotent: a second call the same day answers the existing log
    (``created`` False)."""
    from nutrition.services.diary import date_clean

    day = date_clean(date)
    item = _plan_item_for_patient(actor=actor, item_id=item_id, day=day)
    existing = PlanItemLog.objects.filter(item=item, date=day).first()
    if existing is not None:
        return existing, False
    entry = _diary_entry_for(actor=actor, item=item, day=day)
    try:
        with transaction.atomic():
            log = PlanItemLog.objects.create(item=item, patient=actor, date=day, diary_entry=entry)
    except IntegrityError:  # a simultaneous tap won: undo our entry, answer theirs
        if entry is not None:
            entry.delete()
        return PlanItemLog.objects.get(item=item, date=day), False
    return log, True


@transaction.atomic
def plan_item_unlog(*, actor, item_id, date=None) -> None:
    """Undo a logged planned item: delete the log and its diary entry."""
    from nutrition.services.diary import date_clean, diary_entry_delete

    day = date_clean(date)
    pk = rules.id_parse(item_id)
    log = PlanItemLog.objects.filter(item_id=pk, date=day, patient=actor).first() if pk else None
    if log is None:
        raise selectors.PlanItemNotFound()
    entry_id = log.diary_entry_id
    log.delete()
    if entry_id:
        from nutrition.models import DiaryEntry

        try:
            diary_entry_delete(actor=actor, entry_id=entry_id)
        except DiaryEntry.DoesNotExist:
            pass


@transaction.atomic
def plan_meal_log(*, actor, meal, date=None) -> list[tuple[PlanItemLog, bool]]:
    """"Comí lo planeado": log every planned item of one meal slot of the day."""
    from nutrition.services.diary import date_clean, meal_clean

    day = date_clean(date)
    meal = meal_clean(meal)
    today = selectors.plan_today(user=actor, day=day)
    if today is None:
        raise selectors.PlanNotFound()
    slot = next(s for s in today["slots"] if s.meal == meal)
    if not slot.items:
        raise ValidationError({"meal": _("No hay nada planeado en esta comida.")})
    return [plan_item_log(actor=actor, item_id=row["item"].pk, date=day) for row in slot.items]
