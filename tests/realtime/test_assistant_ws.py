"""The answer streams over /ws/: chat:delta events carry the text as it comes, chat:done the
final message with its sources and related questions (transactional: pushes happen on commit)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from tests.realtime.helpers import run_async

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 5


def test_deltas_then_done_reach_the_persons_socket(make_user, fake_ai):
    from assistant.models import KnowledgePassage
    from assistant.retrieval import index_bump, passage_terms
    from assistant.services import chat_ask

    text = "Los frijoles tienen mucha fibra."
    KnowledgePassage.objects.create(kind="blog", source_id=1, title="Frijoles y fibra", url="/blog/frijoles/",
                                    text=text, terms=passage_terms("Frijoles y fibra", text))
    index_bump()
    person = make_user()
    stranger = make_user()
    answer = "Los frijoles de la olla aportan fibra y proteína vegetal; combínalos con tortilla [1]."
    fake_ai.reply_text(answer)
    fake_ai.reply_json({"questions": ["¿Cuánta fibra necesito?", "¿Qué leguminosas hay?", "¿Y las lentejas?"]})

    async def scenario():
        mine = WebsocketCommunicator(application, f"/ws/?token={AccessToken.for_user(person)}")
        other = WebsocketCommunicator(application, f"/ws/?token={AccessToken.for_user(stranger)}")
        for comm in (mine, other):
            connected, _ = await comm.connect(timeout=TIMEOUT)
            assert connected
            assert (await comm.receive_json_from(timeout=TIMEOUT))["event"] == "connection:ready"
        reply = await sync_to_async(chat_ask)(actor=person, message="¿Qué tienen los frijoles?", stream=True)
        deltas, done = [], None
        while done is None:
            frame = await mine.receive_json_from(timeout=TIMEOUT)
            if frame["event"] == "chat:delta":
                assert frame["data"]["message_id"] == reply.pk
                assert frame["data"]["conversation_id"] == reply.conversation_id
                deltas.append(frame["data"]["delta"])
            elif frame["event"] == "chat:done":
                done = frame["data"]
        assert len(deltas) > 3  # it really streamed, piece by piece
        assert "".join(deltas) == answer
        message = done["message"]
        assert message["content"] == answer and message["mode"] == "ai"
        assert message["sources"] == [{"title": "Frijoles y fibra", "url": "/blog/frijoles/", "kind": "blog"}]
        assert message["related_questions"][0] == "¿Cuánta fibra necesito?"
        assert f'id="amsg-{reply.pk}"' in done["html"] and 'href="/blog/frijoles/"' in done["html"]
        assert await other.receive_nothing(timeout=0.3)  # nobody else hears it
        await mine.disconnect()
        await other.disconnect()

    run_async(scenario)
