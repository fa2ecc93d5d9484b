"""The shopping list of a meal plan: everything it asks for, aggregated over all its days,
turned into what one buys (cooked rice becomes rice, peeled fruit becomes whole fruit),
rounded up to purchasable units and priced with the estimated price table, grouped by aisle.

It is computed from the plan's current items, so a plan edited in the builder gets a list
that matches what it now says.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from clinical.generator import prices

UNKNOWN_AISLE = "otros"


@dataclass
class ShoppingLine:
    name: str
    aisle: str
    grams: float  # grams to buy (before rounding up to units)
    unit: str = ""
    units: float = 0.0  # purchasable units, rounded up to the unit's step
    cost_mxn: float | None = None  # None when the table has no price for it
    used_mxn: float = 0.0  # the share of that cost the plan eats (the rest stays in the pantry)

    @property
    def amount(self) -> str:
        """"1.5 kg", "3 piezas", "1 paquete (400 g)", or grams when there is no unit."""
        if not self.unit:
            return f"{math.ceil(self.grams):g} g"
        if self.unit == "kg":
            return f"{self.units:g} kg"
        singular, plural = prices.UNIT_LABELS.get(self.unit, (self.unit, self.unit))
        return f"{self.units:g} {singular if self.units == 1 else plural}"

    def as_dict(self) -> dict:
        return {"name": self.name, "grams": round(self.grams), "unit": self.unit or None, "units": self.units,
                "amount": self.amount, "cost_mxn": None if self.cost_mxn is None else round(self.cost_mxn, 2),
                "used_mxn": round(self.used_mxn, 2)}


@dataclass
class ShoppingAisle:
    code: str
    label: str
    lines: list[ShoppingLine] = field(default_factory=list)

    @property
    def cost_mxn(self) -> float:
        return round(sum(line.cost_mxn or 0 for line in self.lines), 2)


def _units(grams: float, price: prices.Price) -> float:
    """Purchasable units for ``grams``: up to the unit's step (a quarter kilo, one packet)."""
    if not price.unit_grams:
        return 0.0
    step = price.buy_step or 1
    units = math.ceil(round(grams / price.unit_grams / step, 6)) * step
    return round(max(units, step), 2)


def shopping_list(lines: list[tuple[str | None, float, str]], *, days: int | None = None) -> dict:
    """Aggregate ``[(ndb or None, grams eaten, fallback name)]`` into ``{"aisles":
    [ShoppingAisle], "total_mxn", "used_mxn", "per_day_mxn", "price_date", "days"}``.

    ``total_mxn`` is what the purchase costs (whole packets, quarter kilos); ``used_mxn`` what
    the plan actually eats of it, and ``per_day_mxn`` that divided by the days: the figure
    the budget caps. Foods sold the same way (rice and cooked rice) become one line; things
    without a price (water) are left out, unknown foods go to "Otros" without cost."""
    table = prices.price_table()
    bought: dict[tuple, float] = defaultdict(float)
    used: dict[tuple, float] = defaultdict(float)
    meta: dict[tuple, prices.Price | None] = {}
    for ndb, grams, name in lines:
        if not grams or grams <= 0:
            continue
        price = table.get(str(ndb or "").zfill(5)) if ndb else None
        if price is not None and not price.price_mxn:
            continue  # tap water and the like: nothing to buy
        if price is None:
            key = (UNKNOWN_AISLE, name, "")
            bought[key] += grams
            meta[key] = None
            continue
        key = (price.aisle, price.buy_name, price.unit)
        bought[key] += grams * price.buy_factor
        used[key] += grams * price.per_gram
        meta[key] = price
    aisles: dict[str, ShoppingAisle] = {}
    for key, grams in bought.items():
        aisle_code, name, unit = key
        price = meta[key]
        line = ShoppingLine(name=name, aisle=aisle_code, grams=grams)
        if price is not None:
            line.unit = price.unit
            line.units = _units(grams, price)
            line.cost_mxn = round(line.units * price.price_mxn, 2)
            line.used_mxn = used[key]
        aisle = aisles.setdefault(aisle_code, ShoppingAisle(code=aisle_code,
                                                          label=str(prices.AISLES.get(aisle_code, aisle_code))))
        aisle.lines.append(line)
    order = list(prices.AISLES)
    out = sorted(aisles.values(), key=lambda a: order.index(a.code) if a.code in order else len(order))
    for aisle in out:
        aisle.lines.sort(key=lambda line: line.name.lower())
    total = round(sum(a.cost_mxn for a in out), 2)
    eaten = round(sum(line.used_mxn for a in out for line in a.lines), 2)
    return {
        "aisles": out,
        "total_mxn": total,
        "used_mxn": eaten,
        "price_date": prices.price_date(),
        "days": days,
        "per_day_mxn": round(eaten / days, 2) if days else None,
    }


def plan_shopping_lines(plan) -> list[tuple[str | None, float, str]]:
    """What a plan asks for, as ``[(ndb, grams, name)]``: foods in their grams, recipes as
    their ingredients scaled to the planned servings; SMAE exchanges buy nothing specific.
    Three queries."""
    from clinical.models import MealPlanItem, PlanItemKind
    from nutrition.models import RecipeIngredient

    items = list(
        MealPlanItem.objects.filter(day__plan=plan, kind__in=(PlanItemKind.FOOD, PlanItemKind.RECIPE))
        .select_related("food", "recipe")
        .only("kind", "grams", "quantity", "food__external_id", "food__source", "food__name_es", "food__name_en",
              "recipe__servings", "recipe_id")
    )
    recipe_ids = {i.recipe_id for i in items if i.recipe_id}
    ingredients = defaultdict(list)
    for ing in RecipeIngredient.objects.filter(recipe_id__in=recipe_ids).select_related("food").only(
        "recipe_id", "grams", "name", "food__external_id", "food__source"
    ):
        ingredients[ing.recipe_id].append(ing)
    lines = []
    for item in items:
        if item.kind == PlanItemKind.FOOD and item.food_id:
            ndb = item.food.external_id if item.food.source == "usda" else None
            lines.append((ndb, float(item.grams or 0), item.food.name_es or item.food.name_en))
        elif item.recipe_id:
            share = float(item.quantity) / max(item.recipe.servings or 1, 1)
            for ing in ingredients[item.recipe_id]:
                ndb = ing.food.external_id if ing.food_id and ing.food.source == "usda" else None
                lines.append((ndb, (ing.grams or 0) * share, ing.name))
    return lines


def plan_shopping(plan) -> dict:
    """The shopping list of the whole plan (see ``shopping_list``)."""
    from clinical.models import MealPlanDay

    days = MealPlanDay.objects.filter(plan=plan).count()
    return shopping_list(plan_shopping_lines(plan), days=days)


def shopping_text_rows(shopping: dict) -> list[tuple[str, list[str]]]:
    """``[(aisle heading with cost, ["Arroz blanco: 1 kg - $30.00"])]`` for the PDF."""
    rows = []
    for aisle in shopping["aisles"]:
        heading = _("%(aisle)s (%(cost)s)") % {"aisle": aisle.label, "cost": f"${aisle.cost_mxn:,.2f}"}
        lines = []
        for line in aisle.lines:
            cost = f" - ${line.cost_mxn:,.2f}" if line.cost_mxn is not None else ""
            lines.append(f"{line.name}: {line.amount}{cost}")
        rows.append((heading, lines))
    return rows
