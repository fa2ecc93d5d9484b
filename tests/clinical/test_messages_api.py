"""Conversation API: list, history by cursor, send (JSON and multipart), replay, read receipts, 404s."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework_simplejwt.tokens import AccessToken

from clinical.models import CareStatus, Message
from clinical.services import messages as services

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def post_json(client, url, user, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json", **auth(user))


def msgs_url(conversation_id):
    return f"/api/v1/conversations/{conversation_id}/messages"


def test_send_json_then_replay(client, conversation, patient):
    r = post_json(client, msgs_url(conversation.pk), patient, {"body": "Hola <b>doc</b>", "client_id": "c-1"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["body"] == "Hola <b>doc</b>" and body["sender_id"] == patient.pk
    assert body["sender_name"] == "Paola Paciente" and body["client_id"] == "c-1" and body["image_url"] == ""
    assert r["X-RateLimit-Limit"] == "60"
    again = post_json(client, msgs_url(conversation.pk), patient, {"body": "Hola <b>doc</b>", "client_id": "c-1"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Message.objects.count() == 1


def test_send_multipart_image_and_download_by_members_only(client, conversation, nutritionist, patient, make_nutritionist):
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 100, 200)).save(buf, format="PNG")
    upload = SimpleUploadedFile("plato.png", buf.getvalue(), content_type="image/png")
    r = client.post(msgs_url(conversation.pk), {"body": "Mi comida", "image": upload}, **auth(patient))
    assert r.status_code == 201, r.content
    url = r.json()["image_url"]
    assert url.startswith(f"/consulta/mensajes/{conversation.pk}/imagen/")
    client.force_login(nutritionist)
    got = client.get(url)
    assert got.status_code == 200 and got["Cache-Control"].startswith("private")
    assert Image.open(io.BytesIO(b"".join(got.streaming_content))).size == (20, 20)
    client.force_login(make_nutritionist())
    assert client.get(url).status_code == 404


def test_validation_errors_are_specific(client, conversation, patient):
    r = post_json(client, msgs_url(conversation.pk), patient, {"body": ""})
    assert r.status_code == 400
    assert r.json()["error"]["details"]["body"] == ["Escribe un mensaje o adjunta una imagen."]
    r = post_json(client, msgs_url(conversation.pk), patient, {"body": "x" * 4001})
    assert "4000" in r.json()["error"]["details"]["body"][0]
    r = post_json(client, msgs_url(conversation.pk), patient, {"body": 12})
    assert r.json()["error"]["details"]["body"] == ["El mensaje debe ser texto."]
    r = client.post(msgs_url(conversation.pk), data="[1,2", content_type="application/json", **auth(patient))
    assert r.status_code == 400 and r.json()["error"]["code"] == "MALFORMED_REQUEST"
    r = post_json(client, msgs_url(conversation.pk), patient, {"image": "no-es-archivo"})
    assert r.status_code == 400


def test_english_user_gets_english_or_fallback_message(client, conversation, patient):
    patient.language = "en"
    patient.save()
    r = post_json(client, msgs_url(conversation.pk), patient, {"body": ""})
    assert r.status_code == 400 and r.json()["error"]["details"]["body"]


def test_history_cursor_pagination(client, conversation, patient, nutritionist):
    ids = [services.message_send(actor=patient, conversation_id=conversation.pk, body=f"m{i}").pk for i in range(5)]
    r = client.get(msgs_url(conversation.pk), {"limit": 2}, **auth(nutritionist))
    body = r.json()
    assert [m["body"] for m in body["results"]] == ["m4", "m3"] and body["has_more"] and body["can_send"]
    r = client.get(msgs_url(conversation.pk), {"limit": 2, "before": body["next_before"]}, **auth(nutritionist))
    assert [m["id"] for m in r.json()["results"]] == [ids[2], ids[1]]
    r = client.get(msgs_url(conversation.pk), {"limit": 2, "before": ids[1]}, **auth(nutritionist))
    assert [m["body"] for m in r.json()["results"]] == ["m0"] and r.json()["has_more"] is False
    assert r.json()["next_before"] is None
    for bad in ({"limit": 0}, {"limit": 101}, {"limit": "x"}, {"before": "abc"}):
        r = client.get(msgs_url(conversation.pk), bad, **auth(nutritionist))
        assert r.status_code == 400 and r.json()["error"]["code"] == "VALIDATION_ERROR"


def test_list_with_unread_counts_and_read_receipt(client, conversation, patient, nutritionist, make_user, make_care,
                                                  django_assert_num_queries):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Hola doctora, tengo una duda")
    services.message_send(actor=patient, conversation_id=conversation.pk, body="¿Puedo cambiar la cena?")
    other = make_user(first_name="Otro")
    make_care(nutritionist, other)
    services.conversation_open(actor=nutritionist, patient_id=other.pk)
    headers = auth(nutritionist)
    client.get("/api/v1/conversations", **headers)  # warm up
    # user (JWT) + rate-limit-free reads: conversation list (2 queries)
    with django_assert_num_queries(3):
        r = client.get("/api/v1/conversations", **headers)
    body = r.json()
    assert body["total_results"] == 2 and body["unread_total"] == 2
    first = body["results"][0]
    assert first["other"]["name"] == "Paola Paciente" and first["unread_count"] == 2
    assert first["last_message"]["preview"] == "¿Puedo cambiar la cena?" and first["can_send"] is True
    assert body["results"][1]["last_message"] is None

    r = post_json(client, f"/api/v1/conversations/{conversation.pk}/read", nutritionist)
    assert r.status_code == 200 and r.json()["conversation_id"] == conversation.pk
    assert client.get("/api/v1/conversations", **headers).json()["unread_total"] == 0
    # the patient now sees the nutritionist's read mark
    r = client.get(msgs_url(conversation.pk), **auth(patient))
    assert r.json()["other_read_at"] is not None


def test_patient_conversation_endpoint(client, care, nutritionist, patient, make_nutritionist):
    url = f"/api/v1/patients/{patient.pk}/conversation"
    r = post_json(client, url, nutritionist)
    assert r.status_code == 200 and r.json()["can_send"] is True
    assert post_json(client, url, nutritionist).json()["id"] == r.json()["id"]
    r = post_json(client, url, make_nutritionist())
    assert r.status_code == 404 and r.json()["error"]["code"] == "CONVERSATION_NOT_FOUND"
    assert post_json(client, "/api/v1/patients/abc/conversation", nutritionist).status_code == 404
    assert post_json(client, f"/api/v1/patients/{nutritionist.pk}/conversation", nutritionist).status_code == 404


def test_outsiders_and_ended_care(client, conversation, care, patient, nutritionist, make_nutritionist, make_user):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Historia clínica privada")
    ended_nutritionist = make_nutritionist()
    other_patient = make_user()
    from clinical.models import CareRelationship

    CareRelationship.objects.create(nutritionist=ended_nutritionist, patient=patient, status=CareStatus.DROPPED)
    for outsider in (make_nutritionist(), ended_nutritionist, other_patient):
        for method, url in (
            ("get", msgs_url(conversation.pk)),
            ("post", msgs_url(conversation.pk)),
            ("post", f"/api/v1/conversations/{conversation.pk}/read"),
        ):
            if method == "get":
                r = client.get(url, **auth(outsider))
            else:
                r = post_json(client, url, outsider, {"body": "hola"})
            assert r.status_code == 404, (outsider, url)
            assert r.json()["error"]["code"] == "CONVERSATION_NOT_FOUND"
            assert "Historia" not in r.content.decode()
        assert client.get("/api/v1/conversations", **auth(outsider)).json()["total_results"] == 0
    assert client.get(msgs_url("999999"), **auth(patient)).status_code == 404
    assert client.get(msgs_url("abc"), **auth(patient)).status_code == 404

    care.status = CareStatus.DROPPED
    care.save()
    r = post_json(client, msgs_url(conversation.pk), nutritionist, {"body": "¿Regresas?"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "CONVERSATION_READ_ONLY"
    r = client.get(msgs_url(conversation.pk), **auth(nutritionist))
    assert r.status_code == 200 and r.json()["can_send"] is False
    assert r.json()["results"][0]["body"] == "Historia clínica privada"


def test_anonymous_is_refused(client, conversation):
    assert client.get("/api/v1/conversations").status_code == 401
    assert client.post(msgs_url(conversation.pk), {"body": "x"}).status_code == 401
