"""Writes of the care relationship: a nutritionist adds a patient (or a patient asks for care),
the other side accepts or declines, either side ends it, and the patient decides what the
nutritionist sees (four consents, each change kept with its time).

Pages and the API call these functions. Everything the actor may not touch raises
``CareNotFound`` (a ``DoesNotExist``: 404 on pages and in the API).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Profile, User, UserType
from clinical import rules
from clinical.models import (
    OPEN_CARE,
    PENDING_CARE,
    CareConsent,
    CareConsentChange,
    CarePreference,
    CareRelationship,
    CareStatus,
    ConsentScope,
    NutritionistProfile,
    PatientInvitation,
    PrimaryGoal,
    VerificationStatus,
)
from clinical.services.practice import absolute_url, email_send, text_clean

INVITATION_DAYS = 7
DEFAULT_CONSENTS = {
    ConsentScope.DIARY: True,
    ConsentScope.MEASUREMENTS: True,
    ConsentScope.CLINICAL_RECORD: False,
    ConsentScope.DOCUMENTS: False,
}


class CareNotFound(ObjectDoesNotExist):
    error_code = "CARE_NOT_FOUND"

    def __str__(self):
        return str(_("Relación de atención no encontrada."))


def coded_error(field: str, message, code: str) -> ValidationError:
    """A field error whose stable code reaches the API envelope (``error.code``) while
    ``details`` keep the field name."""
    exc = ValidationError({field: [ValidationError(message, code=code)]})
    exc.code = code
    return exc


class InvitationInvalid(Exception):
    """The set-password link is unknown, used or expired."""


@dataclass
class PatientAdded:
    relationship: CareRelationship
    user_created: bool
    email_sent: bool


# ---------------------------------------------------------------------------------------
# helpers


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _text_list(value, field: str, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = re.split(r"[,\n]", value)
    if not isinstance(value, list | tuple):
        errors[field] = [_("Debe ser una lista de textos.")]
        return []
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or "\x00" in item:
            errors[field] = [_("Debe ser una lista de textos.")]
            return []
        item = item.strip()
        if len(item) > 80:
            errors[field] = [_("Cada elemento admite máximo 80 caracteres.")]
            return []
        if item and item.lower() not in (o.lower() for o in out):
            out.append(item)
    if len(out) > 30:
        errors[field] = [_("Máximo 30 elementos.")]
        return []
    return out


def _weight(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        errors[field] = [_("El peso meta debe ser un número en kg.")]
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors[field] = [_("El peso meta debe ser un número en kg.")]
        return None
    if not number.is_finite() or not Decimal(20) <= number <= Decimal(400):
        errors[field] = [_("El peso meta debe estar entre 20 y 400 kg.")]
        return None
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _choice(value, field: str, choices, errors: dict, message) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in [c[0] for c in choices]:
        errors[field] = [message]
        return ""
    return value


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "si", "sí")
    return bool(value)


def consents_clean(consents, *, base: dict | None = None) -> dict[str, bool]:
    """``{scope: bool}`` for the four scopes; unknown scopes or non-boolean values are refused."""
    out = dict(base or DEFAULT_CONSENTS)
    if consents in (None, ""):
        return {str(k): v for k, v in out.items()}
    if not isinstance(consents, dict):
        raise ValidationError({"consents": [_("Envía los permisos como {\"diary\": true, ...}.")]})
    errors = {}
    for scope, granted in consents.items():
        if scope not in ConsentScope.values:
            errors[f"consents.{scope}"[:60]] = [_("Permiso desconocido.")]
        elif not isinstance(granted, bool) and granted not in ("true", "false", "on", "1", "0", ""):
            errors[f"consents.{scope}"] = [_("Debe ser verdadero o falso.")]
        else:
            out[scope] = _bool(granted)
    if errors:
        raise ValidationError(errors)
    return {str(k): v for k, v in out.items()}


def _consents_write(relationship, consents: dict[str, bool], *, actor) -> None:
    now = timezone.now()
    current = {c.scope: c for c in CareConsent.objects.filter(relationship=relationship)}
    for scope in ConsentScope.values:
        granted = bool(consents.get(scope, False))
        row = current.get(scope)
        if row is None:
            CareConsent.objects.create(relationship=relationship, scope=scope, granted=granted, changed_at=now)
        elif row.granted != granted:
            row.granted, row.changed_at = granted, now
            row.save(update_fields=["granted", "changed_at"])
        else:
            continue
        CareConsentChange.objects.create(relationship=relationship, scope=scope, granted=granted, changed_by=actor,
                                         created_at=now)


def counts_refresh(nutritionist) -> None:
    """Recompute the profile's active and total patient counts."""
    mine = CareRelationship.objects.filter(nutritionist=nutritionist)
    NutritionistProfile.objects.filter(user=nutritionist).update(
        active_patients_count=mine.filter(status__in=OPEN_CARE).values("patient").distinct().count(),
        total_patients_count=mine.filter(assigned_at__isnull=False).values("patient").distinct().count(),
    )


def _name(user) -> str:
    return user.get_full_name() or user.username


def _notify(user, kind: str, title, body, link: str) -> None:
    from accounts.services import notify

    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        notify(user, kind, str(title), str(body), link, category="clinical")


def _link_for(user, relationship) -> str:
    if relationship.nutritionist_id == user.pk:
        return reverse("clinical:care_invite")
    return reverse("clinical:my_care")


def _relationship_for(*, actor, relationship_id, lock: bool = True) -> CareRelationship:
    """A relationship the actor is a side of, or ``CareNotFound``."""
    pk = rules.id_parse(relationship_id)
    if pk is None or not getattr(actor, "is_authenticated", False):
        raise CareNotFound()
    qs = CareRelationship.objects.select_related("nutritionist", "patient").filter(
        Q(nutritionist=actor) | Q(patient=actor), pk=pk
    )
    if lock:
        qs = qs.select_for_update(of=("self",)) if connection_supports_of() else qs.select_for_update()
    relationship = qs.first()
    if relationship is None:
        raise CareNotFound()
    return relationship


def connection_supports_of() -> bool:
    from django.db import connection

    return connection.features.has_select_for_update_of


# ---------------------------------------------------------------------------------------
# adding a patient (the nutritionist's side)

PATIENT_ADD_FIELDS = {
    "email", "first_name", "last_name", "phone", "date_of_birth", "gender", "sex", "primary_goal",
    "target_weight_kg", "health_conditions", "conditions", "allergies", "message", "send_welcome_email",
}


def _patient_data_clean(data: dict) -> dict:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("Envía un objeto JSON.")]})
    data = {k[:-2] if isinstance(k, str) and k.endswith("[]") else k: v for k, v in data.items()}
    errors: dict[str, list[str]] = {}
    for key in data:
        if key not in PATIENT_ADD_FIELDS:
            errors[str(key)[:60]] = [_("Campo desconocido.")]
    cleaned: dict = {}
    email = data.get("email")
    if email in (None, "") or (isinstance(email, str) and not email.strip()):
        errors["email"] = [_("Escribe el correo electrónico del paciente.")]
    elif not isinstance(email, str) or len(email) > 254:
        errors["email"] = [_("Escribe un correo electrónico válido.")]
    else:
        email = email.strip().lower()
        try:
            validate_email(email)
            cleaned["email"] = email
        except ValidationError:
            errors["email"] = [_("Escribe un correo electrónico válido.")]
    cleaned["first_name"] = text_clean(data.get("first_name"), "first_name", 100, errors)
    cleaned["last_name"] = text_clean(data.get("last_name"), "last_name", 100, errors)
    cleaned["message"] = text_clean(data.get("message"), "message", 500, errors)
    cleaned["primary_goal"] = _choice(data.get("primary_goal"), "primary_goal", PrimaryGoal.choices, errors,
                                      _("Elige un objetivo de la lista."))
    cleaned["target_weight_kg"] = _weight(data.get("target_weight_kg"), "target_weight_kg", errors)
    cond_key = "health_conditions" if "health_conditions" in data else "conditions"
    cleaned["conditions"] = _text_list(data.get(cond_key), cond_key, errors)
    cleaned["allergies"] = _text_list(data.get("allergies"), "allergies", errors)
    send = data.get("send_welcome_email", True)
    cleaned["send_welcome_email"] = True if send in (None, "") else _bool(send)
    # Personal data for a new account: the accounts app's own validators.
    from accounts.services import profile_clean

    sex_key = "gender" if "gender" in data else "sex"
    personal = {"phone": data.get("phone"), "date_of_birth": data.get("date_of_birth"), "sex": data.get(sex_key)}
    personal = {k: v for k, v in personal.items() if v not in (None, "")}
    try:
        cleaned["profile"] = profile_clean(data=personal)
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            errors[sex_key if key == "sex" else key] = msgs
    if errors:
        raise ValidationError(errors)
    return cleaned


def _create_invited_user(cleaned: dict) -> User:
    from allauth.account.models import EmailAddress

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=cleaned["email"], password=None, first_name=cleaned["first_name"],
                last_name=cleaned["last_name"], user_type=UserType.PATIENT,
            )
    except IntegrityError:
        raise ValidationError({"email": [_("Ya existe una cuenta con este correo.")]})
    user.set_unusable_password()
    user.save(update_fields=["password"])
    profile_fields = dict(cleaned.get("profile") or {})
    if cleaned.get("primary_goal") in ("weight_loss", "muscle_gain", "maintenance", "health_condition"):
        profile_fields["goal"] = cleaned["primary_goal"]
    if cleaned.get("conditions"):
        profile_fields["conditions"] = cleaned["conditions"]
    if cleaned.get("allergies"):
        profile_fields["allergies"] = cleaned["allergies"]
    Profile.objects.update_or_create(user=user, defaults=profile_fields)
    # Verified when the person opens the one-time link (which proves the address).
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


@transaction.atomic
def patient_add(*, actor, data: dict, request=None) -> PatientAdded:
    """A verified nutritionist adds a patient by email.

    - An existing account gets an invitation (status ``invited``) to accept at "Mi nutriólogo".
    - An unknown email gets a new patient account with no password and a one-time link (7 days)
      to set one; only the token's SHA-256 is stored and no password is ever emailed.
    Raises ``ValidationError`` per field; code ``ALREADY_YOUR_PATIENT`` when a pending or open
    relationship with this patient exists.
    """
    rules.require_verified_nutritionist(actor)
    cleaned = _patient_data_clean(dict(data or {}))
    email = cleaned["email"]
    if email == (actor.email or "").lower():
        raise ValidationError({"email": [_("No puedes agregarte como tu propio paciente.")]})
    patient = User.objects.filter(email__iexact=email).first()
    user_created = patient is None
    if patient is not None:
        if patient.deleted_at is not None or patient.is_banned or not patient.is_active:
            raise ValidationError({"email": [_("No es posible invitar a esta cuenta.")]})
        if CareRelationship.objects.filter(nutritionist=actor, patient=patient,
                                           status__in=(*PENDING_CARE, *OPEN_CARE)).exists():
            raise coded_error("email", _("Esta persona ya es tu paciente o tiene una invitación pendiente."),
                              "ALREADY_YOUR_PATIENT")
    else:
        patient = _create_invited_user(cleaned)
    relationship = CareRelationship.objects.create(
        nutritionist=actor, patient=patient, status=CareStatus.INVITED, initiated_by=actor,
        primary_goal=cleaned["primary_goal"], target_weight_kg=cleaned["target_weight_kg"],
        conditions=cleaned["conditions"], allergies=cleaned["allergies"], message=cleaned["message"],
    )
    my_care = reverse("clinical:my_care")
    context = {"nutritionist": actor, "nutritionist_name": _name(actor), "message": cleaned["message"]}
    email_sent = False
    if user_created:
        token = secrets.token_urlsafe(32)
        PatientInvitation.objects.create(
            relationship=relationship, token_hash=token_hash(token),
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        link = absolute_url(reverse("clinical:invitation", args=[token]), request)
        email_send(user=patient, subject=gettext_lazy("Te invitaron a NutriMX"),
                   template="clinical/email/invitation_new.txt", context={**context, "link": link,
                                                                          "days": INVITATION_DAYS})
        email_sent = True
    else:
        _notify(patient, "care_invited", gettext_lazy("Tienes una invitación de atención nutricional"),
                _("%(n)s quiere atenderte en NutriMX.") % {"n": _name(actor)}, my_care)
        if cleaned["send_welcome_email"]:
            email_send(user=patient, subject=gettext_lazy("Tienes una invitación de atención nutricional"),
                       template="clinical/email/invitation_existing.txt",
                       context={**context, "link": absolute_url(my_care, request)})
            email_sent = True
    return PatientAdded(relationship=relationship, user_created=user_created, email_sent=email_sent)


def invitation_get(*, token: str) -> PatientInvitation:
    """The unused, unexpired invitation for this link, or ``InvitationInvalid``."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise InvitationInvalid()
    invitation = (
        PatientInvitation.objects.select_related("relationship__patient", "relationship__nutritionist")
        .filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= timezone.now():
        raise InvitationInvalid()
    return invitation


@transaction.atomic
def invitation_password_set(*, token: str, password: str, password2: str | None = None) -> User:
    """Set the invited patient's first password through the one-time link; marks the link used
    and the email verified. The caller signs the person in."""
    from allauth.account.models import EmailAddress

    invitation = invitation_get(token=token)
    invitation = PatientInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise InvitationInvalid()
    user = invitation.relationship.patient
    errors: dict = {}
    if not isinstance(password, str) or not password:
        errors["password"] = [_("Escribe una contraseña.")]
    else:
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as exc:
            errors["password"] = exc.messages
        if password2 is not None and password2 != password:
            errors["password2"] = [_("Las contraseñas no coinciden.")]
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


# ---------------------------------------------------------------------------------------
# requesting care (the patient's side)


@transaction.atomic
def care_request(*, actor, nutritionist_slug, message: str = "", consents: dict | None = None) -> CareRelationship:
    """A signed-in person asks a verified nutritionist (found by public slug) for care.

    Refused when the nutritionist is not taking new patients or a pending/open relationship
    exists. The consents chosen now (default: diary and measurements) apply once accepted.
    """
    from clinical.selectors.practice import ProfileNotFound, nutritionist_public_get

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    try:
        profile = nutritionist_public_get(slug=nutritionist_slug)
    except ProfileNotFound:
        raise
    errors: dict = {}
    message = text_clean(message, "message", 500, errors)
    if errors:
        raise ValidationError(errors)
    chosen = consents_clean(consents)
    nutritionist = profile.user
    if nutritionist.pk == actor.pk:
        raise ValidationError({"non_field_errors": [_("No puedes solicitar atención a ti mismo(a).")]})
    if not profile.accepting_patients:
        raise coded_error("non_field_errors", _("Este nutriólogo no está aceptando pacientes nuevos."),
                          "NOT_ACCEPTING_PATIENTS")
    existing = CareRelationship.objects.filter(nutritionist=nutritionist, patient=actor,
                                               status__in=(*PENDING_CARE, *OPEN_CARE)).first()
    if existing is not None:
        text = (_("Ya te atiende este nutriólogo.") if existing.status in OPEN_CARE
                else _("Ya tienes una solicitud o invitación pendiente con este nutriólogo."))
        raise coded_error("non_field_errors", text, "CARE_ALREADY_EXISTS")
    relationship = CareRelationship.objects.create(
        nutritionist=nutritionist, patient=actor, status=CareStatus.REQUESTED, initiated_by=actor, message=message,
    )
    _consents_write(relationship, chosen, actor=actor)
    _notify(nutritionist, "care_requested", gettext_lazy("Nueva solicitud de atención"),
            _("%(n)s quiere ser tu paciente.") % {"n": _name(actor)}, reverse("clinical:care_invite"))
    return relationship


# ---------------------------------------------------------------------------------------
# accept, decline, end


@transaction.atomic
def care_accept(*, actor, relationship_id, consents: dict | None = None) -> CareRelationship:
    """The side that did not start it accepts: the patient accepts an invitation choosing the
    consents; the nutritionist accepts a request (the patient's consents stand). Care starts:
    status active, start weight from the patient's profile, consent rows and history, counts."""
    relationship = _relationship_for(actor=actor, relationship_id=relationship_id)
    if relationship.status not in PENDING_CARE:
        raise coded_error("status", _("Esta solicitud ya no está pendiente."), "CARE_NOT_PENDING")
    if relationship.status == CareStatus.INVITED:
        if actor.pk != relationship.patient_id:
            raise CareNotFound() if actor.pk != relationship.nutritionist_id else PermissionDenied(
                _("La invitación la acepta el paciente."))
        chosen = consents_clean(consents)
    else:
        if actor.pk != relationship.nutritionist_id:
            raise PermissionDenied(_("La solicitud la acepta el nutriólogo."))
        rules.require_verified_nutritionist(actor)
        current = dict(CareConsent.objects.filter(relationship=relationship).values_list("scope", "granted"))
        chosen = {scope: bool(current.get(scope, DEFAULT_CONSENTS[scope])) for scope in ConsentScope.values}
    if not NutritionistProfile.objects.filter(user_id=relationship.nutritionist_id,
                                              verification_status=VerificationStatus.VERIFIED).exists():
        raise ValidationError({"status": [_("Este nutriólogo ya no está verificado.")]})
    profile = getattr(relationship.patient, "profile", None)
    relationship.status = CareStatus.ACTIVE
    relationship.assigned_at = timezone.now()
    relationship.start_weight_kg = getattr(profile, "weight_kg", None) if profile is not None else None
    relationship.save(update_fields=["status", "assigned_at", "start_weight_kg", "updated_at"])
    _consents_write(relationship, chosen, actor=relationship.patient)
    counts_refresh(relationship.nutritionist)
    other = relationship.nutritionist if actor.pk == relationship.patient_id else relationship.patient
    _notify(other, "care_accepted", gettext_lazy("Atención nutricional iniciada"),
            _("%(n)s aceptó. La atención comenzó.") % {"n": _name(actor)}, _link_for(other, relationship))
    return relationship


@transaction.atomic
def care_decline(*, actor, relationship_id) -> CareRelationship:
    """Either side turns down (or withdraws) a pending invitation or request."""
    relationship = _relationship_for(actor=actor, relationship_id=relationship_id)
    if relationship.status not in PENDING_CARE:
        raise coded_error("status", _("Esta solicitud ya no está pendiente."), "CARE_NOT_PENDING")
    relationship.status = CareStatus.DECLINED
    relationship.ended_at = timezone.now()
    relationship.ended_by = actor
    relationship.save(update_fields=["status", "ended_at", "ended_by", "updated_at"])
    PatientInvitation.objects.filter(relationship=relationship, used_at__isnull=True).update(
        expires_at=timezone.now())
    other = relationship.nutritionist if actor.pk == relationship.patient_id else relationship.patient
    _notify(other, "care_declined", gettext_lazy("Solicitud de atención rechazada"),
            _("%(n)s no aceptó la atención.") % {"n": _name(actor)}, _link_for(other, relationship))
    return relationship


END_OUTCOMES = (CareStatus.GRADUATED, CareStatus.DROPPED)


@transaction.atomic
def care_end(*, actor, relationship_id, outcome: str = CareStatus.GRADUATED, reason: str = "") -> CareRelationship:
    """Either side ends open care. The patient's ending is always ``dropped``; the nutritionist
    chooses ``graduated`` or ``dropped``. Rows and data stay; access stops at once."""
    relationship = _relationship_for(actor=actor, relationship_id=relationship_id)
    errors: dict = {}
    reason = text_clean(reason, "reason", 300, errors)
    is_patient = actor.pk == relationship.patient_id
    if is_patient:
        outcome = CareStatus.DROPPED
    elif outcome not in END_OUTCOMES:
        errors["outcome"] = [_("Elige «dado de alta» (graduated) o «abandonó» (dropped).")]
    if errors:
        raise ValidationError(errors)
    if relationship.status not in OPEN_CARE:
        raise coded_error("status", _("Esta atención no está en curso."), "CARE_NOT_OPEN")
    relationship.status = outcome
    relationship.ended_at = timezone.now()
    relationship.ended_by = actor
    relationship.end_reason = reason
    relationship.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "updated_at"])
    counts_refresh(relationship.nutritionist)
    other = relationship.nutritionist if is_patient else relationship.patient
    _notify(other, "care_ended", gettext_lazy("La atención nutricional terminó"),
            _("%(n)s terminó la atención.") % {"n": _name(actor)}, _link_for(other, relationship))
    return relationship


# ---------------------------------------------------------------------------------------
# consents and details


@transaction.atomic
def consent_set(*, actor, relationship_id, scope: str, granted) -> CareConsent:
    """The patient grants or revokes one scope; effective at once, recorded with time."""
    relationship = _relationship_for(actor=actor, relationship_id=relationship_id)
    if actor.pk != relationship.patient_id:
        raise CareNotFound()
    if scope not in ConsentScope.values:
        raise ValidationError({"scope": [_("Permiso desconocido.")]})
    if not isinstance(granted, bool) and granted not in ("true", "false", "on", "1", "0", "", None):
        raise ValidationError({"granted": [_("Debe ser verdadero o falso.")]})
    if relationship.status not in (*OPEN_CARE, *PENDING_CARE):
        raise ValidationError({"status": [_("Esta atención ya terminó.")]})
    current = rules.consents_of(relationship)
    current[scope] = _bool(granted)
    _consents_write(relationship, current, actor=actor)
    return CareConsent.objects.get(relationship=relationship, scope=scope)


@transaction.atomic
def consents_set(*, actor, relationship_id, consents: dict) -> dict[str, bool]:
    """Several scopes at once (the API's PUT); same rules as ``consent_set``."""
    relationship = _relationship_for(actor=actor, relationship_id=relationship_id)
    if actor.pk != relationship.patient_id:
        raise CareNotFound()
    if relationship.status not in (*OPEN_CARE, *PENDING_CARE):
        raise ValidationError({"status": [_("Esta atención ya terminó.")]})
    chosen = consents_clean(consents, base=rules.consents_of(relationship))
    _consents_write(relationship, chosen, actor=actor)
    return chosen


def _nutritionist_side(*, actor, relationship_id) -> CareRelationship:
    relationship = _relationship_for(actor=actor, relationship_id=relationship_id)
    if actor.pk != relationship.nutritionist_id:
        raise CareNotFound()
    return relationship


@transaction.atomic
def care_status_set(*, actor, relationship_id, status: str) -> CareRelationship:
    """The nutritionist moves open care between active and inactive (ending is ``care_end``)."""
    relationship = _nutritionist_side(actor=actor, relationship_id=relationship_id)
    if status not in OPEN_CARE:
        raise ValidationError({"status": [_("Elige activo o inactivo; para terminar usa «Terminar atención».")]})
    if relationship.status not in OPEN_CARE:
        raise ValidationError({"status": [_("Esta atención no está en curso.")]})
    if relationship.status != status:
        relationship.status = status
        relationship.save(update_fields=["status", "updated_at"])
    return relationship


DETAIL_FIELDS = (
    "primary_goal", "target_weight_kg", "target_date", "conditions", "health_conditions", "allergies", "restrictions",
    "dietary_preference", "has_insurance", "insurance_type", "insurance_number",
)


@transaction.atomic
def care_details_update(*, actor, patient_id, data: dict, request=None) -> CareRelationship:
    """The nutritionist updates the care details of a patient under open care: goal, target
    weight/date, conditions, allergies, restrictions, dietary preference, insurance."""
    access = rules.patient_access(actor=actor, patient_id=patient_id)
    if access.relationship is None:
        raise rules.PatientNotFound()
    relationship = CareRelationship.objects.select_for_update().get(pk=access.relationship.pk)
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("Envía un objeto JSON.")]})
    errors: dict = {k: [_("Campo desconocido.")] for k in data if k not in DETAIL_FIELDS}
    values: dict = {}
    if "primary_goal" in data:
        values["primary_goal"] = _choice(data["primary_goal"], "primary_goal", PrimaryGoal.choices, errors,
                                         _("Elige un objetivo de la lista."))
    if "target_weight_kg" in data:
        values["target_weight_kg"] = _weight(data["target_weight_kg"], "target_weight_kg", errors)
    if "target_date" in data:
        raw = data["target_date"]
        if raw in (None, ""):
            values["target_date"] = None
        else:
            day = parse_date(raw) if isinstance(raw, str) else None
            if day is None:
                errors["target_date"] = [_("Usa una fecha con formato AAAA-MM-DD.")]
            elif day < timezone.localdate():
                errors["target_date"] = [_("La fecha meta debe ser hoy o después.")]
            else:
                values["target_date"] = day
    for key, field in (("conditions", "conditions"), ("health_conditions", "conditions"), ("allergies", "allergies"),
                       ("restrictions", "restrictions")):
        if key in data:
            values[field] = _text_list(data[key], key, errors)
    if "dietary_preference" in data:
        values["dietary_preference"] = _choice(data["dietary_preference"], "dietary_preference",
                                               CarePreference.choices, errors, _("Elige una alimentación de la lista."))
    if "has_insurance" in data:
        values["has_insurance"] = _bool(data["has_insurance"])
    for field in ("insurance_type", "insurance_number"):
        if field in data:
            values[field] = text_clean(data[field], field, 100, errors)
    if errors:
        raise ValidationError(errors)
    for key, value in values.items():
        setattr(relationship, key, value)
    if values:
        relationship.save()
        rules.access_log(patient=relationship.patient, actor=actor, action="update", resource="care",
                         object_id=relationship.pk, request=request)
    return relationship
