"""Reads for accounts, always scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import AuditEvent, Notification, NotificationCategory, NotificationPreference, User


def user_get_by_username(*, username: str) -> User:
    """A live (not deleted, not banned) user by handle; raises DoesNotExist otherwise."""
    return User.objects.select_related("profile").get(
        username=username.lower(), deleted_at__isnull=True, is_active=True, is_banned=False
    )


def user_with_profile(*, user_id) -> User:
    return User.objects.select_related("profile").prefetch_related("role_grants").get(pk=user_id)


def _email_verified_exists():
    from allauth.account.models import EmailAddress

    return Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True))


def _mfa_enabled_exists():
    from allauth.mfa.models import Authenticator

    return Exists(Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP))


def user_account_get(*, user_id) -> User:
    """A user with profile, role grants and the ``email_verified`` / ``mfa_enabled`` flags
    in as few queries as possible (the account payload of the API)."""
    return (
        User.objects.select_related("profile")
        .prefetch_related("role_grants")
        .annotate(email_verified=_email_verified_exists(), mfa_enabled=_mfa_enabled_exists())
        .get(pk=user_id)
    )


def user_email_verified(*, user) -> bool:
    """True when the user's current email address has been confirmed."""
    flag = getattr(user, "email_verified", None)
    if flag is not None:
        return bool(flag)
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()


def user_mfa_enabled(*, user) -> bool:
    """True when the user has an authenticator app (TOTP) set up."""
    flag = getattr(user, "mfa_enabled", None)
    if flag is not None:
        return bool(flag)
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_preferences(*, user) -> dict[str, bool]:
    """Every category with whether in-app notifications are on (default on)."""
    prefs = {c: True for c in NotificationCategory.values}
    for row in NotificationPreference.objects.filter(user=user):
        prefs[row.category] = row.in_app
    prefs[NotificationCategory.SYSTEM] = True
    return prefs


def audit_event_list(*, user) -> QuerySet[AuditEvent]:
    """The user's own security events (shown on the security page)."""
    return AuditEvent.objects.filter(user=user).order_by("-created_at")[:50]


# ---------------------------------------------------------------------------------------
# web pages (home, profile, security)

PROFILE_COMPLETENESS_FIELDS = (
    "first_name",
    "last_name",
    "photo",
    "bio",
    "date_of_birth",
    "sex",
    "height_cm",
    "weight_kg",
    "target_weight_kg",
    "state",
    "city",
    "phone",
)


def bmi_category(bmi) -> tuple[str, str]:
    """WHO adult BMI category as ``(code, label)``."""
    from django.utils.translation import gettext as _

    value = float(bmi)
    if value < 18.5:
        return "underweight", _("Bajo peso")
    if value < 25:
        return "normal", _("Peso saludable")
    if value < 30:
        return "overweight", _("Sobrepeso")
    if value < 35:
        return "obesity_1", _("Obesidad grado I")
    if value < 40:
        return "obesity_2", _("Obesidad grado II")
    return "obesity_3", _("Obesidad grado III")


def profile_summary(*, user) -> dict:
    """What the home and profile pages show about the profile: completeness (percent and
    missing fields) and the BMI with its WHO category when height and weight are known."""
    from decimal import Decimal

    from accounts.models import Profile

    profile = getattr(user, "profile", None)
    if profile is None:
        profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    missing = []
    for name in PROFILE_COMPLETENESS_FIELDS:
        source = user if name in ("first_name", "last_name") else profile
        value = getattr(source, name, None)
        if value in (None, "") or (hasattr(value, "name") and not value.name):
            missing.append(name)
    total = len(PROFILE_COMPLETENESS_FIELDS)
    percent = round(100 * (total - len(missing)) / total)
    bmi = None
    category = None
    position = None
    if profile.height_cm and profile.weight_kg:
        meters = Decimal(profile.height_cm) / 100
        bmi = (Decimal(profile.weight_kg) / (meters * meters)).quantize(Decimal("0.1"))
        category = bmi_category(bmi)
        # Where the value sits on a 10-40 scale, for the page's coloured bar.
        position = max(0, min(100, round((float(bmi) - 10) / 30 * 100)))
    return {
        "percent": percent,
        "missing": missing,
        "bmi": bmi,
        "bmi_category": category[0] if category else "",
        "bmi_label": category[1] if category else "",
        "bmi_position": position,
    }


def nutritionist_is_verified(*, user) -> bool:
    """True when staff granted the nutritionist role (the sign-up type alone is not enough)."""
    from accounts.models import Role, RoleGrant

    return RoleGrant.objects.filter(user=user, role=Role.NUTRITIONIST).exists()


def mfa_status(*, user) -> dict:
    """Which second factors the user has: ``{"totp": bool, "recovery_codes_left": int|None}``."""
    from allauth.mfa.models import Authenticator

    status = {"totp": False, "recovery_codes_left": None, "enabled": False}
    for auth in Authenticator.objects.filter(user=user):
        if auth.type == Authenticator.Type.TOTP:
            status["totp"] = True
        elif auth.type == Authenticator.Type.RECOVERY_CODES:
            status["recovery_codes_left"] = len(auth.wrap().get_unused_codes())
    status["enabled"] = status["totp"]
    return status


def user_session_list(*, user):
    """The user's open browser sessions (allauth usersessions), newest activity first."""
    from allauth.usersessions.models import UserSession

    return UserSession.objects.filter(user=user).order_by("-last_seen_at")
