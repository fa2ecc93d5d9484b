"""Meal plan pages: builder with htmx slot + OOB totals, other nutritionist 404, the patient's
home section, Mi plan, one-tap logging, the PDF."""

import io

import pytest
from django.utils import timezone

from clinical.models import MealPlan, MealPlanItem, PlanItemLog, PlanStatus
from clinical.services import plans as services
from nutrition.models import DiaryEntry, Food

pytestmark = pytest.mark.django_db


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


@pytest.fixture
def patient(make_user):
    return make_user(first_name="Paola", last_name="Pérez")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


def _plan(nutritionist, patient=None, days=2, per_slot=1):
    plan = services.plan_create(actor=nutritionist, title="Plan Paola", days=days,
                                patient_id=patient.pk if patient else None,
                                targets={"energy_kcal": 1800, "protein_g": 90, "fat_g": 60, "carbs_g": 220})
    for n in range(1, days + 1):
        for meal in ("desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena"):
            for _i in range(per_slot):
                services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=n, meal=meal, kind="smae",
                                       smae_group="cereales_sin_grasa", quantity=2)
    return plan


def test_create_plan_page(client, nutritionist, care, patient):
    client.force_login(nutritionist)
    page = client.get("/consulta/planes/")
    assert page.status_code == 200 and "Nuevo plan" in page.content.decode()
    resp = client.post("/consulta/planes/", {"title": "", "days": "30", "patient_id": patient.pk})
    body = resp.content.decode()
    assert resp.status_code == 422 and "Este campo es obligatorio." in body and "de 1 a 14 días" in body
    resp = client.post("/consulta/planes/", {"title": "Semana 1", "days": "7", "patient_id": patient.pk})
    plan = MealPlan.objects.get(title="Semana 1")
    assert resp.status_code == 302 and resp["Location"] == f"/consulta/planes/{plan.pk}/"
    assert plan.days.count() == 7 and plan.patient == patient and plan.energy_kcal


BUILDER_QUERIES = 19  # session, user, roles, consents... of every page + 6 of the builder (fixed)


def test_builder_page_and_pinned_queries(client, nutritionist, django_assert_num_queries):
    plan = _plan(nutritionist, per_slot=4)
    client.force_login(nutritionist)
    client.get(f"/consulta/planes/{plan.pk}/")  # warm caches (SMAE groups, session)
    with django_assert_num_queries(BUILDER_QUERIES):
        page = client.get(f"/consulta/planes/{plan.pk}/?day=2")
    body = page.content.decode()
    assert "Desayuno" in body and "Cena" in body and "Cereales y tubérculos sin grasa" in body
    assert "2800" in body  # 20 × 140 kcal on day 2
    assert "40 cereales" in body
    for meal in ("desayuno", "comida", "cena"):
        for _i in range(4):
            services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=2, meal=meal, kind="smae",
                                   smae_group="frutas", quantity=1)
    with django_assert_num_queries(BUILDER_QUERIES):  # same count with more items
        page = client.get(f"/consulta/planes/{plan.pk}/?day=2")
    assert "12 frutas" in page.content.decode()


def test_htmx_add_returns_slot_and_oob_totals(client, nutritionist, foods):
    plan = _plan(nutritionist, days=1)
    client.force_login(nutritionist)
    apple = usda("09003")
    resp = client.post(f"/consulta/planes/{plan.pk}/items/", {"day": 1, "meal": "comida", "kind": "food",
                       "pick": f"f:{apple.pk}", "quantity": "200"}, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert body.lstrip().startswith('<section class="card plan-slot" id="slot-comida"')
    assert 'id="day-totals"' in body and 'hx-swap-oob="true"' in body
    assert apple.name in body and "200 g" in body
    kcal = round(5 * 140 + apple.energy_kcal * 2)
    assert f">{kcal}<" in body  # day total refreshed
    bad = client.post(f"/consulta/planes/{plan.pk}/items/", {"day": 1, "meal": "comida", "kind": "smae",
                      "smae_group": "frutas", "quantity": "0.3"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "mitades" in bad.content.decode()
    search = client.get(f"/consulta/planes/{plan.pk}/buscar/", {"q": "manzana", "meal": "comida"},
                        HTTP_HX_REQUEST="true")
    assert 'name="pick"' in search.content.decode()


def test_remove_and_copy_day_pages(client, nutritionist):
    plan = _plan(nutritionist, days=2)
    client.force_login(nutritionist)
    item = MealPlanItem.objects.filter(day__plan=plan, day__number=1, meal="cena").first()
    resp = client.post(f"/consulta/planes/{plan.pk}/items/{item.pk}/eliminar/", HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and ">560<" in resp.content.decode()
    resp = client.post(f"/consulta/planes/{plan.pk}/copiar-dia/", {"from_day": 1, "to_day": 2})
    assert resp.status_code == 302
    assert MealPlanItem.objects.filter(day__plan=plan, day__number=2).count() == 4


def test_other_nutritionist_and_patient_get_404(client, nutritionist, make_nutritionist, care, patient):
    plan = _plan(nutritionist, patient, days=1)
    item = MealPlanItem.objects.filter(day__plan=plan).first()
    other = make_nutritionist()
    for who in (other, patient):
        client.force_login(who)
        for url in (f"/consulta/planes/{plan.pk}/", f"/consulta/planes/{plan.pk}/pdf/"):
            assert client.get(url).status_code == 404
        assert client.post(f"/consulta/planes/{plan.pk}/items/{item.pk}/eliminar/").status_code == 404
        assert client.post(f"/consulta/planes/{plan.pk}/asignar/", {"start_date": "2025-01-01"}).status_code == 404
    assert MealPlanItem.objects.filter(pk=item.pk).exists()


def test_patient_plans_page_needs_open_care(client, nutritionist, make_nutritionist, care, patient):
    _plan(nutritionist, patient, days=1)
    client.force_login(nutritionist)
    page = client.get(f"/consulta/pacientes/{patient.pk}/plan/")
    assert page.status_code == 200 and "Plan Paola" in page.content.decode()
    client.force_login(make_nutritionist())
    assert client.get(f"/consulta/pacientes/{patient.pk}/plan/").status_code == 404
    care.status = "dropped"
    care.save()
    client.force_login(nutritionist)
    assert client.get(f"/consulta/pacientes/{patient.pk}/plan/").status_code == 404


def test_patient_home_section_and_one_tap_log(client, nutritionist, care, patient, foods):
    apple = usda("09003")
    plan = _plan(nutritionist, patient, days=1)
    food_item = services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="comida",
                                       kind="food", food_id=apple.pk, quantity=150, unit="g")
    client.force_login(patient)
    assert "Tu plan de hoy" not in client.get("/inicio/").content.decode()  # a draft is not the patient's
    services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date=timezone.localdate())
    from clinical import home_plans  # noqa: F401  (the integrator imports it from apps.py)

    home = client.get("/inicio/").content.decode()
    assert "Tu plan de hoy" in home and apple.name in home and "Comí lo planeado" in home
    resp = client.post(f"/consulta/mi-plan/items/{food_item.pk}/registrar/", HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "Deshacer" in resp.content.decode()
    entry = DiaryEntry.objects.get(user=patient)
    assert entry.meal == "comida" and float(entry.grams) == 150 and entry.food_id == apple.pk
    client.post(f"/consulta/mi-plan/items/{food_item.pk}/registrar/", HTTP_HX_REQUEST="true")
    assert DiaryEntry.objects.filter(user=patient).count() == 1
    resp = client.post("/consulta/mi-plan/comidas/desayuno/registrar/")
    assert resp.status_code == 302
    assert PlanItemLog.objects.filter(patient=patient).count() == 2
    page = client.get("/consulta/mi-plan/").content.decode()
    assert "Plan Paola" in page and "Descargar PDF" in page and "Apego a tu plan" in page
    assert "2 de 6 planeados" in page
    client.post(f"/consulta/mi-plan/items/{food_item.pk}/deshacer/")
    assert not DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_pdf_text(client, nutritionist, care, patient, foods):
    from pypdf import PdfReader

    apple = usda("09003")
    plan = _plan(nutritionist, patient, days=1)
    services.plan_update(actor=nutritionist, plan_id=plan.pk, data={"description": "Toma 2 L de agua ≥ diario ×"})
    services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="desayuno", kind="food",
                           food_id=apple.pk, quantity=120, unit="g")
    client.force_login(nutritionist)
    resp = client.get(f"/consulta/planes/{plan.pk}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    for expected in ("Paola Pérez", "Desayuno", apple.name.split(",")[0], "Cereales", "Cédula profesional",
                     "Toma 2 L de agua >= diario x"):
        assert expected in text
    # the patient reads it once assigned, never as a draft
    client.force_login(patient)
    assert client.get(f"/consulta/planes/{plan.pk}/pdf/").status_code == 404
    services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date=timezone.localdate())
    assert client.get(f"/consulta/planes/{plan.pk}/pdf/").status_code == 200
    assert MealPlan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
