"""Writes of the clinical record: history, items, lab results, anthropometry, SOAP notes and
documents. Pages and API call these same functions.

Who may write (through ``clinical.rules.patient_access``): the patient's nutritionist in open
care with the consent of the scope, and the patient on their own data (never notes). Notes
need open care but no consent; they are invisible to the patient. Every change writes one
line of the patient's access log. Anything out of reach raises ``PatientNotFound`` /
``ClinicalObjectNotFound`` (404).
"""

from __future__ import annotations

import math
from datetime import date as date_type
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinical import reference
from clinical.models import (
    AccessAction,
    ClinicalDocument,
    ClinicalNote,
    ClinicalRecord,
    ConsentScope,
    DocumentKind,
    LabResult,
    Measurement,
    NoteAmendment,
    RecordItem,
    RecordItemKind,
)
from clinical.rules import ClinicalObjectNotFound, PatientNotFound, access_log, id_parse, patient_access

HISTORY_MAX = 10_000
TITLE_MAX = 200
DETAIL_MAX = 2_000
NOTE_FIELD_MAX = 10_000
NOTE_EDIT_WINDOW = timedelta(hours=24)
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
EARLIEST = date_type(1900, 1, 1)
LAB_VALUE_MAX = Decimal(100_000)

# ---------------------------------------------------------------------------------------
# input cleaning (messages per field, in the active language)


def clean_text(value, field: str, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Debe ser texto.")})
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({field: _("Este campo es obligatorio.")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("Escribe como máximo %(max)s caracteres (tienes %(n)s).") % {"max": max_length, "n": len(value)}}
        )
    return value


def clean_date(value, field: str, *, required: bool = False, default=None) -> date_type | None:
    """A date not in the future, as ``AAAA-MM-DD``."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Indica la fecha.")})
        return default
    if isinstance(value, date_type):
        day = value
    else:
        if not isinstance(value, str):
            raise ValidationError({field: _("Fecha no válida; usa el formato AAAA-MM-DD.")})
        try:
            day = date_type.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: _("Fecha no válida; usa el formato AAAA-MM-DD.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("La fecha no puede ser futura.")})
    if day < EARLIEST:
        raise ValidationError({field: _("La fecha es demasiado antigua.")})
    return day


def clean_decimal(value, field: str, *, low: Decimal, high: Decimal, unit: str, places: str | None = "0.1"):
    """A number in ``[low, high]`` or None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValidationError({field: _("Escribe un número.")})
    text = str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Escribe un número, por ejemplo 72.5.")})
    if not number.is_finite():
        raise ValidationError({field: _("Escribe un número, por ejemplo 72.5.")})
    if not low <= number <= high:
        raise ValidationError(
            {field: _("Debe estar entre %(low)s y %(high)s %(unit)s.") % {"low": low, "high": high, "unit": unit}}
        )
    return number.quantize(Decimal(places)) if places else number


def clean_choice(value, field: str, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValidationError({field: _("Elige una opción de la lista.")})
    return value


def _merge(errors: dict, fn, *args, **kwargs):
    """Run one cleaner, collecting its error so the form shows every field's message."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None


# ---------------------------------------------------------------------------------------
# clinical record


def _record_for(patient) -> ClinicalRecord:
    record, _created = ClinicalRecord.objects.get_or_create(patient=patient)
    return record


def _access(actor, patient_id, scope):
    return patient_access(actor=actor, patient_id=patient_id, scope=scope)


def _log(access, actor, action, resource, object_id="", request=None):
    access_log(patient=access.patient, actor=actor, action=action, resource=resource, object_id=object_id,
               request=request)


@transaction.atomic
def record_update(*, actor, patient_id, data: dict, request=None) -> ClinicalRecord:
    """Update medical history, family history and lifestyle (only the keys present in ``data``)."""
    access = _access(actor, patient_id, ConsentScope.CLINICAL_RECORD)
    errors: dict = {}
    changes = {}
    for field in ("medical_history", "family_history", "lifestyle"):
        if field in data:
            changes[field] = _merge(errors, clean_text, data.get(field), field, max_length=HISTORY_MAX)
    if errors:
        raise ValidationError(errors)
    if not changes:
        raise ValidationError({"non_field_errors": _("No enviaste ningún cambio.")})
    record = _record_for(access.patient)
    for field, value in changes.items():
        setattr(record, field, value)
    record.updated_by = actor
    record.save()
    _log(access, actor, AccessAction.UPDATE, "record", record.pk, request)
    return record


def _item_clean(data: dict, *, partial: bool = False) -> dict:
    errors: dict = {}
    out = {}
    if not partial or "kind" in data:
        out["kind"] = _merge(errors, clean_choice, data.get("kind"), "kind", RecordItemKind.values)
    if not partial or "title" in data:
        out["title"] = _merge(errors, clean_text, data.get("title"), "title", max_length=TITLE_MAX, required=True)
    if not partial or "detail" in data:
        out["detail"] = _merge(errors, clean_text, data.get("detail"), "detail", max_length=DETAIL_MAX)
    if not partial or "noted_on" in data:
        out["noted_on"] = _merge(errors, clean_date, data.get("noted_on"), "noted_on", default=timezone.localdate())
    if not partial or "ended_on" in data:
        out["ended_on"] = _merge(errors, clean_date, data.get("ended_on"), "ended_on")
    if not errors and out.get("ended_on") and out.get("noted_on") and out["ended_on"] < out["noted_on"]:
        errors["ended_on"] = [_("La fecha de término no puede ser anterior a la de inicio.")]
    if errors:
        raise ValidationError(errors)
    return out


def _item_get(access, item_id) -> RecordItem:
    pk = id_parse(item_id)
    item = (
        RecordItem.objects.filter(pk=pk, record__patient=access.patient, deleted_at__isnull=True).first()
        if pk else None
    )
    if item is None:
        raise ClinicalObjectNotFound()
    return item


@transaction.atomic
def record_item_add(*, actor, patient_id, data: dict, request=None) -> RecordItem:
    """Add a condition, medication (dose/frequency in ``detail``), allergy (reaction), family
    history or surgery, dated and attributed to ``actor``."""
    access = _access(actor, patient_id, ConsentScope.CLINICAL_RECORD)
    fields = _item_clean(data)
    item = RecordItem.objects.create(record=_record_for(access.patient), recorded_by=actor, **fields)
    _log(access, actor, AccessAction.CREATE, "item", item.pk, request)
    return item


@transaction.atomic
def record_item_update(*, actor, patient_id, item_id, data: dict, request=None) -> RecordItem:
    access = _access(actor, patient_id, ConsentScope.CLINICAL_RECORD)
    item = _item_get(access, item_id)
    fields = _item_clean(data, partial=True)
    ended = fields.get("ended_on", item.ended_on)
    noted = fields.get("noted_on", item.noted_on)
    if ended and noted and ended < noted:
        raise ValidationError({"ended_on": _("La fecha de término no puede ser anterior a la de inicio.")})
    for key, value in fields.items():
        setattr(item, key, value)
    item.save()
    _log(access, actor, AccessAction.UPDATE, "item", item.pk, request)
    return item


@transaction.atomic
def record_item_delete(*, actor, patient_id, item_id, request=None) -> None:
    """Soft delete: the row stays with ``deleted_at`` (the record's history is kept)."""
    access = _access(actor, patient_id, ConsentScope.CLINICAL_RECORD)
    item = _item_get(access, item_id)
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at", "updated_at"])
    _log(access, actor, AccessAction.DELETE, "item", item.pk, request)


# ---------------------------------------------------------------------------------------
# lab results


@transaction.atomic
def lab_result_add(*, actor, patient_id, data: dict, request=None) -> LabResult:
    """A lab value: ``test`` is a code of ``clinical.reference.LAB_TESTS`` (unit and adult
    reference range filled in) or ``other`` with ``test_name`` and ``unit`` written by hand."""
    access = _access(actor, patient_id, ConsentScope.CLINICAL_RECORD)
    errors: dict = {}
    code = data.get("test")
    test = reference.lab_test(code) if isinstance(code, str) else None
    unit = ""
    reference_range = ""
    if test is not None:
        test_value = test.code
        unit = test.unit
        reference_range = test.range_text(_sex(access.patient))
    elif code == reference.FREE_TEST or (code in (None, "") and data.get("test_name")):
        test_value = _merge(errors, clean_text, data.get("test_name"), "test_name", max_length=120, required=True)
        if test_value and reference.lab_test(test_value):
            test_value = test_value + " "  # never confused with a code
        unit = _merge(errors, clean_text, data.get("unit"), "unit", max_length=20, required=True) or ""
        reference_range = _merge(errors, clean_text, data.get("reference_range"), "reference_range",
                                 max_length=40) or ""
    else:
        errors["test"] = [_("Elige un estudio de la lista u «Otro estudio».")]
        test_value = None
    value = _merge(errors, clean_decimal, data.get("value"), "value", low=Decimal(0), high=LAB_VALUE_MAX, unit=unit,
                   places=None)
    if value is None and "value" not in errors:
        errors["value"] = [_("Escribe el resultado (un número).")]
    taken_on = _merge(errors, clean_date, data.get("taken_on"), "taken_on", required=True)
    notes = _merge(errors, clean_text, data.get("notes"), "notes", max_length=DETAIL_MAX)
    if errors:
        raise ValidationError(errors)
    lab = LabResult.objects.create(
        record=_record_for(access.patient), test=test_value, value=_decimal_text(value), unit=unit,
        reference_range=reference_range, notes=notes, taken_on=taken_on, recorded_by=actor,
    )
    _log(access, actor, AccessAction.CREATE, "lab", lab.pk, request)
    return lab


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _sex(patient) -> str:
    profile = getattr(patient, "profile", None)
    return getattr(profile, "sex", "") or ""


@transaction.atomic
def lab_result_delete(*, actor, patient_id, lab_id, request=None) -> None:
    access = _access(actor, patient_id, ConsentScope.CLINICAL_RECORD)
    pk = id_parse(lab_id)
    lab = LabResult.objects.filter(pk=pk, record__patient=access.patient, deleted_at__isnull=True).first() if pk else None
    if lab is None:
        raise ClinicalObjectNotFound()
    lab.deleted_at = timezone.now()
    lab.save(update_fields=["deleted_at"])
    _log(access, actor, AccessAction.DELETE, "lab", lab.pk, request)


# ---------------------------------------------------------------------------------------
# anthropometry

MEASUREMENT_FIELDS = tuple(reference.MEASUREMENT_RANGES)


def _measurement_clean(data: dict, *, partial: bool = False) -> dict:
    errors: dict = {}
    out = {}
    for field, (low, high, unit) in reference.MEASUREMENT_RANGES.items():
        if partial and field not in data:
            continue
        places = "1" if field.endswith("mmhg") else "0.1"
        value = _merge(errors, clean_decimal, data.get(field), field, low=low, high=high, unit=unit, places=places)
        out[field] = int(value) if value is not None and field.endswith("mmhg") else value
    if not partial or "measured_on" in data:
        out["measured_on"] = _merge(errors, clean_date, data.get("measured_on"), "measured_on",
                                    default=timezone.localdate())
    if not partial or "notes" in data:
        out["notes"] = _merge(errors, clean_text, data.get("notes"), "notes", max_length=DETAIL_MAX)
    if errors:
        raise ValidationError(errors)
    return out


def _measurement_check(values: dict) -> None:
    sys_, dia = values.get("systolic_mmhg"), values.get("diastolic_mmhg")
    if (sys_ is None) != (dia is None):
        field = "diastolic_mmhg" if dia is None else "systolic_mmhg"
        raise ValidationError({field: _("Escribe la presión sistólica y la diastólica.")})
    if sys_ is not None and dia >= sys_:
        raise ValidationError({"diastolic_mmhg": _("La diastólica debe ser menor que la sistólica.")})
    if all(values.get(f) in (None, "") for f in MEASUREMENT_FIELDS if f != "height_cm"):
        raise ValidationError({"non_field_errors": _("Escribe al menos una medida (peso, cintura, presión...).")})


def _weight_to_log(actor, access, measurement) -> None:
    if measurement.weight_kg is None:
        return
    from nutrition.services.diary import weight_log_set

    weight_log_set(actor=actor, user=access.patient, weight_kg=measurement.weight_kg, date=measurement.measured_on)


@transaction.atomic
def measurement_add(*, actor, patient_id, data: dict, request=None) -> Measurement:
    """A dated set of measurements. Height defaults to the profile's height; a weight also
    goes to the patient's weight log (the diary and progress charts follow it)."""
    access = _access(actor, patient_id, ConsentScope.MEASUREMENTS)
    values = _measurement_clean(data)
    if values.get("height_cm") is None:
        profile = getattr(access.patient, "profile", None)
        values["height_cm"] = getattr(profile, "height_cm", None)
    _measurement_check(values)
    measurement = Measurement.objects.create(patient=access.patient, recorded_by=actor, **values)
    _weight_to_log(actor, access, measurement)
    _log(access, actor, AccessAction.CREATE, "measurement", measurement.pk, request)
    return measurement


def _measurement_get(access, measurement_id) -> Measurement:
    pk = id_parse(measurement_id)
    measurement = Measurement.objects.filter(pk=pk, patient=access.patient).first() if pk else None
    if measurement is None:
        raise ClinicalObjectNotFound()
    return measurement


@transaction.atomic
def measurement_update(*, actor, patient_id, measurement_id, data: dict, request=None) -> Measurement:
    access = _access(actor, patient_id, ConsentScope.MEASUREMENTS)
    measurement = _measurement_get(access, measurement_id)
    values = _measurement_clean(data, partial=True)
    merged = {f: getattr(measurement, f) for f in MEASUREMENT_FIELDS} | values
    _measurement_check(merged)
    for key, value in values.items():
        setattr(measurement, key, value)
    measurement.save()
    _weight_to_log(actor, access, measurement)
    _log(access, actor, AccessAction.UPDATE, "measurement", measurement.pk, request)
    return measurement


@transaction.atomic
def measurement_delete(*, actor, patient_id, measurement_id, request=None) -> None:
    """Delete a measurement (the weight log keeps its value: it is the diary's own record)."""
    access = _access(actor, patient_id, ConsentScope.MEASUREMENTS)
    measurement = _measurement_get(access, measurement_id)
    pk = measurement.pk
    measurement.delete()
    _log(access, actor, AccessAction.DELETE, "measurement", pk, request)


# ---------------------------------------------------------------------------------------
# SOAP notes

SOAP_FIELDS = ("subjective", "objective", "assessment", "plan")


def notes_access(*, actor, patient_id):
    """Notes belong to the patient's nutritionists in open care (no consent needed); the
    patient never sees them."""
    access = patient_access(actor=actor, patient_id=patient_id)
    if access.is_self:
        raise PatientNotFound()
    return access


def note_get_for(access, note_id) -> ClinicalNote:
    pk = id_parse(note_id)
    note = ClinicalNote.objects.filter(pk=pk, patient=access.patient).first() if pk else None
    if note is None:
        raise ClinicalObjectNotFound()
    return note


def note_is_locked(note: ClinicalNote, now=None) -> bool:
    return (now or timezone.now()) >= note.created_at + NOTE_EDIT_WINDOW


def _soap_clean(data: dict, *, partial: bool = False) -> dict:
    errors: dict = {}
    out = {}
    for field in SOAP_FIELDS:
        if partial and field not in data:
            continue
        out[field] = _merge(errors, clean_text, data.get(field), field, max_length=NOTE_FIELD_MAX)
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def note_create(*, actor, patient_id, data: dict, request=None) -> ClinicalNote:
    """A SOAP note (subjective, objective, assessment, plan); at least one part written."""
    access = notes_access(actor=actor, patient_id=patient_id)
    values = _soap_clean(data)
    if not any(values.values()):
        raise ValidationError({"subjective": _("Escribe al menos una sección de la nota.")})
    note = ClinicalNote.objects.create(patient=access.patient, author=actor, **values)
    _log(access, actor, AccessAction.CREATE, "note", note.pk, request)
    return note


@transaction.atomic
def note_update(*, actor, patient_id, note_id, data: dict, request=None) -> ClinicalNote:
    """The author edits within 24 h of writing; after that the note is locked (NOTE_LOCKED)
    and only amendments can be added."""
    access = notes_access(actor=actor, patient_id=patient_id)
    note = note_get_for(access, note_id)
    if note.author_id != actor.pk:
        raise PermissionDenied(_("Solo quien escribió la nota puede editarla; puedes agregar una adenda."))
    if note_is_locked(note):
        raise ValidationError(
            _("La nota tiene más de 24 horas y ya no se puede editar; agrega una adenda."), code="NOTE_LOCKED"
        )
    values = _soap_clean(data, partial=True)
    merged = {f: getattr(note, f) for f in SOAP_FIELDS} | values
    if not any(merged.values()):
        raise ValidationError({"subjective": _("Escribe al menos una sección de la nota.")})
    for key, value in values.items():
        setattr(note, key, value)
    note.edited_at = timezone.now()
    note.save()
    _log(access, actor, AccessAction.UPDATE, "note", note.pk, request)
    return note


@transaction.atomic
def note_amend(*, actor, patient_id, note_id, text, request=None) -> NoteAmendment:
    """Append a dated, attributed amendment (any of the patient's nutritionists)."""
    access = notes_access(actor=actor, patient_id=patient_id)
    note = note_get_for(access, note_id)
    text = clean_text(text, "text", max_length=NOTE_FIELD_MAX, required=True)
    amendment = NoteAmendment.objects.create(note=note, author=actor, text=text)
    _log(access, actor, AccessAction.UPDATE, "note", note.pk, request)
    return amendment


@transaction.atomic
def note_delete(*, actor, patient_id, note_id, request=None) -> None:
    """The author may delete a note within 24 h (a mistake); never after."""
    access = notes_access(actor=actor, patient_id=patient_id)
    note = note_get_for(access, note_id)
    if note.author_id != actor.pk:
        raise PermissionDenied(_("Solo quien escribió la nota puede eliminarla."))
    if note_is_locked(note):
        raise ValidationError(_("Una nota de más de 24 horas no se puede eliminar."), code="NOTE_LOCKED")
    pk = note.pk
    note.delete()
    _log(access, actor, AccessAction.DELETE, "note", pk, request)


# ---------------------------------------------------------------------------------------
# documents

_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def document_sniff(upload) -> tuple[str, str]:
    """``(content_type, extension)`` from the file's content (its name is ignored): PDF,
    JPEG or PNG; images must also open with Pillow."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = next(((ctype, ext) for magic, ctype, ext in _SIGNATURES if head.startswith(magic)), None)
    if found is None:
        raise ValidationError({"file": _("Solo se aceptan archivos PDF, JPEG o PNG.")})
    content_type, ext = found
    if content_type.startswith("image/"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError({"file": _("La imagen está dañada o no es una imagen válida.")})
        finally:
            upload.seek(0)
    return content_type, ext


@transaction.atomic
def document_upload(*, actor, patient_id, file, title, kind=DocumentKind.OTHER, request=None) -> ClinicalDocument:
    """Store a lab report, prescription or image in the private storage (PDF/JPEG/PNG up to
    10 MB, checked by content)."""
    access = _access(actor, patient_id, ConsentScope.DOCUMENTS)
    errors: dict = {}
    title = _merge(errors, clean_text, title, "title", max_length=TITLE_MAX, required=True)
    kind = _merge(errors, clean_choice, kind or DocumentKind.OTHER, "kind", DocumentKind.values)
    content_type = ext = None
    if file is None or not hasattr(file, "read"):
        errors["file"] = [_("Elige un archivo.")]
    elif not file.size:
        errors["file"] = [_("El archivo está vacío.")]
    elif file.size > DOCUMENT_MAX_BYTES:
        errors["file"] = [_("El archivo pesa %(mb)s MB; el máximo es 10 MB.") % {"mb": math.ceil(file.size / 2**20)}]
    else:
        sniffed = _merge(errors, document_sniff, file)
        if sniffed:
            content_type, ext = sniffed
    if errors:
        raise ValidationError(errors)
    document = ClinicalDocument(
        patient=access.patient, uploaded_by=actor, kind=kind, title=title, content_type=content_type,
        size_bytes=file.size,
    )
    file.seek(0)
    document.file.save(f"document.{ext}", ContentFile(file.read()), save=False)
    document.save()
    _log(access, actor, AccessAction.CREATE, "document", document.pk, request)
    return document


def document_get_for(access, document_id) -> ClinicalDocument:
    pk = id_parse(document_id)
    document = (
        ClinicalDocument.objects.filter(pk=pk, patient=access.patient, deleted_at__isnull=True)
        .select_related("uploaded_by").first() if pk else None
    )
    if document is None:
        raise ClinicalObjectNotFound()
    return document


@transaction.atomic
def document_delete(*, actor, patient_id, document_id, request=None) -> None:
    """Soft delete by whoever uploaded it."""
    access = _access(actor, patient_id, ConsentScope.DOCUMENTS)
    document = document_get_for(access, document_id)
    if document.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Solo quien subió el documento puede eliminarlo."))
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])
    _log(access, actor, AccessAction.DELETE, "document", document.pk, request)
