"""Shared fixtures. Tests run on SQLite by default, on PostgreSQL/Redis when DATABASE_URL /
REDIS_URL are set (CI does). Browser tests use Debian's /usr/bin/chromium."""

import os

import pytest

os.environ.setdefault("TESTING", "1")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
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

    def _make(email=None, user_type="patient", verified=True, **extra):
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
        return user

    return _make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def other_user(make_user):
    return make_user(first_name="Beto", last_name="Otro")
