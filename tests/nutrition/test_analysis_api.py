"""Photo analysis API (seed 003 ``/analyze``): 202 then the result, failures as 422 with their
code, corrections, logging to the diary once, and another person's analysis as 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from nutrition.models import DiaryEntry, FoodAnalysis
from tests.nutrition.analysis_support import (  # noqa: F401 - fixtures
    PLAIN_REPLY,
    TACOS_REPLY,
    gif_bytes,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def post_image(api, django_capture_on_commit_callbacks):
    def _post(data=None, client=None, **fields):
        from django.core.files.uploadedfile import SimpleUploadedFile

        image = SimpleUploadedFile("plato.jpg", data or jpeg_bytes(), content_type="image/jpeg")
        with django_capture_on_commit_callbacks(execute=True):
            return (client or api).post("/api/v1/analyze/image", {"image": image, **fields}, format="multipart")

    return _post


def test_post_answers_202_then_get_shows_the_seed_shape(api, foods, fake_ai, webhooks, post_image):
    fake_ai.reply_json(PLAIN_REPLY)
    resp = post_image(meal_type="breakfast", notes="Desayuno en casa")
    assert resp.status_code == 202, resp.content
    body = resp.json()
    assert body["analysis_id"] and body["status"] in ("processing", "completed")
    assert resp["X-RateLimit-Limit"] == "10"
    result = api.get(f"/api/v1/analyze/{body['analysis_id']}").json()
    assert result["status"] == "completed"
    assert set(result["total_nutrition"]) == {"calories", "protein_g", "carbs_g", "fat_g", "fiber_g", "sugar_g", "sodium_mg"}
    apple = result["detected_foods"][0]
    assert apple["food_id"].startswith("usda_") and "Manzana" in apple["name"]
    assert apple["source"] == "database" and apple["confidence"] == 9 and apple["portion_grams"] == 180
    assert result["total_nutrition"]["calories"] == pytest.approx(
        sum(f["nutrition"]["calories"] for f in result["detected_foods"]), abs=0.2)
    assert result["meal_type"] == "breakfast" and result["notes"] == "Desayuno en casa"
    assert result["processing_time_ms"] is not None
    # the image link is signed and works without a session
    url = result["image"]["url"]
    assert "?t=" in url
    anonymous = APIClient().get(url)
    assert anonymous.status_code == 200 and anonymous["Content-Type"] == "image/jpeg"
    assert APIClient().get(url.split("?")[0]).status_code == 404


def test_processing_shape(api, user, foods, fake_ai):
    analysis = FoodAnalysis.objects.create(user=user, progress=30, current_step="detecting")
    body = api.get(f"/api/v1/analyze/{analysis.pk}").json()
    assert body == {**body, "status": "processing", "progress": 30, "current_step": "detecting",
                    "analysis_id": str(analysis.pk)}


@pytest.mark.parametrize(
    "script, code",
    [(lambda f: f.reply_json({"foods": []}), "NO_FOODS_DETECTED"),
     (lambda f: f.reply_raw("{no") or f.reply_raw("{no"), "ANALYSIS_FAILED"),
     (lambda f: f.reply_slow(3, {"json": PLAIN_REPLY}) or f.reply_slow(3, {"json": PLAIN_REPLY}), "ANALYSIS_TIMEOUT")],
    ids=["no-foods", "malformed", "timeout"],
)
def test_failed_analysis_is_422_with_its_code(api, foods, fake_ai, webhooks, post_image, script, code):
    script(fake_ai)
    analysis_id = post_image().json()["analysis_id"]
    resp = api.get(f"/api/v1/analyze/{analysis_id}")
    assert resp.status_code == 422
    assert resp.json()["status"] == "failed"
    assert resp.json()["error"]["code"] == code and resp.json()["error"]["message"]


def test_provider_down_is_ai_unavailable(api, foods, ai_down, webhooks, post_image):
    analysis_id = post_image().json()["analysis_id"]
    error = api.get(f"/api/v1/analyze/{analysis_id}").json()["error"]
    assert error["code"] == "AI_UNAVAILABLE" and "proveedor de IA" in error["message"]


def test_without_provider_post_is_503_and_points_to_food_search(api, post_image):
    resp = post_image()
    assert resp.status_code == 503
    error = resp.json()["error"]
    assert error["code"] == "AI_UNAVAILABLE"
    assert "no está configurado" in error["message"]
    assert error["details"]["food_search"] == "/api/v1/foods/search"


@pytest.mark.parametrize("data, code", [(b"texto plano", "INVALID_IMAGE_FORMAT"), (gif_bytes(), "INVALID_IMAGE_FORMAT"),
                                        (b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024), "IMAGE_TOO_LARGE")],
                         ids=["text", "gif", "6MB"])
def test_bad_files_are_400_with_a_specific_code(api, fake_ai, post_image, data, code):
    resp = post_image(data)
    assert resp.status_code in (400, 413)
    assert resp.json()["error"]["code"] in (code, "PAYLOAD_TOO_LARGE")
    assert not FoodAnalysis.objects.exists()


def test_missing_image_and_bad_meal(api, fake_ai):
    resp = api.post("/api/v1/analyze/image", {"meal_type": "lunch"}, format="multipart")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "IMAGE_REQUIRED"


def test_correct_swap_and_log_once(api, user, mexican_recipes, fake_ai, webhooks, post_image):
    fake_ai.reply_json(TACOS_REPLY)
    analysis_id = post_image(meal_type="lunch").json()["analysis_id"]
    result = api.get(f"/api/v1/analyze/{analysis_id}").json()
    tacos, beans = result["detected_foods"]
    assert tacos["source"] == "reference" and tacos["nutrition"]["calories"] == 450
    resp = api.patch(f"/api/v1/analyze/{analysis_id}/foods/1", {"portion_grams": 60}, format="json")
    assert resp.status_code == 200
    assert resp.json()["detected_foods"][1]["portion_grams"] == 60
    assert resp.json()["detected_foods"][1]["nutrition"]["calories"] == pytest.approx(
        beans["nutrition"]["calories"] / 2, abs=0.2)
    alt = beans["alternatives"][0]
    swapped = api.patch(f"/api/v1/analyze/{analysis_id}/foods/1", {"food_id": alt["food_id"]}, format="json").json()
    assert swapped["detected_foods"][1]["food_id"] == alt["food_id"]
    bad = api.patch(f"/api/v1/analyze/{analysis_id}/foods/1", {"portion_grams": 0}, format="json")
    assert bad.status_code == 400 and "portion_grams" in bad.json()["error"]["details"]
    assert api.patch(f"/api/v1/analyze/{analysis_id}/foods/7", {"portion_grams": 5}, format="json").status_code == 404

    first = api.post(f"/api/v1/analyze/{analysis_id}/log", {"meal": "cena"}, format="json")
    assert first.status_code == 201 and first.json()["created"] is True
    assert {e["meal"] for e in first.json()["entries"]} == {"cena"}
    second = api.post(f"/api/v1/analyze/{analysis_id}/log", {"meal": "cena"}, format="json")
    assert second.status_code == 200 and second.json()["created"] is False
    assert [e["id"] for e in second.json()["entries"]] == [e["id"] for e in first.json()["entries"]]
    assert DiaryEntry.objects.filter(user=user).count() == 2
    assert api.get(f"/api/v1/analyze/{analysis_id}").json()["logged"]["meal"] == "cena"


def test_another_users_analysis_is_404(api, other_user, foods, fake_ai, webhooks, post_image):
    fake_ai.reply_json(PLAIN_REPLY)
    analysis_id = post_image().json()["analysis_id"]
    other = APIClient()
    other.force_authenticate(other_user)
    for resp in (
        other.get(f"/api/v1/analyze/{analysis_id}"),
        other.patch(f"/api/v1/analyze/{analysis_id}/foods/0", {"portion_grams": 10}, format="json"),
        other.post(f"/api/v1/analyze/{analysis_id}/log", {"meal": "comida"}, format="json"),
    ):
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "ANALYSIS_NOT_FOUND"
    assert other.get("/api/v1/analyze/no-es-un-id").json()["error"]["code"] == "ANALYSIS_NOT_FOUND"
    assert other.get("/api/v1/analyze").json()["total_results"] == 0
    assert api.get("/api/v1/analyze").json()["total_results"] == 1


def test_rate_limit_is_10_per_minute(api, fake_ai, post_image, monkeypatch):
    monkeypatch.setattr("nutrition.services.analysis._enqueue", lambda analysis_id: None)
    codes = [post_image().status_code for _ in range(11)]
    assert codes[:10] == [202] * 10 and codes[10] == 429
