"""POST /api/v1/ai/chat and the conversation history API (JWT, error envelope, rate limit)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from assistant.models import ChatMessage, Conversation

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def test_chat_answers_with_sources_and_related_questions(kb, user, fake_ai, django_capture_on_commit_callbacks):
    fake_ai.reply_text("Menos sellos es mejor [1].")
    fake_ai.reply_json({"questions": ["¿Qué es el exceso de sodio?", "¿Qué leyendas hay?", "¿Y los edulcorantes?"]})
    with django_capture_on_commit_callbacks(execute=True):
        resp = api(user).post("/api/v1/ai/chat", {"message": "¿Cómo leo los sellos de advertencia?"}, format="json")
    assert resp.status_code == 200
    body = resp.json()
    assert body["response"] == "Menos sellos es mejor [1]."
    assert body["sources"] == [{"title": "Cómo leer los sellos de advertencia", "url": kb.labels.url, "kind": "blog"}]
    assert body["related_questions"] == ["¿Qué es el exceso de sodio?", "¿Qué leyendas hay?", "¿Y los edulcorantes?"]
    assert body["mode"] == "ai" and body["status"] == "complete"
    assert resp["X-RateLimit-Limit"] == "20"
    conversation = Conversation.objects.get(pk=body["conversation_id"])
    assert conversation.title == "¿Cómo leo los sellos de advertencia?"

    # continue the same conversation
    fake_ai.reply_text("Sí [1].")
    fake_ai.reply_json({"questions": ["a?", "b?", "c?"]})
    with django_capture_on_commit_callbacks(execute=True):
        again = api(user).post("/api/v1/ai/chat", {"message": "¿Y el sodio?", "conversation_id": conversation.pk},
                               format="json")
    assert again.json()["conversation_id"] == conversation.pk
    assert conversation.messages.count() == 4


def test_chat_stream_returns_the_message_to_follow(kb, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resp = api(user).post("/api/v1/ai/chat", {"message": "receta con nopales", "stream": True}, format="json")
    # the embedded default runs the task inline, so it is already complete
    assert resp.status_code in (200, 202)
    body = resp.json()
    assert ChatMessage.objects.get(pk=body["message_id"]).status == "complete"


@pytest.mark.parametrize(("payload", "fragment"), [
    ({}, "Escribe tu pregunta."),
    ({"message": "   "}, "Escribe tu pregunta."),
    ({"message": "a" * 2001}, "Tu pregunta tiene 2001 caracteres; el máximo es 2000."),
    ({"message": ["lista"]}, "Escribe tu pregunta como texto."),
])
def test_chat_rejects_bad_messages_and_saves_nothing(user, payload, fragment):
    resp = api(user).post("/api/v1/ai/chat", payload, format="json")
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert fragment in error["details"]["message"]
    assert not Conversation.objects.exists()


def test_message_of_exactly_2000_characters_is_accepted(user):
    message = "frijol " * 285 + "fibra"
    assert len(message) == 2000
    resp = api(user).post("/api/v1/ai/chat", {"message": message}, format="json")
    assert resp.status_code == 200
    from assistant.models import ChatMessage

    stored = ChatMessage.objects.get(pk__lt=resp.json()["message_id"], role="user")
    assert stored.content == message and resp.json()["response"]


def test_someone_elses_conversation_is_not_found(user, other_user, ask):
    theirs = ask(other_user, "¿Qué ceno?").conversation
    client = api(user)
    for resp in (
        client.post("/api/v1/ai/chat", {"message": "hola", "conversation_id": theirs.pk}, format="json"),
        client.get(f"/api/v1/ai/conversations/{theirs.pk}"),
        client.delete(f"/api/v1/ai/conversations/{theirs.pk}"),
        client.get("/api/v1/ai/conversations/abc"),
    ):
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "CONVERSATION_NOT_FOUND"
        assert resp.json()["error"]["message"] == "Conversación no encontrada."
    assert theirs.messages.count() == 2  # nothing was added or deleted


def test_list_detail_and_delete(user, other_user, ask, django_assert_num_queries):
    first = ask(user, "¿Qué desayuno?").conversation
    second = ask(user, "¿Qué ceno hoy?").conversation
    ask(other_user, "No es mío")
    client = api(user)
    client.get("/api/v1/ai/conversations")  # warm the JWT user lookup path
    with django_assert_num_queries(3):  # user, count, page
        listing = client.get("/api/v1/ai/conversations").json()
    assert [c["id"] for c in listing["results"]] == [second.pk, first.pk]
    assert listing["total_results"] == 2 and listing["results"][0]["message_count"] == 2
    assert listing["results"][0]["title"] == "¿Qué ceno hoy?"

    detail = client.get(f"/api/v1/ai/conversations/{first.pk}").json()
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant"]
    assert detail["messages"][0]["content"] == "¿Qué desayuno?"
    assert detail["messages"][1]["mode"] == "offline"

    assert client.delete(f"/api/v1/ai/conversations/{first.pk}").status_code == 204
    assert not Conversation.objects.filter(pk=first.pk).exists()
    assert client.delete("/api/v1/ai/conversations").json() == {"deleted": 1}
    assert Conversation.objects.count() == 1  # the other person's stays


def test_rate_limit_20_per_minute(user, settings):
    client = api(user)
    codes = [client.post("/api/v1/ai/chat", {"message": ""}, format="json").status_code for _ in range(21)]
    assert codes[:20] == [400] * 20 and codes[20] == 429


def test_requires_authentication():
    assert APIClient().post("/api/v1/ai/chat", {"message": "hola"}, format="json").status_code == 401
