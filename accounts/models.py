"""Accounts: users, roles, profiles, consents, security audit and the notifications inbox.

Models hold data and invariants only; every write goes through ``accounts.services``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_birth_date

USERNAME_VALIDATOR = RegexValidator(
    r"^[a-z0-9_]{3,30}$",
    _("Usa de 3 a 30 caracteres: minúsculas, números o guion bajo."),
    code="invalid_username",
)
PHONE_VALIDATOR = RegexValidator(
    r"^\+52\d{10}$",
    _("Escribe un teléfono mexicano de 10 dígitos, por ejemplo +52 55 1234 5678."),
    code="invalid_phone",
)


class UserType(models.TextChoices):
    PATIENT = "patient", _("Paciente")
    NUTRITIONIST = "nutritionist", _("Nutriólogo(a)")
    ADMIN = "admin", _("Administrador(a)")


class Role(models.TextChoices):
    PATIENT = "patient", _("Paciente")
    NUTRITIONIST = "nutritionist", _("Nutriólogo(a)")
    ADMIN = "admin", _("Administrador(a)")


# Roles that only staff may grant (a nutritionist signs up and waits for verification).
STAFF_GRANTED_ROLES = {Role.NUTRITIONIST, Role.ADMIN}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_queryset(self):
        return super().get_queryset()

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        email = self.normalize_email(email).lower()
        if not extra.get("username"):
            from accounts.services import username_generate

            extra["username"] = username_generate(
                first_name=extra.get("first_name", ""), last_name=extra.get("last_name", ""), email=email
            )
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("user_type", UserType.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person. Email is the login; ``username`` is the public handle for @mentions and URLs."""

    email = models.EmailField(_("correo electrónico"), unique=True)
    username = models.CharField(_("nombre de usuario"), max_length=30, unique=True, validators=[USERNAME_VALIDATOR])
    first_name = models.CharField(_("nombre"), max_length=100, blank=True)
    last_name = models.CharField(_("apellidos"), max_length=100, blank=True)
    user_type = models.CharField(_("tipo de usuario"), max_length=20, choices=UserType.choices, default=UserType.PATIENT)
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default="es-mx")
    time_zone = models.CharField(_("zona horaria"), max_length=64, default="America/Mexico_City")
    is_banned = models.BooleanField(_("suspendido"), default=False)
    banned_reason = models.TextField(_("motivo de suspensión"), blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="user_email_lowercase"),
            models.CheckConstraint(condition=models.Q(username=Lower("username")), name="user_username_lowercase"),
        ]
        indexes = [models.Index(fields=["user_type"], name="user_type_idx")]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.username = (self.username or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def roles(self) -> list[str]:
        """Every role this person holds.

        Patients hold the patient role by signing up; the nutritionist and admin roles exist
        only as grants made by staff (a nutritionist who signs up waits for verification).
        """
        cache = getattr(self, "_prefetched_objects_cache", {})
        grants = cache.get("role_grants")
        if grants is None:
            grants = list(self.role_grants.all())
        found = {g.role for g in grants}
        if self.user_type == UserType.PATIENT:
            found.add(Role.PATIENT)
        return sorted(found)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rol asignado")
        verbose_name_plural = _("roles asignados")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique")]

    def __str__(self):
        return f"{self.user_id}:{self.role}"


class Sex(models.TextChoices):
    FEMALE = "female", _("Femenino")
    MALE = "male", _("Masculino")
    OTHER = "other", _("Otro")
    UNSPECIFIED = "prefer_not_to_say", _("Prefiero no decir")


class ActivityLevel(models.TextChoices):
    SEDENTARY = "sedentary", _("Sedentario")
    LIGHT = "light", _("Ligero")
    MODERATE = "moderate", _("Moderado")
    ACTIVE = "active", _("Activo")
    VERY_ACTIVE = "very_active", _("Muy activo")


class Goal(models.TextChoices):
    WEIGHT_LOSS = "weight_loss", _("Bajar de peso")
    MUSCLE_GAIN = "muscle_gain", _("Ganar músculo")
    MAINTENANCE = "maintenance", _("Mantener mi peso")
    HEALTH_CONDITION = "health_condition", _("Controlar una condición de salud")


class DietaryPreference(models.TextChoices):
    OMNIVORE = "omnivore", _("Omnívora")
    VEGETARIAN = "vegetarian", _("Vegetariana")
    VEGAN = "vegan", _("Vegana")


class Units(models.TextChoices):
    METRIC = "metric", _("Métrico (kg, cm)")
    IMPERIAL = "imperial", _("Imperial (lb, in)")


class MexicanState(models.TextChoices):
    AGU = "AGU", "Aguascalientes"
    BCN = "BCN", "Baja California"
    BCS = "BCS", "Baja California Sur"
    CAM = "CAM", "Campeche"
    CHP = "CHP", "Chiapas"
    CHH = "CHH", "Chihuahua"
    CMX = "CMX", "Ciudad de México"
    COA = "COA", "Coahuila"
    COL = "COL", "Colima"
    DUR = "DUR", "Durango"
    GUA = "GUA", "Guanajuato"
    GRO = "GRO", "Guerrero"
    HID = "HID", "Hidalgo"
    JAL = "JAL", "Jalisco"
    MEX = "MEX", "Estado de México"
    MIC = "MIC", "Michoacán"
    MOR = "MOR", "Morelos"
    NAY = "NAY", "Nayarit"
    NLE = "NLE", "Nuevo León"
    OAX = "OAX", "Oaxaca"
    PUE = "PUE", "Puebla"
    QUE = "QUE", "Querétaro"
    ROO = "ROO", "Quintana Roo"
    SLP = "SLP", "San Luis Potosí"
    SIN = "SIN", "Sinaloa"
    SON = "SON", "Sonora"
    TAB = "TAB", "Tabasco"
    TAM = "TAM", "Tamaulipas"
    TLA = "TLA", "Tlaxcala"
    VER = "VER", "Veracruz"
    YUC = "YUC", "Yucatán"
    ZAC = "ZAC", "Zacatecas"


def profile_photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"profiles/{instance.user_id}/{uuid.uuid4().hex}.{ext}"


class Profile(models.Model):
    """Personal and health data used for targets, matching and challenge scoping."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    photo = models.ImageField(_("foto"), upload_to=profile_photo_path, blank=True)
    bio = models.TextField(_("biografía"), max_length=500, blank=True)
    date_of_birth = models.DateField(_("fecha de nacimiento"), null=True, blank=True, validators=[validate_birth_date])
    sex = models.CharField(_("sexo"), max_length=20, choices=Sex.choices, blank=True)
    height_cm = models.DecimalField(
        _("estatura (cm)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(300)],
    )
    weight_kg = models.DecimalField(
        _("peso (kg)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(500)],
    )
    activity_level = models.CharField(
        _("nivel de actividad"), max_length=20, choices=ActivityLevel.choices, default=ActivityLevel.SEDENTARY
    )
    goal = models.CharField(_("objetivo"), max_length=20, choices=Goal.choices, default=Goal.MAINTENANCE)
    target_weight_kg = models.DecimalField(
        _("peso meta (kg)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(500)],
    )
    target_date = models.DateField(_("fecha meta"), null=True, blank=True)
    dietary_preference = models.CharField(
        _("alimentación"), max_length=20, choices=DietaryPreference.choices, default=DietaryPreference.OMNIVORE
    )
    restrictions = models.JSONField(_("restricciones"), default=list, blank=True)
    allergies = models.JSONField(_("alergias"), default=list, blank=True)
    conditions = models.JSONField(_("condiciones de salud"), default=list, blank=True)
    country = models.CharField(_("país"), max_length=2, default="MX")
    state = models.CharField(_("estado"), max_length=100, blank=True)
    city = models.CharField(_("ciudad"), max_length=100, blank=True)
    units = models.CharField(_("unidades"), max_length=10, choices=Units.choices, default=Units.METRIC)
    phone = models.CharField(_("teléfono"), max_length=16, blank=True, validators=[PHONE_VALIDATOR])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("perfil")
        verbose_name_plural = _("perfiles")
        indexes = [models.Index(fields=["country", "state", "city"], name="profile_place_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="profile_phone_unique"
            )
        ]

    def __str__(self):
        return f"Perfil de {self.user}"

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = date.today()
        dob = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


class LegalDocument(models.Model):
    """A published version of the privacy notice (Aviso de Privacidad) or the terms of use."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Aviso de privacidad")
        TERMS = "terms", _("Términos y condiciones")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("documento legal")
        verbose_name_plural = _("documentos legales")
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="legaldoc_kind_version_unique")]
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class ConsentRecord(models.Model):
    """One act of consent (or its withdrawal), kept as evidence under the LFPDPPP."""

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Aviso de privacidad")
        TERMS = "terms", _("Términos y condiciones")
        DATA_PROCESSING = "data_processing", _("Tratamiento de datos de salud")
        MARKETING = "marketing_communications", _("Comunicaciones de marketing")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    version = models.CharField(max_length=20, blank=True)
    granted = models.BooleanField(default=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "kind", "-created_at"], name="consent_user_kind_idx")]

    def __str__(self):
        return f"{self.user_id} {self.kind} v{self.version} {'✔' if self.granted else '✘'}"


class AuditEvent(models.Model):
    """A security event, kept for staff review."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registro")
        LOGIN = "login", _("Inicio de sesión")
        LOGIN_FAILED = "login_failed", _("Inicio de sesión fallido")
        LOGOUT = "logout", _("Cierre de sesión")
        PASSWORD_CHANGE = "password_change", _("Cambio de contraseña")
        PASSWORD_RESET = "password_reset", _("Restablecimiento de contraseña")
        EMAIL_CHANGE = "email_change", _("Cambio de correo")
        MFA_ENABLED = "mfa_enabled", _("2FA activada")
        MFA_DISABLED = "mfa_disabled", _("2FA desactivada")
        MFA_RECOVERY_CODES = "mfa_recovery_codes", _("Códigos de recuperación regenerados")
        ROLE_GRANTED = "role_granted", _("Rol otorgado")
        ROLE_REVOKED = "role_revoked", _("Rol retirado")
        BANNED = "banned", _("Cuenta suspendida")
        UNBANNED = "unbanned", _("Suspensión retirada")
        DELETED = "deleted", _("Cuenta eliminada")
        TOKEN_REUSE = "token_reuse", _("Reuso de token de renovación")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evento de seguridad")
        verbose_name_plural = _("eventos de seguridad")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.user_id}"


class NotificationCategory(models.TextChoices):
    SOCIAL = "social", _("Red social")
    CLINICAL = "clinical", _("Consulta y seguimiento")
    MESSAGES = "messages", _("Mensajes")
    CHALLENGES = "challenges", _("Retos y logros")
    SYSTEM = "system", _("Cuenta y seguridad")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=50)
    category = models.CharField(max_length=20, choices=NotificationCategory.choices, default=NotificationCategory.SYSTEM)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notif_user_created_idx"),
            models.Index(fields=["user", "read_at"], name="notif_user_read_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Per-category opt-out. No row means the default: in-app on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    category = models.CharField(max_length=20, choices=NotificationCategory.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="notifpref_unique")]

    def __str__(self):
        return f"{self.user_id}:{self.category}"
