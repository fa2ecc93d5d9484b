"""Generator pages: the form (prefilled targets, htmx prefill and errors), the result page
(days, totals vs targets, shopping list), the PDF, adopting, and 404 for others."""

import pytest

from clinical.models import MealPlan, PlanStatus
from clinical.services import plan_generator as gen
from nutrition.models import NutritionTarget

pytestmark = pytest.mark.django_db

TARGETS = {"energy_kcal": 1900, "protein_g": 95, "fat_g": 63, "carbs_g": 238}


@pytest.fixture
def patient(make_user, mexican_recipes):
    return make_user(first_name="Paola", last_name="Pérez")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


def test_form_prefills_the_patients_targets_and_htmx_refreshes_them(client, nutritionist, care, patient):
    NutritionTarget.objects.create(user=patient, energy_kcal=1750, protein_g=100, fat_g=55, carbs_g=215,
                                   set_by=nutritionist)
    client.force_login(nutritionist)
    page = client.get("/consulta/planes/generar/").content.decode()
    assert "Generar plan de alimentación" in page and "Paola Pérez" in page
    assert 'name="energy_kcal" min="1000" max="5000" inputmode="numeric" value="2000"' in page  # no patient yet
    partial = client.get(f"/consulta/planes/generar/?prefill=1&patient_id={patient.pk}", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and 'id="prefill"' in html
    assert 'value="1750"' in html and 'value="100"' in html and "Metas actuales de Paola Pérez" in html


def test_generate_from_the_page_and_read_the_result(client, nutritionist, care, patient):
    client.force_login(nutritionist)
    resp = client.post("/consulta/planes/generar/", {
        "patient_id": patient.pk, "days": "2", **TARGETS, "allergies": ["lacteos"], "budget": "medio",
        "preferences": "rápido de preparar",
    })
    plan = MealPlan.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/consulta/planes/generados/{plan.pk}/"
    assert plan.generated_meta["allergies"] == ["lacteos"] and plan.generated_meta["preferences"] == "rápido de preparar"
    page = client.get(resp["Location"]).content.decode()
    assert plan.title in page and "Para Paola Pérez" in page
    assert "Día 1" in page and "Día 2" in page and "Desayuno" in page and "Colación vespertina" in page
    assert "Dentro de las metas" in page and "en meta" in page
    assert "Lista de compras" in page and "Precios estimados a noviembre 2026" in page
    assert "Frutas y verduras" in page and "MXN" in page
    assert "Sin:" in page and "Lácteos" in page
    assert f'/consulta/planes/{plan.pk}/' in page  # edit and assign in the existing editor
    assert f'/consulta/planes/generados/{plan.pk}/pdf/' in page
    day2 = client.get(f"/consulta/planes/generados/{plan.pk}/?day=2", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in day2 and 'id="plan-day"' in day2 and "Total del día 2" in day2
    pdf = client.get(f"/consulta/planes/generados/{plan.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(pdf.content) > 3000


def test_htmx_errors_come_back_in_the_form(client, nutritionist, care, patient):
    client.force_login(nutritionist)
    resp = client.post("/consulta/planes/generar/", {"patient_id": patient.pk, "days": "30", "energy_kcal": "900",
                                                     "budget": "medio"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 422 and "<html" not in html and 'id="generator-form"' in html
    assert "El plan tiene de 1 a 14 días." in html and "Escribe un número entero entre 1000 y 5000." in html
    assert 'value="900"' in html  # what was typed is kept
    assert MealPlan.objects.count() == 0
    ok = client.post("/consulta/planes/generar/", {"patient_id": patient.pk, "days": "1", **TARGETS,
                                                   "budget": "bajo"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "/consulta/planes/generados/" in ok["HX-Location"]


def test_others_get_404(client, nutritionist, care, patient, make_nutritionist):
    plan = gen.meal_plan_generate(actor=nutritionist, patient_id=patient.pk, days=1, targets=TARGETS, seed=1).plan
    for who in (make_nutritionist(), patient):
        client.force_login(who)
        assert client.get(f"/consulta/planes/generados/{plan.pk}/").status_code == 404
        assert client.get(f"/consulta/planes/generados/{plan.pk}/pdf/").status_code == 404
        assert client.post(f"/consulta/planes/generados/{plan.pk}/adoptar/").status_code == 404
    stranger = make_nutritionist()
    client.force_login(stranger)
    resp = client.post("/consulta/planes/generar/", {"patient_id": patient.pk, "days": "1"})
    assert resp.status_code == 422 and "Elige a uno de tus pacientes." in resp.content.decode()


def test_patient_in_care_is_told_to_ask_their_nutritionist(client, care, patient):
    client.force_login(patient)
    page = client.get("/consulta/planes/generar/").content.decode()
    assert "pídele tu plan" in page and 'id="generator-form"' not in page


def test_person_generates_adopts_and_sees_it_in_mi_plan(client, make_user, mexican_recipes):
    person = make_user(first_name="Luis", dietary_preference="vegan")
    client.force_login(person)
    page = client.get("/consulta/planes/generar/").content.decode()
    assert 'value="vegano" checked' in page  # from the profile
    resp = client.post("/consulta/planes/generar/", {"days": "1", **TARGETS, "restrictions": ["vegano"],
                                                     "budget": "medio"})
    plan = MealPlan.objects.get(patient=person)
    result = client.get(resp["Location"]).content.decode()
    assert "Usar este plan" in result and "Editar y asignar" not in result
    resp = client.post(f"/consulta/planes/generados/{plan.pk}/adoptar/", {"start_date": ""})
    assert resp.status_code == 302 and resp["Location"] == "/consulta/mi-plan/"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    today = client.get("/consulta/mi-plan/").content.decode()
    assert plan.title in today
