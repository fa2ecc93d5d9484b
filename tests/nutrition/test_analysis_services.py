"""Meal photo analysis, service level, against the fake OpenAI-compatible server: detection,
matching to our food database, the Mexican reference check, failures, reuse, corrections and
logging to the diary."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nutrition.models import AnalysisStatus, DiaryEntry, FoodAnalysis
from nutrition.selectors.analysis import AnalysisNotFound, analysis_get
from nutrition.services import analysis as svc
from tests.nutrition.analysis_support import (  # noqa: F401 - fixtures
    PLAIN_REPLY,
    TACOS_REPLY,
    gif_bytes,
    jpeg_bytes,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def _start(user, data=None, meal="comida", **kw):
    """Start an analysis and run what it queued after commit (the eager task)."""
    with _capture(execute=True):
        return svc.analysis_start(actor=user, image=upload(data or jpeg_bytes()), meal_type=meal, **kw)


def _done(analysis) -> FoodAnalysis:
    return FoodAnalysis.objects.get(pk=analysis.pk)


def test_success_matches_our_foods_and_computes_our_values(user, foods, fake_ai, webhooks, pushes):
    fake_ai.reply_json(PLAIN_REPLY)
    a = _done(_start(user, meal="lunch"))
    assert a.status == AnalysisStatus.COMPLETED, a.error_message
    assert a.meal == "comida" and a.progress == 100
    apple, tortilla = a.items
    assert apple["source"] == "database" and "Manzana" in apple["food_name"]
    from nutrition.models import Food

    food = Food.objects.get(pk=apple["food_id"])
    # our value, not the model's 95 kcal
    assert apple["nutrition"]["energy_kcal"] == pytest.approx(food.energy_kcal * 1.8, abs=0.01)
    assert "Tortilla" in tortilla["food_name"]
    assert a.totals["energy_kcal"] == pytest.approx(
        apple["nutrition"]["energy_kcal"] + tortilla["nutrition"]["energy_kcal"], abs=0.01)
    assert a.confidence_score == 8.0
    # the photo went to the model as an inline image, with the vision model
    body = fake_ai.requests[-1]
    assert body["model"] == "fake-vision"
    parts = body["messages"][-1]["content"]
    assert parts[1]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    # stored privately without EXIF, raw copy gone, hash recorded
    from PIL import Image

    with a.image.open("rb") as fh:
        assert not Image.open(fh).getexif()
    assert not a.raw_upload and len(a.image_hash) == 64
    steps = [d["current_step"] for _u, e, d in pushes if e == "analysis:progress"]
    assert steps == ["validating", "detecting", "matching", "computing"]
    assert pushes[-1][1] == "analysis:completed" and pushes[-1][0] == user.pk
    assert webhooks and webhooks[0][1]["analysis_id"] == str(a.pk)
    assert webhooks[0][1]["total_calories"] == round(a.totals["energy_kcal"], 1)


def test_reference_value_replaces_an_estimate_off_by_more_than_100_kcal(user, mexican_recipes, fake_ai, webhooks):
    fake_ai.reply_json(TACOS_REPLY)
    a = _done(_start(user))
    tacos, beans = a.items
    # model said 900 kcal for 3 tacos; the Mexican reference is 150 kcal a taco
    assert tacos["source"] == "reference"
    assert tacos["nutrition"]["energy_kcal"] == pytest.approx(450)
    assert tacos["nutrition"]["protein_g"] == pytest.approx(24)
    assert tacos["nutrition"]["carbs_g"] == pytest.approx(54)
    assert tacos["nutrition"]["fat_g"] == pytest.approx(18)
    # low confidence: up to three alternatives from our database
    assert beans["source"] == "database" and beans["confidence"] == 5
    assert 1 <= len(beans["alternatives"]) <= 3
    assert all(alt["food_id"] != beans["food_id"] for alt in beans["alternatives"])


def test_reference_decides_only_when_our_numbers_disagree_with_it(user, mexican_recipes, fake_ai, webhooks):
    from nutrition.models import Food

    fake_ai.reply_json({"foods": [{"name": "Tamal", "portion_grams": 150, "pieces": 1, "confidence": 9,
                                   "estimated_calories": 300}]})
    item = _done(_start(user)).items[0]
    db_kcal = Food.objects.get(pk=item["food_id"]).energy_kcal * 1.5
    if abs(db_kcal - 280) <= 100:  # model (300) and database both close to the 280 kcal reference
        assert item["source"] == "database"
        assert item["nutrition"]["energy_kcal"] == pytest.approx(db_kcal, abs=0.01)
    else:
        assert item["source"] == "reference"
        assert item["nutrition"]["energy_kcal"] == pytest.approx(280)


@pytest.mark.parametrize(
    "script, code",
    [
        (lambda f: f.reply_raw("esto no es json{") or f.reply_raw("tampoco{"), "ANALYSIS_FAILED"),
        (lambda f: f.reply_slow(3, {"json": PLAIN_REPLY}) or f.reply_slow(3, {"json": PLAIN_REPLY}), "ANALYSIS_TIMEOUT"),
        (lambda f: f.reply_error(429, times=3), "ANALYSIS_FAILED"),
        (lambda f: f.reply_json({"foods": []}), "NO_FOODS_DETECTED"),
    ],
    ids=["malformed", "slow", "rate-limited", "no-foods"],
)
def test_provider_failures_end_the_analysis_with_a_clear_code(user, foods, fake_ai, webhooks, pushes, script, code):
    script(fake_ai)
    a = _done(_start(user))
    assert a.status == AnalysisStatus.FAILED
    assert a.error_code == code
    assert a.error_message
    assert pushes[-1][1] == "analysis:failed" and pushes[-1][2]["error"]["code"] == code
    assert not webhooks


def test_rate_limited_is_retried_before_failing(user, foods, fake_ai, webhooks):
    fake_ai.reply_error(429, times=3)
    a = _done(_start(user))
    assert len(fake_ai.requests) == 2  # one try + one retry (AI_MAX_RETRIES=1 in tests)
    assert "saturado" in a.error_message


def test_provider_down_is_ai_unavailable_and_offers_the_food_search(user, foods, ai_down, webhooks):
    a = _done(_start(user))
    assert a.error_code == "AI_UNAVAILABLE"
    assert "búsqueda de alimentos" in a.error_message


def test_without_provider_nothing_starts(user, foods):
    with pytest.raises(svc.AnalysisUnavailable) as exc:
        _start(user)
    assert "no está configurado" in exc.value.message
    assert not FoodAnalysis.objects.exists()


def test_same_image_twice_reuses_the_result(user, foods, fake_ai, webhooks):
    fake_ai.reply_json(PLAIN_REPLY)
    data = jpeg_bytes()
    first = _done(_start(user, data))
    calls = len(fake_ai.requests)
    second = _done(_start(user, data))
    assert second.status == AnalysisStatus.COMPLETED
    assert second.reused_from_id == first.pk
    assert len(fake_ai.requests) == calls  # no second provider call
    assert second.totals == first.totals
    assert second.processing_time_ms < 1000


def test_same_image_by_someone_else_is_not_reused(user, other_user, foods, fake_ai, webhooks):
    fake_ai.handler = lambda body: {"json": PLAIN_REPLY}
    data = jpeg_bytes()
    _start(user, data)
    other = _done(_start(other_user, data))
    assert other.reused_from_id is None
    assert len(fake_ai.requests) == 2


@pytest.mark.parametrize(
    "data, code",
    [(b"hola, soy un archivo de texto", "INVALID_IMAGE_FORMAT"), (gif_bytes(), "INVALID_IMAGE_FORMAT"),
     (b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024), "IMAGE_TOO_LARGE")],
    ids=["text", "gif", "6MB"],
)
def test_invalid_uploads_are_refused_before_storing(user, fake_ai, data, code):
    with pytest.raises(ValidationError) as exc:
        _start(user, data)
    assert exc.value.code == code
    assert not FoodAnalysis.objects.exists()
    assert not fake_ai.requests


def test_truncated_jpeg_fails_in_validation(user, fake_ai, webhooks):
    data = jpeg_bytes(size=(400, 300))
    a = _done(_start(user, data[: len(data) // 2]))
    assert a.status == AnalysisStatus.FAILED and a.error_code == "INVALID_IMAGE_FORMAT"
    assert not fake_ai.requests


def test_png_is_accepted(user, foods, fake_ai, webhooks):
    fake_ai.reply_json(PLAIN_REPLY)
    a = _done(_start(user, png_bytes()))
    assert a.status == AnalysisStatus.COMPLETED


def test_correct_portion_and_swap_to_alternative(user, mexican_recipes, fake_ai, webhooks):
    fake_ai.reply_json(TACOS_REPLY)
    a = _done(_start(user))
    beans = a.items[1]
    per_100 = beans["per_100g"]["energy_kcal"]
    a = svc.analysis_item_update(actor=user, analysis_id=a.pk, index=1, portion_grams="200")
    assert a.items[1]["nutrition"]["energy_kcal"] == pytest.approx(per_100 * 2, abs=0.01)
    alt = a.items[1]["alternatives"][0]
    a = svc.analysis_item_update(actor=user, analysis_id=a.pk, index=1, food_id=alt["food_id"])
    assert a.items[1]["food_id"] == alt["food_id"] and a.items[1]["source"] == "database"
    assert beans["food_id"] in [x["food_id"] for x in a.items[1]["alternatives"]]
    assert a.totals["energy_kcal"] == pytest.approx(
        a.items[0]["nutrition"]["energy_kcal"] + a.items[1]["nutrition"]["energy_kcal"], abs=0.01)
    with pytest.raises(ValidationError):
        svc.analysis_item_update(actor=user, analysis_id=a.pk, index=1, portion_grams="-3")
    with pytest.raises(svc.AnalysisItemNotFound):
        svc.analysis_item_update(actor=user, analysis_id=a.pk, index=9, portion_grams="10")


def test_log_to_diary_once(user, mexican_recipes, fake_ai, webhooks):
    fake_ai.reply_json(TACOS_REPLY)
    a = _done(_start(user))
    entries, created = svc.analysis_log(actor=user, analysis_id=a.pk)
    assert created and len(entries) == 2
    assert DiaryEntry.objects.filter(user=user, meal="comida").count() == 2
    tacos = next(e for e in entries if e.unit == "quick")
    assert tacos.energy_kcal == pytest.approx(450)
    again, created = svc.analysis_log(actor=user, analysis_id=a.pk)
    assert not created and {e.pk for e in again} == {e.pk for e in entries}
    assert DiaryEntry.objects.filter(user=user).count() == 2
    with pytest.raises(ValidationError) as exc:
        svc.analysis_item_update(actor=user, analysis_id=a.pk, index=1, portion_grams="50")
    assert exc.value.code == "ALREADY_LOGGED"


def test_another_users_analysis_is_not_found(user, other_user, foods, fake_ai, webhooks):
    fake_ai.reply_json(PLAIN_REPLY)
    a = _done(_start(user))
    with pytest.raises(AnalysisNotFound):
        analysis_get(user=other_user, analysis_id=a.pk)
    with pytest.raises(AnalysisNotFound):
        svc.analysis_log(actor=other_user, analysis_id=a.pk)
    with pytest.raises(AnalysisNotFound):
        svc.analysis_item_update(actor=other_user, analysis_id=a.pk, index=0, portion_grams=10)


def test_practice_is_metered_through_the_registered_resolver(user, make_user, foods, fake_ai, webhooks, monkeypatch):
    from integrations.models import AIUsage

    nutritionist = make_user(user_type="nutritionist")
    import integrations.ai

    monkeypatch.setattr(integrations.ai, "_PRACTICE_RESOLVERS", [lambda u: nutritionist if u.pk == user.pk else None])
    fake_ai.reply_json(PLAIN_REPLY)
    _start(user)
    usage = AIUsage.objects.get(feature="photo_analysis")
    assert usage.user_id == user.pk and usage.practice_id == nutritionist.pk


def test_completed_analysis_is_delivered_signed_to_the_registered_webhook(user, foods, fake_ai, pushes,
                                                                          webhook_receiver):
    import json

    from integrations import webhooks as hooks

    endpoint = hooks.webhook_endpoint_create(actor=user, url=webhook_receiver.url)
    fake_ai.reply_json(PLAIN_REPLY)
    analysis = _done(_start(user))
    assert analysis.status == AnalysisStatus.COMPLETED
    assert len(webhook_receiver.received) == 1
    request = webhook_receiver.received[0]
    assert hooks.verify(endpoint.secret, request["headers"]["X-NutriMX-Signature"], request["body"])
    body = json.loads(request["body"])
    assert body["event"] == "analysis.completed"
    assert body["data"]["analysis_id"] == str(analysis.pk)
    assert [f["portion_grams"] for f in body["data"]["detected_foods"]] == [180, 60]
    assert body["data"]["total_nutrition"]["calories"] > 0
