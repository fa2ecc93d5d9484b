"""The conversation over /ws/: two sockets (nutritionist and patient) exchange messages,
typing indicators and read receipts; outsiders get NOT_FOUND; offline recipients get a
notification, online ones do not. Same conventions as test_consumer.py (sync tests running an
async scenario; transaction=True because pushes happen on commit)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

import clinical.consumers  # noqa: F401  (registers the handlers)
from config.asgi import application
from tests.realtime.helpers import run_async

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see conftest.py

TIMEOUT = 3


def ws(user):
    return WebsocketCommunicator(application, f"/ws/?token={AccessToken.for_user(user)}")


async def open_ready(comm):
    connected, _ = await comm.connect(timeout=TIMEOUT)
    assert connected
    first = await comm.receive_json_from(timeout=TIMEOUT)
    assert first["event"] == "connection:ready"


async def next_event(comm, name: str) -> dict:
    """The next frame called ``name`` (other frames are skipped)."""
    while True:
        frame = await comm.receive_json_from(timeout=TIMEOUT)
        if frame["event"] == name:
            return frame["data"]


@pytest.fixture
def pair(make_user):
    from django.utils import timezone

    from accounts.models import Role, RoleGrant
    from clinical.models import CareRelationship, CareStatus, NutritionistProfile, VerificationStatus
    from clinical.services.messages import conversation_open

    nutri = make_user(user_type="nutritionist", first_name="Nora", last_name="Nutrióloga")
    NutritionistProfile.objects.create(user=nutri, slug=nutri.username, license_number="7654321",
                                       verification_status=VerificationStatus.VERIFIED, verified_at=timezone.now())
    RoleGrant.objects.get_or_create(user=nutri, role=Role.NUTRITIONIST)
    patient = make_user(first_name="Paola", last_name="Paciente")
    CareRelationship.objects.create(nutritionist=nutri, patient=patient, status=CareStatus.ACTIVE,
                                    assigned_at=timezone.now(), initiated_by=nutri)
    conversation = conversation_open(actor=nutri, patient_id=patient.pk)
    return nutri, patient, conversation


def test_message_sent_on_the_socket_reaches_the_other_party_as_plain_text(pair):
    nutri, patient, conversation = pair
    text = 'Hola <script>alert("x")</script> & adiós'

    async def scenario():
        n, p = ws(nutri), ws(patient)
        await open_ready(n)
        await open_ready(p)
        await p.send_json_to({"event": "message:send",
                              "data": {"conversation_id": conversation.pk, "body": text, "client_id": "s-1"}})
        sent = await next_event(p, "message:sent")
        assert sent["replayed"] is False and sent["message"]["body"] == text
        new = await next_event(n, "message:new")
        assert new["conversation_id"] == conversation.pk
        m = new["message"]
        assert m["body"] == text  # verbatim text, never HTML-processed
        assert m["sender_id"] == patient.pk and m["sender_name"] == "Paola Paciente" and m["client_id"] == "s-1"
        assert set(m) == {"id", "sender_id", "sender_name", "body", "image_url", "created_at", "client_id"}
        # sending reads the conversation on the sender's side: the other party sees the receipt
        read = await next_event(n, "message:read")
        assert read["reader_id"] == patient.pk and read["conversation_id"] == conversation.pk
        # a replay over the socket answers with the stored message and pushes nothing new
        await p.send_json_to({"event": "message:send",
                              "data": {"conversation_id": conversation.pk, "body": text, "client_id": "s-1"}})
        again = await next_event(p, "message:sent")
        assert again["replayed"] is True and again["message"]["id"] == m["id"]
        assert await n.receive_nothing(timeout=0.3)
        # empty message: a validation error frame
        await p.send_json_to({"event": "message:send", "data": {"conversation_id": conversation.pk, "body": " "}})
        err = await next_event(p, "error")
        assert err["code"] == "VALIDATION_ERROR" and "Escribe un mensaje" in err["message"]
        await n.disconnect()
        await p.disconnect()

    run_async(scenario)


def test_send_through_the_service_notifies_only_offline_recipients(pair):
    from accounts.models import Notification
    from clinical.services.messages import message_send

    nutri, patient, conversation = pair
    send = database_sync_to_async(message_send)

    async def scenario():
        n = ws(nutri)
        await open_ready(n)
        await send(actor=patient, conversation_id=conversation.pk, body="¿Puedo comer pozole?")
        new = await next_event(n, "message:new")
        assert new["message"]["body"] == "¿Puedo comer pozole?"
        assert not await database_sync_to_async(Notification.objects.filter(user=nutri, kind="message:new").exists)()
        await n.disconnect()
        await send(actor=patient, conversation_id=conversation.pk, body="¿Y tostadas?")

    run_async(scenario)
    notification = Notification.objects.get(user=nutri, kind="message:new")
    assert notification.title == "Nuevo mensaje de Paola Paciente" and notification.body == "¿Y tostadas?"
    assert notification.link == f"/consulta/mensajes/{conversation.pk}/"


def test_typing_and_read_receipts_are_relayed(pair):
    nutri, patient, conversation = pair

    async def scenario():
        n, p = ws(nutri), ws(patient)
        await open_ready(n)
        await open_ready(p)
        await n.send_json_to({"event": "typing:start", "data": {"conversation_id": conversation.pk}})
        typing = await next_event(p, "typing:start")
        assert typing == {"conversation_id": conversation.pk, "user_id": nutri.pk, "name": "Nora Nutrióloga"}
        await n.send_json_to({"event": "typing:stop", "data": {"conversation_id": str(conversation.pk)}})
        assert (await next_event(p, "typing:stop"))["user_id"] == nutri.pk
        await p.send_json_to({"event": "message:read", "data": {"conversation_id": conversation.pk}})
        read = await next_event(n, "message:read")
        assert read["conversation_id"] == conversation.pk and read["reader_id"] == patient.pk and read["read_at"]
        await p.send_json_to({"event": "conversation:join", "data": {"conversation_id": conversation.pk}})
        assert (await next_event(p, "conversation:joined"))["conversation_id"] == conversation.pk
        await n.disconnect()
        await p.disconnect()

    run_async(scenario)


def test_outsider_gets_not_found_and_nothing_is_relayed(pair, make_user):
    nutri, patient, conversation = pair
    outsider = make_user(first_name="Olga")

    async def scenario():
        o, p = ws(outsider), ws(patient)
        await open_ready(o)
        await open_ready(p)
        for event, data in (
            ("typing:start", {"conversation_id": conversation.pk}),
            ("message:send", {"conversation_id": conversation.pk, "body": "intruso"}),
            ("message:read", {"conversation_id": conversation.pk}),
            ("conversation:join", {"conversation_id": conversation.pk}),
            ("typing:start", {"conversation_id": "abc"}),
            ("typing:start", {}),
        ):
            await o.send_json_to({"event": event, "data": data})
            err = await next_event(o, "error")
            assert err["code"] == "NOT_FOUND" and err["event"] == event
        assert await p.receive_nothing(timeout=0.3)
        await o.disconnect()
        await p.disconnect()

    run_async(scenario)
    from clinical.models import Message

    assert not Message.objects.exists()


def test_ended_care_blocks_sending_and_typing_on_the_socket(pair):
    from clinical.models import CareRelationship, CareStatus

    nutri, patient, conversation = pair
    CareRelationship.objects.filter(nutritionist=nutri, patient=patient).update(status=CareStatus.GRADUATED)

    async def scenario():
        n, p = ws(nutri), ws(patient)
        await open_ready(n)
        await open_ready(p)
        await p.send_json_to({"event": "message:send", "data": {"conversation_id": conversation.pk, "body": "hola"}})
        err = await next_event(p, "error")
        assert err["code"] == "VALIDATION_ERROR" and "solo para lectura" in err["message"]
        await p.send_json_to({"event": "typing:start", "data": {"conversation_id": conversation.pk}})
        assert await n.receive_nothing(timeout=0.3)
        await n.disconnect()
        await p.disconnect()

    run_async(scenario)
