"""Two real daphne servers, one Redis, one database: an event published by one process
reaches a websocket held by another. This is what lets the app run as N replicas behind a
load balancer. With the in-memory layer the same delivery does not happen (the negative
proves the first test measures the shared layer, not something else).

The servers need a database they can open: the test clones pytest-django's migrated test
database (SQLite: the backup API into a file; PostgreSQL: CREATE DATABASE ... TEMPLATE) and
drops it afterwards. Redis keys live in database 15 under a prefix unique to each run.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from websockets.asyncio.client import connect

from tests.realtime.conftest import REALTIME_REDIS_DB, redis_url_with_db

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "cross-process-test-secret-" + "x" * 40
DELIVERY_TIMEOUT = 5.0


# --- a database other processes can open ------------------------------------------------


def _pg_admin_connect(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )


# transaction=True: no test transaction holds the database, so PostgreSQL can use it as a template.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see conftest.py


@pytest.fixture
def shared_database_url(tmp_path):
    from django.db import connections

    conn = connections["default"]
    name = str(conn.settings_dict["NAME"])
    assert name.startswith("test_") or "memory" in name, f"refusing to clone a non-test database: {name}"
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        conn.connection.backup(target)
        target.close()
        yield f"sqlite:///{path}"
        return
    if conn.vendor != "postgresql":
        pytest.skip(f"no cloning recipe for {conn.vendor}")
    sd = conn.settings_dict
    clone = f"xproc_{uuid.uuid4().hex[:12]}"
    for c in connections.all():
        c.close()
    with _pg_admin_connect(sd) as admin:
        for attempt in range(20):  # the template must have no other session for a moment
            try:
                admin.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{sd["NAME"]}"')
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.25)
    auth = quote(sd["USER"] or "", safe="") + (f":{quote(sd['PASSWORD'], safe='')}" if sd["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{clone}"
    finally:
        with _pg_admin_connect(sd) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')


# --- processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url: str, redis_url: str, prefix: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CELERY_")) and k != "TESTING"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,  # "" = in-memory layer (and wins over a developer's .env)
        CHANNELS_PREFIX=prefix,
        CACHE_KEY_PREFIX=prefix,
        SECRET_KEY=SECRET,
        DEBUG="0",
        STATIC_FROM_FINDERS="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


class Replica:
    """``tests.realtime.xproc``: one more application process (as a Celery worker would be),
    booted once, that runs commands sent as JSON lines."""

    def __init__(self, env: dict, tmp_path: Path):
        self.log = tmp_path / "xproc.log"
        self._ready = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.realtime.xproc"],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log.open("w"), text=True,
        )

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, f"xproc died ({self.proc.poll()}):\n{self.log.read_text()[-3000:]}"
        return json.loads(line)

    def call(self, cmd: str, **kw) -> dict:
        if not self._ready:
            assert self._read() == {"ready": True}
            self._ready = True
        self.proc.stdin.write(json.dumps({"cmd": cmd, **kw}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@contextmanager
def replica(env: dict, tmp_path: Path):
    r = Replica(env, tmp_path)
    try:
        yield r
    finally:
        r.close()


def _wait_healthy(proc, port: int, log: Path, deadline: float) -> None:
    url = f"http://127.0.0.1:{port}/api/v1/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"daphne on {port} exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200 and json.load(resp)["status"] == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"daphne on {port} not healthy in time:\n{log.read_text()[-3000:]}")


@contextmanager
def daphne_servers(env: dict, tmp_path: Path, count: int = 2):
    """Start ``count`` daphne processes the way ``make run`` does; yield their ports."""
    procs, ports = [], []
    try:
        for i in range(count):
            port = free_port()
            log = tmp_path / f"daphne-{i}.log"
            proc = subprocess.Popen(
                [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "--ping-interval", "20",
                 "config.asgi:application"],
                cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            )
            procs.append((proc, port, log))
            ports.append(port)
        deadline = time.monotonic() + 60
        for proc, port, log in procs:
            _wait_healthy(proc, port, log, deadline)
        yield ports
    finally:
        for proc, _port, _log in procs:
            proc.terminate()
        for proc, _port, _log in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def next_event(sock, name: str, timeout: float) -> dict | None:
    """The next event called ``name`` within ``timeout`` seconds (others are skipped), or None."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = json.loads(await asyncio.wait_for(sock.recv(), left))
        except TimeoutError:
            return None
        if frame["event"] == name:
            return frame
    return None


def ws_url(port: int, token: str) -> str:
    return f"ws://127.0.0.1:{port}/ws/?token={token}"


# --- the tests -----------------------------------------------------------------------------


def test_event_published_by_one_process_reaches_a_socket_on_another(settings, shared_database_url, tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: cross-process delivery needs the Redis channel layer (CI sets it)")
    prefix = f"xp{uuid.uuid4().hex[:10]}"
    env = app_env(shared_database_url, redis_url_with_db(settings.REDIS_URL, REALTIME_REDIS_DB), prefix)

    # The publisher process and both servers boot in parallel.
    with replica(env, tmp_path) as publisher, daphne_servers(env, tmp_path) as (port_a, port_b):
        who = publisher.call("setup")

        async def scenario():
            async with connect(ws_url(port_b, who["token"]), open_timeout=10) as on_b:
                ready = await next_event(on_b, "connection:ready", DELIVERY_TIMEOUT)
                assert ready is not None and ready["data"]["unread_count"] == 1

                # 1. Another process (as a Celery worker would) stores and publishes a notification.
                await asyncio.to_thread(publisher.call, "notify", user_id=who["user_id"], title="Desde otro proceso")
                start = time.monotonic()
                new = await next_event(on_b, "notification:new", DELIVERY_TIMEOUT)
                assert new is not None, "notification:new never reached the socket on server B"
                assert time.monotonic() - start < DELIVERY_TIMEOUT
                assert new["data"]["title"] == "Desde otro proceso"
                assert new["data"]["data"] == {"from": "publisher-process"}
                assert new["data"]["unread_count"] == 2

                # 2. Server A publishes: a client connected to A marks the first notification
                #    read, and the socket on B hears about it.
                async with connect(ws_url(port_a, who["token"]), open_timeout=10) as on_a:
                    ready_a = await next_event(on_a, "connection:ready", DELIVERY_TIMEOUT)
                    assert ready_a["data"]["unread_count"] == 2
                    await on_a.send(json.dumps(
                        {"event": "notification:read", "data": {"notification_id": who["notification_id"]}}
                    ))
                    read = await next_event(on_b, "notification:read", DELIVERY_TIMEOUT)
                    assert read is not None, "notification:read published by server A never reached server B"
                    assert read["data"] == {"ids": [who["notification_id"]], "unread_count": 1}

        asyncio.run(scenario())


def test_in_memory_layer_does_not_cross_processes(shared_database_url, tmp_path):
    env = app_env(shared_database_url, "", f"xp{uuid.uuid4().hex[:10]}")

    with replica(env, tmp_path) as publisher, daphne_servers(env, tmp_path) as (port_a, port_b):
        who = publisher.call("setup")

        async def scenario():
            async with connect(ws_url(port_b, who["token"]), open_timeout=10) as on_b, \
                    connect(ws_url(port_a, who["token"]), open_timeout=10) as on_a:
                assert await next_event(on_b, "connection:ready", DELIVERY_TIMEOUT)
                assert await next_event(on_a, "connection:ready", DELIVERY_TIMEOUT)
                await on_a.send(json.dumps(
                    {"event": "notification:read", "data": {"notification_id": who["notification_id"]}}
                ))
                # A's own socket hears it (the event was published) ...
                assert await next_event(on_a, "notification:read", DELIVERY_TIMEOUT)
                # ... but B's process has its own memory and never does, nor of another process's notify.
                await asyncio.to_thread(publisher.call, "notify", user_id=who["user_id"], title="Nadie lo ve")
                assert await next_event(on_b, "notification:read", 1.0) is None
                assert await next_event(on_b, "notification:new", 1.0) is None

        asyncio.run(scenario())
