"""Wire shapes of the accounts API.

Input serializers only check types and sizes; every rule (unique email, password policy,
profile ranges, consents...) lives in ``accounts.services``. Output serializers are the
shapes other apps reuse: ``UserOutput`` is the account payload (``GET users/profile``,
register and login), ``TokensOutput`` the JWT pair.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import (
    ActivityLevel,
    DietaryPreference,
    Goal,
    NotificationCategory,
    Sex,
    Units,
    UserType,
)
from accounts.selectors import profile_summary, user_email_verified, user_mfa_enabled
from accounts.services import PROFILE_FIELDS, consent_privacy_is_current, notification_payload

# Big enough for any real value, small enough that a 1 MB string is refused before it
# reaches a hasher or a query.
MAX_PASSWORD = 4096
MAX_TOKEN = 4096


# ---------------------------------------------------------------------------------------
# output


class ProfileOutput(serializers.Serializer):
    """Every field of ``accounts.services.PROFILE_FIELDS`` plus derived values."""

    bio = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    sex = serializers.CharField(help_text=f"{', '.join(Sex.values)} o vacío")
    height_cm = serializers.FloatField(allow_null=True)
    weight_kg = serializers.FloatField(allow_null=True)
    activity_level = serializers.ChoiceField(choices=ActivityLevel.choices)
    goal = serializers.ChoiceField(choices=Goal.choices)
    target_weight_kg = serializers.FloatField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    dietary_preference = serializers.ChoiceField(choices=DietaryPreference.choices)
    restrictions = serializers.ListField(child=serializers.CharField())
    allergies = serializers.ListField(child=serializers.CharField())
    conditions = serializers.ListField(child=serializers.CharField())
    country = serializers.CharField()
    state = serializers.CharField()
    city = serializers.CharField()
    units = serializers.ChoiceField(choices=Units.choices)
    phone = serializers.CharField(help_text="E.164, +52 y 10 dígitos, o vacío")
    photo_url = serializers.SerializerMethodField()
    age = serializers.IntegerField(allow_null=True, read_only=True)
    bmi = serializers.SerializerMethodField(help_text="kg/m², 1 decimal; null sin estatura o peso")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, profile) -> str | None:
        if not profile.photo:
            return None
        url = profile.photo.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_bmi(self, profile) -> float | None:
        # The same figure the profile page shows.
        bmi = profile_summary(user=profile.user)["bmi"]
        return float(bmi) if bmi is not None else None


class UserOutput(serializers.Serializer):
    """The account as the app sees it. Pass a user from ``selectors.user_account_get``
    (one query for flags, profile and roles) and ``context={"request": request}``."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    user_type = serializers.ChoiceField(choices=UserType.choices)
    roles = serializers.ListField(child=serializers.CharField())
    language = serializers.CharField()
    time_zone = serializers.CharField()
    email_verified = serializers.SerializerMethodField()
    mfa_enabled = serializers.SerializerMethodField()
    consent_required = serializers.SerializerMethodField(
        help_text="true cuando debe aceptar la versión vigente del aviso de privacidad"
    )
    created_at = serializers.DateTimeField(source="date_joined")
    profile = ProfileOutput(allow_null=True)

    def get_email_verified(self, user) -> bool:
        return user_email_verified(user=user)

    def get_mfa_enabled(self, user) -> bool:
        return user_mfa_enabled(user=user)

    def get_consent_required(self, user) -> bool:
        return not consent_privacy_is_current(user=user)


class TokensOutput(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Segundos de vida del access_token")


class AuthOutput(serializers.Serializer):
    user = UserOutput()
    tokens = TokensOutput()


class TokensOnlyOutput(serializers.Serializer):
    tokens = TokensOutput()


class MfaRequiredOutput(serializers.Serializer):
    mfa_required = serializers.BooleanField()
    mfa_token = serializers.CharField(help_text="Firmado, válido 5 minutos; úsalo en auth/mfa/verify")
    methods = serializers.ListField(child=serializers.ChoiceField(choices=["totp", "recovery_codes"]))


class MessageOutput(serializers.Serializer):
    message = serializers.CharField()


class NotificationOutput(serializers.Serializer):
    """``accounts.services.notification_payload`` (the websocket ``notification:new`` shape)."""

    id = serializers.IntegerField()
    type = serializers.CharField()
    category = serializers.ChoiceField(choices=NotificationCategory.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    action_url = serializers.CharField()
    data = serializers.DictField()
    read = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    unread_count = serializers.IntegerField(required=False)

    def to_representation(self, instance):
        return notification_payload(instance)


class NotificationPageOutput(serializers.Serializer):
    results = NotificationOutput(many=True)
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    total_results = serializers.IntegerField()


class UnreadCountOutput(serializers.Serializer):
    unread_count = serializers.IntegerField()


class ReadAllOutput(serializers.Serializer):
    updated = serializers.IntegerField()


NotificationPreferences = type(
    "NotificationPreferences",
    (serializers.Serializer,),
    {
        "__doc__": "``{category: bool}``: in-app notifications on or off per category (system is always on).",
        **{c: serializers.BooleanField(required=False) for c in NotificationCategory.values},
    },
)


# ---------------------------------------------------------------------------------------
# input


class ProfileInput(serializers.Serializer):
    """Documentation of the profile fields a client may send (all optional). The values are
    validated by ``accounts.services.profile_clean``, never here."""

    bio = serializers.CharField(required=False, max_length=500)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    height_cm = serializers.FloatField(required=False, allow_null=True, min_value=50, max_value=300)
    weight_kg = serializers.FloatField(required=False, allow_null=True, min_value=20, max_value=500)
    activity_level = serializers.ChoiceField(choices=ActivityLevel.choices, required=False)
    goal = serializers.ChoiceField(choices=Goal.choices, required=False)
    target_weight_kg = serializers.FloatField(required=False, allow_null=True, min_value=20, max_value=500)
    target_date = serializers.DateField(required=False, allow_null=True)
    dietary_preference = serializers.ChoiceField(choices=DietaryPreference.choices, required=False)
    restrictions = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    allergies = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    conditions = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    country = serializers.CharField(required=False, max_length=2)
    state = serializers.CharField(required=False, max_length=100)
    city = serializers.CharField(required=False, max_length=100)
    units = serializers.ChoiceField(choices=Units.choices, required=False)
    phone = serializers.CharField(required=False, help_text="Teléfono de México; se guarda como +52 y 10 dígitos")


@extend_schema_field(ProfileInput)
class ProfileDataField(serializers.DictField):
    """An object of profile fields, passed as is to the service that validates it."""


class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=MAX_PASSWORD, trim_whitespace=False)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    user_type = serializers.ChoiceField(
        choices=[UserType.PATIENT, UserType.NUTRITIONIST], required=False, default=UserType.PATIENT
    )
    accept_privacy = serializers.BooleanField(help_text="Debe ser true: aviso de privacidad")
    accept_terms = serializers.BooleanField(help_text="Debe ser true: términos y condiciones")
    accept_marketing = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(choices=[c for c, _n in settings.LANGUAGES], required=False)
    profile = ProfileDataField(
        required=False,
        help_text="Campos de perfil; también se aceptan en el nivel superior (y first_name/last_name dentro de profile).",
    )

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            data = _lift_registration_fields(data)
        return super().to_internal_value(data)


def _lift_registration_fields(data: Mapping) -> dict:
    """Accept both published shapes: names inside ``profile`` (seed 003) and profile
    fields at the top level, ``gender`` for ``sex`` (seed 000)."""
    data = dict(data.items())
    profile = data.get("profile")
    if profile is None:
        profile = {}
    if not isinstance(profile, Mapping):
        return data  # the DictField reports the type error
    profile = dict(profile)
    for name in ("first_name", "last_name"):
        if name in profile and name not in data:
            data[name] = profile.pop(name)
    if "gender" in data and "sex" not in data and "sex" not in profile:
        profile["sex"] = data.pop("gender")
    for name in PROFILE_FIELDS:
        if name in data:
            profile.setdefault(name, data.pop(name))
    if profile or "profile" in data:
        data["profile"] = profile
    return data


class LoginInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=MAX_PASSWORD, trim_whitespace=False)


class MfaVerifyInput(serializers.Serializer):
    mfa_token = serializers.CharField(max_length=MAX_TOKEN)
    code = serializers.CharField(max_length=64, help_text="Código de 6 dígitos de la app o un código de recuperación")


class RefreshInput(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=MAX_TOKEN)


class ForgotPasswordInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ResetPasswordInput(serializers.Serializer):
    token = serializers.CharField(max_length=512, help_text="La clave del enlace del correo: <uidb36>-<key>")
    new_password = serializers.CharField(max_length=MAX_PASSWORD, trim_whitespace=False)


class ProfileUpdateInput(serializers.Serializer):
    """Any subset; profile fields may come flat or nested under ``profile``. Documentation
    only: ``accounts.services.profile_update`` validates everything in one step."""

    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    username = serializers.CharField(required=False)
    language = serializers.ChoiceField(choices=[c for c, _n in settings.LANGUAGES], required=False)
    time_zone = serializers.CharField(required=False)
    profile = ProfileDataField(required=False, help_text="Campos de perfil; también pueden ir en el nivel superior.")


class PhotoInput(serializers.Serializer):
    photo = serializers.ImageField(help_text=_("JPG, PNG o WEBP de hasta 5 MB"))


class AccountDeleteInput(serializers.Serializer):
    confirmation = serializers.CharField(help_text="Exactamente DELETE_MY_ACCOUNT.")
    password = serializers.CharField(required=False, help_text="Obligatoria si la cuenta tiene contraseña.")
