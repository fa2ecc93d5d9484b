"""API sign-up and sign-in: JWT pair, rotation, reuse detection, logout, MFA, bans,
email verification, password reset and the rate limits a mobile client runs into."""

from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts import services
from accounts.models import AuditEvent, ConsentRecord, Role, RoleGrant, User
from tests.accounts import Api, assert_error, enable_totp, link_in_mail, totp_code

PASSWORD = "Sup3r#Segura"


def register_payload(**overrides):
    data = {
        "email": "lucia@example.mx",
        "password": PASSWORD,
        "first_name": "Lucía",
        "last_name": "Hernández",
        "accept_privacy": True,
        "accept_terms": True,
        "profile": {
            "date_of_birth": "1990-05-15",
            "height_cm": 165,
            "weight_kg": 62.5,
            "activity_level": "moderate",
            "sex": "female",
            "goal": "weight_loss",
            "state": "CMX",
            "city": "Coyoacán",
        },
    }
    data.update(overrides)
    return data


def confirm_email_from_outbox(message) -> None:
    """Follow the confirmation link of the email like a person in a browser would."""
    path = link_in_mail(message, r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)").group(1)
    response = Client().post(path)
    assert response.status_code in (200, 302), response.status_code


# ---------------------------------------------------------------------------------------
# the whole journey


@pytest.mark.django_db
def test_register_verify_login_refresh_rotation_reuse_and_logout():
    api = Api(ip="10.1.0.1")
    payload = register_payload()
    payload["profile"]["phone"] = "+52 55 1234 5678"
    response = api.post("auth/register", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    account, tokens = body["user"], body["tokens"]
    assert account["email"] == "lucia@example.mx"
    assert account["full_name"] == "Lucía Hernández"
    assert account["username"] == "lucia_hernandez"
    assert account["user_type"] == "patient" and account["roles"] == ["patient"]
    assert account["email_verified"] is False and account["consent_required"] is False
    assert account["profile"]["phone"] == "+525512345678"
    assert account["profile"]["height_cm"] == 165.0 and account["profile"]["bmi"] == 23.0
    assert tokens["expires_in"] == 1800 and tokens["token_type"] == "Bearer"
    assert tokens["access_token"] and tokens["refresh_token"]

    # The sign-up access token works at once; renewing it waits for the email confirmation.
    me = Api(ip="10.1.0.1", token=tokens["access_token"]).get("users/profile")
    assert me.status_code == 200 and me.json()["email"] == "lucia@example.mx"
    assert_error(api.post("auth/refresh", {"refresh_token": tokens["refresh_token"]}), 403, "EMAIL_NOT_VERIFIED")
    assert_error(api.post("auth/login", {"email": "lucia@example.mx", "password": PASSWORD}), 403, "EMAIL_NOT_VERIFIED")

    # The confirmation email is allauth's, with a link that works in the browser.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lucia@example.mx"]
    confirm_email_from_outbox(mail.outbox[0])
    assert EmailAddress.objects.get(email="lucia@example.mx").verified is True

    login = api.post("auth/login", {"email": "LUCIA@example.mx", "password": PASSWORD})
    assert login.status_code == 200, login.content
    signed_in = login.json()
    assert signed_in["user"]["email_verified"] is True
    user = User.objects.get(email="lucia@example.mx")
    assert user.last_login is not None
    assert AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.LOGIN, data__via="api").count() == 1

    # Rotation: a new pair, the old refresh token is dead and its reuse is recorded.
    first_refresh = signed_in["tokens"]["refresh_token"]
    renewed = api.post("auth/refresh", {"refresh_token": first_refresh})
    assert renewed.status_code == 200, renewed.content
    second = renewed.json()["tokens"]
    assert second["refresh_token"] != first_refresh and second["expires_in"] == 1800
    assert Api(token=second["access_token"]).get("users/profile").status_code == 200

    assert_error(api.post("auth/refresh", {"refresh_token": first_refresh}), 401, "TOKEN_REVOKED")
    reuse = AuditEvent.objects.get(user=user, kind=AuditEvent.Kind.TOKEN_REUSE)
    assert reuse.ip_address == "10.1.0.1"
    # Reuse means the token may be stolen: the whole family dies, the live pair included.
    assert reuse.data["revoked_tokens"] >= 1
    assert_error(api.post("auth/refresh", {"refresh_token": second["refresh_token"]}), 401, "TOKEN_REVOKED")

    fresh = api.post("auth/login", {"email": "lucia@example.mx", "password": PASSWORD}).json()["tokens"]
    third = api.post("auth/refresh", {"refresh_token": fresh["refresh_token"]}).json()["tokens"]

    # Logout revokes the refresh token; a second logout is still 204 (idempotent).
    out = api.post("auth/logout", {"refresh_token": third["refresh_token"]})
    assert out.status_code == 204 and out.content == b""
    assert_error(api.post("auth/refresh", {"refresh_token": third["refresh_token"]}), 401, "TOKEN_REVOKED")
    assert api.post("auth/logout", {"refresh_token": third["refresh_token"]}).status_code == 204
    assert AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.LOGOUT, data__via="api").count() == 1


# ---------------------------------------------------------------------------------------
# register


@pytest.mark.django_db
def test_register_records_consents_profile_and_audit():
    api = Api(ip="10.1.1.7")
    response = api.post("auth/register", register_payload(accept_marketing=True), HTTP_USER_AGENT="NutriMX/1.0 iOS")
    assert response.status_code == 201
    user = User.objects.get(email="lucia@example.mx")
    consents = {c.kind: c for c in ConsentRecord.objects.filter(user=user)}
    assert set(consents) == {
        ConsentRecord.Kind.PRIVACY_NOTICE,
        ConsentRecord.Kind.TERMS,
        ConsentRecord.Kind.DATA_PROCESSING,
        ConsentRecord.Kind.MARKETING,
    }
    version = services.privacy_notice_version()
    for consent in consents.values():
        assert consent.granted is True
        assert consent.ip_address == "10.1.1.7"
        assert consent.user_agent == "NutriMX/1.0 iOS"
    assert consents[ConsentRecord.Kind.PRIVACY_NOTICE].version == version
    assert consents[ConsentRecord.Kind.MARKETING].version == version
    assert user.profile.city == "Coyoacán" and str(user.profile.weight_kg) == "62.5"
    assert AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.REGISTER).exists()


@pytest.mark.django_db
def test_register_without_marketing_records_it_as_not_granted():
    assert Api().post("auth/register", register_payload()).status_code == 201
    marketing = ConsentRecord.objects.get(user__email="lucia@example.mx", kind=ConsentRecord.Kind.MARKETING)
    assert marketing.granted is False


@pytest.mark.django_db
def test_register_accepts_seed_shapes_and_nutritionist_waits_for_verification():
    # Seed 003: names inside profile; seed 000: profile fields at the top level, "gender".
    payload = {
        "email": "dra.ruiz@example.mx",
        "password": PASSWORD,
        "user_type": "nutritionist",
        "accept_privacy": True,
        "accept_terms": True,
        "gender": "female",
        "city": "Monterrey",
        "profile": {"first_name": "Marta", "last_name": "Ruiz", "height_cm": 160},
    }
    response = Api().post("auth/register", payload)
    assert response.status_code == 201, response.content
    account = response.json()["user"]
    assert (account["first_name"], account["last_name"]) == ("Marta", "Ruiz")
    assert account["profile"]["sex"] == "female" and account["profile"]["city"] == "Monterrey"
    assert account["user_type"] == "nutritionist"
    user = User.objects.get(email="dra.ruiz@example.mx")
    assert not RoleGrant.objects.filter(user=user, role=Role.NUTRITIONIST).exists()


@pytest.mark.django_db
def test_register_language_follows_the_device_when_not_given():
    response = Api(lang="en-US,en;q=0.9").post("auth/register", register_payload())
    assert response.status_code == 201
    assert response.json()["user"]["language"] == "en"
    assert Api().post("auth/register", register_payload(email="otra@example.mx")).json()["user"]["language"] == "es-mx"


@pytest.mark.django_db
def test_register_duplicate_email_is_email_taken(user):
    response = Api().post("auth/register", register_payload(email=user.email.upper()))
    error = assert_error(response, 400, "EMAIL_TAKEN")
    assert error["details"]["email"] == ["Ya existe una cuenta con este correo."]
    assert User.objects.filter(email__iexact=user.email).count() == 1


@pytest.mark.django_db
def test_register_weak_password_lists_every_broken_rule():
    response = Api().post("auth/register", register_payload(password="abc"))
    error = assert_error(response, 400, "WEAK_PASSWORD")
    rules = error["details"]["password"]
    assert "La contraseña debe incluir al menos una mayúscula." in rules
    assert "La contraseña debe incluir al menos un número." in rules
    assert "La contraseña debe incluir al menos un símbolo, como ! @ # $ %." in rules
    assert any("8" in rule for rule in rules)  # minimum length
    assert "La contraseña debe incluir al menos una minúscula." not in rules
    assert not User.objects.filter(email="lucia@example.mx").exists()


@pytest.mark.django_db
def test_register_requires_both_consents_and_creates_nothing():
    response = Api().post("auth/register", register_payload(accept_privacy=False, accept_terms=False))
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert error["details"]["accept_privacy"] == ["Debes aceptar el aviso de privacidad."]
    assert error["details"]["accept_terms"] == ["Debes aceptar los términos y condiciones."]
    missing = register_payload()
    del missing["accept_privacy"]
    assert "accept_privacy" in assert_error(Api().post("auth/register", missing), 400, "VALIDATION_ERROR")["details"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_invalid_profile_values_are_reported_per_field():
    payload = register_payload(profile={"height_cm": 20, "date_of_birth": "2020-01-01", "phone": "12", "allergies": 5})
    error = assert_error(Api().post("auth/register", payload), 400, "VALIDATION_ERROR")
    assert {"profile.height_cm", "profile.date_of_birth", "profile.phone", "profile.allergies"} <= set(error["details"])
    assert not User.objects.exists()


# ---------------------------------------------------------------------------------------
# login


@pytest.mark.django_db
def test_login_returns_user_and_tokens(user, password):
    response = Api().post("auth/login", {"email": user.email, "password": password})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == user.pk and body["user"]["email"] == user.email
    access = AccessToken(body["tokens"]["access_token"])
    assert access["user_id"] == str(user.pk)
    assert "mfa_required" not in body


@pytest.mark.django_db
def test_wrong_password_and_unknown_email_get_the_same_answer(user):
    wrong = assert_error(Api().post("auth/login", {"email": user.email, "password": "Otra#Clave1"}), 401,
                         "INVALID_CREDENTIALS")
    unknown = assert_error(Api().post("auth/login", {"email": "nadie@example.mx", "password": "Otra#Clave1"}), 401,
                           "INVALID_CREDENTIALS")
    assert wrong["message"] == unknown["message"] == "Correo o contraseña incorrectos."
    failed = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert failed.filter(user=user).count() == 1 and failed.filter(user=None).count() == 1


@pytest.mark.django_db
def test_banned_user_is_refused_with_the_reason_and_loses_api_access(make_user, user, password):
    staff = make_user(email="staff@example.mx", is_staff=True)
    api = Api()
    tokens = api.login(user.email, password)["tokens"]
    services.user_ban(actor=staff, user=user, reason="Publicidad engañosa en comentarios")

    error = assert_error(Api().post("auth/login", {"email": user.email, "password": password}), 403, "ACCOUNT_BANNED")
    assert "Publicidad engañosa en comentarios" in error["message"]
    assert "tokens" not in error
    # The access token issued before the ban stops working at once.
    assert_error(api.get("users/profile"), 401, "ACCOUNT_DISABLED")
    error = assert_error(Api().post("auth/refresh", {"refresh_token": tokens["refresh_token"]}), 401, "ACCOUNT_DISABLED")
    assert "Publicidad engañosa" in error["message"]
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_REUSE).exists()


@pytest.mark.django_db
def test_deleted_user_cannot_sign_in_or_refresh(user, password):
    tokens = Api().login(user.email, password)["tokens"]
    email = user.email
    services.user_soft_delete(actor=user, user=user)
    assert_error(Api().post("auth/login", {"email": email, "password": password}), 401, "INVALID_CREDENTIALS")
    assert_error(Api().post("auth/refresh", {"refresh_token": tokens["refresh_token"]}), 401, "ACCOUNT_DISABLED")
    assert_error(Api(token=tokens["access_token"]).get("users/profile"), 401, "ACCOUNT_DISABLED")


@pytest.mark.django_db
def test_unverified_email_login_is_refused_and_link_resent(make_user, password):
    pending = make_user(email="pendiente@example.mx", verified=False)
    error = assert_error(Api().post("auth/login", {"email": pending.email, "password": password}), 403,
                         "EMAIL_NOT_VERIFIED")
    assert "Confirma tu correo" in error["message"]
    assert [m.to for m in mail.outbox] == [["pendiente@example.mx"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_staff_without_authenticator_must_enrol_on_the_web(make_user, password):
    staff = make_user(email="staff@example.mx", is_staff=True)
    error = assert_error(Api().post("auth/login", {"email": staff.email, "password": password}), 403,
                         "MFA_SETUP_REQUIRED")
    assert "seguridad" in error["message"]
    staff.refresh_from_db()
    assert staff.last_login is None


# ---------------------------------------------------------------------------------------
# MFA


@pytest.mark.django_db
def test_mfa_login_with_app_code_wrong_code_and_recovery_code(user, password):
    secret, recovery = enable_totp(user)
    api = Api(ip="10.3.0.1")
    first = api.post("auth/login", {"email": user.email, "password": password})
    assert first.status_code == 200
    step = first.json()
    assert step["mfa_required"] is True and step["methods"] == ["totp", "recovery_codes"]
    assert "tokens" not in step and "user" not in step
    user.refresh_from_db()
    assert user.last_login is None  # not signed in yet

    wrong = assert_error(api.post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": "000000"}), 401,
                         "INVALID_MFA_CODE")
    assert "código" in wrong["message"].lower()
    assert AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.LOGIN_FAILED, data__step="mfa").exists()

    ok = api.post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": totp_code(secret)})
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["user"]["mfa_enabled"] is True and body["tokens"]["access_token"]
    assert Api(token=body["tokens"]["access_token"]).get("users/profile").status_code == 200
    # The MFA token works once.
    assert_error(api.post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": totp_code(secret)}), 401,
                 "MFA_TOKEN_INVALID")

    # A recovery code signs in once; the same code is refused the second time.
    step = api.post("auth/login", {"email": user.email, "password": password}).json()
    assert api.post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": recovery[0]}).status_code == 200
    step = api.post("auth/login", {"email": user.email, "password": password}).json()
    assert_error(api.post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": recovery[0]}), 401,
                 "INVALID_MFA_CODE")
    assert api.post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": recovery[1]}).status_code == 200


@pytest.mark.django_db
def test_mfa_token_expires_after_five_minutes_and_cannot_be_forged(user, password):
    secret, _codes = enable_totp(user)
    import time as _time

    real = _time.time()
    with mock.patch("django.core.signing.time.time", return_value=real - 301):
        old = Api().post("auth/login", {"email": user.email, "password": password}).json()["mfa_token"]
    assert_error(Api().post("auth/mfa/verify", {"mfa_token": old, "code": totp_code(secret)}), 401,
                 "MFA_TOKEN_INVALID")
    forged = signing.dumps({"u": user.pk, "f": "x"}, salt="accounts.api.mfa-login")
    assert_error(Api().post("auth/mfa/verify", {"mfa_token": forged, "code": totp_code(secret)}), 401,
                 "MFA_TOKEN_INVALID")
    assert_error(Api().post("auth/mfa/verify", {"mfa_token": "garbage", "code": "123456"}), 401, "MFA_TOKEN_INVALID")


@pytest.mark.django_db
def test_five_wrong_mfa_codes_lock_the_second_step(user, password):
    secret, _codes = enable_totp(user)
    api = Api(ip="10.3.1.1")
    token = api.post("auth/login", {"email": user.email, "password": password}).json()["mfa_token"]
    for _ in range(5):
        assert_error(api.post("auth/mfa/verify", {"mfa_token": token, "code": "000000"}), 401, "INVALID_MFA_CODE")
    locked = api.post("auth/mfa/verify", {"mfa_token": token, "code": totp_code(secret)})
    assert_error(locked, 429, "RATE_LIMIT_EXCEEDED")
    assert locked["Retry-After"] == "900"
    user.refresh_from_db()
    assert user.last_login is None


@pytest.mark.django_db
def test_staff_with_authenticator_goes_through_mfa(make_user, password):
    staff = make_user(email="staff@example.mx", is_staff=True)
    secret, _codes = enable_totp(staff, with_recovery_codes=False)
    step = Api().post("auth/login", {"email": staff.email, "password": password}).json()
    assert step["mfa_required"] is True and step["methods"] == ["totp"]
    response = Api().post("auth/mfa/verify", {"mfa_token": step["mfa_token"], "code": totp_code(secret)})
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------
# tokens


@pytest.mark.django_db
def test_expired_access_token_is_token_expired(user):
    token = AccessToken.for_user(user)
    token.set_exp(from_time=timezone.now() - timedelta(hours=2))
    response = Api(token=str(token)).get("users/profile")
    assert_error(response, 401, "TOKEN_EXPIRED")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_error(Api(token="no.es.un.jwt").get("users/profile"), 401, "INVALID_TOKEN")
    # A refresh token is not an access token.
    assert_error(Api(token=str(RefreshToken.for_user(user))).get("users/profile"), 401, "INVALID_TOKEN")


@pytest.mark.django_db
def test_refresh_errors_expired_garbage_and_wrong_type(user):
    expired = RefreshToken.for_user(user)
    expired.set_exp(from_time=timezone.now() - timedelta(days=31))
    assert_error(Api().post("auth/refresh", {"refresh_token": str(expired)}), 401, "TOKEN_EXPIRED")
    assert_error(Api().post("auth/refresh", {"refresh_token": "basura"}), 401, "INVALID_TOKEN")
    access = str(AccessToken.for_user(user))
    assert_error(Api().post("auth/refresh", {"refresh_token": access}), 401, "INVALID_TOKEN")
    assert_error(Api().post("auth/logout", {"refresh_token": "basura"}), 401, "INVALID_TOKEN")
    # Logging out an expired token is harmless.
    assert Api().post("auth/logout", {"refresh_token": str(expired)}).status_code == 204


@pytest.mark.django_db
def test_bearer_header_is_ignored_on_sign_in_endpoints(user, password):
    response = Api(token="caducado").post("auth/login", {"email": user.email, "password": password})
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------
# password reset


def reset_key_from(message) -> str:
    return link_in_mail(message, r"/accounts/password/reset/key/([^/\s]+)/").group(1)


@pytest.mark.django_db
def test_password_forgot_and_reset_through_the_mailed_key(user, password):
    old_tokens = Api().login(user.email, password)["tokens"]
    response = Api().post("auth/password/forgot", {"email": user.email.upper()})
    assert response.status_code == 200
    assert response.json() == {"message": "Si el email existe, recibirás instrucciones para restablecer tu contraseña"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    key = reset_key_from(mail.outbox[0])
    # The same link opens the web page.
    assert Client().get(f"/accounts/password/reset/key/{key}/").status_code in (200, 302)

    weak = assert_error(Api().post("auth/password/reset", {"token": key, "new_password": "corta"}), 400,
                        "WEAK_PASSWORD")
    assert "La contraseña debe incluir al menos una mayúscula." in weak["details"]["new_password"]

    done = Api().post("auth/password/reset", {"token": key, "new_password": "Nuev4#Segura"})
    assert done.status_code == 200 and done.json() == {"message": "Contraseña restablecida exitosamente"}
    assert not done.cookies  # allauth's flash message is not turned into a cookie
    user.refresh_from_db()
    assert user.check_password("Nuev4#Segura")
    assert AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.PASSWORD_RESET).exists()
    # Every session of the app ends; the old password no longer works; the key is single use.
    assert_error(Api().post("auth/refresh", {"refresh_token": old_tokens["refresh_token"]}), 401, "TOKEN_REVOKED")
    assert_error(Api().post("auth/login", {"email": user.email, "password": password}), 401, "INVALID_CREDENTIALS")
    assert Api(ip="10.9.9.9").post("auth/login", {"email": user.email, "password": "Nuev4#Segura"}).status_code == 200
    again = Api().post("auth/password/reset", {"token": key, "new_password": "Otra#Clave22"})
    assert_error(again, 400, "INVALID_RESET_TOKEN")


@pytest.mark.django_db
def test_password_forgot_does_not_reveal_accounts(user):
    known = Api(ip="10.4.0.1").post("auth/password/forgot", {"email": user.email})
    unknown = Api(ip="10.4.0.2").post("auth/password/forgot", {"email": "nadie@example.mx"})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert_error(Api().post("auth/password/forgot", {"email": "no-es-correo"}), 400, "VALIDATION_ERROR")


@pytest.mark.django_db
def test_reset_key_expires_after_one_hour(settings, user):
    settings.API_RATE_LIMITS_ENABLED = False
    from allauth.account.forms import default_token_generator as generator
    from allauth.account.utils import user_pk_to_url_str

    now = generator._num_seconds(generator._now())
    stale = f"{user_pk_to_url_str(user)}-{generator._make_token_with_timestamp(user, now - 3601, generator.secret)}"
    assert_error(Api().post("auth/password/reset", {"token": stale, "new_password": "Nuev4#Segura"}), 400,
                 "INVALID_RESET_TOKEN")
    fresh = f"{user_pk_to_url_str(user)}-{generator._make_token_with_timestamp(user, now - 3500, generator.secret)}"
    assert Api().post("auth/password/reset", {"token": fresh, "new_password": "Nuev4#Segura"}).status_code == 200
    for garbage in ("", "sin-guion-valido", "zz-zz-zz", "1-", "-abc"):
        response = Api().post("auth/password/reset", {"token": garbage, "new_password": "Nuev4#Segura"})
        assert response.status_code == 400 and response.json()["error"]["code"] in ("INVALID_RESET_TOKEN",
                                                                                      "VALIDATION_ERROR")


# ---------------------------------------------------------------------------------------
# rate limits


@pytest.mark.django_db
def test_sixth_login_in_a_minute_is_rate_limited_with_headers(user, password):
    api = Api(ip="10.5.0.1")
    remaining = []
    for _ in range(5):
        response = api.post("auth/login", {"email": user.email, "password": password})
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "5"
        remaining.append(int(response["X-RateLimit-Remaining"]))
    assert remaining == [4, 3, 2, 1, 0]
    blocked = api.post("auth/login", {"email": user.email, "password": password})
    error = assert_error(blocked, 429, "RATE_LIMIT_EXCEEDED")
    assert blocked["X-RateLimit-Limit"] == "5" and blocked["X-RateLimit-Remaining"] == "0"
    assert int(blocked["X-RateLimit-Reset"]) > int(timezone.now().timestamp())
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert error["details"]["retry_after"] == int(blocked["Retry-After"])
    # Another client IP is not affected.
    assert Api(ip="10.5.0.2").post("auth/login", {"email": user.email, "password": password}).status_code == 200


@pytest.mark.django_db
def test_fourth_register_in_a_minute_is_rate_limited():
    api = Api(ip="10.5.1.1")
    for n in range(3):
        assert api.post("auth/register", register_payload(email=f"p{n}@example.mx")).status_code == 201
    assert_error(api.post("auth/register", register_payload(email="p3@example.mx")), 429, "RATE_LIMIT_EXCEEDED")
    assert not User.objects.filter(email="p3@example.mx").exists()


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_even_with_the_right_password(user, other_user, password):
    for n in range(5):  # a different IP each time: the per-account counter trips
        response = Api(ip=f"10.6.0.{n + 1}").post("auth/login", {"email": user.email, "password": "Mala#Clave1"})
        assert_error(response, 401, "INVALID_CREDENTIALS")
    locked = Api(ip="10.6.0.99").post("auth/login", {"email": user.email, "password": password})
    error = assert_error(locked, 429, "RATE_LIMIT_EXCEEDED")
    assert "15 minutos" in error["message"]
    assert locked["Retry-After"] == "900"
    user.refresh_from_db()
    assert user.last_login is None
    # Other accounts from the same IP still sign in.
    assert Api(ip="10.6.0.99").post("auth/login", {"email": other_user.email, "password": password}).status_code == 200


@pytest.mark.django_db
def test_five_failed_logins_from_one_ip_lock_that_ip(settings, user, password):
    settings.API_RATE_LIMITS_ENABLED = False  # isolate allauth's failed-login counter
    for n in range(5):
        Api(ip="10.7.0.1").post("auth/login", {"email": f"intruso{n}@example.mx", "password": "Mala#Clave1"})
    assert_error(Api(ip="10.7.0.1").post("auth/login", {"email": user.email, "password": password}), 429,
                 "RATE_LIMIT_EXCEEDED")
    assert Api(ip="10.7.0.2").post("auth/login", {"email": user.email, "password": password}).status_code == 200


@pytest.mark.django_db
def test_successful_logins_do_not_use_up_the_failure_budget(settings, user, password):
    settings.API_RATE_LIMITS_ENABLED = False
    api = Api(ip="10.7.1.1")
    for _ in range(8):
        assert api.post("auth/login", {"email": user.email, "password": password}).status_code == 200
    for _ in range(4):
        api.post("auth/login", {"email": user.email, "password": "Mala#Clave1"})
    assert api.post("auth/login", {"email": user.email, "password": password}).status_code == 200
