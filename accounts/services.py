"""Writes for accounts: registration, profiles, roles, bans, consents, audit and sign-in rules.

Every page, API view, task and consumer calls these functions; none of them re-implements
a rule. Functions take keyword arguments and raise ``django.core.exceptions.ValidationError``
(field errors) or ``PermissionDenied``; the API exception handler and the page views turn
those into the error envelope or form errors.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db import models as dj_models
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    STAFF_GRANTED_ROLES,
    AuditEvent,
    ConsentRecord,
    LegalDocument,
    Profile,
    Role,
    RoleGrant,
    User,
    UserType,
)
from accounts.validators import normalize_mx_phone
from config.http import client_ip, user_agent

# ---------------------------------------------------------------------------------------
# usernames


def _slugify_name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return re.sub(r"_+", "_", text)


def username_generate(*, first_name: str = "", last_name: str = "", email: str = "") -> str:
    """A free lowercase handle from the name ("Carlos Hernández" -> ``carlos_hernandez``).

    Falls back to the email's local part; appends the smallest number that makes it unique.
    """
    base = _slugify_name(f"{first_name} {last_name}") or _slugify_name(email.split("@")[0]) or "usuario"
    base = base[:24]
    if len(base) < 3:
        base = (base + "_mx")[:24]
    taken = set(
        User.objects.filter(username__startswith=base).values_list("username", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


# ---------------------------------------------------------------------------------------
# audit


def audit_log(*, kind: str, user=None, actor=None, request=None, data: dict | None = None) -> AuditEvent:
    """Store one security event with the request's IP and user agent."""
    return AuditEvent.objects.create(
        kind=kind,
        user=user if (user is not None and getattr(user, "pk", None)) else None,
        actor=actor if (actor is not None and getattr(actor, "pk", None)) else None,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
        data=data or {},
    )


# ---------------------------------------------------------------------------------------
# consents


def legal_document_current(kind: str) -> LegalDocument | None:
    """The newest published version of a legal document."""
    return (
        LegalDocument.objects.filter(kind=kind, published_at__lte=timezone.now()).order_by("-published_at").first()
    )


def privacy_notice_version() -> str:
    doc = legal_document_current(LegalDocument.Kind.PRIVACY)
    return doc.version if doc else settings.PRIVACY_NOTICE_VERSION


def terms_version() -> str:
    doc = legal_document_current(LegalDocument.Kind.TERMS)
    return doc.version if doc else settings.PRIVACY_NOTICE_VERSION


def consent_record(*, user: User, kind: str, granted: bool, version: str = "", request=None) -> ConsentRecord:
    """Append one consent act (acceptance or withdrawal) with time, IP and user agent."""
    return ConsentRecord.objects.create(
        user=user,
        kind=kind,
        granted=granted,
        version=version,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
    )


def consent_privacy_is_current(*, user: User) -> bool:
    """True when the user's latest privacy-notice acceptance is for the current version."""
    latest = (
        ConsentRecord.objects.filter(user=user, kind=ConsentRecord.Kind.PRIVACY_NOTICE)
        .order_by("-created_at", "-id")
        .values_list("version", "granted")
        .first()
    )
    return bool(latest and latest[1] and latest[0] == privacy_notice_version())


def consent_accept_current(*, user: User, request=None) -> None:
    """Record acceptance of the current privacy notice and terms (after a new version)."""
    consent_record(
        user=user, kind=ConsentRecord.Kind.PRIVACY_NOTICE, granted=True, version=privacy_notice_version(), request=request
    )
    consent_record(user=user, kind=ConsentRecord.Kind.TERMS, granted=True, version=terms_version(), request=request)


def consent_marketing_set(*, user: User, granted: bool, request=None) -> ConsentRecord:
    return consent_record(
        user=user, kind=ConsentRecord.Kind.MARKETING, granted=granted, version=privacy_notice_version(), request=request
    )


def consent_state(*, user: User) -> dict:
    """The latest state of each consent kind: ``{kind: {"granted", "version", "at"}}``."""
    state: dict[str, dict] = {}
    for rec in ConsentRecord.objects.filter(user=user).order_by("created_at", "id"):
        state[rec.kind] = {"granted": rec.granted, "version": rec.version, "at": rec.created_at}
    return state


# ---------------------------------------------------------------------------------------
# registration


@dataclass
class Registration:
    email: str
    password: str
    first_name: str = ""
    last_name: str = ""
    user_type: str = UserType.PATIENT
    accept_privacy: bool = False
    accept_terms: bool = False
    accept_marketing: bool = False
    profile: dict | None = None
    language: str = ""


def _validate_registration(reg: Registration) -> dict:
    errors: dict[str, list[str]] = {}
    email = (reg.email or "").strip().lower()
    if not email:
        errors.setdefault("email", []).append(_("Escribe tu correo electrónico."))
    else:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Escribe un correo electrónico válido."))
        else:
            if User.objects.filter(email__iexact=email).exists():
                errors.setdefault("email", []).append(
                    ValidationError(_("Ya existe una cuenta con este correo."), code="email_taken")
                )
    if reg.user_type not in (UserType.PATIENT, UserType.NUTRITIONIST):
        errors.setdefault("user_type", []).append(_("Elige paciente o nutriólogo(a)."))
    for field in ("first_name", "last_name"):
        value = getattr(reg, field) or ""
        if len(value) > 100:
            errors.setdefault(field, []).append(_("Máximo 100 caracteres."))
    if not reg.password:
        errors.setdefault("password", []).append(_("Escribe una contraseña."))
    else:
        probe = User(email=email, first_name=reg.first_name or "", last_name=reg.last_name or "")
        try:
            password_validation.validate_password(reg.password, user=probe)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.error_list)
    if not reg.accept_privacy:
        errors.setdefault("accept_privacy", []).append(_("Debes aceptar el aviso de privacidad."))
    if not reg.accept_terms:
        errors.setdefault("accept_terms", []).append(_("Debes aceptar los términos y condiciones."))
    return errors


@transaction.atomic
def user_register(*, registration: Registration, request=None) -> User:
    """Create a user with profile, consent records and an unverified primary email.

    A person who signs up as nutritionist gets ``user_type=nutritionist`` but no
    nutritionist role until staff verify the licence (``role_grant``). Sending the
    verification email is the caller's job (it needs the request for the link).
    """
    from allauth.account.models import EmailAddress

    reg = registration
    errors = _validate_registration(reg)
    profile_data = dict(reg.profile or {})
    profile_errors: dict = {}
    if profile_data:
        try:
            profile_data = profile_clean(data=profile_data)
        except ValidationError as exc:
            profile_errors = exc.message_dict
    errors.update({f"profile.{k}": v for k, v in profile_errors.items()})
    if errors:
        raise ValidationError(errors)

    email = reg.email.strip().lower()
    lang = reg.language if reg.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        user = User.objects.create_user(
            email=email,
            password=reg.password,
            first_name=(reg.first_name or "").strip(),
            last_name=(reg.last_name or "").strip(),
            user_type=UserType.PATIENT if reg.user_type == UserType.PATIENT else UserType.NUTRITIONIST,
            language=lang,
        )
    except IntegrityError:
        raise ValidationError({"email": [ValidationError(_("Ya existe una cuenta con este correo."), code="email_taken")]})
    if reg.user_type == UserType.NUTRITIONIST:
        # Everyone may be a patient; the professional role waits for staff verification.
        RoleGrant.objects.get_or_create(user=user, role=Role.PATIENT)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    user_onboard(user=user, accept_marketing=reg.accept_marketing, profile=profile_data, request=request)
    return user


@transaction.atomic
def user_onboard(*, user: User, accept_marketing: bool = False, profile: dict | None = None, request=None) -> User:
    """Everything a new account gets, whichever way it signed up (form, API, Google...):
    a profile, the consent records for the current notice and terms, and an audit event."""
    Profile.objects.update_or_create(user=user, defaults=profile or {})
    version = privacy_notice_version()
    consent_record(user=user, kind=ConsentRecord.Kind.PRIVACY_NOTICE, granted=True, version=version, request=request)
    consent_record(user=user, kind=ConsentRecord.Kind.TERMS, granted=True, version=terms_version(), request=request)
    consent_record(user=user, kind=ConsentRecord.Kind.DATA_PROCESSING, granted=True, version=version, request=request)
    consent_record(
        user=user, kind=ConsentRecord.Kind.MARKETING, granted=bool(accept_marketing), version=version, request=request
    )
    audit_log(kind=AuditEvent.Kind.REGISTER, user=user, request=request, data={"user_type": user.user_type})
    return user


# ---------------------------------------------------------------------------------------
# sign-in rules


def jwt_user_can_authenticate(user) -> bool:
    """simplejwt rule: a banned, deleted or inactive user's tokens stop working at once."""
    return user is not None and user.is_active and not user.is_banned and user.deleted_at is None


def login_refusal_reason(user: User) -> str | None:
    """Why this user may not sign in now, in the active language, or None."""
    if user.deleted_at is not None or not user.is_active:
        return _("Esta cuenta ya no está activa.")
    if user.is_banned:
        return _("Tu cuenta está suspendida. Motivo: %(reason)s") % {"reason": user.banned_reason or _("sin motivo")}
    return None


# ---------------------------------------------------------------------------------------
# sign-in for the app (JWT); the web uses allauth's flows with the same counters


class SignInRefused(Exception):
    """A sign-in (or token renewal) that must not go ahead.

    ``code`` is stable (the API puts it in the error envelope), ``message`` is for people
    in the active language, ``status`` is the HTTP status the API answers with.
    """

    def __init__(self, code: str, message: str, *, status: int = 403, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _login_failed_window() -> int:
    """Seconds of allauth's ``login_failed`` window (the longest of its rates)."""
    from allauth.core.internal.ratelimit import parse_rates

    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed", ""))
    return int(max((r.duration for r in rates), default=900))


def _too_many_attempts() -> SignInRefused:
    window = _login_failed_window()
    return SignInRefused(
        "RATE_LIMIT_EXCEEDED",
        _(
            "Demasiados intentos fallidos. Por seguridad, espera %(min)s minutos o restablece tu contraseña."
        )
        % {"min": max(window // 60, 1)},
        status=429,
        retry_after=window,
    )


def signin_authenticate(*, request, email: str, password: str) -> User:
    """Check an email and password, sharing allauth's failed-login counters with the web
    login (``ACCOUNT_RATE_LIMITS["login_failed"]``: per IP and per account).

    ``request`` is the Django request. Raises ``SignInRefused`` with code
    ``RATE_LIMIT_EXCEEDED`` (429) when the counters are exhausted, even for the right
    password, and ``INVALID_CREDENTIALS`` (401) for a wrong pair, with the same message
    whether the account exists or not. Failures reach ``user_login_failed`` (audit log).
    """
    from allauth.account.adapter import get_adapter

    email = (email or "").strip().lower()
    try:
        user = get_adapter(request).authenticate(request, email=email, password=password)
    except ValidationError as exc:
        if getattr(exc, "code", "") == "too_many_login_attempts":
            raise _too_many_attempts() from exc
        raise
    if user is None:
        raise SignInRefused("INVALID_CREDENTIALS", _("Correo o contraseña incorrectos."), status=401)
    return user


def signin_check(*, user: User) -> None:
    """The rules a person with the right password must still pass (in this order):
    a live account (banned: ``ACCOUNT_BANNED`` with the reason), a verified email when
    verification is mandatory (``EMAIL_NOT_VERIFIED``)."""
    from accounts.selectors import user_email_verified

    reason = login_refusal_reason(user)
    if reason:
        raise SignInRefused("ACCOUNT_BANNED" if user.is_banned else "ACCOUNT_DISABLED", reason, status=403)
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not user_email_verified(user=user):
        raise SignInRefused(
            "EMAIL_NOT_VERIFIED",
            _("Confirma tu correo antes de iniciar sesión. Te enviamos un enlace de confirmación."),
            status=403,
        )


def signin_requires_mfa_setup(*, user: User) -> bool:
    """Staff and administrators must have an authenticator app: the pages send them to
    enrol (MFARequiredForAdminsMiddleware) and the API refuses their sign-in until then."""
    from accounts.selectors import user_mfa_enabled

    privileged = (
        user.is_staff or user.is_superuser or user.user_type == UserType.ADMIN or user.has_role(Role.ADMIN)
    )
    return privileged and not user_mfa_enabled(user=user)


def signin_complete(*, user: User, request=None, via: str = "api") -> None:
    """Record a finished sign-in: ``last_login`` and an audit event."""
    from django.contrib.auth.models import update_last_login

    update_last_login(None, user)
    audit_log(kind=AuditEvent.Kind.LOGIN, user=user, request=request, data={"via": via})


def mfa_code_verify(*, user: User, code: str, request) -> str:
    """Check a second-factor code: a TOTP code or an unused recovery code (spent on use).

    Attempts share allauth's ``login_failed`` counters with the web (key
    ``mfa-auth-user-<id>``). Returns the authenticator type that matched; raises
    ``SignInRefused`` ``INVALID_MFA_CODE`` (401) or ``RATE_LIMIT_EXCEEDED`` (429).
    """
    from allauth.core.internal import ratelimit
    from allauth.mfa.models import Authenticator

    usage = ratelimit.consume(request, app="allauth.account", action="login_failed", key=f"mfa-auth-user-{user.pk}")
    if not usage:
        raise _too_many_attempts()
    code = (code or "").strip().replace(" ", "")
    if code:
        authenticators = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        )
        # The app's code first, then the recovery codes.
        for auth in sorted(authenticators, key=lambda a: a.type != Authenticator.Type.TOTP):
            with transaction.atomic():
                ok = auth.wrap().validate_code(code)
            if ok:
                usage.rollback()
                auth.record_usage()
                return auth.type
    audit_log(kind=AuditEvent.Kind.LOGIN_FAILED, user=user, request=request, data={"via": "api", "step": "mfa"})
    raise SignInRefused("INVALID_MFA_CODE", _("El código no es válido. Revisa tu app de autenticación."), status=401)


def user_refresh_tokens_revoke(*, user: User) -> int:
    """Blacklist every live refresh token of the user (the app must sign in again)."""
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    count = 0
    for token in OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True):
        BlacklistedToken.objects.get_or_create(token=token)
        count += 1
    return count


def email_verification_send(*, user: User, request, signup: bool = False) -> bool:
    """(Re)send allauth's confirmation link for the user's primary address.

    allauth rate-limits it per address (``confirm_email``); a skipped send returns False.
    ``request`` is the Django request (the link is built from it).
    """
    from allauth.account.internal.flows.email_verification import send_verification_email_to_address
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, verified=False).order_by("-primary").first()
    if address is None:
        return False
    return send_verification_email_to_address(request, address, signup=signup)


def password_reset_request(*, email: str, request) -> None:
    """Send allauth's password-reset email (the same link the web sends) to an address.

    Never reveals whether an account exists (allauth mails unknown addresses a notice
    instead). Per-address and per-IP limits are allauth's ``reset_password`` rates.
    """
    from allauth.account import app_settings as allauth_settings
    from allauth.account.forms import ResetPasswordForm
    from allauth.core import ratelimit
    from allauth.utils import get_form_class

    form_class = get_form_class(allauth_settings.FORMS, "reset_password", ResetPasswordForm)
    form = form_class(data={"email": email})
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    if not ratelimit.consume(request, action="reset_password", key=form.cleaned_data["email"].lower()):
        raise SignInRefused(
            "RATE_LIMIT_EXCEEDED", _("Ya enviamos varias instrucciones. Espera un minuto e intenta de nuevo."),
            status=429, retry_after=60,
        )
    form.save(request)


def password_reset_confirm(*, token: str, new_password: str, request) -> User:
    """Set a new password with the key from the reset email (``<uidb36>-<key>``).

    The key is single use and expires after ``PASSWORD_RESET_TIMEOUT`` seconds. The
    password passes the same validators as the web. Every refresh token is revoked,
    failed-login counters are cleared, a confirmation email goes out and the audit log
    records it (allauth's ``password_reset`` signal). Raises ValidationError on
    ``token`` (code ``invalid_reset_token``) or ``new_password``.
    """
    from allauth.account.forms import UserTokenForm
    from allauth.account.internal.flows.password_reset import finalize_password_reset, reset_password

    uidb36, _sep, key = (token or "").strip().partition("-")
    form = UserTokenForm(data={"uidb36": uidb36, "key": key})
    if not (uidb36 and key and form.is_valid()) or form.reset_user is None:
        raise ValidationError(
            {
                "token": [
                    ValidationError(
                        _("El enlace para restablecer la contraseña no es válido, ya se usó o expiró. Solicita uno nuevo."),
                        code="invalid_reset_token",
                    )
                ]
            }
        )
    user = form.reset_user
    try:
        password_validation.validate_password(new_password, user=user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.error_list})
    with transaction.atomic():
        reset_password(user, new_password)
        user_refresh_tokens_revoke(user=user)
    finalize_password_reset(request, user)
    return user


# ---------------------------------------------------------------------------------------
# profile

PROFILE_FIELDS = (
    "bio",
    "date_of_birth",
    "sex",
    "height_cm",
    "weight_kg",
    "activity_level",
    "goal",
    "target_weight_kg",
    "target_date",
    "dietary_preference",
    "restrictions",
    "allergies",
    "conditions",
    "country",
    "state",
    "city",
    "units",
    "phone",
)
USER_FIELDS = ("first_name", "last_name", "username", "language", "time_zone")


def _clean_list(value, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\n]", value)]
    if not isinstance(value, list | tuple):
        raise ValidationError({field: [_("Debe ser una lista de textos.")]})
    out = []
    for item in value:
        if not isinstance(item, str) or "\x00" in item:
            raise ValidationError({field: [_("Debe ser una lista de textos.")]})
        item = item.strip()
        if item and item.lower() not in [o.lower() for o in out]:
            if len(item) > 80:
                raise ValidationError({field: [_("Cada elemento admite máximo 80 caracteres.")]})
            out.append(item)
    if len(out) > 30:
        raise ValidationError({field: [_("Máximo 30 elementos.")]})
    return out


def _check_profile_type(field, value) -> None:
    """Reject values of the wrong type before the model field sees them (a JSON list for a
    date would otherwise raise TypeError, a dict for a text would be stored as its repr)."""
    if value is None:
        return
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(_("El texto contiene caracteres no permitidos."), code="null_characters")
    if isinstance(field, dj_models.DateField):
        if not isinstance(value, str | date):
            raise ValidationError(_("Usa una fecha con formato AAAA-MM-DD."), code="invalid")
    elif isinstance(field, dj_models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValidationError(_("Debe ser un número."), code="invalid")
    elif isinstance(field, dj_models.CharField | dj_models.TextField):
        if not isinstance(value, str):
            raise ValidationError(_("Debe ser texto."), code="invalid")
        if field.max_length and len(value) > field.max_length:
            raise ValidationError(
                _("Máximo %(n)s caracteres.") % {"n": field.max_length}, code="max_length"
            )


def _round_decimal(value, places: int):
    """A JSON number (or numeric text) rounded to the field's decimals. Django's
    DecimalField turns the float 68.4 into Decimal("68.400") and then refuses it for having
    3 decimals; a scale may also give 68.45 (kept as 68.5). Anything that is not a finite
    number is returned as is for the field to reject."""
    from decimal import ROUND_HALF_UP, InvalidOperation

    try:
        number = Decimal(str(value).strip())
        if not number.is_finite():
            return value
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return value


def profile_clean(*, data: dict, instance: Profile | None = None) -> dict:
    """Validate profile fields with the model's own validators; returns cleaned values.

    Unknown keys are rejected so a typo never silently drops data.
    """
    cleaned: dict = {}
    errors: dict[str, list[str]] = {k: [_("Campo desconocido.")] for k in sorted(set(data) - set(PROFILE_FIELDS))}
    for name, value in data.items():
        if name in errors:
            continue
        try:
            if name in ("restrictions", "allergies", "conditions"):
                cleaned[name] = _clean_list(value, name)
                continue
            if name == "phone":
                cleaned[name] = normalize_mx_phone(value)
                continue
            field = Profile._meta.get_field(name)
            _check_profile_type(field, value)
            if value is None or value == "":
                if field.null:
                    cleaned[name] = None
                    continue
                if field.blank and not field.choices:
                    cleaned[name] = ""
                    continue
                if field.blank and field.choices and name in ("sex",):
                    cleaned[name] = ""
                    continue
            if isinstance(field, dj_models.DecimalField) and isinstance(value, int | float | str):
                value = _round_decimal(value, field.decimal_places)
            cleaned[name] = field.clean(value, instance or Profile())
        except ValidationError as exc:
            errors[name] = exc.messages if not hasattr(exc, "message_dict") else sum(exc.message_dict.values(), [])
    if "phone" in cleaned and cleaned["phone"]:
        clash = Profile.objects.filter(phone=cleaned["phone"])
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["phone"] = [_("Este teléfono ya está registrado en otra cuenta.")]
    if "country" in cleaned and cleaned["country"]:
        cleaned["country"] = cleaned["country"].upper()
        if not re.fullmatch(r"[A-Z]{2}", cleaned["country"]):
            errors["country"] = [_("Usa el código de país de 2 letras, por ejemplo MX.")]
    target_date = cleaned.get("target_date")
    if target_date and target_date < timezone.localdate():
        errors["target_date"] = [_("La fecha meta debe ser hoy o después.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def user_fields_clean(*, user: User, data: dict) -> dict:
    unknown = set(data) - set(USER_FIELDS)
    if unknown:
        raise ValidationError({k: [_("Campo desconocido.")] for k in sorted(unknown)})
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        value = "" if value is None else value
        if not isinstance(value, str) or "\x00" in value:
            errors[name] = [_("Debe ser texto.")]
            continue
        value = value.strip()
        if name == "username":
            value = value.lower().lstrip("@")
            try:
                User._meta.get_field("username").run_validators(value)
            except ValidationError as exc:
                errors[name] = exc.messages
                continue
            if User.objects.filter(username=value).exclude(pk=user.pk).exists():
                errors[name] = [_("Ese nombre de usuario ya está ocupado.")]
                continue
        elif name == "language":
            if value not in dict(settings.LANGUAGES):
                errors[name] = [_("Idioma no disponible.")]
                continue
        elif name == "time_zone":
            import zoneinfo

            if value not in zoneinfo.available_timezones():
                errors[name] = [_("Zona horaria desconocida.")]
                continue
        elif len(value) > 100:
            errors[name] = [_("Máximo 100 caracteres.")]
            continue
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def profile_update(*, actor: User, user: User, data: dict) -> User:
    """Update the user's names/handle/language and profile fields in one validated step.

    Only the owner (or staff) may edit; nothing is saved unless every field is valid.
    """
    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied
    user_data = {k: v for k, v in data.items() if k in USER_FIELDS}
    profile_data = {k: v for k, v in data.items() if k not in USER_FIELDS}
    profile, _created = Profile.objects.get_or_create(user=user)
    errors: dict = {}
    try:
        clean_user = user_fields_clean(user=user, data=user_data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean_user = {}
    try:
        clean_profile = profile_clean(data=profile_data, instance=profile)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean_profile = {}
    if errors:
        raise ValidationError(errors)
    for k, v in clean_user.items():
        setattr(user, k, v)
    if clean_user:
        user.save(update_fields=list(clean_user))
    for k, v in clean_profile.items():
        setattr(profile, k, v)
    if clean_profile:
        profile.save()
    user.profile = profile
    return user


def profile_photo_set(*, actor: User, user: User, upload) -> Profile:
    """Validate, re-encode (EXIF stripped) and store a new profile photo."""
    from config.uploads import image_clean

    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied
    content = image_clean(upload, max_side=800)
    profile, _created = Profile.objects.get_or_create(user=user)
    old = profile.photo.name if profile.photo else ""
    profile.photo.save(content.name, content, save=True)
    if old:
        transaction.on_commit(lambda: profile.photo.storage.delete(old))
    return profile


# ---------------------------------------------------------------------------------------
# staff actions


def _require_staff(actor: User):
    if not (actor and actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Solo el personal puede hacer esto."))


@transaction.atomic
def role_grant(*, actor: User, user: User, role: str, request=None) -> RoleGrant:
    """Give a role. Nutritionist and admin roles are granted only by staff."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Rol desconocido.")]})
    if role in STAFF_GRANTED_ROLES:
        _require_staff(actor)
    elif actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"granted_by": actor})
    if created:
        audit_log(kind=AuditEvent.Kind.ROLE_GRANTED, user=user, actor=actor, request=request, data={"role": role})
    return grant


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: str, request=None) -> None:
    _require_staff(actor)
    deleted, _n = RoleGrant.objects.filter(user=user, role=role).delete()
    if deleted:
        audit_log(kind=AuditEvent.Kind.ROLE_REVOKED, user=user, actor=actor, request=request, data={"role": role})


def _revoke_sessions_and_tokens(user: User) -> None:
    """End every browser session and blacklist every refresh token of this user."""
    from allauth.usersessions.models import UserSession
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    for token in OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True):
        BlacklistedToken.objects.get_or_create(token=token)
    for session in UserSession.objects.filter(user=user):
        session.end()
    # Open websockets on every server close too (new ones are refused by the consumer).
    from config.realtime import disconnect_user

    user_id = user.pk
    transaction.on_commit(lambda: disconnect_user(user_id))


@transaction.atomic
def user_ban(*, actor: User, user: User, reason: str, request=None) -> User:
    """Suspend an account with a reason: sign-in is refused with it and open sessions end."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Escribe el motivo de la suspensión.")]})
    if user.pk == actor.pk:
        raise ValidationError({"user": [_("No puedes suspender tu propia cuenta.")]})
    user.is_banned = True
    user.banned_reason = reason[:1000]
    user.banned_at = timezone.now()
    user.save(update_fields=["is_banned", "banned_reason", "banned_at"])
    _revoke_sessions_and_tokens(user)
    audit_log(kind=AuditEvent.Kind.BANNED, user=user, actor=actor, request=request, data={"reason": user.banned_reason})
    return user


@transaction.atomic
def user_unban(*, actor: User, user: User, request=None) -> User:
    _require_staff(actor)
    user.is_banned = False
    user.banned_reason = ""
    user.banned_at = None
    user.save(update_fields=["is_banned", "banned_reason", "banned_at"])
    audit_log(kind=AuditEvent.Kind.UNBANNED, user=user, actor=actor, request=request)
    return user


@transaction.atomic
def user_soft_delete(*, actor: User, user: User, request=None) -> User:
    """Soft-delete and anonymise an account (LFPDPPP cancellation / GDPR erasure).

    The row stays so that foreign keys keep their meaning; personal data is wiped.
    """
    from allauth.account.models import EmailAddress

    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied
    audit_log(kind=AuditEvent.Kind.DELETED, user=user, actor=actor, request=request)
    user.deleted_at = timezone.now()
    user.is_active = False
    user.email = f"deleted_{user.pk}@deleted.local"
    user.username = f"eliminado_{user.pk}"
    user.first_name = "Usuario"
    user.last_name = "eliminado"
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).update(
        bio="", phone="", date_of_birth=None, city="", state="", allergies=[], conditions=[], restrictions=[]
    )
    _revoke_sessions_and_tokens(user)
    return user


def account_delete_self(*, user: User, password: str, request=None) -> User:
    """A person cancels their own account (ARCO "cancelación"): the password must match
    (accounts created through Google/Facebook/Apple have none and skip the check), then
    the account is soft-deleted and anonymised and every session and token ends."""
    if user.has_usable_password() and not user.check_password(password or ""):
        raise ValidationError({"password": ValidationError(_("La contraseña no es correcta."), code="invalid_password")})
    return user_soft_delete(actor=user, user=user, request=request)


# ---------------------------------------------------------------------------------------
# notifications


def notification_payload(notification, *, unread_count: int | None = None) -> dict:
    """The wire shape of a notification (seed 000 §4.8 ``notification:new``)."""
    data = {
        "id": notification.pk,
        "type": notification.kind,
        "category": notification.category,
        "title": notification.title,
        "body": notification.body,
        "action_url": notification.link,
        "data": notification.data,
        "read": notification.read_at is not None,
        "created_at": notification.created_at.isoformat(),
    }
    if unread_count is not None:
        data["unread_count"] = unread_count
    return data


def notify(
    user,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    data: dict | None = None,
    *,
    category: str = "system",
):
    """Store an in-app notification and push ``notification:new`` to the user's sockets.

    Respects the user's per-category preference (account and security notices, category
    ``system``, cannot be turned off). Returns the notification, or None when the user
    opted out of that category. The push happens after the transaction commits.
    """
    from accounts.models import Notification, NotificationCategory, NotificationPreference
    from config.realtime import push_to_user

    if category not in NotificationCategory.values:
        raise ValueError(f"unknown notification category {category!r}")
    if category != NotificationCategory.SYSTEM:
        muted = NotificationPreference.objects.filter(user=user, category=category, in_app=False).exists()
        if muted:
            return None
    notification = Notification.objects.create(
        user=user,
        kind=kind[:50],
        category=category,
        title=title[:200],
        body=body,
        link=link[:500],
        data=data or {},
    )

    def _push():
        unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        push_to_user(user.pk, "notification:new", notification_payload(notification, unread_count=unread))

    transaction.on_commit(_push)
    return notification


def _push_read_state(user_id, ids: list[int]) -> None:
    from accounts.models import Notification
    from config.realtime import push_to_user

    unread = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
    push_to_user(user_id, "notification:read", {"ids": ids, "unread_count": unread})


def notification_mark_read(*, user, notification_id) -> Notification:  # noqa: F821
    """Mark one of the user's notifications as read. Another user's id raises DoesNotExist (404)."""
    from accounts.models import Notification

    notification = Notification.objects.get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _push_read_state(user.pk, [notification.pk]))
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user as read; returns how many changed."""
    from accounts.models import Notification

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    ids = list(qs.values_list("pk", flat=True)[:500])
    changed = qs.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: _push_read_state(user.pk, ids))
    return changed


@transaction.atomic
def notification_preferences_set(*, user, prefs: dict[str, bool]) -> None:
    """Turn in-app notifications of each category on or off (``system`` is always on).

    Nothing changes when any category is unknown."""
    from accounts.models import NotificationCategory, NotificationPreference

    unknown = [c for c in prefs if c not in NotificationCategory.values]
    if unknown:
        raise ValidationError({c: [_("Categoría desconocida.")] for c in unknown})
    for category, enabled in prefs.items():
        if category == NotificationCategory.SYSTEM:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"in_app": bool(enabled)}
        )
