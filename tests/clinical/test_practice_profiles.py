"""Practice: the nutritionist's professional profile, staff verification and the public directory."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Role, RoleGrant
from clinical.models import NutritionistProfile, VerificationStatus
from clinical.services import practice as services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def pdf_upload(name="cedula.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buf, format="PNG")
    return buf.getvalue()


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


@pytest.fixture
def applicant(make_user):
    return make_user(user_type="nutritionist", first_name="Lucía", last_name="Hernández")


@pytest.fixture
def staff(make_user):
    from tests.accounts import enable_totp

    person = make_user(is_staff=True, first_name="Sara", last_name="Staff")
    enable_totp(person, with_recovery_codes=False)  # staff pages require an authenticator
    return person


GOOD = {
    "license_number": "1234567",
    "specializations": ["diabetes", "clinical"],
    "education": "Licenciatura en Nutrición — UNAM — 2015\nMaestría en Nutrición Clínica — IBERO — 2018",
    "years_experience": "8",
    "languages": ["es", "en"],
    "clinic_name": "Consultorio Roma",
    "city": "Ciudad de México",
    "state": "CMX",
    "clinic_phone": "55 1234 5678",
    "consultation_fee_mxn": "650",
    "accepting_patients": True,
    "working_hours": {"monday": {"start": "09:00", "end": "17:00"}},
    "bio": "Acompaño a personas con diabetes.",
}


# ---------------------------------------------------------------------------------------
# profile save


def test_first_save_creates_pending_profile_with_parsed_rows(applicant):
    profile = services.nutritionist_profile_save(actor=applicant, data=GOOD, files={"license_document": pdf_upload()})
    assert profile.verification_status == VerificationStatus.PENDING
    assert profile.slug == "lucia-hernandez"
    assert profile.education[0] == {"name": "Licenciatura en Nutrición", "institution": "UNAM", "year": 2015}
    assert profile.clinic_phone == "+525512345678"
    assert profile.working_hours == {"monday": {"start": "09:00", "end": "17:00"}}
    assert profile.license_document.name.startswith("licenses/")
    assert profile.consultation_fee_mxn == 650


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"license_number": ""}, "license_number", "Escribe tu cédula"),
        ({"license_number": "12ab"}, "license_number", "7 u 8 dígitos"),
        ({"license_number": "123456789"}, "license_number", "7 u 8 dígitos"),
        ({"license_number": "1234567", "specializations": ["magia"]}, "specializations", "Opción no válida"),
        ({"license_number": "1234567", "clinic_phone": "+1 212 555 0100"}, "clinic_phone", "México"),
        ({"license_number": "1234567", "consultation_fee_mxn": "mucho"}, "consultation_fee_mxn", "pesos"),
        ({"license_number": "1234567", "years_experience": 99}, "years_experience", "entre 0 y 70"),
        ({"license_number": "1234567", "state": "Narnia"}, "state", "estado"),
        ({"license_number": "1234567", "bio": "x" * 2001}, "bio", "2000"),
        ({"license_number": "1234567", "working_hours": {"monday": {"start": "18:00", "end": "09:00"}}},
         "working_hours", "después"),
        ({"license_number": "1234567", "education": "Lic — UNAM — 1850"}, "education", "1950"),
        ({"license_number": ["1234567"]}, "license_number", "7 u 8"),
        ({"license_number": "1234567", "sparkles": 1}, "sparkles", "desconocido"),
    ],
)
def test_profile_validation_messages_per_field(applicant, data, field, text):
    with pytest.raises(ValidationError) as exc:
        services.nutritionist_profile_save(actor=applicant, data=data)
    assert text in " ".join(exc.value.message_dict[field])


def test_license_taken_and_document_checked_by_content(applicant, make_nutritionist):
    other = make_nutritionist()
    taken = other.nutritionist_profile.license_number
    with pytest.raises(ValidationError) as exc:
        services.nutritionist_profile_save(actor=applicant, data={"license_number": taken})
    assert "ya está registrada" in exc.value.message_dict["license_number"][0]
    fake = SimpleUploadedFile("cedula.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.nutritionist_profile_save(actor=applicant, data={"license_number": "7654321"},
                                           files={"license_document": fake})
    assert "PDF, JPG o PNG" in exc.value.message_dict["license_document"][0]
    big = SimpleUploadedFile("c.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.nutritionist_profile_save(actor=applicant, data={"license_number": "7654321"},
                                           files={"license_document": big})
    assert "10 MB" in exc.value.message_dict["license_document"][0]
    png = SimpleUploadedFile("c.png", png_bytes(), content_type="image/png")
    profile = services.nutritionist_profile_save(actor=applicant, data={"license_number": "7654321"},
                                                 files={"license_document": png})
    assert profile.license_document


def test_patient_cannot_have_a_professional_profile(user):
    with pytest.raises(PermissionDenied):
        services.nutritionist_profile_save(actor=user, data=GOOD)


def test_changing_cedula_of_verified_profile_returns_to_review(nutritionist):
    assert RoleGrant.objects.filter(user=nutritionist, role=Role.NUTRITIONIST).exists()
    profile = services.nutritionist_profile_save(actor=nutritionist, data={"bio": "Hola"})
    assert profile.is_verified
    profile = services.nutritionist_profile_save(actor=nutritionist, data={"license_number": "87654321"})
    assert profile.verification_status == VerificationStatus.PENDING
    assert not RoleGrant.objects.filter(user=nutritionist, role=Role.NUTRITIONIST).exists()


# ---------------------------------------------------------------------------------------
# verification


def test_verify_grants_role_notifies_and_emails(applicant, staff, django_capture_on_commit_callbacks):
    profile = services.nutritionist_profile_save(actor=applicant, data=GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        services.nutritionist_verify(actor=staff, profile_id=profile.pk)
    profile.refresh_from_db()
    assert profile.is_verified and profile.verified_by == staff and profile.verified_at
    assert RoleGrant.objects.filter(user=applicant, role=Role.NUTRITIONIST).exists()
    assert applicant.notifications.filter(kind="nutritionist_verified").exists()
    assert mail.outbox[-1].to == [applicant.email] and "verificada" in mail.outbox[-1].subject


def test_reject_requires_reason_revokes_role_and_resubmit(applicant, staff):
    profile = services.nutritionist_profile_save(actor=applicant, data=GOOD)
    services.nutritionist_verify(actor=staff, profile_id=profile.pk)
    with pytest.raises(ValidationError) as exc:
        services.nutritionist_reject(actor=staff, profile_id=profile.pk, reason="   ")
    assert "motivo" in exc.value.message_dict["reason"][0]
    services.nutritionist_reject(actor=staff, profile_id=profile.pk, reason="La cédula no coincide con el nombre.")
    profile.refresh_from_db()
    assert profile.verification_status == VerificationStatus.REJECTED
    assert not RoleGrant.objects.filter(user=applicant, role=Role.NUTRITIONIST).exists()
    again = services.nutritionist_profile_save(actor=applicant, data={"license_number": "1234568"})
    assert again.verification_status == VerificationStatus.PENDING


def test_verification_only_for_staff(applicant, nutritionist):
    profile = services.nutritionist_profile_save(actor=applicant, data=GOOD)
    with pytest.raises(services.ProfileNotFound):
        services.nutritionist_verify(actor=nutritionist, profile_id=profile.pk)
    with pytest.raises(services.ProfileNotFound):
        services.nutritionist_reject(actor=applicant, profile_id=profile.pk, reason="x")


def test_queue_page_staff_only_with_download_and_verify(client, applicant, staff, nutritionist):
    profile = services.nutritionist_profile_save(actor=applicant, data=GOOD, files={"license_document": pdf_upload()})
    for who in (applicant, nutritionist):
        client.force_login(who)
        assert client.get("/consulta/verificaciones/").status_code == 404
        assert client.get(f"/consulta/verificaciones/{profile.pk}/comprobante/").status_code == 404
        assert client.post(f"/consulta/verificaciones/{profile.pk}/verificar/").status_code == 404
    client.force_login(staff)
    page = client.get("/consulta/verificaciones/")
    html = page.content.decode()
    assert "Lucía Hernández" in html and "1234567" in html and "Descargar comprobante" in html
    download = client.get(f"/consulta/verificaciones/{profile.pk}/comprobante/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # htmx reject without a reason: the queue partial with the error
    bad = client.post(f"/consulta/verificaciones/{profile.pk}/rechazar/", {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "Escribe el motivo" in bad.content.decode() and "<html" not in bad.content.decode()
    ok = client.post(f"/consulta/verificaciones/{profile.pk}/verificar/", HTTP_HX_REQUEST="true")
    assert "No hay perfiles pendientes" in ok.content.decode()
    assert NutritionistProfile.objects.get(pk=profile.pk).is_verified


def test_rejected_nutritionist_sees_reason_on_profile_page(client, applicant, staff):
    profile = services.nutritionist_profile_save(actor=applicant, data=GOOD)
    services.nutritionist_reject(actor=staff, profile_id=profile.pk, reason="Foto ilegible del comprobante")
    client.force_login(applicant)
    html = client.get("/consulta/mi-perfil-profesional/").content.decode()
    assert "Foto ilegible del comprobante" in html and "Rechazado" in html


def test_profile_page_post_full_and_htmx(client, applicant, user):
    client.force_login(user)
    assert client.get("/consulta/mi-perfil-profesional/").status_code == 404
    client.force_login(applicant)
    page = client.get("/consulta/mi-perfil-profesional/")
    assert "Completa tu perfil" in page.content.decode()
    bad = client.post("/consulta/mi-perfil-profesional/", {"license_number": "12"}, HTTP_HX_REQUEST="true")
    body = bad.content.decode()
    assert "7 u 8 dígitos" in body and 'id="practice-form"' in body and "<html" not in body
    post = {"license_number": "2345678", "specializations": ["renal"], "languages": ["es"], "city": "Puebla",
            "state": "PUE", "consultation_fee_mxn": "500", "accepting_patients": "on",
            "hours_monday_start": "09:00", "hours_monday_end": "14:00",
            "license_document": pdf_upload()}
    done = client.post("/consulta/mi-perfil-profesional/", post)
    assert done.status_code == 302
    profile = NutritionistProfile.objects.get(user=applicant)
    assert profile.specializations == ["renal"] and profile.accepting_patients and not profile.accepts_insurance
    assert profile.working_hours == {"monday": {"start": "09:00", "end": "14:00"}}
    assert "En revisión" in client.get("/consulta/mi-perfil-profesional/").content.decode()


# ---------------------------------------------------------------------------------------
# directory


@pytest.fixture
def listed(make_nutritionist):
    a = make_nutritionist(first_name="Ana", last_name="Diabetes", specializations=["diabetes"], city="Monterrey",
                          state="NLE", languages=["es", "en"], consultation_fee_mxn=650, bio="Glucosa estable")
    b = make_nutritionist(first_name="Beto", last_name="Deporte", specializations=["sports_nutrition"], city="Puebla",
                          state="PUE", consultation_fee_mxn=900, accepting_patients=False)
    c = make_nutritionist(verified=False, first_name="Carla", last_name="Pendiente", city="Monterrey")
    return a, b, c


def test_directory_lists_verified_only_with_filters(client, listed, django_assert_num_queries):
    client.get("/consulta/nutriologos/")  # warm the shared caches (site settings and menus of the layout)
    with django_assert_num_queries(2):
        html = client.get("/consulta/nutriologos/").content.decode()
    assert "Ana Diabetes" in html and "Beto Deporte" in html and "Carla" not in html
    assert "$650 MXN" in html
    cases = {
        "?specialization=diabetes": ("Ana", "Beto"),
        "?state=PUE": ("Beto", "Ana"),
        "?language=en": ("Ana", "Beto"),
        "?max_fee=700": ("Ana", "Beto"),
        "?accepting=1": ("Ana", "Beto"),
        "?q=glucosa": ("Ana", "Beto"),
        "?city=puebla": ("Beto", "Ana"),
    }
    for query, (present, absent) in cases.items():
        html = client.get(f"/consulta/nutriologos/{query}", HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="directory-results").content.decode()
        assert present in html and absent not in html, query
        assert "<html" not in html


def test_public_profile_and_unverified_404(client, listed, user):
    a, _b, c = listed
    html = client.get(f"/consulta/nutriologos/{a.nutritionist_profile.slug}/").content.decode()
    assert a.nutritionist_profile.license_number in html and "Inicia sesión para solicitar atención" in html
    assert client.get(f"/consulta/nutriologos/{c.nutritionist_profile.slug}/").status_code == 404
    client.force_login(user)
    html = client.get(f"/consulta/nutriologos/{a.nutritionist_profile.slug}/").content.decode()
    assert "Solicitar atención" in html


def test_directory_api(client, listed):
    a, b, c = listed
    body = client.get("/api/v1/nutritionists", {"limit": 1}).json()
    assert body["total_results"] == 2 and body["limit"] == 1 and len(body["nutritionists"]) == 1
    body = client.get("/api/v1/nutritionists", {"specialization": "diabetes"}).json()
    assert [n["slug"] for n in body["nutritionists"]] == [a.nutritionist_profile.slug]
    assert body["nutritionists"][0]["consultation_fee_mxn"] == 650
    bad = client.get("/api/v1/nutritionists", {"max_fee": "abc"})
    assert bad.status_code == 400 and "max_fee" in bad.json()["error"]["details"]
    detail = client.get(f"/api/v1/nutritionists/{a.nutritionist_profile.slug}").json()["nutritionist"]
    assert detail["license_number"] == a.nutritionist_profile.license_number and "license_document" not in detail
    missing = client.get(f"/api/v1/nutritionists/{c.nutritionist_profile.slug}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NUTRITIONIST_NOT_FOUND"


def test_own_profile_and_staff_api(client, applicant, staff, nutritionist):
    assert client.get("/api/v1/nutritionist/profile", **bearer(applicant)).status_code == 404
    bad = client.put("/api/v1/nutritionist/profile", {"license_number": "1"}, content_type="application/json",
                     **bearer(applicant))
    assert bad.status_code == 400 and "license_number" in bad.json()["error"]["details"]
    created = client.put("/api/v1/nutritionist/profile", {**GOOD}, content_type="application/json",
                         **bearer(applicant))
    assert created.status_code == 201 and created.json()["profile"]["verification_status"] == "pending"
    pid = created.json()["profile"]["id"]
    assert client.get("/api/v1/staff/nutritionists/pending", **bearer(nutritionist)).status_code == 404
    pending = client.get("/api/v1/staff/nutritionists/pending", **bearer(staff)).json()
    assert [p["id"] for p in pending["nutritionists"]] == [pid]
    assert client.post(f"/api/v1/staff/nutritionists/{pid}/verify", **bearer(nutritionist)).status_code == 404
    no_reason = client.post(f"/api/v1/staff/nutritionists/{pid}/reject", {}, content_type="application/json",
                            **bearer(staff))
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["details"]
    ok = client.post(f"/api/v1/staff/nutritionists/{pid}/verify", **bearer(staff))
    assert ok.status_code == 200 and ok.json()["profile"]["verification_status"] == "verified"
    assert client.post("/api/v1/staff/nutritionists/abc/verify", **bearer(staff)).status_code == 404
