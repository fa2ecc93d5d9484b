"""Services and selectors of the clinical record: record, items, labs, measurements, notes,
documents, scoping and the access log."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clinical import reference
from clinical.models import CareStatus, ClinicalAccessLog, ConsentScope, RecordItem
from clinical.rules import PatientNotFound
from clinical.selectors import record as selectors
from clinical.services import record as services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def patient(make_user):
    return make_user(first_name="Paula", last_name="Paciente", sex="female", height_cm=Decimal("160"))


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


def test_record_update_and_items_by_nutritionist(nutritionist, patient, care):
    record = services.record_update(actor=nutritionist, patient_id=patient.pk,
                                    data={"medical_history": "Hipotiroidismo", "lifestyle": "Sedentaria"})
    assert record.medical_history == "Hipotiroidismo" and record.updated_by == nutritionist
    item = services.record_item_add(actor=nutritionist, patient_id=patient.pk, data={
        "kind": "medication", "title": "Metformina", "detail": "850 mg cada 12 h", "noted_on": "2024-01-10"})
    assert item.recorded_by == nutritionist and str(item.noted_on) == "2024-01-10"
    services.record_item_update(actor=nutritionist, patient_id=patient.pk, item_id=item.pk,
                                data={"detail": "500 mg cada 12 h"})
    item.refresh_from_db()
    assert item.detail == "500 mg cada 12 h"
    services.record_item_delete(actor=nutritionist, patient_id=patient.pk, item_id=item.pk)
    assert RecordItem.objects.get(pk=item.pk).deleted_at is not None
    assert list(selectors.record_item_list(actor=nutritionist, patient_id=patient.pk)) == []
    actions = list(ClinicalAccessLog.objects.filter(patient=patient).values_list("action", "resource"))
    assert ("update", "record") in actions and ("create", "item") in actions and ("delete", "item") in actions
    assert ("view", "item") in actions


def test_patient_writes_own_record(patient):
    services.record_item_add(actor=patient, patient_id=patient.pk, data={"kind": "allergy", "title": "Nuez",
                                                                          "detail": "Urticaria"})
    lab = services.lab_result_add(actor=patient, patient_id=patient.pk, data={
        "test": "glucose_fasting", "value": "112", "taken_on": "2024-05-01"})
    assert lab.unit == "mg/dL" and lab.reference_range == "70–99"


@pytest.mark.parametrize("data,field,message", [
    ({"kind": "condition", "title": ""}, "title", "obligatorio"),
    ({"kind": "nope", "title": "X"}, "kind", "Elige una opción"),
    ({"kind": "condition", "title": "x" * 201}, "title", "máximo 200"),
    ({"kind": "condition", "title": 12}, "title", "Debe ser texto"),
    ({"kind": "condition", "title": "X", "noted_on": "2020-13-01"}, "noted_on", "AAAA-MM-DD"),
    ({"kind": "condition", "title": "X", "noted_on": "2999-01-01"}, "noted_on", "futura"),
    ({"kind": "condition", "title": "X", "noted_on": "2024-02-01", "ended_on": "2024-01-01"}, "ended_on", "anterior"),
])
def test_item_validation_messages(nutritionist, patient, care, data, field, message):
    with pytest.raises(ValidationError) as exc:
        services.record_item_add(actor=nutritionist, patient_id=patient.pk, data=data)
    assert message in " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize("data,field,message", [
    ({"test": "glucose_fasting", "value": "abc", "taken_on": "2024-01-01"}, "value", "número"),
    ({"test": "glucose_fasting", "value": "-1", "taken_on": "2024-01-01"}, "value", "entre"),
    ({"test": "glucose_fasting", "value": "NaN", "taken_on": "2024-01-01"}, "value", "número"),
    ({"test": "glucose_fasting", "value": "", "taken_on": "2024-01-01"}, "value", "resultado"),
    ({"test": "glucose_fasting", "value": "90"}, "taken_on", "fecha"),
    ({"test": "zzz", "value": "90", "taken_on": "2024-01-01"}, "test", "Elige un estudio"),
    ({"test": "other", "value": "90", "taken_on": "2024-01-01"}, "test_name", "obligatorio"),
])
def test_lab_validation_messages(nutritionist, patient, care, data, field, message):
    with pytest.raises(ValidationError) as exc:
        services.lab_result_add(actor=nutritionist, patient_id=patient.pk, data=data)
    assert message in " ".join(exc.value.message_dict[field])


def test_lab_flags_and_chart_series(nutritionist, patient, care):
    for value, day in (("112", "2024-01-01"), ("95", "2024-03-01")):
        services.lab_result_add(actor=nutritionist, patient_id=patient.pk,
                                data={"test": "glucose_fasting", "value": value, "taken_on": day})
    services.lab_result_add(actor=nutritionist, patient_id=patient.pk,
                            data={"test": "hdl", "value": "45", "taken_on": "2024-03-01"})
    services.lab_result_add(actor=nutritionist, patient_id=patient.pk, data={
        "test": "other", "test_name": "Homocisteína", "unit": "µmol/L", "value": "9.5", "taken_on": "2024-03-01"})
    page = selectors.record_page(actor=nutritionist, patient_id=patient.pk)
    flags = {(r.label, r.lab.value): r.flag for r in page["lab_rows"]}
    assert flags[("Glucosa en ayuno", "112")] == "high"
    assert flags[("Glucosa en ayuno", "95")] == ""
    assert flags[("Colesterol HDL", "45")] == "low"  # woman: HDL ≥ 50
    assert flags[("Homocisteína", "9.5")] == ""
    assert [c.label for c in page["lab_charts"]] == ["Glucosa en ayuno"]
    assert page["lab_charts"][0].points == [("2024-01-01", 112.0), ("2024-03-01", 95.0)]


def test_reference_categories():
    assert reference.lab_flag("hba1c", "5.7") == "high" and reference.lab_flag("hba1c", "5.6") == ""
    assert reference.lab_flag("hdl", "45", "male") == "" and reference.lab_flag("hdl", "45", "female") == "low"
    assert reference.blood_pressure_category(118, 78)[0] == "normal"
    assert reference.blood_pressure_category(125, 78)[0] == "elevated"
    assert reference.blood_pressure_category(125, 85)[0] == "stage_1"
    assert reference.blood_pressure_category(141, 70)[0] == "stage_2"
    assert reference.waist_height(80, 160)[1] == "risk" and reference.waist_height(79, 160)[1] == "normal"
    assert reference.waist_hip(86, 100, "female")[1] == "risk" and reference.waist_hip(86, 100, "male")[1] == "normal"
    assert len(reference.LAB_TESTS) >= 15


def test_measurement_defaults_height_and_logs_weight(nutritionist, patient, care):
    from nutrition.models import WeightLog

    m = services.measurement_add(actor=nutritionist, patient_id=patient.pk, data={
        "measured_on": timezone.localdate().isoformat(), "weight_kg": "70.4", "waist_cm": "82",
        "hip_cm": "100", "systolic_mmhg": "128", "diastolic_mmhg": "79"})
    assert m.height_cm == Decimal("160.0")
    assert WeightLog.objects.get(user=patient).weight_kg == Decimal("70.4")
    services.measurement_add(actor=nutritionist, patient_id=patient.pk, data={
        "measured_on": (timezone.localdate() - timedelta(days=30)).isoformat(), "weight_kg": "73", "waist_cm": "86"})
    rows = list(selectors.measurement_list(actor=nutritionist, patient_id=patient.pk))
    summary = selectors.anthropometry_summary(patient=patient, measurements=rows)
    assert summary["latest"]["weight_kg"]["value"] == 70.4
    assert summary["latest"]["weight_kg"]["change"] == -2.6
    assert summary["bmi"]["value"] == 27.5 and summary["bmi"]["category"][0] == "overweight"
    assert summary["waist_height"][1] == "risk"  # 82/160 = 0.51
    assert summary["blood_pressure"]["category"][0] == "elevated"
    assert summary["series"]["weight"] == [73.0, 70.4]


@pytest.mark.parametrize("data,field,message", [
    ({"weight_kg": "5"}, "weight_kg", "entre 20 y 400"),
    ({"weight_kg": "setenta"}, "weight_kg", "número"),
    ({"waist_cm": "1000"}, "waist_cm", "entre"),
    ({"systolic_mmhg": "120"}, "diastolic_mmhg", "sistólica y la diastólica"),
    ({"systolic_mmhg": "80", "diastolic_mmhg": "90"}, "diastolic_mmhg", "menor"),
    ({"body_fat_pct": "90"}, "body_fat_pct", "entre 2 y 75"),
    ({}, "non_field_errors", "al menos una medida"),
])
def test_measurement_validation(nutritionist, patient, care, data, field, message):
    with pytest.raises(ValidationError) as exc:
        services.measurement_add(actor=nutritionist, patient_id=patient.pk, data=data)
    assert message in " ".join(exc.value.message_dict[field])


def test_note_lifecycle_and_24h_lock(nutritionist, make_nutritionist, make_care, patient, care):
    note = services.note_create(actor=nutritionist, patient_id=patient.pk, data={"subjective": "Refiere ansiedad"})
    services.note_update(actor=nutritionist, patient_id=patient.pk, note_id=note.pk, data={"plan": "Plan 1800 kcal"})
    note.refresh_from_db()
    assert note.plan == "Plan 1800 kcal" and note.edited_at is not None
    colleague = make_nutritionist()
    make_care(colleague, patient, scopes=[])  # no consent needed for notes
    assert [n.pk for n in selectors.note_list(actor=colleague, patient_id=patient.pk)] == [note.pk]
    with pytest.raises(PermissionDenied):
        services.note_update(actor=colleague, patient_id=patient.pk, note_id=note.pk, data={"plan": "x"})
    # just under 24 h: still editable
    note.created_at = timezone.now() - timedelta(hours=23, minutes=59)
    note.save()
    services.note_update(actor=nutritionist, patient_id=patient.pk, note_id=note.pk, data={"plan": "Plan 1700"})
    # 24 h: locked
    note.created_at = timezone.now() - timedelta(hours=24)
    note.save()
    with pytest.raises(ValidationError) as exc:
        services.note_update(actor=nutritionist, patient_id=patient.pk, note_id=note.pk, data={"plan": "x"})
    assert exc.value.code == "NOTE_LOCKED" and "24 horas" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.note_delete(actor=nutritionist, patient_id=patient.pk, note_id=note.pk)
    amendment = services.note_amend(actor=colleague, patient_id=patient.pk, note_id=note.pk, text="Corrige dosis")
    assert amendment.author == colleague
    with pytest.raises(ValidationError):
        services.note_amend(actor=colleague, patient_id=patient.pk, note_id=note.pk, text="   ")


def test_patient_never_reaches_notes(nutritionist, patient, care):
    note = services.note_create(actor=nutritionist, patient_id=patient.pk, data={"assessment": "Sobrepeso"})
    with pytest.raises(PatientNotFound):
        selectors.note_list(actor=patient, patient_id=patient.pk)
    with pytest.raises(PatientNotFound):
        services.note_create(actor=patient, patient_id=patient.pk, data={"subjective": "x"})
    with pytest.raises(PatientNotFound):
        services.note_amend(actor=patient, patient_id=patient.pk, note_id=note.pk, text="x")


def test_scoping_other_nutritionist_ended_care_and_revoked_consent(make_nutritionist, make_care, patient):
    stranger = make_nutritionist()
    ended = make_nutritionist()
    make_care(ended, patient, status=CareStatus.GRADUATED)
    no_record = make_nutritionist()
    make_care(no_record, patient, scopes=[ConsentScope.MEASUREMENTS])
    for actor in (stranger, ended, no_record):
        with pytest.raises(ObjectDoesNotExist):
            selectors.record_get(actor=actor, patient_id=patient.pk)
        with pytest.raises(ObjectDoesNotExist):
            services.record_item_add(actor=actor, patient_id=patient.pk, data={"kind": "condition", "title": "X"})
        with pytest.raises(ObjectDoesNotExist):
            selectors.document_list(actor=actor, patient_id=patient.pk)
    # measurements granted: reachable
    selectors.measurement_list(actor=no_record, patient_id=patient.pk)
    for actor in (stranger, ended):
        with pytest.raises(ObjectDoesNotExist):
            selectors.note_list(actor=actor, patient_id=patient.pk)


def test_item_of_another_patient_is_not_found(nutritionist, patient, care, make_user, make_care):
    other = make_user()
    make_care(nutritionist, other)
    item = services.record_item_add(actor=other, patient_id=other.pk, data={"kind": "condition", "title": "Asma"})
    with pytest.raises(ObjectDoesNotExist):
        services.record_item_update(actor=nutritionist, patient_id=patient.pk, item_id=item.pk, data={"title": "x"})
    with pytest.raises(ObjectDoesNotExist):
        services.record_item_delete(actor=nutritionist, patient_id=patient.pk, item_id="abc")


def test_document_upload_checks_content(nutritionist, patient, care):
    doc = services.document_upload(actor=nutritionist, patient_id=patient.pk,
                                   file=SimpleUploadedFile("x.txt", PDF), title="Química sanguínea",
                                   kind="lab_report")
    assert doc.content_type == "application/pdf" and doc.file.name.endswith(".pdf")
    png = services.document_upload(actor=patient, patient_id=patient.pk,
                                   file=SimpleUploadedFile("foto.pdf", png_bytes()), title="Foto", kind="image")
    assert png.content_type == "image/png"
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=patient, patient_id=patient.pk,
                                 file=SimpleUploadedFile("receta.pdf", b"hola, soy texto"), title="Receta")
    assert "PDF, JPEG o PNG" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=patient, patient_id=patient.pk,
                                 file=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nbasura"), title="Rota")
    assert "dañada" in exc.value.message_dict["file"][0]
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=patient, patient_id=patient.pk, file=big, title="Grande")
    assert "10 MB" in exc.value.message_dict["file"][0]
    # only the uploader deletes
    with pytest.raises(PermissionDenied):
        services.document_delete(actor=patient, patient_id=patient.pk, document_id=doc.pk)
    services.document_delete(actor=patient, patient_id=patient.pk, document_id=png.pk)
    assert [d.pk for d in selectors.document_list(actor=nutritionist, patient_id=patient.pk)] == [doc.pk]
