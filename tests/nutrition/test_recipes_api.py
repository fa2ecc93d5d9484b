"""Recipe API (seed 000 §4.5): list shape, filters, sort and search; create held for
moderation with computed nutrition; detail; edit and delete; rate, save, tried; log a
serving; verify and moderate; another person's recipe answers 404; bad input changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role, RoleGrant
from nutrition.models import DiaryEntry, Food, Recipe
from nutrition.services import recipes as svc

pytestmark = pytest.mark.usefixtures("foods")


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(user):
    return client_for(user)


@pytest.fixture
def moderator(make_user):
    return make_user(is_staff=True, user_type="admin")


def body(**extra):
    beans, tortilla = usda("16015"), usda("18363")
    data = {
        "title": "Taquitos de frijol",
        "description": "Tortillas de maíz con frijoles negros.",
        "meal_type": "comida",
        "dietary_tags": ["vegan"],
        "difficulty": "facil",
        "prep_time_min": 5,
        "cook_time_min": 10,
        "servings": 2,
        "ingredients": [
            {"food_id": beans.public_id, "quantity": 1, "unit": "taza", "grams": 200, "note": "de olla"},
            {"food_id": tortilla.public_id, "quantity": 2, "unit": "piezas", "grams": 60,
             "substitutions": ["tortilla de nopal"]},
            {"name": "Salsa de la casa", "quantity": 2, "unit": "cucharadas"},
        ],
        "instructions": [{"instruction": "Calienta las tortillas.", "duration_min": 3},
                         {"instruction": "Rellena y enrolla."}],
        # Clients never send nutrition; these made-up numbers must be ignored.
        "nutrition_per_serving": {"calories": 1, "protein_g": 99},
    }
    data.update(extra)
    return data


def test_create_is_pending_with_computed_nutrition(api, user):
    resp = api.post("/api/v1/recipes", body(), format="json")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["moderation_status"] == "pending"
    assert data["message"] == "Receta creada. En revisión para publicación."
    recipe = data["recipe"]
    # (132 kcal * 2 + 218 kcal * 0.6) / 2 servings = 197.4 (SR28 16015 and 18363)
    assert recipe["nutrition_per_serving"]["calories"] == 197.4
    assert recipe["nutrition_per_serving"]["protein_g"] == 10.6  # 10.57 shown with one decimal
    assert recipe["missing_ingredients"] == ["Salsa de la casa"]
    assert recipe["coverage_pct"] == 100.0  # the salsa has no weight, so all known grams have data
    assert [i["has_data"] for i in recipe["ingredients"]] == [True, True, False]
    assert recipe["ingredients"][1]["substitutions"] == ["tortilla de nopal"]
    assert recipe["instructions"][0] == {"step_number": 1, "instruction": "Calienta las tortillas.",
                                         "photo_url": None, "duration_min": 3}
    assert recipe["author"]["username"] == user.username and recipe["is_published"] is False
    assert recipe["equivalents"]["text"] == "1 cereal, 1 leguminosa"
    assert recipe["serving_g"] == 130.0 and recipe["total_time_min"] == 15
    assert recipe["me"] == {"saved": False, "tried": False, "rating": None, "comment": ""}


def test_create_multipart_with_photo(api):
    import json

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 90)).save(buf, format="JPEG")
    data = body()
    data.pop("nutrition_per_serving")
    form = {k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in data.items() if k != "dietary_tags"}
    form["dietary_tags[]"] = ["vegan", "gluten_free"]
    form["files"] = SimpleUploadedFile("taco.jpg", buf.getvalue(), content_type="image/jpeg")
    resp = api.post("/api/v1/recipes", form, format="multipart")
    assert resp.status_code == 201, resp.content
    recipe = resp.json()["recipe"]
    assert recipe["main_photo_url"].startswith("http://testserver/media/recipes/")
    assert recipe["dietary_tags"] == ["vegan", "gluten_free"]


def test_no_ingredients_and_other_bad_input_are_refused(api):
    cases = [
        (body(ingredients=[]), "ingredients", "Agrega al menos un ingrediente."),
        (body(meal_type="brunch"), "meal_type", None),
        (body(servings=0), "servings", None),
        (body(ingredients=[{"food_id": "usda_99999999", "grams": 10}]), "ingredients.0.food_id", None),
        (body(instructions=[]), "instructions", None),
    ]
    for data, field, message in cases:
        resp = api.post("/api/v1/recipes", data, format="json")
        assert resp.status_code == 400, (field, resp.content)
        error = resp.json()["error"]
        assert error["code"] == "VALIDATION_ERROR" and field in error["details"]
        if message:
            assert error["details"][field] == [message]
    assert api.post("/api/v1/recipes", "[1, 2]", content_type="application/json").status_code == 400
    assert not Recipe.objects.exists()


def test_list_shape_filters_and_search(api, user, moderator):
    mine = svc.recipe_create(actor=user, data=body())
    other = svc.recipe_create(actor=user, data=body(
        title="Huevo a la mexicana", description="Con jitomate.", meal_type="desayuno",
        dietary_tags=["vegetarian"], prep_time_min=20,
        difficulty="media",
        ingredients=[{"food_id": usda("01123").pk, "grams": 100}, {"food_id": usda("11529").pk, "grams": 80}],
    ))
    for r in (mine, other):
        svc.recipe_moderate(actor=moderator, recipe_id=r.pk, approve=True)

    resp = api.get("/api/v1/recipes", {"limit": 1})
    assert resp.status_code == 200
    data = resp.json()
    assert (data["page"], data["limit"], data["total_pages"], data["total_results"]) == (1, 1, 2, 2)
    item = data["recipes"][0]
    assert set(item) >= {"id", "title", "description", "main_photo_url", "author", "is_verified", "meal_type",
                         "dietary_tags", "difficulty", "total_time_min", "servings", "nutrition_per_serving",
                         "rating_average", "rating_count", "tried_count", "created_at"}
    assert set(item["author"]) == {"id", "username", "full_name", "user_type"}
    assert set(item["nutrition_per_serving"]) == {"calories", "protein_g", "carbs_g", "fat_g"}

    def titles(params):
        r = api.get("/api/v1/recipes", params)
        assert r.status_code == 200, r.content
        return [x["title"] for x in r.json()["recipes"]]

    assert titles({"search": "huevo mexicana"}) == ["Huevo a la mexicana"]
    assert titles({"search": "FRIJOL"}) == ["Taquitos de frijol"]
    assert titles({"meal_type": "desayuno"}) == ["Huevo a la mexicana"]
    assert titles({"dietary_tags[]": ["vegan"]}) == ["Taquitos de frijol"]
    assert titles({"max_prep_time_min": 10}) == ["Taquitos de frijol"]
    assert titles({"difficulty": "media"}) == ["Huevo a la mexicana"]
    assert titles({"is_verified": "true"}) == []
    assert titles({"sort_by": "total_time"})[0] == "Taquitos de frijol"
    kcal = [x["nutrition_per_serving"]["calories"] for x in api.get("/api/v1/recipes", {"sort_by": "kcal"})
            .json()["recipes"]]
    assert kcal == sorted(kcal)
    for bad in ({"sort_by": "sabor"}, {"meal_type": "brunch"}, {"dietary_tags[]": ["keto"]},
                {"max_prep_time_min": "poco"}, {"page": 0}, {"limit": 500}):
        resp = api.get("/api/v1/recipes", bad)
        assert resp.status_code == 400, bad
        assert resp.json()["error"]["code"] == "VALIDATION_ERROR"


def test_list_query_count_is_fixed(api, user, moderator, django_assert_num_queries):
    for n in range(3):
        r = svc.recipe_create(actor=user, data=body(title=f"Receta {n}"))
        svc.recipe_moderate(actor=moderator, recipe_id=r.pk, approve=True)
    # count + page (with authors) + saves + ratings + tried
    with django_assert_num_queries(5):
        resp = api.get("/api/v1/recipes")
    assert resp.json()["total_results"] == 3


def test_detail_404_for_others_pending_recipe_and_unknown(api, user, other_user):
    recipe = svc.recipe_create(actor=user, data=body())
    other = client_for(other_user)
    for path in (f"/api/v1/recipes/{recipe.pk}", f"/api/v1/recipes/{recipe.slug}", "/api/v1/recipes/999999"):
        resp = other.get(path)
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "RECIPE_NOT_FOUND"
    assert other.post(f"/api/v1/recipes/{recipe.pk}/log", {"meal": "comida"}, format="json").status_code == 404
    assert other.patch(f"/api/v1/recipes/{recipe.pk}", {"title": "Mía"}, format="json").status_code == 404
    assert other.delete(f"/api/v1/recipes/{recipe.pk}").status_code == 404
    assert api.get(f"/api/v1/recipes/{recipe.slug}").json()["id"] == recipe.pk
    assert APIClient().get("/api/v1/recipes").status_code == 401


def test_edit_and_delete_by_author_only(api, user, other_user, moderator):
    recipe = svc.recipe_create(actor=user, data=body())
    svc.recipe_moderate(actor=moderator, recipe_id=recipe.pk, approve=True)
    other = client_for(other_user)
    resp = other.patch(f"/api/v1/recipes/{recipe.pk}", {"title": "Mía"}, format="json")
    assert resp.status_code == 403
    resp = api.patch(f"/api/v1/recipes/{recipe.pk}", {"servings": 4}, format="json")
    assert resp.status_code == 200
    data = resp.json()
    assert data["servings"] == 4 and data["moderation_status"] == "pending"
    assert data["nutrition_per_serving"]["calories"] == pytest.approx(98.7, abs=0.05)  # 394.8 / 4
    bad = api.patch(f"/api/v1/recipes/{recipe.pk}", {"servings": -1}, format="json")
    assert bad.status_code == 400
    assert Recipe.objects.get(pk=recipe.pk).servings == 4
    assert api.delete(f"/api/v1/recipes/{recipe.pk}").status_code == 204
    assert api.get(f"/api/v1/recipes/{recipe.pk}").status_code == 404


def test_rate_save_tried_and_log(api, user, other_user, moderator):
    recipe = svc.recipe_create(actor=user, data=body())
    svc.recipe_moderate(actor=moderator, recipe_id=recipe.pk, approve=True)
    other = client_for(other_user)

    resp = other.post(f"/api/v1/recipes/{recipe.pk}/rate", {"stars": 4, "comment": "Muy rica"}, format="json")
    assert resp.status_code == 200
    assert (resp.json()["rating_average"], resp.json()["rating_count"]) == (4.0, 1)
    assert resp.json()["me"]["rating"] == 4
    resp = other.post(f"/api/v1/recipes/{recipe.pk}/rate", {"rating": 2}, format="json")
    assert (resp.json()["rating_average"], resp.json()["rating_count"]) == (2.0, 1)
    for bad in ({"stars": 9}, {"stars": "muchas"}, {}):
        assert other.post(f"/api/v1/recipes/{recipe.pk}/rate", bad, format="json").status_code == 400
    assert api.post(f"/api/v1/recipes/{recipe.pk}/rate", {"stars": 5}, format="json").status_code == 400

    resp = other.post(f"/api/v1/recipes/{recipe.pk}/save")
    assert resp.json()["saved"] is True and resp.json()["recipe"]["saves_count"] == 1
    saved = other.get("/api/v1/recipes", {"scope": "saved"}).json()["recipes"]
    assert [r["id"] for r in saved] == [recipe.pk] and saved[0]["me"]["saved"] is True
    assert other.delete(f"/api/v1/recipes/{recipe.pk}/save").json()["saved"] is False

    resp = other.post(f"/api/v1/recipes/{recipe.pk}/tried")
    assert resp.json()["tried"] is True and resp.json()["recipe"]["tried_count"] == 1

    resp = other.post(f"/api/v1/recipes/{recipe.pk}/log", {"servings": 2, "meal": "lunch"}, format="json")
    assert resp.status_code == 201, resp.content
    entry = resp.json()["entry"]
    assert entry["recipe_id"] == recipe.pk and entry["meal"] == "comida"
    assert entry["nutrition"]["calories"] == pytest.approx(394.8, abs=0.1)
    resp = other.post(f"/api/v1/recipes/{recipe.pk}/log", {"servings": 1, "meal": "comida",
                                                            "date": "2999-01-01"}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "FUTURE_DATE"
    assert DiaryEntry.objects.filter(user=other_user).count() == 1


def test_verify_and_moderate_permissions(api, user, make_user, moderator):
    recipe = svc.recipe_create(actor=user, data=body())
    assert api.post(f"/api/v1/recipes/{recipe.pk}/moderate", {"approve": True}, format="json").status_code == 403
    staff_api = client_for(moderator)
    queue = staff_api.get("/api/v1/recipes/moderation").json()["recipes"]
    assert [r["id"] for r in queue] == [recipe.pk]
    assert api.get("/api/v1/recipes/moderation").status_code == 403
    assert staff_api.post(f"/api/v1/recipes/{recipe.pk}/moderate", {}, format="json").status_code == 400
    resp = staff_api.post(f"/api/v1/recipes/{recipe.pk}/moderate", {"approve": True, "notes": "Bien"}, format="json")
    assert resp.status_code == 200 and resp.json()["is_published"] is True

    nutritionist = make_user(user_type="nutritionist")
    assert client_for(nutritionist).post(f"/api/v1/recipes/{recipe.pk}/verify").status_code == 403
    RoleGrant.objects.create(user=nutritionist, role=Role.NUTRITIONIST)
    resp = client_for(nutritionist).post(f"/api/v1/recipes/{recipe.pk}/verify")
    assert resp.status_code == 200
    assert resp.json()["is_verified"] is True and resp.json()["verified_by"]["id"] == nutritionist.pk
    assert api.post(f"/api/v1/recipes/{recipe.pk}/verify").status_code == 403
