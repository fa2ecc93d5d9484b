"""Writes of workout plans: generate a plan, delete it, and mark a session as done.

Every page, API view and task calls these. Input is validated here (all field errors at
once, Spanish messages, ``ValidationError``); another person's plan raises
``WorkoutPlanNotFound`` (404). Nothing is saved when validation fails.

Marking a session done logs it in nutrition's exercise log through nutrition's own
services (``exercise_add`` computes kcal = MET × kg × h with the profile's weight), so the
diary and its totals show it; logging the same session twice on one date replaces the
first entry instead of adding a second.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fitness import coach
from fitness import selectors as sel
from fitness.generator import (
    EQUIPMENT,
    GOALS,
    LEVELS,
    MAX_DAYS,
    MAX_MINUTES,
    MIN_MINUTES,
    generate,
    log_activity_code,
    spec_of,
)
from fitness.models import (
    Exercise,
    PlanStatus,
    TextSource,
    Weekday,
    WorkoutLog,
    WorkoutPlan,
    WorkoutSession,
    WorkoutSessionExercise,
)

MAX_LOG_MINUTES = 600
GOAL_ALIASES = {
    "fat_loss": "perder_grasa", "lose_fat": "perder_grasa", "weight_loss": "perder_grasa",
    "muscle_gain": "ganar_musculo", "build_muscle": "ganar_musculo",
    "fitness": "condicion_fisica", "conditioning": "condicion_fisica",
    "general_health": "salud_general", "health": "salud_general", "maintenance": "salud_general",
}
LEVEL_ALIASES = {"beginner": "principiante", "intermediate": "intermedio", "advanced": "avanzado"}
WEEKDAY_NAMES = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}
EQUIPMENT_ALIASES = {
    "banda": "banda_elastica", "bicicleta": "bicicleta_estacionaria", "maquinas": "maquina", "pesa_rusa": "kettlebell",
    "dumbbells": "mancuernas", "resistance_band": "banda_elastica", "barbell": "barra", "bench": "banco",
    "pull_up_bar": "barra_dominadas", "machines": "maquina", "mat": "tapete", "jump_rope": "cuerda",
    "stationary_bike": "bicicleta_estacionaria", "treadmill": "caminadora", "elliptical": "eliptica", "none": "ninguno",
}


# ---------------------------------------------------------------------------------------
# input


def _key(value) -> str:
    """Lowercase, no accents, spaces and hyphens as underscores: "Banda elástica" -> banda_elastica."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().strip().lower()
    return "_".join(text.replace("-", " ").split())


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def plan_input_clean(*, goal, level, weekdays, equipment, session_minutes) -> dict:
    """Validated generator input; every field's error at once. Accepts Spanish codes (and a
    few English aliases), weekdays as numbers 0–6 (Monday = 0) or names."""
    errors: dict[str, str] = {}
    goal_key = GOAL_ALIASES.get(_key(goal or ""), _key(goal or ""))
    if goal_key not in GOALS:
        errors["goal"] = _("Elige un objetivo: perder grasa, ganar músculo, condición física o salud general.")
    level_key = LEVEL_ALIASES.get(_key(level or ""), _key(level or ""))
    if level_key not in LEVELS:
        errors["level"] = _("Elige tu nivel: principiante, intermedio o avanzado.")

    days: set[int] = set()
    bad_days = []
    for raw in _as_list(weekdays):
        if isinstance(raw, bool):
            bad_days.append(str(raw))
            continue
        text = _key(raw)
        if text.isdigit() and 0 <= int(text) <= 6:
            days.add(int(text))
        elif text in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES[text])
        else:
            bad_days.append(str(raw)[:20])
    if bad_days:
        errors["weekdays"] = _("Días no válidos: %(days)s. Usa 0 (lunes) a 6 (domingo).") % {
            "days": ", ".join(bad_days[:5])
        }
    elif not days:
        errors["weekdays"] = _("Elige al menos un día para entrenar.")
    elif len(days) > MAX_DAYS:
        errors["weekdays"] = _("Elige como máximo %(n)s días: el cuerpo necesita al menos un día de descanso.") % {
            "n": MAX_DAYS
        }

    kit: set[str] = set()
    unknown = []
    for raw in _as_list(equipment):
        text = _key(raw)
        text = EQUIPMENT_ALIASES.get(text, text)
        if text in EQUIPMENT:
            kit.add(text)
        else:
            unknown.append(str(raw)[:30])
    if unknown:
        errors["equipment"] = _("Equipo desconocido: %(items)s.") % {"items": ", ".join(unknown[:5])}

    minutes = None
    try:
        if isinstance(session_minutes, bool):
            raise ValueError
        number = float(str(session_minutes).strip())
        if number != int(number):
            raise ValueError
        minutes = int(number)
    except (TypeError, ValueError):
        errors["session_minutes"] = _("Escribe los minutos por sesión como número entero.")
    if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["session_minutes"] = _("Cada sesión debe durar entre %(low)s y %(high)s minutos.") % {
            "low": MIN_MINUTES, "high": MAX_MINUTES
        }
    if errors:
        raise ValidationError(errors)
    return {"goal": goal_key, "level": level_key, "weekdays": sorted(days), "equipment": sorted(kit - {"ninguno"}),
            "minutes": minutes}


# ---------------------------------------------------------------------------------------
# plans


def _session_title(focus_label: str, variant: int, count: int) -> str:
    letter = "ABC"[variant % 3] if count > 1 else ""
    return f"{focus_label} {letter}".strip()


def workout_plan_generate(*, actor, goal, level, weekdays, equipment=(), session_minutes=45) -> WorkoutPlan:
    """Generate and save a weekly plan for ``actor``; their previous active plan is archived.

    The structure is deterministic (``fitness.generator``). When an AI provider is
    configured, the language model writes only the title, description and tips, with a
    timeout; on any failure the deterministic text is kept. The provider is called before the
    database transaction opens, so a slow reply never holds locks.
    """
    from fitness.models import Focus
    from nutrition.models import Activity

    data = plan_input_clean(goal=goal, level=level, weekdays=weekdays, equipment=equipment,
                            session_minutes=session_minutes)
    exercises = {e.code: e for e in Exercise.objects.all()}
    if not exercises:
        raise ValidationError({"catalogue": _("El catálogo de ejercicios está vacío; ejecuta «manage.py load_exercises».")})
    draft = generate(catalogue=[spec_of(e) for e in exercises.values()], goal=data["goal"], level=data["level"],
                     weekdays=data["weekdays"], equipment=data["equipment"], minutes=data["minutes"])
    local = coach.local_copy(draft)
    words = coach.ai_copy(draft, local, user=actor) or None
    source = TextSource.AI if words else TextSource.LOCAL
    words = words or local
    activities = dict(Activity.objects.values_list("code", "met"))
    focus_labels = dict(Focus.choices)
    focus_counts: dict[str, int] = {}
    for s in draft.sessions:
        focus_counts[s.focus] = focus_counts.get(s.focus, 0) + 1

    with transaction.atomic():
        WorkoutPlan.objects.filter(user=actor, status=PlanStatus.ACTIVO).update(status=PlanStatus.ARCHIVADO)
        plan = WorkoutPlan.objects.create(
            user=actor, goal=data["goal"], level=data["level"], weekdays=data["weekdays"],
            days_per_week=len(data["weekdays"]), session_minutes=data["minutes"], equipment=data["equipment"],
            title=words["title"], description=words["description"], tips=words["tips"],
            safety_note=coach.safety_note(draft, user=actor), text_source=source,
        )
        items = []
        for s in draft.sessions:
            session = WorkoutSession.objects.create(
                plan=plan, day_number=s.day_number, weekday=s.weekday, focus=s.focus,
                title=_session_title(str(focus_labels[s.focus]), s.variant, focus_counts[s.focus]),
                minutes=s.minutes, met=s.met, activity_id=log_activity_code(s, activities),
            )
            for order, item in enumerate(s.items, start=1):
                items.append(WorkoutSessionExercise(
                    session=session, exercise=exercises[item.exercise.code], order=order, block=item.block,
                    sets=item.sets, reps=item.reps, work_seconds=item.work_seconds, minutes=item.minutes,
                    rest_seconds=item.rest_seconds,
                ))
        WorkoutSessionExercise.objects.bulk_create(items)
    return sel.workout_plan_get(user=actor, plan_id=plan.pk)


@transaction.atomic
def workout_plan_delete(*, actor, plan_id) -> None:
    """Delete one of the actor's plans. Sessions already logged stay in the diary."""
    plan = sel.workout_plan_get(user=actor, plan_id=plan_id)
    WorkoutPlan.objects.filter(pk=plan.pk, user=actor).delete()


# ---------------------------------------------------------------------------------------
# logging a session


def _log_minutes(value, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError({"minutes": _("Escribe los minutos que entrenaste.")})
    if number != number or not 1 <= number <= MAX_LOG_MINUTES:
        raise ValidationError({"minutes": _("Escribe entre 1 y %(max)s minutos.") % {"max": MAX_LOG_MINUTES}})
    return int(round(number))


def _rpe(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"rpe": _("El esfuerzo percibido (RPE) es un número del 1 al 10.")})
    if number != int(number) or not 1 <= number <= 10:
        raise ValidationError({"rpe": _("El esfuerzo percibido (RPE) es un número del 1 al 10.")})
    return int(number)


@transaction.atomic
def workout_session_log(*, actor, plan_id, session_id, date=None, minutes=None, rpe=None) -> WorkoutLog:
    """Mark a session of the actor's plan as done on ``date`` (today by default; never in the
    future) for ``minutes`` (the planned length by default), with an optional RPE 1–10.

    Creates the diary's exercise entry through ``nutrition.services.diary.exercise_add``
    (kcal from the session's activity MET × the profile's weight × time). Logging the same
    session again on the same date updates that log and replaces its diary entry, so the
    day's total never counts it twice. The returned log has ``created`` (bool).
    """
    from nutrition.models import ExerciseLog
    from nutrition.services.diary import date_clean, exercise_add, exercise_delete

    plan = sel.workout_plan_get(user=actor, plan_id=plan_id)
    session = sel.workout_session_of(plan, session_id)
    day = date_clean(date)
    mins = _log_minutes(minutes, session.minutes)
    effort = _rpe(rpe)
    if session.activity_id is None:
        raise ValidationError({"session": _("Esta sesión no tiene una actividad para calcular calorías.")})
    # Lock the session row: two taps on "Marcar como hecha" at once must not create two logs.
    WorkoutSession.objects.select_for_update().filter(pk=session.pk).first()
    log = WorkoutLog.objects.filter(session=session, date=day).first()
    created = log is None
    if log is not None and log.exercise_log_id:
        if ExerciseLog.objects.filter(pk=log.exercise_log_id, user=actor).exists():
            exercise_delete(actor=actor, log_id=log.exercise_log_id)
    entry = exercise_add(actor=actor, activity_code=session.activity_id, minutes=mins, date=day)
    entry.name = (_("Entrenamiento: %(title)s") % {"title": session.title})[:120]
    entry.save(update_fields=["name"])
    if log is None:
        log = WorkoutLog(session=session, user=actor, date=day)
    log.minutes, log.rpe, log.exercise_log = mins, effort, entry
    log.save()
    log.created = created
    return log


def weekday_label(value: int) -> str:
    return str(dict(Weekday.choices).get(value, value))
