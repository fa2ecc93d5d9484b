"""Clinical text is encrypted at rest, and ``rotate_clinical_keys`` moves it to a new key while
readers accept both."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from clinical import crypto
from clinical.models import ClinicalDocument, ClinicalNote, ClinicalRecord, LabResult, RecordItem
from clinical.services import record as services

pytestmark = pytest.mark.django_db
SECRET = "ZafiroSecreto42"


def _raw_rows():
    """Every row of every clinical table that has encrypted fields, read with SQL."""
    qn = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("clinical").get_models():
            if not crypto.encrypted_fields(model):
                continue
            cursor.execute(f"SELECT * FROM {qn(model._meta.db_table)}")  # noqa: S608
            rows += [(model, row) for row in cursor.fetchall()]
    return rows


def _encrypted_raw(model):
    names = set(crypto.encrypted_fields(model))
    cols = [f.column for f in model._meta.concrete_fields if f.attname in names]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in cols)} FROM {qn(model._meta.db_table)}")  # noqa: S608
        return [v for row in cursor.fetchall() for v in row if v]


@pytest.fixture
def filled(nutritionist, make_user, make_care):
    patient = make_user()
    make_care(nutritionist, patient)
    pid = patient.pk
    services.record_update(actor=nutritionist, patient_id=pid, data={
        "medical_history": f"historia {SECRET}", "family_history": f"familia {SECRET}", "lifestyle": SECRET})
    services.record_item_add(actor=nutritionist, patient_id=pid, data={"kind": "allergy", "title": f"t {SECRET}",
                                                                         "detail": f"d {SECRET}"})
    services.lab_result_add(actor=nutritionist, patient_id=pid, data={
        "test": "other", "test_name": f"estudio {SECRET}", "unit": "u", "value": "1.5", "taken_on": "2024-01-01",
        "notes": f"n {SECRET}"})
    note = services.note_create(actor=nutritionist, patient_id=pid, data={f: f"{f} {SECRET}" for f in
                                                                           services.SOAP_FIELDS})
    services.note_amend(actor=nutritionist, patient_id=pid, note_id=note.pk, text=f"adenda {SECRET}")
    services.measurement_add(actor=nutritionist, patient_id=pid, data={"weight_kg": "70", "notes": SECRET})
    services.document_upload(actor=nutritionist, patient_id=pid, title=f"doc {SECRET}",
                             file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"))
    return patient


def test_database_holds_no_plaintext(filled):
    rows = _raw_rows()
    assert len(rows) >= 7
    for model, row in rows:
        for value in row:
            assert SECRET not in str(value), model
    # the ORM reads it back
    assert SECRET in ClinicalRecord.objects.get(patient=filled).medical_history
    assert SECRET in RecordItem.objects.get(record__patient=filled).detail
    assert SECRET in LabResult.objects.get(record__patient=filled).test
    assert SECRET in ClinicalNote.objects.get(patient=filled).assessment
    assert SECRET in ClinicalDocument.objects.get(patient=filled).title


def test_rotation_to_a_new_key(settings, nutritionist, make_user, make_care):
    settings.CLINICAL_ENCRYPTION_KEYS = "v1:aaa"
    crypto._keyring.cache_clear()
    patient = make_user()
    make_care(nutritionist, patient)
    services.record_update(actor=nutritionist, patient_id=patient.pk, data={"medical_history": SECRET})
    for i in range(7):
        services.record_item_add(actor=nutritionist, patient_id=patient.pk,
                                 data={"kind": "condition", "title": f"{SECRET} {i}"})
    note = services.note_create(actor=nutritionist, patient_id=patient.pk, data={"plan": SECRET})
    assert all(v.startswith("enc:v1:") for v in _encrypted_raw(RecordItem))

    settings.CLINICAL_ENCRYPTION_KEYS = "v2:bbb,v1:aaa"
    crypto._keyring.cache_clear()
    # readers accept both keys while nothing is rotated yet
    assert ClinicalNote.objects.get(pk=note.pk).plan == SECRET

    dry = StringIO()
    call_command("rotate_clinical_keys", "--dry-run", stdout=dry)
    assert "clinical.RecordItem: would re-encrypt 7 rows" in dry.getvalue()
    assert "Rows left on old keys: 0" not in dry.getvalue()
    assert all(v.startswith("enc:v1:") for v in _encrypted_raw(RecordItem))

    out = StringIO()
    call_command("rotate_clinical_keys", "--batch-size", "3", stdout=out)
    assert "clinical.RecordItem: re-encrypted 7 rows" in out.getvalue()
    assert "Rows left on old keys: 0" in out.getvalue()
    for model in apps.get_app_config("clinical").get_models():
        if crypto.encrypted_fields(model):
            assert all(v.startswith("enc:v2:") for v in _encrypted_raw(model)), model

    settings.CLINICAL_ENCRYPTION_KEYS = "v2:bbb"
    crypto._keyring.cache_clear()
    try:
        assert ClinicalRecord.objects.get(patient=patient).medical_history == SECRET
        assert sorted(i.title for i in RecordItem.objects.all()) == [f"{SECRET} {i}" for i in range(7)]
        assert ClinicalNote.objects.get(pk=note.pk).plan == SECRET
        again = StringIO()
        call_command("rotate_clinical_keys", stdout=again)
        assert "re-encrypted 0 rows" in again.getvalue()
    finally:
        crypto._keyring.cache_clear()
