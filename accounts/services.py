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

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
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
                errors.setdefault("email", []).append(_("Ya existe una cuenta con este correo."))
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
            errors.setdefault("password", []).extend(exc.messages)
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
        raise ValidationError({"email": [_("Ya existe una cuenta con este correo.")]})
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
        if not isinstance(item, str):
            raise ValidationError({field: [_("Debe ser una lista de textos.")]})
        item = item.strip()
        if item and item.lower() not in [o.lower() for o in out]:
            if len(item) > 80:
                raise ValidationError({field: [_("Cada elemento admite máximo 80 caracteres.")]})
            out.append(item)
    if len(out) > 30:
        raise ValidationError({field: [_("Máximo 30 elementos.")]})
    return out


def profile_clean(*, data: dict, instance: Profile | None = None) -> dict:
    """Validate profile fields with the model's own validators; returns cleaned values.

    Unknown keys are rejected so a typo never silently drops data.
    """
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({k: [_("Campo desconocido.")] for k in sorted(unknown)})
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        try:
            if name in ("restrictions", "allergies", "conditions"):
                cleaned[name] = _clean_list(value, name)
                continue
            if name == "phone":
                cleaned[name] = normalize_mx_phone(value)
                continue
            field = Profile._meta.get_field(name)
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
        if not isinstance(value, str):
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


def notification_mark_read(*, user, notification_id) -> "Notification":  # noqa: F821
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


def notification_preferences_set(*, user, prefs: dict[str, bool]) -> None:
    """Turn in-app notifications of each category on or off (``system`` is always on)."""
    from accounts.models import NotificationCategory, NotificationPreference

    for category, enabled in prefs.items():
        if category not in NotificationCategory.values:
            raise ValidationError({category: [_("Categoría desconocida.")]})
        if category == NotificationCategory.SYSTEM:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"in_app": bool(enabled)}
        )
