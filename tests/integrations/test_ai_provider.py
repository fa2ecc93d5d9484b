"""The AI adapter against a real OpenAI-compatible server on loopback: text, images, JSON
validation and repair, streaming, 429, 5xx, timeouts, provider down or unset, and metering."""

import time

import pytest
from pydantic import BaseModel, Field

from integrations import ai
from integrations.models import AIUsage

pytestmark = pytest.mark.django_db


class Dish(BaseModel):
    name: str
    grams: float = Field(gt=0)


class Meal(BaseModel):
    foods: list[Dish]


def test_offline_when_unset(settings):
    settings.AI_BASE_URL = ""
    assert ai.ai_enabled() is False
    with pytest.raises(ai.AIUnavailable) as exc:
        ai.chat_text([{"role": "user", "content": "hola"}], feature="chat")
    assert exc.value.code == "AI_UNAVAILABLE"
    assert "configurado" in str(exc.value.message)


def test_text_reply_and_usage_metered(fake_ai, make_user):
    user, nutritionist = make_user(), make_user(user_type="nutritionist")
    fake_ai.reply_text("Come más verduras.")
    answer = ai.chat_text([{"role": "user", "content": "¿Qué ceno?"}], feature="chat", user=user,
                          practice=nutritionist)
    assert answer == "Come más verduras."
    assert fake_ai.requests[-1]["model"] == "fake-text"
    assert fake_ai.headers[-1]["Authorization"] == "Bearer sk-test"
    usage = AIUsage.objects.get()
    assert (usage.user, usage.practice, usage.feature, usage.ok) == (user, nutritionist, "chat", True)
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert float(usage.cost_usd) > 0


def test_json_with_image_goes_to_vision_model(fake_ai):
    fake_ai.reply_json({"foods": [{"name": "tacos al pastor", "grams": 180}]})
    result = ai.chat_json(
        [{"role": "user", "content": [{"type": "text", "text": "¿Qué hay?"},
                                      ai.image_content(b"\x89PNG fake", "image/png")]}],
        Meal, feature="photo_analysis", vision=True,
    )
    assert result.foods[0].name == "tacos al pastor" and result.foods[0].grams == 180
    body = fake_ai.requests[-1]
    assert body["model"] == "fake-vision"
    assert body["response_format"] == {"type": "json_object"}
    image_part = body["messages"][-1]["content"][1]
    assert image_part["image_url"]["url"].startswith("data:image/png;base64,")
    assert "JSON Schema" in body["messages"][0]["content"]


def test_json_in_a_code_fence_is_accepted(fake_ai):
    fake_ai.reply_raw('```json\n{"foods": [{"name": "pozole", "grams": 350}]}\n```')
    assert ai.chat_json([{"role": "user", "content": "x"}], Meal, feature="t").foods[0].name == "pozole"


def test_malformed_reply_gets_one_repair_turn(fake_ai):
    fake_ai.reply_raw("claro, aquí tienes: {foods: [")
    fake_ai.reply_json({"foods": [{"name": "sopes", "grams": 120}]})
    result = ai.chat_json([{"role": "user", "content": "x"}], Meal, feature="t")
    assert result.foods[0].name == "sopes"
    repair = fake_ai.requests[-1]["messages"]
    assert repair[-2]["role"] == "assistant" and "no es válida" in repair[-1]["content"]
    assert AIUsage.objects.filter(ok=True).count() == 1


def test_malformed_twice_is_bad_reply(fake_ai):
    fake_ai.reply_raw("no json")
    fake_ai.reply_json({"foods": [{"name": "x", "grams": -5}]})  # fails the schema (grams > 0)
    with pytest.raises(ai.AIBadReply) as exc:
        ai.chat_json([{"role": "user", "content": "x"}], Meal, feature="t")
    assert exc.value.code == "AI_BAD_REPLY"
    assert AIUsage.objects.get().error_code == "AI_BAD_REPLY"


def test_429_is_retried_then_succeeds(fake_ai):
    fake_ai.reply_error(429)
    fake_ai.reply_text("listo")
    assert ai.chat_text([{"role": "user", "content": "x"}], feature="t") == "listo"
    assert len(fake_ai.requests) == 2


def test_429_after_retries_is_rate_limited(fake_ai):
    fake_ai.reply_error(429, times=2)
    with pytest.raises(ai.AIRateLimited):
        ai.chat_text([{"role": "user", "content": "x"}], feature="t")
    assert AIUsage.objects.get().error_code == "AI_RATE_LIMITED"


def test_server_errors_are_unavailable(fake_ai):
    fake_ai.reply_error(503, times=2)
    with pytest.raises(ai.AIUnavailable):
        ai.chat_text([{"role": "user", "content": "x"}], feature="t")


def test_bad_key_says_so(fake_ai):
    fake_ai.reply_error(401)
    with pytest.raises(ai.AIUnavailable) as exc:
        ai.chat_text([{"role": "user", "content": "x"}], feature="t")
    assert "clave" in str(exc.value.message)


def test_timeout(fake_ai, settings):
    settings.AI_MAX_RETRIES = 0
    fake_ai.reply_slow(2.5)
    started = time.monotonic()
    with pytest.raises(ai.AITimeout):
        ai.chat_text([{"role": "user", "content": "x"}], feature="t", timeout=0.5)
    assert time.monotonic() - started < 2


def test_provider_down(ai_down):
    with pytest.raises(ai.AIUnavailable):
        ai.chat_text([{"role": "user", "content": "x"}], feature="t")
    assert AIUsage.objects.get().error_code == "AI_UNAVAILABLE"


def test_stream_yields_deltas_and_meters(fake_ai, make_user):
    user = make_user()
    text = "Las tortillas de maíz aportan fibra y calcio por la nixtamalización."
    fake_ai.reply_text(text)
    deltas = list(ai.chat_stream([{"role": "user", "content": "x"}], feature="chat", user=user))
    assert len(deltas) > 1 and "".join(deltas) == text
    usage = AIUsage.objects.get()
    assert usage.ok and usage.completion_tokens > 0 and usage.user == user


def test_stream_cut_in_the_middle_raises(fake_ai, settings):
    settings.AI_MAX_RETRIES = 0
    fake_ai.queue.append({"text": "x" * 200, "chunk_delay": 0.8, "break_after": 2})
    received = []
    with pytest.raises(ai.AIError):
        for delta in ai.chat_stream([{"role": "user", "content": "x"}], feature="chat", timeout=0.5):
            received.append(delta)
    assert AIUsage.objects.filter(ok=False).count() == 1
