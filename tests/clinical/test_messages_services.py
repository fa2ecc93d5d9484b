"""Services and selectors of the nutritionist–patient conversation."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinical.models import CareStatus, Conversation, Message
from clinical.selectors import messages as selectors
from clinical.selectors.messages import ConversationNotFound
from clinical.services import messages as services

pytestmark = pytest.mark.django_db


def jpeg_upload(name="foto.jpg", exif=False):
    buf = io.BytesIO()
    img = Image.new("RGB", (40, 30), (200, 80, 20))
    if exif:
        exif_data = Image.Exif()
        exif_data[0x010F] = "CamaraSecreta"  # Make
        img.save(buf, format="JPEG", exif=exif_data)
    else:
        img.save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def test_nutritionist_opens_conversation_once_per_pair(conversation, nutritionist, patient):
    again = services.conversation_open(actor=nutritionist, patient_id=patient.pk)
    assert again.pk == conversation.pk
    assert Conversation.objects.count() == 1
    assert conversation.care_open is True
    assert conversation.other == patient


def test_send_stores_encrypted_text_and_updates_last_message(conversation, patient):
    msg = services.message_send(actor=patient, conversation_id=conversation.pk, body="  Hola, ¿cómo voy?  ")
    assert msg.body == "Hola, ¿cómo voy?"
    assert msg.replayed is False
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT body FROM {Message._meta.db_table} WHERE id = %s", [msg.pk])  # noqa: S608
        raw = cur.fetchone()[0]
    assert raw.startswith("enc:") and "Hola" not in raw
    conversation.refresh_from_db()
    assert conversation.last_message_at == msg.created_at


def test_replayed_client_id_returns_the_same_message(conversation, patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first:
        one = services.message_send(actor=patient, conversation_id=conversation.pk, body="Hola", client_id="abc-1")
    with django_capture_on_commit_callbacks() as second:
        two = services.message_send(actor=patient, conversation_id=conversation.pk, body="Hola", client_id="abc-1")
    assert one.pk == two.pk and two.replayed is True
    assert Message.objects.count() == 1
    assert len(first) >= 1 and len(second) == 0  # no second push (nor notification)


@pytest.mark.parametrize(
    "body, field, text",
    [
        ("", "body", "Escribe un mensaje o adjunta una imagen."),
        ("   \n ", "body", "Escribe un mensaje o adjunta una imagen."),
        ("x" * 4001, "body", "no puede pasar de 4000 caracteres"),
        (["lista"], "body", "El mensaje debe ser texto."),
    ],
)
def test_bad_bodies_are_refused_with_a_message(conversation, patient, body, field, text):
    with pytest.raises(ValidationError) as exc:
        services.message_send(actor=patient, conversation_id=conversation.pk, body=body)
    assert text in " ".join(exc.value.message_dict[field])
    assert Message.objects.count() == 0


def test_overlong_client_id_is_refused(conversation, patient):
    with pytest.raises(ValidationError) as exc:
        services.message_send(actor=patient, conversation_id=conversation.pk, body="hola", client_id="x" * 65)
    assert "client_id" in exc.value.message_dict


def test_image_is_reencoded_without_exif(conversation, nutritionist):
    msg = services.message_send(actor=nutritionist, conversation_id=conversation.pk, image=jpeg_upload(exif=True))
    assert msg.body == "" and msg.image
    with msg.image.open("rb") as fh:
        data = fh.read()
    assert b"CamaraSecreta" not in data
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert "/media/" not in msg.image.url or msg.image.storage is not None  # private storage


def test_not_an_image_is_refused(conversation, nutritionist):
    fake = SimpleUploadedFile("x.jpg", b"no soy una imagen", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.message_send(actor=nutritionist, conversation_id=conversation.pk, image=fake)
    assert "image" in exc.value.message_dict


def test_ended_care_leaves_the_conversation_read_only(conversation, care, patient, nutritionist):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="Gracias por todo")
    care.status = CareStatus.GRADUATED
    care.save()
    with pytest.raises(ValidationError) as exc:
        services.message_send(actor=patient, conversation_id=conversation.pk, body="¿Sigues ahí?")
    assert exc.value.code == "CONVERSATION_READ_ONLY"
    assert "solo para lectura" in exc.value.messages[0]
    # still readable by both
    for user in (patient, nutritionist):
        conv = selectors.conversation_get(user=user, conversation_id=conversation.pk)
        page, _more = selectors.message_page(conversation=conv)
        assert [m.body for m in page] == ["Gracias por todo"]
        assert conv.care_open is False
    # the nutritionist's shortcut returns the existing conversation, never a new one
    assert services.conversation_open(actor=nutritionist, patient_id=patient.pk).pk == conversation.pk


def test_outsiders_get_not_found(conversation, make_nutritionist, make_user, patient):
    other_nutritionist = make_nutritionist()
    stranger = make_user()
    for outsider in (other_nutritionist, stranger):
        with pytest.raises(ConversationNotFound):
            services.message_send(actor=outsider, conversation_id=conversation.pk, body="hola")
        with pytest.raises(ConversationNotFound):
            services.conversation_mark_read(actor=outsider, conversation_id=conversation.pk)
        with pytest.raises(ConversationNotFound):
            selectors.conversation_get(user=outsider, conversation_id=conversation.pk)
    with pytest.raises(ConversationNotFound):
        services.conversation_open(actor=other_nutritionist, patient_id=patient.pk)
    for garbage in ("abc", -1, 2**70, None, ""):
        with pytest.raises(ConversationNotFound):
            selectors.conversation_get(user=patient, conversation_id=garbage)


def test_no_conversation_without_started_care(nutritionist, make_user, make_care):
    invited = make_user()
    make_care(nutritionist, invited, status=CareStatus.INVITED)
    with pytest.raises(ConversationNotFound):
        services.conversation_open(actor=nutritionist, patient_id=invited.pk)
    # even a conversation row for a pair that never started care stays invisible
    conv = Conversation.objects.create(nutritionist=nutritionist, patient=invited)
    with pytest.raises(ConversationNotFound):
        selectors.conversation_get(user=invited, conversation_id=conv.pk)


def test_unverified_nutritionist_cannot_open(make_nutritionist, make_user, make_care):
    pending = make_nutritionist(verified=False)
    patient = make_user()
    make_care(pending, patient)
    with pytest.raises(ConversationNotFound):
        services.conversation_open(actor=pending, patient_id=patient.pk)


def test_unread_counts_and_read_receipts(conversation, patient, nutritionist, django_capture_on_commit_callbacks):
    services.message_send(actor=patient, conversation_id=conversation.pk, body="uno")
    services.message_send(actor=patient, conversation_id=conversation.pk, body="dos")
    assert selectors.messages_unread_total(user=nutritionist) == 2
    services.message_send(actor=nutritionist, conversation_id=conversation.pk, body="respuesta")
    # Replying reads what came before.
    assert selectors.messages_unread_total(user=nutritionist) == 0
    assert selectors.messages_unread_total(user=patient) == 1
    assert selectors.conversation_get(user=patient, conversation_id=conversation.pk).other_read_at is not None
    services.message_send(actor=patient, conversation_id=conversation.pk, body="tres")
    [row] = selectors.conversation_list(user=nutritionist)
    assert row.unread == 1 and row.last_message.body == "tres" and row.other == patient

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        read_at = services.conversation_mark_read(actor=nutritionist, conversation_id=conversation.pk)
    assert len(callbacks) == 1
    assert selectors.messages_unread_total(user=nutritionist) == 0
    conv = selectors.conversation_get(user=patient, conversation_id=conversation.pk)
    assert conv.other_read_at == read_at


def test_conversation_list_query_count_is_fixed(nutritionist, make_user, make_care, django_assert_num_queries):
    for i in range(4):
        p = make_user(first_name=f"P{i}")
        make_care(nutritionist, p)
        conv = services.conversation_open(actor=nutritionist, patient_id=p.pk)
        for j in range(3):
            services.message_send(actor=p, conversation_id=conv.pk, body=f"mensaje {j} de {i}")
    with django_assert_num_queries(2):
        rows = selectors.conversation_list(user=nutritionist)
        previews = [selectors.preview(r.last_message) for r in rows]
        names = [r.other.full_name for r in rows]
        photos = [r.other.photo_url for r in rows]
    assert len(rows) == 4 and all(r.unread == 3 for r in rows)
    assert previews[0] == "mensaje 2 de 3" and names[0].startswith("P3") and photos == [""] * 4
    with django_assert_num_queries(1):
        assert selectors.messages_unread_total(user=nutritionist) == 12


def test_notification_only_when_recipient_offline(conversation, patient, nutritionist, monkeypatch):
    from accounts.models import Notification
    from config import realtime

    online = {nutritionist.pk: True}
    monkeypatch.setattr(realtime, "is_online", lambda uid: online.get(uid, False))
    services.message_send(actor=patient, conversation_id=conversation.pk, body="¿Puedo comer tamales?")
    assert not Notification.objects.filter(user=nutritionist).exists()
    online[nutritionist.pk] = False
    services.message_send(actor=patient, conversation_id=conversation.pk, body="¿Y atole?")
    n = Notification.objects.get(user=nutritionist)
    assert n.kind == "message:new" and n.category == "messages"
    assert n.title == "Nuevo mensaje de Paola Paciente"
    assert n.link == f"/consulta/mensajes/{conversation.pk}/"
    assert n.body == "¿Y atole?"


def test_message_page_cursor(conversation, patient):
    ids = [services.message_send(actor=patient, conversation_id=conversation.pk, body=f"m{i}").pk for i in range(7)]
    page, more = selectors.message_page(conversation=conversation, limit=3)
    assert [m.pk for m in page] == ids[::-1][:3] and more
    page2, more2 = selectors.message_page(conversation=conversation, before=page[-1].pk, limit=3)
    assert [m.pk for m in page2] == ids[::-1][3:6] and more2
    page3, more3 = selectors.message_page(conversation=conversation, before=page2[-1].pk, limit=3)
    assert [m.pk for m in page3] == [ids[0]] and not more3
