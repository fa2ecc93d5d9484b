"""The social network over /ws/: a follower sees ``feed:new_post`` arrive; viewers of a post
(``post:join``) get ``post:new_comment`` and ``post:new_reaction``; the author gets the
notification; someone who may not see a post cannot join its room. Same conventions as
test_clinical_messages_ws.py (transaction=True: pushes happen on commit)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

import social.consumers  # noqa: F401  (registers the handlers)
from tests.realtime.helpers import run_async
from tests.realtime.test_clinical_messages_ws import next_event, open_ready, ws

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see conftest.py


def test_follower_gets_new_post_and_post_viewers_get_comments_and_reactions_live(make_user, settings):
    from social.services import interactions, people, posts

    settings.API_RATE_LIMITS_ENABLED = False
    ana = make_user(first_name="Ana", last_name="Autora")
    beto = make_user(first_name="Beto", last_name="Lector")
    carla = make_user(first_name="Carla", last_name="Comenta")
    people.follow(actor=beto, user_id=ana.pk)

    async def scenario():
        a, b = ws(ana), ws(beto)
        await open_ready(a)
        await open_ready(b)
        post = await database_sync_to_async(posts.post_create)(actor=ana, body="¡Mi primer 10K! #progreso")
        arrived = await next_event(b, "feed:new_post")
        assert arrived["id"] == post.pk and arrived["author"]["username"] == ana.username

        await b.send_json_to({"event": "post:join", "data": {"post_id": post.pk}})
        assert (await next_event(b, "post:joined"))["post_id"] == post.pk
        await database_sync_to_async(interactions.comment_create)(actor=carla, post_id=post.pk, content="¡Bravo!")
        live = await next_event(b, "post:new_comment")
        assert live["comment"]["content"] == "¡Bravo!" and live["comment"]["author"]["username"] == carla.username
        note = await next_event(a, "notification:new")
        assert "comentó tu publicación" in note["title"] and note["action_url"].startswith(f"/comunidad/p/{post.pk}/")

        await database_sync_to_async(interactions.reaction_set)(actor=carla, post_id=post.pk, reaction_type="strong")
        reaction = await next_event(b, "post:new_reaction")
        assert reaction["reaction_type"] == "strong" and reaction["reactions"]["strong"] == 1
        await a.disconnect()
        await b.disconnect()

    run_async(scenario)


def test_no_room_for_a_post_you_may_not_see(make_user):
    from social.services import posts

    ana = make_user()
    stranger = make_user()
    hidden = posts.post_create(actor=ana, body="solo seguidores", visibility="followers")

    async def scenario():
        s = ws(stranger)
        await open_ready(s)
        await s.send_json_to({"event": "post:join", "data": {"post_id": hidden.pk}})
        error = await next_event(s, "error")
        assert error["code"] == "NOT_FOUND" and error["event"] == "post:join"
        await s.send_json_to({"event": "post:join", "data": {"post_id": "1; DROP TABLE"}})
        assert (await next_event(s, "error"))["code"] == "NOT_FOUND"
        await s.disconnect()

    run_async(scenario)
