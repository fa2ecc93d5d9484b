"""Sign-up to live notifications, in a real browser against daphne (Spanish first)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "Frijol#2026mx"


def _confirmation_link(outbox: Path, email: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    pattern = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/")
    while time.monotonic() < deadline:
        for path in sorted(outbox.glob("*.log")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if email in text:
                found = pattern.findall(text)
                if found:
                    return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no confirmation email for {email} in {outbox}")


def _both_sizes(page, shot, name: str) -> None:
    """What a phone shows (plus the whole page) and the whole page on a desktop."""
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"{name}-phone", full_page=False)
    shot(page, f"{name}-phone-full")
    page.set_viewport_size(DESKTOP)
    shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)


def test_signup_verify_profile_and_live_notifications(page, live_url, outbox, manage, shot, redis_url):
    page.set_viewport_size(PHONE)
    email = f"ana.{int(time.time() * 1000)}@example.mx"

    # Landing, in Spanish, with the sign-up call to action.
    page.goto(live_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es-mx")
    # the editors' home page once the demo site is built (another browser test may have built
    # it on this server), the built-in welcome page before
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Come mejor|Come rico"))
    _both_sizes(page, shot, "landing")
    page.goto(live_url + "/accounts/login/")
    expect(page.get_by_role("heading", name="Hola de nuevo")).to_be_visible()
    _both_sizes(page, shot, "login")
    page.goto(live_url + "/")
    page.get_by_role("link", name="Crear cuenta gratis").first.click()

    # Sign up.
    expect(page.get_by_role("heading", name="Crea tu cuenta")).to_be_visible()
    _both_sizes(page, shot, "signup")
    page.get_by_label("Nombre", exact=True).fill("Ana")
    page.get_by_label("Apellidos").fill("López Hernández")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_role("radio", name=re.compile("Soy paciente")).check()
    page.locator("#id_accept_privacy").check()
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Crear mi cuenta").click()
    expect(page.get_by_role("heading", name="Revisa tu correo")).to_be_visible()

    # Verify the address from the email, which logs the person in.
    page.goto(_confirmation_link(outbox, email))
    page.get_by_role("button", name="Confirmar mi correo").click()
    if "/accounts/login/" in page.url:
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(re.compile(r"/inicio/$"))
    expect(page.get_by_role("heading", name="¡Hola, Ana!")).to_be_visible()
    _both_sizes(page, shot, "home")

    # Profile: an invalid height shows its error inline, without a page load.
    page.goto(live_url + "/cuenta/perfil/")
    page.evaluate("window.__samePage = true")
    height = page.locator("#id_height_cm")
    height.fill("20")
    height.press("Tab")
    error = page.locator("#field-height_cm .field__error")
    expect(error).to_contain_text("50")
    expect(page.locator("#field-height_cm")).to_have_class(re.compile("field--invalid"))
    page.locator("#id_height_cm").fill("168")
    page.locator("#id_height_cm").press("Tab")
    expect(page.locator("#field-height_cm .field__error")).to_have_count(0)
    page.locator("#id_weight_kg").fill("64.5")
    page.locator("#id_state").select_option("JAL")
    page.locator("#id_city").fill("Guadalajara")
    page.get_by_role("button", name="Guardar cambios").click()
    expect(page.locator("#toasts")).to_contain_text("Tu perfil se guardó")
    expect(page.locator("#profile-summary")).to_contain_text("22.9")
    assert page.evaluate("window.__samePage === true"), "the profile page reloaded"
    _both_sizes(page, shot, "profile")

    if not redis_url:
        pytest.skip("no Redis (redis-server) to carry pushes from another process")

    # Notifications inbox: a notification sent from another process shows up live.
    page.goto(live_url + "/cuenta/notificaciones/")
    expect(page.get_by_text("No tienes notificaciones")).to_be_visible()
    page.wait_for_function("document.body.dataset.wsReady === '1'")
    page.evaluate("window.__samePage = true")
    badge = page.locator("#notif-badge")
    expect(badge).to_be_hidden()
    manage("notify_user", email, "Tu nutrióloga te envió tu plan", "--body", "Revísalo cuando puedas.")
    expect(badge).to_have_text(re.compile(r"^\s*1\b"))
    expect(badge).to_be_visible()
    expect(page.locator("#notif-list")).to_contain_text("Tu nutrióloga te envió tu plan")
    expect(page.locator("#toasts")).to_contain_text("Tu nutrióloga te envió tu plan")
    assert page.evaluate("window.__samePage === true")
    _both_sizes(page, shot, "notifications")

    # Mark it read with htmx: the row and the badge update in place.
    page.locator("#notif-list .notif--unread").first.get_by_role("button").click()
    expect(page.locator("#notif-list .notif--unread")).to_have_count(0)
    expect(badge).to_be_hidden()

    # On the home page the badge counts a second notification live too.
    page.goto(live_url + "/inicio/")
    page.wait_for_function("document.body.dataset.wsReady === '1'")
    manage("notify_user", email, "Nuevo reto: 7 días con agua natural")
    expect(page.locator("#notif-badge")).to_have_text(re.compile(r"^\s*1\b"))

    # Security hub.
    page.goto(live_url + "/cuenta/seguridad/")
    expect(page.get_by_role("heading", name="Seguridad y privacidad", level=1)).to_be_visible()
    expect(page.get_by_text("Tus sesiones abiertas").first).to_be_visible()
    _both_sizes(page, shot, "security")

    # Switch to English: the choice is saved on the account.
    page.locator("details[data-menu] summary").click()
    page.locator("details[data-menu] .lang-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Security and privacy", level=1)).to_be_visible()
    page.goto(live_url + "/inicio/")
    expect(page.get_by_role("heading", name="Hi, Ana!")).to_be_visible()
    _both_sizes(page, shot, "home-en")
