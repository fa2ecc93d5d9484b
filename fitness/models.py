"""Workout plans: the exercise catalogue (shipped in ``data/exercises.csv``), a person's weekly
plans with their sessions and exercises, and the sessions they marked as done.

A done session is logged in nutrition's exercise log (``nutrition.ExerciseLog``) through
nutrition's own service, and :class:`WorkoutLog` links the two so logging the same session
twice on the same date never counts twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutrition.models import is_spanish


class ExerciseType(models.TextChoices):
    FUERZA = "fuerza", _("Fuerza")
    CARDIO = "cardio", _("Cardio")
    MOVILIDAD = "movilidad", _("Movilidad")
    HIIT = "hiit", _("HIIT")


class ExerciseRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    CALENTAMIENTO = "calentamiento", _("Calentamiento")
    ENFRIAMIENTO = "enfriamiento", _("Enfriamiento")


class Level(models.TextChoices):
    PRINCIPIANTE = "principiante", _("Principiante")
    INTERMEDIO = "intermedio", _("Intermedio")
    AVANZADO = "avanzado", _("Avanzado")


LEVEL_RANK = {Level.PRINCIPIANTE: 0, Level.INTERMEDIO: 1, Level.AVANZADO: 2}


class Goal(models.TextChoices):
    PERDER_GRASA = "perder_grasa", _("Perder grasa")
    GANAR_MUSCULO = "ganar_musculo", _("Ganar músculo")
    CONDICION_FISICA = "condicion_fisica", _("Condición física")
    SALUD_GENERAL = "salud_general", _("Salud general")


class Equipment(models.TextChoices):
    """What a person may have at hand. ``ninguno`` (body weight) is always available."""

    NINGUNO = "ninguno", _("Ninguno (peso corporal)")
    MANCUERNAS = "mancuernas", _("Mancuernas")
    BANDA_ELASTICA = "banda_elastica", _("Banda elástica")
    BARRA = "barra", _("Barra con discos")
    BANCO = "banco", _("Banco")
    BARRA_DOMINADAS = "barra_dominadas", _("Barra de dominadas")
    KETTLEBELL = "kettlebell", _("Kettlebell (pesa rusa)")
    MAQUINA = "maquina", _("Máquinas de gimnasio")
    TAPETE = "tapete", _("Tapete")
    CUERDA = "cuerda", _("Cuerda para saltar")
    BICICLETA = "bicicleta_estacionaria", _("Bicicleta estacionaria")
    CAMINADORA = "caminadora", _("Caminadora")
    ELIPTICA = "eliptica", _("Elíptica")


class Weekday(models.IntegerChoices):
    LUNES = 0, _("Lunes")
    MARTES = 1, _("Martes")
    MIERCOLES = 2, _("Miércoles")
    JUEVES = 3, _("Jueves")
    VIERNES = 4, _("Viernes")
    SABADO = 5, _("Sábado")
    DOMINGO = 6, _("Domingo")


class Focus(models.TextChoices):
    CUERPO_COMPLETO = "cuerpo_completo", _("Cuerpo completo")
    TREN_SUPERIOR = "tren_superior", _("Tren superior")
    TREN_INFERIOR = "tren_inferior", _("Tren inferior")
    EMPUJE = "empuje", _("Empuje (pecho, hombro, tríceps)")
    TRACCION = "traccion", _("Tracción (espalda, bíceps)")
    PIERNA = "pierna", _("Pierna y glúteo")
    CARDIO = "cardio", _("Cardio continuo")
    HIIT = "hiit", _("Intervalos (HIIT)")


class Block(models.TextChoices):
    CALENTAMIENTO = "calentamiento", _("Calentamiento")
    PRINCIPAL = "principal", _("Bloque principal")
    FINAL = "final", _("Final metabólico")
    ENFRIAMIENTO = "enfriamiento", _("Enfriamiento")


class PlanStatus(models.TextChoices):
    ACTIVO = "activo", _("Activo")
    ARCHIVADO = "archivado", _("Archivado")


class TextSource(models.TextChoices):
    LOCAL = "local", _("Generado localmente")
    AI = "ai", _("Redactado con IA")


class Exercise(models.Model):
    """One exercise of the catalogue with its MET value (Compendium of Physical Activities)."""

    code = models.SlugField(max_length=60, primary_key=True)
    name_es = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    type = models.CharField(max_length=12, choices=ExerciseType.choices)
    role = models.CharField(max_length=15, choices=ExerciseRole.choices, default=ExerciseRole.PRINCIPAL)
    # Movement pattern the generator fills slots with (sentadilla, bisagra, empuje_h, ...).
    pattern = models.CharField(max_length=20)
    muscles = models.JSONField(default=list)
    # Every item is needed; ["ninguno"] means body weight only.
    equipment = models.JSONField(default=list)
    level = models.CharField(max_length=12, choices=Level.choices)
    met = models.FloatField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    compendium_code = models.CharField(max_length=10, blank=True)
    sets = models.PositiveSmallIntegerField(default=3)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    instructions_es = models.TextField(blank=True)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("ejercicio")
        verbose_name_plural = _("ejercicios")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if is_spanish() else self.name_en

    @property
    def needs(self) -> set[str]:
        """Equipment needed beyond body weight."""
        return {e for e in self.equipment if e != Equipment.NINGUNO}


class WorkoutPlan(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workout_plans")
    goal = models.CharField(max_length=20, choices=Goal.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    weekdays = models.JSONField(default=list)  # [0, 2, 4] = lunes, miércoles, viernes
    days_per_week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(6)])
    session_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(15), MaxValueValidator(120)])
    equipment = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVO)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    tips = models.JSONField(default=list, blank=True)
    safety_note = models.TextField(blank=True)
    text_source = models.CharField(max_length=10, choices=TextSource.choices, default=TextSource.LOCAL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="workoutplan_user_created_idx")]
        verbose_name = _("plan de entrenamiento")
        verbose_name_plural = _("planes de entrenamiento")

    def __str__(self):
        return self.title


class WorkoutSession(models.Model):
    plan = models.ForeignKey(WorkoutPlan, on_delete=models.CASCADE, related_name="sessions")
    day_number = models.PositiveSmallIntegerField()  # 1..days_per_week, in weekday order
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    focus = models.CharField(max_length=20, choices=Focus.choices)
    title = models.CharField(max_length=160)
    minutes = models.PositiveSmallIntegerField()  # estimated length, warm-up and cool-down included
    met = models.FloatField()  # time-weighted mean MET of its exercises
    # The activity of nutrition's MET table it is logged as (closest MET of the session's kind).
    activity = models.ForeignKey("nutrition.Activity", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["plan", "day_number"]
        constraints = [models.UniqueConstraint(fields=["plan", "weekday"], name="workoutsession_plan_weekday_uniq")]

    def __str__(self):
        return f"{self.plan_id} · {self.day_number}: {self.title}"


class WorkoutSessionExercise(models.Model):
    session = models.ForeignKey(WorkoutSession, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    block = models.CharField(max_length=15, choices=Block.choices)
    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    work_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "order"]

    def __str__(self):
        return f"{self.session_id} · {self.order}: {self.exercise_id}"


class WorkoutLog(models.Model):
    """A session marked as done on a date; one per session and date."""

    session = models.ForeignKey(WorkoutSession, on_delete=models.CASCADE, related_name="logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workout_logs")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    rpe = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # The diary entry stays when the plan is deleted: the exercise was still done.
    exercise_log = models.OneToOneField(
        "nutrition.ExerciseLog", null=True, blank=True, on_delete=models.SET_NULL, related_name="workout_log"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["session", "date"], name="workoutlog_session_date_uniq")]

    def __str__(self):
        return f"{self.session_id} @ {self.date}"
