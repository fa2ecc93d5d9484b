"""Reference data shipped with the code: SMAE 4th-edition groups, SR28 food-group names and
categories, and the loader for the MET activity table (``data/activities.csv``).

The loaders are idempotent (update_or_create by code) so a data migration and the import
command can both call them.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Sistema Mexicano de Alimentos Equivalentes, 4th edition (Pérez Lizaur et al., 2014):
# what one equivalent of each group contributes.
# (code, name_es, name_en, short_es, short_en, kcal, protein, fat, carbs)
SMAE_GROUPS = [
    ("verduras", "Verduras", "Vegetables", "verdura|verduras", "vegetable|vegetables", 25, 2, 0, 4),
    ("frutas", "Frutas", "Fruits", "fruta|frutas", "fruit|fruits", 60, 0, 0, 15),
    ("cereales_sin_grasa", "Cereales y tubérculos sin grasa", "Cereals and tubers, no fat",
     "cereal|cereales", "cereal|cereals", 70, 2, 0, 15),
    ("cereales_con_grasa", "Cereales y tubérculos con grasa", "Cereals and tubers with fat",
     "cereal con grasa|cereales con grasa", "cereal with fat|cereals with fat", 115, 2, 5, 15),
    ("leguminosas", "Leguminosas", "Legumes", "leguminosa|leguminosas", "legume|legumes", 120, 8, 1, 20),
    ("aoa_muy_bajo", "Alimentos de origen animal muy bajos en grasa", "Animal foods, very low fat",
     "AOA muy bajo aporte de grasa|AOA muy bajo aporte de grasa", "very lean animal food|very lean animal foods",
     40, 7, 1, 0),
    ("aoa_bajo", "Alimentos de origen animal bajos en grasa", "Animal foods, low fat",
     "AOA bajo aporte de grasa|AOA bajo aporte de grasa", "lean animal food|lean animal foods", 55, 7, 3, 0),
    ("aoa_moderado", "Alimentos de origen animal moderados en grasa", "Animal foods, moderate fat",
     "AOA moderado aporte de grasa|AOA moderado aporte de grasa",
     "medium-fat animal food|medium-fat animal foods", 75, 7, 5, 0),
    ("aoa_alto", "Alimentos de origen animal altos en grasa", "Animal foods, high fat",
     "AOA alto aporte de grasa|AOA alto aporte de grasa", "high-fat animal food|high-fat animal foods",
     100, 7, 8, 0),
    ("leche_descremada", "Leche descremada", "Skim milk", "leche descremada|leches descremadas",
     "skim milk|skim milks", 95, 9, 2, 12),
    ("leche_semidescremada", "Leche semidescremada", "Low-fat milk", "leche semidescremada|leches semidescremadas",
     "low-fat milk|low-fat milks", 110, 9, 4, 12),
    ("leche_entera", "Leche entera", "Whole milk", "leche entera|leches enteras", "whole milk|whole milks",
     150, 9, 8, 12),
    ("leche_con_azucar", "Leche con azúcar", "Sweetened milk", "leche con azúcar|leches con azúcar",
     "sweetened milk|sweetened milks", 200, 8, 5, 30),
    ("grasas_sin_proteina", "Aceites y grasas sin proteína", "Oils and fats without protein",
     "grasa|grasas", "fat|fats", 45, 0, 5, 0),
    ("grasas_con_proteina", "Aceites y grasas con proteína", "Oils and fats with protein",
     "grasa con proteína|grasas con proteína", "fat with protein|fats with protein", 70, 3, 5, 3),
    ("azucares_sin_grasa", "Azúcares sin grasa", "Sugars without fat", "azúcar|azúcares", "sugar|sugars",
     40, 0, 0, 10),
    ("azucares_con_grasa", "Azúcares con grasa", "Sugars with fat", "azúcar con grasa|azúcares con grasa",
     "sugar with fat|sugars with fat", 85, 0, 5, 10),
    ("libres", "Alimentos libres de energía", "Energy-free foods", "libre|libres", "free food|free foods",
     0, 0, 0, 0),
    ("alcohol", "Bebidas alcohólicas", "Alcoholic drinks", "bebida alcohólica|bebidas alcohólicas",
     "alcoholic drink|alcoholic drinks", 140, 0, 0, 0),
]

# SR28 food groups: Spanish name and the seed 003 category used for filtering.
FOOD_GROUPS = {
    "0100": ("Lácteos y huevo", "dairy"),
    "0200": ("Especias y hierbas", "spices"),
    "0300": ("Alimentos para bebé", "baby_foods"),
    "0400": ("Grasas y aceites", "fats"),
    "0500": ("Aves", "protein"),
    "0600": ("Sopas, salsas y gravies", "mixed"),
    "0700": ("Embutidos y carnes frías", "protein"),
    "0800": ("Cereales de desayuno", "grains"),
    "0900": ("Frutas y jugos", "fruits"),
    "1000": ("Cerdo", "protein"),
    "1100": ("Verduras", "vegetables"),
    "1200": ("Nueces y semillas", "nuts_seeds"),
    "1300": ("Res", "protein"),
    "1400": ("Bebidas", "beverages"),
    "1500": ("Pescados y mariscos", "protein"),
    "1600": ("Leguminosas", "legumes"),
    "1700": ("Cordero, ternera y caza", "protein"),
    "1800": ("Panes y horneados", "grains"),
    "1900": ("Dulces", "sweets"),
    "2000": ("Cereales y pastas", "grains"),
    "2100": ("Comida rápida", "mixed"),
    "2200": ("Platillos y guarniciones", "mixed"),
    "2500": ("Botanas", "snacks"),
    "3500": ("Alimentos indígenas de Norteamérica", "mixed"),
    "3600": ("Alimentos de restaurante", "mixed"),
}
CATEGORIES = sorted({c for _, c in FOOD_GROUPS.values()} | {"recipes", "custom"})


def smae_groups_load(SmaeGroup=None) -> int:
    """Create or update the SMAE groups. Takes the model so data migrations can pass theirs."""
    if SmaeGroup is None:
        from nutrition.models import SmaeGroup
    for order, (code, name_es, name_en, short_es, short_en, kcal, p, f, c) in enumerate(SMAE_GROUPS):
        SmaeGroup.objects.update_or_create(
            code=code,
            defaults=dict(
                name_es=name_es, name_en=name_en, short_es=short_es, short_en=short_en,
                energy_kcal=kcal, protein_g=p, fat_g=f, carbs_g=c, sort_order=order,
            ),
        )
    return len(SMAE_GROUPS)


def activities_load(Activity=None) -> int:
    """Create or update the MET table from ``data/activities.csv`` (code,name_es,name_en,met)."""
    if Activity is None:
        from nutrition.models import Activity
    path = DATA_DIR / "activities.csv"
    if not path.exists():
        return 0
    count = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            Activity.objects.update_or_create(
                code=row["code"].strip(),
                defaults=dict(name_es=row["name_es"].strip(), name_en=row["name_en"].strip(), met=float(row["met"])),
            )
            count += 1
    return count
