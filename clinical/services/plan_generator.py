"""The automatic meal-plan generator (seed 000 §6.7, seed 004 ``/generate-plan``).

``meal_plan_generate`` writes a draft ``MealPlan`` of 1-14 days × five meal slots from Mexican
foods and system recipes whose portions a local optimiser (``clinical.generator.optimizer``,
a MILP per day) chooses so that every day meets the energy target ±5 % and protein, fat and
carbohydrate ±10 %, without the person's allergens, under their budget and without repeating
a main dish within two days. Every number (portions, grams, nutrients, equivalents, costs)
comes from our food table and price table. When a language model is configured it only names
the plan and writes a short description and tips; if it fails the plan keeps a plain title.

Who: a verified nutritionist for a patient in their care (or for nobody: a draft to assign
later), and a person without a nutritionist for themselves. Someone whose nutritionist
follows them is told to ask for the plan there: the plan is part of that care.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, Field

from clinical import rules
from clinical.generator import catalog, optimizer, prices
from clinical.models import (
    CareRelationship,
    CareStatus,
    MealPlan,
    MealPlanDay,
    MealPlanItem,
    PlanItemKind,
    PlanStatus,
)
from clinical.selectors import plans as plan_selectors
from clinical.services.plans import fill_values
from nutrition import smae
from nutrition.calc import food_values, scale
from nutrition.models import EntryUnit, Food, Recipe, RecipeIngredient

logger = logging.getLogger(__name__)

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 14, 7
TARGET_RANGES = {"energy_kcal": (1000, 5000), "protein_g": (30, 350), "fat_g": (20, 250), "carbs_g": (50, 700)}
ENERGY_MISMATCH = 0.12  # macros (4/9/4 kcal per g) may differ this much from the energy target
BUDGETS = tuple(prices.BUDGET_CAPS)
MAX_PREFERENCES = 300
RELAXATION_MESSAGES = {
    "variety": _("Se repitió algún platillo principal antes de 2 días: no hubo suficientes opciones distintas."),
    "budget": _("No fue posible cumplir las metas con el presupuesto elegido: algún día lo rebasa."),
    "meals": _("Se flexibilizó el reparto de energía entre comidas."),
    "tolerance": _("Las metas se cumplieron con un margen más amplio (±10 % energía, ±20 % macronutrimentos)."),
    "tolerance_open": _("Con estas restricciones no se alcanzaron las metas; el plan se acerca lo más posible."),
}


@dataclass
class GeneratedPlan:
    plan: MealPlan
    days: list[optimizer.DayResult]
    targets: dict[str, float]
    named_by: str  # "ai" | "default"
    seconds: float


class PlanNaming(BaseModel):
    """What the language model may write: words only."""

    title: str = Field(min_length=3, max_length=120)
    description: str = Field(default="", max_length=1200)
    tips: list[str] = Field(default_factory=list, max_length=6)


# ---------------------------------------------------------------------------------------
# input


def _int_in(value, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: message})
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError({field: message})
    if number != number or number != int(number) or not low <= number <= high:
        raise ValidationError({field: message})
    return int(number)


def _choices(value, field: str, allowed: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",")]
    if not isinstance(value, list | tuple):
        raise ValidationError({field: _("Envía una lista de opciones.")})
    out = []
    for raw in value:
        code = str(raw or "").strip().lower()
        if not code:
            continue
        if code not in allowed:
            raise ValidationError({field: _("Opción desconocida: «%(v)s». Usa: %(ok)s.") % {
                "v": code[:40], "ok": ", ".join(allowed)}})
        if code not in out:
            out.append(code)
    return out


def generation_subject(*, actor, patient_id=None):
    """Who the plan is for: ``(patient or None, author)``. Raises ``PatientNotFound`` (404)
    for someone not in the nutritionist's care, ``PermissionDenied`` for a person whose
    nutritionist follows them."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Inicia sesión para generar un plan."))
    if rules.is_verified_nutritionist(actor):
        if patient_id in (None, ""):
            return None, actor
        access = rules.patient_access(actor=actor, patient_id=patient_id)
        return access.patient, actor
    if patient_id not in (None, "") and rules.id_parse(patient_id) != actor.pk:
        raise rules.PatientNotFound()
    if CareRelationship.objects.filter(patient=actor, status=CareStatus.ACTIVE).exists():
        raise PermissionDenied(_("Tu nutrióloga(o) te acompaña: pídele tu plan de alimentación; "
                                 "lo ajustará a tu historia clínica."))
    return actor, actor


_PROFILE_ALLERGY_WORDS = {
    "gluten": ("gluten", "trigo", "celia"), "lacteos": ("lact", "leche", "queso"), "huevo": ("huevo",),
    "cacahuate": ("cacahuate", "maní", "mani"), "nueces": ("nuez", "nueces", "almendra"),
    "mariscos": ("marisco", "camar", "crustáceo", "molusco"), "pescado": ("pescado",), "soya": ("soya", "soja"),
}


def profile_defaults(patient) -> dict:
    """Allergies and restrictions from the patient's profile (free text matched to our codes,
    vegetarian/vegan eating): what the form starts with and what the API applies when the
    request does not say."""
    from accounts.models import Profile

    profile = Profile.objects.filter(user=patient).first() if patient is not None else None
    if profile is None:
        return {"allergies": [], "restrictions": []}
    words = " ".join(str(a) for a in (profile.allergies or []) + (profile.restrictions or [])).lower()
    allergies = [code for code, keys in _PROFILE_ALLERGY_WORDS.items() if any(k in words for k in keys)]
    restrictions = {"vegetarian": ["vegetariano"], "vegan": ["vegano"]}.get(profile.dietary_preference, [])
    if "cerdo" in words or "puerco" in words:
        restrictions.append("sin_cerdo")
    return {"allergies": allergies, "restrictions": restrictions}


def base_targets(patient) -> dict[str, int]:
    """The patient's daily targets (those the nutritionist set, else computed from the
    profile); 2,000 kcal with the default split for a plan without a patient."""
    from nutrition.selectors.diary import targets_get
    from nutrition.targets import DEFAULT_KCAL, MACRO_SPLIT

    if patient is None:
        p, f, c = MACRO_SPLIT["default"]
        return {"energy_kcal": DEFAULT_KCAL, "protein_g": round(DEFAULT_KCAL * p / 4),
                "fat_g": round(DEFAULT_KCAL * f / 9), "carbs_g": round(DEFAULT_KCAL * c / 4)}
    current = targets_get(user=patient)
    return {name: int(getattr(current, name)) for name in optimizer.MACROS}


def targets_clean(base: dict[str, int], typed: dict | None) -> dict[str, int]:
    """Typed targets win; typing only the energy rescales the macros the same way. Each
    value within range, and the macros must add up to about the energy."""
    typed = {k: v for k, v in (typed or {}).items() if k in TARGET_RANGES and v not in (None, "")}
    errors, values = {}, {}
    for name, value in typed.items():
        low, high = TARGET_RANGES[name]
        try:
            values[name] = _int_in(value, name, low, high,
                                   _("Escribe un número entero entre %(low)s y %(high)s.") % {"low": low, "high": high})
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    out = dict(base)
    if "energy_kcal" in values and base.get("energy_kcal"):
        ratio = values["energy_kcal"] / base["energy_kcal"]
        for name in ("protein_g", "fat_g", "carbs_g"):
            out[name] = round(base[name] * ratio)
    out.update(values)
    from_macros = 4 * out["protein_g"] + 9 * out["fat_g"] + 4 * out["carbs_g"]
    if abs(from_macros - out["energy_kcal"]) > ENERGY_MISMATCH * out["energy_kcal"]:
        raise ValidationError({"energy_kcal": _(
            "Las macros suman %(sum)s kcal (4 kcal/g de proteína y carbohidratos, 9 kcal/g de grasa) y la meta de "
            "energía es %(kcal)s kcal: ajusta una de las dos."
        ) % {"sum": round(from_macros), "kcal": out["energy_kcal"]}})
    return out


# ---------------------------------------------------------------------------------------
# candidates


def _recipe_tags(ingredients) -> set[str]:
    tags: set[str] = set()
    for ing in ingredients:
        food = ing.food
        if food is not None:
            tags |= catalog.food_tags(group=food.group_id, name_es=food.name_es, name_en=food.name_en)
        tags |= catalog.food_tags(group=None, name_es=ing.name)
    return tags


def candidates_load(*, excluded: set[str]) -> list[optimizer.Candidate]:
    """Catalog foods and published system recipes without the excluded tags, with the
    values and cost of one portion step. Three queries."""
    out = []
    ndbs = [entry.ndb for entry in catalog.CATALOG]
    foods = {f.external_id: f for f in Food.objects.filter(source="usda", external_id__in=ndbs, is_active=True)}
    for entry in catalog.CATALOG:
        food = foods.get(entry.ndb)
        if food is None or food.energy_kcal is None:
            continue
        if catalog.food_tags(group=food.group_id, name_es=food.name_es, name_en=food.name_en) & excluded:
            continue
        per = scale(food_values(food), entry.step_g)
        out.append(optimizer.Candidate(
            key=f"f:{food.pk}", kind="food", role=entry.role, slots=entry.slots, main_in=entry.main_in,
            values=tuple(float(per.get(m) or 0.0) for m in optimizer.MACROS), step=float(entry.step_g),
            min_steps=max(1, round(entry.min_g / entry.step_g)), max_steps=max(1, entry.max_g // entry.step_g),
            cost=prices.cost_per_gram(entry.ndb) * entry.step_g, name=food.name,
        ))
    recipes = list(
        Recipe.objects.filter(is_system=True, deleted_at__isnull=True, meal_type__in=list(catalog.RECIPE_SLOTS),
                              food__isnull=False, food__serving_size_g__gt=0)
        .select_related("food")
    )
    ingredients = defaultdict(list)
    for ing in RecipeIngredient.objects.filter(recipe__in=recipes).select_related("food"):
        ingredients[ing.recipe_id].append(ing)
    low, high, step = catalog.RECIPE_SERVINGS
    for recipe in sorted(recipes, key=lambda r: r.pk):
        if _recipe_tags(ingredients[recipe.pk]) & excluded or recipe.food.energy_kcal is None:
            continue
        per = scale(food_values(recipe.food), recipe.food.serving_size_g * step)
        if recipe.meal_type == "colacion" and (per.get("energy_kcal") or 0) / step < catalog.SNACK_MIN_KCAL:
            continue  # salsas are not a snack
        cost = prices.recipe_serving_cost(
            [(i.food.external_id if i.food_id else None, i.grams or 0) for i in ingredients[recipe.pk]],
            recipe.servings,
        ) * step
        slots = catalog.RECIPE_SLOTS[recipe.meal_type]
        side = catalog.RECIPE_SIDES.get(recipe.slug)
        role = side or ("snack" if recipe.meal_type == "colacion" else catalog.MAIN)
        out.append(optimizer.Candidate(
            key=f"r:{recipe.pk}", kind="recipe", role=role,
            slots=slots, main_in=() if side else tuple(s for s in slots if s in catalog.MAIN_SLOTS),
            values=tuple(float(per.get(m) or 0.0) for m in optimizer.MACROS), step=step,
            min_steps=round(low / step), max_steps=round(high / step), cost=cost,
            mexican=recipe.is_traditional_mexican, name=recipe.display_title,
        ))
    return out


# ---------------------------------------------------------------------------------------
# naming


def _default_naming(*, days: int, targets: dict, choices_all: list[str], budget: str) -> PlanNaming:
    title = _("Plan mexicano de %(days)s días · %(kcal)s kcal") % {"days": days, "kcal": targets["energy_kcal"]}
    description = _(
        "Plan generado con alimentos y platillos mexicanos para cubrir cada día %(kcal)s kcal, %(p)s g de "
        "proteína, %(f)s g de grasa y %(c)s g de carbohidratos, con presupuesto %(budget)s."
    ) % {"kcal": targets["energy_kcal"], "p": targets["protein_g"], "f": targets["fat_g"], "c": targets["carbs_g"],
         "budget": str(prices.BUDGET_LABELS[budget]).lower()}
    if choices_all:
        description += " " + _("Sin: %(list)s.") % {"list": ", ".join(choices_all)}
    tips = [
        _("Prepara las leguminosas y el arroz una vez y guárdalos en porciones para la semana."),
        _("Pesa las porciones los primeros días; después las reconocerás a simple vista."),
        _("Bebe agua simple con cada comida y evita las bebidas azucaradas."),
    ]
    return PlanNaming(title=title[:120], description=description, tips=tips)


def _ai_naming(*, days_out, targets, excluded_labels, preferences, budget, actor, patient) -> PlanNaming | None:
    """A title, a short description and tips from the language model, or None on any error.
    The model sees the dishes already chosen; it is told numbers are not its business and
    nothing it writes becomes a number of the plan."""
    from integrations.ai import AIError, ai_enabled, chat_json

    if not ai_enabled():
        return None
    dishes = []
    for day in days_out:
        names = [c.candidate.name for c in day.choices if c.candidate.kind == "recipe" or c.slot == catalog.C]
        dishes.append(f"Día {day.number}: " + ", ".join(names[:6]))
    messages = [
        {"role": "system", "content": (
            "Eres nutrióloga en México. Pon nombre a un plan de alimentación ya calculado y escribe una descripción "
            "breve (máximo 3 oraciones) y de 3 a 5 consejos prácticos en español de México. No cambies porciones ni "
            "cifras y no inventes alimentos. Responde solo JSON con las claves title, description y tips."
        )},
        {"role": "user", "content": (
            f"Días: {len(days_out)}. Meta diaria: {targets['energy_kcal']} kcal. Presupuesto: {budget}. "
            f"Excluir: {', '.join(excluded_labels) or 'nada'}. Preferencias: {preferences or 'ninguna'}.\n"
            + "\n".join(dishes)
        )},
    ]
    practice = actor if patient is not None and actor.pk != patient.pk else None
    try:
        reply = chat_json(messages, PlanNaming, feature="meal_plan", user=patient or actor, practice=practice,
                          temperature=0.5)
    except AIError as exc:
        logger.info("plan naming fell back to the default title: %s", exc.code)
        return None
    tips = [t.strip()[:200] for t in reply.tips if t and t.strip()][:5]
    return PlanNaming(title=reply.title.strip()[:120], description=reply.description.strip()[:1200], tips=tips)


# ---------------------------------------------------------------------------------------
# the plan


def _item_for(day: MealPlanDay, choice: optimizer.Choice, position: int, foods: dict, recipes: dict) -> MealPlanItem:
    """The plan item of one choice, its nutrients computed like the plan builder does."""
    cand = choice.candidate
    item = MealPlanItem(day=day, meal=choice.slot, position=position)
    pk = int(cand.key.split(":")[1])
    if cand.kind == "food":
        food = foods[pk]
        grams = choice.amount
        values = scale(food_values(food), grams)
        item.kind, item.food, item.unit = PlanItemKind.FOOD, food, EntryUnit.GRAMS
        item.quantity, item.grams = round(grams, 2), round(grams, 1)
        equivalents = smae.food_equivalents(food, grams)
    else:
        recipe = recipes[pk]
        servings = choice.amount
        grams = servings * recipe.food.serving_size_g
        values = scale(food_values(recipe.food), grams)
        raw = (recipe.nutrition or {}).get("equivalents_raw") or {}
        equivalents = {k: v * servings for k, v in raw.items()} if raw else smae.food_equivalents(recipe.food, grams)
        item.kind, item.recipe, item.unit = PlanItemKind.RECIPE, recipe, EntryUnit.SERVING
        item.quantity, item.grams = servings, round(grams, 1)
    fill_values(item, values, equivalents)
    return item


def meal_plan_generate(*, actor, patient_id=None, days=DEFAULT_DAYS, targets: dict | None = None, allergies=None,
                       restrictions=None, budget: str = "medio", preferences: str = "", seed: int | None = None,
                       request=None) -> GeneratedPlan:
    """Generate and save a draft plan (see the module docstring). ``targets`` may override
    energy_kcal, protein_g, fat_g and carbs_g; ``allergies`` and ``restrictions`` are codes of
    ``catalog.ALLERGIES`` / ``catalog.RESTRICTIONS`` (None: those of the patient's profile);
    ``budget`` is bajo, medio or alto.
    Raises ``ValidationError`` (per field), ``PatientNotFound`` or ``PermissionDenied``;
    nothing is saved when it fails."""
    started = time.perf_counter()
    patient, author = generation_subject(actor=actor, patient_id=patient_id)
    errors: dict = {}

    def collect(func):
        try:
            return func()
        except ValidationError as exc:
            errors.update(exc.message_dict)
            return None

    number = collect(lambda: _int_in(days if days not in (None, "") else DEFAULT_DAYS, "days", MIN_DAYS, MAX_DAYS,
                                     _("El plan tiene de 1 a 14 días.")))
    defaults = profile_defaults(patient) if allergies is None or restrictions is None else {}
    allergy_codes = collect(lambda: _choices(defaults["allergies"] if allergies is None else allergies, "allergies",
                                             catalog.ALLERGIES)) or []
    restriction_codes = collect(lambda: _choices(defaults["restrictions"] if restrictions is None else restrictions,
                                                 "restrictions", catalog.RESTRICTIONS)) or []
    budget = str(budget or "medio").strip().lower()
    if budget not in BUDGETS:
        errors["budget"] = [_("Elige un presupuesto: bajo, medio o alto.")]
    preferences = str(preferences or "").strip()
    if len(preferences) > MAX_PREFERENCES:
        errors["preferences"] = [_("Máximo %(n)s caracteres.") % {"n": MAX_PREFERENCES}]
    goal = collect(lambda: targets_clean(base_targets(patient), targets))
    if errors:
        raise ValidationError(errors)

    excluded = catalog.excluded_tags(allergy_codes + restriction_codes)
    candidates = candidates_load(excluded=excluded)
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    try:
        days_out = optimizer.plan_days(candidates, goal, days=number, budget=prices.BUDGET_CAPS[budget], seed=seed)
    except optimizer.NoPlanPossible:
        raise ValidationError({"restrictions": _(
            "Con estas alergias y restricciones no quedan suficientes alimentos para armar un día completo; "
            "quita alguna o escribe el plan a mano."
        )})

    labels = [str(catalog.ALLERGIES[c]) for c in allergy_codes] + [str(catalog.RESTRICTIONS[c]) for c in restriction_codes]
    naming = _ai_naming(days_out=days_out, targets=goal, excluded_labels=labels, preferences=preferences,
                        budget=budget, actor=actor, patient=patient)
    named_by = "ai" if naming is not None else "default"
    if naming is None:
        naming = _default_naming(days=number, targets=goal, choices_all=labels, budget=budget)
    relaxed = sorted({r for d in days_out for r in d.relaxed}, key=optimizer.RELAXATION_ORDER.index)

    with transaction.atomic():
        plan = MealPlan.objects.create(
            author=author, patient=patient, title=naming.title, description=naming.description[:4000],
            status=PlanStatus.DRAFT, **goal,
            generated_meta={
                "budget": budget, "daily_cap_mxn": prices.BUDGET_CAPS[budget], "allergies": allergy_codes,
                "restrictions": restriction_codes, "preferences": preferences, "relaxed": relaxed,
                "relaxed_days": {str(d.number): d.relaxed for d in days_out if d.relaxed},
                "tips": naming.tips, "named_by": named_by, "seed": seed,
                "seconds": round(time.perf_counter() - started, 3), "generated_at": timezone.now().isoformat(),
                "price_date": prices.price_date().isoformat(),
            },
        )
        day_rows = MealPlanDay.objects.bulk_create([MealPlanDay(plan=plan, number=d.number) for d in days_out])
        food_ids = {int(c.candidate.key[2:]) for d in days_out for c in d.choices if c.candidate.kind == "food"}
        recipe_ids = {int(c.candidate.key[2:]) for d in days_out for c in d.choices if c.candidate.kind == "recipe"}
        foods = Food.objects.in_bulk(food_ids)
        recipes = Recipe.objects.select_related("food").in_bulk(recipe_ids)
        slot_order = {s: i for i, s in enumerate(optimizer.SLOTS)}
        items = []
        for day_row, day in zip(day_rows, days_out, strict=True):
            ordered = sorted(day.choices, key=lambda c: (slot_order[c.slot], c.candidate.kind != "recipe",
                                                         c.candidate.role != "main"))
            for position, choice in enumerate(ordered, start=1):
                items.append(_item_for(day_row, choice, position, foods, recipes))
        MealPlanItem.objects.bulk_create(items)
        if patient is not None and patient.pk != actor.pk:
            from clinical.models import AccessAction

            rules.access_log(patient=patient, actor=actor, action=AccessAction.CREATE, resource="plan",
                             object_id=plan.pk, request=request)
    plan.generated_meta["seconds"] = round(time.perf_counter() - started, 3)
    MealPlan.objects.filter(pk=plan.pk).update(generated_meta=plan.generated_meta)
    return GeneratedPlan(plan=plan, days=days_out, targets=goal, named_by=named_by,
                         seconds=plan.generated_meta["seconds"])


# ---------------------------------------------------------------------------------------
# reading and adopting a generated plan


def generated_plan_get(*, user, plan_id) -> MealPlan:
    """A generated plan the user wrote (nutritionist or the person for themselves), else
    ``PlanNotFound``."""
    plan = plan_selectors.plan_get(user=user, plan_id=plan_id)
    if not plan.generated_meta:
        raise plan_selectors.PlanNotFound()
    return plan


def generated_plan_summary(plan: MealPlan) -> dict:
    """Everything the result page, the API and the PDF show: days with slots and totals
    against the targets (``ok`` per macro when within tolerance), the shopping list with
    estimated costs, what was relaxed and the tips."""
    from clinical.generator.shopping import plan_shopping

    targets = {m: getattr(plan, m) for m in optimizer.MACROS}
    days = plan_selectors.plan_days(plan)
    for day in days:
        values = day.totals["values"]
        ok = optimizer.within_tolerance(values, targets) if all(targets.values()) else {}
        for row in day.totals["rows"]:
            row["ok"] = ok.get(row["field"])
        day.within = bool(ok) and all(ok.values())
    meta = plan.generated_meta or {}
    return {
        "plan": plan,
        "days": days,
        "targets": targets,
        "shopping": plan_shopping(plan),
        "relaxed": [{"code": c, "message": str(RELAXATION_MESSAGES.get(c, c))} for c in meta.get("relaxed", [])],
        "tips": meta.get("tips", []),
        "meta": meta,
        "budget_label": str(prices.BUDGET_LABELS.get(meta.get("budget"), "")),
        "allergy_labels": [str(catalog.ALLERGIES[c]) for c in meta.get("allergies", []) if c in catalog.ALLERGIES],
        "restriction_labels": [str(catalog.RESTRICTIONS[c]) for c in meta.get("restrictions", [])
                               if c in catalog.RESTRICTIONS],
    }


@transaction.atomic
def generated_plan_adopt(*, actor, plan_id, start_date=None) -> MealPlan:
    """A person adopts the plan they generated for themselves: it becomes their active plan
    from ``start_date`` (today by default) and replaces the one they had. Nutritionists
    assign with the usual assignment instead."""
    from clinical.services.plans import _date

    plan = plan_selectors.plan_get(user=actor, plan_id=plan_id, for_update=True)
    if plan.patient_id != actor.pk or not plan.generated_meta:
        raise plan_selectors.PlanNotFound()
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"plan": _("Este plan ya está en uso.")})
    if CareRelationship.objects.filter(patient=actor, status=CareStatus.ACTIVE).exists():
        raise PermissionDenied(_("Tu nutrióloga(o) te acompaña: pídele tu plan de alimentación; "
                                 "lo ajustará a tu historia clínica."))
    start = _date(start_date, "start_date", required=False) or timezone.localdate()
    today = timezone.localdate()
    if not today - timedelta(days=30) <= start <= today + timedelta(days=366):
        raise ValidationError({"start_date": _("Elige una fecha entre hace 30 días y el próximo año.")})
    MealPlan.objects.filter(patient=actor, status=PlanStatus.ACTIVE).exclude(pk=plan.pk).update(
        status=PlanStatus.ARCHIVED, updated_at=timezone.now()
    )
    plan.status, plan.start_date, plan.end_date, plan.assigned_at = PlanStatus.ACTIVE, start, None, timezone.now()
    plan.save()
    return plan
