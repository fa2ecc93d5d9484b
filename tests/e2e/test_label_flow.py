"""Label scanner in a real browser on a phone: photograph a Mexican nutrition label (drawn
with known values), see the values read back and the NOM-051 seals, correct a value and watch
the seals change, then save the product as a food."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from nutrition.labels.render import LabelSpec, label_jpeg

pytestmark = pytest.mark.e2e

COOKIES = {"energy_kcal": 366.7, "protein_g": 6.7, "fat_g": 10, "saturated_fat_g": 4.3, "trans_fat_g": 0.0,
           "carbs_g": 60, "sugars_g": 26.7, "added_sugars_g": 20, "fiber_g": 3.3, "sodium_mg": 500}


def test_scan_label_see_seals_correct_and_save(page, live_url, manage, shot, tmp_path):
    manage("seed_demo")
    photo = tmp_path / "etiqueta.jpg"
    photo.write_bytes(label_jpeg(LabelSpec(per_100=COOKIES, product_name="Galletas Marías",
                                           ingredients="Ingredientes: harina de trigo, azúcar, aceite vegetal, sal.")))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill("paciente@demo.nutrimx.mx")
    page.get_by_label("Contraseña").fill("Demo#2026mx")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(live_url + "/nutricion/etiquetas/")
    page.get_by_label("Foto de la etiqueta").set_input_files(str(photo))
    page.get_by_role("button", name="Leer etiqueta").click()
    expect(page.locator("#label-source")).to_contain_text("Leído con OCR", timeout=60000)
    seals = page.locator("#computed-seals")
    for seal in ("EXCESO CALORÍAS", "EXCESO AZÚCARES", "EXCESO SODIO"):
        expect(seals.get_by_role("img", name=seal)).to_be_visible()
    expect(page.locator("#row-sodium_mg input")).to_have_value(re.compile(r"^500(\.0+)?$"))
    shot(page, "label-scan-phone")

    # A lower sodium value (as if the photo had been misread) drops that seal live (htmx).
    page.locator("#row-sodium_mg input").fill("120")
    page.locator("#row-sodium_mg input").blur()
    expect(seals.get_by_role("img", name="EXCESO SODIO")).to_have_count(0)
    expect(seals.get_by_role("img", name="EXCESO AZÚCARES")).to_be_visible()

    name = page.get_by_label("Nombre", exact=False).first
    name.fill("Galletas Marías de prueba")
    page.get_by_role("button", name="Guardar como alimento").click()
    expect(page.get_by_text("Galletas Marías de prueba").first).to_be_visible()
