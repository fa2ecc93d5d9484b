"""Writes of the practice: the nutritionist's professional profile and its verification by staff.

Every page and API view calls these functions; none re-implements a rule. They raise
``ValidationError`` ({field: [messages]}), ``PermissionDenied`` or a ``DoesNotExist``
(``ProfileNotFound``) that pages and the API turn into 404.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import MexicanState, Role, UserType
from accounts.validators import normalize_mx_phone
from clinical.models import NutritionistProfile, Specialization, VerificationStatus

LICENSE_MAX_BYTES = 10 * 1024 * 1024
LANGUAGE_CHOICES = (("es", gettext_lazy("Español")), ("en", gettext_lazy("Inglés")))
WEEKDAYS = (
    ("monday", gettext_lazy("Lunes")),
    ("tuesday", gettext_lazy("Martes")),
    ("wednesday", gettext_lazy("Miércoles")),
    ("thursday", gettext_lazy("Jueves")),
    ("friday", gettext_lazy("Viernes")),
    ("saturday", gettext_lazy("Sábado")),
    ("sunday", gettext_lazy("Domingo")),
)
PROFILE_FIELDS = (
    "license_number", "specializations", "education", "certifications", "years_experience", "languages",
    "clinic_name", "clinic_address", "city", "state", "clinic_phone", "working_hours", "consultation_fee_mxn",
    "accepts_insurance", "accepting_patients", "online_consultations", "bio",
)
_TEXT_LIMITS = {"clinic_name": 200, "clinic_address": 300, "city": 100, "bio": 2000}
_HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ProfileNotFound(ObjectDoesNotExist):
    error_code = "NUTRITIONIST_NOT_FOUND"

    def __str__(self):
        return str(_("Nutriólogo(a) no encontrado(a)."))


# ---------------------------------------------------------------------------------------
# email (sent after commit, in the recipient's language)


def email_send(*, user, subject: str, template: str, context: dict) -> None:
    """Render ``templates/<template>`` in the user's language and mail it after commit.

    ``subject`` is a lazy/plain Spanish source string; it is translated at send time.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    email = user.email
    lang = getattr(user, "language", "") or settings.LANGUAGE_CODE
    ctx = {"user": user, "site_url": settings.SITE_URL.rstrip("/"), **context}

    def _send():
        with translation.override(lang):
            body = render_to_string(template, ctx)
            send_mail(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, None, [email])

    transaction.on_commit(_send)


def absolute_url(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


# ---------------------------------------------------------------------------------------
# cleaning helpers


def text_clean(value, field: str, limit: int, errors: dict) -> str:
    """Stripped text up to ``limit`` characters; a wrong type or a NUL byte is a field error."""
    if value is None:
        return ""
    if not isinstance(value, str) or "\x00" in value:
        errors[field] = [_("Debe ser texto.")]
        return ""
    value = value.strip()
    if len(value) > limit:
        errors[field] = [_("Máximo %(n)s caracteres.") % {"n": limit}]
    return value


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "si", "sí")
    return bool(value)


def _choice_list(value, field: str, choices, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors[field] = [_("Debe ser una lista de opciones.")]
        return []
    valid = [c[0] for c in choices]
    bad = [v for v in value if v not in valid]
    if bad:
        errors[field] = [_("Opción no válida: %(v)s.") % {"v": ", ".join(bad[:3])[:60]}]
        return []
    return list(dict.fromkeys(value))


def credentials_parse(value, field: str, errors: dict) -> list[dict]:
    """Education or certifications: a list of ``{name, institution, year}`` dicts, or text with one
    row per line "Licenciatura en Nutrición — UNAM — 2015" (separators: — – - | ,)."""
    if value in (None, ""):
        return []
    rows: list[dict] = []
    if isinstance(value, str):
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        for line in lines:
            parts = [p.strip() for p in re.split(r"\s+[—–\-|]\s+|\s*[|]\s*", line) if p.strip()]
            row = {"name": parts[0] if parts else "", "institution": "", "year": None}
            if len(parts) >= 2 and re.fullmatch(r"\d{4}", parts[-1]):
                row["year"] = int(parts[-1])
                parts = parts[:-1]
            if len(parts) >= 2:
                row["name"] = parts[0]
                row["institution"] = " — ".join(parts[1:])
            rows.append(row)
    elif isinstance(value, list | tuple):
        for item in value:
            if not isinstance(item, dict):
                errors[field] = [_("Cada renglón debe tener nombre, institución y año.")]
                return []
            name = item.get("name") or item.get("degree") or ""
            institution = item.get("institution") or item.get("issuer") or ""
            year = item.get("year")
            if not isinstance(name, str) or not isinstance(institution, str):
                errors[field] = [_("Cada renglón debe tener nombre, institución y año.")]
                return []
            if year in ("", None):
                year = None
            else:
                try:
                    year = int(str(year))
                except ValueError:
                    errors[field] = [_("El año debe ser un número de 4 dígitos.")]
                    return []
            rows.append({"name": name.strip(), "institution": institution.strip(), "year": year})
    else:
        errors[field] = [_("Escribe un renglón por título: Licenciatura en Nutrición — UNAM — 2015.")]
        return []
    if len(rows) > 20:
        errors[field] = [_("Máximo 20 renglones.")]
        return []
    this_year = timezone.localdate().year
    for row in rows:
        if not row["name"]:
            errors[field] = [_("Cada renglón necesita el nombre del título o certificación.")]
            return []
        if len(row["name"]) > 200 or len(row["institution"]) > 200:
            errors[field] = [_("Cada dato admite máximo 200 caracteres.")]
            return []
        if row["year"] is not None and not 1950 <= row["year"] <= this_year:
            errors[field] = [_("El año debe estar entre 1950 y %(y)s.") % {"y": this_year}]
            return []
    return rows


def credentials_text(rows) -> str:
    """The inverse of ``credentials_parse`` for the form's textarea."""
    out = []
    for row in rows or []:
        parts = [row.get("name", ""), row.get("institution", "")]
        if row.get("year"):
            parts.append(str(row["year"]))
        out.append(" — ".join(p for p in parts if p))
    return "\n".join(out)


def _hours(value, errors: dict) -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        errors["working_hours"] = [_("Usa un horario por día: {\"monday\": {\"start\": \"09:00\", \"end\": \"17:00\"}}.")]
        return {}
    days = dict(WEEKDAYS)
    out = {}
    for day, span in value.items():
        if day not in days:
            errors["working_hours"] = [_("Día desconocido: %(d)s.") % {"d": str(day)[:20]}]
            return {}
        if span in (None, "", {}):
            continue
        if not isinstance(span, dict):
            errors["working_hours"] = [_("Cada día necesita hora de inicio y de fin.")]
            return {}
        start, end = span.get("start") or "", span.get("end") or ""
        if not start and not end:
            continue
        if not (isinstance(start, str) and isinstance(end, str) and _HOUR.match(start) and _HOUR.match(end)):
            errors["working_hours"] = [_("%(d)s: usa horas HH:MM, por ejemplo 09:00.") % {"d": days[day]}]
            return {}
        if start >= end:
            errors["working_hours"] = [_("%(d)s: la hora de fin debe ser después del inicio.") % {"d": days[day]}]
            return {}
        out[day] = {"start": start, "end": end}
    return out


def _int(value, field: str, low: int, high: int, errors: dict, *, message) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        errors[field] = [message]
        return None
    try:
        number = int(str(value).strip().replace(",", "").removeprefix("$"))
    except ValueError:
        errors[field] = [message]
        return None
    if not low <= number <= high:
        errors[field] = [message]
        return None
    return number


def license_document_clean(upload) -> None:
    """PDF, JPEG or PNG up to 10 MB, checked by its first bytes (not its name)."""
    if not isinstance(upload, UploadedFile):
        raise ValidationError({"license_document": [_("Adjunta un archivo PDF, JPG o PNG.")]})
    if upload.size > LICENSE_MAX_BYTES:
        raise ValidationError({"license_document": [_("El comprobante pesa más de 10 MB.")]})
    if upload.size == 0:
        raise ValidationError({"license_document": [_("El archivo está vacío.")]})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as probe:
                probe.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError({"license_document": [_("La imagen del comprobante está dañada.")]})
        finally:
            upload.seek(0)
        return
    raise ValidationError({"license_document": [_("Formato no admitido: sube un PDF, JPG o PNG.")]})


def _slug_for(user) -> str:
    name = f"{user.first_name} {user.last_name}".strip() or user.username
    base = slugify(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii"))[:70] or "nutriologo"
    slug, n = base, 1
    while NutritionistProfile.objects.filter(slug=slug).exclude(user=user).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def profile_data_clean(*, data: dict, instance: NutritionistProfile | None) -> dict:
    """Validate the keys present in ``data``; returns the model values to set."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    if "phone" in data and "clinic_phone" not in data:
        data = {**data, "clinic_phone": data["phone"]}
    for key in data:
        if key not in PROFILE_FIELDS and key not in ("phone", "license_document", "photo"):
            errors[key] = [_("Campo desconocido.")]
    if "license_number" in data or instance is None:
        raw = data.get("license_number")
        number = re.sub(r"[\s\-]", "", raw) if isinstance(raw, str) else raw
        if number in (None, ""):
            errors["license_number"] = [_("Escribe tu cédula profesional.")]
        elif isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if "license_number" not in errors:
            if not isinstance(number, str) or not re.fullmatch(r"\d{7,8}", number):
                errors["license_number"] = [_("La cédula profesional tiene 7 u 8 dígitos.")]
            else:
                taken = NutritionistProfile.objects.filter(license_number=number)
                if instance is not None:
                    taken = taken.exclude(pk=instance.pk)
                if taken.exists():
                    errors["license_number"] = [_("Esta cédula ya está registrada en otra cuenta.")]
                cleaned["license_number"] = number
    if "specializations" in data:
        cleaned["specializations"] = _choice_list(data["specializations"], "specializations", Specialization.choices, errors)
    if "languages" in data:
        cleaned["languages"] = _choice_list(data["languages"], "languages", LANGUAGE_CHOICES, errors)
    for field in ("education", "certifications"):
        if field in data:
            cleaned[field] = credentials_parse(data[field], field, errors)
    if "years_experience" in data:
        years = _int(data["years_experience"], "years_experience", 0, 70, errors,
                     message=_("Escribe los años de experiencia como un número entre 0 y 70."))
        cleaned["years_experience"] = years or 0
    if "consultation_fee_mxn" in data:
        cleaned["consultation_fee_mxn"] = _int(
            data["consultation_fee_mxn"], "consultation_fee_mxn", 0, 100000, errors,
            message=_("El costo de consulta es un número de pesos entre 0 y 100,000."),
        )
    for field, limit in _TEXT_LIMITS.items():
        if field in data:
            cleaned[field] = text_clean(data[field], field, limit, errors)
    if "state" in data:
        state = text_clean(data["state"], "state", 100, errors)
        if state and state not in MexicanState.values:
            by_label = {str(label).lower(): code for code, label in MexicanState.choices}
            state = by_label.get(state.lower(), "")
            if not state:
                errors["state"] = [_("Elige un estado de la República.")]
        cleaned["state"] = state
    if "clinic_phone" in data:
        try:
            cleaned["clinic_phone"] = normalize_mx_phone(data["clinic_phone"] if isinstance(data["clinic_phone"], str)
                                                         else str(data["clinic_phone"] or ""))
        except ValidationError as exc:
            errors["clinic_phone"] = exc.messages
    if "working_hours" in data:
        cleaned["working_hours"] = _hours(data["working_hours"], errors)
    for field in ("accepts_insurance", "accepting_patients", "online_consultations"):
        if field in data:
            cleaned[field] = _bool(data[field])
    if errors:
        raise ValidationError(errors)
    return cleaned


# ---------------------------------------------------------------------------------------
# services


def _require_nutritionist_type(actor) -> None:
    if not (actor and actor.is_authenticated and actor.user_type == UserType.NUTRITIONIST):
        raise PermissionDenied(_("Solo las cuentas de nutriólogo(a) tienen perfil profesional."))


@transaction.atomic
def nutritionist_profile_save(*, actor, data: dict, files=None) -> NutritionistProfile:
    """Create or update the actor's professional profile.

    The first save creates it ``pending``; changing the cédula of a verified profile, or saving
    a rejected one, sends it back to ``pending`` (staff review it again). Files:
    ``license_document`` (PDF/JPEG/PNG ≤ 10 MB, private storage) and ``photo`` (re-encoded).
    """
    from config.uploads import image_clean

    _require_nutritionist_type(actor)
    files = files or {}
    data = dict(data or {})
    profile = NutritionistProfile.objects.select_for_update().filter(user=actor).first()
    errors: dict = {}
    try:
        cleaned = profile_data_clean(data=data, instance=profile)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    document = files.get("license_document") or data.get("license_document")
    if document not in (None, ""):
        try:
            license_document_clean(document)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    photo = files.get("photo") or data.get("photo")
    photo_content = None
    if photo not in (None, ""):
        try:
            if not isinstance(photo, UploadedFile):
                raise ValidationError(_("Adjunta una imagen JPG, PNG o WEBP."))
            photo_content = image_clean(photo, max_side=800)
        except ValidationError as exc:
            errors["photo"] = exc.messages
    if errors:
        raise ValidationError(errors)

    created = profile is None
    if created:
        profile = NutritionistProfile(user=actor, slug=_slug_for(actor))
    old_license = profile.license_number
    for key, value in cleaned.items():
        setattr(profile, key, value)
    back_to_review = (
        created
        or profile.verification_status == VerificationStatus.REJECTED
        or (profile.is_verified and cleaned.get("license_number", old_license) != old_license)
        or (profile.is_verified and document not in (None, ""))
    )
    if back_to_review:
        was_verified = profile.is_verified
        profile.verification_status = VerificationStatus.PENDING
        profile.submitted_at = timezone.now()
        profile.verified_at = None
        profile.verified_by = None
        if was_verified:
            from accounts.models import RoleGrant

            # The licence changed: the professional role waits for staff again.
            RoleGrant.objects.filter(user=actor, role=Role.NUTRITIONIST).delete()
            actor._verified_nutritionist = False
    if document not in (None, ""):
        profile.license_document.save(document.name or "comprobante", document, save=False)
    if photo_content is not None:
        profile.photo.save(photo_content.name, photo_content, save=False)
    profile.save()
    return profile


def _profile_for_staff(*, actor, profile_id) -> NutritionistProfile:
    from clinical.rules import id_parse

    if not (actor and actor.is_authenticated and actor.is_staff):
        raise ProfileNotFound()
    pk = id_parse(profile_id)
    profile = NutritionistProfile.objects.select_for_update().select_related("user").filter(pk=pk).first() if pk else None
    if profile is None:
        raise ProfileNotFound()
    return profile


@transaction.atomic
def nutritionist_verify(*, actor, profile_id, request=None) -> NutritionistProfile:
    """Staff verify a pending (or rejected) profile: grants the nutritionist role, records who
    and when, and tells the nutritionist (in-app and email)."""
    from accounts.services import notify, role_grant

    profile = _profile_for_staff(actor=actor, profile_id=profile_id)
    if profile.is_verified:
        raise ValidationError({"status": [_("Este perfil ya está verificado.")]})
    role_grant(actor=actor, user=profile.user, role=Role.NUTRITIONIST, request=request)
    profile.verification_status = VerificationStatus.VERIFIED
    profile.verified_at = timezone.now()
    profile.verified_by = actor
    profile.rejection_reason = ""
    profile.save(update_fields=["verification_status", "verified_at", "verified_by", "rejection_reason", "updated_at"])
    profile.user._verified_nutritionist = True
    from django.urls import reverse

    link = reverse("clinical:practice_profile")
    with translation.override(profile.user.language or settings.LANGUAGE_CODE):
        notify(
            profile.user, "nutritionist_verified", _("Tu cédula profesional fue verificada"),
            _("Ya apareces en el directorio y puedes atender pacientes."), link, category="clinical",
        )
    email_send(
        user=profile.user, subject=gettext_lazy("Tu cédula profesional fue verificada"),
        template="clinical/email/verified.txt", context={"profile": profile, "link": absolute_url(link)},
    )
    return profile


@transaction.atomic
def nutritionist_reject(*, actor, profile_id, reason: str, request=None) -> NutritionistProfile:
    """Staff reject a profile with a reason the nutritionist sees; revokes the role if it was
    granted. The nutritionist can correct and resubmit (back to pending)."""
    from accounts.services import notify, role_revoke

    profile = _profile_for_staff(actor=actor, profile_id=profile_id)
    errors: dict = {}
    reason = text_clean(reason, "reason", 1000, errors)
    if not errors and not reason:
        errors["reason"] = [_("Escribe el motivo del rechazo; el nutriólogo lo verá para corregir.")]
    if errors:
        raise ValidationError(errors)
    if profile.verification_status == VerificationStatus.REJECTED:
        raise ValidationError({"status": [_("Este perfil ya está rechazado.")]})
    role_revoke(actor=actor, user=profile.user, role=Role.NUTRITIONIST, request=request)
    profile.verification_status = VerificationStatus.REJECTED
    profile.rejection_reason = reason
    profile.verified_at = None
    profile.verified_by = actor
    profile.save(update_fields=["verification_status", "rejection_reason", "verified_at", "verified_by", "updated_at"])
    profile.user._verified_nutritionist = False
    from django.urls import reverse

    link = reverse("clinical:practice_profile")
    with translation.override(profile.user.language or settings.LANGUAGE_CODE):
        notify(
            profile.user, "nutritionist_rejected", _("Revisa tu perfil profesional"),
            _("No pudimos verificar tu cédula: %(r)s") % {"r": reason}, link, category="clinical",
        )
    email_send(
        user=profile.user, subject=gettext_lazy("No pudimos verificar tu cédula profesional"),
        template="clinical/email/rejected.txt", context={"profile": profile, "reason": reason, "link": absolute_url(link)},
    )
    return profile
