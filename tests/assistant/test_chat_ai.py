"""Answering with the model (the real SDK against the fake OpenAI-compatible server) and every
way it can fail back to the labelled, retrieval-only answer."""

from __future__ import annotations

import pytest

from assistant.models import ChatMessage, Conversation

pytestmark = pytest.mark.django_db

OFFLINE_LABEL = "Respuesta sin asistente de IA: estos son los pasajes de nuestros contenidos más relacionados con tu pregunta."


def _passage_numbers(request_body) -> dict[int, str]:
    """{n: title} of the numbered passages the model was given."""
    import re

    text = "\n".join(m["content"] for m in request_body["messages"] if m["role"] == "system")
    return {int(n): t.strip() for n, t in re.findall(r"^\[(\d+)\] \([^)]+\) (.+)$", text, flags=re.M)}


def test_streamed_answer_cites_passages_mapped_to_links(kb, user, ask, fake_ai):
    def handler(body):
        if body.get("stream"):
            given = _passage_numbers(body)
            fiber = next(n for n, t in given.items() if t.startswith("Frijoles y fibra"))
            recipe = next(n for n, t in given.items() if t == "Ensalada de nopales")
            return {"text": f"Los frijoles aportan mucha fibra [{fiber}]. Prueba una ensalada de nopales "
                            f"[{recipe}, {fiber}] y evita inventar [9]."}
        return {"json": {"questions": ["¿Cuánta fibra necesito al día?", "¿Qué leguminosas hay?",
                                        "¿Cómo cocino frijoles de la olla?"]}}

    fake_ai.handler = handler
    reply = ask(user, "¿Qué alimentos tienen fibra como los frijoles y los nopales?")
    assert reply.mode == "ai" and reply.status == "complete"
    # renumbered in citation order, one source per address, the invented [9] dropped
    assert reply.content == ("Los frijoles aportan mucha fibra [1]. Prueba una ensalada de nopales [2][1] y "
                             "evita inventar.")
    assert reply.sources == [
        {"title": "Frijoles y fibra: aliados de tu digestión", "url": kb.fiber.url, "kind": "blog"},
        {"title": "Ensalada de nopales", "url": "/nutricion/recetas/ensalada-de-nopales/", "kind": "recipe"},
    ]
    assert reply.related_questions == ["¿Cuánta fibra necesito al día?", "¿Qué leguminosas hay?",
                                       "¿Cómo cocino frijoles de la olla?"]
    stream_request = fake_ai.requests[0]
    assert stream_request["stream"] is True
    assert "Nunca diagnostiques" in stream_request["messages"][0]["content"]
    # the usage is metered under the chat feature
    from integrations.models import AIUsage

    assert set(AIUsage.objects.values_list("feature", flat=True)) == {"chat"}


def test_history_of_the_conversation_goes_to_the_model(kb, user, ask, fake_ai):
    fake_ai.handler = lambda body: {"text": "Respuesta [1]."} if body.get("stream") else {
        "json": {"questions": ["a?", "b?", "c?"]}}
    first = ask(user, "¿Qué alimentos tienen fibra?")
    for i in range(6):
        ask(user, f"Pregunta de seguimiento número {i} sobre frijoles", conversation_id=first.conversation_id)
    fake_ai.requests.clear()
    ask(user, "¿Y los nopales?", conversation_id=first.conversation_id)
    turns = [m for m in fake_ai.requests[0]["messages"] if m["role"] != "system"]
    assert len(turns) == 11  # the last 10 messages plus the new question
    assert turns[-1] == {"role": "user", "content": "¿Y los nopales?"}
    assert turns[-2]["role"] == "assistant" and turns[0]["role"] == "user"
    assert Conversation.objects.get().messages.count() == 16


def test_malformed_related_questions_still_answer(kb, user, ask, fake_ai):
    fake_ai.reply_text("Lee los sellos: menos sellos es mejor [1].")
    fake_ai.reply_raw("esto no es json{")
    fake_ai.reply_raw("tampoco {")
    reply = ask(user, "¿Cómo leo los sellos de advertencia de las etiquetas?")
    assert reply.mode == "ai"
    assert reply.content == "Lee los sellos: menos sellos es mejor [1]."
    assert reply.sources[0]["title"] == "Cómo leer los sellos de advertencia"
    # three suggestions derived from the retrieved titles instead
    assert len(reply.related_questions) == 3
    assert reply.related_questions[0] == "¿Qué más recomienda «Cómo leer los sellos de advertencia»?"


def test_timeout_gives_the_labelled_offline_answer(kb, user, ask, fake_ai):
    fake_ai.reply_slow(3)
    fake_ai.reply_slow(3)
    reply = ask(user, "¿Qué alimentos tienen fibra como los frijoles?")
    assert reply.mode == "offline"
    assert reply.content.startswith(OFFLINE_LABEL)
    assert "[1] «Frijoles y fibra: aliados de tu digestión»: " in reply.content
    assert reply.sources[0] == {"title": "Frijoles y fibra: aliados de tu digestión", "url": kb.fiber.url,
                                "kind": "blog"}
    assert len(reply.related_questions) == 3


def test_rate_limited_provider_gives_the_offline_answer(kb, user, ask, fake_ai):
    fake_ai.reply_error(429, times=4)
    reply = ask(user, "¿Cómo leo los sellos de advertencia?")
    assert reply.mode == "offline" and reply.content.startswith(OFFLINE_LABEL)
    assert reply.sources[0]["title"] == "Cómo leer los sellos de advertencia"


def test_provider_down_gives_the_offline_answer(kb, user, ask, ai_down):
    reply = ask(user, "receta con nopales")
    assert reply.mode == "offline"
    assert reply.sources[0]["url"] == "/nutricion/recetas/ensalada-de-nopales/"
    assert "¿Cómo preparo Ensalada de nopales?" in reply.related_questions


def test_without_a_provider_nothing_found_says_so(kb, user, ask):
    reply = ask(user, "¿Quién ganó el mundial de futbol?")
    assert reply.mode == "offline"
    assert "no encontramos en nuestros contenidos pasajes" in reply.content
    assert reply.sources == [] and len(reply.related_questions) == 3


def test_english_speaker_gets_english_prompt_and_passages(kb, make_user, ask, fake_ai):
    person = make_user(language="en")
    fake_ai.handler = lambda body: {"text": "Try a nopal salad [1]."} if body.get("stream") else {
        "json": {"questions": ["What is fibre?", "How many beans?", "Is nopal healthy?"]}}
    reply = ask(person, "nopal salad with tomato")
    assert reply.content == "Try a nopal salad [1]."
    assert reply.sources[0]["title"] == "Nopal salad"
    assert fake_ai.requests[0]["messages"][0]["content"].startswith("You are the nutrition assistant")


def test_offline_reply_is_labelled_in_english(kb, make_user, ask):
    reply = ask(make_user(language="en"), "nopal salad")
    assert reply.content.startswith("Answer without the AI assistant")


def test_stream_request_answers_through_the_task(kb, user, ask):
    reply = ask(user, "¿Qué alimentos tienen fibra?", stream=True)
    assert reply.status == "complete" and reply.mode == "offline"
    assert ChatMessage.objects.filter(role="assistant", status="pending").count() == 0
