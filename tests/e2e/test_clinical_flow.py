"""The whole clinical loop in two real browsers against daphne, in Spanish: the nutritionist
invites the demo patient, the patient accepts and shares her diary, the nutritionist builds a
two-day plan (SMAE equivalents and a food found by live search) and assigns it from today, the
patient logs a planned item from the home page in one tap, the roster shows the adherence, and
the two exchange messages live over the websocket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PATIENT_EMAIL = "paciente@demo.nutrimx.mx"
NUTRITIONIST_EMAIL = "nutriologa@demo.nutrimx.mx"
PASSWORD = "Demo#2026mx"
TIMEOUT = 10_000

VERIFY_NUTRITIONIST = """
from accounts.models import User
from clinical.models import NutritionistProfile
from clinical.services.practice import nutritionist_profile_save, nutritionist_verify
n = User.objects.get(email="nutriologa@demo.nutrimx.mx")
admin = User.objects.get(email="admin@demo.nutrimx.mx")
profile = NutritionistProfile.objects.filter(user=n).first() or nutritionist_profile_save(actor=n, data={
    "license_number": "87654321", "specializations": ["clinical"], "years_experience": 10,
    "languages": ["es"], "city": "Guadalajara", "state": "JAL",
})
if not profile.is_verified:
    nutritionist_verify(actor=admin, profile_id=profile.pk)
print(profile.pk)
"""


def _number(text: str) -> float:
    """ "1 234 kcal" / "1,234" / "0" -> number."""
    digits = re.sub(r"[^\d.]", "", text.replace(",", "").replace("\u202f", "").replace("\xa0", ""))
    return float(digits or 0)


def _both_sizes(page, shot, name: str) -> None:
    """Phone (viewport and full page) and desktop screenshots, back to the phone."""
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"{name}-phone", full_page=False)
    shot(page, f"{name}-phone-full")
    page.set_viewport_size(DESKTOP)
    shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)


def _sign_in(page, live_url: str, email: str) -> None:
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _day_kcal(page) -> float:
    return _number(page.locator("#day-totals [data-field=energy_kcal] .plan-bar__value").inner_text())


def _wait_kcal_above(page, before: float) -> float:
    page.wait_for_function(
        "before => { const el = document.querySelector('#day-totals [data-field=energy_kcal] .plan-bar__value');"
        " return el && parseFloat(el.innerText.replace(/[^0-9.]/g, '') || '0') > before; }",
        arg=before,
        timeout=TIMEOUT,
    )
    return _day_kcal(page)


def _add_smae(page, meal: str, group: str, count: str) -> None:
    slot = page.locator(f"#slot-{meal}")
    slot.locator("summary").filter(has_text="Agregar").click()
    slot.get_by_label("Grupo SMAE").select_option(label=group)
    slot.get_by_label("Equivalentes").fill(count)
    slot.get_by_role("button", name="Agregar equivalentes").click()


def _ws_ready(page) -> None:
    """The shared client got `connection:ready`: the server has joined this socket to its groups."""
    expect(page.locator("body")).to_have_attribute("data-ws-ready", "1", timeout=TIMEOUT)


def test_invite_plan_log_roster_and_live_messages(browser, page, live_url, manage, shot):
    expect.set_options(timeout=TIMEOUT)
    manage("seed_demo")
    manage("shell", "-c", VERIFY_NUTRITIONIST)

    # ---- 1. The nutritionist invites the demo patient (an existing account).
    nutri = page
    nutri.set_viewport_size(PHONE)
    _sign_in(nutri, live_url, NUTRITIONIST_EMAIL)
    nutri.goto(live_url + "/consulta/pacientes/invitar/")
    expect(nutri.get_by_role("heading", name="Agregar paciente", level=1)).to_be_visible()
    invite = nutri.locator("#invite-form")
    invite.get_by_label("Correo electrónico").fill(PATIENT_EMAIL)
    invite.get_by_role("textbox", name="Mensaje").fill("Hola Lucía, te espero en consulta.")
    invite.get_by_role("button", name="Enviar invitación").click()
    expect(nutri.locator("#invite-form").get_by_role("status")).to_contain_text("Enviamos la invitación")
    expect(nutri.locator("#care-pending")).to_contain_text("Lucía Hernández")
    _both_sizes(nutri, shot, "clinical-invite")

    # ---- 2. The patient, in her own browser, accepts sharing her diary and measurements.
    patient_ctx = browser.new_context(locale="es-MX", timezone_id="America/Mexico_City", viewport=PHONE)
    patient = patient_ctx.new_page()
    try:
        _sign_in(patient, live_url, PATIENT_EMAIL)
        patient.goto(live_url + "/consulta/mi-nutriologo/")
        pending = patient.locator("article").filter(has_text="Sara Gallegos")
        expect(pending).to_contain_text("Te invita a recibir atención nutricional")
        accept = pending.locator("form").filter(has=patient.get_by_role("button", name="Aceptar atención"))
        accept.locator("input[name=consent_diary]").check()
        accept.locator("input[name=consent_measurements]").check()
        _both_sizes(patient, shot, "clinical-my-care-invited")
        accept.get_by_role("button", name="Aceptar atención").click()
        cared = patient.locator("section[aria-labelledby=open-title] article").filter(
            has_text="Sara Gallegos"
        )
        expect(cared).to_be_visible()
        expect(cared.locator("input[name=granted]").first).to_be_checked()
        _both_sizes(patient, shot, "clinical-my-care-active")

        # ---- 3. The nutritionist builds a two-day plan for her and assigns it from today.
        nutri.goto(live_url + "/consulta/planes/")
        nutri.get_by_label("Nombre").fill("Plan de arranque")
        nutri.get_by_label("Número de días").fill("2")
        nutri.locator("#n-patient").select_option(label="Lucía Hernández")
        nutri.get_by_role("button", name="Crear plan").click()
        expect(nutri.get_by_role("heading", name="Plan de arranque", level=1)).to_be_visible()
        expect(nutri.get_by_role("link", name=re.compile(r"Día 2"))).to_be_visible()
        start = _day_kcal(nutri)

        _add_smae(nutri, "desayuno", "Cereales y tubérculos sin grasa", "2")
        expect(nutri.locator("#slot-desayuno")).to_contain_text("Cereales")
        after_cereal = _wait_kcal_above(nutri, start)
        assert after_cereal >= start + 140 - 1  # 2 × 70 kcal

        comida = nutri.locator("#slot-comida")
        comida.locator("summary").filter(has_text="Agregar").click()
        comida.get_by_label("Buscar alimento o receta").fill("frijoles")
        first_food = comida.locator(".plan-pick__food").first
        expect(first_food).to_contain_text(re.compile("frijol", re.I))
        food_name = first_food.locator("legend").inner_text()
        first_food.locator("input[type=radio]").first.check()
        _both_sizes(nutri, shot, "clinical-builder-search")
        comida.get_by_role("button", name="Agregar alimento").click()
        expect(nutri.locator("#slot-comida .plan-item__name").first).to_contain_text(
            re.compile("frijol", re.I)
        )
        after_beans = _wait_kcal_above(nutri, after_cereal)
        assert after_beans > after_cereal
        # The day tab follows the totals too.
        tab_kcal = nutri.locator("#tab-kcal-1")
        expect(tab_kcal).not_to_have_text(re.compile(r"^0 kcal"))
        assert abs(_number(tab_kcal.inner_text()) - after_beans) <= 1
        _both_sizes(nutri, shot, "clinical-builder-day1")

        nutri.get_by_role("link", name=re.compile(r"Día 2")).click()
        expect(nutri.locator("#totals-title")).to_have_text(re.compile(r"Total del día 2"))
        day2_start = _day_kcal(nutri)
        _add_smae(nutri, "desayuno", "Alimentos de origen animal bajos en grasa", "1")
        expect(nutri.locator("#slot-desayuno")).to_contain_text(re.compile("origen animal|AOA", re.I))
        assert _wait_kcal_above(nutri, day2_start) >= day2_start + 55 - 1
        _both_sizes(nutri, shot, "clinical-builder-day2")

        nutri.get_by_label("Paciente", exact=True).select_option(label="Lucía Hernández")
        nutri.get_by_role("button", name="Asignar").click()
        expect(nutri.locator(".page-head .badge").first).to_have_text("Asignado")
        expect(nutri.get_by_role("button", name="Asignar")).to_have_count(0)

        # ---- 4. The patient sees today's plan at home and logs the beans in one tap.
        patient.goto(live_url + "/")
        today = patient.locator("#plan-today")
        expect(today.get_by_role("heading", name="Tu plan de hoy")).to_be_visible()
        _both_sizes(patient, shot, "clinical-home-today")
        beans_row = today.locator("#today-comida .plan-item").filter(has_text=re.compile("frijol", re.I))
        beans_row.get_by_role("button", name="Registrar").click()
        expect(today.locator("#today-comida .plan-item.is-logged")).to_contain_text(
            re.compile("frijol", re.I)
        )
        expect(today.get_by_role("button", name="Deshacer")).to_be_visible()
        _both_sizes(patient, shot, "clinical-home-today-logged")

        patient.goto(live_url + "/nutricion/")
        expect(patient.locator("#meal-comida")).to_contain_text(food_name.split(",")[0])

        # ---- 5. The roster shows her with a plan adherence above zero.
        nutri.goto(live_url + "/consulta/pacientes/")
        card = nutri.locator(".roster-card").filter(has_text="Lucía Hernández")
        expect(card).to_be_visible()
        adherence = card.locator(".js-adh7")
        expect(adherence).to_contain_text(re.compile(r"plan \d+ %"))
        plan_pct = int(re.search(r"plan (\d+) %", adherence.inner_text()).group(1))
        assert plan_pct > 0
        _both_sizes(nutri, shot, "clinical-roster")
        href = card.get_by_role("link", name="Lucía Hernández").get_attribute("href")
        patient_id = int(re.search(r"/pacientes/(\d+)/", href).group(1))

        # ---- 6. A live conversation: each message appears on the other page without reload.
        nutri.goto(f"{live_url}/consulta/pacientes/{patient_id}/mensajes/")
        expect(nutri.get_by_role("heading", name="Lucía Hernández", level=1)).to_be_visible()
        patient.goto(live_url + "/consulta/mensajes/")
        patient.get_by_role("link", name=re.compile("Sara Gallegos")).click()
        expect(patient.get_by_role("heading", name="Sara Gallegos", level=1)).to_be_visible()
        _ws_ready(nutri)
        _ws_ready(patient)

        question = "¿Cómo te fue con el desayuno?"
        nutri.get_by_role("textbox", name="Mensaje").fill(question)
        nutri.get_by_role("button", name="Enviar").click()
        expect(nutri.locator("#chat-list .msg--mine")).to_contain_text(question)
        expect(patient.locator("#chat-list .msg:not(.msg--mine)")).to_contain_text(question)

        answer = "Muy bien, me encantaron los frijoles."
        patient.get_by_role("textbox", name="Mensaje").fill(answer)
        patient.get_by_role("button", name="Enviar").click()
        expect(patient.locator("#chat-list .msg--mine")).to_contain_text(answer)
        expect(nutri.locator("#chat-list .msg:not(.msg--mine)")).to_contain_text(answer)
        expect(nutri.locator("#chat-status")).to_have_text(re.compile("Leído|Enviado"))
        _both_sizes(nutri, shot, "clinical-conversation-nutritionist")
        _both_sizes(patient, shot, "clinical-conversation-patient")
    finally:
        patient_ctx.close()
