"""Pages of the clinical record: full page and htmx partials, forms with messages, 404 matrix,
the patient's own record with the access log, document download."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clinical.models import CareStatus, ClinicalAccessLog, ClinicalNote, ConsentScope
from clinical.services import record as services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def patient(make_user):
    return make_user(first_name="Paula", last_name="Paciente", sex="female", height_cm=Decimal("160"))


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


@pytest.fixture
def doc(nutritionist, patient, care):
    return services.document_upload(actor=nutritionist, patient_id=patient.pk, file=SimpleUploadedFile("a.pdf", PDF),
                                    title="Biometría hemática", kind="lab_report")


def test_record_page_full_and_partial(client, nutritionist, patient, care):
    services.record_item_add(actor=nutritionist, patient_id=patient.pk,
                             data={"kind": "medication", "title": "Metformina", "detail": "850 mg c/12 h"})
    services.lab_result_add(actor=nutritionist, patient_id=patient.pk,
                            data={"test": "triglycerides", "value": "210", "taken_on": "2024-02-01"})
    client.force_login(nutritionist)
    url = reverse("clinical:patient_record", args=[patient.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert "Paula Paciente" in html and "Metformina" in html and "850 mg c/12 h" in html
    assert "Triglicéridos" in html and 'data-flag="high"' in html and "Alto" in html
    partial = client.get(url, **HX).content.decode()
    assert "<html" not in partial and 'id="record-body"' in partial and "Metformina" in partial
    assert ClinicalAccessLog.objects.filter(patient=patient, actor=nutritionist, action="view",
                                            resource="record").count() == 2


def test_item_add_htmx_and_error_messages(client, nutritionist, patient, care):
    client.force_login(nutritionist)
    url = reverse("clinical:record_item_add", args=[patient.pk])
    ok = client.post(url, {"kind": "allergy", "title": "Penicilina", "detail": "Anafilaxia"}, **HX)
    assert ok.status_code == 200 and ok["HX-Retarget"] == "#record-items"
    assert "Penicilina" in ok.content.decode() and "<html" not in ok.content.decode()
    bad = client.post(url, {"kind": "allergy", "title": ""}, **HX)
    body = bad.content.decode()
    assert 'id="item-add-form"' in body and "Este campo es obligatorio." in body and 'aria-invalid="true"' in body
    # without JavaScript: redirect back, and a full page with the messages on error
    assert client.post(url, {"kind": "condition", "title": "Asma"}).status_code == 302
    nojs = client.post(url, {"kind": "condition", "title": "x" * 300})
    assert nojs.status_code == 400 and "<html" in nojs.content.decode() and "máximo 200" in nojs.content.decode()


def test_item_edit_and_delete_pages(client, nutritionist, patient, care):
    item = services.record_item_add(actor=nutritionist, patient_id=patient.pk, data={"kind": "condition",
                                                                                       "title": "Gastritis"})
    client.force_login(nutritionist)
    edit = reverse("clinical:record_item_edit", args=[patient.pk, item.pk])
    form = client.get(edit, **HX).content.decode()
    assert 'value="Gastritis"' in form and "<html" not in form
    response = client.post(edit, {"kind": "condition", "title": "Gastritis crónica"}, **HX)
    assert "Gastritis crónica" in response.content.decode()
    client.post(reverse("clinical:record_item_delete", args=[patient.pk, item.pk]), **HX)
    assert "Gastritis" not in client.get(reverse("clinical:patient_record", args=[patient.pk])).content.decode()


def test_measurements_page(client, nutritionist, patient, care):
    client.force_login(nutritionist)
    url = reverse("clinical:measurement_add", args=[patient.pk])
    client.post(url, {"measured_on": "2024-01-01", "weight_kg": "74", "waist_cm": "90"}, **HX)
    r = client.post(url, {"measured_on": "2024-02-01", "weight_kg": "72", "waist_cm": "85",
                          "systolic_mmhg": "135", "diastolic_mmhg": "85"}, **HX)
    assert r["HX-Retarget"] == "#measurements"
    page = client.get(reverse("clinical:patient_measurements", args=[patient.pk])).content.decode()
    assert "72.0 kg" in page and "-2.0 kg" in page and "Hipertensión grado 1" in page
    assert "Sobrepeso" in page and 'id="measure-chart-data"' in page and "chart.umd.min.js" in page
    bad = client.post(url, {"weight_kg": "900"}, **HX).content.decode()
    assert "Debe estar entre 20 y 400 kg." in bad


def test_notes_page_and_lock(client, nutritionist, patient, care):
    note = services.note_create(actor=nutritionist, patient_id=patient.pk, data={"subjective": "Come fuera"})
    client.force_login(nutritionist)
    page = client.get(reverse("clinical:patient_notes", args=[patient.pk])).content.decode()
    assert "Come fuera" in page and reverse("clinical:note_edit", args=[patient.pk, note.pk]) in page
    from datetime import timedelta

    from django.utils import timezone

    ClinicalNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=25))
    page = client.get(reverse("clinical:patient_notes", args=[patient.pk])).content.decode()
    assert "Cerrada" in page and f'href="{reverse("clinical:note_edit", args=[patient.pk, note.pk])}"' not in page
    locked = client.post(reverse("clinical:note_edit", args=[patient.pk, note.pk]), {"plan": "x"}, **HX)
    assert "24 horas" in locked.content.decode()
    amended = client.post(reverse("clinical:note_amend", args=[patient.pk, note.pk]), {"text": "Adenda A1"}, **HX)
    assert amended["HX-Retarget"] == "#notes" and "Adenda A1" in amended.content.decode()


def test_documents_page_upload_download(client, nutritionist, patient, care, doc):
    client.force_login(nutritionist)
    page = client.get(reverse("clinical:patient_documents", args=[patient.pk])).content.decode()
    assert "Biometría hemática" in page
    response = client.post(reverse("clinical:document_upload", args=[patient.pk]),
                           {"title": "Falso", "kind": "lab_report", "file": SimpleUploadedFile("x.pdf", b"texto")},
                           **HX)
    assert "Solo se aceptan archivos PDF, JPEG o PNG." in response.content.decode()
    download = client.get(reverse("clinical:document_download", args=[patient.pk, doc.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff" and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    assert ClinicalAccessLog.objects.filter(patient=patient, action="download", resource="document").exists()


def test_private_file_not_reachable_under_media(client, settings, nutritionist, patient, care, doc):
    from pathlib import Path

    assert not str(Path(doc.file.path)).startswith(str(settings.MEDIA_ROOT))
    client.force_login(patient)
    for prefix in (settings.MEDIA_URL, "/_private/"):
        assert client.get(f"{prefix}{doc.file.name}").status_code == 404


def test_my_record_with_access_log(client, nutritionist, patient, care, doc):
    services.record_update(actor=nutritionist, patient_id=patient.pk, data={"medical_history": "Asma leve"})
    services.measurement_add(actor=patient, patient_id=patient.pk, data={"weight_kg": "65"})
    client.force_login(nutritionist)
    client.get(reverse("clinical:patient_record", args=[patient.pk]))
    client.force_login(patient)
    page = client.get(reverse("clinical:my_record")).content.decode()
    assert "Asma leve" in page and "Biometría hemática" in page and "65.0 kg" in page
    assert "Quién ha consultado tu expediente" in page
    assert "Nora" in page and "Consultó" in page and "Modificó" in page
    # the patient's own record link goes to mi-expediente
    assert client.get(reverse("clinical:patient_record", args=[patient.pk])).status_code == 302


def test_access_log_pagination_partial(client, patient, make_nutritionist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clinical.rules import access_log

    other = make_nutritionist()
    for i in range(25):
        access_log(patient=patient, actor=other if i % 2 else patient, action="view", resource="record")
    client.force_login(patient)
    first = client.get(reverse("clinical:my_record") + "?page=1", **HX)
    assert "Página 1 de 2" in first.content.decode() and "<html" not in first.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(reverse("clinical:my_record") + "?page=2", **HX)
    assert "Página 2 de 2" in second.content.decode()
    clinical = [q["sql"] for q in ctx.captured_queries if "clinical_" in q["sql"]]
    assert len(clinical) == 2, clinical  # count + one page with the actors joined, whatever the rows


@pytest.mark.parametrize("name", ["patient_record", "patient_measurements", "patient_documents", "patient_notes"])
def test_pages_404_matrix(client, make_nutritionist, make_care, patient, name):
    stranger = make_nutritionist()
    ended = make_nutritionist()
    make_care(ended, patient, status=CareStatus.DROPPED)
    revoked = make_nutritionist()
    make_care(revoked, patient, scopes=[ConsentScope.DIARY])
    actors = [stranger, ended] + ([] if name == "patient_notes" else [revoked])
    for actor in actors:
        client.force_login(actor)
        assert client.get(reverse(f"clinical:{name}", args=[patient.pk])).status_code == 404, (name, actor)
    if name == "patient_notes":
        client.force_login(patient)
        assert client.get(reverse("clinical:patient_notes", args=[patient.pk])).status_code == 404


def test_object_actions_404_matrix(client, nutritionist, make_nutritionist, make_care, patient, care, doc):
    item = services.record_item_add(actor=nutritionist, patient_id=patient.pk, data={"kind": "condition",
                                                                                       "title": "X"})
    note = services.note_create(actor=nutritionist, patient_id=patient.pk, data={"plan": "P"})
    m = services.measurement_add(actor=nutritionist, patient_id=patient.pk, data={"weight_kg": "70"})
    stranger = make_nutritionist()
    ended = make_nutritionist()
    make_care(ended, patient, status=CareStatus.GRADUATED)
    revoked = make_nutritionist()
    make_care(revoked, patient, scopes=[])
    urls = [
        ("get", reverse("clinical:record_item_edit", args=[patient.pk, item.pk])),
        ("post", reverse("clinical:record_item_delete", args=[patient.pk, item.pk])),
        ("get", reverse("clinical:measurement_edit", args=[patient.pk, m.pk])),
        ("get", reverse("clinical:document_download", args=[patient.pk, doc.pk])),
        ("post", reverse("clinical:document_delete", args=[patient.pk, doc.pk])),
    ]
    for actor in (stranger, ended, revoked):
        client.force_login(actor)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (url, actor)
    for actor in (stranger, ended, patient):
        client.force_login(actor)
        assert client.get(reverse("clinical:note_edit", args=[patient.pk, note.pk])).status_code == 404
        assert client.post(reverse("clinical:note_amend", args=[patient.pk, note.pk]),
                           {"text": "x"}).status_code == 404
