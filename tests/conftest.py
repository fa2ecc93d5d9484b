"""Shared fixtures. Tests run on SQLite by default, on PostgreSQL/Redis when DATABASE_URL /
REDIS_URL are set (CI does). Browser tests use Debian's /usr/bin/chromium."""

import os

import pytest

os.environ.setdefault("TESTING", "1")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    if settings.STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private", "base_url": "/_private/"}},
        }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    if settings.REDIS_URL:
        # cache.clear() is FLUSHDB: each xdist worker gets its own Redis database, so one
        # worker never wipes another's rate-limit counters in the middle of a test.
        from urllib.parse import urlsplit, urlunsplit

        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
        parts = urlsplit(settings.REDIS_URL)
        location = urlunsplit(parts._replace(path=f"/{1 + int(worker) % 13}"))
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}


@pytest.fixture(autouse=True)
def _spanish_by_default():
    """Each test starts in es-MX (the default language): an API call in English earlier on the
    same worker must not leave English food names for the next test."""
    from django.utils import translation

    translation.activate("es-mx")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache(_test_settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return "Sup3r#Segura"


@pytest.fixture
def make_user(db, password):
    """Create a verified user with a profile and current consents."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from accounts.services import user_onboard

    counter = {"n": 0}

    profile_fields = {
        "sex", "weight_kg", "height_cm", "date_of_birth", "activity_level", "goal", "target_weight_kg",
        "dietary_preference", "state", "city", "units",
    }

    def _make(email=None, user_type="patient", verified=True, **extra):
        """Extra keyword arguments that are profile fields (sex, weight_kg, height_cm,
        date_of_birth, activity_level, goal, ...) go to the profile; the rest to the user."""
        profile = {k: extra.pop(k) for k in list(extra) if k in profile_fields}
        counter["n"] += 1
        email = email or f"persona{counter['n']}@example.mx"
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=extra.pop("first_name", "Ana"),
            last_name=extra.pop("last_name", f"Prueba {counter['n']}"),
            user_type=user_type,
            **extra,
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
        user_onboard(user=user)
        if profile:
            from accounts.models import Profile

            Profile.objects.update_or_create(user=user, defaults=profile)
            user.refresh_from_db()
        return user

    return _make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def other_user(make_user):
    return make_user(first_name="Beto", last_name="Otro")


# ---------------------------------------------------------------------------------------
# the food database for tests
#
# Every NDB number in the curated Spanish file and in the Mexican dishes, plus a few the
# tests name, imported from the real SR28 files. The parse is cached per process, so
# re-importing after a transactional test flushed the tables costs a bulk insert only.

TEST_EXTRA_NDB = ["09003", "18002", "16015", "16016", "20027", "19903", "14411", "01123", "05062"]


def _test_food_subset() -> list[str]:
    import csv
    import json

    from nutrition.reference import DATA_DIR

    ndbs = set(TEST_EXTRA_NDB)
    path = DATA_DIR / "es_mx_foods.csv"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            ndbs |= {row["ndb_no"].zfill(5) for row in csv.DictReader(fh)}
    dishes = DATA_DIR / "mexican_dishes.json"
    if dishes.exists():
        for dish in json.loads(dishes.read_text(encoding="utf-8")):
            ndbs |= {i["ndb_no"].zfill(5) for i in dish["ingredients"]}
    return sorted(ndbs)


def foods_ensure(with_recipes: bool = False):
    from nutrition.models import Food, Recipe
    from nutrition.sr28 import sr28_import

    if not Food.objects.filter(source="usda").exists():
        sr28_import(only=_test_food_subset())
    if with_recipes and not Recipe.objects.filter(is_system=True).exists():
        from nutrition.services.recipes import system_recipes_load

        system_recipes_load()


@pytest.fixture
def foods(db):
    """SR28 foods (the curated subset) with Spanish names, portions and SMAE groups."""
    foods_ensure()


@pytest.fixture
def mexican_recipes(db):
    """The foods plus the Mexican system recipes."""
    foods_ensure(with_recipes=True)


@pytest.fixture(scope="session")
def _fake_ai_server():
    from tests.fakes.openai_server import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def fake_ai(_fake_ai_server, settings):
    """A real OpenAI-compatible server on 127.0.0.1 that the real SDK talks to. Script replies
    with ``reply_json``/``reply_text``/``reply_raw``/``reply_error``/``reply_slow`` or set
    ``handler``; read ``requests``. Timeout 1.5 s and one retry keep failure tests quick."""
    server = _fake_ai_server
    server.queue.clear()
    server.handler = None
    server.requests.clear()
    server.headers.clear()
    settings.AI_BASE_URL = server.base_url
    settings.AI_API_KEY = "sk-test"
    settings.AI_MODEL = "fake-text"
    settings.AI_VISION_MODEL = "fake-vision"
    settings.AI_TIMEOUT_SECONDS = 1.5
    settings.AI_MAX_RETRIES = 1
    yield server
    server.queue.clear()
    server.handler = None


@pytest.fixture
def ai_down(settings):
    """AI configured, but nothing listens on its port: every call is AI_UNAVAILABLE."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.AI_BASE_URL = f"http://127.0.0.1:{port}/v1"
    settings.AI_API_KEY = "sk-test"
    settings.AI_TIMEOUT_SECONDS = 1.0
    settings.AI_MAX_RETRIES = 0
    return settings.AI_BASE_URL


@pytest.fixture
def webhook_receiver():
    """A real HTTP server on 127.0.0.1 that records webhook deliveries; script failures with
    ``webhook_receiver.statuses.extend([500, 503])``."""
    from tests.fakes.webhook_receiver import WebhookReceiver

    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def api_client_for():
    """``api_client_for(user)``: a DRF test client signed in as ``user``."""
    from rest_framework.test import APIClient

    def _make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _make


# The post-migration snapshot that ``serialized_rollback`` tests restore. Django keeps it on the
# connection object, but once a browser test has started Playwright's event loop on a worker's
# main thread, Django's thread-critical connection lookup switches to context-local storage and
# hands out fresh connection objects without it: flushes would then re-run post_migrate and the
# data would not be restored. Kept on the backend's class too, every connection object has it.
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    from django.db import connections

    from tests.db_snapshot import DB_SNAPSHOT

    connection = connections["default"]
    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot is not None:
        DB_SNAPSHOT["default"] = snapshot
        type(connection)._test_serialized_contents = snapshot
    yield
