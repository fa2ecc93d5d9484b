"""Photo analysis pages: the form (or the plain notice without a provider), the result with
editable portions and alternatives (htmx partials), logging in one tap, history, 404s."""

from __future__ import annotations

import re

import pytest

from nutrition.models import DiaryEntry, FoodAnalysis
from tests.nutrition.analysis_support import PLAIN_REPLY, jpeg_bytes, upload

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def analysed(signed_in, foods, fake_ai, webhooks, django_capture_on_commit_callbacks):
    fake_ai.reply_json(PLAIN_REPLY)
    with django_capture_on_commit_callbacks(execute=True):
        resp = signed_in.post("/nutricion/foto/", {"image": upload(jpeg_bytes()), "meal": "comida"})
    assert resp.status_code == 302, resp.content[:500]
    return FoodAnalysis.objects.get()


def test_form_page_with_camera_input_and_history(signed_in, fake_ai):
    html = signed_in.get("/nutricion/foto/").content.decode()
    assert 'capture="environment"' in html and 'accept="image/jpeg,image/png,image/webp,image/*"' in html
    assert "Analizar foto" in html and "Aún no analizas fotos." in html


def test_without_provider_the_page_says_so_and_offers_search(signed_in):
    html = signed_in.get("/nutricion/foto/").content.decode()
    assert "El análisis de fotos necesita el proveedor de IA, que no está configurado en este servidor" in html
    assert "Buscar alimentos" in html and 'type="file"' not in html


def test_upload_redirects_to_the_result_with_foods_and_totals(signed_in, analysed):
    resp = signed_in.get(f"/nutricion/foto/{analysed.pk}/")
    html = resp.content.decode()
    assert "Análisis listo" in html and "Lo que encontramos" in html
    assert "Manzana" in html and "Registrar en mi diario" in html
    kcal = f"{round(analysed.totals['energy_kcal'])}"
    assert kcal in html.replace(",", "")
    assert f"/nutricion/foto/{analysed.pk}/imagen/" in html
    image = signed_in.get(f"/nutricion/foto/{analysed.pk}/imagen/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    history = signed_in.get("/nutricion/foto/").content.decode()
    assert f"/nutricion/foto/{analysed.pk}/" in history and "Listo" in history


def test_bad_file_shows_the_error_on_the_form(signed_in, fake_ai):
    resp = signed_in.post("/nutricion/foto/", {"image": upload(b"no soy foto", "a.txt", "text/plain"), "meal": "cena"})
    assert resp.status_code == 422
    assert "Formato no admitido" in resp.content.decode()
    assert not FoodAnalysis.objects.exists()


def test_htmx_portion_edit_returns_the_result_partial(signed_in, analysed):
    apple = analysed.items[0]
    resp = signed_in.post(f"/nutricion/foto/{analysed.pk}/alimento/0/", {"portion_grams": "90"}, **HTMX)
    html = resp.content.decode()
    assert resp.status_code == 200 and html.lstrip().startswith('<div id="analysis-result"')
    assert "<html" not in html
    analysed.refresh_from_db()
    assert analysed.items[0]["portion_grams"] == 90
    assert analysed.items[0]["nutrition"]["energy_kcal"] == pytest.approx(apple["nutrition"]["energy_kcal"] / 2, abs=0.01)
    bad = signed_in.post(f"/nutricion/foto/{analysed.pk}/alimento/0/", {"portion_grams": "cero"}, **HTMX)
    assert bad.status_code == 422 and "Escribe los gramos con números." in bad.content.decode()


def test_log_in_one_tap_then_link_to_the_diary(signed_in, user, analysed):
    resp = signed_in.post(f"/nutricion/foto/{analysed.pk}/registrar/", {"meal": "comida"}, **HTMX)
    html = resp.content.decode()
    assert "Registrado en Comida" in html and "Ver mi diario" in html
    assert re.search(r'href="/nutricion/dia/\d{4}-\d\d-\d\d/"', html)
    signed_in.post(f"/nutricion/foto/{analysed.pk}/registrar/", {"meal": "comida"}, **HTMX)
    assert DiaryEntry.objects.filter(user=user).count() == 2
    # without htmx: redirect back with a message
    plain = signed_in.post(f"/nutricion/foto/{analysed.pk}/registrar/", {"meal": "comida"})
    assert plain.status_code == 302


def test_processing_page_and_status_polling(signed_in, user):
    analysis = FoodAnalysis.objects.create(user=user, progress=30, current_step="detecting")
    html = signed_in.get(f"/nutricion/foto/{analysis.pk}/").content.decode()
    assert "Analizando tu foto" in html and 'aria-live="polite"' in html
    assert 'aria-current="step"' in html and "Identificando alimentos" in html
    part = signed_in.get(f"/nutricion/foto/{analysis.pk}/?region=status", **HTMX)
    assert part.content.decode().lstrip().startswith('<section class="card" id="analysis-status"')
    assert "HX-Refresh" not in part
    FoodAnalysis.objects.filter(pk=analysis.pk).update(status="failed", error_code="ANALYSIS_TIMEOUT",
                                                       error_message="El análisis tardó demasiado tiempo.")
    done = signed_in.get(f"/nutricion/foto/{analysis.pk}/?region=status", **HTMX)
    assert done["HX-Refresh"] == "true" and "El análisis tardó demasiado tiempo." in done.content.decode()


def test_another_users_analysis_pages_are_404(client, other_user, analysed):
    client.force_login(other_user)
    for url in (f"/nutricion/foto/{analysed.pk}/", f"/nutricion/foto/{analysed.pk}/imagen/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/nutricion/foto/{analysed.pk}/registrar/", {"meal": "comida"}).status_code == 404
    assert client.post(f"/nutricion/foto/{analysed.pk}/alimento/0/", {"portion_grams": "5"}).status_code == 404
    assert client.get("/nutricion/foto/xyz/").status_code == 404


def test_signed_photo_link_works_without_a_session_and_only_while_valid(analysed):
    from django.test import Client

    from nutrition.selectors.analysis import analysis_image_url

    url = analysis_image_url(analysed)
    anonymous = Client()
    photo = anonymous.get(url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:3] == b"\xff\xd8\xff"
    assert anonymous.get(url[:-3] + "xyz").status_code == 404  # tampered
    assert anonymous.get(url.split("?")[0]).status_code == 404  # no link, no session
