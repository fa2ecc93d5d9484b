"""Browser tests: Playwright drives Debian's Chromium against a real ASGI server (daphne),
so the websocket works as in production.

The server runs in a subprocess on a free port with its own migrated SQLite file, a file
outbox (the test reads the verification email from it) and, for cross-process realtime
pushes, a Redis channel layer: $REDIS_URL when set (CI), else a throwaway redis-server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

# Sync Playwright keeps an asyncio loop running in the test thread after a browser test; a
# Django database test that runs later on the same xdist worker would then refuse to touch the
# database ("You cannot call this from an async context"). The browser tests' own database
# work happens in other processes (daphne, manage.py), so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DAPHNE = str(Path(PYTHON).with_name("daphne"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "es-MX", "timezone_id": "America/Mexico_City"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except Exception:  # noqa: BLE001,S110 - still starting
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis for the channel layer shared by daphne and the management commands."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = shutil.which("redis-server")
    if not server:
        yield ""
        return
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory, redis_url):
    """Environment for the server and for `manage.py` calls against the same database."""
    base = tmp_path_factory.mktemp("e2e")
    outbox = base / "mail"
    outbox.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    run_id = uuid.uuid4().hex[:8]
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
            "TESTING": "1",
            "DEBUG": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
            "MEDIA_ROOT": str(base / "media"),
            "PRIVATE_MEDIA_ROOT": str(base / "private"),
            "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "TASKS_IN_THREADS": "1",
            "LOG_LEVEL": "WARNING",
            "LOG_JSON": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "CACHE_KEY_PREFIX": f"e2e{run_id}",
            "CHANNELS_PREFIX": f"e2e{run_id}",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )
    # The food database as `make run` imports it: all of SR28, Spanish names, Mexican recipes.
    subprocess.run(
        [PYTHON, "manage.py", "import_foods"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )
    env["E2E_OUTBOX"] = str(outbox)
    return env


@pytest.fixture(scope="session")
def live_url(e2e_env, tmp_path_factory):
    """Base URL of a daphne server running the project."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("daphne") / "daphne.log").open("w")
    proc = subprocess.Popen(
        [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "--ping-interval", "20", "config.asgi:application"],
        cwd=ROOT,
        env=e2e_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(url + "/api/v1/health", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def manage(e2e_env):
    """Run a management command against the server's database."""

    def _run(*args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=e2e_env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.stdout.strip()

    return _run


@pytest.fixture
def outbox(e2e_env):
    return Path(e2e_env["E2E_OUTBOX"])


@pytest.fixture
def shot():
    """Save a screenshot to screenshots/<name>.png (the folder is git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def _shot(page, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return _shot
