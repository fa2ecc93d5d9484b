"""Recipe pages: the list (full page and htmx partial, search and filters, tabs), the detail
page (nutrition, coverage flags, SMAE line, story), its htmx actions (save, tried, rate, log a
serving), the create/edit form with the ingredient food search, and permissions (404)."""

import pytest
from django.urls import reverse

from nutrition.models import DiaryEntry, Food, Recipe, RecipeRating, RecipeSave
from nutrition.services import recipes as svc

HX = {"HTTP_HX_REQUEST": "true"}


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def moderator(make_user):
    return make_user(is_staff=True, user_type="admin")


def bean_tacos(user, **extra):
    data = {
        "title": "Taquitos de frijol", "meal_type": "comida", "servings": 2, "prep_time_min": 5,
        "description": "Con frijoles de olla.",
        "ingredients": [{"food_id": usda("16015").pk, "grams": 200, "quantity": 1, "unit": "taza"},
                        {"food_id": usda("18363").pk, "grams": 60, "quantity": 2, "unit": "piezas"},
                        {"name": "Salsa de la casa", "grams": 40, "quantity": 3, "unit": "cucharadas"}],
        "instructions": ["Calienta las tortillas.", "Rellena con frijoles."],
        **extra,
    }
    return svc.recipe_create(actor=user, data=data)


@pytest.mark.usefixtures("mexican_recipes")
def test_list_page_shows_system_recipes_and_filters_with_htmx(signed_in):
    url = reverse("nutrition:recipes")
    assert url == "/nutricion/recetas/"
    resp = signed_in.get(url)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "<html" in html and 'id="recipe-results"' in html and "nutrition-recipes.css" in html
    pozole = Recipe.objects.get(slug="pozole-rojo")
    assert "kcal/porción" in html and "Aplicar filtros" in html

    resp = signed_in.get(url, {"search": "pozole", "scope": "all"}, HTTP_HX_TARGET="recipe-results", **HX)
    html = resp.content.decode()
    assert "<html" not in html and 'id="recipe-results"' in html
    assert "Pozole rojo" in html and "Tacos al pastor" not in html
    assert f"{round(pozole.energy_kcal):,} kcal/porción" in html
    assert reverse("nutrition:recipe_detail", args=["pozole-rojo"]) in html

    resp = signed_in.get(url, {"meal_type": "bebida"}, HTTP_HX_TARGET="recipe-results", **HX)
    html = resp.content.decode()
    assert "Agua de jamaica" in html and "Pozole rojo" not in html
    resp = signed_in.get(url, {"sort_by": "sabor"})
    assert "Algunos filtros no son válidos" in resp.content.decode()
    # The page costs the same number of queries for 1 recipe as for a full page of them.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for params in ({"search": "pozole rojo"}, {}):
        with CaptureQueriesContext(connection) as ctx:
            resp = signed_in.get(url, params, HTTP_HX_TARGET="recipe-results", **HX)
        counts.append(len(ctx.captured_queries))
    assert resp.content.decode().count('class="rcard"') == 12
    assert counts[0] == counts[1]


@pytest.mark.usefixtures("foods")
def test_mine_and_saved_tabs(signed_in, user, other_user, moderator):
    mine = bean_tacos(user)
    url = reverse("nutrition:recipes")
    html = signed_in.get(url, {"scope": "mine"}).content.decode()
    assert "Taquitos de frijol" in html and "En revisión" in html
    assert "No tienes recetas guardadas" in signed_in.get(url, {"scope": "saved"}).content.decode()
    svc.recipe_save_toggle(actor=user, recipe_id=mine.pk, saved=True)
    assert "Taquitos de frijol" in signed_in.get(url, {"scope": "saved"}).content.decode()


@pytest.mark.usefixtures("foods")
def test_detail_page_shows_nutrition_flags_and_equivalents(signed_in, user):
    recipe = bean_tacos(user, region_origin="Veracruz", history_story="Receta de la abuela.",
                        chef_tips=["Usa frijoles recién hechos."], storage_instructions="Refrigera 3 días.")
    resp = signed_in.get(reverse("nutrition:recipe_detail", args=[recipe.slug]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Taquitos de frijol" in html and "En revisión" in html
    # 394.8 kcal / 2 servings = 197.4 -> shown as "197 kcal"
    assert "197 kcal" in html
    assert "sin dato" in html and "Salsa de la casa" in html
    assert "Calculado con el 86.7 % del peso de los ingredientes." in html  # 260 of 300 g
    assert "Equivalentes SMAE por porción" in html and "1 cereal, 1 leguminosa" in html
    assert "Veracruz" in html and "Receta de la abuela." in html and "Usa frijoles recién hechos." in html
    assert "Refrigera 3 días." in html and "Registrar en mi diario" in html
    assert "No puedes calificar tu propia receta." in html


@pytest.mark.usefixtures("foods")
def test_other_people_cannot_open_a_pending_recipe(client, user, other_user):
    recipe = bean_tacos(user)
    client.force_login(other_user)
    assert client.get(reverse("nutrition:recipe_detail", args=[recipe.slug])).status_code == 404
    assert client.get(reverse("nutrition:recipe_edit", args=[recipe.slug])).status_code == 404
    resp = client.post(reverse("nutrition:recipe_log", args=[recipe.slug]), {"meal": "comida", "servings": 1})
    assert resp.status_code == 404
    assert client.post(reverse("nutrition:recipe_delete", args=[recipe.slug])).status_code == 404
    assert not DiaryEntry.objects.exists() and Recipe.objects.get(pk=recipe.pk).deleted_at is None


@pytest.mark.usefixtures("foods")
def test_published_recipe_cannot_be_edited_by_others(client, user, other_user, moderator):
    recipe = bean_tacos(user)
    svc.recipe_moderate(actor=moderator, recipe_id=recipe.pk, approve=True)
    client.force_login(other_user)
    assert client.get(reverse("nutrition:recipe_edit", args=[recipe.slug])).status_code == 403
    assert client.post(reverse("nutrition:recipe_delete", args=[recipe.slug])).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    resp = client.get(reverse("nutrition:recipes"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


@pytest.mark.usefixtures("foods")
def test_log_a_serving_from_the_page(signed_in, user):
    recipe = bean_tacos(user)
    url = reverse("nutrition:recipe_log", args=[recipe.slug])
    resp = signed_in.post(url, {"servings": "2", "meal": "cena", "date": ""}, **HX)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'id="recipe-log"' in html and "Ver mi diario" in html and "395 kcal" in html  # 2 x 197.4
    assert "Registrada en tu diario" in html  # the toast
    entry = DiaryEntry.objects.get(user=user)
    assert (entry.meal, entry.recipe_id, entry.quantity) == ("cena", recipe.pk, 2)

    resp = signed_in.post(url, {"servings": "0", "meal": "cena"}, **HX)
    assert resp.status_code == 422 and "field--invalid" in resp.content.decode()
    resp = signed_in.post(url, {"servings": "1", "meal": "merienda"}, **HX)
    assert resp.status_code == 422
    assert DiaryEntry.objects.filter(user=user).count() == 1
    # without JavaScript: a normal POST goes to the diary
    resp = signed_in.post(url, {"servings": "1", "meal": "comida"})
    assert resp.status_code == 302


@pytest.mark.usefixtures("foods")
def test_save_tried_and_rate_with_htmx(client, user, other_user, moderator):
    recipe = bean_tacos(user)
    svc.recipe_moderate(actor=moderator, recipe_id=recipe.pk, approve=True)
    client.force_login(other_user)
    resp = client.post(reverse("nutrition:recipe_save", args=[recipe.slug]), **HX)
    html = resp.content.decode()
    assert resp.status_code == 200 and 'id="recipe-actions"' in html and 'aria-pressed="true"' in html
    assert RecipeSave.objects.filter(user=other_user, recipe=recipe).exists()
    resp = client.post(reverse("nutrition:recipe_tried", args=[recipe.slug]), **HX)
    assert "1 persona la preparó" in resp.content.decode()

    rate = reverse("nutrition:recipe_rate", args=[recipe.slug])
    resp = client.post(rate, {"stars": "4", "comment": "Rica"}, **HX)
    html = resp.content.decode()
    assert resp.status_code == 200 and 'id="recipe-rating"' in html and "Tu calificación: 4 de 5" in html
    resp = client.post(rate, {"stars": "7"}, **HX)
    assert resp.status_code == 422 and "Elige de 1 a 5 estrellas." in resp.content.decode()
    assert RecipeRating.objects.get(user=other_user).stars == 4


@pytest.mark.usefixtures("foods")
def test_create_recipe_with_the_form(signed_in, user):
    beans, tortilla = usda("16015"), usda("18363")
    cup = beans.portions.order_by("seq").first()
    resp = signed_in.get(reverse("nutrition:recipe_create"))
    assert resp.status_code == 200 and "Enviar a revisión" in resp.content.decode()

    data = {
        "title": "Frijoles con tortilla", "meal_type": "comida", "servings": "2", "prep_time_min": "5",
        "cook_time_min": "0", "difficulty": "facil", "cuisine_type": "mexicana", "dietary_tags": ["vegan"],
        "ingredients-a1-food_id": str(beans.pk), "ingredients-a1-quantity": "1",
        "ingredients-a1-unit": f"portion:{cup.pk}", "ingredients-a1-search": "",
        "ingredients-b2-food_id": str(tortilla.pk), "ingredients-b2-quantity": "60", "ingredients-b2-unit": "g",
        "ingredients-c3-name": "Sal", "ingredients-c3-unit": "al gusto", "ingredients-c3-note": "al gusto",
        "ingredients-d4-search": "", "ingredients-d4-unit": "g",  # an empty row is ignored
        "steps-s1-instruction": "Calienta los frijoles.", "steps-s1-duration_min": "5",
        "steps-s2-instruction": "Sirve con tortillas.",
    }
    resp = signed_in.post(reverse("nutrition:recipe_create"), data)
    recipe = Recipe.objects.get(title="Frijoles con tortilla")
    assert resp.status_code == 302 and resp["Location"] == reverse("nutrition:recipe_detail", args=[recipe.slug])
    assert recipe.moderation_status == "pending" and recipe.author == user
    assert [i.grams for i in recipe.ingredients.all()] == [pytest.approx(cup.grams), 60, None]
    assert recipe.nutrition["missing"] == ["Sal"]
    assert [s.duration_min for s in recipe.steps.all()] == [5, None]

    edit = signed_in.get(reverse("nutrition:recipe_edit", args=[recipe.slug])).content.decode()
    assert "Frijoles con tortilla" in edit and "Calienta los frijoles." in edit
    assert f'value="portion:{cup.pk}" selected' in edit or "text:" in edit


@pytest.mark.usefixtures("foods")
def test_form_errors_keep_what_was_typed_and_save_nothing(signed_in):
    data = {"title": "Receta vacía", "meal_type": "comida", "servings": "2",
            "steps-s1-instruction": "Mezcla todo."}
    resp = signed_in.post(reverse("nutrition:recipe_create"), data)
    html = resp.content.decode()
    assert resp.status_code == 422
    assert "Agrega al menos un ingrediente." in html and 'value="Receta vacía"' in html
    assert "Mezcla todo." in html
    assert not Recipe.objects.exists()


@pytest.mark.usefixtures("foods")
def test_ingredient_food_search_and_pick(signed_in):
    resp = signed_in.get(reverse("nutrition:recipe_ingredient_search"),
                         {"i": "ab12", "ingredients-ab12-search": "frijoles negros"}, **HX)
    html = resp.content.decode()
    beans = usda("16015")
    assert resp.status_code == 200 and beans.name in html and f"food={beans.pk}" in html
    resp = signed_in.get(reverse("nutrition:recipe_ingredient_pick"), {"i": "ab12", "food": beans.pk}, **HX)
    html = resp.content.decode()
    assert f'name="ingredients-ab12-food_id" value="{beans.pk}"' in html
    assert "portion:" in html  # household portions to choose from
    assert signed_in.get(reverse("nutrition:recipe_ingredient_pick"), {"i": "../x", "food": 1}).status_code == 404
    row = signed_in.get(reverse("nutrition:recipe_ingredient_row"), **HX).content.decode()
    assert 'class="rrow"' in row and "ingredients-" in row


@pytest.mark.usefixtures("foods")
def test_staff_moderate_from_the_page(client, user, moderator):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(moderator, generate_totp_secret())  # staff must use 2FA to open any page
    recipe = bean_tacos(user)
    client.force_login(moderator)
    html = client.get(reverse("nutrition:recipe_detail", args=[recipe.slug])).content.decode()
    assert "Aprobar y publicar" in html
    resp = client.post(reverse("nutrition:recipe_moderate", args=[recipe.slug]), {"approve": "1", "notes": "Ok"})
    assert resp.status_code == 302
    assert Recipe.objects.get(pk=recipe.pk).is_published


@pytest.mark.usefixtures("foods")
def test_admin_lists_recipes_and_approves_with_the_service(client, user, make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import Notification

    admin = make_user(is_staff=True, is_superuser=True, user_type="admin")
    TOTP.activate(admin, generate_totp_secret())
    recipe = bean_tacos(user)
    client.force_login(admin)
    resp = client.get("/django-admin/nutrition/recipe/", {"moderation_status__exact": "pending"})
    assert resp.status_code == 200 and "Taquitos de frijol" in resp.content.decode()
    assert client.get("/django-admin/nutrition/food/", {"q": "frijoles"}).status_code == 200
    assert client.get(f"/django-admin/nutrition/recipe/{recipe.pk}/change/").status_code == 200
    resp = client.post("/django-admin/nutrition/recipe/", {"action": "approve", "_selected_action": [recipe.pk]})
    assert resp.status_code == 302
    recipe.refresh_from_db()
    assert recipe.is_published and Notification.objects.filter(user=user, kind="recipe_approved").exists()


@pytest.mark.usefixtures("mexican_recipes")
def test_detail_in_english_for_an_english_speaker(client, make_user):
    reader = make_user(language="en")
    client.force_login(reader)
    html = client.get(reverse("nutrition:recipe_detail", args=["pozole-rojo"])).content.decode()
    assert "Red pozole" in html
    assert "cereals" in html and "cereales" not in html  # SMAE line in the reader's language
    resp = client.get(reverse("nutrition:recipes"), {"search": "pozole"}, HTTP_HX_TARGET="recipe-results", **HX)
    assert "Red pozole" in resp.content.decode()
