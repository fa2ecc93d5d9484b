"""Meal plan API: builder parity, totals in answers, 404 for others, the patient's day and log."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from clinical.models import MealPlanItem, PlanItemLog
from nutrition.models import DiaryEntry

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def patient(make_user):
    return make_user(first_name="Paola", last_name="Pérez")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


def test_builder_flow_over_api(nutritionist, care, patient):
    client = api(nutritionist)
    resp = client.post("/api/v1/meal-plans", {"title": "Semana", "days": 2, "patient_id": patient.pk,
                                              "energy_kcal": 1800}, format="json")
    assert resp.status_code == 201, resp.json()
    plan = resp.json()
    assert plan["targets"]["energy_kcal"] == 1800 and len(plan["days"]) == 2
    assert [s["meal"] for s in plan["days"][0]["slots"]][0] == "desayuno"
    resp = client.post(f"/api/v1/meal-plans/{plan['id']}/items", {"day_number": 1, "meal": "desayuno", "kind": "smae",
                       "smae_group": "cereales_sin_grasa", "quantity": 2}, format="json")
    assert resp.status_code == 201
    body = resp.json()
    assert body["item"]["energy_kcal"] == 140 and body["day_totals"]["values"]["energy_kcal"] == 140
    assert body["day_totals"]["targets"][0] == {"field": "energy_kcal", "value": 140.0, "target": 1800, "percent": 8}
    item_id = body["item"]["id"]
    resp = client.patch(f"/api/v1/meal-plans/{plan['id']}/items/{item_id}", {"quantity": 3}, format="json")
    assert resp.json()["day_totals"]["values"]["carbs_g"] == 45
    bad = client.post(f"/api/v1/meal-plans/{plan['id']}/items", {"day_number": 1, "meal": "desayuno", "kind": "smae",
                      "smae_group": "frutas", "quantity": "mucho"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["details"]["quantity"] == ["Escribe un número."]
    resp = client.post(f"/api/v1/meal-plans/{plan['id']}/copy-day", {"from_day": 1, "to_day": 2}, format="json")
    assert resp.json()["day_totals"]["values"]["energy_kcal"] == 210
    resp = client.post(f"/api/v1/meal-plans/{plan['id']}/clone", {"as_template": True}, format="json")
    assert resp.status_code == 201 and resp.json()["is_template"] and resp.json()["patient_id"] is None
    listing = client.get("/api/v1/meal-plans?limit=1").json()
    assert listing["total_results"] == 2 and listing["total_pages"] == 2 and len(listing["meal_plans"]) == 1
    resp = client.post(f"/api/v1/meal-plans/{plan['id']}/assign", {"start_date": timezone.localdate().isoformat()},
                       format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "active"
    pdf = client.get(f"/api/v1/meal-plans/{plan['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    resp = client.delete(f"/api/v1/meal-plans/{plan['id']}")
    assert resp.status_code == 400 and "borradores" in resp.json()["error"]["details"]["plan"][0]


def test_others_get_404(nutritionist, make_nutritionist, care, patient):
    owner = api(nutritionist)
    plan = owner.post("/api/v1/meal-plans", {"title": "P", "days": 1, "patient_id": patient.pk}, format="json").json()
    item = owner.post(f"/api/v1/meal-plans/{plan['id']}/items", {"day_number": 1, "meal": "cena", "kind": "smae",
                      "smae_group": "frutas", "quantity": 1}, format="json").json()["item"]
    other = make_nutritionist()
    for client in (api(other), api(patient)):
        assert client.get(f"/api/v1/meal-plans/{plan['id']}").json()["error"]["code"] == "PLAN_NOT_FOUND"
        assert client.get(f"/api/v1/meal-plans/{plan['id']}/pdf").status_code == 404
        assert client.patch(f"/api/v1/meal-plans/{plan['id']}", {"title": "x"}, format="json").status_code == 404
        assert client.delete(f"/api/v1/meal-plans/{plan['id']}/items/{item['id']}").status_code == 404
        assert client.post(f"/api/v1/meal-plans/{plan['id']}/assign", {"start_date": "2025-01-01"},
                           format="json").status_code == 404
    # another nutritionist cannot write a plan for a patient they do not care for
    resp = api(other).post("/api/v1/meal-plans", {"title": "P", "days": 1, "patient_id": patient.pk}, format="json")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "PATIENT_NOT_FOUND"
    assert MealPlanItem.objects.filter(pk=item["id"]).exists()


def test_patient_today_and_log(nutritionist, care, patient):
    owner = api(nutritionist)
    plan = owner.post("/api/v1/meal-plans", {"title": "P", "days": 1, "patient_id": patient.pk}, format="json").json()
    item = owner.post(f"/api/v1/meal-plans/{plan['id']}/items", {"day_number": 1, "meal": "desayuno", "kind": "smae",
                      "smae_group": "cereales_sin_grasa", "quantity": 2}, format="json").json()["item"]
    client = api(patient)
    assert client.get("/api/v1/me/meal-plan/today").json()["plan"] is None  # a draft is not shown
    owner.post(f"/api/v1/meal-plans/{plan['id']}/assign", {"start_date": timezone.localdate().isoformat()},
               format="json")
    today = client.get("/api/v1/me/meal-plan/today").json()
    assert today["plan"]["title"] == "P" and today["day_number"] == 1
    breakfast = today["slots"][0]
    assert breakfast["items"][0]["logged"] is False and breakfast["items"][0]["name"].startswith("Cereales")
    first = client.post(f"/api/v1/me/meal-plan/items/{item['id']}/log", {}, format="json")
    assert first.status_code == 201
    replay = client.post(f"/api/v1/me/meal-plan/items/{item['id']}/log", {}, format="json")
    assert replay.status_code == 200 and replay.json()["log"]["id"] == first.json()["log"]["id"]
    entry = DiaryEntry.objects.get(user=patient)
    assert entry.name == "2 × Cereales y tubérculos sin grasa (plan)" and entry.energy_kcal == 140
    assert client.get("/api/v1/me/meal-plan/today").json()["slots"][0]["items"][0]["logged"] is True
    assert client.delete(f"/api/v1/me/meal-plan/items/{item['id']}/log").status_code == 204
    assert not DiaryEntry.objects.filter(user=patient).exists()
    resp = client.post("/api/v1/me/meal-plan/meals/desayuno/log", {}, format="json")
    assert resp.status_code == 201 and PlanItemLog.objects.filter(patient=patient).count() == 1
    bad = client.post("/api/v1/me/meal-plan/meals/brunch/log", {}, format="json")
    assert bad.status_code == 400 and "meal" in bad.json()["error"]["details"]
    future = client.post(f"/api/v1/me/meal-plan/items/{item['id']}/log", {"date": "2999-01-01"}, format="json")
    assert future.status_code == 400
