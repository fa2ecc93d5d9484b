"""The health social network in two real browsers against daphne, in Spanish: two patients
follow each other (one by clicking "Seguir" on the other's profile), Ana posts her progress
with a photo from the feed, Beto (with the feed already open) sees the "new posts" pill appear
live, loads it, cheers her with 💪 and comments on the post page, and Ana, whose page is open,
gets the notification live over the websocket."""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "Nopal#2026mx"
TIMEOUT = 10_000
LIVE_TIMEOUT = 15_000
SHOTS = Path(os.environ.get("SOCIAL_SHOTS_DIR") or Path(tempfile.gettempdir()) / "social-shots")

# Two patients, created like `seed_demo` creates the demo accounts (verified email, onboarded),
# and Ana follows Beto through the service; Beto will follow Ana in the browser.
CREATE_PEOPLE = """
import json
from allauth.account.models import EmailAddress
from accounts.models import User, UserType
from accounts.services import user_onboard
from social.services.people import follow
people = {}
for key, first, last in (("a", "Ana", "Torres"), ("b", "Beto", "Ramírez")):
    email = f"{first.lower()}.{STAMP}@example.mx"
    user = User.objects.create_user(email=email, password=PASSWORD, first_name=first, last_name=last,
                                    user_type=UserType.PATIENT)
    user_onboard(user=user, accept_marketing=False)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    people[key] = {"email": email, "username": user.username}
ana = User.objects.get(email=people["a"]["email"])
follow(actor=ana, username=people["b"]["username"])
print(json.dumps(people))
"""


def _both_sizes(page, name: str) -> None:
    """Phone (viewport and full page) and desktop screenshots to SHOTS, back to the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), animations="disabled")
    page.screenshot(path=str(SHOTS / f"{name}-phone-full.png"), full_page=True, animations="disabled")
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True, animations="disabled")
    page.set_viewport_size(PHONE)


def _sign_in(page, live_url: str, email: str) -> None:
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _ws_ready(page) -> None:
    """The shared client got `connection:ready`: the server has joined this socket to its groups."""
    expect(page.locator("body")).to_have_attribute("data-ws-ready", "1", timeout=LIVE_TIMEOUT)


def _photo(tmp_path: Path) -> Path:
    """A small 'after' photo: a green gradient with a plate, as a PNG."""
    img = Image.new("RGB", (640, 480))
    draw = ImageDraw.Draw(img)
    for y in range(480):
        draw.line([(0, y), (640, y)], fill=(40, 120 + y // 6, 80))
    draw.ellipse([220, 140, 420, 340], fill=(245, 240, 225), outline=(200, 90, 40), width=8)
    path = tmp_path / "progreso.png"
    img.save(path, format="PNG")
    return path


def _images_loaded(card) -> None:
    """Every photo in the card is shown (downloaded and decoded, not a broken image)."""
    imgs = card.locator(".post__images img")
    expect(imgs.first).to_be_visible()
    imgs.first.scroll_into_view_if_needed()
    card.page.wait_for_function(
        "el => [...el.querySelectorAll('.post__images img')].every(i => i.complete && i.naturalWidth > 0)",
        arg=card.element_handle(),
        timeout=TIMEOUT,
    )


def test_follow_post_progress_live_pill_react_comment_notify(browser, page, live_url, manage, tmp_path):
    expect.set_options(timeout=TIMEOUT)
    stamp = int(time.time() * 1000)
    script = f"STAMP = {stamp!r}\nPASSWORD = {PASSWORD!r}\n" + CREATE_PEOPLE
    people = json.loads(manage("shell", "-c", script).splitlines()[-1])
    ana_name, beto_name = people["a"]["username"], people["b"]["username"]
    body = "Un mes de cambios #progreso"

    ana = page
    ana.set_viewport_size(PHONE)
    _sign_in(ana, live_url, people["a"]["email"])
    beto_ctx = browser.new_context(locale="es-MX", timezone_id="America/Mexico_City", viewport=PHONE)
    beto = beto_ctx.new_page()
    try:
        _sign_in(beto, live_url, people["b"]["email"])

        # ---- 1. Beto follows Ana from her profile (htmx swaps the button in place).
        beto.goto(f"{live_url}/comunidad/personas/{ana_name}/")
        expect(beto.get_by_role("heading", name="Ana Torres", level=1)).to_be_visible()
        expect(beto.locator(".profile-card")).to_contain_text("Te sigue")
        follow_box = beto.locator("#follow-area")
        follow_box.get_by_role("button", name="Seguir", exact=True).click()
        following = beto.locator("#follow-area").get_by_role("button", name="Siguiendo")
        expect(following).to_be_visible()
        expect(following).to_have_attribute("aria-pressed", "true")
        # the counts swap with the button: no reload needed
        expect(beto.locator(".profile-stats")).to_contain_text(re.compile(r"1\s+seguidor\b"))
        _both_sizes(beto, "profile-followed")
        beto.reload()
        expect(beto.locator("#follow-area").get_by_role("button", name="Siguiendo")).to_be_visible()

        # ---- 2. Beto opens his feed and keeps it open; a marker tells a reload from a live update.
        beto.goto(live_url + "/comunidad/")
        expect(beto.get_by_role("heading", name="Comunidad", level=1)).to_be_visible()
        _ws_ready(beto)
        beto.evaluate("window.__sameDocument = true")
        pill = beto.locator("button[data-new-posts]")
        expect(pill).to_be_hidden()
        expect(beto.locator("article.post").filter(has_text=body)).to_have_count(0)

        # ---- 3. Ana posts her progress with a photo from the feed.
        ana.goto(live_url + "/comunidad/")
        composer = ana.locator("form[data-composer]")
        expect(composer).to_be_visible()
        _ws_ready(ana)
        progress_fields = composer.locator("[data-composer-for=progress]")
        expect(progress_fields).to_be_hidden()  # only the chosen type's fields show
        composer.get_by_role("radio", name="Progreso").check()
        expect(progress_fields).to_be_visible()
        composer.locator("input[name=weight_before_kg]").fill("82.5")
        composer.locator("input[name=weight_after_kg]").fill("78.0")
        composer.locator("input[name=time_period_days]").fill("30")
        composer.locator("input[name=images]").set_input_files(str(_photo(tmp_path)))
        expect(composer.locator("[data-composer-filecount]")).to_contain_text("1")
        composer.locator("textarea[name=body]").fill(body)
        composer.locator("select[name=visibility]").select_option("public")
        _both_sizes(ana, "feed-composer-progress")
        composer.get_by_role("button", name="Publicar").click()

        mine = ana.locator("article.post").filter(has_text=body)
        expect(mine).to_have_count(1)
        expect(mine.locator(".post__progress")).to_contain_text("Bajé")
        expect(mine.locator(".post__progress")).to_contain_text("4.5 kg")
        expect(mine.locator(".post__progress")).to_contain_text("30 días")
        expect(mine.locator(".post__body a", has_text="#progreso")).to_be_visible()
        _images_loaded(mine)
        post_id = int(mine.get_attribute("data-post-id"))
        _both_sizes(ana, "feed-after-post")

        # ---- 4. Beto sees the pill appear without a reload, loads the new posts, finds Ana's.
        expect(pill).to_be_visible(timeout=LIVE_TIMEOUT)
        expect(pill).to_contain_text("Hay publicaciones nuevas")
        assert beto.evaluate("window.__sameDocument === true"), "the feed reloaded instead of updating live"
        _both_sizes(beto, "feed-new-posts-pill")
        pill.click()
        card = beto.locator(f"article.post#post-{post_id}")
        expect(card).to_be_visible()
        expect(card).to_contain_text(body)
        expect(card.locator(".post__progress")).to_contain_text("4.5 kg")
        _images_loaded(card)
        expect(pill).to_be_hidden()
        expect(beto.locator("form[data-composer]")).to_be_visible()  # only the list was swapped
        assert beto.evaluate("window.__sameDocument === true"), "the pill reloaded the whole page"

        # ---- 5. Beto cheers her with 💪: the button is pressed and the count shows.
        strong = card.locator("button.reaction[value=strong]")
        strong.click()
        strong = beto.locator(f"#post-{post_id}-actions button.reaction[value=strong]")
        expect(strong).to_have_attribute("aria-pressed", "true")
        expect(strong).to_have_class(re.compile(r"\bis-on\b"))
        expect(beto.locator(f"#post-{post_id}-actions .post__counts")).to_contain_text("💪 1")
        _both_sizes(beto, "feed-after-reaction")

        # ---- 6. Ana keeps a page open; Beto comments on the post page; Ana is told live.
        ana.goto(live_url + "/comunidad/")
        _ws_ready(ana)
        ana.evaluate("window.__sameDocument = true")
        unread_before = int(ana.locator("body").get_attribute("data-unread") or 0)
        beto.locator(f"#post-{post_id}-actions").get_by_role("link", name="Comentar", exact=True).click()
        expect(beto).to_have_url(re.compile(rf"/comunidad/p/{post_id}/"))
        expect(beto.locator(f"#post-{post_id}")).to_contain_text(body)
        _ws_ready(beto)
        form = beto.locator("#thread form#comentar")
        form.get_by_role("textbox", name="Escribe un comentario").fill("¡Felicidades!")
        form.get_by_role("button", name="Comentar").click()
        expect(beto.locator("#thread .thread")).to_contain_text("¡Felicidades!")
        expect(beto.locator("#comentar textarea[name=content]")).to_have_value("")
        expect(beto.locator(f"#post-{post_id}-actions .post__counts")).to_contain_text(
            re.compile(r"1\s+comentario")
        )
        _both_sizes(beto, "post-detail-commented")

        toast = ana.locator("#toasts [data-toast]").filter(has_text="comentó tu publicación")
        expect(toast).to_be_visible(timeout=LIVE_TIMEOUT)
        expect(toast).to_contain_text("Beto")
        badge = ana.locator("#notif-badge")
        expect(badge).to_be_visible()
        ana.wait_for_function(
            "before => parseInt(document.querySelector('#notif-badge [data-unread-count]').textContent, 10) > before",
            arg=unread_before,
            timeout=TIMEOUT,
        )
        assert ana.evaluate("window.__sameDocument === true"), "the notification came with a reload"
        _both_sizes(ana, "feed-comment-toast")

        # ---- 7. Ana's own post page shows the thread; her profile lists the post.
        ana.goto(f"{live_url}/comunidad/p/{post_id}/")
        expect(ana.locator("#thread")).to_contain_text("¡Felicidades!")
        _both_sizes(ana, "post-detail-author")
        ana.goto(f"{live_url}/comunidad/personas/{beto_name}/")
        expect(ana.get_by_role("heading", name="Beto Ramírez", level=1)).to_be_visible()
        expect(ana.locator("#follow-area").get_by_role("button", name="Siguiendo")).to_be_visible()
        ana.goto(f"{live_url}/comunidad/personas/{ana_name}/")
        expect(ana.locator(f"article.post#post-{post_id}")).to_be_visible()
        _both_sizes(ana, "profile-own")
    finally:
        beto_ctx.close()
