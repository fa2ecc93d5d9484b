"""Diary pages (htmx): the day, live search, logging with a preview, quick add, edit, move,
delete, copy, water, weight, exercise, the week view and the targets page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutrition.models import Activity, DiaryEntry, Food, FoodPortion, NutritionTarget, WaterLog, WeightLog
from nutrition.services.diary import diary_entry_add, diary_quick_add

pytestmark = pytest.mark.usefixtures("foods")

HX = {"HTTP_HX_REQUEST": "true"}


def usda(ndb: str) -> Food:
    return Food.objects.get(source="usda", external_id=ndb)


def today() -> date:
    return timezone.localdate()


def kcal_text(value: float) -> str:
    return f"{round(value):,} kcal"


def eaten(html: str) -> str:
    match = re.search(r'id="kcal-eaten">([^<]+)<', html)
    assert match, "summary with the kcal eaten not found"
    return match.group(1)


@pytest.fixture
def page(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def beans():
    """Frijoles negros cocidos (SR28 16015) with its household portions."""
    food = usda("16015")
    assert food.portions.exists()
    return food


# ---------------------------------------------------------------------------------------
# the day page


def test_empty_day_shows_meals_targets_and_zero(page):
    resp = page.get("/nutricion/")
    assert resp.status_code == 200
    html = resp.content.decode()
    for meal in ("Desayuno", "Colación matutina", "Comida", "Colación vespertina", "Cena"):
        assert meal in html
    assert eaten(html) == "0 kcal"
    assert "de 2,000 kcal" in html  # profile incomplete: 2,000 kcal
    assert 'aria-live="polite"' in html and 'id="diary-summary"' in html
    assert "js/diary.js" in html and "css/nutrition-diary.css" in html
    assert 'id="add-panel"' in html


def test_day_navigation_and_bad_dates(page):
    yesterday = today() - timedelta(days=1)
    resp = page.get(f"/nutricion/dia/{yesterday.isoformat()}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f"/nutricion/dia/{(yesterday - timedelta(days=1)).isoformat()}/" in html
    assert f"/nutricion/dia/{today().isoformat()}/" in html
    assert page.get("/nutricion/dia/2024-02-30/").status_code == 404
    assert page.get("/nutricion/dia/manana/").status_code == 404
    future = page.get(f"/nutricion/dia/{(today() + timedelta(days=3)).isoformat()}/")
    assert future.status_code == 302 and future["Location"] == "/nutricion/"


def test_pages_need_login(client):
    for url in ("/nutricion/", "/nutricion/metas/", "/nutricion/buscar/?q=frijol", "/nutricion/mis-alimentos/"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


# ---------------------------------------------------------------------------------------
# search and the add panel


def test_live_search_returns_a_keyboard_listbox(page, beans):
    resp = page.get("/nutricion/buscar/", {"q": "frijoles", "meal": "comida", "date": today().isoformat()}, **HX)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "<html" not in html
    assert 'role="listbox"' in html and 'role="option"' in html
    assert beans.name_es in html
    assert f"{round(beans.energy_kcal)} kcal / 100 g" in html
    assert "Leguminosas" in html  # the category
    assert f"food={beans.pk}" in html


def test_search_without_js_goes_to_the_add_page(page, beans):
    resp = page.get("/nutricion/buscar/", {"q": "frijoles", "meal": "comida"})
    assert resp.status_code == 302
    full = page.get(resp["Location"])
    assert full.status_code == 200
    html = full.content.decode()
    assert "<html" in html and beans.name_es in html and "Agregar a Comida" in html


def test_empty_query_shows_recent_and_frequent_foods(page, user, beans):
    for _ in range(2):
        diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    resp = page.get("/nutricion/buscar/", {"q": "", "meal": "cena"}, **HX)
    html = resp.content.decode()
    assert "Recientes" in html and beans.name_es in html
    searched = page.get("/nutricion/buscar/", {"q": "frijoles negros", "meal": "cena"}, **HX).content.decode()
    assert "Tus frecuentes" in searched


def test_add_panel_and_amount_form_with_units(page, beans):
    url = f"/nutricion/dia/{today().isoformat()}/agregar/"
    panel = page.get(url, {"meal": "comida"}, **HX)
    assert panel.status_code == 200
    assert "<html" not in panel.content.decode()
    assert 'hx-trigger="input changed delay:250ms, search"' in panel.content.decode()
    chosen = page.get(url, {"meal": "comida", "food": beans.pk}, **HX).content.decode()
    assert 'id="amount-form"' in chosen
    assert "gramos (g)" in chosen
    portion = beans.portions.order_by("seq").first()
    assert f'value="portion:{portion.pk}"' in chosen
    assert "equivalentes SMAE" in chosen  # beans have the grams of one equivalent
    # the preview of the default amount (one household portion) is already there
    expected = round(beans.energy_kcal * portion.grams / 100)
    assert f'id="preview-kcal">{kcal_text(expected)}<' in chosen
    # unknown food: 404
    assert page.get(url, {"meal": "comida", "food": 99999999}).status_code == 404


def test_preview_is_computed_on_the_server(page, beans):
    resp = page.get("/nutricion/vista-previa/", {"food": beans.pk, "quantity": "2", "unit": "smae"}, **HX)
    html = resp.content.decode()
    grams = 2 * beans.smae_grams
    assert f'id="preview-kcal">{kcal_text(beans.energy_kcal * grams / 100)}<' in html
    bad = page.get("/nutricion/vista-previa/", {"food": beans.pk, "quantity": "-3", "unit": "g"}, **HX)
    assert "La cantidad debe ser mayor que cero." in bad.content.decode()


# ---------------------------------------------------------------------------------------
# logging moves the totals


def test_logging_a_portion_with_htmx_updates_meal_and_summary(page, user, beans):
    portion = beans.portions.order_by("seq").first()
    resp = page.post(
        "/nutricion/entrada/nueva/",
        {"food": beans.pk, "date": today().isoformat(), "meal": "comida", "unit": f"portion:{portion.pk}", "quantity": "1"},
        **HX,
    )
    assert resp.status_code == 200
    assert resp["HX-Retarget"] == "#meal-comida"
    html = resp.content.decode()
    kcal = beans.energy_kcal * portion.grams / 100
    assert html.lstrip().startswith('<section class="card meal" id="meal-comida"')
    assert beans.name_es in html
    assert f"1 {portion.description_es or portion.description_en} ({round(portion.grams):,} g)" in html
    # the summary comes along out of band, with the new total
    assert 'id="diary-summary" aria-labelledby="summary-title" aria-live="polite" hx-swap-oob="true"' in html
    assert eaten(html) == kcal_text(kcal)
    # the add panel is reset (search box again) and says what was added
    assert 'id="add-panel" class="add-panel" hx-swap-oob="innerHTML"' in html
    assert "Agregaste" in html
    entry = DiaryEntry.objects.get(user=user)
    assert entry.meal == "comida" and entry.grams == pytest.approx(portion.grams)
    # the full page shows the same figures
    day = page.get("/nutricion/").content.decode()
    assert eaten(day) == kcal_text(kcal)


def test_logging_without_js_redirects_back_to_the_meal(page, user, beans):
    resp = page.post(
        "/nutricion/entrada/nueva/",
        {"food": beans.pk, "date": today().isoformat(), "meal": "cena", "unit": "g", "quantity": "150"},
    )
    assert resp.status_code == 302
    assert resp["Location"] == f"/nutricion/dia/{today().isoformat()}/#meal-cena"
    html = page.get(resp["Location"]).content.decode()
    assert "150 g" in html
    assert eaten(html) == kcal_text(beans.energy_kcal * 1.5)
    assert "Agregaste" in html  # the message, as a toast


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"unit": "g", "quantity": "-20"}, "La cantidad debe ser mayor que cero."),
        ({"unit": "g", "quantity": "6000"}, "Son más de 5 kg de un solo alimento"),
        ({"unit": "portion", "quantity": "40"}, "Son más de 5 kg de un solo alimento"),
        ({"unit": "g", "quantity": "abc"}, "Escribe un número."),
        ({"unit": "g", "quantity": "100", "date": "FUTURE"}, "No puedes registrar en una fecha futura."),
        ({"unit": "g", "quantity": "100", "food": "99999999"}, "Alimento no encontrado"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_input_shows_the_error_and_saves_nothing(page, user, beans, data, message, htmx):
    diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    body = {"food": beans.pk, "date": today().isoformat(), "meal": "comida", **data}
    if body["unit"] == "portion":
        body["unit"] = f"portion:{beans.portions.order_by('-grams').first().pk}"
    if body.get("date") == "FUTURE":
        body["date"] = (today() + timedelta(days=1)).isoformat()
    resp = page.post("/nutricion/entrada/nueva/", body, **(HX if htmx else {}))
    assert resp.status_code == 422
    assert message in resp.content.decode()
    assert DiaryEntry.objects.filter(user=user).count() == 1


def test_logging_a_recipe_serving(page, user):
    stew = Food.objects.create(
        source="recipe", name_es="Pozole rojo (receta)", name_en="Red pozole (recipe)", category="recipes",
        is_verified=True, serving_size_g=350, serving_description="1 porción", energy_kcal=95, protein_g=7,
        fat_g=3, carbs_g=10, search_text="pozole rojo receta",
    )
    FoodPortion.objects.create(food=stew, seq=1, amount=1, description_en="serving", description_es="porción", grams=350)
    found = page.get("/nutricion/buscar/", {"q": "pozole", "meal": "comida"}, **HX).content.decode()
    assert "Pozole rojo (receta)" in found and "Receta" in found
    panel = page.get(f"/nutricion/dia/{today().isoformat()}/agregar/", {"meal": "comida", "food": stew.pk}, **HX)
    assert 'value="serving" selected' in panel.content.decode()
    resp = page.post(
        "/nutricion/entrada/nueva/",
        {"food": stew.pk, "date": today().isoformat(), "meal": "comida", "unit": "serving", "quantity": "1"},
        **HX,
    )
    html = resp.content.decode()
    assert "1 porción (350 g)" in html
    assert eaten(html) == kcal_text(95 * 3.5)


def test_quick_add_keeps_missing_macros_as_sin_dato(page, user):
    resp = page.post(
        "/nutricion/registro-rapido/",
        {"date": today().isoformat(), "meal": "cena", "name": "Tacos al pastor", "energy_kcal": "450"},
        **HX,
    )
    assert resp.status_code == 200 and resp["HX-Retarget"] == "#meal-cena"
    html = resp.content.decode()
    assert "Tacos al pastor" in html and "Registro rápido" in html
    assert eaten(html) == "450 kcal"
    assert "sin dato" in html  # protein, fat, carbs unknown: not zero
    bad = page.post("/nutricion/registro-rapido/", {"meal": "cena", "energy_kcal": "-5"}, **HX)
    assert bad.status_code == 422 and "La cantidad debe ser mayor que cero." in bad.content.decode()
    assert DiaryEntry.objects.filter(user=user).count() == 1


# ---------------------------------------------------------------------------------------
# edit, move, delete


def test_edit_inline_changes_amount_and_totals(page, user, beans):
    entry = diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    form = page.get(f"/nutricion/entrada/{entry.pk}/editar/", **HX)
    assert form.status_code == 200
    assert f'<li class="entry entry--editing" id="entry-{entry.pk}">' in form.content.decode()
    resp = page.post(
        f"/nutricion/entrada/{entry.pk}/editar/",
        {"quantity": "200", "unit": "g", "meal": "comida", "date": today().isoformat(), "note": "con queso"},
        **HX,
    )
    assert resp.status_code == 200 and resp["HX-Retarget"] == "#meal-comida"
    html = resp.content.decode()
    assert "200 g" in html and "con queso" in html
    assert eaten(html) == kcal_text(beans.energy_kcal * 2)
    bad = page.post(
        f"/nutricion/entrada/{entry.pk}/editar/",
        {"quantity": "0", "unit": "g", "meal": "comida", "date": today().isoformat()},
        **HX,
    )
    assert bad.status_code == 422 and bad["HX-Retarget"] == f"#entry-{entry.pk}"
    assert "La cantidad debe ser mayor que cero." in bad.content.decode()
    entry.refresh_from_db()
    assert entry.quantity == 200


def test_edit_page_without_js(page, user, beans):
    entry = diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    full = page.get(f"/nutricion/entrada/{entry.pk}/editar/")
    assert full.status_code == 200 and "<html" in full.content.decode()
    yesterday = today() - timedelta(days=1)
    resp = page.post(
        f"/nutricion/entrada/{entry.pk}/editar/",
        {"quantity": "100", "unit": "g", "meal": "desayuno", "date": yesterday.isoformat()},
    )
    assert resp.status_code == 302 and resp["Location"] == f"/nutricion/dia/{yesterday.isoformat()}/#meal-desayuno"
    entry.refresh_from_db()
    assert entry.date == yesterday and entry.meal == "desayuno"


def test_move_to_another_meal_updates_both_sections(page, user, beans):
    entry = diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    resp = page.post(f"/nutricion/entrada/{entry.pk}/mover/", {"meal": "cena"}, **HX)
    assert resp.status_code == 200 and resp["HX-Retarget"] == "#meal-comida"
    html = resp.content.decode()
    assert '<section class="card meal" id="meal-cena" aria-labelledby="meal-cena-title" hx-swap-oob="true">' in html
    assert "Aún no registras nada en esta comida." in html.split('id="meal-cena"')[0]
    entry.refresh_from_db()
    assert entry.meal == "cena"
    bad = page.post(f"/nutricion/entrada/{entry.pk}/mover/", {"meal": "brunch"}, **HX)
    assert bad.status_code == 422
    entry.refresh_from_db()
    assert entry.meal == "cena"


def test_delete_brings_totals_back(page, user, beans):
    keep = diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    gone = diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=50)
    resp = page.post(f"/nutricion/entrada/{gone.pk}/eliminar/", **HX)
    assert resp.status_code == 200
    assert eaten(resp.content.decode()) == kcal_text(keep.energy_kcal)
    assert not DiaryEntry.objects.filter(pk=gone.pk).exists()
    plain = page.post(f"/nutricion/entrada/{keep.pk}/eliminar/")
    assert plain.status_code == 302
    assert not DiaryEntry.objects.filter(user=user).exists()


def test_another_users_entry_answers_404(page, other_user, beans):
    theirs = diary_entry_add(actor=other_user, meal="comida", food_id=beans.pk, quantity=100)
    edit_body = {"quantity": "1", "unit": "g", "meal": "cena", "date": today().isoformat()}
    assert page.get(f"/nutricion/entrada/{theirs.pk}/editar/").status_code == 404
    assert page.get(f"/nutricion/entrada/{theirs.pk}/editar/", **HX).status_code == 404
    assert page.post(f"/nutricion/entrada/{theirs.pk}/editar/", edit_body, **HX).status_code == 404
    assert page.post(f"/nutricion/entrada/{theirs.pk}/mover/", {"meal": "cena"}).status_code == 404
    assert page.post(f"/nutricion/entrada/{theirs.pk}/eliminar/").status_code == 404
    assert page.post(f"/nutricion/entrada/{theirs.pk}/eliminar/", **HX).status_code == 404
    theirs.refresh_from_db()
    assert theirs.quantity == 100 and theirs.meal == "comida"
    # and it never shows on my day
    assert theirs.name not in page.get("/nutricion/").content.decode()


# ---------------------------------------------------------------------------------------
# copy


def test_copy_a_meal_and_a_day(page, user, beans):
    yesterday = today() - timedelta(days=1)
    diary_entry_add(actor=user, date=yesterday, meal="comida", food_id=beans.pk, quantity=100)
    diary_quick_add(actor=user, date=yesterday, meal="cena", name="Quesadilla", energy_kcal=300)
    resp = page.post(
        "/nutricion/copiar/",
        {"from_date": yesterday.isoformat(), "from_meal": "comida", "to_date": today().isoformat(), "to_meal": "cena"},
        **HX,
    )
    assert resp.status_code == 200 and resp["HX-Retarget"] == "#meals"
    assert DiaryEntry.objects.get(user=user, date=today()).meal == "cena"
    same = page.post(
        "/nutricion/copiar/",
        {"from_date": yesterday.isoformat(), "from_meal": "comida", "to_date": yesterday.isoformat(), "to_meal": ""},
        **HX,
    )
    assert same.status_code == 422 and "Elige otra comida u otro día como destino." in same.content.decode()
    future = page.post(
        "/nutricion/copiar/",
        {"from_date": yesterday.isoformat(), "to_date": (today() + timedelta(days=2)).isoformat()},
    )
    assert future.status_code == 422 and "No puedes registrar en una fecha futura." in future.content.decode()
    day = page.post("/nutricion/copiar/", {"from_date": yesterday.isoformat(), "to_date": today().isoformat()})
    assert day.status_code == 302
    assert DiaryEntry.objects.filter(user=user, date=today()).count() == 3
    html = page.get("/nutricion/").content.decode()
    assert eaten(html) == kcal_text(2 * beans.energy_kcal + 300)


# ---------------------------------------------------------------------------------------
# water, weight, exercise


def test_water_glasses_and_custom_amount(page, user):
    resp = page.post("/nutricion/agua/", {"date": today().isoformat(), "ml": "250"}, **HX)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.lstrip().startswith('<section class="card" id="water"')
    assert "250 ml de 2,450 ml" in html and "1 vaso" in html
    page.post("/nutricion/agua/", {"date": today().isoformat(), "ml": "500"}, **HX)
    assert sum(WaterLog.objects.filter(user=user).values_list("ml", flat=True)) == 750
    bad = page.post("/nutricion/agua/", {"date": today().isoformat(), "ml": "0"}, **HX)
    assert bad.status_code == 422 and "La cantidad debe ser mayor que cero." in bad.content.decode()
    log = WaterLog.objects.filter(user=user).first()
    page.post(f"/nutricion/agua/{log.pk}/eliminar/", {"date": today().isoformat()}, **HX)
    assert WaterLog.objects.filter(user=user).count() == 1


def test_weight_and_exercise_with_met_kcal(page, user):
    resp = page.post("/nutricion/peso/", {"date": today().isoformat(), "weight_kg": "72.5"}, **HX)
    assert resp.status_code == 200 and "Registraste 72.5 kg este día." in resp.content.decode()
    bad = page.post("/nutricion/peso/", {"date": today().isoformat(), "weight_kg": "12"}, **HX)
    assert bad.status_code == 422 and "El peso debe estar entre 20 y 500 kg." in bad.content.decode()
    assert WeightLog.objects.get(user=user).weight_kg == pytest.approx(72.5)

    Activity.objects.create(code="t-run", name_es="Correr (8 km/h)", name_en="Running (8 km/h)", met=8.0)
    preview = page.get("/nutricion/ejercicio/vista-previa/", {"activity_code": "t-run", "minutes": "30"}, **HX)
    assert "290 kcal" in preview.content.decode()  # 8 MET × 72.5 kg × 0.5 h
    resp = page.post("/nutricion/ejercicio/", {"date": today().isoformat(), "activity_code": "t-run", "minutes": "30"}, **HX)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Correr (8 km/h)" in html and "30 min · 290 kcal" in html
    bad = page.post("/nutricion/ejercicio/", {"date": today().isoformat(), "activity_code": "t-run", "minutes": "0"}, **HX)
    assert bad.status_code == 422 and "La cantidad debe ser mayor que cero." in bad.content.decode()
    no_js = page.post("/nutricion/ejercicio/", {"date": today().isoformat(), "activity_code": "", "minutes": "10"})
    assert no_js.status_code == 422 and "<html" in no_js.content.decode()


# ---------------------------------------------------------------------------------------
# query counts


def _day_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/nutricion/")
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def test_day_page_query_count_does_not_grow_with_entries(page, user, beans, django_assert_num_queries):
    apple = usda("09003")
    diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=150)
    page.get("/nutricion/")  # warm the per-process caches (SMAE groups)
    one = _day_queries(page)
    portion = beans.portions.first()
    meals = ["desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena"]
    for i in range(39):
        diary_entry_add(actor=user, meal=meals[i % 5], food_id=beans.pk, quantity=1, unit="portion",
                        portion_id=portion.pk)
    with django_assert_num_queries(one):
        resp = page.get("/nutricion/")
    assert resp.content.decode().count('class="entry"') == 40
    assert one <= 22  # session, user, consents, notifications... + the 7 of diary_day + activities


# ---------------------------------------------------------------------------------------
# week


def test_week_view_shows_each_day_against_the_target(page, user, beans):
    monday = today() - timedelta(days=today().weekday())
    diary_entry_add(actor=user, date=monday, meal="comida", food_id=beans.pk, quantity=200)
    if today() != monday:
        diary_entry_add(actor=user, date=today(), meal="comida", food_id=beans.pk, quantity=100)
    resp = page.get(f"/nutricion/semana/{today().isoformat()}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f"/nutricion/dia/{monday.isoformat()}/" in html
    assert f"{kcal_text(beans.energy_kcal * 2)} de 2,000 kcal" in html
    logged = 1 if today() == monday else 2
    assert f'id="week-logged">{logged} de 7<' in html
    average = beans.energy_kcal * 2 if logged == 1 else beans.energy_kcal * 1.5
    assert f'id="week-average">{kcal_text(average)}<' in html
    assert page.get("/nutricion/semana/").status_code == 200
    assert page.get("/nutricion/semana/no-es-fecha/").status_code == 404


# ---------------------------------------------------------------------------------------
# targets


def test_targets_show_how_they_are_computed_and_accept_overrides(client, make_user):
    born = date(today().year - 30, 1, 1)
    person = make_user(sex="female", weight_kg=60, height_cm=160, date_of_birth=born, activity_level="moderate",
                       goal="maintenance")
    client.force_login(person)
    age = person.profile.age
    bmr = round(10 * 60 + 6.25 * 160 - 5 * age - 161)
    resp = client.get("/nutricion/metas/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert f'id="calc-bmr">{bmr:,} kcal<' in html
    assert "× 1.55" in html and "Moderado" in html
    assert "Proteína 20 % · Grasa 30 % · Carbohidratos 50 %" in html

    saved = client.post("/nutricion/metas/", {"energy_kcal": "1800", "sodium_mg": "1500"}, **HX)
    assert saved.status_code == 200
    html = saved.content.decode()
    assert "1,800 kcal" in html and "personalizada" in html
    assert NutritionTarget.objects.get(user=person).energy_kcal == 1800
    assert "de 1,800 kcal" in client.get("/nutricion/").content.decode()

    bad = client.post("/nutricion/metas/", {"energy_kcal": "100", "protein_g": "90"}, **HX)
    assert bad.status_code == 422 and "Escribe un valor entre 800 y 6000." in bad.content.decode()
    target = NutritionTarget.objects.get(user=person)
    assert target.energy_kcal == 1800 and target.protein_g is None

    reset = client.post("/nutricion/metas/", {"reset": "1", "energy_kcal": "1800"})
    assert reset.status_code == 302
    target.refresh_from_db()
    assert target.energy_kcal is None and target.sodium_mg is None


def test_targets_page_asks_to_complete_the_profile(page):
    html = page.get("/nutricion/metas/").content.decode()
    assert "Completar mi perfil" in html and "/perfil" in html
    assert "fecha de nacimiento" in html


def test_pages_render_in_english(page, user, beans):
    user.language = "en"
    user.save(update_fields=["language"])
    diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    diary_quick_add(actor=user, meal="cena", name="Tacos", energy_kcal=300)
    for url in ("/nutricion/", f"/nutricion/semana/{today().isoformat()}/", "/nutricion/metas/",
                f"/nutricion/dia/{today().isoformat()}/agregar/?meal=comida&food={beans.pk}"):
        resp = page.get(url)
        assert resp.status_code == 200, url
        assert '<html lang="en"' in resp.content.decode()


def test_logging_from_the_standalone_add_page_with_htmx_goes_back_to_the_day(page, user, beans):
    add_page = f"http://testserver/nutricion/dia/{today().isoformat()}/agregar/?meal=comida"
    resp = page.post(
        "/nutricion/entrada/nueva/",
        {"food": beans.pk, "date": today().isoformat(), "meal": "comida", "unit": "g", "quantity": "80"},
        HTTP_HX_CURRENT_URL=add_page, **HX,
    )
    assert resp.status_code == 204
    assert resp["HX-Location"] == f"/nutricion/dia/{today().isoformat()}/#meal-comida"
    assert DiaryEntry.objects.filter(user=user, grams=80).exists()


def test_regions_refresh_on_their_own(page, user, beans):
    diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=100)
    url = f"/nutricion/dia/{today().isoformat()}/"
    live = page.get(url, {"region": "live"}, **HX).content.decode()
    assert live.lstrip().startswith('<div id="meals"') and 'hx-swap-oob="true"' in live
    assert eaten(live) == kcal_text(beans.energy_kcal)
    meal = page.get(url, {"region": "meal", "meal": "comida"}, **HX).content.decode()
    assert meal.lstrip().startswith('<section class="card meal" id="meal-comida"') and "<html" not in meal
    assert page.get(url, {"region": "meal", "meal": "brunch"}, **HX).status_code == 404
    assert "<html" in page.get(url, {"region": "live"}).content.decode()  # without htmx: the page


def test_sodium_over_the_ceiling_is_flagged(page, user):
    salty = Food.objects.create(source="custom", author=user, name_es="Consomé en polvo", name_en="Bouillon powder",
                                energy_kcal=200, sodium_mg=20000, search_text="consome en polvo")
    diary_entry_add(actor=user, meal="comida", food_id=salty.pk, quantity=15)  # 3,000 mg
    html = page.get("/nutricion/").content.decode()
    assert 'class="nbar nbar--over nbar--ceiling" data-field="sodium_mg"' in html
    assert "3,000 mg</span> / 2,000 mg" in html and "Superaste el máximo recomendado." in html
