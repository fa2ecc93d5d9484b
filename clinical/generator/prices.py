"""Estimated Mexican retail prices (MXN) of the foods and recipe ingredients the generator uses.

``clinical/data/prices_mx.csv`` has one row per SR28 food: what to buy (``buy_name``; cooked
rice is bought as rice), the aisle, the unit it is sold in (kg, l, pieza, paquete, lata...),
the grams in one unit, the price of one unit, the smallest step one buys (a quarter kilo, one
packet), the grams to buy per gram eaten (peel, bones, cooking yield: 100 g of cooked beans
need 40 g of dry beans) and the date of the estimate. The prices are our own estimates for a
Mexican supermarket or tianguis at that date, not quotes: pages say "precios estimados".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PRICES_CSV = Path(__file__).resolve().parent.parent / "data" / "prices_mx.csv"

AISLES = {
    "frutas_verduras": _("Frutas y verduras"),
    "carnes_pescados": _("Carnes, aves y pescados"),
    "lacteos_huevo": _("Lácteos y huevo"),
    "tortilleria_panaderia": _("Tortillería y panadería"),
    "abarrotes": _("Abarrotes"),
    "otros": _("Otros"),
}
UNIT_LABELS = {
    "kg": ("kg", "kg"), "l": (_("litro"), _("litros")), "pieza": (_("pieza"), _("piezas")),
    "paquete": (_("paquete"), _("paquetes")), "lata": (_("lata"), _("latas")), "frasco": (_("frasco"), _("frascos")),
    "botella": (_("botella"), _("botellas")), "sobre": (_("sobre"), _("sobres")), "manojo": (_("manojo"), _("manojos")),
    "envase": (_("envase"), _("envases")), "bolsa": (_("bolsa"), _("bolsas")), "cabeza": (_("cabeza"), _("cabezas")),
}
# Daily food cost caps per person by budget level (MXN); "alto" has none.
BUDGET_CAPS = {"bajo": 110.0, "medio": 180.0, "alto": None}
BUDGET_LABELS = {"bajo": _("Bajo"), "medio": _("Medio"), "alto": _("Alto")}


@dataclass(frozen=True)
class Price:
    ndb: str
    buy_name: str
    aisle: str
    unit: str
    unit_grams: float
    price_mxn: float
    buy_step: float
    buy_factor: float
    price_date: date

    @property
    def per_gram(self) -> float:
        """MXN per gram eaten (what buying it costs, proportionally)."""
        if not self.unit_grams or not self.price_mxn:
            return 0.0
        return self.price_mxn / self.unit_grams * self.buy_factor


@lru_cache(maxsize=1)
def price_table() -> dict[str, Price]:
    """``{ndb: Price}`` from the shipped CSV (read once per process)."""
    out = {}
    with PRICES_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["ndb_no"].zfill(5)] = Price(
                ndb=row["ndb_no"].zfill(5), buy_name=row["buy_name"], aisle=row["aisle"] or "otros",
                unit=row["unit"] or "kg", unit_grams=float(row["unit_grams"] or 0),
                price_mxn=float(row["price_mxn"] or 0), buy_step=float(row["buy_step"] or 1),
                buy_factor=float(row["buy_factor"] or 1), price_date=date.fromisoformat(row["price_date"]),
            )
    return out


def price_date() -> date:
    """The date of the estimates (the latest in the table)."""
    return max(p.price_date for p in price_table().values())


def cost_per_gram(ndb: str | None) -> float:
    """MXN per gram eaten of one SR28 food; 0 when the table has no price (tap water)."""
    price = price_table().get(str(ndb or "").zfill(5))
    return price.per_gram if price else 0.0


def recipe_serving_cost(ingredients: list[tuple[str | None, float]], servings: int) -> float:
    """MXN of one serving from its ingredients ``[(ndb, grams)]`` (the whole recipe) and the
    recipe's number of servings."""
    total = sum(cost_per_gram(ndb) * (grams or 0) for ndb, grams in ingredients)
    return total / max(servings or 1, 1)
