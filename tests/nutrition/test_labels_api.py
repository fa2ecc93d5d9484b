"""Label scanner API: scan (OCR alone and with the vision reader), evaluate, save; bad input;
the saved food stays private (another user gets 404)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from nutrition.labels.render import LabelSpec, label_jpeg, label_png

COOKIES = {"energy_kcal": 366.7, "protein_g": 6.7, "fat_g": 10, "saturated_fat_g": 4.3, "trans_fat_g": 0.0,
           "carbs_g": 60, "sugars_g": 26.7, "added_sugars_g": 20, "fiber_g": 3.3, "sodium_mg": 500}
SPEC = LabelSpec(per_100=COOKIES, product_name="Galletas Marías", seals=("EXCESO CALORÍAS", "EXCESO AZÚCARES"),
                 ingredients="Ingredientes: harina de trigo, azúcar, aceite vegetal, sal.")


@pytest.fixture(scope="module")
def cookie_png():
    return label_png(SPEC)


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(data, name="etiqueta.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def vision_reply(**overrides):
    reply = {
        "is_nutrition_label": True, "product_name": "Galletas Marías", "brand": "Gamesa", "serving_size": 30,
        "serving_unit": "g", "servings_per_container": 12, "physical_state": "solid",
        "per_100": {"energy_kcal": 367, "energy_kj": 1534, "protein_g": 6.7, "fat_g": 10, "saturated_fat_g": 4.3,
                    "trans_fat_g": 0, "carbs_g": 60, "sugars_g": 26.7, "added_sugars_g": 20, "fiber_g": 3.3,
                    "sodium_mg": 500},
        "per_serving": {"energy_kcal": 110, "sodium_mg": 150, "sugars_g": 8},
        "printed_seals": ["EXCESO CALORÍAS", "EXCESO AZÚCARES"], "printed_legends": [], "ingredients": "",
    }
    reply.update(overrides)
    return reply


def test_scan_offline_seed_shape_and_values(api, cookie_png):
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(cookie_png), "on_date": "2026-06-01"}, format="multipart")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["source"] == "ocr" and body["ai_error"] is None
    assert body["serving_size"] == "30g" and body["servings_per_container"] == 12
    assert body["nutrition_per_serving"]["sugar_g"] == 8.0 and body["nutrition_per_serving"]["sodium_mg"] == 150
    assert body["nutrition_per_serving"]["calories"] == 110
    assert body["nutrition_per_100"]["sugar_g"] == 26.7 and body["nutrition_per_100"]["calories"] == 367
    assert body["nom_051_warnings"] == ["EXCESO CALORÍAS", "EXCESO AZÚCARES", "EXCESO GRASAS SATURADAS", "EXCESO SODIO"]
    assert body["printed_seals"] == ["EXCESO CALORÍAS", "EXCESO AZÚCARES"]
    missing = {m["name"] for m in body["mismatches"] if m["computed"] and not m["printed"]}
    assert missing == {"EXCESO GRASAS SATURADAS", "EXCESO SODIO"}
    # 10 − 4 seals × 2 + fibre 3.3 g + protein 6.7 g.
    assert body["health_score"] == 4.0
    assert "azúcar" in body["recommendation"].lower() or "energía" in body["recommendation"].lower()
    assert body["phase"] == 2 and body["needs_review"] == []
    assert body["fields"]["per_100.sodium_mg"]["confidence"] > 0.85
    assert body["processing_time_ms"] > 0
    assert resp["X-RateLimit-Limit"] == "10"


def test_scan_phase_3_date(api, cookie_png):
    body = api.post("/api/v1/ai/scan-label", {"image": upload(cookie_png), "on_date": "2028-01-01"},
                    format="multipart").json()
    assert body["phase"] == 3


def test_scan_with_vision_agreement(api, fake_ai, cookie_png):
    fake_ai.reply_json(vision_reply())
    body = api.post("/api/v1/ai/scan-label", {"image": upload(cookie_png)}, format="multipart").json()
    assert body["source"] == "ocr+vision"
    assert body["brand"] == "Gamesa" and body["product_name"] == "Galletas Marías"
    assert body["needs_review"] == []
    assert body["fields"]["per_100.sugars_g"]["confidence"] >= 0.98
    sent = fake_ai.requests[-1]
    parts = sent["messages"][-1]["content"]
    assert any(p.get("type") == "image_url" and p["image_url"]["url"].startswith("data:image/png;base64,")
               for p in parts)


def test_scan_with_vision_disagreement_flags_field(api, fake_ai, cookie_png):
    reply = vision_reply()
    reply["per_100"]["sodium_mg"] = 800
    fake_ai.reply_json(reply)
    body = api.post("/api/v1/ai/scan-label", {"image": upload(cookie_png)}, format="multipart").json()
    field = body["fields"]["per_100.sodium_mg"]
    assert "readers_disagree" in field["flags"] and field["ocr"] == 500 and field["vision"] == 800
    # OCR's 500 fits the per-portion 150 mg for 30 g; the vision's 800 does not.
    assert field["value"] == 500
    assert "per_100.sodium_mg" in body["needs_review"]


@pytest.mark.parametrize("failure", ["malformed", "429"])
def test_scan_still_works_when_vision_fails(api, fake_ai, cookie_png, failure):
    if failure == "malformed":
        fake_ai.reply_raw("no es json{")
        fake_ai.reply_raw("tampoco{")
    else:
        fake_ai.reply_error(429, times=5)
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(cookie_png)}, format="multipart")
    assert resp.status_code == 200
    body = resp.json()
    assert body["source"] == "ocr"
    assert body["ai_error"] == ("AI_BAD_REPLY" if failure == "malformed" else "AI_RATE_LIMITED")
    assert body["nutrition_per_100"]["sodium_mg"] == 500


def test_scan_with_ai_down(api, ai_down, cookie_png):
    body = api.post("/api/v1/ai/scan-label", {"image": upload(cookie_png)}, format="multipart").json()
    assert body["source"] == "ocr" and body["ai_error"] == "AI_UNAVAILABLE"


def _png(width, height, color="white"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"", "vacia.jpg", "INVALID_IMAGE"),
    (b"Informacion nutrimental: sodio 500 mg\n" * 20, "etiqueta.jpg", "INVALID_IMAGE"),
    (b"%PDF-1.4 not an image" * 50, "etiqueta.png", "INVALID_IMAGE"),
])
def test_scan_bad_files(api, data, name, code):
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(data, name, "image/jpeg")}, format="multipart")
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == code and error["message"]


def test_scan_gif_is_refused(api):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(buffer, format="GIF")
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(buffer.getvalue(), "a.gif", "image/gif")},
                    format="multipart")
    assert resp.json()["error"]["code"] == "INVALID_IMAGE"
    assert "JPG, PNG o WEBP" in resp.json()["error"]["message"]


def test_scan_huge_file(api):
    big = b"\xff\xd8\xff\xe0" + b"0" * (5 * 1024 * 1024 + 10)
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(big, "grande.jpg", "image/jpeg")}, format="multipart")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "IMAGE_TOO_LARGE"
    assert "5 MB" in resp.json()["error"]["message"]


def test_scan_missing_image(api):
    resp = api.post("/api/v1/ai/scan-label", {}, format="multipart")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "INVALID_IMAGE"


def test_scan_no_label_is_422(api):
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(_png(640, 480))}, format="multipart")
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "LABEL_NOT_FOUND"
    assert "información nutrimental" in resp.json()["error"]["message"]


def test_scan_requires_auth(cookie_png):
    resp = APIClient().post("/api/v1/ai/scan-label", {"image": upload(cookie_png)}, format="multipart")
    assert resp.status_code == 401


def test_evaluate_recomputes_after_correction(api):
    resp = api.post("/api/v1/ai/scan-label/evaluate", {
        "product_name": "Refresco", "serving_size": "355ml",
        "nutrition_per_100": {"calories": 42, "sugar_g": 10.6, "added_sugar_g": 10.6, "sodium_mg": 10,
                              "saturated_fat_g": 0, "trans_fat_g": 0},
        "adds_fat": False, "adds_sodium": True, "on_date": "2026-06-01",
    }, format="json")
    assert resp.status_code == 200
    body = resp.json()
    assert body["physical_state"] == "liquid"
    assert body["nom_051_warnings"] == ["EXCESO CALORÍAS", "EXCESO AZÚCARES"]
    assert body["nutrition_per_serving"]["sugar_g"] == pytest.approx(37.63)


def test_evaluate_bad_values(api):
    resp = api.post("/api/v1/ai/scan-label/evaluate",
                    {"nutrition_per_100": {"calories": "mucho", "fat_g": 5, "saturated_fat_g": 9}}, format="json")
    assert resp.status_code == 400
    details = resp.json()["error"]["details"]
    assert "energy_kcal" in details and "saturated_fat_g" in details


def test_save_creates_private_food_per_100g_with_portion(api, user, other_user):
    resp = api.post("/api/v1/ai/scan-label/save", {
        "product_name": "Galletas Marías", "brand": "Gamesa", "serving_size": "30g", "servings_per_container": 12,
        "nutrition_per_serving": {"calories": 110, "protein_g": 2, "carbs_g": 18, "sugar_g": 8, "added_sugar_g": 6,
                                  "fat_g": 3, "saturated_fat_g": 1.3, "fiber_g": 1, "sodium_mg": 150},
    }, format="json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["name"] == "Galletas Marías"
    assert body["nutrition_per_100g"]["calories"] == pytest.approx(366.67, abs=0.05)
    assert body["nutrition_per_100g"]["sodium"] == pytest.approx(500)
    from nutrition.models import Food

    food = Food.objects.get(pk=int(body["id"].split("_")[-1]))
    assert food.author == user and not food.is_verified
    assert food.nutrients["539"] == pytest.approx(20)
    portion = food.portions.get()
    assert portion.grams == 30 and "30 g" in portion.description_es
    # Private: another user gets 404 for it.
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get(f"/api/v1/foods/{body['id']}").status_code == 404
    # Same product again: 409 with the existing id.
    again = api.post("/api/v1/ai/scan-label/save", {"product_name": "Galletas Marías", "brand": "Gamesa",
                                                    "nutrition_per_100": {"calories": 367}}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "DUPLICATE_FOOD"


def test_save_needs_name_and_energy(api):
    resp = api.post("/api/v1/ai/scan-label/save", {"nutrition_per_100": {"protein_g": 5}}, format="json")
    assert resp.status_code == 400
    assert "name" in resp.json()["error"]["details"]


def test_jpeg_upload_reads_too(api):
    resp = api.post("/api/v1/ai/scan-label", {"image": upload(label_jpeg(SPEC), "e.jpg", "image/jpeg")},
                    format="multipart")
    assert resp.status_code == 200 and resp.json()["nutrition_per_100"]["fat_g"] == 10
