"""Realtime fixtures.

Transactional tests and the migration data
------------------------------------------
The websocket tests need ``transaction=True`` (pushes happen in ``transaction.on_commit``).
After such a test Django flushes every table, which also deletes what migrations created
(Wagtail's root page and "Editors" group, content types, permissions, the default Site).
pytest-django runs transactional tests last, but pytest-xdist's ``--dist loadfile`` hands out
whole files largest first, so a plain test file can run after this one on the same worker and
find that data gone. So these tests are marked ``serialized_rollback=True`` (pytest-django
then keeps the post-migration snapshot) and, after each one's flush, the snapshot is loaded
back (``pytest_runtest_teardown`` below), leaving the database as migrations left it.

With REDIS_URL set (CI) the consumer tests run on the real Redis channel layer, but in Redis
database 15 with a prefix unique to each test: the suite's cache is cleared with FLUSHDB on
the cache's own database between tests (possibly by another xdist worker at any moment), which
must not wipe this test's group memberships, and parallel runs must never see each other's
events.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from pytest_django.plugin import blocking_manager_key

REALTIME_REDIS_DB = 15


def redis_url_with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


@pytest.fixture(autouse=True)
def _isolated_channel_layer(settings):
    if settings.REDIS_URL:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [redis_url_with_db(settings.REDIS_URL, REALTIME_REDIS_DB)],
                    "prefix": f"t{uuid.uuid4().hex[:12]}",
                },
            }
        }
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's fixtures are torn down now: a transactional test has flushed the database
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return  # (after the last test the test database is already gone)
    from django.db import connections

    from tests.db_snapshot import DB_SNAPSHOT

    connection = connections["default"]
    snapshot = getattr(connection, "_test_serialized_contents", None) or DB_SNAPSHOT.get("default")
    assert snapshot is not None, "transactional tests here must also set serialized_rollback=True"
    connection._test_serialized_contents = snapshot
    with item.config.stash[blocking_manager_key].unblock():
        connection.creation.deserialize_db_from_string(snapshot)
        connection.close()
