"""Care relationship: adding patients (existing and new accounts), requests, accept/decline/end
from both sides, consents that take effect at once, and 404 for someone else's relationship."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from clinical import rules
from clinical.models import (
    CareConsentChange,
    CareRelationship,
    CareStatus,
    NutritionistProfile,
    PatientInvitation,
)
from clinical.services import care as services


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


# ---------------------------------------------------------------------------------------
# adding a patient


def test_invite_existing_user_then_patient_accepts_with_consents(nutritionist, make_user,
                                                                  django_capture_on_commit_callbacks):
    patient = make_user(email="Paty@Example.mx", weight_kg=82.5)
    with django_capture_on_commit_callbacks(execute=True):
        added = services.patient_add(actor=nutritionist, data={"email": "paty@EXAMPLE.mx", "primary_goal": "weight_loss",
                                                               "target_weight_kg": 70, "allergies": "nuez, camarón"})
    rel = added.relationship
    assert not added.user_created and added.email_sent and rel.status == CareStatus.INVITED
    assert rel.allergies == ["nuez", "camarón"]
    assert patient.notifications.filter(kind="care_invited").exists()
    assert "/consulta/mi-nutriologo/" in mail.outbox[-1].body
    with pytest.raises(ValidationError) as exc:
        services.patient_add(actor=nutritionist, data={"email": patient.email})
    assert exc.value.error_dict["email"][0].code == "ALREADY_YOUR_PATIENT"
    with pytest.raises(PermissionDenied):
        services.care_accept(actor=nutritionist, relationship_id=rel.pk)
    services.care_accept(actor=patient, relationship_id=rel.pk, consents={"diary": True, "clinical_record": True,
                                                                           "measurements": False})
    rel.refresh_from_db()
    assert rel.status == CareStatus.ACTIVE and rel.assigned_at and float(rel.start_weight_kg) == 82.5
    assert rules.consents_of(rel) == {"diary": True, "measurements": False, "clinical_record": True,
                                      "documents": False}
    assert NutritionistProfile.objects.get(user=nutritionist).active_patients_count == 1
    assert nutritionist.notifications.filter(kind="care_accepted").exists()


def test_invite_new_email_creates_account_and_one_time_link(client, nutritionist,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        added = services.patient_add(actor=nutritionist, data={
            "email": "nuevo@example.mx", "first_name": "Nico", "last_name": "Nuevo", "phone": "5512345678",
            "date_of_birth": "1990-05-01", "gender": "male", "health_conditions": ["Diabetes tipo 2"],
            "send_welcome_email": True,
        })
    assert added.user_created
    new = User.objects.get(email="nuevo@example.mx")
    assert not new.has_usable_password() and new.profile.phone == "+525512345678"
    body = mail.outbox[-1].body
    assert "contraseña" in body and "Sup3r" not in body
    link = re.search(r"https?://\S+/consulta/invitacion/(\S+)/", body)
    token = link.group(1)
    invitation = PatientInvitation.objects.get(relationship=added.relationship)
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    page = client.get(f"/consulta/invitacion/{token}/")
    assert "Bienvenido(a)" in page.content.decode()
    weak = client.post(f"/consulta/invitacion/{token}/", {"password": "abc", "password2": "abc"})
    assert weak.status_code == 200 and "field__error" in weak.content.decode()
    done = client.post(f"/consulta/invitacion/{token}/", {"password": "Nuev0#Segura", "password2": "Nuev0#Segura"})
    assert done.status_code == 302 and done["Location"] == "/consulta/mi-nutriologo/"
    new.refresh_from_db()
    assert new.check_password("Nuev0#Segura") and new.emailaddress_set.get().verified
    replay = client.post(f"/consulta/invitacion/{token}/", {"password": "Otra#Segura1", "password2": "Otra#Segura1"})
    assert replay.status_code == 410 and "ya no es válido" in replay.content.decode()
    client.logout()
    assert client.get("/consulta/invitacion/garbage-token-that-does-not-exist/").status_code == 410


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({}, "email", "correo"),
        ({"email": "no-es-correo"}, "email", "válido"),
        ({"email": 42}, "email", "válido"),
        ({"email": "x@example.mx", "primary_goal": "volar"}, "primary_goal", "objetivo"),
        ({"email": "x@example.mx", "target_weight_kg": "mucho"}, "target_weight_kg", "número"),
        ({"email": "x@example.mx", "target_weight_kg": 999}, "target_weight_kg", "entre 20 y 400"),
        ({"email": "x@example.mx", "allergies": {"a": 1}}, "allergies", "lista"),
        ({"email": "x@example.mx", "phone": "123"}, "phone", "10 dígitos"),
        ({"email": "x@example.mx", "date_of_birth": "2099-01-01"}, "date_of_birth", "futuro"),
        ({"email": "x@example.mx", "gender": "robot"}, "gender", "robot"),
        ({"email": "x@example.mx", "first_name": "x" * 101}, "first_name", "100"),
    ],
)
def test_patient_add_validation(nutritionist, data, field, text):
    with pytest.raises(ValidationError) as exc:
        services.patient_add(actor=nutritionist, data=data)
    assert text in " ".join(exc.value.message_dict[field])
    assert not User.objects.filter(email="x@example.mx").exists()


def test_cannot_add_self_and_unverified_cannot_add(nutritionist, make_nutritionist):
    with pytest.raises(ValidationError) as exc:
        services.patient_add(actor=nutritionist, data={"email": nutritionist.email})
    assert "ti" in exc.value.message_dict["email"][0] or "propio" in exc.value.message_dict["email"][0]
    pending = make_nutritionist(verified=False)
    with pytest.raises(PermissionDenied):
        services.patient_add(actor=pending, data={"email": "z@example.mx"})


# ---------------------------------------------------------------------------------------
# request, accept, decline, end


def test_request_accept_by_nutritionist_uses_patient_consents(nutritionist, user):
    slug = nutritionist.nutritionist_profile.slug
    rel = services.care_request(actor=user, nutritionist_slug=slug, message="Hola", consents={"documents": True})
    assert rel.status == CareStatus.REQUESTED
    assert nutritionist.notifications.filter(kind="care_requested").exists()
    with pytest.raises(ValidationError) as exc:
        services.care_request(actor=user, nutritionist_slug=slug)
    assert "pendiente" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.care_accept(actor=user, relationship_id=rel.pk)
    services.care_accept(actor=nutritionist, relationship_id=rel.pk, consents={"clinical_record": True})
    rel.refresh_from_db()
    assert rel.status == CareStatus.ACTIVE
    assert rules.consents_of(rel) == {"diary": True, "measurements": True, "clinical_record": False, "documents": True}


def test_request_refused_when_not_accepting_or_unverified(make_nutritionist, user):
    full = make_nutritionist(accepting_patients=False)
    with pytest.raises(ValidationError) as exc:
        services.care_request(actor=user, nutritionist_slug=full.nutritionist_profile.slug)
    assert "no está aceptando" in exc.value.messages[0]
    hidden = make_nutritionist(verified=False)
    with pytest.raises(services.ObjectDoesNotExist):
        services.care_request(actor=user, nutritionist_slug=hidden.nutritionist_profile.slug)


def test_decline_and_end_from_both_sides(nutritionist, user, make_care):
    rel = services.care_request(actor=user, nutritionist_slug=nutritionist.nutritionist_profile.slug)
    services.care_decline(actor=nutritionist, relationship_id=rel.pk)
    rel.refresh_from_db()
    assert rel.status == CareStatus.DECLINED and user.notifications.filter(kind="care_declined").exists()
    open_rel = make_care(nutritionist, user)
    assert rules.patient_access(actor=nutritionist, patient_id=user.pk)
    services.care_end(actor=user, relationship_id=open_rel.pk, outcome="graduated", reason="Me mudo")
    open_rel.refresh_from_db()
    assert open_rel.status == CareStatus.DROPPED and open_rel.end_reason == "Me mudo"
    with pytest.raises(rules.PatientNotFound):
        rules.patient_access(actor=nutritionist, patient_id=user.pk)
    again = make_care(nutritionist, user)
    with pytest.raises(ValidationError):
        services.care_end(actor=nutritionist, relationship_id=again.pk, outcome="vanished")
    services.care_end(actor=nutritionist, relationship_id=again.pk, outcome="graduated")
    again.refresh_from_db()
    assert again.status == CareStatus.GRADUATED and CareRelationship.objects.filter(patient=user).count() == 3


def test_status_set_and_details_update(nutritionist, user, make_care):
    rel = make_care(nutritionist, user)
    services.care_status_set(actor=nutritionist, relationship_id=rel.pk, status="inactive")
    with pytest.raises(ValidationError):
        services.care_status_set(actor=nutritionist, relationship_id=rel.pk, status="graduated")
    with pytest.raises(services.CareNotFound):
        services.care_status_set(actor=user, relationship_id=rel.pk, status="active")
    services.care_details_update(actor=nutritionist, patient_id=user.pk, data={
        "target_weight_kg": "68.45", "conditions": "Hipertensión", "has_insurance": True, "insurance_number": "P-123"})
    rel.refresh_from_db()
    assert str(rel.target_weight_kg) == "68.5" and rel.conditions == ["Hipertensión"] and rel.insurance_number == "P-123"
    assert user.clinical_access_log.filter(action="update", resource="care").exists()
    with pytest.raises(ValidationError) as exc:
        services.care_details_update(actor=nutritionist, patient_id=user.pk, data={"target_date": "2000-01-01"})
    assert "hoy o después" in exc.value.message_dict["target_date"][0]


# ---------------------------------------------------------------------------------------
# consents


def test_consent_revocation_takes_effect_at_once(nutritionist, user, make_care):
    rel = make_care(nutritionist, user)
    assert rules.patient_access(actor=nutritionist, patient_id=user.pk, scope="clinical_record")
    services.consent_set(actor=user, relationship_id=rel.pk, scope="clinical_record", granted=False)
    with pytest.raises(rules.PatientNotFound):
        rules.patient_access(actor=nutritionist, patient_id=user.pk, scope="clinical_record")
    change = CareConsentChange.objects.filter(relationship=rel).first()
    assert change.scope == "clinical_record" and change.granted is False and change.changed_by == user
    with pytest.raises(services.CareNotFound):
        services.consent_set(actor=nutritionist, relationship_id=rel.pk, scope="diary", granted=False)
    with pytest.raises(ValidationError):
        services.consent_set(actor=user, relationship_id=rel.pk, scope="everything", granted=True)


# ---------------------------------------------------------------------------------------
# someone else's relationship: 404 everywhere


def test_other_users_relationship_is_404_on_pages_and_api(client, nutritionist, make_nutritionist, user, other_user,
                                                          make_care):
    rel = make_care(nutritionist, user)
    intruders = [other_user, make_nutritionist()]
    for who in intruders:
        client.force_login(who)
        for action in ("aceptar", "rechazar", "terminar", "permisos"):
            assert client.post(f"/consulta/atencion/{rel.pk}/{action}/", {"scope": "diary"}).status_code == 404
        for action in ("accept", "decline", "end"):
            resp = client.post(f"/api/v1/care/{rel.pk}/{action}", {}, content_type="application/json", **bearer(who))
            assert resp.status_code == 404 and resp.json()["error"]["code"] == "CARE_NOT_FOUND"
        resp = client.put(f"/api/v1/care/{rel.pk}/consents", {"diary": False}, content_type="application/json",
                          **bearer(who))
        assert resp.status_code == 404
        assert client.get("/api/v1/care", **bearer(who)).json()["total_results"] == 0
    # the nutritionist may not change the patient's consents either
    resp = client.put(f"/api/v1/care/{rel.pk}/consents", {"diary": False}, content_type="application/json",
                      **bearer(nutritionist))
    assert resp.status_code == 404
    assert client.post("/api/v1/care/abc/accept", **bearer(user)).status_code == 404


def test_ended_care_nutritionist_loses_access_and_cannot_end_again(client, nutritionist, user, make_care):
    rel = make_care(nutritionist, user, status=CareStatus.GRADUATED)
    resp = client.post(f"/api/v1/care/{rel.pk}/end", {"outcome": "graduated"}, content_type="application/json",
                       **bearer(nutritionist))
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "CARE_NOT_OPEN"
    with pytest.raises(rules.PatientNotFound):
        rules.patient_access(actor=nutritionist, patient_id=user.pk)


# ---------------------------------------------------------------------------------------
# API flow


def test_care_api_request_accept_consents_end(client, nutritionist, user):
    slug = nutritionist.nutritionist_profile.slug
    created = client.post(f"/api/v1/nutritionists/{slug}/request-care", {"message": "Quiero bajar de peso"},
                          content_type="application/json", **bearer(user))
    assert created.status_code == 201
    care = created.json()["care"]
    assert care["status"] == "requested" and care["role"] == "patient" and care["other_party"]["slug"] == slug
    dup = client.post(f"/api/v1/nutritionists/{slug}/request-care", {}, content_type="application/json",
                      **bearer(user))
    assert dup.status_code == 400 and dup.json()["error"]["code"] == "CARE_ALREADY_EXISTS"
    accepted = client.post(f"/api/v1/care/{care['id']}/accept", {}, content_type="application/json",
                           **bearer(nutritionist))
    assert accepted.status_code == 200 and accepted.json()["care"]["status"] == "active"
    listing = client.get("/api/v1/care", **bearer(nutritionist)).json()
    assert listing["care"][0]["role"] == "nutritionist" and listing["care"][0]["consents"]["diary"] is True
    bad = client.put(f"/api/v1/care/{care['id']}/consents", {"diary": "maybe"}, content_type="application/json",
                     **bearer(user))
    assert bad.status_code == 400 and "consents.diary" in bad.json()["error"]["details"]
    put = client.put(f"/api/v1/care/{care['id']}/consents", {"diary": False, "documents": True},
                     content_type="application/json", **bearer(user))
    assert put.json()["care"]["consents"] == {"diary": False, "measurements": True, "clinical_record": False,
                                              "documents": True}
    ended = client.post(f"/api/v1/care/{care['id']}/end", {"reason": "Listo"}, content_type="application/json",
                        **bearer(user))
    assert ended.json()["care"]["status"] == "dropped"


# ---------------------------------------------------------------------------------------
# pages


def test_my_care_page_accept_toggle_and_end(client, nutritionist, user):
    added = services.patient_add(actor=nutritionist, data={"email": user.email, "message": "Te espero"})
    client.force_login(user)
    html = client.get("/consulta/mi-nutriologo/").content.decode()
    assert "Te espero" in html and "Aceptar atención" in html
    resp = client.post(f"/consulta/atencion/{added.relationship.pk}/aceptar/",
                       {"consent_diary": "1", "consent_documents": "1"})
    assert resp.status_code == 302
    html = client.get("/consulta/mi-nutriologo/").content.decode()
    assert "Te atienden" in html and "Terminar atención" in html and "Compartido" in html
    partial = client.post(f"/consulta/atencion/{added.relationship.pk}/permisos/", {"scope": "documents"},
                          HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert f'id="consents-{added.relationship.pk}"' in body and "<html" not in body and "retirado" in body
    assert not rules.consents_of(added.relationship)["documents"]
    client.post(f"/consulta/atencion/{added.relationship.pk}/terminar/")
    html = client.get("/consulta/mi-nutriologo/").content.decode()
    assert "Anteriores" in html and "Abandonó" in html


def test_invite_page_and_request_from_public_page(client, nutritionist, user, make_nutritionist):
    client.force_login(user)
    assert client.get("/consulta/pacientes/invitar/").status_code == 404
    client.post(f"/consulta/nutriologos/{nutritionist.nutritionist_profile.slug}/solicitar/",
                {"message": "Ayuda con mi dieta", "consent_diary": "1"})
    rel = CareRelationship.objects.get(patient=user, nutritionist=nutritionist)
    assert rel.status == CareStatus.REQUESTED
    client.force_login(make_nutritionist(verified=False))
    assert client.get("/consulta/pacientes/invitar/").status_code == 404
    client.force_login(nutritionist)
    html = client.get("/consulta/pacientes/invitar/").content.decode()
    assert "Ayuda con mi dieta" in html and "Aceptar" in html
    bad = client.post("/consulta/pacientes/invitar/", {"email": "nope"}, HTTP_HX_REQUEST="true").content.decode()
    assert "correo electrónico válido" in bad and 'id="invite-form"' in bad and "<html" not in bad
    ok = client.post("/consulta/pacientes/invitar/", {"email": "alguien@example.mx", "first_name": "Al"})
    assert ok.status_code == 302 and User.objects.filter(email="alguien@example.mx").exists()
    client.post(f"/consulta/atencion/{rel.pk}/aceptar/")
    rel.refresh_from_db()
    assert rel.status == CareStatus.ACTIVE


def test_home_section_lists_pending_requests(client, nutritionist, user):
    from clinical import home_practice  # noqa: F401  (the integrator imports it from apps.py)

    services.care_request(actor=user, nutritionist_slug=nutritionist.nutritionist_profile.slug, message="Hola")
    client.force_login(nutritionist)
    html = client.get("/inicio/").content.decode()
    assert "Solicitudes de pacientes" in html and "Responder solicitudes" in html
