"""The patient's daily loop in a real browser against daphne, in Spanish on a phone: search
"frijoles", log a household portion to la comida with the keyboard, watch the day totals move,
log a serving of a Mexican recipe, and open the progress page with its charts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
DEMO_EMAIL = "paciente@demo.nutrimx.mx"
DEMO_PASSWORD = "Demo#2026mx"


def _kcal(text: str) -> float:
    """"1 234 kcal" / "1,234 kcal" / "0 kcal" -> number."""
    digits = re.sub(r"[^\d.]", "", text.replace(",", "").replace("\u202f", "").replace("\xa0", ""))
    return float(digits or 0)


def _both_sizes(page, shot, name: str) -> None:
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"{name}-phone", full_page=False)
    shot(page, f"{name}-phone-full")
    page.set_viewport_size(DESKTOP)
    shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)


def test_log_frijoles_recipe_serving_and_progress(page, live_url, manage, shot):
    manage("seed_demo")
    page.set_viewport_size(PHONE)
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(DEMO_EMAIL)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    # The day page: five meals and the summary against the targets.
    page.goto(live_url + "/nutricion/")
    expect(page.locator("#meal-comida-title")).to_have_text(re.compile("Comida"))
    before = _kcal(page.locator("#kcal-eaten").inner_text())

    # Search "frijoles" live, choose with the keyboard.
    page.locator("#meal-comida").get_by_role("link", name=re.compile("Agregar")).click()
    search = page.locator("#food-q")
    expect(search).to_be_visible()
    search.fill("frijoles")
    first = page.locator("#food-results [role=option]").first
    expect(first).to_contain_text(re.compile("Frijol", re.I))
    _both_sizes(page, shot, "diary-search")
    search.press("ArrowDown")
    search.press("Enter")
    form = page.locator("#amount-form")
    expect(form).to_be_visible()
    food_name = form.locator(".amount-form__title").inner_text()
    assert "frijol" in food_name.lower()

    # A household portion ("1 taza ..."), 1 of it, to la comida.
    unit = form.locator("select[name=unit]")
    portion_value = unit.locator("option[value^='portion:']").first.get_attribute("value")
    unit.select_option(portion_value)
    form.locator("input[name=quantity]").fill("1")
    expect(page.locator("#preview-kcal")).not_to_have_text("")
    form.locator("select[name=meal]").select_option("comida")
    form.get_by_role("button", name="Registrar").click()

    comida = page.locator("#meal-comida")
    expect(comida).to_contain_text(food_name.split(",")[0])
    page.wait_for_function(
        "([sel, before]) => { const t = document.querySelector(sel).innerText.replace(/[^0-9.]/g, '');"
        " return parseFloat(t || '0') > before; }",
        arg=["#kcal-eaten", before],
    )
    after_beans = _kcal(page.locator("#kcal-eaten").inner_text())
    assert after_beans > before
    _both_sizes(page, shot, "diary-day")

    # A Mexican recipe: search, open, log one serving to la cena.
    page.goto(live_url + "/nutricion/recetas/")
    page.locator("#recipe-search").fill("pozole")
    card = page.locator(".rcard__link").filter(has_text=re.compile("Pozole", re.I)).first
    expect(card).to_be_visible()
    _both_sizes(page, shot, "recipes-list")
    card.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Pozole", re.I))
    _both_sizes(page, shot, "recipe-detail")
    page.locator("#log-servings").fill("1")
    page.locator("#log-meal").select_option("cena")
    page.get_by_role("button", name="Registrar en mi diario").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("registr", re.I)).first).to_be_visible()

    page.goto(live_url + "/nutricion/")
    expect(page.locator("#meal-cena")).to_contain_text(re.compile("Pozole", re.I))
    after_recipe = _kcal(page.locator("#kcal-eaten").inner_text())
    assert after_recipe > after_beans + 200  # a bowl of pozole is several hundred kcal

    # Progress: the charts are drawn from the logged data.
    page.goto(live_url + "/nutricion/progreso/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 3")
    charts = page.evaluate("() => Object.keys(Chart.instances).length")
    assert charts >= 3
    _both_sizes(page, shot, "progress")
