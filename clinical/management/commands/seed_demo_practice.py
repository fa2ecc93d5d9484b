"""A believable practice for the demo nutritionist, built through the same services the pages
use: her verified profile, the demo patient under her care (every consent granted) with a
clinical record, measurements, a SOAP note, a two-day plan with SMAE equivalents assigned from
today and a short conversation; plus four more patients with a few weeks of logs, so the roster
shows adherence, weight change and alerts.

Idempotent: does nothing when the demo nutritionist already has a patient. Needs seed_demo
(accounts) and import_foods (foods) first.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

NUTRITIONIST_EMAIL = "nutriologa@demo.nutrimx.mx"
PATIENT_EMAIL = "paciente@demo.nutrimx.mx"
ADMIN_EMAIL = "admin@demo.nutrimx.mx"

# (first name, last name, email, goal, start kg, target kg, daily kcal, logging probability, kg per week)
EXTRA_PATIENTS = [
    ("Jorge", "Ramírez", "jorge.ramirez@demo.nutrimx.mx", "weight_loss", 96.0, 85.0, 2100, 0.9, -0.6),
    ("Mariana", "López", "mariana.lopez@demo.nutrimx.mx", "health_condition", 74.0, 68.0, 1700, 0.6, -0.3),
    ("Ricardo", "Torres", "ricardo.torres@demo.nutrimx.mx", "muscle_gain", 68.0, 74.0, 2800, 0.8, 0.3),
    ("Fernanda", "Cruz", "fernanda.cruz@demo.nutrimx.mx", "weight_loss", 82.0, 70.0, 1600, 0.25, -0.2),
]
ALL_SCOPES = {"diary": True, "measurements": True, "clinical_record": True, "documents": True}


class Command(BaseCommand):
    help = "Create the demo nutritionist's practice: profile, patients, record, plan and messages."

    def handle(self, *args, **options):
        from accounts.models import User
        from clinical.models import CareRelationship

        nutritionist = User.objects.filter(email=NUTRITIONIST_EMAIL).first()
        patient = User.objects.filter(email=PATIENT_EMAIL).first()
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if not (nutritionist and patient and admin):
            self.stdout.write("No demo accounts (run seed_demo first); nothing to do.")
            return
        if CareRelationship.objects.filter(nutritionist=nutritionist).exists():
            self.stdout.write("The demo practice already exists; nothing to do.")
            return
        # The demo patients' invitation emails would only clutter the console of `make run`.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            self._profile(nutritionist, admin)
            self._demo_patient(nutritionist, patient)
            extra = self._extra_patients(nutritionist)
        self.stdout.write(f"Demo practice: {1 + extra} patients under the care of {NUTRITIONIST_EMAIL}.")

    # -----------------------------------------------------------------------------------

    def _profile(self, nutritionist, admin):
        from clinical.models import NutritionistProfile
        from clinical.services.practice import nutritionist_profile_save, nutritionist_verify

        profile = NutritionistProfile.objects.filter(user=nutritionist).first()
        if profile is None:
            profile = nutritionist_profile_save(actor=nutritionist, data={
                "license_number": "12345678",
                "specializations": ["clinical", "diabetes", "sports_nutrition"],
                "education": "Licenciatura en Nutrición — Universidad de Guadalajara — 2009\n"
                             "Maestría en Nutrición Clínica — UNAM — 2013",
                "certifications": "Educadora en diabetes — FMD — 2016",
                "years_experience": 14,
                "languages": ["es", "en"],
                "clinic_name": "Consultorio Nutre Bien",
                "clinic_address": "Av. Chapultepec 480, Col. Americana",
                "city": "Guadalajara",
                "state": "JAL",
                "clinic_phone": "+523312345678",
                "consultation_fee_mxn": 650,
                "accepts_insurance": True,
                "accepting_patients": True,
                "online_consultations": True,
                "bio": "Nutrióloga clínica con 14 años de experiencia en diabetes, control de peso y "
                       "nutrición deportiva. Planes con equivalentes SMAE y comida mexicana de verdad.",
            })
        if not profile.is_verified:
            nutritionist_verify(actor=admin, profile_id=profile.pk)

    def _accept(self, nutritionist, data) -> object:
        from clinical.services.care import care_accept, patient_add

        added = patient_add(actor=nutritionist, data={**data, "send_welcome_email": False})
        patient = added.relationship.patient
        if not patient.has_usable_password():
            patient.set_password(getattr(settings, "DEMO_PASSWORD", "Demo#2026mx"))
            patient.save(update_fields=["password"])
        care_accept(actor=patient, relationship_id=added.relationship.pk, consents=ALL_SCOPES)
        return added.relationship

    def _demo_patient(self, nutritionist, patient):
        from clinical.services import record as record_svc
        from clinical.services.messages import conversation_open, message_send
        from clinical.services.targets import patient_targets_set

        rel = self._accept(nutritionist, {
            "email": patient.email, "primary_goal": "weight_loss", "target_weight_kg": "62",
            "message": "¡Hola Lucía! Te agrego para darte seguimiento desde NutriMX.",
        })
        pid = patient.pk
        today = timezone.localdate()
        record_svc.record_update(actor=nutritionist, patient_id=pid, data={
            "medical_history": "Resistencia a la insulina diagnosticada en 2024. Sin cirugías.",
            "family_history": "Madre con diabetes tipo 2; padre con hipertensión.",
            "lifestyle": "Trabajo de oficina, camina 30 min tres veces por semana. Duerme 6 h.",
        })
        for item in (
            {"kind": "condition", "title": "Resistencia a la insulina", "detail": "En control con alimentación",
             "noted_on": (today - timedelta(days=400)).isoformat()},
            {"kind": "medication", "title": "Metformina", "detail": "850 mg cada 24 h con la cena"},
            {"kind": "allergy", "title": "Cacahuate", "detail": "Urticaria"},
        ):
            record_svc.record_item_add(actor=nutritionist, patient_id=pid, data=item)
        for days_ago, glucose, hba1c in ((60, "108", "5.9"), (5, "97", "5.6")):
            taken = (today - timedelta(days=days_ago)).isoformat()
            record_svc.lab_result_add(actor=nutritionist, patient_id=pid,
                                      data={"test": "glucose_fasting", "value": glucose, "taken_on": taken})
            record_svc.lab_result_add(actor=nutritionist, patient_id=pid,
                                      data={"test": "hba1c", "value": hba1c, "taken_on": taken})
        for days_ago, weight, waist, fat in ((42, "71.2", "88", "34.5"), (21, "69.8", "86", "33.6"), (0, "68.5", "84", "32.9")):
            record_svc.measurement_add(actor=nutritionist, patient_id=pid, data={
                "measured_on": (today - timedelta(days=days_ago)).isoformat(), "weight_kg": weight,
                "waist_cm": waist, "hip_cm": "102", "body_fat_pct": fat, "systolic_mmhg": "118", "diastolic_mmhg": "76",
            })
        record_svc.note_create(actor=nutritionist, patient_id=pid, data={
            "subjective": "Refiere menos antojos por la tarde; le cuesta desayunar entre semana.",
            "objective": "Peso 68.5 kg (−2.7 kg en 6 semanas), cintura 84 cm.",
            "assessment": "Buena adherencia; déficit moderado sostenido. Glucosa en ayuno ya en rango.",
            "plan": "Plan de 2 días con equivalentes; colación con proteína; revisar en 3 semanas.",
        })
        patient_targets_set(actor=nutritionist, patient_id=pid, data={
            "energy_kcal": 1600, "protein_g": 90, "meal_equivalents": {
                "desayuno": {"cereales_sin_grasa": 2, "aoa_bajo": 1, "frutas": 1},
                "comida": {"cereales_sin_grasa": 2, "aoa_bajo": 2, "verduras": 2, "grasas_sin_proteina": 1},
                "cena": {"cereales_sin_grasa": 1, "aoa_muy_bajo": 1, "verduras": 1},
            },
        })
        self._plan(nutritionist, pid, today)
        conversation = conversation_open(actor=nutritionist, patient_id=pid)
        message_send(actor=nutritionist, conversation_id=conversation.pk,
                     body="¡Hola Lucía! Ya tienes tu plan de dos días en «Mi plan». Cualquier duda me escribes.")
        message_send(actor=patient, conversation_id=conversation.pk,
                     body="¡Gracias! ¿Puedo cambiar la tortilla por tostadas horneadas?")
        message_send(actor=nutritionist, conversation_id=conversation.pk,
                     body="Sí: 2 tostadas horneadas equivalen a 1 cereal sin grasa.")
        return rel

    def _plan(self, nutritionist, pid, today):
        from clinical.services import plans as plan_svc
        from nutrition.models import Food

        foods = {f.external_id: f.pk for f in Food.objects.filter(source="usda", external_id__in=[
            "18363", "16015", "05062", "11529", "09003", "01123", "14209"])}
        plan = plan_svc.plan_create(actor=nutritionist, title="Plan de 1600 kcal con equivalentes", days=2, patient_id=pid,
                                    description="Toma 2 L de agua al día. Prefiere tortilla de maíz. "
                                                "Camina 30 minutos después de la comida.")
        rows = [
            (1, "desayuno", "food", "01123", 100), (1, "desayuno", "food", "18363", 90),
            (1, "desayuno", "smae", "frutas", 1), (1, "desayuno", "smae", "leche_descremada", 1),
            (1, "colacion_matutina", "food", "09003", 150),
            (1, "comida", "food", "05062", 120), (1, "comida", "food", "16015", 90),
            (1, "comida", "smae", "verduras", 2), (1, "comida", "food", "18363", 60),
            (1, "comida", "smae", "grasas_sin_proteina", 2),
            (1, "colacion_vespertina", "smae", "leche_descremada", 1), (1, "colacion_vespertina", "smae", "frutas", 1),
            (1, "cena", "smae", "cereales_sin_grasa", 2), (1, "cena", "smae", "aoa_muy_bajo", 2),
            (2, "desayuno", "smae", "cereales_sin_grasa", 3), (2, "desayuno", "smae", "aoa_bajo", 1),
            (2, "desayuno", "smae", "frutas", 1), (2, "desayuno", "food", "14209", 240),
            (2, "colacion_matutina", "smae", "frutas", 1),
            (2, "comida", "smae", "aoa_bajo", 2), (2, "comida", "smae", "cereales_sin_grasa", 3),
            (2, "comida", "smae", "verduras", 2), (2, "comida", "smae", "grasas_sin_proteina", 2),
            (2, "comida", "food", "11529", 120),
            (2, "colacion_vespertina", "smae", "grasas_sin_proteina", 1), (2, "colacion_vespertina", "smae", "leche_descremada", 1),
            (2, "cena", "food", "18363", 60), (2, "cena", "food", "16015", 80), (2, "cena", "smae", "aoa_bajo", 2),
            (2, "cena", "smae", "verduras", 1),
        ]
        for day, meal, kind, ref, amount in rows:
            if kind == "food":
                if ref not in foods:
                    continue
                plan_svc.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=day, meal=meal, kind="food",
                                       food_id=foods[ref], quantity=amount, unit="g")
            else:
                plan_svc.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=day, meal=meal, kind="smae",
                                       smae_group=ref, quantity=amount)
        plan_svc.plan_assign(actor=nutritionist, plan_id=plan.pk, patient_id=pid, start_date=today,
                             end_date=today + timedelta(days=27))

    def _extra_patients(self, nutritionist) -> int:
        from nutrition.models import DiaryEntry, WeightLog
        from nutrition.services.diary import weight_log_set

        rng = random.Random(2026)
        today = timezone.localdate()
        for first, last, email, goal, start, target, kcal, p_log, per_week in EXTRA_PATIENTS:
            rel = self._accept(nutritionist, {
                "email": email, "first_name": first, "last_name": last, "primary_goal": goal,
                "target_weight_kg": str(target),
            })
            patient = rel.patient
            # Care began five weeks ago; logs follow each patient's habit.
            began = today - timedelta(days=35)
            type(rel).objects.filter(pk=rel.pk).update(assigned_at=timezone.now() - timedelta(days=35),
                                                       start_weight_kg=Decimal(str(start)))
            entries = []
            for offset in range(35):
                day = began + timedelta(days=offset)
                # Fernanda stopped logging four days ago (the roster shows the alert).
                if rng.random() > p_log or (email.startswith("fernanda") and offset > 30):
                    continue
                for meal, share in (("desayuno", 0.25), ("comida", 0.4), ("cena", 0.25), ("colacion_vespertina", 0.1)):
                    energy = round(kcal * share * rng.uniform(0.85, 1.2))
                    logged_at = timezone.make_aware(datetime.combine(day, time(8 + len(entries) % 12, 15)))
                    entries.append(DiaryEntry(
                        user=patient, date=day, meal=meal, name="Registro rápido", unit="quick", quantity=1,
                        created_at=min(logged_at, timezone.now()),
                        energy_kcal=energy, protein_g=round(energy * 0.2 / 4, 1), fat_g=round(energy * 0.3 / 9, 1),
                        carbs_g=round(energy * 0.5 / 4, 1),
                    ))
            DiaryEntry.objects.bulk_create(entries)
            for offset in range(0, 35, 4):
                weight = start + per_week * offset / 7 + rng.uniform(-0.3, 0.3)
                weight_log_set(actor=patient, weight_kg=round(weight, 1), date=began + timedelta(days=offset))
            if email.startswith("jorge"):
                # A sharp change this week: the roster flags it.
                latest = WeightLog.objects.filter(user=patient).order_by("-date").first()
                weight_log_set(actor=patient, weight_kg=float(latest.weight_kg) - 2.6, date=today)
        return len(EXTRA_PATIENTS)
