"""The public site's editorial flow in real browsers against daphne, in Spanish, on the demo
site (`seed_demo` + `seed_demo_content`): the demo editor (group Editores) writes a blog post in
the Wagtail admin and submits it to the "Revisión editorial" workflow; the demo moderator (group
Moderadores) approves and publishes it in the admin; an anonymous visitor finds it with the site
search (/buscar/), opens it, then opens the gated guide, leaves an email with consent and
downloads the PDF."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
TIMEOUT = 15_000
EDITOR = "editor@demo.nutrimx.mx"
MODERATOR = "moderadora@demo.nutrimx.mx"
GATED_PATH = "/recursos/guia-de-porciones-smae/"

IDS = """
import json
from content.models import BlogIndexPage
from django.conf import settings
blog = BlogIndexPage.objects.get(slug="blog", locale__language_code="es-mx")
print(json.dumps({"blog": blog.pk, "password": settings.DEMO_PASSWORD}))
"""

POST_STATE = """
import json
from content.models import BlogPage
p = BlogPage.objects.filter(title=TITLE).first()
state = p.current_workflow_state if p else None
print(json.dumps({"id": p.pk if p else None, "live": bool(p and p.live), "has_unpublished": bool(p and p.has_unpublished_changes),
                  "workflow": state.status if state else None, "url": p.url if p and p.live else None}))
"""


@pytest.fixture
def demo_site(manage):
    import json

    manage("seed_demo", "--quiet")
    manage("seed_demo_content")
    return json.loads(manage("shell", "-c", IDS).splitlines()[-1])


def _sign_in(page, live_url: str, email: str, password: str) -> None:
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"), timeout=TIMEOUT)


def _dismiss_cookies(page) -> None:
    banner = page.locator("#cookie-banner")
    if banner.count() and banner.is_visible():
        banner.get_by_role("button", name="Solo necesarias").click()
        expect(banner).to_be_hidden(timeout=TIMEOUT)


def _footer_action(page, selector: str):
    """A button of the admin's footer action menu, opening the "more actions" dropdown when the
    button sits inside it."""
    button = page.locator(f"footer {selector}, .footer {selector}, form {selector}").first
    if not button.is_visible():
        toggle = page.locator("footer [data-w-dropdown-target='toggle'], .footer [data-w-dropdown-target='toggle']")
        toggle.first.click()
    expect(button).to_be_visible(timeout=TIMEOUT)
    return button


def _expect_message(page, pattern: str) -> None:
    """The admin's flash message; on failure, the form's field errors tell why."""
    messages = page.locator(".messages").first
    try:
        expect(messages).to_contain_text(re.compile(pattern, re.I), timeout=TIMEOUT)
    except AssertionError as exc:
        errors = page.locator(".error-message, .w-field__errors, .help-critical, [id$='-errors']").all_inner_texts()
        raise AssertionError(f"{exc}\nmessages: {messages.inner_text() if messages.count() else ''}\n"
                             f"field errors: {errors}") from None


def _state(manage, title: str) -> dict:
    import json

    return json.loads(manage("shell", "-c", f"TITLE = {title!r}\n" + POST_STATE).splitlines()[-1])


def test_editor_writes_moderator_publishes_visitor_finds_and_downloads(browser, live_url, manage, demo_site):
    stamp = uuid.uuid4().hex[:6]
    keyword = f"xoconostle{stamp}"
    title = f"Ensalada de nopales con {keyword}"
    password = demo_site["password"]

    # --- the editor writes the post and submits it to the workflow ---------------------------
    editor_ctx = browser.new_context(viewport=DESKTOP, locale="es-MX", timezone_id="America/Mexico_City")
    page = editor_ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    _sign_in(page, live_url, EDITOR, password)
    page.goto(live_url + "/cms/")
    expect(page.locator("body")).to_contain_text(re.compile(r"Elena|Panel|Dashboard|NutriMX"))
    # the blog index in the page explorer, then "add child page" (Blog only accepts posts)
    page.goto(f"{live_url}/cms/pages/{demo_site['blog']}/")
    page.locator(f"a[href$='/cms/pages/{demo_site['blog']}/add_subpage/']").first.click()
    expect(page).to_have_url(re.compile(r"/cms/pages/add/content/blogpage/\d+/"))
    page.locator("#id_title").fill(title)
    page.locator("#id_excerpt").fill(f"Una receta fresca y ligera con nopales y {keyword}.")
    # the body: insert a "Texto" block and write in the rich-text editor
    page.locator("[data-streamfield-stream-container] button[title], .c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile(r"^Texto$")).first.click()
    editor = page.locator(".Draftail-Editor [contenteditable='true']").first
    expect(editor).to_be_visible()
    editor.click()
    editor.type(f"Los nopales asados con {keyword}, jitomate y queso panela son una comida rica en fibra "
                "y baja en calorías. Sirve con dos tortillas de maíz.")
    # Draftail writes its hidden input a moment after typing: wait for it before submitting
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("queso panela"))
    _footer_action(page, "button[name='action-submit']").click()
    _expect_message(page, r"enviad|submitted|moderaci|revisi")
    state = _state(manage, title)
    assert state["id"] and not state["live"] and state["workflow"] == "in_progress", state
    editor_ctx.close()

    # --- the moderator approves and publishes it in the admin --------------------------------
    mod_ctx = browser.new_context(viewport=DESKTOP, locale="es-MX", timezone_id="America/Mexico_City")
    page = mod_ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    _sign_in(page, live_url, MODERATOR, password)
    page.goto(live_url + "/cms/")
    # the dashboard lists it among the pages awaiting her review
    expect(page.get_by_text(title).first).to_be_visible()
    page.goto(f"{live_url}/cms/pages/{state['id']}/edit/")
    _footer_action(page, "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").click()
    _expect_message(page, r"aprobad|publicad|actualizad|approved|published|updated")
    state = _state(manage, title)
    assert state["live"], state
    mod_ctx.close()

    # --- an anonymous visitor finds it, reads it and downloads the gated guide ----------------
    visitor = browser.new_context(viewport=DESKTOP, locale="es-MX", timezone_id="America/Mexico_City",
                                  accept_downloads=True)
    page = visitor.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(live_url + "/buscar/")
    _dismiss_cookies(page)
    page.get_by_label("¿Qué buscas?").fill(keyword)
    page.get_by_role("button", name="Buscar", exact=True).click()
    results = page.locator("#search-results")
    link = results.get_by_role("link", name=title)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(re.escape(state["url"]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("queso panela")

    page.goto(live_url + GATED_PATH)
    _dismiss_cookies(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Guía de porciones con el SMAE")
    gate = page.locator("#lead-gate")
    gate.locator("input[name='email']").fill(f"visitante.{stamp}@example.mx")
    gate.locator("#lead_consent").check()
    gate.get_by_role("button", name="Quiero el recurso").click()
    download_link = page.locator("#lead-gate").get_by_role("link", name="Descargar ahora")
    expect(download_link).to_be_visible()
    href = download_link.get_attribute("href")
    assert href and "/descargas/" in href
    # Wagtail serves PDFs inline (the browser may show them rather than download them): fetch
    # the link with the visitor's cookies and check what arrives.
    response = visitor.request.get(href if href.startswith("http") else live_url + href)
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-"
    assert "guia-de-porciones-smae" in response.headers.get("content-disposition", "") or response.url.endswith(".pdf")
    visitor.close()

    leads = manage("shell", "-c", "from content.models import LeadCapture; "
                                  f"print(LeadCapture.objects.filter(email='visitante.{stamp}@example.mx').count())")
    assert leads.splitlines()[-1] == "1"
