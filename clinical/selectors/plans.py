"""Reads of meal plans, scoped to what the actor may see.

- A plan belongs to its author (a nutritionist): drafts, assigned and archived plans and
  templates. Another nutritionist's plan looks missing (``PlanNotFound``, 404).
- A patient reads their own ASSIGNED plans (active or archived), never drafts or templates.
- Totals of a day and of each meal slot are sums of the nutrients cached on the items, with
  the plan's targets (value, target, % and bar width) and the SMAE equivalents of the day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as date_type
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clinical.models import MealPlan, MealPlanDay, MealPlanItem, PlanItemLog, PlanStatus
from clinical.rules import id_parse
from clinical.selectors.adherence import plan_day_number
from nutrition import smae
from nutrition.models import Meal

MACROS = ("energy_kcal", "protein_g", "fat_g", "carbs_g")
MACRO_LABELS = {
    "energy_kcal": (_("Energía"), "kcal"),
    "protein_g": (_("Proteína"), "g"),
    "fat_g": (_("Grasa"), "g"),
    "carbs_g": (_("Carbohidratos"), "g"),
}
READER_STATUSES = (PlanStatus.ACTIVE, PlanStatus.ARCHIVED)


class PlanNotFound(ObjectDoesNotExist):
    error_code = "PLAN_NOT_FOUND"

    def __str__(self):
        return str(_("Plan no encontrado."))


class PlanItemNotFound(ObjectDoesNotExist):
    error_code = "PLAN_ITEM_NOT_FOUND"

    def __str__(self):
        return str(_("Elemento del plan no encontrado."))


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=MealPlanItem.objects.select_related("food", "recipe", "portion").order_by("position", "id"),
    )


# ---------------------------------------------------------------------------------------
# plans


def plans_authored(*, user) -> QuerySet[MealPlan]:
    """Plans and templates ``user`` wrote."""
    if not getattr(user, "is_authenticated", False):
        return MealPlan.objects.none()
    return MealPlan.objects.filter(author=user)


def plan_list(*, user, templates: bool | None = None, status: str | None = None, patient_id=None) -> QuerySet[MealPlan]:
    """The author's plans (newest change first) with the patient and the number of days/items.
    Two queries whatever the number of plans (the list and, when paginated, the count)."""
    qs = plans_authored(user=user).select_related("patient").annotate(
        days_count=Count("days", distinct=True), items_count=Count("days__items", distinct=True)
    )
    if templates is not None:
        qs = qs.filter(is_template=templates)
    if status:
        qs = qs.filter(status=status)
    if patient_id is not None:
        qs = qs.filter(patient_id=patient_id)
    return qs.order_by("-updated_at", "-id")


def plan_get(*, user, plan_id, for_update: bool = False) -> MealPlan:
    """One plan the user wrote, or ``PlanNotFound``."""
    pk = id_parse(plan_id)
    if pk is None:
        raise PlanNotFound()
    qs = plans_authored(user=user).select_related("patient", "author")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    plan = qs.filter(pk=pk).first()
    if plan is None:
        raise PlanNotFound()
    return plan


def plan_get_readable(*, user, plan_id) -> MealPlan:
    """A plan the user wrote, or one assigned to them (active or archived); else ``PlanNotFound``."""
    pk = id_parse(plan_id)
    if pk is None or not getattr(user, "is_authenticated", False):
        raise PlanNotFound()
    plan = (
        MealPlan.objects.select_related("patient", "author", "author__nutritionist_profile")
        .filter(pk=pk)
        .filter(Q(author=user) | Q(patient=user, is_template=False, status__in=READER_STATUSES))
        .first()
    )
    if plan is None:
        raise PlanNotFound()
    return plan


def plans_assigned(*, user) -> QuerySet[MealPlan]:
    """The patient's assigned plans (active first, then archived)."""
    return (
        MealPlan.objects.filter(patient=user, is_template=False, status__in=READER_STATUSES)
        .select_related("author")
        .order_by("status", "-assigned_at", "-id")
    )


def plan_active(*, user, day: date_type) -> MealPlan | None:
    """The patient's active plan covering ``day`` (one query), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        MealPlan.objects.filter(patient=user, status=PlanStatus.ACTIVE, is_template=False, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("author")
        .order_by("-assigned_at", "-id")
        .first()
    )


# ---------------------------------------------------------------------------------------
# totals


def _target_of(plan: MealPlan, name: str):
    return getattr(plan, name, None) if plan is not None else None


def totals_rows(values: dict, plan: MealPlan | None) -> list[dict]:
    """``[{field, label, unit, value, target, percent, bar, over}]`` for kcal and macros."""
    rows = []
    for name in MACROS:
        value = round(values.get(name) or 0.0, 1)
        target = _target_of(plan, name)
        percent = round(100 * value / target) if target else None
        label, unit = MACRO_LABELS[name]
        rows.append({
            "field": name, "label": str(label), "unit": unit, "value": value, "target": target,
            "percent": percent, "bar": min(percent or 0, 100), "over": bool(percent and percent > 110),
        })
    return rows


def items_sum(items) -> dict:
    """Sum of the cached nutrients and equivalents of some items."""
    out = {name: 0.0 for name in MACROS}
    for item in items:
        for name in MACROS:
            out[name] += getattr(item, name) or 0.0
    out = {k: round(v, 1) for k, v in out.items()}
    out["equivalents"] = smae.merge(item.equivalents or {} for item in items)
    return out


def totals_from_items(plan: MealPlan, items) -> dict:
    """Day totals from already-loaded items (no query): ``{"values", "rows", "slots",
    "equivalents", "equivalents_text"}``; ``slots`` is ``{meal: values}``."""
    items = list(items)
    by_meal = defaultdict(list)
    for item in items:
        by_meal[item.meal].append(item)
    values = items_sum(items)
    equivalents = values.pop("equivalents")
    slots = {}
    for meal in Meal.values:
        slot_values = items_sum(by_meal.get(meal, []))
        slot_values.pop("equivalents")
        slots[meal] = slot_values
    return {
        "values": values,
        "rows": totals_rows(values, plan),
        "slots": slots,
        "equivalents": smae.as_list(equivalents),
        "equivalents_raw": {k: round(v, 2) for k, v in equivalents.items()},
        "equivalents_text": smae.as_text(equivalents),
    }


def plan_day_totals(plan: MealPlan, day_number: int) -> dict:
    """Totals of one day of the plan (one query): per day and per slot, against the plan's
    targets, and the SMAE equivalents of the day. The builder and the API use it."""
    items = MealPlanItem.objects.filter(day__plan=plan, day__number=day_number).only(
        "id", "meal", "energy_kcal", "protein_g", "fat_g", "carbs_g", "equivalents"
    )
    totals = totals_from_items(plan, items)
    totals["day"] = day_number
    return totals


# ---------------------------------------------------------------------------------------
# the whole plan


@dataclass
class Slot:
    meal: str
    label: str
    items: list = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class PlanDay:
    day: MealPlanDay
    number: int
    slots: list[Slot]
    totals: dict
    date: date_type | None = None


def plan_days(plan: MealPlan) -> list[PlanDay]:
    """Every day of the plan with its 5 slots, items and totals (two queries)."""
    days = list(MealPlanDay.objects.filter(plan=plan).prefetch_related(_items_prefetch()).order_by("number"))
    out = []
    for day in days:
        items = decorate(list(day.items.all()))
        totals = totals_from_items(plan, items)
        totals["day"] = day.number
        slots = []
        for meal, label in Meal.choices:
            slots.append(Slot(meal=meal, label=str(label), items=[i for i in items if i.meal == meal],
                              values=totals["slots"][meal]))
        out.append(PlanDay(day=day, number=day.number, slots=slots, totals=totals))
    return out


def plan_slot(plan: MealPlan, day_number: int, meal: str) -> Slot:
    """One slot of one day with its items (one query)."""
    items = list(
        MealPlanItem.objects.filter(day__plan=plan, day__number=day_number, meal=meal)
        .select_related("food", "recipe", "portion")
        .order_by("position", "id")
    )
    decorate(items)
    values = items_sum(items)
    values.pop("equivalents")
    return Slot(meal=meal, label=str(Meal(meal).label), items=items, values=values)


def item_get(*, user, plan: MealPlan, item_id) -> MealPlanItem:
    """One item of the author's plan, or ``PlanItemNotFound``."""
    pk = id_parse(item_id)
    item = None
    if pk is not None:
        item = MealPlanItem.objects.select_related("day", "food", "recipe", "portion").filter(
            pk=pk, day__plan=plan, day__plan__author=user
        ).first()
    if item is None:
        raise PlanItemNotFound()
    return item


# ---------------------------------------------------------------------------------------
# the patient's day


def plan_today(*, user, day: date_type) -> dict | None:
    """The patient's plan for ``day``: ``{"plan", "day_number", "date", "slots": [Slot with
    items as {"item", "logged", "log"}], "totals", "planned", "logged"}`` or None when no
    active plan covers the day. Four queries."""
    plan = plan_active(user=user, day=day)
    if plan is None:
        return None
    days_in_plan = MealPlanDay.objects.filter(plan=plan).count()
    number = plan_day_number(plan.start_date, day, days_in_plan)
    if number is None:
        return None
    items = list(
        MealPlanItem.objects.filter(day__plan=plan, day__number=number)
        .select_related("food", "recipe", "portion")
        .order_by("position", "id")
    )
    decorate(items)
    logs = {log.item_id: log for log in PlanItemLog.objects.filter(item__in=[i.pk for i in items], date=day)}
    totals = totals_from_items(plan, items)
    slots = []
    for meal, label in Meal.choices:
        rows = [{"item": i, "logged": i.pk in logs, "log": logs.get(i.pk)} for i in items if i.meal == meal]
        slot = Slot(meal=meal, label=str(label), items=rows, values=totals["slots"][meal])
        slot.all_logged = bool(rows) and all(r["logged"] for r in rows)
        slots.append(slot)
    return {
        "plan": plan, "day_number": number, "date": day, "slots": slots, "totals": totals,
        "planned": len(items), "logged": len(logs),
    }


# ---------------------------------------------------------------------------------------
# presentation shared by pages, the API and the PDF


def item_name(item: MealPlanItem) -> str:
    """What the item is: the food's or recipe's name, or the SMAE group's name."""
    if item.kind == "smae":
        group = smae.groups().get(item.smae_group)
        return group.name if group else item.smae_group
    if item.food_id and item.food is not None:
        return item.food.name
    if item.recipe_id and item.recipe is not None:
        return getattr(item.recipe, "display_title", "") or item.recipe.title
    return ""


def _qty(value) -> str:
    number = float(value or 0)
    return f"{number:g}"


def item_amount(item: MealPlanItem) -> str:
    """"120 g", "2 × 1 pieza (30 g)", "1.5 porciones", "2 equivalentes"."""
    if item.kind == "smae":
        count = float(item.quantity)
        return str(_("%(n)s equivalente") if count == 1 else _("%(n)s equivalentes")) % {"n": _qty(count)}
    if item.kind == "recipe":
        count = float(item.quantity)
        return str(_("%(n)s porción") if count == 1 else _("%(n)s porciones")) % {"n": _qty(count)}
    grams = f"{float(item.grams or 0):g} g"
    if item.unit == "portion" and item.portion_id and item.portion is not None:
        portion = item.portion
        return f"{_qty(item.quantity * Decimal(str(portion.amount)))} {portion.description} ({grams})"
    if item.unit == "g":
        return grams
    return f"{_qty(item.quantity)} {item.unit} ({grams})"


def item_equivalents_text(item: MealPlanItem) -> str:
    return smae.as_text(item.equivalents or {}) if item.equivalents else ""


def decorate(items: list) -> list:
    """Give loaded items ``display_name``, ``display_amount`` and ``display_equivalents``."""
    for item in items:
        item.display_name = item_name(item)
        item.display_amount = item_amount(item)
        item.display_equivalents = item_equivalents_text(item)
    return items
