"""Spanish food search: accents, typos (PostgreSQL), word order, common foods first, the
user's frequent foods boosted, private foods hidden."""

import pytest
from django.db import connection

from nutrition.models import Food
from nutrition.selectors.foods import food_search
from nutrition.services.diary import diary_entry_add
from nutrition.services.foods import custom_food_create

pytestmark = pytest.mark.usefixtures("foods")

RAW_APPLES = {"09003", "09004"}


def top(user, q, n=3, **kw):
    return [f.external_id for f in food_search(user=user, q=q, limit=n, **kw).results]


def names(user, q, n=5):
    return [f.name for f in food_search(user=user, q=q, limit=n).results]


def test_manzana_finds_raw_apple_before_desserts(user):
    results = food_search(user=user, q="manzana", limit=10).results
    assert results[0].external_id in RAW_APPLES
    assert results[0].name.startswith("Manzana")
    # desserts and juices with apple come after the fruit itself
    positions = {f.external_id: i for i, f in enumerate(results)}
    raw = min(positions[n] for n in RAW_APPLES if n in positions)
    assert all(i > raw for i, f in enumerate(results) if "pay" in f.name.lower() or "jugo" in f.name.lower())


def test_accents_do_not_matter(user):
    assert top(user, "platano") == top(user, "plátano")
    assert top(user, "pina", 1) == top(user, "piña", 1)
    assert names(user, "platano", 1)[0].startswith("Plátano")


def test_word_order_does_not_matter(user):
    assert set(top(user, "frijoles negros", 5)) == set(top(user, "negros frijoles", 5))
    assert all("negro" in n.lower() for n in names(user, "negros frijoles", 3))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typo tolerance uses pg_trgm")
def test_typos_are_tolerated_on_postgresql(user):
    assert any("negro" in n.lower() for n in names(user, "fijoles negros", 3))
    assert names(user, "aguacte", 1)[0].lower().startswith("aguacate")


def test_english_names_work_too(user):
    assert top(user, "apples raw", 1)[0] in RAW_APPLES


def test_frequent_foods_are_boosted(user):
    before = top(user, "queso", 10)
    last = Food.objects.get(source="usda", external_id=before[-1])
    for _ in range(4):
        diary_entry_add(actor=user, meal="cena", food_id=last.pk, quantity=30)
    after = top(user, "queso", 10)
    assert after.index(last.external_id) < before.index(last.external_id)


def test_private_custom_foods_only_for_their_author(user, other_user):
    custom_food_create(actor=other_user, data={"name": "Mole de la tía Chela", "energy_kcal": 210})
    assert food_search(user=user, q="mole tia chela").results == []
    assert food_search(user=other_user, q="mole tia chela").results[0].name == "Mole de la tía Chela"


def test_empty_or_symbol_only_query_returns_nothing(user):
    assert food_search(user=user, q="   ").results == []
    assert food_search(user=user, q="¿¡!?").total_results == 0


def test_filters_and_limit(user):
    results = food_search(user=user, q="frijoles", limit=50, category="legumes").results
    assert results and all(f.category == "legumes" for f in results)
    assert len(food_search(user=user, q="queso", limit=2).results) == 2
