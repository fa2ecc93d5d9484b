"""Account pages: full page and htmx partial, permissions, inline validation, consent,
admin 2FA requirement, languages."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentRecord, LegalDocument, Notification, NotificationPreference, User
from accounts.services import notify, role_grant

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _png_bytes(size=(8, 8), color=(20, 150, 120)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def _totp(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret())


@pytest.fixture
def staff(make_user):
    return make_user(first_name="Sofía", is_staff=True, user_type="admin")


# ---------------------------------------------------------------------------------------
# landing, layout, errors


def test_landing_is_public_and_in_spanish(client):
    resp = client.get("/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert '<html lang="es-mx">' in html
    assert "Come mejor" in html
    assert reverse("account_signup") in html and reverse("account_login") in html
    assert reverse("accounts:privacy") in html  # footer


def test_landing_sends_signed_in_people_home(client, user):
    client.force_login(user)
    resp = client.get("/")
    assert resp.status_code == 302 and resp["Location"] == reverse("home")


@pytest.mark.parametrize(
    "url",
    [
        "/inicio/",
        "/cuenta/perfil/",
        "/cuenta/seguridad/",
        "/cuenta/notificaciones/",
        "/cuenta/consentimiento/",
    ],
)
def test_pages_require_sign_in(client, url):
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("account_login"))


def test_layout_has_shell_pieces(client, user):
    client.force_login(user)
    html = client.get("/inicio/").content.decode()
    assert 'id="notif-badge"' in html and 'aria-live="polite"' in html
    assert 'hx-headers=\'{"X-CSRFToken":' in html
    assert "django_htmx/htmx-2.min.js" in html and "js/app.js" in html
    assert 'action="/i18n/setlang/"' in html
    assert 'class="skip-link"' in html
    assert 'data-ws-url="/ws/"' in html


def test_404_page(client):
    resp = client.get("/no-existe/")
    assert resp.status_code == 404
    assert "No encontramos esta página" in resp.content.decode()


def test_500_page_renders_without_context_processors(rf):
    from accounts.views import server_error

    resp = server_error(rf.get("/"))
    assert resp.status_code == 500
    assert "Algo salió mal" in resp.content.decode()


def test_legal_pages_default_and_published(client):
    html = client.get("/legal/privacidad/").content.decode()
    assert "Aviso de privacidad integral" in html
    assert "Derechos ARCO" in html and "datos personales sensibles" in html.lower()
    assert "Términos y condiciones" in client.get("/legal/terminos/").content.decode()
    LegalDocument.objects.create(
        kind="terms", version="2027-01", title="Términos NutriMX 2027", body="Texto."
    )
    assert "Términos NutriMX 2027" in client.get("/legal/terminos/").content.decode()


# ---------------------------------------------------------------------------------------
# sign-up and sign-in


def _signup_data(**over):
    data = {
        "first_name": "Carmen",
        "last_name": "Ruiz",
        "email": "carmen@example.mx",
        "password1": "Tamal#Verde2026",
        "password2": "Tamal#Verde2026",
        "user_type": "nutritionist",
        "accept_privacy": "on",
        "accept_terms": "on",
    }
    data.update(over)
    return data


def test_signup_page_renders(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Crea tu cuenta" in html
    assert "Soy paciente" in html and "Soy nutriólogo(a)" in html
    assert reverse("accounts:privacy") in html and reverse("accounts:terms") in html
    assert 'name="accept_marketing"' in html


def test_signup_creates_account_through_the_service(client):
    resp = client.post(reverse("account_signup"), _signup_data(accept_marketing="on"))
    assert resp.status_code == 302
    assert resp["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="carmen@example.mx")
    assert user.user_type == "nutritionist" and user.first_name == "Carmen"
    assert user.emailaddress_set.count() == 1  # not duplicated by allauth
    assert not user.emailaddress_set.get().verified
    kinds = set(ConsentRecord.objects.filter(user=user, granted=True).values_list("kind", flat=True))
    assert {"privacy_notice", "terms", "data_processing", "marketing_communications"} <= kinds
    assert len(mail.outbox) == 1 and "/accounts/confirm-email/" in mail.outbox[0].body
    assert client.get(reverse("account_email_verification_sent")).status_code == 200


def test_signup_requires_consents(client):
    data = _signup_data()
    del data["accept_privacy"]
    del data["accept_terms"]
    resp = client.post(reverse("account_signup"), data)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Debes aceptar el aviso de privacidad." in html
    assert "Debes aceptar los términos y condiciones." in html
    assert not User.objects.filter(email="carmen@example.mx").exists()


def test_login_page_and_banned_user_refused_with_reason(client, user, password, staff):
    assert "Hola de nuevo" in client.get(reverse("account_login")).content.decode()
    from accounts.services import user_ban

    user_ban(actor=staff, user=user, reason="Publicidad engañosa")
    resp = client.post(reverse("account_login"), {"login": user.email, "password": password}, follow=True)
    html = resp.content.decode()
    assert "Tu cuenta está suspendida" in html and "Publicidad engañosa" in html
    assert "_auth_user_id" not in client.session


def test_login_with_mfa_step(client, make_user, password):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    user = make_user()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    resp = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert resp["Location"] == reverse("mfa_authenticate")
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Verificación en dos pasos" in html and "Verificar y entrar" in html
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    resp = client.post(reverse("mfa_authenticate"), {"code": code})
    assert resp.status_code == 302 and resp["Location"] == reverse("home")
    assert client.get("/inicio/").status_code == 200


def test_password_reset_pages(client, user):
    html = client.get(reverse("account_reset_password")).content.decode()
    assert "¿Olvidaste tu contraseña?" in html
    resp = client.post(reverse("account_reset_password"), {"email": user.email})
    assert resp["Location"] == reverse("account_reset_password_done")
    assert "Revisa tu correo" in client.get(resp["Location"]).content.decode()
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    resp = client.get(link, follow=True)
    assert "Crea una nueva contraseña" in resp.content.decode()
    resp = client.post(
        resp.redirect_chain[-1][0],
        {"password1": "Mole#Poblano26", "password2": "Mole#Poblano26"},
        follow=True,
    )
    assert "Tu contraseña se cambió" in resp.content.decode()
    assert "Enlace no válido" in client.get(link, follow=True).content.decode()


def test_login_page_in_english(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "Welcome back" in html


# ---------------------------------------------------------------------------------------
# home


def test_home_patient(client, user):
    client.force_login(user)
    html = client.get("/inicio/").content.decode()
    assert "¡Hola, Ana!" in html
    assert "Completa tu perfil" in html and reverse("accounts:profile") in html
    assert reverse("mfa_activate_totp") in html
    assert 'role="progressbar"' in html
    assert "Tu cédula está en revisión" not in html
    assert "/django-admin/" not in html


def test_home_pending_and_verified_nutritionist(client, make_user, staff):
    nutri = make_user(user_type="nutritionist", first_name="Luz")
    client.force_login(nutri)
    assert "Tu cédula está en revisión" in client.get("/inicio/").content.decode()
    role_grant(actor=staff, user=nutri, role="nutritionist")
    html = client.get("/inicio/").content.decode()
    assert "Tu cédula está en revisión" not in html
    assert "Cédula verificada" in html


def test_home_staff_links(client, staff):
    _totp(staff)
    client.force_login(staff)
    html = client.get("/inicio/").content.decode()
    assert 'href="/django-admin/"' in html and 'href="/cms/"' in html


def test_home_in_english_when_user_language_is_en(client, make_user):
    client.force_login(make_user(language="en"))
    html = client.get("/inicio/").content.decode()
    assert '<html lang="en">' in html
    assert "Hi, Ana!" in html and "Complete your profile" in html


def test_language_switch_saves_choice_on_account(client, user):
    client.force_login(user)
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/inicio/"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert "Hi, Ana!" in client.get("/inicio/").content.decode()


# ---------------------------------------------------------------------------------------
# profile


def test_profile_page(client, user):
    client.force_login(user)
    html = client.get("/cuenta/perfil/").content.decode()
    assert "Mi perfil" in html and "Estatura (cm)" in html
    assert 'hx-post="/cuenta/perfil/validar/height_cm/"' in html
    assert "Jalisco" in html  # state select from MexicanState
    assert "Agrega tu estatura y tu peso" in html


def test_profile_inline_validation_returns_field_partial(client, user):
    client.force_login(user)
    resp = client.post("/cuenta/perfil/validar/height_cm/", {"height_cm": "20"}, **HX)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<html" not in html and 'id="field-height_cm"' in html
    assert "field--invalid" in html and "50" in html and 'role="alert"' in html
    ok = client.post("/cuenta/perfil/validar/height_cm/", {"height_cm": "172"}, **HX).content.decode()
    assert "field__error" not in ok and "field--valid" in ok
    taken = client.post("/cuenta/perfil/validar/phone/", {"phone": "123"}, **HX).content.decode()
    assert "teléfono mexicano" in taken
    assert client.post("/cuenta/perfil/validar/is_staff/", {"is_staff": "1"}, **HX).status_code == 404


def _profile_post(**over):
    data = {
        "first_name": "Ana",
        "last_name": "Prueba",
        "username": "ana_prueba",
        "bio": "",
        "date_of_birth": "1990-05-04",
        "sex": "female",
        "height_cm": "165",
        "weight_kg": "60",
        "activity_level": "moderate",
        "goal": "maintenance",
        "target_weight_kg": "",
        "target_date": "",
        "dietary_preference": "omnivore",
        "restrictions": "sin gluten, sin lactosa",
        "allergies": "cacahuate",
        "conditions": "",
        "state": "JAL",
        "city": "Guadalajara",
        "units": "metric",
        "language": "es-mx",
        "phone": "33 1234 5678",
    }
    data.update(over)
    return data


def test_profile_invalid_submit_saves_nothing(client, user):
    client.force_login(user)
    resp = client.post("/cuenta/perfil/", _profile_post(first_name="Anita", height_cm="20"))
    html = resp.content.decode()
    assert resp.status_code == 422
    assert "no se guardó ningún cambio" in html and "50" in html
    user.refresh_from_db()
    assert user.first_name == "Ana"
    assert user.profile.height_cm is None and user.profile.city == ""


def test_profile_valid_submit_saves_and_shows_bmi(client, user):
    client.force_login(user)
    resp = client.post("/cuenta/perfil/", _profile_post())
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.username == "ana_prueba"
    assert user.profile.restrictions == ["sin gluten", "sin lactosa"]
    assert user.profile.phone == "+523312345678" and user.profile.state == "JAL"
    html = client.get("/cuenta/perfil/").content.decode()
    assert "Tu perfil se guardó." in html  # toast on the next page
    assert "22.0" in html and "Peso saludable" in html
    assert 'value="sin gluten, sin lactosa"' in html


def test_profile_htmx_submit_returns_form_partial_with_oob_toast(client, user):
    client.force_login(user)
    resp = client.post("/cuenta/perfil/", _profile_post(), **HX)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<form id="profile-form"')
    assert 'id="toasts"' in html and 'hx-swap-oob="beforeend"' in html and "Tu perfil se guardó." in html
    assert 'id="profile-summary"' in html and 'hx-swap-oob="true"' in html
    bad = client.post("/cuenta/perfil/", _profile_post(weight_kg="900"), **HX)
    assert bad.status_code == 422 and "500" in bad.content.decode()


def test_profile_photo_upload(client, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user)
    bad = client.post(
        "/cuenta/perfil/foto/", {"photo": SimpleUploadedFile("x.png", b"not an image", "image/png")}, **HX
    )
    assert bad.status_code == 422
    assert "no es una imagen válida" in bad.content.decode()
    good = client.post(
        "/cuenta/perfil/foto/", {"photo": SimpleUploadedFile("a.png", _png_bytes(), "image/png")}, **HX
    )
    assert good.status_code == 200 and 'id="photo-card"' in good.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.photo.name.startswith(f"profiles/{user.pk}/")


# ---------------------------------------------------------------------------------------
# security hub


def test_security_page(client, user):
    client.force_login(user)
    html = client.get("/cuenta/seguridad/").content.decode()
    assert "Seguridad y privacidad" in html
    assert reverse("account_change_password") in html and reverse("account_email") in html
    assert reverse("mfa_activate_totp") in html and reverse("usersessions_list") in html
    assert "Tus sesiones abiertas" in html and "Actividad reciente" in html
    assert "Registro" in html  # the REGISTER audit event
    assert "Red social" in html and "Correos de consejos y novedades" in html


def test_security_marketing_toggle(client, user):
    client.force_login(user)
    resp = client.post("/cuenta/seguridad/marketing/", {"granted": "on"}, **HX)
    html = resp.content.decode()
    assert resp.status_code == 200 and html.lstrip().startswith('<section class="card" id="marketing"')
    latest = ConsentRecord.objects.filter(user=user, kind="marketing_communications").order_by("-id").first()
    assert latest.granted is True
    client.post("/cuenta/seguridad/marketing/", {})
    latest = ConsentRecord.objects.filter(user=user, kind="marketing_communications").order_by("-id").first()
    assert latest.granted is False


def test_security_notification_preferences(client, user):
    client.force_login(user)
    resp = client.post(
        "/cuenta/seguridad/notificaciones/", {"clinical": "on", "messages": "on", "challenges": "on"}, **HX
    )
    assert resp.status_code == 200 and 'id="notificaciones"' in resp.content.decode()
    assert NotificationPreference.objects.get(user=user, category="social").in_app is False
    assert NotificationPreference.objects.get(user=user, category="clinical").in_app is True
    assert not NotificationPreference.objects.filter(user=user, category="system").exists()


def test_security_events_are_only_mine(client, user, other_user):
    from accounts.services import audit_log

    audit_log(kind="password_change", user=other_user)
    client.force_login(user)
    assert "Cambio de contraseña" not in client.get("/cuenta/seguridad/").content.decode()


def test_mfa_and_sessions_pages_use_site_layout(client, user):
    client.force_login(user)
    for url in ("mfa_index", "usersessions_list", "account_email", "account_change_password"):
        html = client.get(reverse(url)).content.decode()
        assert "NutriMX" in html and 'class="subnav"' in html, url
    assert "Tus sesiones abiertas" in client.get(reverse("usersessions_list")).content.decode()


# ---------------------------------------------------------------------------------------
# admin accounts must use TOTP


def test_admin_without_totp_is_sent_to_mfa_setup(client, staff):
    client.force_login(staff)
    resp = client.get("/inicio/")
    assert resp.status_code == 302 and resp["Location"] == reverse("mfa_activate_totp")
    resp = client.get("/cuenta/perfil/", follow=True)
    html = resp.content.decode()
    assert "Las cuentas de administración deben usar verificación en dos pasos" in html
    # MFA pages, logout and i18n stay reachable
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200
    htmx = client.get("/cuenta/notificaciones/", **HX)
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == reverse("mfa_activate_totp")


def test_admin_with_totp_passes(client, staff):
    _totp(staff)
    client.force_login(staff)
    assert client.get("/inicio/").status_code == 200


def test_admin_user_type_without_staff_flag_also_needs_totp(client, make_user):
    client.force_login(make_user(user_type="admin"))
    assert client.get("/inicio/")["Location"] == reverse("mfa_activate_totp")


# ---------------------------------------------------------------------------------------
# notifications inbox


def test_notifications_empty_state(client, user):
    client.force_login(user)
    html = client.get("/cuenta/notificaciones/").content.decode()
    assert "No tienes notificaciones" in html and "Estás al día." in html


def test_notifications_list_partial_and_unread_styling(client, user, other_user):
    notify(user, "test.kind", "Tu plan está listo", "Revísalo", "/inicio/")
    read = notify(user, "test.kind", "Bienvenida")
    read.read_at = timezone.now()
    read.save()
    notify(other_user, "test.kind", "Secreto de Beto")
    client.force_login(user)
    html = client.get("/cuenta/notificaciones/").content.decode()
    assert "Tu plan está listo" in html and "Bienvenida" in html and "Secreto de Beto" not in html
    assert html.count("notif--unread") == 1
    assert "1 sin leer" in html
    partial = client.get("/cuenta/notificaciones/", **HX).content.decode()
    assert "<html" not in partial and partial.lstrip().startswith('<div id="inbox">')


def test_notifications_pagination(client, user):
    for i in range(25):
        Notification.objects.create(user=user, kind="k", title=f"Aviso número {i:02d}")
    client.force_login(user)
    html = client.get("/cuenta/notificaciones/").content.decode()
    assert "Aviso número 24" in html and "Aviso número 04" not in html and "Cargar más" in html
    more = client.get("/cuenta/notificaciones/?page=2", **HX).content.decode()
    assert "Aviso número 04" in more and "<html" not in more and "Cargar más" not in more


@pytest.mark.parametrize("count", [3, 30])
def test_notifications_list_query_count(client, user, django_assert_num_queries, count):
    for i in range(count):
        Notification.objects.create(user=user, kind="k", title=f"n{i}")
    client.force_login(user)
    client.get("/cuenta/notificaciones/")  # warm the session
    # session, user, usersession (select, user, update in a savepoint), admin-2FA rule
    # (role grants), consent check (2), page count, unread count, role grants (nav),
    # profile (avatar), the page of rows: the same for 3 or 30 notifications.
    with django_assert_num_queries(15):
        client.get("/cuenta/notificaciones/")


def test_mark_one_read_with_htmx(client, user):
    n = notify(user, "test.kind", "Nuevo mensaje")
    notify(user, "test.kind", "Otro")
    client.force_login(user)
    resp = client.post(f"/cuenta/notificaciones/{n.pk}/leer/", **HX)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert f'id="notif-{n.pk}"' in html and "notif--unread" not in html
    assert 'id="notif-badge"' in html and 'hx-swap-oob="true"' in html
    assert re.search(r"data-unread-count>1<", html)
    n.refresh_from_db()
    assert n.read_at is not None


def test_another_users_notification_is_404(client, user, other_user):
    theirs = notify(other_user, "test.kind", "Privado")
    client.force_login(user)
    assert client.post(f"/cuenta/notificaciones/{theirs.pk}/leer/", **HX).status_code == 404
    assert client.get(f"/cuenta/notificaciones/{theirs.pk}/").status_code == 404
    assert client.get(f"/cuenta/notificaciones/{theirs.pk}/abrir/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_row_partial_for_live_prepend(client, user):
    n = notify(user, "test.kind", "En vivo", link="/cuenta/perfil/")
    client.force_login(user)
    html = client.get(f"/cuenta/notificaciones/{n.pk}/", **HX).content.decode()
    assert html.lstrip().startswith(f'<li class="notif notif--unread" id="notif-{n.pk}"')
    resp = client.get(f"/cuenta/notificaciones/{n.pk}/abrir/")
    assert resp["Location"] == "/cuenta/perfil/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read(client, user):
    for i in range(3):
        notify(user, "test.kind", f"n{i}")
    client.force_login(user)
    resp = client.post("/cuenta/notificaciones/leer-todas/", **HX)
    html = resp.content.decode()
    assert "notif--unread" not in html and "Marcaste todas como leídas." in html
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    resp = client.post("/cuenta/notificaciones/leer-todas/")
    assert resp.status_code == 302


# ---------------------------------------------------------------------------------------
# consent re-acceptance


def test_new_privacy_version_requires_reacceptance(client, user):
    client.force_login(user)
    assert client.get("/inicio/").status_code == 200
    LegalDocument.objects.create(
        kind="privacy", version="2027-02", title="Aviso de privacidad 2027", body="Nuevas finalidades."
    )
    resp = client.get("/inicio/")
    assert resp.status_code == 302
    assert resp["Location"] == f"{reverse('accounts:consent')}?next=/inicio/"
    html = client.get(resp["Location"]).content.decode()
    assert "Actualizamos nuestro aviso de privacidad" in html
    assert "Aviso de privacidad 2027" in html and "Nuevas finalidades." in html
    resp = client.post(reverse("accounts:consent"), {"accept": "1", "next": "/inicio/"})
    assert resp.status_code == 302 and resp["Location"] == "/inicio/"
    assert ConsentRecord.objects.filter(
        user=user, kind="privacy_notice", version="2027-02", granted=True
    ).exists()
    assert client.get("/inicio/").status_code == 200


def test_consent_next_must_be_local(client, user):
    client.force_login(user)
    resp = client.post(reverse("accounts:consent"), {"accept": "1", "next": "https://evil.example/"})
    assert resp["Location"] == reverse("home")


def test_consent_page_default_text(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:consent")).content.decode()
    assert "Derechos ARCO" in html and "Ya aceptaste esta versión." in html
