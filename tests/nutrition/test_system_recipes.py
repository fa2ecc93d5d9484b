"""The Mexican system recipes: every dish of ``data/mexican_dishes.json`` loads from SR28
ingredients (nutrition computed, never typed in), flags what has no data, and a second load
changes nothing. The loader also works on a file given by path."""

import json

import pytest

from nutrition.models import Food, FoodSource, Recipe
from nutrition.reference import DATA_DIR
from nutrition.selectors.recipes import recipe_list
from nutrition.services.recipes import system_recipes_load

pytestmark = pytest.mark.usefixtures("foods")

DISHES = DATA_DIR / "mexican_dishes.json"


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


def dish(**extra):
    base = {
        "slug": "frijoles-de-prueba",
        "title_es": "Frijoles de la olla con tortilla",
        "title_en": "Pot beans with tortilla",
        "description_es": "Frijoles negros con tortillas.",
        "description_en": "Black beans with tortillas.",
        "meal_type": "comida",
        "cuisine_type": "mexicana",
        "dietary_tags": ["vegan"],
        "difficulty": "facil",
        "prep_time_min": 5,
        "cook_time_min": 10,
        "servings": 2,
        "cost_estimate_mxn": 30,
        "cost_level": "economico",
        "is_traditional_mexican": True,
        "region_origin": "Veracruz",
        "history_story": "Un clásico de todos los días.",
        "chef_tips": ["Sirve con queso fresco."],
        "storage_instructions": "Refrigera hasta 3 días.",
        "reheating_instructions": "Calienta en olla.",
        "cooked_yield_g": None,
        "ingredients": [
            {"ndb_no": "16015", "grams": 200, "quantity": 1, "unit": "taza", "name_es": "Frijoles negros",
             "note": "", "optional": False, "substitutions": ["frijol bayo"]},
            {"ndb_no": "18363", "grams": 60, "quantity": 2, "unit": "piezas", "name_es": "Tortilla de maíz",
             "note": "", "optional": False, "substitutions": []},
        ],
        "steps": [{"instruction": "Calienta los frijoles.", "duration_min": 5},
                  {"instruction": "Sirve con tortillas.", "duration_min": None}],
    }
    base.update(extra)
    return base


def write(tmp_path, dishes):
    path = tmp_path / "dishes.json"
    path.write_text(json.dumps(dishes, ensure_ascii=False), encoding="utf-8")
    return path


def test_loader_from_a_given_file_computes_and_is_idempotent(tmp_path, user):
    path = write(tmp_path, [dish()])
    assert system_recipes_load(path) == {"created": 1, "updated": 0, "unchanged": 0}
    recipe = Recipe.objects.get(slug="frijoles-de-prueba")
    assert (recipe.is_system, recipe.author, recipe.author_type) == (True, None, "admin")
    assert (recipe.is_published, recipe.moderation_status, recipe.is_verified) == (True, "approved", True)
    # Same hand check as the service test: (132 * 2 + 218 * 0.6) / 2 = 197.4 kcal per serving.
    assert recipe.nutrition["energy_kcal"] == pytest.approx(197.4, abs=1e-3)
    assert recipe.food.is_verified and recipe.food.author is None
    assert [r.slug for r in recipe_list(user=user, search="frijoles olla")] == ["frijoles-de-prueba"]

    assert system_recipes_load(path) == {"created": 0, "updated": 0, "unchanged": 1}

    changed = dish(servings=4)
    changed["ingredients"][0]["grams"] = 300
    assert system_recipes_load(write(tmp_path, [changed])) == {"created": 0, "updated": 1, "unchanged": 0}
    recipe.refresh_from_db()
    # (132 * 3 + 218 * 0.6) / 4 = (396 + 130.8) / 4 = 131.7
    assert recipe.nutrition["energy_kcal"] == pytest.approx(131.7, abs=1e-3)
    assert Food.objects.filter(source=FoodSource.RECIPE).count() == 1


def test_unknown_ndb_is_kept_and_flagged_sin_dato(tmp_path, caplog):
    broken = dish()
    broken["ingredients"].append({"ndb_no": "99999", "grams": 40, "quantity": 1, "unit": "pieza",
                                  "name_es": "Ingrediente raro", "note": "", "optional": False,
                                  "substitutions": []})
    system_recipes_load(write(tmp_path, [broken]))
    recipe = Recipe.objects.get(slug="frijoles-de-prueba")
    assert recipe.nutrition["missing"] == ["Ingrediente raro"]
    assert recipe.nutrition["coverage_pct"] == pytest.approx(round(100 * 260 / 300, 1))
    assert "99999" in caplog.text


def test_missing_file_loads_nothing(tmp_path):
    assert system_recipes_load(tmp_path / "nope.json") == {"created": 0, "updated": 0, "unchanged": 0}


@pytest.mark.skipif(not DISHES.exists(), reason="data/mexican_dishes.json is not in this checkout")
def test_every_mexican_dish_loads_with_computed_nutrition_and_reloads_unchanged(user):
    dishes = json.loads(DISHES.read_text(encoding="utf-8"))
    assert len(dishes) >= 40
    result = system_recipes_load()
    assert result == {"created": len(dishes), "updated": 0, "unchanged": 0}

    recipes = {r.slug: r for r in Recipe.objects.filter(is_system=True).select_related("food")}
    assert set(recipes) == {d["slug"] for d in dishes}
    in_db = set(Food.objects.filter(source=FoodSource.USDA).values_list("external_id", flat=True))
    for d in dishes:
        recipe = recipes[d["slug"]]
        n = recipe.nutrition
        assert recipe.is_published and recipe.is_verified and recipe.food is not None, d["slug"]
        assert n["energy_kcal"] and n["energy_kcal"] > 0, d["slug"]
        assert n["coverage_pct"] == 100.0 or n["missing"], d["slug"]  # full data, or the gap is named
        required = [i for i in d["ingredients"] if not i.get("optional")]
        assert recipe.ingredients.count() == len(d["ingredients"]), d["slug"]
        # every SR28 number the dishes use is a real SR28 food
        assert {str(i["ndb_no"]).zfill(5) for i in d["ingredients"] if i.get("ndb_no")} <= in_db, d["slug"]
        assert n["total_g"] == pytest.approx(sum(i["grams"] or 0 for i in required), abs=0.1), d["slug"]
        assert n["equivalents_text"], d["slug"]
        assert recipe.food.serving_size_g == n["serving_g"], d["slug"]

    assert system_recipes_load() == {"created": 0, "updated": 0, "unchanged": len(dishes)}
    # Spanish search over the loaded dishes, accent-insensitive
    assert "pozole-rojo" in [r.slug for r in recipe_list(user=user, search="POZOLE")]
    assert "chiles-en-nogada" in [r.slug for r in recipe_list(user=user, search="nogada")]
