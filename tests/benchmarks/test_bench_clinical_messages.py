"""Message delivery latency: from the sender's send to the other party's socket receiving
``message:new``, p50/p95 over 50 messages (target < 200 ms with Redis).

* ``in-process``: the /ws/ consumer under channels' test communicator, the send through the
  same service the API calls (no network; the channel layer of the settings: in-memory, or
  Redis when REDIS_URL is set);
* ``daphne``: a real daphne server on 127.0.0.1 (as ``make run``) on a clone of the test
  database; the patient POSTs /api/v1/conversations/{id}/messages over HTTP and the
  nutritionist's websocket client (``websockets``) waits for the frame. With REDIS_URL the
  server uses the Redis channel layer (CI), else the in-memory one (one process, so delivery
  still happens).

Run with ``make bench``; figures are printed and written to bench/results.json.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import urllib.request
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

import clinical.consumers  # noqa: F401  (registers the handlers)
from tests.realtime.conftest import REALTIME_REDIS_DB, redis_url_with_db
from tests.realtime.test_cross_process import app_env, daphne_servers, next_event, shared_database_url  # noqa: F401

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

N = 50
WARMUP = 5
TARGET_MS = 200


def summary(samples: list[float]) -> dict:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(q[94], 3),
        "max_ms": round(samples[-1], 3),
        "mean_ms": round(statistics.fmean(samples), 3),
    }


@pytest.fixture
def pair(make_user):
    from django.utils import timezone

    from accounts.models import Role, RoleGrant
    from clinical.models import CareRelationship, CareStatus, NutritionistProfile, VerificationStatus
    from clinical.services.messages import conversation_open

    nutri = make_user(user_type="nutritionist", first_name="Nora", last_name="Bench")
    NutritionistProfile.objects.create(user=nutri, slug=nutri.username, license_number="9990001",
                                       verification_status=VerificationStatus.VERIFIED, verified_at=timezone.now())
    RoleGrant.objects.get_or_create(user=nutri, role=Role.NUTRITIONIST)
    patient = make_user(first_name="Paola", last_name="Bench")
    CareRelationship.objects.create(nutritionist=nutri, patient=patient, status=CareStatus.ACTIVE,
                                    assigned_at=timezone.now(), initiated_by=nutri)
    return nutri, patient, conversation_open(actor=nutri, patient_id=patient.pk)


def test_bench_message_delivery_in_process(pair, settings, bench_results):
    from clinical.services.messages import message_send
    from config.asgi import application

    if settings.REDIS_URL:
        settings.CHANNEL_LAYERS = {"default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url_with_db(settings.REDIS_URL, REALTIME_REDIS_DB)],
                       "prefix": f"b{uuid.uuid4().hex[:10]}"},
        }}
    nutri, patient, conversation = pair
    send = database_sync_to_async(message_send)

    async def scenario() -> list[float]:
        comm = WebsocketCommunicator(application, f"/ws/?token={AccessToken.for_user(nutri)}")
        connected, _ = await comm.connect(timeout=5)
        assert connected
        assert (await comm.receive_json_from(timeout=5))["event"] == "connection:ready"
        samples = []
        for i in range(WARMUP + N):
            start = time.perf_counter()
            message = await send(actor=patient, conversation_id=conversation.pk, body=f"bench {i}")
            while True:
                frame = await comm.receive_json_from(timeout=5)
                if frame["event"] == "message:new" and frame["data"]["message"]["id"] == message.pk:
                    break
            if i >= WARMUP:
                samples.append((time.perf_counter() - start) * 1000)
        await comm.disconnect()
        return samples

    row = summary(async_to_sync(scenario)())
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\nmessage:new delivery in-process ({layer}): {row}")
    bench_results.setdefault("clinical_messages", {})["in_process"] = {**row, "channel_layer": layer}
    assert row["p95_ms"] < TARGET_MS * 5  # a sanity bound; the target applies to the daphne + Redis figure


def test_bench_message_delivery_daphne(pair, settings, shared_database_url, tmp_path, bench_results):  # noqa: F811
    nutri, patient, conversation = pair
    redis = redis_url_with_db(settings.REDIS_URL, REALTIME_REDIS_DB) if settings.REDIS_URL else ""
    env = app_env(shared_database_url, redis, f"bm{uuid.uuid4().hex[:10]}")
    env.update(
        JWT_SIGNING_KEY=settings.SIMPLE_JWT["SIGNING_KEY"],
        FIELD_ENCRYPTION_KEY=settings.FIELD_ENCRYPTION_KEY,
        CLINICAL_ENCRYPTION_KEYS=settings.CLINICAL_ENCRYPTION_KEYS,
        API_RATE_LIMITS_ENABLED="0",
    )
    nutri_token, patient_token = str(AccessToken.for_user(nutri)), str(AccessToken.for_user(patient))

    with daphne_servers(env, tmp_path, count=1) as (port,):
        url = f"http://127.0.0.1:{port}/api/v1/conversations/{conversation.pk}/messages"

        def post(i: int) -> int:
            req = urllib.request.Request(
                url, method="POST", data=json.dumps({"body": f"bench {i}", "client_id": f"b{i}"}).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {patient_token}"},
            )
            with urllib.request.urlopen(req, timeout=10) as resp:
                assert resp.status == 201
                return json.load(resp)["id"]

        async def scenario() -> list[float]:
            from websockets.asyncio.client import connect

            samples = []
            async with connect(f"ws://127.0.0.1:{port}/ws/?token={nutri_token}", open_timeout=10) as sock:
                assert await next_event(sock, "connection:ready", 5)
                for i in range(WARMUP + N):
                    start = time.perf_counter()
                    sent = asyncio.create_task(asyncio.to_thread(post, i))
                    frame = await next_event(sock, "message:new", 5)
                    assert frame is not None, "message:new never arrived"
                    elapsed = (time.perf_counter() - start) * 1000
                    assert frame["data"]["message"]["id"] == await sent
                    if i >= WARMUP:
                        samples.append(elapsed)
            return samples

        row = summary(asyncio.run(scenario()))
    layer = "RedisChannelLayer" if redis else "InMemoryChannelLayer"
    print(f"\nmessage:new delivery, POST → socket through daphne ({layer}): {row}")
    bench_results.setdefault("clinical_messages", {})["daphne_http_to_ws"] = {
        **row, "channel_layer": layer, "target_p95_ms": TARGET_MS,
    }
    if redis:
        assert row["p95_ms"] < TARGET_MS
