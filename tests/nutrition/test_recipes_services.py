"""Recipe services: nutrition computed from SR28 ingredients (checked by hand), coverage and
"sin dato" flags, moderation, verification, ratings, saves, tried marks, logging a serving,
and bad input that is refused without writing anything."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Notification, Role, RoleGrant
from nutrition.errors import RecipeNotFound
from nutrition.models import DiaryEntry, Food, FoodSource, Recipe, RecipeRating
from nutrition.selectors.foods import food_search
from nutrition.selectors.recipes import recipe_get, recipe_list, recipe_marks, recipes_moderation_queue
from nutrition.services import recipes as svc

pytestmark = pytest.mark.usefixtures("foods")


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


@pytest.fixture
def beans_tortilla():
    return usda("16015"), usda("18363")


def bean_tacos(user, beans, tortilla, **extra):
    data = {
        "title": "Taquitos de frijol",
        "description": "Tortillas de maíz con frijoles negros de olla.",
        "meal_type": "comida",
        "servings": 2,
        "prep_time_min": 5,
        "cook_time_min": 10,
        "dietary_tags": ["vegan", "gluten_free"],
        "ingredients": [
            {"food_id": beans.public_id, "grams": 200, "quantity": 1, "unit": "taza"},
            {"food_id": tortilla.pk, "grams": 60, "quantity": 2, "unit": "piezas"},
        ],
        "instructions": [
            {"instruction": "Calienta las tortillas en el comal.", "duration_min": 3},
            {"instruction": "Rellena con los frijoles y enrolla.", "duration_min": 2},
        ],
        **extra,
    }
    return svc.recipe_create(actor=user, data=data)


def staff(make_user):
    return make_user(is_staff=True, user_type="admin")


def test_per_serving_nutrition_matches_hand_computed_sr28_values(user, beans_tortilla):
    beans, tortilla = beans_tortilla
    recipe = bean_tacos(user, beans, tortilla)
    n = recipe.nutrition
    # SR28 NUT_DATA per 100 g:
    #   16015 black beans, boiled: 208 energy 132 kcal, 203 protein 8.86, 204 fat 0.54, 205 carbs 23.71,
    #                              291 fiber 8.7, 307 sodium 1 mg
    #   18363 corn tortilla:       208 energy 218 kcal, 203 protein 5.70, 204 fat 2.85, 205 carbs 44.64,
    #                              291 fiber 6.3, 307 sodium 45 mg
    # 200 g beans + 60 g tortilla, 2 servings:
    #   kcal    (132 * 2 + 218 * 0.6) / 2     = (264 + 130.8) / 2     = 197.4
    #   protein (8.86 * 2 + 5.70 * 0.6) / 2   = (17.72 + 3.42) / 2    = 10.57
    #   fat     (0.54 * 2 + 2.85 * 0.6) / 2   = (1.08 + 1.71) / 2     = 1.395
    #   carbs   (23.71 * 2 + 44.64 * 0.6) / 2 = (47.42 + 26.784) / 2  = 37.102
    #   fiber   (8.7 * 2 + 6.3 * 0.6) / 2     = (17.4 + 3.78) / 2     = 10.59
    #   sodium  (1 * 2 + 45 * 0.6) / 2        = (2 + 27) / 2          = 14.5
    assert n["energy_kcal"] == pytest.approx(197.4, abs=1e-3)
    assert n["protein_g"] == pytest.approx(10.57, abs=1e-3)
    assert n["fat_g"] == pytest.approx(1.395, abs=1e-3)
    assert n["carbs_g"] == pytest.approx(37.102, abs=1e-3)
    assert n["fiber_g"] == pytest.approx(10.59, abs=1e-3)
    assert n["sodium_mg"] == pytest.approx(14.5, abs=1e-3)
    assert recipe.energy_kcal == pytest.approx(197.4)
    assert n["coverage_pct"] == 100.0 and n["missing"] == []
    assert n["serving_g"] == 130.0  # (200 + 60) / 2
    assert recipe.total_time_min == 15
    # SMAE per serving: 100 g beans / 84.4 g = 1.18 leguminosas; 30 g tortilla / 33.6 g = 0.89 cereales
    eq = {row["group"]: row["count"] for row in n["equivalents"]}
    assert eq["leguminosas"] == pytest.approx(100 / 84.4, abs=0.01)
    assert eq["cereales_sin_grasa"] == pytest.approx(30 / 33.6, abs=0.01)
    assert n["equivalents_text"] == "1 cereal, 1 leguminosa"


def test_recipe_food_logs_one_serving_like_any_food(user, beans_tortilla):
    beans, tortilla = beans_tortilla
    recipe = bean_tacos(user, beans, tortilla)
    food = recipe.food
    assert food.source == FoodSource.RECIPE and food.external_id == str(recipe.pk)
    assert food.serving_size_g == 130.0 and food.serving_description == "1 porción"
    # per 100 g of the dish = total / 260 g * 100
    assert food.energy_kcal == pytest.approx(394.8 / 260 * 100, abs=1e-3)
    portion = food.portions.get()
    assert (portion.description_es, portion.grams) == ("porción", 130.0)
    assert food.is_verified is False  # pending: only its author sees it
    assert food_search(user=user, q="taquitos frijol").results[0].pk == food.pk

    entry = svc.recipe_log_serving(actor=user, recipe_id=recipe.pk, servings=1.5, meal="cena")
    assert entry.recipe_id == recipe.pk and entry.grams == pytest.approx(195.0)
    assert entry.energy_kcal == pytest.approx(197.4 * 1.5, abs=1e-2)
    assert entry.protein_g == pytest.approx(10.57 * 1.5, abs=1e-2)


def test_optional_and_unknown_ingredients_are_flagged_not_zero(user, beans_tortilla):
    beans, tortilla = beans_tortilla
    recipe = bean_tacos(
        user, beans, tortilla,
        ingredients=[
            {"food_id": beans.pk, "grams": 200},
            {"food_id": tortilla.pk, "grams": 60},
            {"name": "Salsa de la casa", "grams": 40},
            {"name": "Sal", "note": "al gusto"},
            {"food_id": usda("01123").pk, "grams": 50, "is_optional": True},
        ],
    )
    n = recipe.nutrition
    assert n["missing"] == ["Salsa de la casa", "Sal"]
    assert n["optional"] == ["Huevo entero, crudo"]
    assert n["coverage_pct"] == pytest.approx(round(100 * 260 / 300, 1))
    assert n["energy_kcal"] == pytest.approx(197.4, abs=1e-3)  # the egg is optional and left out
    assert n["serving_g"] == 150.0  # the salsa's weight counts in the dish


def test_cooked_yield_sets_the_serving_weight(user, beans_tortilla):
    beans, tortilla = beans_tortilla
    recipe = bean_tacos(user, beans, tortilla, cooked_yield_g=200)
    assert recipe.nutrition["serving_g"] == 100.0
    assert recipe.food.energy_kcal == pytest.approx(394.8 / 200 * 100, abs=1e-3)
    assert recipe.nutrition["energy_kcal"] == pytest.approx(197.4, abs=1e-3)


def test_recipe_without_ingredients_is_refused_with_a_clear_error(user):
    with pytest.raises(ValidationError) as exc:
        svc.recipe_create(actor=user, data={"title": "Agua de nada", "meal_type": "bebida", "servings": 1,
                                            "ingredients": [], "instructions": ["Servir."]})
    assert exc.value.message_dict["ingredients"] == ["Agrega al menos un ingrediente."]
    assert not Recipe.objects.exists() and not Food.objects.filter(source="recipe").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"meal_type": "merienda"}, "meal_type"),
        ({"servings": 0}, "servings"),
        ({"servings": "dos"}, "servings"),
        ({"dietary_tags": ["keto"]}, "dietary_tags"),
        ({"difficulty": "imposible"}, "difficulty"),
        ({"prep_time_min": -5}, "prep_time_min"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"instructions": []}, "instructions"),
        ({"ingredients": [{"food_id": "usda_99999999", "grams": 10}]}, "ingredients.0.food_id"),
        ({"ingredients": [{"name": "Frijoles", "grams": -3}]}, "ingredients.0.grams"),
        ({"ingredients": [{"name": "Frijoles", "grams": 9000}]}, "ingredients.0.grams"),
        ({"ingredients": [{"grams": 50}]}, "ingredients.0.name"),
        ({"ingredients": [{"name": "Sal", "note": "al gusto"}]}, "ingredients"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(user, beans_tortilla, changes, field):
    beans, tortilla = beans_tortilla
    with pytest.raises(ValidationError) as exc:
        bean_tacos(user, beans, tortilla, **changes)
    assert field in exc.value.message_dict
    assert not Recipe.objects.exists()


def test_quantity_in_grams_or_household_portion_gives_the_weight(user, beans_tortilla):
    beans, tortilla = beans_tortilla
    cup = beans.portions.order_by("seq").first()
    recipe = bean_tacos(user, beans, tortilla, ingredients=[
        {"food_id": beans.pk, "quantity": 1, "portion_id": cup.pk},
        {"food_id": tortilla.pk, "quantity": 0.06, "unit": "kg"},
        {"name": "Cebolla", "quantity": 20, "unit": "g"},
    ])
    grams = list(recipe.ingredients.values_list("grams", flat=True))
    assert grams == [pytest.approx(cup.grams), pytest.approx(60), pytest.approx(20)]
    assert recipe.nutrition["missing"] == ["Cebolla"]


def test_private_custom_food_of_someone_else_cannot_be_an_ingredient(user, other_user, beans_tortilla):
    from nutrition.services.foods import custom_food_create

    secret = custom_food_create(actor=other_user, data={"name": "Salsa secreta", "energy_kcal": 50})
    beans, tortilla = beans_tortilla
    with pytest.raises(ValidationError) as exc:
        bean_tacos(user, beans, tortilla, ingredients=[{"food_id": secret.pk, "grams": 30}])
    assert "ingredients.0.food_id" in exc.value.message_dict


def test_new_recipe_waits_for_moderation_and_only_its_author_sees_it(user, other_user, make_user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    assert (recipe.moderation_status, recipe.is_published, recipe.author_type) == ("pending", False, "patient")
    assert recipe_get(user=user, recipe_id=recipe.slug).pk == recipe.pk
    with pytest.raises(RecipeNotFound):
        recipe_get(user=other_user, recipe_id=recipe.pk)
    assert list(recipe_list(user=other_user)) == []
    with pytest.raises(RecipeNotFound):  # nor can they log it
        svc.recipe_log_serving(actor=other_user, recipe_id=recipe.pk, meal="comida")

    moderator = staff(make_user)
    assert [r.pk for r in recipes_moderation_queue(user=moderator)] == [recipe.pk]
    with pytest.raises(PermissionDenied):
        recipes_moderation_queue(user=user)
    with pytest.raises(PermissionDenied):
        svc.recipe_moderate(actor=user, recipe_id=recipe.pk, approve=True)

    svc.recipe_moderate(actor=moderator, recipe_id=recipe.pk, approve=True, notes="¡Se ve deliciosa!")
    recipe.refresh_from_db()
    assert recipe.is_published and recipe.published_at is not None and recipe.moderation_status == "approved"
    assert recipe.food.is_verified  # its diary food is public now
    assert [r.pk for r in recipe_list(user=other_user)] == [recipe.pk]
    note = Notification.objects.get(user=user)
    assert note.kind == "recipe_approved" and "Taquitos de frijol" in note.title
    assert note.body == "¡Se ve deliciosa!" and note.link == f"/nutricion/recetas/{recipe.slug}/"


def test_rejection_tells_the_author_and_keeps_it_private(user, other_user, make_user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    svc.recipe_moderate(actor=staff(make_user), recipe_id=recipe.pk, approve=False, notes="Faltan cantidades.")
    recipe.refresh_from_db()
    assert recipe.moderation_status == "rejected" and not recipe.is_published
    assert Notification.objects.get(user=user).kind == "recipe_rejected"
    with pytest.raises(RecipeNotFound):
        recipe_get(user=other_user, recipe_id=recipe.pk)


def test_author_edit_goes_back_to_review_and_recomputes(user, make_user, beans_tortilla):
    beans, tortilla = beans_tortilla
    recipe = bean_tacos(user, beans, tortilla)
    svc.recipe_moderate(actor=staff(make_user), recipe_id=recipe.pk, approve=True)
    updated = svc.recipe_update(actor=user, recipe_id=recipe.pk, data={"servings": 4, "title": "Taquitos dorados"})
    assert updated.moderation_status == "pending" and not updated.is_published
    assert updated.nutrition["energy_kcal"] == pytest.approx(394.8 / 4, abs=1e-3)
    assert updated.food.name_es == "Taquitos dorados" and updated.food.serving_size_g == 65.0
    assert updated.slug.startswith("taquitos-dorados")
    assert updated.ingredients.count() == 2  # not sent: kept


def test_only_the_author_or_staff_edit_or_delete(user, other_user, make_user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    with pytest.raises(RecipeNotFound):  # unpublished: invisible to others
        svc.recipe_delete(actor=other_user, recipe_id=recipe.pk)
    svc.recipe_moderate(actor=staff(make_user), recipe_id=recipe.pk, approve=True)
    with pytest.raises(PermissionDenied):
        svc.recipe_update(actor=other_user, recipe_id=recipe.pk, data={"title": "Mía"})
    with pytest.raises(PermissionDenied):
        svc.recipe_delete(actor=other_user, recipe_id=recipe.pk)
    svc.recipe_delete(actor=user, recipe_id=recipe.pk)
    recipe.refresh_from_db()
    assert recipe.deleted_at is not None
    with pytest.raises(RecipeNotFound):
        recipe_get(user=user, recipe_id=recipe.pk)
    assert not food_search(user=other_user, q="taquitos frijol").results


def test_nutritionist_verifies_published_recipe(user, make_user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    nutritionist = make_user(user_type="nutritionist")
    with pytest.raises(PermissionDenied):  # signed up as nutritionist but not verified by staff yet
        svc.recipe_verify(actor=nutritionist, recipe_id=recipe.pk)
    RoleGrant.objects.create(user=nutritionist, role=Role.NUTRITIONIST)
    nutritionist = type(nutritionist).objects.get(pk=nutritionist.pk)
    with pytest.raises(RecipeNotFound):  # still in review: they cannot see it
        svc.recipe_verify(actor=nutritionist, recipe_id=recipe.pk)
    svc.recipe_moderate(actor=staff(make_user), recipe_id=recipe.pk, approve=True)
    verified = svc.recipe_verify(actor=nutritionist, recipe_id=recipe.pk)
    assert verified.is_verified and verified.verified_by == nutritionist and verified.verified_at
    assert Notification.objects.filter(user=user, kind="recipe_verified").exists()
    with pytest.raises(PermissionDenied):
        svc.recipe_verify(actor=user, recipe_id=recipe.pk)
    assert [r.pk for r in recipe_list(user=user, is_verified=True)] == [recipe.pk]


def test_rating_is_one_per_person_and_the_average_follows(user, other_user, make_user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    with pytest.raises(ValidationError):  # not published yet
        svc.recipe_rate(actor=user, recipe_id=recipe.pk, stars=5)
    svc.recipe_moderate(actor=staff(make_user), recipe_id=recipe.pk, approve=True)
    third = make_user()
    svc.recipe_rate(actor=other_user, recipe_id=recipe.pk, stars=5, comment="Rica")
    svc.recipe_rate(actor=third, recipe_id=recipe.pk, stars=4)
    svc.recipe_rate(actor=other_user, recipe_id=recipe.pk, stars=2)  # changes their rating
    recipe.refresh_from_db()
    assert RecipeRating.objects.filter(recipe=recipe).count() == 2
    assert (float(recipe.rating_average), recipe.rating_count) == (3.0, 2)
    for bad in (0, 6, "cinco", 4.5):
        with pytest.raises(ValidationError):
            svc.recipe_rate(actor=third, recipe_id=recipe.pk, stars=bad)
    with pytest.raises(ValidationError):
        svc.recipe_rate(actor=user, recipe_id=recipe.pk, stars=5)  # own recipe
    recipe.refresh_from_db()
    assert (float(recipe.rating_average), recipe.rating_count) == (3.0, 2)
    assert recipe_marks(user=third, recipe_ids=[recipe.pk])[recipe.pk].rating == 4


def test_save_and_tried_marks(user, other_user, make_user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    assert svc.recipe_save_toggle(actor=user, recipe_id=recipe.pk) is True  # own pending recipe can be saved
    svc.recipe_moderate(actor=staff(make_user), recipe_id=recipe.pk, approve=True)
    assert svc.recipe_save_toggle(actor=other_user, recipe_id=recipe.pk, saved=True) is True
    assert svc.recipe_save_toggle(actor=other_user, recipe_id=recipe.pk, saved=True) is True
    recipe.refresh_from_db()
    assert recipe.saves_count == 2
    assert [r.pk for r in recipe_list(user=other_user, scope="saved")] == [recipe.pk]
    assert svc.recipe_save_toggle(actor=other_user, recipe_id=recipe.pk) is False
    assert list(recipe_list(user=other_user, scope="saved")) == []

    svc.recipe_tried_mark(actor=other_user, recipe_id=recipe.pk)
    svc.recipe_tried_mark(actor=other_user, recipe_id=recipe.pk)
    recipe.refresh_from_db()
    assert recipe.tried_count == 1
    marks = recipe_marks(user=other_user, recipe_ids=[recipe.pk])[recipe.pk]
    assert marks.tried and not marks.saved


def test_log_serving_refuses_bad_meal_and_future_date(user, beans_tortilla):
    recipe = bean_tacos(user, *beans_tortilla)
    with pytest.raises(ValidationError):
        svc.recipe_log_serving(actor=user, recipe_id=recipe.pk, meal="brunch")
    with pytest.raises(ValidationError):
        svc.recipe_log_serving(actor=user, recipe_id=recipe.pk, meal="comida", date="2999-01-01")
    with pytest.raises(ValidationError):
        svc.recipe_log_serving(actor=user, recipe_id=recipe.pk, meal="comida", servings=0)
    assert not DiaryEntry.objects.exists()


def test_list_filters_sorts_and_searches_spanish_without_accents(user, make_user, beans_tortilla):
    beans, tortilla = beans_tortilla
    moderator = staff(make_user)
    tacos = bean_tacos(user, beans, tortilla)
    huevo = svc.recipe_create(actor=user, data={
        "title": "Huevo a la mexicana", "meal_type": "desayuno", "servings": 1, "prep_time_min": 30,
        "difficulty": "media", "description": "Con jitomate, cebolla y chile.",
        "ingredients": [{"food_id": usda("01123").pk, "grams": 100}, {"food_id": usda("11529").pk, "grams": 80}],
        "instructions": ["Pica y fríe todo."],
    })
    for r in (tacos, huevo):
        svc.recipe_moderate(actor=moderator, recipe_id=r.pk, approve=True)

    def titles(**kw):
        return [r.title for r in recipe_list(user=user, **kw)]

    assert titles(search="HUEVO mexicana") == ["Huevo a la mexicana"]
    assert titles(search="jitomate") == ["Huevo a la mexicana"]  # ingredient names are searched
    assert titles(search="frijól") == ["Taquitos de frijol"]
    assert titles(search="vegana") == ["Taquitos de frijol"]  # dietary tag in Spanish
    assert titles(meal_type="desayuno") == ["Huevo a la mexicana"]
    assert titles(dietary_tags=["vegan", "gluten_free"]) == ["Taquitos de frijol"]
    assert titles(dietary_tags=["vegetarian"]) == []
    assert titles(max_prep_time_min=10) == ["Taquitos de frijol"]
    assert titles(difficulty="media") == ["Huevo a la mexicana"]
    kcal = [r.energy_kcal for r in recipe_list(user=user, sort_by="kcal")]
    assert kcal == sorted(kcal)
    assert titles(sort_by="total_time")[0] == "Taquitos de frijol"
    assert titles(sort_by="created_at")[0] == "Huevo a la mexicana"
    assert titles(scope="mine") == titles(scope="mine", search="") and len(titles(scope="mine")) == 2


def test_photos_are_checked_and_stored(user, beans_tortilla):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buf, format="PNG")
    good = SimpleUploadedFile("plato.png", buf.getvalue(), content_type="image/png")
    recipe = bean_tacos(user, *beans_tortilla)
    updated = svc.recipe_update(actor=user, recipe_id=recipe.pk, data={}, photos=[good])
    assert updated.main_photo.name.startswith("recipes/")
    bad = SimpleUploadedFile("virus.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        svc.recipe_update(actor=user, recipe_id=recipe.pk, data={"title": "Otro"}, photos=[bad])
    assert "photos" in exc.value.message_dict
    recipe.refresh_from_db()
    assert recipe.title == "Taquitos de frijol"
