"""Clinical record API: record, items, labs, measurements, notes, documents, access log,
with the 404 matrix and error envelope."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from clinical.models import CareStatus, ClinicalAccessLog, ClinicalNote, ConsentScope
from clinical.services import record as services

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def patient(make_user):
    return make_user(first_name="Paula", last_name="Paciente", sex="female")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


@pytest.fixture
def api(client):
    def _call(user, method, url, data=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}", **extra}
        fn = getattr(client, method)
        if method in ("get",):
            return fn(url, data or {}, **headers)
        if data is not None and "format" not in extra and not any(hasattr(v, "read") for v in data.values()):
            return fn(url, data, content_type="application/json", **headers)
        return fn(url, data, **headers)
    return _call


def test_record_get_put_and_items(api, nutritionist, patient, care):
    base = f"/api/v1/patients/{patient.pk}"
    assert api(nutritionist, "get", f"{base}/record").json()["medical_history"] == ""
    r = api(nutritionist, "put", f"{base}/record", {"medical_history": "DM2 desde 2019"})
    assert r.status_code == 200 and r.json()["medical_history"] == "DM2 desde 2019"
    assert r.json()["updated_by"]["id"] == nutritionist.pk
    r = api(nutritionist, "post", f"{base}/record/items", {"kind": "medication", "title": "Metformina",
                                                            "detail": "850 mg"})
    assert r.status_code == 201
    item_id = r.json()["id"]
    r = api(nutritionist, "put", f"{base}/record/items/{item_id}", {"detail": "500 mg"})
    assert r.json()["detail"] == "500 mg"
    listing = api(nutritionist, "get", f"{base}/record/items", {"limit": 10}).json()
    assert listing["total_results"] == 1 and listing["results"][0]["title"] == "Metformina"
    assert listing["page"] == 1 and listing["limit"] == 10 and listing["total_pages"] == 1
    assert api(nutritionist, "delete", f"{base}/record/items/{item_id}").status_code == 204
    assert api(nutritionist, "get", f"{base}/record/items").json()["total_results"] == 0
    bad = api(nutritionist, "post", f"{base}/record/items", {"kind": "allergy", "title": ["x"]})
    assert bad.status_code == 400 and bad.json()["error"]["details"]["title"] == ["Debe ser texto."]


def test_labs_api(api, nutritionist, patient, care):
    base = f"/api/v1/patients/{patient.pk}"
    r = api(nutritionist, "post", f"{base}/labs", {"test": "ldl", "value": 130, "taken_on": "2024-01-05"})
    assert r.status_code == 201 and r.json()["flag"] == "high" and r.json()["unit"] == "mg/dL"
    bad = api(nutritionist, "post", f"{base}/labs", {"test": "ldl", "value": "mucho", "taken_on": "2024-01-05"})
    assert bad.status_code == 400 and "value" in bad.json()["error"]["details"]
    listing = api(nutritionist, "get", f"{base}/labs").json()
    assert listing["results"][0]["test_label"] == "Colesterol LDL"
    assert api(nutritionist, "delete", f"{base}/labs/{r.json()['id']}").status_code == 204


def test_labs_list_query_count(api, nutritionist, patient, care, django_assert_max_num_queries):
    base = f"/api/v1/patients/{patient.pk}"
    for i in range(5):
        services.lab_result_add(actor=nutritionist, patient_id=patient.pk,
                                data={"test": "glucose_fasting", "value": str(90 + i), "taken_on": "2024-01-01"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        api(nutritionist, "get", f"{base}/labs")
    for i in range(10):
        services.lab_result_add(actor=nutritionist, patient_id=patient.pk,
                                data={"test": "hdl", "value": str(40 + i), "taken_on": "2024-01-01"})
    with CaptureQueriesContext(connection) as many:
        assert api(nutritionist, "get", f"{base}/labs").json()["total_results"] == 15
    assert len(many) == len(few)


def test_measurements_api(api, nutritionist, patient, care):
    base = f"/api/v1/patients/{patient.pk}"
    r = api(nutritionist, "post", f"{base}/measurements", {"weight_kg": 80, "height_cm": 170, "waist_cm": 90,
                                                           "systolic_mmhg": 142, "diastolic_mmhg": 88})
    assert r.status_code == 201
    body = r.json()
    assert body["bmi"] == 27.7 and body["bmi_category"]["code"] == "overweight"
    assert body["blood_pressure_category"]["code"] == "stage_2" and body["waist_height_ratio"]["code"] == "risk"
    r = api(nutritionist, "put", f"{base}/measurements/{body['id']}", {"weight_kg": 79.5})
    assert r.json()["weight_kg"] == 79.5
    bad = api(nutritionist, "post", f"{base}/measurements", {"weight_kg": 1000})
    assert bad.json()["error"]["details"]["weight_kg"] == ["Debe estar entre 20 y 400 kg."]
    assert api(nutritionist, "get", f"{base}/measurements").json()["total_results"] == 1
    assert api(nutritionist, "delete", f"{base}/measurements/{body['id']}").status_code == 204


def test_notes_api_and_lock(api, nutritionist, patient, care):
    base = f"/api/v1/patients/{patient.pk}"
    r = api(nutritionist, "post", f"{base}/notes", {"subjective": "S", "plan": "P"})
    assert r.status_code == 201 and r.json()["locked"] is False
    nid = r.json()["id"]
    assert api(nutritionist, "put", f"{base}/notes/{nid}", {"plan": "P2"}).json()["plan"] == "P2"
    ClinicalNote.objects.filter(pk=nid).update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    locked = api(nutritionist, "put", f"{base}/notes/{nid}", {"plan": "P3"})
    assert locked.status_code == 400 and locked.json()["error"]["code"] == "NOTE_LOCKED"
    amended = api(nutritionist, "post", f"{base}/notes/{nid}/amendments", {"text": "Adenda"})
    assert amended.status_code == 201 and amended.json()["amendments"][0]["text"] == "Adenda"
    assert api(nutritionist, "get", f"{base}/notes").json()["results"][0]["locked"] is True
    # the patient does not see notes
    assert api(patient, "get", f"{base}/notes").status_code == 404


def test_documents_api(api, nutritionist, patient, care):
    base = f"/api/v1/patients/{patient.pk}"
    r = api(patient, "post", f"{base}/documents",
            {"title": "Receta", "kind": "prescription", "file": SimpleUploadedFile("r.pdf", PDF)})
    assert r.status_code == 201 and r.json()["content_type"] == "application/pdf"
    did = r.json()["id"]
    fake = api(patient, "post", f"{base}/documents", {"title": "X", "file": SimpleUploadedFile("x.pdf", b"hola")})
    assert fake.status_code == 400 and "file" in fake.json()["error"]["details"]
    assert api(nutritionist, "get", f"{base}/documents/{did}").json()["title"] == "Receta"
    dl = api(nutritionist, "get", f"{base}/documents/{did}/download")
    assert dl.status_code == 200 and b"".join(dl.streaming_content) == PDF
    assert dl["X-Content-Type-Options"] == "nosniff"
    assert api(nutritionist, "delete", f"{base}/documents/{did}").status_code == 403  # not the uploader
    assert api(patient, "delete", f"{base}/documents/{did}").status_code == 204
    assert api(patient, "get", f"{base}/documents").json()["total_results"] == 0


def test_document_download_redirects_on_s3(api, nutritionist, patient, care, monkeypatch):
    doc = services.document_upload(actor=patient, patient_id=patient.pk, file=SimpleUploadedFile("a.pdf", PDF),
                                   title="T")
    storage = doc.file.storage

    def no_path(name):
        raise NotImplementedError

    monkeypatch.setattr(storage, "path", no_path)
    monkeypatch.setattr(storage, "url", lambda name: "https://s3.example/x?X-Amz-Expires=300")
    r = api(nutritionist, "get", f"/api/v1/patients/{patient.pk}/documents/{doc.pk}/download")
    assert r.status_code == 302 and r["Location"].startswith("https://s3.example/")


def test_access_log_api_for_the_patient(api, nutritionist, patient, care):
    api(nutritionist, "get", f"/api/v1/patients/{patient.pk}/record")
    log = api(patient, "get", "/api/v1/me/access-log").json()
    assert log["total_results"] >= 1
    line = log["results"][0]
    assert line["actor"]["id"] == nutritionist.pk and line["action"] == "view" and line["resource"] == "record"
    # the nutritionist's own log does not contain the patient's lines
    assert api(nutritionist, "get", "/api/v1/me/access-log").json()["total_results"] == 0
    assert ClinicalAccessLog.objects.filter(patient=patient, actor=nutritionist).exists()


def test_api_404_matrix(api, nutritionist, make_nutritionist, make_care, patient, care):
    item = services.record_item_add(actor=nutritionist, patient_id=patient.pk, data={"kind": "condition",
                                                                                       "title": "X"})
    lab = services.lab_result_add(actor=nutritionist, patient_id=patient.pk,
                                  data={"test": "tsh", "value": "2", "taken_on": "2024-01-01"})
    m = services.measurement_add(actor=nutritionist, patient_id=patient.pk, data={"weight_kg": "70"})
    note = services.note_create(actor=nutritionist, patient_id=patient.pk, data={"plan": "P"})
    doc = services.document_upload(actor=nutritionist, patient_id=patient.pk, file=SimpleUploadedFile("a.pdf", PDF),
                                   title="T")
    stranger = make_nutritionist()
    ended = make_nutritionist()
    make_care(ended, patient, status=CareStatus.GRADUATED)
    revoked = make_nutritionist()
    make_care(revoked, patient, scopes=[ConsentScope.DIARY])
    b = f"/api/v1/patients/{patient.pk}"
    consented = [
        ("get", f"{b}/record", None), ("put", f"{b}/record", {"lifestyle": "x"}),
        ("get", f"{b}/record/items", None), ("post", f"{b}/record/items", {"kind": "condition", "title": "Y"}),
        ("put", f"{b}/record/items/{item.pk}", {"title": "Z"}), ("delete", f"{b}/record/items/{item.pk}", None),
        ("get", f"{b}/labs", None), ("delete", f"{b}/labs/{lab.pk}", None),
        ("get", f"{b}/measurements", None), ("put", f"{b}/measurements/{m.pk}", {"weight_kg": 71}),
        ("delete", f"{b}/measurements/{m.pk}", None),
        ("get", f"{b}/documents", None), ("get", f"{b}/documents/{doc.pk}", None),
        ("get", f"{b}/documents/{doc.pk}/download", None), ("delete", f"{b}/documents/{doc.pk}", None),
    ]
    notes = [("get", f"{b}/notes", None), ("put", f"{b}/notes/{note.pk}", {"plan": "x"}),
             ("post", f"{b}/notes/{note.pk}/amendments", {"text": "x"})]
    for actor in (stranger, ended, revoked):
        for method, url, data in consented + (notes if actor is not revoked else []):
            r = api(actor, method, url, data)
            assert r.status_code == 404, (method, url, r.status_code)
            assert r.json()["error"]["code"] in ("PATIENT_NOT_FOUND", "NOT_FOUND")
    for method, url, data in notes:
        assert api(patient, method, url, data).status_code == 404
    # garbage and another patient's object ids look missing too
    assert api(nutritionist, "put", f"{b}/record/items/abc", {"title": "x"}).status_code == 404
    assert api(nutritionist, "get", "/api/v1/patients/99999999999999999999999/record").status_code == 404
