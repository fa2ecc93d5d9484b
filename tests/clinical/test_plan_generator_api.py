"""The generator over the API and with a language model: naming only, never numbers; the plan
is made whatever the model does (malformed reply, timeout, 429, down)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from clinical.models import MealPlan, MealPlanItem
from clinical.services import plan_generator as gen
from integrations.models import AIUsage

pytestmark = pytest.mark.django_db

TARGETS = {"energy_kcal": 2100, "protein_g": 105, "fat_g": 70, "carbs_g": 260}


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def patient(make_user, mexican_recipes):
    return make_user(first_name="Paola", last_name="Pérez")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


# ---------------------------------------------------------------------------------------
# API


def test_generate_over_api(nutritionist, care, patient):
    client = api(nutritionist)
    resp = client.post("/api/v1/ai/generate-meal-plan", {"patient_id": patient.pk, "days": 3, **TARGETS,
                                                         "allergies": ["gluten"], "budget": "bajo"}, format="json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["status"] == "draft" and body["patient_id"] == patient.pk and len(body["days"]) == 3
    assert body["targets"] == TARGETS
    for day in body["days"]:
        assert day["within_tolerance"] is True
        kcal = day["totals"]["values"]["energy_kcal"]
        assert abs(kcal - 2100) <= 105
        assert all(row["within_tolerance"] for row in day["totals"]["targets"])
        assert [s["meal"] for s in day["slots"]] == ["desayuno", "colacion_matutina", "comida",
                                                     "colacion_vespertina", "cena"]
        assert all(s["items"] for s in day["slots"])
    gen_info = body["generation"]
    assert gen_info["budget"] == "bajo" and gen_info["daily_cap_mxn"] == 110 and gen_info["allergies"] == ["gluten"]
    assert gen_info["named_by"] == "default" and len(gen_info["tips"]) == 3
    shopping = body["shopping_list"]
    assert shopping["currency"] == "MXN" and shopping["prices_estimated_at"] == "2026-11-30"
    assert shopping["total_mxn"] == pytest.approx(sum(a["cost_mxn"] for a in shopping["aisles"]), abs=0.05)
    assert all(item["amount"] for a in shopping["aisles"] for item in a["items"])
    assert resp["X-RateLimit-Limit"] == "5"

    listing = client.get(f"/api/v1/meal-plans/{body['id']}/shopping-list").json()
    assert listing["total_mxn"] == shopping["total_mxn"] and listing["days"] == 3
    pdf = client.get(f"/api/v1/meal-plans/{body['id']}/shopping-list/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_api_errors_use_the_envelope(nutritionist, care, patient, make_nutritionist):
    client = api(nutritionist)
    resp = client.post("/api/v1/ai/generate-meal-plan", {"patient_id": patient.pk, "days": 20, "budget": "x"},
                       format="json")
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["days"] == ["El plan tiene de 1 a 14 días."]
    assert error["details"]["budget"] == ["Elige un presupuesto: bajo, medio o alto."]
    # another nutritionist's patient: 404, nothing saved
    other = api(make_nutritionist())
    resp = other.post("/api/v1/ai/generate-meal-plan", {"patient_id": patient.pk}, format="json")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "PATIENT_NOT_FOUND"
    # the patient in care is sent to their nutritionist
    resp = api(patient).post("/api/v1/ai/generate-meal-plan", {}, format="json")
    assert resp.status_code == 403 and "nutrióloga" in resp.json()["error"]["message"]
    assert MealPlan.objects.count() == 0


def test_shopping_list_of_another_nutritionists_plan_is_404(nutritionist, care, patient, make_nutritionist):
    plan = gen.meal_plan_generate(actor=nutritionist, patient_id=patient.pk, days=1, targets=TARGETS, seed=1).plan
    other = api(make_nutritionist())
    assert other.get(f"/api/v1/meal-plans/{plan.pk}/shopping-list").status_code == 404
    assert other.get(f"/api/v1/meal-plans/{plan.pk}/shopping-list/pdf").status_code == 404
    # a draft is not the patient's yet either
    assert api(patient).get(f"/api/v1/meal-plans/{plan.pk}/shopping-list").json()["error"]["code"] == "PLAN_NOT_FOUND"


def test_person_generates_and_adopts_over_api(make_user, mexican_recipes):
    person = make_user()
    client = api(person)
    resp = client.post("/api/v1/ai/generate-meal-plan", {"days": 2, **TARGETS, "restrictions": ["vegano"]},
                       format="json")
    assert resp.status_code == 201, resp.json()
    plan_id = resp.json()["id"]
    assert resp.json()["generation"]["restrictions"] == ["vegano"]
    resp = client.post(f"/api/v1/meal-plans/{plan_id}/adopt", {}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "active"
    today = client.get("/api/v1/me/meal-plan/today").json()
    assert today["plan"]["id"] == plan_id
    stranger = api(make_user())
    assert stranger.post(f"/api/v1/meal-plans/{plan_id}/adopt", {}, format="json").status_code == 404


def test_rate_limit(nutritionist, care, patient, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "ai_generate_plan": "1/m"}
    client = api(nutritionist)
    assert client.post("/api/v1/ai/generate-meal-plan", {"days": 1}, format="json").status_code == 201
    resp = client.post("/api/v1/ai/generate-meal-plan", {"days": 1}, format="json")
    assert resp.status_code == 429 and resp.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"


# ---------------------------------------------------------------------------------------
# the language model names the plan, nothing else


def test_model_names_the_plan_but_sets_no_number(nutritionist, care, patient, fake_ai):
    fake_ai.reply_json({"title": "Semana de sabores oaxaqueños", "description": "Platillos caseros y frescos.",
                        "tips": ["Cocina frijoles el domingo.", "Lleva fruta picada al trabajo."],
                        "energy_kcal": 9999, "protein_g": 1})
    named = gen.meal_plan_generate(actor=nutritionist, patient_id=patient.pk, days=2, targets=TARGETS, seed=42)
    plan = named.plan
    assert plan.title == "Semana de sabores oaxaqueños" and plan.description == "Platillos caseros y frescos."
    assert plan.generated_meta["tips"] == ["Cocina frijoles el domingo.", "Lleva fruta picada al trabajo."]
    assert plan.generated_meta["named_by"] == "ai" and named.named_by == "ai"
    assert plan.energy_kcal == 2100 and plan.protein_g == 105
    # every number is ours: item nutrients are our food values for the planned grams, and
    # each day is within tolerance of the requested targets (not of the model's 9999 kcal)
    for item in MealPlanItem.objects.filter(day__plan=plan).select_related("food", "recipe__food"):
        food = item.food or item.recipe.food
        grams = float(item.grams) if item.food_id else float(item.quantity) * food.serving_size_g
        assert item.energy_kcal == pytest.approx(food.energy_kcal * grams / 100, abs=0.1)
    for day in named.days:
        assert abs(day.totals["energy_kcal"] - 2100) <= 105 and abs(day.totals["protein_g"] - 105) <= 10.5
    request = fake_ai.requests[-1]
    prompt = " ".join(m["content"] for m in request["messages"])
    assert "No cambies porciones" in prompt and "Día 1" in prompt
    usage = AIUsage.objects.filter(feature="meal_plan").latest("id")
    assert usage.user_id == patient.pk and usage.practice_id == nutritionist.pk


@pytest.mark.parametrize("failure", ["malformed", "timeout", "rate_limited", "down"])
def test_plan_is_made_when_the_model_fails(nutritionist, care, patient, fake_ai, failure, settings):
    if failure == "malformed":
        fake_ai.handler = lambda body: {"text": "not json{"}
    elif failure == "timeout":
        fake_ai.handler = lambda body: {"delay": 2.0, "text": "tarde"}
    elif failure == "rate_limited":
        fake_ai.reply_error(429, times=5)
    else:
        settings.AI_BASE_URL = "http://127.0.0.1:9/v1"
        settings.AI_MAX_RETRIES = 0
    result = gen.meal_plan_generate(actor=nutritionist, patient_id=patient.pk, days=2, targets=TARGETS, seed=9)
    plan = result.plan
    assert result.named_by == "default" and plan.generated_meta["named_by"] == "default"
    assert plan.title == "Plan mexicano de 2 días · 2100 kcal"
    assert "2100 kcal" in plan.description and len(plan.generated_meta["tips"]) == 3
    assert MealPlanItem.objects.filter(day__plan=plan).count() >= 10
