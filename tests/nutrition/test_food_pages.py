"""Food pages: a food's detail ("sin dato" for missing values, every nutrient by name),
custom foods from a label (per serving or per 100 g) with duplicate detection, privacy until
verified, and the list of the user's own foods."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutrition.models import Food, Nutrient
from nutrition.services.foods import custom_food_create, custom_food_verify

pytestmark = pytest.mark.usefixtures("foods")

LABEL = {
    "name": "Barra de avena con chocolate",
    "brand": "Granola Sol",
    "barcode": "",
    "basis": "serving",
    "serving_size_g": "40",
    "serving_description": "1 barra",
    "energy_kcal": "160",
    "protein_g": "3",
    "fat_g": "5",
    "carbs_g": "26",
    "fiber_g": "2",
    "sugars_g": "",
    "sodium_mg": "",
    "saturated_fat_g": "",
    "trans_fat_g": "",
    "cholesterol_mg": "",
}


@pytest.fixture
def page(client, user):
    client.force_login(user)
    return client


def test_create_from_a_label_per_serving(page, user):
    form = page.get("/nutricion/alimentos/nuevo/")
    assert form.status_code == 200
    assert "Por porción" in form.content.decode() and "Por 100 g" in form.content.decode()
    resp = page.post("/nutricion/alimentos/nuevo/", LABEL)
    food = Food.objects.get(author=user, source="custom")
    assert resp.status_code == 302 and resp["Location"] == f"/nutricion/alimentos/{food.pk}/"
    assert food.energy_kcal == pytest.approx(400)  # 160 kcal in 40 g
    assert food.sodium_mg is None
    html = page.get(resp["Location"]).content.decode()
    assert "Barra de avena con chocolate" in html
    assert 'data-field="energy_kcal">400 kcal<' in html
    assert 'data-field="protein_g">7.5 g<' in html
    assert 'data-field="sodium_mg">sin dato<' in html  # missing is not zero
    assert "Privado · en revisión" in html
    assert "1 barra (40 g)" in html  # the label's serving became a portion
    assert "Guardamos «Barra de avena con chocolate»" in html


def test_duplicate_is_refused_with_a_link_to_the_existing_food(page, user):
    first = custom_food_create(actor=user, data={**LABEL})
    resp = page.post("/nutricion/alimentos/nuevo/", {**LABEL, "name": "barra de avena con CHOCOLATE"})
    assert resp.status_code == 422
    html = resp.content.decode()
    assert 'id="duplicate-warning"' in html and "Ya existe" in html
    assert f'href="/nutricion/alimentos/{first.pk}/"' in html
    assert Food.objects.filter(author=user).count() == 1
    # the same barcode under another name is a duplicate too
    custom_food_create(actor=user, data={**LABEL, "name": "Galletas María", "barcode": "7501000111204"})
    again = page.post("/nutricion/alimentos/nuevo/", {**LABEL, "name": "Otra cosa", "barcode": "7501000111204"})
    assert again.status_code == 422 and "Ya existe «Galletas María»" in again.content.decode()
    assert Food.objects.filter(author=user).count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"energy_kcal": ""}, "Escribe las calorías (kcal) de la etiqueta."),
        ({"protein_g": "-2"}, "No puede ser negativo."),
        ({"serving_size_g": ""}, "Indica cuántos gramos tiene la porción de la etiqueta."),
        ({"name": ""}, "Escribe el nombre del alimento."),
        ({"barcode": "12ab"}, "El código de barras debe tener de 8 a 14 dígitos."),
        ({"basis": "100g", "energy_kcal": "1500"}, "El valor es imposible para 100 g de alimento"),
        ({"fat_g": "tres"}, "Escribe un número."),
    ],
)
def test_bad_labels_show_the_error_and_save_nothing(page, user, changes, message):
    resp = page.post("/nutricion/alimentos/nuevo/", {**LABEL, **changes})
    assert resp.status_code == 422
    assert message in resp.content.decode()
    assert not Food.objects.filter(author=user).exists()


def test_create_from_the_diary_returns_to_the_amount_form(page, user):
    day = timezone.localdate().isoformat()
    form = page.get(f"/nutricion/alimentos/nuevo/?fecha={day}&comida=cena")
    assert 'name="comida" value="cena"' in form.content.decode()
    resp = page.post("/nutricion/alimentos/nuevo/", {**LABEL, "comida": "cena", "fecha": day})
    food = Food.objects.get(author=user)
    assert resp.status_code == 302
    assert resp["Location"] == f"/nutricion/dia/{day}/agregar/?meal=cena&food={food.pk}"
    html = page.get(resp["Location"]).content.decode()
    assert 'id="amount-form"' in html and "Barra de avena con chocolate" in html
    assert "1 barra (1 = 40 g)" in html  # the serving is a unit


def test_private_food_of_another_user_answers_404(page, other_user):
    theirs = custom_food_create(actor=other_user, data={**LABEL, "name": "Salsa secreta de la abuela"})
    assert page.get(f"/nutricion/alimentos/{theirs.pk}/").status_code == 404
    assert page.get(f"/nutricion/alimentos/{theirs.pk}/editar/").status_code == 404
    assert page.post(f"/nutricion/alimentos/{theirs.pk}/editar/", LABEL).status_code == 404
    assert page.post(f"/nutricion/alimentos/{theirs.pk}/eliminar/").status_code == 404
    day = timezone.localdate().isoformat()
    assert page.get(f"/nutricion/dia/{day}/agregar/?meal=cena&food={theirs.pk}").status_code == 404
    assert page.get("/nutricion/vista-previa/", {"food": theirs.pk, "quantity": 1, "unit": "g"}).status_code == 404
    found = page.get("/nutricion/buscar/", {"q": "salsa secreta"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Salsa secreta de la abuela" not in found
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.name_es == "Salsa secreta de la abuela"


def test_verified_food_of_another_user_is_visible_but_not_editable(page, other_user, make_user):
    staff = make_user(is_staff=True)
    theirs = custom_food_create(actor=other_user, data={**LABEL, "name": "Tamal oaxaqueño"})
    custom_food_verify(actor=staff, food_id=theirs.pk)
    html = page.get(f"/nutricion/alimentos/{theirs.pk}/").content.decode()
    assert "Tamal oaxaqueño" in html and "Verificado" in html
    assert "/editar/" not in html
    assert page.get(f"/nutricion/alimentos/{theirs.pk}/editar/").status_code == 404


def test_usda_food_detail_lists_every_nutrient_portions_and_smae(page):
    beans = Food.objects.get(source="usda", external_id="16015")
    with CaptureQueriesContext(connection) as ctx:
        resp = page.get(f"/nutricion/alimentos/{beans.pk}/")
    assert resp.status_code == 200
    # the food (with group and SMAE group), its portions, and the nutrient names: one query each
    nutrition = [q["sql"] for q in ctx.captured_queries if '"nutrition_' in q["sql"]]
    assert len(nutrition) == 3, nutrition
    html = resp.content.decode()
    assert beans.name_es in html and "USDA SR28" in html and "Leguminosas" in html
    assert f'data-field="energy_kcal">{round(beans.energy_kcal)} kcal<' in html
    calcium = Nutrient.objects.get(number="301")
    assert beans.nutrients.get("301") is not None
    assert f"{calcium.name_es or calcium.name_en}" in html and f" {calcium.unit}<" in html
    portion = beans.portions.order_by("seq").first()
    assert portion.label in html
    assert f'id="smae-grams">{beans.smae_grams:g} g' in html
    assert f"food={beans.pk}" in html  # the Registrar button


def test_my_foods_edit_and_delete(page, user, other_user):
    mine = custom_food_create(actor=user, data={**LABEL})
    custom_food_create(actor=other_user, data={**LABEL, "name": "De otra persona"})
    listing = page.get("/nutricion/mis-alimentos/").content.decode()
    assert "Barra de avena con chocolate" in listing and "De otra persona" not in listing
    form = page.get(f"/nutricion/alimentos/{mine.pk}/editar/")
    assert form.status_code == 200 and 'value="400.0"' in form.content.decode()
    resp = page.post(f"/nutricion/alimentos/{mine.pk}/editar/", {**LABEL, "basis": "100g", "energy_kcal": "380"})
    assert resp.status_code == 302
    mine.refresh_from_db()
    assert mine.energy_kcal == pytest.approx(380)
    bad = page.post(f"/nutricion/alimentos/{mine.pk}/editar/", {**LABEL, "energy_kcal": "-1"})
    assert bad.status_code == 422 and "No puede ser negativo." in bad.content.decode()
    mine.refresh_from_db()
    assert mine.energy_kcal == pytest.approx(380)
    gone = page.post(f"/nutricion/alimentos/{mine.pk}/eliminar/")
    assert gone.status_code == 302 and gone["Location"] == "/nutricion/mis-alimentos/"
    assert "Barra de avena con chocolate" not in page.get("/nutricion/mis-alimentos/").content.decode()
    assert page.get(f"/nutricion/alimentos/{mine.pk}/").status_code == 404
