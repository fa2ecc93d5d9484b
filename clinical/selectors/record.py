"""Reads of the clinical record, scoped through ``clinical.rules.patient_access``.

Every read of clinical data writes one ``view`` line of the patient's access log (pass
``request`` for the IP address), so pages and API log the same way.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from clinical import reference
from clinical.models import (
    AccessAction,
    ClinicalAccessLog,
    ClinicalDocument,
    ClinicalNote,
    ClinicalRecord,
    ConsentScope,
    LabResult,
    Measurement,
    NoteAmendment,
    RecordItem,
    RecordItemKind,
)
from clinical.rules import PatientNotFound, access_log, patient_access
from clinical.services.record import document_get_for, note_get_for, note_is_locked, notes_access


def _log(access, actor, resource, *, action=AccessAction.VIEW, object_id="", request=None):
    access_log(patient=access.patient, actor=actor, action=action, resource=resource, object_id=object_id,
               request=request)


def _sex(patient) -> str:
    profile = getattr(patient, "profile", None)
    return getattr(profile, "sex", "") or ""


# ---------------------------------------------------------------------------------------
# record


def record_get(*, actor, patient_id, request=None, log: bool = True):
    """``(access, record or None)``; the record is not created by reading it."""
    access = patient_access(actor=actor, patient_id=patient_id, scope=ConsentScope.CLINICAL_RECORD)
    record = ClinicalRecord.objects.filter(patient=access.patient).select_related("updated_by").first()
    if log:
        _log(access, actor, "record", object_id=record.pk if record else "", request=request)
    return access, record


def record_item_list(*, actor, patient_id, kind: str | None = None, request=None, log: bool = True):
    access = patient_access(actor=actor, patient_id=patient_id, scope=ConsentScope.CLINICAL_RECORD)
    qs = RecordItem.objects.filter(record__patient=access.patient, deleted_at__isnull=True).select_related(
        "recorded_by"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if log:
        _log(access, actor, "item", request=request)
    return qs


def lab_list(*, actor, patient_id, request=None, log: bool = True):
    access = patient_access(actor=actor, patient_id=patient_id, scope=ConsentScope.CLINICAL_RECORD)
    qs = LabResult.objects.filter(record__patient=access.patient, deleted_at__isnull=True).select_related(
        "recorded_by", "record__patient__profile"
    )
    if log:
        _log(access, actor, "lab", request=request)
    return qs


@dataclass
class LabRow:
    lab: LabResult
    label: str
    flag: str
    flag_label: str


@dataclass
class LabSeries:
    code: str
    label: str
    unit: str
    points: list = field(default_factory=list)  # [(date iso, float)] oldest first


def lab_rows(labs, *, sex: str = "") -> tuple[list[LabRow], list[LabSeries]]:
    """Rows with their high/low flag and, per test with two or more values, a series to chart."""
    rows = []
    series: dict[str, LabSeries] = OrderedDict()
    for lab in labs:
        flag = reference.lab_flag(lab.test, lab.value, sex)
        label = reference.lab_test_label(lab.test).strip()
        rows.append(LabRow(lab=lab, label=label, flag=flag, flag_label=reference.lab_flag_label(flag)))
        try:
            number = float(lab.value)
        except (TypeError, ValueError):
            continue
        key = f"{lab.test.strip().lower()}|{lab.unit}"
        series.setdefault(key, LabSeries(code=lab.test.strip(), label=label, unit=lab.unit)).points.append(
            (lab.taken_on.isoformat(), number)
        )
    charts = []
    for item in series.values():
        if len(item.points) >= 2:
            item.points.sort()
            charts.append(item)
    return rows, charts


def record_page(*, actor, patient_id, request=None, log: bool = True) -> dict:
    """Everything the record page shows, with one access-log line for the view."""
    access, record = record_get(actor=actor, patient_id=patient_id, request=request, log=log)
    items = list(
        RecordItem.objects.filter(record__patient=access.patient, deleted_at__isnull=True).select_related("recorded_by")
    )
    groups = OrderedDict((kind, {"kind": kind, "label": label, "items": []}) for kind, label in RecordItemKind.choices)
    for item in items:
        groups[item.kind]["items"].append(item)
    labs = list(
        LabResult.objects.filter(record__patient=access.patient, deleted_at__isnull=True).select_related("recorded_by")
    )
    rows, charts = lab_rows(labs, sex=_sex(access.patient))
    return {"access": access, "patient": access.patient, "record": record, "item_groups": list(groups.values()), "has_items": bool(items),
            "lab_rows": rows, "lab_charts": charts}


# ---------------------------------------------------------------------------------------
# anthropometry


def measurement_list(*, actor, patient_id, request=None, log: bool = True):
    """The patient's measurements, newest first."""
    access = patient_access(actor=actor, patient_id=patient_id, scope=ConsentScope.MEASUREMENTS)
    if log:
        _log(access, actor, "measurement", request=request)
    return Measurement.objects.filter(patient=access.patient).select_related("recorded_by", "patient__profile")


def measurement_derived(m: Measurement, *, sex: str = "", default_height=None) -> dict:
    """BMI with its category, waist-to-height and waist-to-hip ratios, blood pressure category."""
    height = m.height_cm or default_height
    bmi = reference.bmi(m.weight_kg, height)
    bmi_cat = reference.bmi_category(bmi)
    return {
        "bmi": bmi,
        "bmi_category": bmi_cat,
        "waist_height": reference.waist_height(m.waist_cm, height),
        "waist_hip": reference.waist_hip(m.waist_cm, m.hip_cm, sex),
        "blood_pressure": reference.blood_pressure_category(m.systolic_mmhg, m.diastolic_mmhg),
    }


SUMMARY_FIELDS = ("weight_kg", "waist_cm", "hip_cm", "body_fat_pct", "muscle_mass_kg")


def anthropometry_summary(*, patient, measurements) -> dict:
    """Latest values with their categories and the change since the first measurement of
    each value; chart series (oldest first) of weight, waist, body fat and BMI."""
    ordered = sorted(measurements, key=lambda m: (m.measured_on, m.pk))
    sex = _sex(patient)
    profile = getattr(patient, "profile", None)
    default_height = getattr(profile, "height_cm", None)
    latest = {}
    for name in SUMMARY_FIELDS:
        values = [(m.measured_on, getattr(m, name)) for m in ordered if getattr(m, name) is not None]
        if values:
            first, last = values[0], values[-1]
            latest[name] = {
                "value": float(last[1]), "date": last[0],
                "change": round(float(last[1]) - float(first[1]), 1) if len(values) > 1 else None,
                "since": first[0] if len(values) > 1 else None,
            }
    last = ordered[-1] if ordered else None
    derived = measurement_derived(last, sex=sex, default_height=default_height) if last else {}
    bp = next((m for m in reversed(ordered) if m.systolic_mmhg and m.diastolic_mmhg), None)
    series = {"dates": [], "weight": [], "waist": [], "body_fat": [], "bmi": []}
    for m in ordered:
        series["dates"].append(m.measured_on.isoformat())
        series["weight"].append(float(m.weight_kg) if m.weight_kg is not None else None)
        series["waist"].append(float(m.waist_cm) if m.waist_cm is not None else None)
        series["body_fat"].append(float(m.body_fat_pct) if m.body_fat_pct is not None else None)
        series["bmi"].append(reference.bmi(m.weight_kg, m.height_cm or default_height))
    weight_rows = [m for m in ordered if m.weight_kg is not None]
    bmi_latest = None
    if weight_rows:
        wm = weight_rows[-1]
        value = reference.bmi(wm.weight_kg, wm.height_cm or default_height)
        bmi_latest = {"value": value, "category": reference.bmi_category(value)} if value else None
    return {
        "count": len(ordered),
        "latest": latest,
        "bmi": bmi_latest,
        "waist_height": derived.get("waist_height") if last else None,
        "waist_hip": derived.get("waist_hip") if last else None,
        "blood_pressure": {
            "systolic": bp.systolic_mmhg, "diastolic": bp.diastolic_mmhg, "date": bp.measured_on,
            "category": reference.blood_pressure_category(bp.systolic_mmhg, bp.diastolic_mmhg),
        } if bp else None,
        "series": series,
        "has_chart": sum(1 for v in series["weight"] if v is not None) >= 2
        or sum(1 for v in series["waist"] if v is not None) >= 2
        or sum(1 for v in series["body_fat"] if v is not None) >= 2,
    }


# ---------------------------------------------------------------------------------------
# notes


def note_list(*, actor, patient_id, request=None, log: bool = True):
    """Every note of the patient (any author) for a nutritionist in open care; the patient
    gets ``PatientNotFound``."""
    access = notes_access(actor=actor, patient_id=patient_id)
    if log:
        _log(access, actor, "note", request=request)
    return ClinicalNote.objects.filter(patient=access.patient).select_related("author").prefetch_related(
        Prefetch("amendments", queryset=NoteAmendment.objects.select_related("author"))
    )


def note_get(*, actor, patient_id, note_id, request=None, log: bool = True):
    access = notes_access(actor=actor, patient_id=patient_id)
    note = note_get_for(access, note_id)
    if log:
        _log(access, actor, "note", object_id=note.pk, request=request)
    return access, note


def note_locked(note) -> bool:
    return note_is_locked(note)


# ---------------------------------------------------------------------------------------
# documents


def document_list(*, actor, patient_id, request=None, log: bool = True):
    access = patient_access(actor=actor, patient_id=patient_id, scope=ConsentScope.DOCUMENTS)
    if log:
        _log(access, actor, "document", request=request)
    return ClinicalDocument.objects.filter(patient=access.patient, deleted_at__isnull=True).select_related(
        "uploaded_by"
    )


def document_get(*, actor, patient_id, document_id, download: bool = False, request=None):
    """One document; logs a ``view`` (metadata) or ``download``."""
    access = patient_access(actor=actor, patient_id=patient_id, scope=ConsentScope.DOCUMENTS)
    document = document_get_for(access, document_id)
    _log(access, actor, "document", action=AccessAction.DOWNLOAD if download else AccessAction.VIEW,
         object_id=document.pk, request=request)
    return document


# ---------------------------------------------------------------------------------------
# the patient's own access log


def access_log_list(*, actor):
    """Who read or changed the actor's clinical data (only the patient sees their log)."""
    if not getattr(actor, "is_authenticated", False):
        raise PatientNotFound()
    return ClinicalAccessLog.objects.filter(patient=actor).select_related("actor").order_by("-created_at", "-id")
