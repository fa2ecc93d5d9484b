"""Food API (seed 003): search, detail, custom foods, recent foods; errors in the envelope."""

import pytest
from rest_framework.test import APIClient

from nutrition.models import Food

pytestmark = pytest.mark.usefixtures("foods")


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


def test_search_shape_and_english_query(api):
    resp = api.get("/api/v1/foods/search", {"q": "beans black", "limit": 5})
    assert resp.status_code == 200
    body = resp.json()
    assert body["query"] == "beans black"
    assert 1 <= len(body["results"]) <= 5
    assert body["total_results"] >= len(body["results"])
    first = body["results"][0]
    assert set(first) >= {"id", "name", "name_normalized", "source", "category", "nutrition_per_100g",
                          "serving_sizes", "confidence", "usage_count"}
    assert first["id"].startswith("usda_")
    assert set(first["nutrition_per_100g"]) >= {"calories", "protein", "carbs", "fat", "fiber", "sugar"}
    assert all("black" in r["name"].lower() or "negro" in r["name"].lower() for r in body["results"])
    assert resp["X-RateLimit-Limit"] == "100"


@pytest.mark.parametrize("params", [{}, {"q": "   "}, {"q": "x" * 101}, {"q": "pan", "limit": "0"},
                                    {"q": "pan", "limit": "abc"}, {"q": "pan", "source": "nutritionix"},
                                    {"q": "pan", "category": "juguetes"}])
def test_search_bad_input(api, params):
    resp = api.get("/api/v1/foods/search", params)
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "VALIDATION_ERROR"


def test_search_requires_auth():
    resp = APIClient().get("/api/v1/foods/search", {"q": "pan"})
    assert resp.status_code == 401


def test_detail_shape_with_missing_values_as_null(api):
    apple = usda("09003")
    resp = api.get(f"/api/v1/foods/usda_{apple.pk}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["external_id"] == "09003"
    assert body["source"] == "usda" and body["source_version"] == "SR28"
    assert body["nutrition_per_100g"]["calories"] == pytest.approx(apple.energy_kcal)
    assert body["nutrition_per_100g"]["vitamins"]["vitamin_c"] == pytest.approx(apple.nutrients["401"])
    portion = body["serving_sizes"][0]
    assert portion["nutrition"]["calories"] == pytest.approx(round(apple.energy_kcal * portion["grams"] / 100, 1))
    assert "vegan" in body["dietary_flags"]
    # every other nutrient keyed by USDA number, with name and unit
    numbers = {n["number"] for n in body["nutrients"]}
    assert "401" in numbers and "208" not in numbers
    assert body["nutrition_per_100g"]["trans_fat"] == 0
    # SR28 has no trans fat value for cornstarch: null ("sin dato"), never 0
    cornstarch = usda("20027")
    assert cornstarch.trans_fat_g is None
    assert api.get(f"/api/v1/foods/{cornstarch.pk}").json()["nutrition_per_100g"]["trans_fat"] is None


def test_unknown_food_is_food_not_found(api):
    for bad in ("usda_999999999", "abc", "999999999"):
        resp = api.get(f"/api/v1/foods/{bad}")
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "FOOD_NOT_FOUND"


def test_custom_food_per_serving_private_until_verified(api, user, other_user, make_user):
    label = {"name": "Totopos horneados", "brand": "La Milpa", "barcode": "7501234567890", "basis": "serving",
             "serving_size_g": 30, "serving_description": "1 bolsita", "energy_kcal": 120, "protein_g": 2,
             "fat_g": 3, "carbs_g": 21, "sodium_mg": 90}
    resp = api.post("/api/v1/foods", label, format="json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    # per 100 g = per serving × 100 / 30
    assert body["nutrition_per_100g"]["calories"] == pytest.approx(400)
    assert body["nutrition_per_100g"]["sodium"] == pytest.approx(300)
    assert body["serving_sizes"][0]["grams"] == 30
    assert body["is_verified"] is False
    # duplicate (same name + brand, or same barcode)
    dup = api.post("/api/v1/foods", {**label, "barcode": ""}, format="json")
    assert dup.status_code == 409
    assert dup.json()["error"]["code"] == "DUPLICATE_FOOD"
    assert dup.json()["error"]["details"]["food_id"] == body["id"].replace("custom_", "food_")
    # another user cannot see it, by id or by search
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get(f"/api/v1/foods/{body['id']}").status_code == 404
    assert all(r["id"] != body["id"] for r in other.get("/api/v1/foods/search", {"q": "totopos"}).json()["results"])
    assert other.patch(f"/api/v1/foods/{body['id']}", {"energy_kcal": 1}, format="json").status_code == 404
    assert other.delete(f"/api/v1/foods/{body['id']}").status_code == 404
    # staff verify it, now everyone sees it
    from nutrition.services.foods import custom_food_verify

    staff = make_user(is_staff=True)
    custom_food_verify(actor=staff, food_id=body["id"])
    assert other.get(f"/api/v1/foods/{body['id']}").status_code == 200


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ({"name": "", "energy_kcal": 10}, "name"),
        ({"name": "Algo"}, "energy_kcal"),
        ({"name": "Algo", "energy_kcal": -1}, "energy_kcal"),
        ({"name": "Algo", "energy_kcal": 2000}, "energy_kcal"),
        ({"name": "Algo", "energy_kcal": 100, "basis": "serving"}, "serving_size_g"),
        ({"name": "Algo", "energy_kcal": 100, "barcode": "12ab"}, "barcode"),
        ({"name": "Algo", "energy_kcal": 100, "protein_g": 60, "carbs_g": 60}, "carbs_g"),
    ],
)
def test_custom_food_bad_labels(api, label, field):
    resp = api.post("/api/v1/foods", label, format="json")
    assert resp.status_code == 400
    assert field in resp.json()["error"]["details"]
    assert not Food.objects.filter(source="custom").exists()


def test_recent_and_frequent(api, user):
    from nutrition.services.diary import diary_entry_add

    apple, beans = usda("09003"), usda("16015")
    for _ in range(3):
        diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=100)
    body = api.get("/api/v1/foods/recent").json()
    assert body["recent"][0]["id"] == apple.public_id
    assert body["frequent"][0]["id"] == beans.public_id


def test_equivalents_endpoint(api):
    beans = usda("16015")
    resp = api.get(f"/api/v1/foods/{beans.pk}/equivalents", {"grams": 180})
    assert resp.status_code == 200
    assert resp.json()["equivalents"]
    assert api.get(f"/api/v1/foods/{beans.pk}/equivalents", {"grams": -3}).status_code == 400
