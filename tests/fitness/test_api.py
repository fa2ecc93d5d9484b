"""Workout API: generate (201, envelope errors, rate limit), list, detail, delete, log a
session (201 then 200 without double counting), catalogue; another person's plan is 404."""

import pytest
from rest_framework.test import APIClient

from fitness.models import WorkoutPlan
from nutrition.models import Activity, ExerciseLog

pytestmark = pytest.mark.django_db

BODY = {"goal": "perder_grasa", "level": "intermedio", "weekdays": [0, 2, 4, 5],
        "equipment": ["mancuernas", "cuerda"], "session_minutes": 40}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_generate_returns_the_whole_week(athlete):
    resp = client_for(athlete).post("/api/v1/workout-plan/generate", BODY, format="json")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["goal"] == "perder_grasa" and data["days_per_week"] == 4 and data["status"] == "activo"
    assert data["rest_days"] == [1, 3, 6] and data["text_source"] == "local"
    assert [s["weekday"] for s in data["sessions"]] == [0, 2, 4, 5]
    assert [s["focus"] for s in data["sessions"]] == ["cuerpo_completo", "hiit", "cuerpo_completo", "cardio"]
    assert data["sessions"][0]["weekday_label"] == "Lunes"
    first = data["sessions"][0]
    assert first["exercises"][0]["block"] == "calentamiento" and first["exercises"][-1]["block"] == "enfriamiento"
    assert any(e["block"] == "final" for e in first["exercises"])  # fat-loss finisher
    for session in data["sessions"]:
        met = Activity.objects.get(code=session["activity_code"]).met
        assert session["estimated_kcal"] == round(met * 80 * session["minutes"] / 60, 1)
        for e in session["exercises"]:
            assert set(e["exercise"]["equipment"]) <= {"ninguno", "mancuernas", "cuerda"}
    assert data["week_kcal"] == round(sum(s["estimated_kcal"] for s in data["sessions"]))
    assert resp["X-RateLimit-Limit"] == "10"


def test_generate_validation_uses_the_envelope(athlete):
    resp = client_for(athlete).post("/api/v1/workout-plan/generate",
                                    {**BODY, "weekdays": [], "session_minutes": "mucho"}, format="json")
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["weekdays"] == ["Elige al menos un día para entrenar."]
    assert "session_minutes" in error["details"]
    assert not WorkoutPlan.objects.exists()


def test_generate_is_rate_limited(athlete, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "workout_generate": "2/m"}
    api = client_for(athlete)
    codes = [api.post("/api/v1/workout-plan/generate", BODY, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert WorkoutPlan.objects.filter(user=athlete).count() == 2


def test_list_detail_delete(athlete, make_plan, django_assert_max_num_queries):
    older = make_plan(athlete)
    newer = make_plan(athlete, goal="salud_general")
    api = client_for(athlete)
    with django_assert_max_num_queries(6):
        resp = api.get("/api/v1/workout-plans")
    body = resp.json()
    assert [p["id"] for p in body["workout_plans"]] == [newer.pk, older.pk]
    assert body["workout_plans"][0]["sessions_count"] == 3 and body["total_results"] == 2
    assert [p["status"] for p in body["workout_plans"]] == ["activo", "archivado"]
    with django_assert_max_num_queries(10):
        detail = api.get(f"/api/v1/workout-plans/{older.pk}")
    assert detail.status_code == 200 and len(detail.json()["sessions"]) == 3
    assert api.delete(f"/api/v1/workout-plans/{older.pk}").status_code == 204
    gone = api.get(f"/api/v1/workout-plans/{older.pk}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "WORKOUT_PLAN_NOT_FOUND"


def test_log_session_201_then_200_without_double_counting(athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    api = client_for(athlete)
    url = f"/api/v1/workout-plans/{plan.pk}/sessions/{session.pk}/log"
    first = api.post(url, {"minutes": 60, "rpe": 8}, format="json")
    assert first.status_code == 201 and first.json()["created"] is True
    met = Activity.objects.get(code=session.activity_id).met
    assert first.json()["log"]["exercise_log"]["energy_kcal"] == round(met * 80 * 60 / 60, 1)
    again = api.post(url, {"minutes": 60}, format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert ExerciseLog.objects.filter(user=athlete).count() == 1
    future = api.post(url, {"date": "2999-01-01"}, format="json")
    assert future.status_code == 400 and future.json()["error"]["code"] == "FUTURE_DATE"


def test_another_persons_plan_is_404_everywhere(athlete, other_user, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    api = client_for(other_user)
    for resp in (
        api.get(f"/api/v1/workout-plans/{plan.pk}"),
        api.delete(f"/api/v1/workout-plans/{plan.pk}"),
        api.post(f"/api/v1/workout-plans/{plan.pk}/sessions/{session.pk}/log", {}, format="json"),
    ):
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "WORKOUT_PLAN_NOT_FOUND"
    assert api.get("/api/v1/workout-plans").json()["workout_plans"] == []
    own = make_plan(other_user)
    wrong = api.post(f"/api/v1/workout-plans/{own.pk}/sessions/{session.pk}/log", {}, format="json")
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "WORKOUT_SESSION_NOT_FOUND"
    assert not ExerciseLog.objects.exists()


def test_anonymous_is_401():
    assert APIClient().get("/api/v1/workout-plans").status_code == 401


def test_catalogue_filters_by_equipment_and_level(athlete):
    api = client_for(athlete)
    data = api.get("/api/v1/exercises", {"equipment": "banda_elastica", "level": "principiante"}).json()
    assert data["total_results"] >= 10
    assert all(set(e["equipment"]) <= {"ninguno", "banda_elastica"} for e in data["exercises"])
    assert all(e["level"] == "principiante" for e in data["exercises"])
    assert any(e["name_en"] == "Band lat pulldown" for e in data["exercises"])
    hiit = api.get("/api/v1/exercises", {"type": "hiit"}).json()["exercises"]
    assert {e["type"] for e in hiit} == {"hiit"}
