"""Services: generating a plan from the shipped catalogue, validation, logging a session
into nutrition's exercise log (right kcal, once per date), deleting, and the AI text with
its fallbacks."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fitness.errors import WorkoutPlanNotFound, WorkoutSessionNotFound
from fitness.models import Exercise, WorkoutLog, WorkoutPlan, WorkoutSessionExercise
from fitness.selectors import plan_week
from fitness.services import workout_plan_delete, workout_plan_generate, workout_session_log
from nutrition.models import Activity, ExerciseLog
from nutrition.selectors.diary import diary_day

pytestmark = pytest.mark.django_db


def test_catalogue_is_loaded_by_migrations():
    assert Exercise.objects.count() >= 60
    squat = Exercise.objects.get(code="sentadilla_goblet")
    assert squat.name_es == "Sentadilla goblet con mancuerna" and squat.equipment == ["mancuernas"]
    assert squat.met == 3.5 and squat.compendium_code == "02054"


def test_generate_saves_a_week_on_the_chosen_days_with_only_the_persons_equipment(athlete, make_plan):
    plan = make_plan(athlete, weekdays=["lunes", "miércoles", 4], equipment=["Mancuernas"])
    assert plan.weekdays == [0, 2, 4] and plan.days_per_week == 3 and plan.status == "activo"
    assert plan.title.startswith("Ganar músculo") and "3 días por semana" in plan.title
    assert plan.text_source == "local" and len(plan.tips) == 3
    sessions = list(plan.sessions.all())
    assert [s.weekday for s in sessions] == [0, 2, 4]
    assert [s.title for s in sessions] == ["Cuerpo completo A", "Cuerpo completo B", "Cuerpo completo C"]
    for session in sessions:
        assert session.activity_id in {"02054", "02022", "02050", "02020"}
        assert 35 <= session.minutes <= 54
        for item in session.items.all():
            assert set(item.exercise.equipment) <= {"ninguno", "mancuernas"}
    used = {i.exercise.code for s in sessions for i in s.items.all()}
    assert "sentadilla_goblet" in used  # loaded exercises are preferred when the person has them
    assert not plan.safety_note  # intermediate, no conditions


def test_beginner_gets_the_medical_safety_note(athlete, make_plan):
    plan = make_plan(athlete, level="principiante")
    assert "consulta a tu médico" in plan.safety_note


def test_a_new_plan_archives_the_previous_active_one(athlete, make_plan):
    first = make_plan(athlete)
    second = make_plan(athlete, goal="perder_grasa")
    first.refresh_from_db()
    assert first.status == "archivado" and second.status == "activo"


def test_bad_input_lists_every_error_and_saves_nothing(athlete):
    with pytest.raises(ValidationError) as exc:
        workout_plan_generate(actor=athlete, goal="volar", level="experto", weekdays=[0, 1, 2, 3, 4, 5, 6],
                              equipment=["trampolín"], session_minutes=5)
    errors = exc.value.message_dict
    assert set(errors) == {"goal", "level", "weekdays", "equipment", "session_minutes"}
    assert "al menos un día de descanso" in errors["weekdays"][0]
    assert "trampolín" in errors["equipment"][0]
    assert "entre 15 y 120" in errors["session_minutes"][0]
    with pytest.raises(ValidationError) as exc:
        workout_plan_generate(actor=athlete, goal="salud_general", level="principiante", weekdays=[],
                              session_minutes=30)
    assert exc.value.message_dict["weekdays"] == ["Elige al menos un día para entrenar."]
    assert WorkoutPlan.objects.count() == 0


def test_logging_a_session_creates_one_exercise_log_with_met_times_weight_times_hours(athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    met = Activity.objects.get(code=session.activity_id).met
    log = workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk, minutes=50, rpe=7)
    assert log.created and log.rpe == 7 and log.minutes == 50
    entry = ExerciseLog.objects.get(user=athlete)
    assert entry.minutes == 50 and entry.activity_id == session.activity_id
    assert entry.energy_kcal == round(met * 80 * 50 / 60, 1)
    assert entry.name == f"Entrenamiento: {session.title}"
    assert log.exercise_log == entry
    # the diary of the day counts it
    day = diary_day(user=athlete, day=timezone.localdate())
    assert day.exercise_kcal == entry.energy_kcal


def test_logging_the_same_session_twice_the_same_day_does_not_double_count(athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    first = workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk)
    again = workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk, minutes=30)
    assert first.pk == again.pk and not again.created
    assert WorkoutLog.objects.count() == 1 and ExerciseLog.objects.filter(user=athlete).count() == 1
    met = Activity.objects.get(code=session.activity_id).met
    assert ExerciseLog.objects.get().energy_kcal == round(met * 80 * 30 / 60, 1)
    # another date is another log
    yesterday = timezone.localdate() - timedelta(days=1)
    workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk, date=yesterday.isoformat())
    assert ExerciseLog.objects.filter(user=athlete).count() == 2


def test_estimated_kcal_on_the_plan_equals_what_gets_logged(athlete, make_plan):
    plan = make_plan(athlete)
    week = plan_week(plan, user=athlete)
    day = next(d for d in week["days"] if d.session)
    log = workout_session_log(actor=athlete, plan_id=plan.pk, session_id=day.session.pk)
    assert log.exercise_log.energy_kcal == day.kcal
    assert [d.weekday for d in week["days"] if d.session is None] == [1, 3, 5, 6]  # rest days


def test_log_validation_future_date_minutes_and_rpe(athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as exc:
        workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk, date=tomorrow)
    assert exc.value.code == "FUTURE_DATE"
    with pytest.raises(ValidationError, match="entre 1 y 600"):
        workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk, minutes=0)
    with pytest.raises(ValidationError, match="RPE"):
        workout_session_log(actor=athlete, plan_id=plan.pk, session_id=session.pk, rpe=11)
    assert not ExerciseLog.objects.exists() and not WorkoutLog.objects.exists()


def test_another_persons_plan_or_session_is_not_found(athlete, other_user, make_plan):
    plan = make_plan(athlete)
    mine = make_plan(other_user)
    session = plan.sessions.first()
    with pytest.raises(WorkoutPlanNotFound):
        workout_session_log(actor=other_user, plan_id=plan.pk, session_id=session.pk)
    with pytest.raises(WorkoutSessionNotFound):
        workout_session_log(actor=other_user, plan_id=mine.pk, session_id=session.pk)
    with pytest.raises(WorkoutPlanNotFound):
        workout_plan_delete(actor=other_user, plan_id=plan.pk)
    assert WorkoutPlan.objects.filter(pk=plan.pk).exists()


def test_deleting_a_plan_keeps_the_diary_entries(athlete, make_plan):
    plan = make_plan(athlete)
    workout_session_log(actor=athlete, plan_id=plan.pk, session_id=plan.sessions.first().pk)
    workout_plan_delete(actor=athlete, plan_id=plan.pk)
    assert not WorkoutPlan.objects.exists() and not WorkoutSessionExercise.objects.exists()
    assert ExerciseLog.objects.filter(user=athlete).count() == 1


# ---------------------------------------------------------------------------------------
# AI text


def test_ai_writes_title_description_and_tips_only(athlete, make_plan, fake_ai):
    fake_ai.reply_json({"title": "Fuerza en casa, 3 días", "description": "Tres sesiones de cuerpo completo con "
                        "mancuernas para ganar músculo.", "tips": ["Duerme bien.", "  Come proteína.  ", ""]})
    plan = make_plan(athlete, level="principiante")
    assert plan.text_source == "ai" and plan.title == "Fuerza en casa, 3 días"
    assert plan.tips == ["Duerme bien.", "Come proteína."]
    assert "consulta a tu médico" in plan.safety_note  # never from the model
    request = fake_ai.requests[-1]
    prompt = request["messages"][-1]["content"]
    assert "Ganar músculo" in prompt and "Sentadilla goblet con mancuerna" in prompt
    assert plan.sessions.count() == 3


@pytest.mark.parametrize("failure", ["malformed", "timeout", "rate_limited"])
def test_ai_failure_keeps_the_deterministic_text(athlete, make_plan, fake_ai, failure):
    if failure == "malformed":
        fake_ai.reply_raw("esto no es json{")
        fake_ai.reply_raw("tampoco{")
    elif failure == "timeout":
        fake_ai.reply_slow(3)
    else:
        fake_ai.reply_error(429, times=3)
    plan = make_plan(athlete)
    assert plan.text_source == "local" and plan.title.startswith("Ganar músculo")
    assert plan.sessions.count() == 3 and len(plan.tips) == 3


def test_ai_down_still_creates_the_plan(athlete, make_plan, ai_down):
    plan = make_plan(athlete)
    assert plan.text_source == "local" and plan.sessions.count() == 3
