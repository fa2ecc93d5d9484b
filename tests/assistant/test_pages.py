"""The /asistente/ pages: full page, htmx partials, no-JS fallback, errors, deletion, 404s."""

from __future__ import annotations

import re

import pytest

from assistant.models import Conversation

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def test_home_shows_starters_the_note_and_the_composer(browser):
    html = browser.get("/asistente/").content.decode()
    assert "No sustituye la consulta con un profesional de la salud" in html
    assert "¿Cómo leo los sellos de advertencia de las etiquetas?" in html  # a starter chip
    assert 'name="message"' in html and 'maxlength="2000"' in html
    assert "Aún no tienes conversaciones." in html


def test_htmx_ask_returns_the_exchange_and_updates_the_list(kb, browser, django_capture_on_commit_callbacks):
    # Inside the test's transaction the answer task runs when the block exits, after the
    # response, as with a Celery worker: the partial has the question and a typing bubble.
    with django_capture_on_commit_callbacks(execute=True):
        resp = browser.post("/asistente/preguntar/", {"message": "¿Qué alimentos tienen fibra?"}, **HX)
    assert resp.status_code == 200
    conversation = Conversation.objects.get()
    reply = conversation.messages.get(role="assistant")
    assert resp["HX-Push-Url"] == f"/asistente/{conversation.pk}/"
    html = resp.content.decode()
    assert "<html" not in html  # a partial
    assert "¿Qué alimentos tienen fibra?" in html
    assert f'id="amsg-{reply.pk}"' in html and "El asistente está escribiendo…" in html
    assert 'id="asst-cid"' in html and f'value="{conversation.pk}"' in html  # the form joins the conversation
    assert 'id="asst-convs-side" hx-swap-oob="true"' in html
    # the finished answer (what chat:done carries and the page shows)
    page = browser.get(f"/asistente/{conversation.pk}/").content.decode()
    assert "Respuesta sin asistente de IA" in page and "Sin IA" in page
    assert f'href="{kb.fiber.url}"' in page  # the source as a link
    assert 'class="cite"' in page
    assert page.count('class="chip"') == 3  # related questions as chips
    assert "El asistente está escribiendo…" not in page.split('id="asst-list"')[1].split("</ol>")[0]


def test_without_javascript_asking_redirects_to_the_conversation(kb, browser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resp = browser.post("/asistente/preguntar/", {"message": "receta con nopales"})
    conversation = Conversation.objects.get()
    reply = conversation.messages.get(role="assistant")
    assert resp.status_code == 302 and resp["Location"] == f"/asistente/{conversation.pk}/#amsg-{reply.pk}"
    page = browser.get(f"/asistente/{conversation.pk}/").content.decode()
    assert "Ensalada de nopales" in page and "/nutricion/recetas/ensalada-de-nopales/" in page
    assert 'aria-current="page"' in page  # highlighted in the list


def test_empty_or_long_question_shows_the_error_and_keeps_the_text(browser):
    resp = browser.post("/asistente/preguntar/", {"message": "x" * 2001}, **HX)
    assert resp.status_code == 422 and resp["HX-Retarget"] == "#asst-composer"
    html = resp.content.decode()
    assert "Tu pregunta tiene 2001 caracteres; el máximo es 2000." in html
    assert "x" * 2001 in html
    full = browser.post("/asistente/preguntar/", {"message": ""})
    assert full.status_code == 422 and "Escribe tu pregunta." in full.content.decode()
    assert not Conversation.objects.exists()


def test_safety_reply_on_the_page(browser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/asistente/preguntar/", {"message": "¿Tengo diabetes?"}, **HX)
    html = browser.get(f"/asistente/{Conversation.objects.get().pk}/").content.decode()
    assert "No puedo diagnosticar" in html and "Respuesta de cuidado" in html
    assert 'href="/consulta/nutriologos/"' in html


def test_someone_elses_conversation_is_404(browser, other_user, ask):
    theirs = ask(other_user, "¿Qué ceno?").conversation
    assert browser.get(f"/asistente/{theirs.pk}/").status_code == 404
    assert browser.post(f"/asistente/{theirs.pk}/eliminar/").status_code == 404
    assert browser.post("/asistente/preguntar/", {"message": "hola", "conversation_id": theirs.pk}).status_code == 404
    assert theirs.messages.count() == 2


def test_delete_one_and_all(browser, user, ask):
    first = ask(user, "¿Qué desayuno?").conversation
    ask(user, "¿Qué ceno?")
    resp = browser.post(f"/asistente/{first.pk}/eliminar/", **HX)
    assert resp.status_code == 204 and resp["HX-Location"] == "/asistente/"
    assert Conversation.objects.count() == 1
    resp = browser.post("/asistente/eliminar-todas/")
    assert resp.status_code == 302 and not Conversation.objects.exists()
    assert "Se eliminaron todas tus conversaciones" in browser.get("/asistente/").content.decode()


def test_login_required(client):
    resp = client.get("/asistente/")
    assert resp.status_code == 302 and "/login" in resp["Location"] and "asistente" in resp["Location"]


def test_pending_answer_shows_typing_and_a_refresh_link(browser, user):
    from assistant.services import _store_question

    question, reply = _store_question(actor=user, text="¿Qué ceno?", conversation_id=None)
    html = browser.get(f"/asistente/{question.conversation_id}/").content.decode()
    assert "El asistente está escribiendo…" in html
    assert re.search(r"<noscript>.*Actualizar para ver la respuesta", html, flags=re.S)


def test_page_shares_the_api_rate_limit(browser):
    for _ in range(20):
        browser.post("/asistente/preguntar/", {"message": ""}, **HX)
    resp = browser.post("/asistente/preguntar/", {"message": "¿Qué ceno?"}, **HX)
    assert resp.status_code == 422
    assert "Hiciste muchas preguntas seguidas" in resp.content.decode()
    assert "¿Qué ceno?" in resp.content.decode() and not Conversation.objects.exists()
