"""The account rules behind both the pages and the API, called directly."""

from datetime import date

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import selectors, services
from accounts.models import AuditEvent, NotificationPreference, Profile
from tests.accounts import enable_totp, totp_code


def web_request(ip="10.50.0.1"):
    """A Django request as middleware leaves it (session and messages are not needed here)."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


# ---------------------------------------------------------------------------------------
# registration and profile validation


@pytest.mark.django_db
def test_user_register_marks_duplicate_email_and_password_rules_with_codes(user):
    registration = services.Registration(email=user.email.upper(), password="abc", accept_privacy=True,
                                          accept_terms=True)
    with pytest.raises(ValidationError) as caught:
        services.user_register(registration=registration)
    errors = caught.value.error_dict
    assert [e.code for e in errors["email"]] == ["email_taken"]
    codes = {e.code for e in errors["password"]}
    assert {"password_too_short", "password_no_upper", "password_no_digit", "password_no_symbol"} <= codes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"date_of_birth": [1990]}, "date_of_birth"),
        ({"date_of_birth": 19900101}, "date_of_birth"),
        ({"height_cm": {"cm": 170}}, "height_cm"),
        ({"height_cm": False}, "height_cm"),
        ({"city": ["CDMX"]}, "city"),
        ({"bio": "x" * 501}, "bio"),
        ({"state": "Yucatán\x00"}, "state"),
        ({"conditions": ["diabetes", 3]}, "conditions"),
    ],
)
def test_profile_clean_refuses_wrong_types_instead_of_crashing(data, field):
    with pytest.raises(ValidationError) as caught:
        services.profile_clean(data=data)
    assert field in caught.value.message_dict


@pytest.mark.django_db
def test_profile_clean_accepts_python_values_from_forms():
    cleaned = services.profile_clean(data={"date_of_birth": date(1990, 5, 15), "height_cm": 170, "bio": "Hola"})
    assert cleaned["date_of_birth"] == date(1990, 5, 15) and cleaned["bio"] == "Hola"


@pytest.mark.django_db
def test_profile_update_is_all_or_nothing(user):
    with pytest.raises(ValidationError):
        services.profile_update(actor=user, user=user, data={"first_name": "Nuevo", "height_cm": 10})
    user.refresh_from_db()
    assert user.first_name == "Ana" and Profile.objects.get(user=user).height_cm is None


@pytest.mark.django_db
def test_profile_update_of_someone_else_is_denied(user, other_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.profile_update(actor=user, user=other_user, data={"city": "Puebla"})


# ---------------------------------------------------------------------------------------
# sign-in rules


@pytest.mark.django_db
def test_failed_api_logins_lock_the_web_login_too(user, password):
    """The API and allauth's web login share the same failed-login counters."""
    for _ in range(5):
        with pytest.raises(services.SignInRefused) as caught:
            services.signin_authenticate(request=web_request(), email=user.email, password="Mala#Clave1")
        assert caught.value.code == "INVALID_CREDENTIALS"
    with pytest.raises(ValidationError) as caught:
        get_adapter(web_request()).authenticate(web_request(), email=user.email, password=password)
    assert caught.value.code == "too_many_login_attempts"
    with pytest.raises(services.SignInRefused) as refused:
        services.signin_authenticate(request=web_request(ip="10.50.0.2"), email=user.email, password=password)
    assert refused.value.code == "RATE_LIMIT_EXCEEDED" and refused.value.status == 429
    assert refused.value.retry_after == 900
    assert AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.LOGIN_FAILED).count() == 5


@pytest.mark.django_db
def test_signin_check_order_and_codes(make_user, user):
    staff = make_user(email="staff@example.mx", is_staff=True)
    services.signin_check(user=user)  # passes
    services.user_ban(actor=staff, user=user, reason="Spam")
    with pytest.raises(services.SignInRefused) as caught:
        services.signin_check(user=user)
    assert caught.value.code == "ACCOUNT_BANNED" and "Spam" in caught.value.message

    pending = make_user(email="pendiente@example.mx", verified=False)
    with pytest.raises(services.SignInRefused) as caught:
        services.signin_check(user=pending)
    assert caught.value.code == "EMAIL_NOT_VERIFIED"


@pytest.mark.django_db
def test_staff_needs_an_authenticator(make_user):
    staff = make_user(email="staff@example.mx", is_staff=True)
    assert services.signin_requires_mfa_setup(user=staff) is True
    enable_totp(staff)
    assert services.signin_requires_mfa_setup(user=staff) is False
    assert services.signin_requires_mfa_setup(user=make_user()) is False


@pytest.mark.django_db
def test_mfa_code_verify_totp_and_single_use_recovery_codes(user):
    secret, codes = enable_totp(user)
    assert services.mfa_code_verify(user=user, code=totp_code(secret), request=web_request()) == "totp"
    assert services.mfa_code_verify(user=user, code=codes[3], request=web_request()) == "recovery_codes"
    with pytest.raises(services.SignInRefused) as caught:
        services.mfa_code_verify(user=user, code=codes[3], request=web_request())
    assert caught.value.code == "INVALID_MFA_CODE"
    assert selectors.user_mfa_enabled(user=user) is True


@pytest.mark.django_db
def test_user_refresh_tokens_revoke(user, other_user):
    RefreshToken.for_user(user)
    RefreshToken.for_user(user)
    RefreshToken.for_user(other_user)
    assert services.user_refresh_tokens_revoke(user=user) == 2
    assert BlacklistedToken.objects.filter(token__user=user).count() == 2
    assert not BlacklistedToken.objects.filter(token__user=other_user).exists()
    assert OutstandingToken.objects.filter(user=other_user).count() == 1


@pytest.mark.django_db
def test_password_reset_confirm_refuses_bad_keys(user):
    with pytest.raises(ValidationError) as caught:
        services.password_reset_confirm(token="1-abc", new_password="Nuev4#Segura", request=web_request())
    assert caught.value.error_dict["token"][0].code == "invalid_reset_token"


# ---------------------------------------------------------------------------------------
# notifications


@pytest.mark.django_db
def test_notification_preferences_set_saves_nothing_on_unknown_category(user):
    with pytest.raises(ValidationError):
        services.notification_preferences_set(user=user, prefs={"social": False, "inventada": True})
    assert not NotificationPreference.objects.filter(user=user).exists()
    services.notification_preferences_set(user=user, prefs={"social": False, "system": False})
    assert selectors.notification_preferences(user=user)["social"] is False
    assert selectors.notification_preferences(user=user)["system"] is True


def test_profile_clean_rounds_json_numbers_to_the_field_decimals():
    from decimal import Decimal

    cleaned = services.profile_clean(data={"weight_kg": 68.4, "height_cm": "162.45", "target_weight_kg": 65})
    assert cleaned == {"weight_kg": Decimal("68.4"), "height_cm": Decimal("162.5"), "target_weight_kg": Decimal("65.0")}
    for bad in ("NaN", "Infinity", "1e400", "abc"):
        with pytest.raises(ValidationError):
            services.profile_clean(data={"weight_kg": bad})
