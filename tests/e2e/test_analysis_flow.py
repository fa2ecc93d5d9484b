"""Meal photo in a real browser against daphne with the fake OpenAI-compatible provider: upload
a photo on a phone, watch the steps advance, correct a portion, log the meal in one tap and
find it in the diary."""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DAPHNE, ROOT, _free_port, _wait_http
from tests.nutrition.analysis_support import PLAIN_REPLY, jpeg_bytes

pytestmark = pytest.mark.e2e
DEMO_EMAIL = "paciente@demo.nutrimx.mx"
DEMO_PASSWORD = "Demo#2026mx"


@pytest.fixture(scope="module")
def fake_provider():
    from tests.fakes.openai_server import FakeOpenAI

    server = FakeOpenAI().start()

    def slow_reply(body):
        time.sleep(2.5)  # long enough to see the steps move, well under the timeout
        return {"json": PLAIN_REPLY}

    server.handler = slow_reply
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ai_live_url(e2e_env, fake_provider, tmp_path_factory):
    """A daphne server like ``live_url`` whose AI provider is the fake one."""
    env = {**e2e_env, "AI_BASE_URL": fake_provider.base_url, "AI_API_KEY": "sk-test", "AI_TIMEOUT_SECONDS": "5"}
    port = _free_port()
    log = (tmp_path_factory.mktemp("daphne-ai") / "daphne.log").open("w")
    proc = subprocess.Popen([DAPHNE, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(url + "/api/v1/health", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_photo_to_diary(page, ai_live_url, manage, shot, tmp_path):
    manage("seed_demo")
    photo = tmp_path / "plato.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(ai_live_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(DEMO_EMAIL)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(ai_live_url + "/nutricion/foto/")
    expect(page.locator("body")).to_have_attribute("data-ws-state", "open")
    page.get_by_label("Foto de tu comida").set_input_files(str(photo))
    page.locator("#photo-meal").select_option("comida")
    page.get_by_role("button", name="Analizar foto").click()
    # the upload returns at once; the result page shows the steps advancing while the photo
    # is analysed (a worker in production, a background thread in the embedded default)
    expect(page.get_by_role("heading", name="Analizando tu foto…")).to_be_visible()
    live = page.locator("#analysis-live-status")
    expect(live.locator("[data-step].is-current")).to_have_count(1)
    shot(page, "analysis-progress-phone", full_page=False)

    expect(page.get_by_role("heading", name="Análisis listo")).to_be_visible(timeout=15000)
    expect(page.locator("#food-0")).to_contain_text("Manzana")
    before = page.locator("#food-0 [data-kcal]").inner_text()
    page.locator("#grams-0").fill("90")
    page.locator("#food-0").get_by_role("button", name="Guardar").click()
    expect(page.locator("#food-0 [data-kcal]")).not_to_have_text(before)
    shot(page, "analysis-result-phone")

    page.get_by_role("button", name="Registrar en mi diario").click()
    expect(page.get_by_text(re.compile("Registrado en Comida"))).to_be_visible()
    page.get_by_role("link", name="Ver mi diario").click()
    expect(page.locator("#meal-comida")).to_contain_text("Manzana")
