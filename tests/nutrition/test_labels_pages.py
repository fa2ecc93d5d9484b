"""Label scanner page: upload form, read a photo, recompute seals (htmx partial and full page),
save as a custom food; errors keep what was typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nutrition.labels.render import LabelSpec, label_png
from nutrition.models import Food

COOKIES = {"energy_kcal": 366.7, "protein_g": 6.7, "fat_g": 10, "saturated_fat_g": 4.3, "trans_fat_g": 0.0,
           "carbs_g": 60, "sugars_g": 26.7, "added_sugars_g": 20, "fiber_g": 3.3, "sodium_mg": 500}
FORM = {"name": "Jugo de naranja", "brand": "Del Valle", "physical_state": "liquid", "serving_size": "250",
        "energy_kcal": "45", "sugars_g": "10", "added_sugars_g": "3", "sodium_mg": "10", "saturated_fat_g": "0",
        "trans_fat_g": "0", "protein_g": "0.5", "carbs_g": "10.5", "fat_g": "0", "adds_sugar": "on"}


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def test_page_has_camera_upload(client_in):
    resp = client_in.get("/nutricion/etiquetas/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert "Escáner de etiquetas" in html


def test_read_photo_fills_form_and_draws_seals(client_in):
    spec = LabelSpec(per_100=COOKIES, product_name="Galletas Marías")
    resp = client_in.post("/nutricion/etiquetas/leer/", {"image": SimpleUploadedFile("e.png", label_png(spec))})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'value="26.7"' in html and 'value="500"' in html
    assert html.count('class="nom-seal"') == 4
    assert "EXCESO GRASAS SATURADAS" in html and "SECRETARÍA DE SALUD" in html
    assert "Leído con OCR." in html
    assert 'id="health-score"' in html and ">4.0<" in html


def test_read_bad_file_shows_error(client_in):
    resp = client_in.post("/nutricion/etiquetas/leer/", {"image": SimpleUploadedFile("e.jpg", b"hola, no soy foto")})
    assert resp.status_code == 400
    assert "no es una imagen válida" in resp.content.decode()


def test_recompute_htmx_returns_result_partial(client_in):
    resp = client_in.post("/nutricion/etiquetas/evaluar/", FORM, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<html" not in html and 'id="label-result"' in html
    # 3 g added sugar = 12 kcal ≥ 8 kcal in a drink -> calories; 12 of 45 kcal = 26.7 % -> sugars.
    assert "EXCESO CALORÍAS" in html and "EXCESO AZÚCARES" in html and "EXCESO SODIO" not in html


def test_recompute_without_js_is_full_page_and_respects_unchecked_boxes(client_in):
    data = {**FORM}
    data.pop("adds_sugar")
    resp = client_in.post("/nutricion/etiquetas/evaluar/", data)
    html = resp.content.decode()
    assert "<html" in html and "Sin sellos de advertencia" in html


def test_recompute_bad_number_keeps_values(client_in):
    resp = client_in.post("/nutricion/etiquetas/evaluar/", {**FORM, "sodium_mg": "mucho"})
    html = resp.content.decode()
    assert resp.status_code == 422
    assert "Escribe un número." in html and 'value="Jugo de naranja"' in html


def test_save_creates_food_and_redirects(client_in, user, client, other_user):
    resp = client_in.post("/nutricion/etiquetas/guardar/", FORM)
    food = Food.objects.get(author=user, name_es="Jugo de naranja")
    assert resp.status_code == 302 and resp["Location"] == f"/nutricion/alimentos/{food.pk}/"
    assert food.energy_kcal == 45 and food.portions.get().grams == 250
    assert food.nutrients["539"] == 3
    client.force_login(other_user)
    assert client.get(f"/nutricion/alimentos/{food.pk}/").status_code == 404


def test_save_without_name_keeps_everything(client_in):
    resp = client_in.post("/nutricion/etiquetas/guardar/", {**FORM, "name": ""})
    html = resp.content.decode()
    assert resp.status_code == 422
    assert "Escribe el nombre del producto." in html and 'value="Del Valle"' in html
    assert not Food.objects.filter(brand="Del Valle").exists()


def test_login_required(client):
    assert client.get("/nutricion/etiquetas/").status_code == 302
