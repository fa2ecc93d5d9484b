"""The world of the permission matrix (tests/clinical/test_permission_matrix.py).

Built once per module through the services of the app: nutritionist A caring for patient P
(every consent) with one of every clinical object, and the actors that must not reach them:

- B: another verified nutritionist with a patient of their own (no relation to P);
- C: a verified nutritionist whose care of P ended (``care_end``);
- D: a verified nutritionist with open care of P but no consent granted;
- Q: another patient; S: staff (with an authenticator, not in care); anonymous.

The users are made the way ``make_user`` / ``make_nutritionist`` / ``make_care`` of the
conftest files make them (those fixtures are function scoped; the world is module scoped).
"""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

PASSWORD = "Sup3r#Segura"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"

# Texts that must never appear in what an outsider gets back.
PATIENT_FIRST, PATIENT_LAST = "Perpetua", "Zarzamora-Quintanilla"
SECRETS = {
    "history": "HISTORIA-SECRETA-7431",
    "item": "ITEM-SECRETO-7431",
    "lab": "LAB-NOTA-SECRETA-7431",
    "measurement": "MEDIDA-NOTA-SECRETA-7431",
    "note": "NOTA-SOAP-SECRETA-7431",
    "amendment": "ADENDA-SECRETA-7431",
    "document": "DOCUMENTO-SECRETO-7431",
    "plan": "PLAN-SECRETO-7431",
    "template": "PLANTILLA-SECRETA-7431",
    "message": "MENSAJE-SECRETO-7431",
}
PATIENT_EMAIL = "perpetua.zarzamora@example.mx"


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, format="PNG")
    return buf.getvalue()


def _user(email, *, user_type="patient", first_name="Ana", last_name="Prueba", **extra):
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from accounts.services import user_onboard

    user = User.objects.create_user(email=email, password=PASSWORD, first_name=first_name, last_name=last_name,
                                    user_type=user_type, **extra)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    user_onboard(user=user)
    return user


def _nutritionist(email, *, verified=True, first_name="Nora", last_name="Nutrióloga"):
    from accounts.models import Role, RoleGrant
    from clinical.models import NutritionistProfile, VerificationStatus

    user = _user(email, user_type="nutritionist", first_name=first_name, last_name=last_name)
    NutritionistProfile.objects.create(
        user=user, slug=user.username, license_number=f"{1234500 + user.pk}",
        verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
        verified_at=timezone.now() if verified else None, languages=["es"],
    )
    if verified:
        RoleGrant.objects.get_or_create(user=user, role=Role.NUTRITIONIST)
    return user


def _care(nutritionist, patient, scopes=None):
    from clinical.models import CareConsent, CareRelationship, CareStatus, ConsentScope

    scopes = ConsentScope.values if scopes is None else scopes
    rel = CareRelationship.objects.create(nutritionist=nutritionist, patient=patient, status=CareStatus.ACTIVE,
                                          assigned_at=timezone.now(), initiated_by=nutritionist)
    for scope in ConsentScope.values:
        CareConsent.objects.create(relationship=rel, scope=scope, granted=scope in scopes)
    return rel


def build_world() -> SimpleNamespace:
    from clinical.services import care as care_services
    from clinical.services import messages as msg_services
    from clinical.services import plans as plan_services
    from clinical.services import record as rec_services
    from nutrition.models import Food
    from tests.accounts import enable_totp
    from tests.conftest import foods_ensure

    foods_ensure()
    w = SimpleNamespace(secrets=SECRETS, patient_name=f"{PATIENT_FIRST} {PATIENT_LAST}")

    w.A = _nutritionist("a.nutri@example.mx", first_name="Alma", last_name="Autora")
    w.P = _user(PATIENT_EMAIL, first_name=PATIENT_FIRST, last_name=PATIENT_LAST)
    w.rel = _care(w.A, w.P)

    w.B = _nutritionist("b.nutri@example.mx", first_name="Berta", last_name="Ajena")
    w.B_patient = _user("b.paciente@example.mx", first_name="Bruno", last_name="DeBerta")
    w.B_rel = _care(w.B, w.B_patient)

    w.C = _nutritionist("c.nutri@example.mx", first_name="Carla", last_name="Terminada")
    w.C_rel = _care(w.C, w.P)
    care_services.care_end(actor=w.C, relationship_id=w.C_rel.pk, outcome="graduated", reason="Alta")
    w.C_rel.refresh_from_db()

    w.D = _nutritionist("d.nutri@example.mx", first_name="Dora", last_name="SinPermisos")
    w.D_rel = _care(w.D, w.P, scopes=[])

    w.Q = _user("q.paciente@example.mx", first_name="Quique", last_name="OtroPaciente")
    w.S = _user("s.staff@example.mx", first_name="Sara", last_name="Staff", is_staff=True)
    enable_totp(w.S, with_recovery_codes=False)  # staff pages require an authenticator

    # a pending applicant for the staff verification routes
    w.applicant = _nutritionist("e.pendiente@example.mx", verified=False, first_name="Elena", last_name="Pendiente")
    w.pending_profile = w.applicant.nutritionist_profile

    # clinical record, item, lab
    w.record = rec_services.record_update(actor=w.A, patient_id=w.P.pk, data={"medical_history": SECRETS["history"]})
    w.item = rec_services.record_item_add(actor=w.A, patient_id=w.P.pk,
                                          data={"kind": "condition", "title": SECRETS["item"]})
    w.lab = rec_services.lab_result_add(actor=w.A, patient_id=w.P.pk, data={
        "test": "glucose_fasting", "value": "92", "taken_on": timezone.localdate().isoformat(),
        "notes": SECRETS["lab"]})
    w.measurement = rec_services.measurement_add(actor=w.A, patient_id=w.P.pk, data={
        "weight_kg": "71.5", "waist_cm": "80", "notes": SECRETS["measurement"]})
    w.note = rec_services.note_create(actor=w.A, patient_id=w.P.pk, data={"subjective": SECRETS["note"]})
    w.amendment = rec_services.note_amend(actor=w.A, patient_id=w.P.pk, note_id=w.note.pk, text=SECRETS["amendment"])
    w.document = rec_services.document_upload(
        actor=w.A, patient_id=w.P.pk, title=SECRETS["document"], kind="lab_report",
        file=SimpleUploadedFile("estudio.pdf", PDF, content_type="application/pdf"))

    # meal plan assigned to P (one food item, one SMAE item) and a template of A
    w.plan = plan_services.plan_create(actor=w.A, title=SECRETS["plan"], days=1, patient_id=w.P.pk)
    food = Food.objects.filter(source="usda").order_by("pk").first()
    w.food_item = plan_services.plan_item_add(actor=w.A, plan_id=w.plan.pk, day_number=1, meal="desayuno",
                                              kind="food", food_id=food.pk, quantity=100, unit="g")
    w.smae_item = plan_services.plan_item_add(actor=w.A, plan_id=w.plan.pk, day_number=1, meal="comida",
                                              kind="smae", smae_group="cereales_sin_grasa", quantity=2)
    w.plan = plan_services.plan_assign(actor=w.A, plan_id=w.plan.pk, patient_id=w.P.pk,
                                       start_date=timezone.localdate().isoformat())
    w.template = plan_services.plan_create(actor=w.A, title=SECRETS["template"], days=1, is_template=True)

    # conversation A–P with a text message and an image
    w.conversation = msg_services.conversation_open(actor=w.A, patient_id=w.P.pk)
    w.message = msg_services.message_send(actor=w.A, conversation_id=w.conversation.pk, body=SECRETS["message"])
    w.image_message = msg_services.message_send(
        actor=w.P, conversation_id=w.conversation.pk,
        image=SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"))
    # B's own objects, for "P's object id under B's own parent" (IDOR) cases
    w.B_plan = plan_services.plan_create(actor=w.B, title="Plan de Bruno", days=1, patient_id=w.B_patient.pk)
    w.B_conversation = msg_services.conversation_open(actor=w.B, patient_id=w.B_patient.pk)
    msg_services.message_send(actor=w.B, conversation_id=w.B_conversation.pk, body="Hola Bruno")
    return w


def snapshot() -> dict:
    """Everything a refused write could have changed (counts and the fields that matter)."""
    from clinical import models as m

    def rows(model, *fields):
        return sorted(model.objects.values_list("pk", *fields))

    return {
        "care": rows(m.CareRelationship, "status", "ended_at", "primary_goal", "target_weight_kg"),
        "consents": rows(m.CareConsent, "granted"),
        "consent_changes": m.CareConsentChange.objects.count(),
        "profiles": rows(m.NutritionistProfile, "verification_status", "rejection_reason"),
        "records": [(r.pk, r.medical_history, r.family_history, r.lifestyle) for r in m.ClinicalRecord.objects.all()],
        "items": [(i.pk, i.title, i.deleted_at) for i in m.RecordItem.objects.all()],
        "labs": rows(m.LabResult, "deleted_at"),
        "measurements": rows(m.Measurement, "weight_kg", "waist_cm"),
        "notes": [(n.pk, n.subjective, n.edited_at) for n in m.ClinicalNote.objects.all()],
        "amendments": m.NoteAmendment.objects.count(),
        "documents": rows(m.ClinicalDocument, "deleted_at"),
        "plans": rows(m.MealPlan, "title", "status", "patient_id", "description", "start_date", "energy_kcal"),
        "plan_days": m.MealPlanDay.objects.count(),
        "plan_items": rows(m.MealPlanItem, "quantity", "note", "meal"),
        "plan_logs": m.PlanItemLog.objects.count(),
        "conversations": rows(m.Conversation, "nutritionist_read_at", "patient_read_at"),
        "messages": m.Message.objects.count(),
    }
