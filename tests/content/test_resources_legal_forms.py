"""Resources (access levels, lead-magnet gate, signed counting downloads), snippet blocks
(testimonials, FAQ, videos), site settings and menus on every page, legal pages (publish →
LegalDocument → re-consent), the cookie banner and editor-built forms with spam protection."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from content import resources
from content.models import LeadCapture, ResourcePage

pytestmark = pytest.mark.django_db

DOWNLOAD_RE = re.compile(r'href="(/descargas/[^"/]+/)"')


def _download_links(html: str) -> list[str]:
    return DOWNLOAD_RE.findall(html)


# ---------------------------------------------------------------------------------------
# access rule


def test_access_levels_per_kind_of_person(resource_tree, user, rl_in_care, rl_nutritionist, make_user):
    from django.contrib.auth.models import AnonymousUser

    staff = make_user(is_staff=True)
    t = resource_tree
    cases = {
        "anonymous": (AnonymousUser(), {"free": True, "registered": False, "program": False, "premium": False}),
        "signed-in": (user, {"free": True, "registered": True, "program": False, "premium": False}),
        "in care": (rl_in_care, {"free": True, "registered": True, "program": True, "premium": False}),
        "nutritionist": (rl_nutritionist, {"free": True, "registered": True, "program": True, "premium": True}),
        "staff": (staff, {"free": True, "registered": True, "program": True, "premium": True}),
    }
    for who, (person, expected) in cases.items():
        for level, allowed in expected.items():
            got, reason = resources.resource_access(person, t[level])
            assert got is allowed, (who, level)
            assert (reason == "ok") is allowed
    assert resources.resource_access(AnonymousUser(), t["registered"])[1] == "sign_in"
    assert resources.resource_access(user, t["program"])[1] == "program_required"
    assert resources.resource_access(rl_in_care, t["premium"])[1] == "premium_required"


def test_resource_page_explains_how_to_get_access(client, resource_tree, user, rl_in_care):
    page = client.get(resource_tree["registered"].url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Crear cuenta gratis" in html and reverse("account_login") in html
    assert not _download_links(html)
    client.force_login(user)
    html = client.get(resource_tree["registered"].url).content.decode()
    assert len(_download_links(html)) == 1
    html = client.get(resource_tree["program"].url).content.decode()
    assert "Buscar nutriólogo(a)" in html and not _download_links(html)
    client.force_login(rl_in_care)
    assert _download_links(client.get(resource_tree["program"].url).content.decode())


def test_index_lists_with_filters_and_counts(client, resource_tree):
    ResourcePage.objects.filter(pk=resource_tree["free"].pk).update(download_count=7)
    html = client.get(resource_tree["index"].url).content.decode()
    for key in ("free", "gated", "registered", "program", "premium", "external"):
        assert resource_tree[key].title in html
    assert "7 descargas" in html
    html = client.get(resource_tree["index"].url, {"tipo": "tracker"}).content.decode()
    assert "Recurso registro-semanal" in html and "Recurso guia-libre" not in html
    html = client.get(resource_tree["index"].url, {"acceso": "premium"}).content.decode()
    assert "Recurso manual-premium" in html and "Recurso menu-programa" not in html
    html = client.get(resource_tree["index"].url, {"tipo": "nada"}).content.decode()
    assert "Recurso guia-libre" in html  # an unknown filter is ignored


# ---------------------------------------------------------------------------------------
# downloads


def test_free_download_counts_and_serves_the_file(client, resource_tree):
    free = resource_tree["free"]
    [link] = _download_links(client.get(free.url).content.decode())
    resp = client.get(link)
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content).startswith(b"%PDF")
    free.refresh_from_db()
    assert free.download_count == 1


def test_external_resource_redirects_and_counts(client, resource_tree):
    ext = resource_tree["external"]
    [link] = _download_links(client.get(ext.url).content.decode())
    resp = client.get(link)
    assert resp.status_code == 302 and resp["Location"] == "https://calc.example.mx/imc"
    ext.refresh_from_db()
    assert ext.download_count == 1


def test_tampered_expired_and_replayed_links_answer_friendly_pages(client, resource_tree, monkeypatch):
    free = resource_tree["free"]
    token = resources.download_token(free)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    resp = client.get(reverse("content:resource_download", args=[tampered]))
    assert resp.status_code == 403 and "no es válido" in resp.content.decode()
    other = signing.TimestampSigner(salt="otra-cosa").sign(f"{free.pk}.0.x")
    assert client.get(reverse("content:resource_download", args=[other])).status_code == 403

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - resources.DOWNLOAD_MAX_AGE - 60)
    old = resources.download_token(free)
    monkeypatch.setattr(time, "time", real_time)
    resp = client.get(reverse("content:resource_download", args=[old]))
    assert resp.status_code == 410 and "caducó" in resp.content.decode()

    url = reverse("content:resource_download", args=[resources.download_token(free)])
    for _ in range(resources.DOWNLOAD_MAX_USES):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 410  # replayed once too often
    free.refresh_from_db()
    assert free.download_count == resources.DOWNLOAD_MAX_USES


def test_signed_link_to_a_registered_resource_still_checks_the_person(client, resource_tree, user):
    url = reverse("content:resource_download", args=[resources.download_token(resource_tree["registered"])])
    resp = client.get(url)
    assert resp.status_code == 403 and "Crea tu cuenta" in resp.content.decode()
    client.force_login(user)
    delivered = client.get(url)
    assert delivered.status_code == 200 and "attachment" in delivered["Content-Disposition"]
    assert b"".join(delivered.streaming_content)  # the file itself, not a page


def test_gated_resource_needs_email_and_consent(client, resource_tree, django_capture_on_commit_callbacks):
    gated = resource_tree["gated"]
    html = client.get(gated.url).content.decode()
    assert not _download_links(html)  # no link before the email
    assert 'name="email"' in html and 'name="consent"' in html and reverse("accounts:privacy") in html
    # the link of a gated resource without a lead is refused
    assert client.get(reverse("content:resource_download", args=[resources.download_token(gated)])).status_code == 403

    lead_url = reverse("content:resource_lead", args=[gated.pk])
    resp = client.post(lead_url, {"email": "ana@example.mx", "name": "Ana"})
    assert resp.status_code == 422 and "consentimiento" in resp.content.decode()
    resp = client.post(lead_url, {"email": "no-es-correo", "consent": "on"})
    assert resp.status_code == 422 and "correo válido" in resp.content.decode()
    assert not LeadCapture.objects.exists() and not _download_links(resp.content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(lead_url, {"email": "Ana@Example.mx", "name": "Ana", "consent": "on", "marketing": "on"},
                           REMOTE_ADDR="203.0.113.9")
    assert resp.status_code == 200
    [link] = _download_links(resp.content.decode())
    lead = LeadCapture.objects.get()
    assert lead.email == "ana@example.mx" and lead.name == "Ana" and lead.marketing_opt_in
    assert lead.ip_address == "203.0.113.9" and lead.user is None
    assert "Aviso de Privacidad" in lead.consent_text and reverse("accounts:privacy") in lead.consent_text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.mx"]
    assert link in mail.outbox[0].body

    resp = client.get(link)
    assert resp.status_code == 200
    gated.refresh_from_db()
    assert gated.download_count == 1


def test_signed_in_lead_keeps_the_user_and_htmx_gets_the_partial(client, resource_tree, user):
    client.force_login(user)
    resp = client.post(reverse("content:resource_lead", args=[resource_tree["gated"].pk]),
                       {"email": user.email, "consent": "on"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 200 and 'id="lead-gate"' in html and "<html" not in html
    assert LeadCapture.objects.get().user == user


def test_lead_submissions_are_rate_limited_per_ip(client, resource_tree):
    url = reverse("content:resource_lead", args=[resource_tree["gated"].pk])
    limit = int(resources.LEAD_RATE.split("/")[0])
    for i in range(limit):
        assert client.post(url, {"email": f"p{i}@example.mx", "consent": "on"}, REMOTE_ADDR="198.51.100.1").status_code == 200
    resp = client.post(url, {"email": "otro@example.mx", "consent": "on"}, REMOTE_ADDR="198.51.100.1")
    assert resp.status_code == 429 and "demasiadas solicitudes" in resp.content.decode()
    assert LeadCapture.objects.count() == limit
    assert client.post(url, {"email": "x@example.mx", "consent": "on"}, REMOTE_ADDR="198.51.100.2").status_code == 200


# ---------------------------------------------------------------------------------------
# snippet blocks


def _home_with(resource_tree, body):
    home = resource_tree["home"]
    home.body = body
    home.save_revision().publish()
    return home


def test_testimonials_faq_and_videos_blocks_render(client, resource_tree):
    from content.models import FAQ, Testimonial, Video

    Testimonial.objects.create(name="Lucía", place="Puebla", quote="Bajé 8 kg sin dejar las tortillas.", rating=5, order=2)
    Testimonial.objects.create(name="Marco", place="Mérida", quote="Mi glucosa mejoró.", rating=4, order=1)
    Testimonial.objects.create(name="Oculto", quote="No destacado", featured=False)
    FAQ.objects.create(question="¿Cuánto cuesta la consulta?", answer="<p>Desde $500 MXN.</p>", category="consultations")
    FAQ.objects.create(question="¿La app es gratis?", answer="<p>Sí.</p>", category="app")
    video = Video.objects.create(title="Plato del bien comer", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                 transcript="Hola, hoy hablamos del plato.")
    home = _home_with(resource_tree, [
        {"type": "testimonials", "value": {"heading": "Lo que dicen", "testimonials": []}},
        {"type": "faq", "value": {"heading": "Preguntas", "category": "consultations", "questions": []}},
        {"type": "videos", "value": {"heading": "Videos", "videos": [video.pk]}},
    ])
    resp = client.get(home.url)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert html.index("Marco") < html.index("Lucía") and "Oculto" not in html  # featured, in order
    assert "Calificación: 5 de 5" in html and "Calificación: 4 de 5" in html and "Puebla" in html
    assert "<details>" in html and "¿Cuánto cuesta la consulta?" in html and "¿La app es gratis?" not in html
    [raw] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html.split("Preguntas", 1)[1], re.S)[:1]
    data = json.loads(raw)
    assert data["@type"] == "FAQPage" and data["mainEntity"][0]["acceptedAnswer"]["text"] == "Desde $500 MXN."
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html and "youtube.com/watch" not in html
    assert "Leer la transcripción" in html and "hoy hablamos del plato" in html


def test_video_index_lists_published_videos_by_category(client, resource_tree):
    from content.models import Video, VideoIndexPage

    Video.objects.create(title="Cena ligera", url="https://vimeo.com/123456789", category="nutrition")
    Video.objects.create(title="Cómo usar la app", url="https://youtu.be/dQw4w9WgXcQ", category="app")
    Video.objects.create(title="Borrador", url="https://youtu.be/dQw4w9WgXcQ", published=False)
    page = resource_tree["home"].add_child(instance=VideoIndexPage(title="Videos", slug="videos"))
    html = client.get(page.url).content.decode()
    assert "Cena ligera" in html and "Cómo usar la app" in html and "Borrador" not in html
    assert "https://player.vimeo.com/video/123456789" in html
    assert html.index("La aplicación") < html.index("Nutrición</h2>")


# ---------------------------------------------------------------------------------------
# settings and menus on every page


def _set_chrome(site):
    from content.models import Navigation, SiteSettings

    s = SiteSettings.for_site(site)
    s.site_name, s.tagline = "NutriMX Demo", "Come rico, vive mejor"
    s.contact_email, s.phone, s.whatsapp = "hola@nutrimx.mx", "55 1234 5678", "55 8765 4321"
    s.instagram = "https://instagram.com/nutrimx"
    s.save()
    nav = Navigation.for_site(site)
    nav.main_menu = [{"type": "item", "value": {"label": "Recursos", "url": "/recursos/", "children": [
        {"label": "Guías", "url": "/recursos/?tipo=guide"}]}},
        {"type": "item", "value": {"label": "Blog", "url": "/blog/", "children": []}}]
    nav.footer_menu = [{"type": "link", "value": {"label": "Contacto", "url": "/contacto/"}}]
    nav.save()


def test_settings_and_menus_on_a_non_cms_page_and_a_cms_page(client, resource_tree, user):
    client.get(reverse("account_login"))  # the settings are cached...
    _set_chrome(resource_tree["site"])  # ...and saving them refreshes every page
    for url in (reverse("account_login"), resource_tree["free"].url):
        html = client.get(url).content.decode()
        assert "NutriMX Demo" in html and "Come rico, vive mejor" in html
        assert 'href="mailto:hola@nutrimx.mx"' in html and "https://wa.me/525587654321" in html
        assert "https://instagram.com/nutrimx" in html and 'href="/contacto/"' in html
        assert 'class="sitenav"' in html and "<summary>Recursos</summary>" in html and "Guías" in html
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'class="sitenav"' not in html and 'class="topnav"' in html  # signed-in navigation unchanged
    assert "NutriMX Demo" in html and 'href="/contacto/"' in html


def test_chrome_is_read_once_and_cached(client, resource_tree, django_assert_max_num_queries):
    client.get(reverse("account_login"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("account_login"))
    assert not [q for q in ctx.captured_queries if "content_sitesettings" in q["sql"] or "content_navigation" in q["sql"]]


# ---------------------------------------------------------------------------------------
# legal pages


def _legal(home, kind, version, text="<p>Texto legal.</p>", slug=None):
    from content.models import LegalPage

    page = LegalPage(title=f"Aviso {version}", slug=slug or f"{kind}-{version}".replace(".", "-"), kind=kind,
                     version=version, body=text, live=False)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_publishing_a_new_privacy_notice_asks_for_consent_again(client, resource_tree, user):
    from accounts.models import LegalDocument
    from accounts.services import consent_privacy_is_current, privacy_notice_version

    home = resource_tree["home"]
    v1 = _legal(home, "privacy", "2026-01", "<p>Primera versión.</p><p>Tus derechos ARCO.</p>", slug="aviso")
    doc = LegalDocument.objects.get(kind="privacy", version="2026-01")
    assert "Primera versión." in doc.body and "<p>" not in doc.body
    assert privacy_notice_version() == "2026-01"
    from accounts.services import consent_accept_current

    consent_accept_current(user=user)
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200

    # same version republished: updated, not duplicated
    v1.body = "<p>Primera versión, corregida.</p>"
    v1.save_revision().publish()
    assert LegalDocument.objects.filter(kind="privacy").count() == 1
    assert "corregida" in LegalDocument.objects.get(kind="privacy").body

    v1.version = "2026-06"
    v1.save_revision().publish()
    assert privacy_notice_version() == "2026-06" and not consent_privacy_is_current(user=user)
    resp = client.get(reverse("accounts:profile"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("accounts:consent"))
    assert "corregida" in client.get(reverse("accounts:privacy")).content.decode()  # the old view keeps working
    client.post(reverse("accounts:consent"), {"accept": "1"})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_terms_and_cookie_policy_pages(client, resource_tree):
    from accounts.models import LegalDocument

    _legal(resource_tree["home"], "terms", "3", slug="terminos-cms")
    assert LegalDocument.objects.filter(kind="terms", version="3").exists()
    cookies = _legal(resource_tree["home"], "cookies", "1", "<p>Usamos cookies de sesión.</p>", slug="cookies")
    assert not LegalDocument.objects.filter(version="1").exists()
    html = client.get(cookies.url).content.decode()
    assert "Usamos cookies de sesión." in html and "Versión 1" in html
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{cookies.url}"' in html  # banner and footer link to the published policy
    assert client.get(reverse("accounts:terms")).status_code == 200


# ---------------------------------------------------------------------------------------
# cookie banner


def test_cookie_banner_choice_persists(client, resource_tree):
    html = client.get(reverse("account_login")).content.decode()
    assert 'id="cookie-banner"' in html and "Solo necesarias" in html and "Aceptar todas" in html
    resp = client.post(reverse("content:cookie_choice"), {"choice": "necessary", "next": "/accounts/login/"})
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/"
    cookie = resp.cookies["nmx_cookies"]
    assert cookie.value == "necessary" and cookie["max-age"] == 365 * 24 * 3600 and cookie["samesite"] == "Lax"
    assert 'id="cookie-banner"' not in client.get(reverse("account_login")).content.decode()
    assert 'id="cookie-banner"' not in client.get(resource_tree["free"].url).content.decode()
    resp = client.post(reverse("content:cookie_choice"), {"choice": "all", "next": "https://malo.example/"},
                       HTTP_X_REQUESTED_WITH="fetch")
    assert resp.status_code == 200 and resp.json() == {"choice": "all"} and resp.cookies["nmx_cookies"].value == "all"
    resp = client.post(reverse("content:cookie_choice"), {"choice": "all", "next": "https://malo.example/"})
    assert resp["Location"] == "/"  # no open redirect
    assert client.post(reverse("content:cookie_choice"), {"choice": "all"},
                       HTTP_ORIGIN="https://malo.example").status_code == 403


# ---------------------------------------------------------------------------------------
# editor-built forms


def _form_data(client, form_page, **overrides):
    html = client.get(form_page.url).content.decode()
    stamp = re.search(r'name="form_stamp" value="([^"]+)"', html).group(1)
    data = {"nombre": "Ana", "correo": "ana@example.mx", "mensaje": "Quiero una cita", "form_stamp": stamp, "sitio_web": ""}
    data.update(overrides)
    return data


def _aged(stamp_seconds_ago: float) -> str:
    return signing.dumps({"t": time.time() - stamp_seconds_ago}, salt="content.form_stamp")


def test_contact_form_is_stored_with_source_and_emailed(client, resource_tree):
    from content.models import SourcedFormSubmission

    form_page = resource_tree["form"]
    data = _form_data(client, form_page, form_stamp=_aged(10))
    resp = client.post(form_page.url, data, REMOTE_ADDR="203.0.113.20")
    assert resp.status_code == 200 and "Recibimos tu mensaje" in resp.content.decode()
    sub = SourcedFormSubmission.objects.get()
    assert sub.get_data()["mensaje"] == "Quiero una cita" and "form_stamp" not in sub.form_data
    assert "sitio_web" not in sub.form_data
    assert sub.ip_address == "203.0.113.20" and sub.source.endswith(form_page.url)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["equipo@nutrimx.mx"]
    assert "Quiero una cita" in mail.outbox[0].body and "form_stamp" not in mail.outbox[0].body


def test_honeypot_too_fast_and_missing_stamp_are_refused_without_storing(client, resource_tree):
    from content.models import SourcedFormSubmission

    form_page = resource_tree["form"]
    page = client.get(form_page.url).content.decode()
    assert 'class="hp-field"' in page and 'name="sitio_web"' in page
    cases = [
        (_form_data(client, form_page, form_stamp=_aged(10), sitio_web="http://spam.example"), "No pudimos enviar"),
        (_form_data(client, form_page), "demasiado rápido"),  # the stamp was just written
        (_form_data(client, form_page, form_stamp="manipulado"), "caducó"),
    ]
    for data, message in cases:
        resp = client.post(form_page.url, data)
        assert resp.status_code == 200 and message in resp.content.decode()
    assert not SourcedFormSubmission.objects.exists() and not mail.outbox


def test_form_submissions_are_rate_limited_per_ip(client, resource_tree, settings):
    from content import forms_spam
    from content.models import SourcedFormSubmission

    form_page = resource_tree["form"]
    limit = int(forms_spam.FORM_RATE.split("/")[0])
    for _ in range(limit):
        client.post(form_page.url, _form_data(client, form_page, form_stamp=_aged(10)), REMOTE_ADDR="192.0.2.7")
    resp = client.post(form_page.url, _form_data(client, form_page, form_stamp=_aged(10)), REMOTE_ADDR="192.0.2.7")
    assert "demasiados mensajes" in resp.content.decode()
    assert SourcedFormSubmission.objects.count() == limit


def test_resource_files_are_only_reachable_through_the_signed_link(client, resource_tree):
    """The public document address of a resource file is closed (private collection); the
    signed download link still delivers it."""
    from django.db.models import Q

    from content.models import ResourcePage
    from content.resources import PRIVATE_COLLECTION

    page = (ResourcePage.objects.live().exclude(file__isnull=True)
            .filter(Q(lead_magnet=True) | ~Q(access_level="free")).first())
    assert page is not None
    page.save_revision().publish()
    page.file.refresh_from_db()
    assert page.file.collection.name == PRIVATE_COLLECTION
    direct = client.get(page.file.url)
    assert direct.status_code in (302, 403)
    free = ResourcePage.objects.live().filter(access_level="free", lead_magnet=False).exclude(file__isnull=True).first()
    if free is not None:  # a free resource without a gate keeps its public address
        free.save_revision().publish()
        free.file.refresh_from_db()
        assert free.file.collection.name != PRIVATE_COLLECTION
