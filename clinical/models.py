"""The nutritionist's practice: professional profiles, care relationships with the patient's
consents, the clinical record (encrypted at rest), anthropometry, SOAP notes, meal plans,
documents and the nutritionist–patient conversation.

Clinical text is stored with ``clinical.crypto`` fields; numbers that drive charts, alerts
and the roster (anthropometry) stay plain so the database can aggregate them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinical.crypto import EncryptedJSONField, EncryptedTextField
from nutrition.models import Meal

USER = settings.AUTH_USER_MODEL


def private_storage():
    """Documents and licence proofs never live under the public /media/ URL."""
    from django.core.files.storage import storages

    return storages["private"]


def _private_path(prefix: str, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext[:5]}"


def license_path(instance, filename):
    return _private_path("licenses", filename)


def document_path(instance, filename):
    return _private_path("documents", filename)


def message_image_path(instance, filename):
    return _private_path("messages", filename)


# ---------------------------------------------------------------------------------------
# nutritionists


class Specialization(models.TextChoices):
    CLINICAL = "clinical", _("Nutrición clínica")
    DIABETES = "diabetes", _("Diabetes")
    SPORTS = "sports_nutrition", _("Nutrición deportiva")
    PEDIATRIC = "pediatric", _("Pediatría")
    WEIGHT = "weight_management", _("Control de peso")
    RENAL = "renal", _("Nutrición renal")
    GASTRO = "gut_health", _("Salud digestiva")
    PREGNANCY = "pregnancy", _("Embarazo y lactancia")
    VEGETARIAN = "plant_based", _("Alimentación vegetal")
    EATING_DISORDERS = "eating_disorders", _("Trastornos de la conducta alimentaria")
    GERIATRIC = "geriatric", _("Geriatría")
    HORMONAL = "hormonal", _("Salud hormonal")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("En revisión")
    VERIFIED = "verified", _("Verificado")
    REJECTED = "rejected", _("Rechazado")


class NutritionistProfile(models.Model):
    """Seed 000 ``auth.nutritionists``. Only ``verified`` profiles take patients or appear publicly."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="nutritionist_profile")
    slug = models.SlugField(max_length=80, unique=True)
    license_number = models.CharField(_("cédula profesional"), max_length=20, unique=True)
    license_document = models.FileField(
        _("comprobante de cédula"), upload_to=license_path, storage=private_storage, blank=True
    )
    specializations = models.JSONField(_("especialidades"), default=list, blank=True)
    education = models.JSONField(_("formación"), default=list, blank=True)  # [{degree, institution, year}]
    certifications = models.JSONField(_("certificaciones"), default=list, blank=True)  # [{name, issuer, year}]
    years_experience = models.PositiveSmallIntegerField(
        _("años de experiencia"), default=0, validators=[MaxValueValidator(70)]
    )
    languages = models.JSONField(_("idiomas"), default=list, blank=True)  # ["es", "en"]
    clinic_name = models.CharField(_("consultorio"), max_length=200, blank=True)
    clinic_address = models.CharField(_("dirección"), max_length=300, blank=True)
    city = models.CharField(_("ciudad"), max_length=100, blank=True)
    state = models.CharField(_("estado"), max_length=100, blank=True)
    clinic_phone = models.CharField(_("teléfono del consultorio"), max_length=16, blank=True)
    working_hours = models.JSONField(_("horario"), default=dict, blank=True)  # {"monday": {"start","end"}}
    consultation_fee_mxn = models.PositiveIntegerField(
        _("costo de consulta (MXN)"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    accepts_insurance = models.BooleanField(_("acepta seguro"), default=False)
    accepting_patients = models.BooleanField(_("acepta pacientes nuevos"), default=True)
    online_consultations = models.BooleanField(_("consulta en línea"), default=True)
    bio = models.TextField(_("presentación"), max_length=2000, blank=True)
    photo = models.ImageField(_("foto"), upload_to="nutritionists/%Y/%m/", blank=True)

    verification_status = models.CharField(
        max_length=20, choices=VerificationStatus.choices, default=VerificationStatus.PENDING, db_index=True
    )
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    active_patients_count = models.PositiveIntegerField(default=0)
    total_patients_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["verification_status", "accepting_patients"])]

    def __str__(self):
        return f"{self.user} ({self.license_number})"

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


# ---------------------------------------------------------------------------------------
# care relationship (seed 000 ``patients``)


class CareStatus(models.TextChoices):
    INVITED = "invited", _("Invitación enviada")
    REQUESTED = "requested", _("Solicitud enviada")
    DECLINED = "declined", _("Rechazada")
    ACTIVE = "active", _("Activo")
    INACTIVE = "inactive", _("Inactivo")
    GRADUATED = "graduated", _("Dado de alta")
    DROPPED = "dropped", _("Abandonó")


# Under care: the nutritionist sees what the patient shares.
OPEN_CARE = (CareStatus.ACTIVE, CareStatus.INACTIVE)
# Waiting for the other side.
PENDING_CARE = (CareStatus.INVITED, CareStatus.REQUESTED)


class PrimaryGoal(models.TextChoices):
    WEIGHT_LOSS = "weight_loss", _("Bajar de peso")
    MUSCLE_GAIN = "muscle_gain", _("Ganar masa muscular")
    MAINTENANCE = "maintenance", _("Mantener peso")
    HEALTH_CONDITION = "health_condition", _("Controlar una condición de salud")


class CarePreference(models.TextChoices):
    OMNIVORE = "omnivore", _("Omnívora")
    VEGETARIAN = "vegetarian", _("Vegetariana")
    VEGAN = "vegan", _("Vegana")


class CareRelationship(models.Model):
    """A nutritionist caring for a patient. History stays: an ended relationship keeps its rows
    (status graduated/dropped/declined) and a new one can start later."""

    nutritionist = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="care_as_nutritionist")
    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="care_as_patient")
    status = models.CharField(max_length=20, choices=CareStatus.choices, db_index=True)
    primary_goal = models.CharField(_("objetivo"), max_length=20, choices=PrimaryGoal.choices, blank=True)
    start_weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    target_weight_kg = models.DecimalField(
        _("peso meta (kg)"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(400)],
    )
    target_date = models.DateField(_("fecha meta"), null=True, blank=True)
    conditions = EncryptedJSONField(_("condiciones"))
    allergies = EncryptedJSONField(_("alergias"))
    restrictions = EncryptedJSONField(_("restricciones"))
    dietary_preference = models.CharField(
        _("alimentación"), max_length=20, choices=CarePreference.choices, blank=True
    )
    has_insurance = models.BooleanField(_("tiene seguro"), default=False)
    insurance_type = EncryptedTextField(_("tipo de seguro"), blank=True)
    insurance_number = EncryptedTextField(_("número de póliza"), blank=True)
    message = models.CharField(_("mensaje"), max_length=500, blank=True)  # with the invitation or request

    initiated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)  # accepted: care starts
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    end_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nutritionist", "patient"],
                condition=Q(status__in=["invited", "requested", "active", "inactive"]),
                name="one_open_care_per_pair",
            )
        ]
        indexes = [models.Index(fields=["nutritionist", "status"]), models.Index(fields=["patient", "status"])]

    def __str__(self):
        return f"{self.nutritionist_id} → {self.patient_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CARE


class ConsentScope(models.TextChoices):
    DIARY = "diary", _("Diario de alimentación")
    MEASUREMENTS = "measurements", _("Medidas y peso")
    CLINICAL_RECORD = "clinical_record", _("Expediente clínico")
    DOCUMENTS = "documents", _("Documentos")


class CareConsent(models.Model):
    """What the patient shares with this nutritionist, one row per scope (current state)."""

    relationship = models.ForeignKey(CareRelationship, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    granted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["relationship", "scope"], name="one_consent_per_scope")]

    def __str__(self):
        return f"{self.relationship_id}:{self.scope}={self.granted}"


class CareConsentChange(models.Model):
    """Append-only history of every grant and revocation, with time."""

    relationship = models.ForeignKey(CareRelationship, on_delete=models.CASCADE, related_name="consent_changes")
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    granted = models.BooleanField()
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.relationship_id}:{self.scope}={self.granted} @ {self.created_at:%Y-%m-%d %H:%M}"


class PatientInvitation(models.Model):
    """A one-time set-password link for a person the nutritionist added by email."""

    relationship = models.OneToOneField(CareRelationship, on_delete=models.CASCADE, related_name="invitation")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Invitación {self.relationship_id}"


# ---------------------------------------------------------------------------------------
# clinical record (encrypted)


class ClinicalRecord(models.Model):
    """The patient's record: one per patient, shared by every nutritionist the patient lets in."""

    patient = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="clinical_record")
    medical_history = EncryptedTextField(_("antecedentes médicos"), blank=True)
    family_history = EncryptedTextField(_("antecedentes familiares"), blank=True)
    lifestyle = EncryptedTextField(_("estilo de vida"), blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Expediente de {self.patient_id}"


class RecordItemKind(models.TextChoices):
    CONDITION = "condition", _("Condición")
    MEDICATION = "medication", _("Medicamento")
    ALLERGY = "allergy", _("Alergia")
    FAMILY = "family_history", _("Antecedente familiar")
    SURGERY = "surgery", _("Cirugía")
    OTHER = "other", _("Otro")


class RecordItem(models.Model):
    """A dated, attributed entry of the record: a condition, a medication, an allergy..."""

    record = models.ForeignKey(ClinicalRecord, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=RecordItemKind.choices)
    title = EncryptedTextField()  # "Diabetes tipo 2", "Metformina"
    detail = EncryptedTextField(blank=True)  # dose, frequency, reaction, status
    noted_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.noted_on})"


class LabResult(models.Model):
    record = models.ForeignKey(ClinicalRecord, on_delete=models.CASCADE, related_name="labs")
    test = EncryptedTextField()  # code from clinical.reference.LAB_TESTS or free text
    value = EncryptedTextField()  # decimal as text
    unit = EncryptedTextField(blank=True)
    reference_range = EncryptedTextField(blank=True)  # "70–99"
    notes = EncryptedTextField(blank=True)
    taken_on = models.DateField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_on", "-id"]

    def __str__(self):
        return f"Laboratorio {self.taken_on}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Consultó")
    CREATE = "create", _("Agregó")
    UPDATE = "update", _("Modificó")
    DELETE = "delete", _("Eliminó")
    DOWNLOAD = "download", _("Descargó")
    EXPORT = "export", _("Exportó")


class ClinicalAccessLog(models.Model):
    """Who read or changed which clinical data, when. The patient sees their own log."""

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="clinical_access_log")
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    resource = models.CharField(max_length=30)  # record, lab, item, note, measurement, document, plan...
    object_id = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.resource} de {self.patient_id}"


# ---------------------------------------------------------------------------------------
# anthropometry


class Measurement(models.Model):
    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(default=timezone.localdate)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    waist_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    hip_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    body_fat_pct = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    muscle_mass_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    systolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        indexes = [models.Index(fields=["patient", "-measured_on"])]

    def __str__(self):
        return f"Medición {self.measured_on} de {self.patient_id}"


# ---------------------------------------------------------------------------------------
# SOAP notes


class ClinicalNote(models.Model):
    """A SOAP note by one nutritionist about one patient; editable for 24 h, then only amended."""

    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="clinical_notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="authored_notes")
    subjective = EncryptedTextField(blank=True)
    objective = EncryptedTextField(blank=True)
    assessment = EncryptedTextField(blank=True)
    plan = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self):
        return f"Nota {self.created_at:%Y-%m-%d} de {self.patient_id}"


class NoteAmendment(models.Model):
    note = models.ForeignKey(ClinicalNote, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Adenda a la nota {self.note_id}"


# ---------------------------------------------------------------------------------------
# meal plans


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    ACTIVE = "active", _("Asignado")
    ARCHIVED = "archived", _("Archivado")


class MealPlan(models.Model):
    """A plan of N days × five meal slots, written by a nutritionist. A template has no patient;
    an assigned plan repeats its days from ``start_date`` to ``end_date``."""

    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="authored_meal_plans")
    patient = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="meal_plans")
    title = models.CharField(_("nombre"), max_length=150)
    description = models.TextField(_("indicaciones"), max_length=4000, blank=True)
    is_template = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Day targets the plan is written against (copied from the patient's targets, editable).
    energy_kcal = models.PositiveIntegerField(null=True, blank=True)
    protein_g = models.PositiveIntegerField(null=True, blank=True)
    fat_g = models.PositiveIntegerField(null=True, blank=True)
    carbs_g = models.PositiveIntegerField(null=True, blank=True)
    cloned_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    # Set when the generator wrote the plan: what was asked (budget, allergies, restrictions),
    # what had to be relaxed, the tips and who named it ({} for plans written by hand).
    generated_meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self):
        return self.title


class MealPlanDay(models.Model):
    plan = models.ForeignKey(MealPlan, on_delete=models.CASCADE, related_name="days")
    number = models.PositiveSmallIntegerField()  # 1..N
    label = models.CharField(max_length=60, blank=True)  # "Lunes", "Día de entrenamiento"

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_day_number")]

    def __str__(self):
        return f"{self.plan_id} · día {self.number}"


class PlanItemKind(models.TextChoices):
    FOOD = "food", _("Alimento")
    RECIPE = "recipe", _("Receta")
    SMAE = "smae", _("Equivalentes SMAE")


class MealPlanItem(models.Model):
    """One line of a meal slot: a food in grams/portion, recipe servings, or N exchanges of an
    SMAE group. Nutrients are cached at write time so totals are a sum."""

    day = models.ForeignKey(MealPlanDay, on_delete=models.CASCADE, related_name="items")
    meal = models.CharField(max_length=20, choices=Meal.choices)
    kind = models.CharField(max_length=10, choices=PlanItemKind.choices)
    food = models.ForeignKey("nutrition.Food", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipe = models.ForeignKey("nutrition.Recipe", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    portion = models.ForeignKey("nutrition.FoodPortion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.CharField(max_length=10, blank=True)  # nutrition.EntryUnit for food/recipe
    quantity = models.DecimalField(max_digits=7, decimal_places=2, default=1)
    grams = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    smae_group = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    energy_kcal = models.FloatField(default=0)
    protein_g = models.FloatField(default=0)
    fat_g = models.FloatField(default=0)
    carbs_g = models.FloatField(default=0)
    fiber_g = models.FloatField(null=True, blank=True)
    equivalents = models.JSONField(default=dict, blank=True)  # {smae code: count}

    class Meta:
        ordering = ["meal", "position", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} en {self.meal}"


class PlanItemLog(models.Model):
    """A planned item the patient logged (or marked eaten as planned) on a date."""

    item = models.ForeignKey(MealPlanItem, on_delete=models.CASCADE, related_name="logs")
    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    diary_entry = models.OneToOneField(
        "nutrition.DiaryEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_log"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "date"], name="one_log_per_item_day")]
        indexes = [models.Index(fields=["patient", "date"])]

    def __str__(self):
        return f"{self.item_id} registrado {self.date}"


# ---------------------------------------------------------------------------------------
# documents


class DocumentKind(models.TextChoices):
    LAB_REPORT = "lab_report", _("Estudio de laboratorio")
    PRESCRIPTION = "prescription", _("Receta médica")
    IMAGE = "image", _("Imagen")
    OTHER = "other", _("Otro")


class ClinicalDocument(models.Model):
    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="clinical_documents")
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = EncryptedTextField()
    file = models.FileField(upload_to=document_path, storage=private_storage)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self):
        return f"Documento {self.pk} de {self.patient_id}"


# ---------------------------------------------------------------------------------------
# messages


class Conversation(models.Model):
    """One per nutritionist–patient pair. It outlives the care relationship (read-only then)."""

    nutritionist = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="conversations_as_nutritionist")
    patient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="conversations_as_patient")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    nutritionist_read_at = models.DateTimeField(null=True, blank=True)
    patient_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nutritionist", "patient"], name="one_conversation_per_pair")]

    def __str__(self):
        return f"{self.nutritionist_id} ↔ {self.patient_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(blank=True)
    image = models.ImageField(upload_to=message_image_path, storage=private_storage, blank=True)
    client_id = models.CharField(max_length=64, blank=True)  # the sender's id for a retried send
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conversation", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"], condition=~Q(client_id=""), name="one_message_per_client_id"
            )
        ]

    def __str__(self):
        return f"Mensaje {self.pk} en {self.conversation_id}"
