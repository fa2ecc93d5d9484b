"""The websocket endpoint /ws/ as the mobile app and the browser see it.

Tests are sync functions that run their async scenario through ``async_to_sync``: the
consumer's database calls then run on the test's own thread and connection. They use
``transaction=True`` because pushes happen in ``transaction.on_commit`` (as in production);
conftest.py puts the migration data back after each flush.
"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from tests.realtime.helpers import run_async

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see conftest.py

TIMEOUT = 3


def jwt_for(user) -> str:
    return str(AccessToken.for_user(user))


def ws(path: str = "/ws/", *, token: str | None = None, origin: str | None = None, cookie: str | None = None):
    if token:
        path = f"{path}?token={token}"
    headers = []
    if origin:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def open_ready(comm) -> dict:
    """Connect and return the ``connection:ready`` data."""
    connected, _ = await comm.connect(timeout=TIMEOUT)
    assert connected
    first = await comm.receive_json_from(timeout=TIMEOUT)
    assert first["event"] == "connection:ready", first
    return first["data"]


async def assert_refused(comm, code: int):
    """The socket is accepted only to be closed at once with ``code``; nothing else is sent."""
    connected, close_code = await comm.connect(timeout=TIMEOUT)
    if connected:
        out = await comm.receive_output(timeout=TIMEOUT)
        assert out == {"type": "websocket.close", "code": code}
        await comm.disconnect()
    else:  # refused at the handshake
        assert close_code == code


def _notify(user, **kw):
    from accounts.services import notify

    with transaction.atomic():
        return notify(user, kw.pop("kind", "welcome"), kw.pop("title", "Hola"), **kw)


# --- authentication ------------------------------------------------------------------------


def test_anonymous_socket_is_closed_with_4401():
    async def scenario():
        await assert_refused(ws(), 4401)
        await assert_refused(ws(token="not-a-jwt"), 4401)

    run_async(scenario)


def test_jwt_in_query_string_is_accepted_without_origin(user):
    async def scenario():
        comm = ws(token=jwt_for(user))
        ready = await open_ready(comm)
        assert ready["user_id"] == user.pk
        await comm.disconnect()

    run_async(scenario)


def test_jwt_in_authorization_header_is_accepted(user):
    async def scenario():
        comm = WebsocketCommunicator(application, "/ws/", headers=[(b"authorization", f"Bearer {jwt_for(user)}".encode())])
        assert (await open_ready(comm))["user_id"] == user.pk
        await comm.disconnect()

    run_async(scenario)


@pytest.fixture
def session_cookie(client, user, settings):
    settings.ALLOWED_HOSTS = ["nutri.example.mx", "testserver"]
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_session_cookie_needs_an_allowed_origin(user, session_cookie):
    async def scenario():
        comm = ws(origin="https://nutri.example.mx", cookie=session_cookie)
        assert (await open_ready(comm))["user_id"] == user.pk
        await comm.disconnect()
        # Another site cannot ride on the visitor's cookie, nor can a client without Origin.
        await assert_refused(ws(origin="https://evil.example.com", cookie=session_cookie), 4401)
        await assert_refused(ws(cookie=session_cookie), 4401)

    run_async(scenario)


def test_jwt_from_a_foreign_origin_is_refused(user, settings):
    settings.ALLOWED_HOSTS = ["nutri.example.mx"]

    async def scenario():
        await assert_refused(ws(token=jwt_for(user), origin="https://evil.example.com"), 4401)

    run_async(scenario)


def test_banned_user_socket_is_refused_with_4403(user, make_user):
    from accounts.services import user_ban

    staff = make_user(email="staff@example.mx", is_staff=True)
    token = jwt_for(user)  # issued before the ban
    user_ban(actor=staff, user=user, reason="spam")

    async def scenario():
        await assert_refused(ws(token=token), 4403)

    run_async(scenario)


# --- notifications ---------------------------------------------------------------------------


def test_ready_event_carries_unread_count(user):
    _notify(user, title="Uno")
    _notify(user, title="Dos")

    async def scenario():
        comm = ws(token=jwt_for(user))
        assert (await open_ready(comm))["unread_count"] == 2
        await comm.disconnect()

    run_async(scenario)


def test_notify_reaches_the_socket_after_commit(user, other_user):
    async def scenario():
        mine = ws(token=jwt_for(user))
        theirs = ws(token=jwt_for(other_user))
        await open_ready(mine)
        await open_ready(theirs)
        n = await database_sync_to_async(_notify)(
            user, kind="plan_ready", title="Tu plan está listo", body="Revisa tu plan", link="/plan/", data={"plan": 7}
        )
        msg = await mine.receive_json_from(timeout=TIMEOUT)
        assert msg["event"] == "notification:new"
        data = msg["data"]
        assert data["id"] == n.pk
        assert data["type"] == "plan_ready"
        assert data["title"] == "Tu plan está listo"
        assert data["body"] == "Revisa tu plan"
        assert data["action_url"] == "/plan/"
        assert data["data"] == {"plan": 7}
        assert data["read"] is False
        assert data["unread_count"] == 1
        assert await theirs.receive_nothing(timeout=0.3)  # nobody else hears it
        await mine.disconnect()
        await theirs.disconnect()

    run_async(scenario)


def test_rolled_back_notification_is_never_pushed(user):
    from accounts.services import notify

    def notify_then_fail():
        try:
            with transaction.atomic():
                notify(user, "x", "Nunca")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass

    async def scenario():
        comm = ws(token=jwt_for(user))
        await open_ready(comm)
        await database_sync_to_async(notify_then_fail)()
        assert await comm.receive_nothing(timeout=0.5)
        await comm.disconnect()

    run_async(scenario)


def test_open_sockets_are_closed_when_the_account_is_disconnected(user, other_user):
    from config.realtime import disconnect_user

    async def scenario():
        mine, theirs = ws(token=jwt_for(user)), ws(token=jwt_for(other_user))
        await open_ready(mine)
        await open_ready(theirs)
        await database_sync_to_async(disconnect_user)(user.pk)
        assert await mine.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4403}
        await theirs.send_json_to({"event": "ping", "data": {}})
        assert (await theirs.receive_json_from(timeout=TIMEOUT))["event"] == "pong"
        await mine.disconnect()
        await theirs.disconnect()

    run_async(scenario)


def test_reading_the_only_notification_brings_unread_to_zero(user):
    n = _notify(user, title="Única")

    async def scenario():
        comm = ws(token=jwt_for(user))
        assert (await open_ready(comm))["unread_count"] == 1
        await comm.send_json_to({"event": "notification:read", "data": {"notification_id": n.pk}})
        assert await comm.receive_json_from(timeout=TIMEOUT) == {
            "event": "notification:read", "data": {"ids": [n.pk], "unread_count": 0}
        }
        await comm.disconnect()

    run_async(scenario)
    n.refresh_from_db()
    assert n.read_at is not None


def test_client_marks_notification_read(user):
    from accounts.models import Notification

    n1 = _notify(user, title="Uno")
    _notify(user, title="Dos")

    async def scenario():
        comm = ws(token=jwt_for(user))
        assert (await open_ready(comm))["unread_count"] == 2
        await comm.send_json_to({"event": "notification:read", "data": {"notification_id": n1.pk}})
        msg = await comm.receive_json_from(timeout=TIMEOUT)
        assert msg == {"event": "notification:read", "data": {"ids": [n1.pk], "unread_count": 1}}
        await comm.send_json_to({"event": "notification:read_all", "data": {}})
        msg = await comm.receive_json_from(timeout=TIMEOUT)
        assert msg["event"] == "notification:read"
        assert msg["data"]["unread_count"] == 0
        await comm.disconnect()

    run_async(scenario)
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_reading_another_users_notification_is_not_found(user, other_user):
    from accounts.models import Notification

    theirs = _notify(other_user, title="Privada")

    async def scenario():
        comm = ws(token=jwt_for(user))
        await open_ready(comm)
        await comm.send_json_to({"event": "notification:read", "data": {"notification_id": theirs.pk}})
        msg = await comm.receive_json_from(timeout=TIMEOUT)
        assert msg["event"] == "error"
        assert msg["data"]["code"] == "NOT_FOUND"
        assert msg["data"]["event"] == "notification:read"
        assert "Privada" not in json.dumps(msg)
        assert await comm.receive_nothing(timeout=0.3)
        await comm.disconnect()

    run_async(scenario)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(user=other_user, read_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("esto no es json", "INVALID_FRAME"),
        ('["event", "ping"]', "INVALID_FRAME"),
        ('{"data": {}}', "INVALID_FRAME"),
        ('{"event": 42}', "INVALID_FRAME"),
        ('{"event": "no:existe", "data": {}}', "UNKNOWN_EVENT"),
        ('{"event": "ping", "data": []}', "INVALID_FRAME"),
        ('{"event": "ping", "data": "hola"}', "INVALID_FRAME"),
        ('{"event": "notification:read", "data": {"notification_id": "abc"}}', "VALIDATION_ERROR"),
        (json.dumps({"event": "ping", "data": {"pad": "x" * (65 * 1024)}}), "INVALID_FRAME"),
        (json.dumps({"event": "ping", "data": {"pad": "ñ" * (40 * 1024)}}), "INVALID_FRAME"),  # > 64 KB in UTF-8
    ],
    ids=["not-json", "not-object", "no-event", "event-not-text", "unknown-event", "data-list", "data-text",
         "bad-id", "over-64kb", "over-64kb-utf8"],
)
def test_malformed_frames_get_an_error_and_the_socket_stays_open(user, frame, code):
    async def scenario():
        comm = ws(token=jwt_for(user))
        await open_ready(comm)
        await comm.send_to(text_data=frame)
        msg = await comm.receive_json_from(timeout=TIMEOUT)
        assert msg["event"] == "error"
        assert msg["data"]["code"] == code
        # still open and answering
        await comm.send_json_to({"event": "ping", "data": {"t": 1}})
        assert await comm.receive_json_from(timeout=TIMEOUT) == {"event": "pong", "data": {"t": 1}}
        await comm.disconnect()

    run_async(scenario)


def test_binary_frame_gets_an_error(user):
    async def scenario():
        comm = ws(token=jwt_for(user))
        await open_ready(comm)
        await comm.send_to(bytes_data=b"\x00\x01")
        msg = await comm.receive_json_from(timeout=TIMEOUT)
        assert msg["data"]["code"] == "INVALID_FRAME"
        await comm.disconnect()

    run_async(scenario)
