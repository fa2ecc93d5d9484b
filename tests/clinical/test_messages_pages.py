"""Conversation pages: list, conversation (full page, htmx older page, composer with and
without htmx), the nutritionist's shortcut from a patient, the image view, 404s."""

from __future__ import annotations

import pytest

from clinical.models import CareRelationship, CareStatus, Message
from clinical.services import messages as services

pytestmark = pytest.mark.django_db


def conv_url(pk):
    return f"/consulta/mensajes/{pk}/"


def test_list_shows_other_party_preview_and_unread(client, conversation, patient, nutritionist, make_user, make_care,
                                                   django_assert_num_queries):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="¿Puedo cenar <script>x</script>?")
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Gracias")
    client.force_login(nutritionist)
    html = client.get("/consulta/mensajes/").content.decode()
    assert "Paola Paciente" in html and "Gracias" in html
    assert 'aria-label="2 mensajes sin leer"' in html
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/consulta/mensajes/")
    with CaptureQueriesContext(connection) as one_conversation:
        client.get("/consulta/mensajes/")
    baseline = len(one_conversation.captured_queries)
    mine = [q for q in one_conversation.captured_queries if "clinical_" in q["sql"]]
    assert len(mine) == 2  # the list itself: conversations (+ unread, last id) and last messages
    for i in range(3):
        p = make_user(first_name=f"Extra{i}")
        make_care(nutritionist, p)
        c = services.conversation_open(actor=nutritionist, patient_id=p.pk)
        services.message_send(actor=p, conversation_id=c.pk, body=f"hola {i}")
    client.get("/consulta/mensajes/")
    with django_assert_num_queries(baseline):  # same with 4 conversations
        html = client.get("/consulta/mensajes/").content.decode()
    assert html.count('class="convlist__item') == 4
    # the patient sees the nutritionist, with "Tú:" before their own last message
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Última")
    client.force_login(patient)
    html = client.get("/consulta/mensajes/").content.decode()
    assert nutritionist.full_name in html and "Tú: Última" in html


def test_empty_list(client, make_user):
    client.force_login(make_user())
    assert "Aún no tienes conversaciones" in client.get("/consulta/mensajes/").content.decode()


def test_conversation_page_history_and_read_status(client, conversation, patient, nutritionist):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Hola <script>alert(1)</script>")
    services.message_send(actor=nutritionist, conversation_id=conversation.pk, body="Hola Paola")
    client.force_login(nutritionist)
    html = client.get(conv_url(conversation.pk)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert html.index("Hola &lt;script") < html.index("Hola Paola")  # oldest first
    assert "Paola Paciente" in html and 'name="body"' in html and "Enviar" in html
    assert "clinical-messages.js" in html
    assert '<p class="chat__status muted text-sm" id="chat-status"' in html and ">Enviado</p>" in html
    # the patient opens the page: the nutritionist then sees "Leído"
    client.force_login(patient)
    client.get(conv_url(conversation.pk))
    client.force_login(nutritionist)
    assert ">Leído</p>" in client.get(conv_url(conversation.pk)).content.decode()


def test_older_messages_with_htmx_and_without(client, conversation, patient):
    msgs = [services.message_send(actor=patient, conversation_id=conversation.pk, body=f"mensaje número {i}")
            for i in range(35)]
    client.force_login(patient)
    html = client.get(conv_url(conversation.pk)).content.decode()
    assert "Mensajes anteriores" in html
    assert "mensaje número 34" in html and "mensaje número 5<" in html and "mensaje número 4<" not in html
    oldest_shown = msgs[5].pk
    assert f'hx-get="?before={oldest_shown}"' in html
    part = client.get(conv_url(conversation.pk), {"before": oldest_shown}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and "mensaje número 0<" in part and "mensaje número 4<" in part
    assert "mensaje número 5<" not in part and "Mensajes anteriores" not in part
    full = client.get(conv_url(conversation.pk), {"before": oldest_shown}).content.decode()
    assert "<html" in full and "mensaje número 0<" in full and "Ver mensajes recientes" in full


def test_send_without_js_redirects(client, conversation, patient):
    client.force_login(patient)
    r = client.post(conv_url(conversation.pk), {"body": "Desde el formulario", "client_id": "f1"})
    assert r.status_code == 302 and r["Location"].startswith(conv_url(conversation.pk))
    assert "Desde el formulario" in client.get(r["Location"]).content.decode()
    # resubmitting the same form (same client_id) does not duplicate
    client.post(conv_url(conversation.pk), {"body": "Desde el formulario", "client_id": "f1"})
    assert Message.objects.count() == 1


def test_send_with_htmx_returns_the_message_partial(client, conversation, patient):
    client.force_login(patient)
    r = client.post(conv_url(conversation.pk), {"body": "Rápido", "client_id": "h1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 201
    html = r.content.decode()
    assert html.strip().startswith('<li class="msg msg--mine"') and "Rápido" in html


def test_send_errors_are_shown(client, conversation, patient):
    client.force_login(patient)
    r = client.post(conv_url(conversation.pk), {"body": "   "})
    assert r.status_code == 422 and "Escribe un mensaje o adjunta una imagen." in r.content.decode()
    r = client.post(conv_url(conversation.pk), {"body": "x" * 4001}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 422 and "4000" in html and "<html" not in html and 'id="composer"' in html


def test_read_only_after_care_ended(client, conversation, care, patient):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Adiós")
    care.status = CareStatus.GRADUATED
    care.save()
    client.force_login(patient)
    html = client.get(conv_url(conversation.pk)).content.decode()
    assert "Adiós" in html and "solo para lectura" in html and 'name="body"' not in html
    r = client.post(conv_url(conversation.pk), {"body": "¿Hola?"})
    assert r.status_code == 422 and "solo para lectura" in r.content.decode()
    assert "Solo lectura" in client.get("/consulta/mensajes/").content.decode()


def test_conversation_with_patient_redirects(client, care, nutritionist, patient, make_nutritionist):
    client.force_login(nutritionist)
    r = client.get(f"/consulta/pacientes/{patient.pk}/mensajes/")
    assert r.status_code == 302
    conv_id = int(r["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert client.get(f"/consulta/pacientes/{patient.pk}/mensajes/")["Location"] == conv_url(conv_id)
    client.force_login(make_nutritionist())
    assert client.get(f"/consulta/pacientes/{patient.pk}/mensajes/").status_code == 404
    client.force_login(patient)
    assert client.get(f"/consulta/pacientes/{patient.pk}/mensajes/").status_code == 404


def test_outsiders_get_404_on_every_page(client, conversation, patient, make_nutritionist, make_user):
    msg = services.message_send(actor=patient, conversation_id=conversation.pk, body="privado")
    ended = make_nutritionist()
    CareRelationship.objects.create(nutritionist=ended, patient=patient, status=CareStatus.GRADUATED)
    for outsider in (make_nutritionist(), ended, make_user()):
        client.force_login(outsider)
        assert client.get(conv_url(conversation.pk)).status_code == 404
        assert client.get(conv_url(conversation.pk), {"before": msg.pk}, HTTP_HX_REQUEST="true").status_code == 404
        assert client.post(conv_url(conversation.pk), {"body": "intruso"}).status_code == 404
        assert client.get(f"/consulta/mensajes/{conversation.pk}/imagen/{msg.pk}/").status_code == 404
        assert "privado" not in client.get("/consulta/mensajes/").content.decode()
    assert Message.objects.count() == 1
    client.force_login(patient)
    # a member asking for a message without image, or another conversation's id
    assert client.get(f"/consulta/mensajes/{conversation.pk}/imagen/{msg.pk}/").status_code == 404
    assert client.get(f"/consulta/mensajes/{conversation.pk}/imagen/999999/").status_code == 404


def test_anonymous_is_sent_to_login(client, conversation):
    r = client.get(conv_url(conversation.pk))
    assert r.status_code == 302 and ("login" in r["Location"] or "entrar" in r["Location"])
