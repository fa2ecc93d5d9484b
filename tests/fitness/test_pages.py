"""Workout pages: list (empty and with plans), the form (errors kept), the plan's week,
"Marcar como hecha" with htmx (partial) and without (redirect), delete; another person's
plan is the 404 page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fitness.models import WorkoutPlan
from nutrition.models import ExerciseLog

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(client, athlete):
    client.force_login(athlete)
    return client


def test_empty_list_invites_to_create_a_plan(browser):
    resp = browser.get(reverse("fitness:plans"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Aún no tienes un plan de entrenamiento" in html and reverse("fitness:plan_new") in html


def test_form_generates_a_plan_and_shows_the_week(browser, athlete):
    form = browser.get(reverse("fitness:plan_new"))
    html = form.content.decode()
    assert 'name="weekdays"' in html and 'value="caminadora"' in html and "Generar mi plan" in html
    resp = browser.post(reverse("fitness:plan_new"), {
        "goal": "condicion_fisica", "level": "principiante", "weekdays": ["1", "3", "5"],
        "equipment": ["bicicleta_estacionaria"], "session_minutes": "30",
    })
    plan = WorkoutPlan.objects.get(user=athlete)
    assert resp.status_code == 302 and resp["Location"] == reverse("fitness:plan_detail", args=[plan.pk])
    page = browser.get(resp["Location"]).content.decode()
    assert plan.title in page
    assert "Martes" in page and "Jueves" in page and "Sábado" in page
    assert page.count("Descanso: camina") == 4
    assert "Calentamiento" in page and "Enfriamiento" in page
    assert "Tu seguridad primero." in page  # beginner
    assert "Bicicleta estacionaria" in page  # equipment label, cardio day
    assert "Marcar como hecha" in page and "kcal" in page


def test_form_errors_are_shown_and_nothing_is_saved(browser):
    resp = browser.post(reverse("fitness:plan_new"), {"goal": "salud_general", "level": "intermedio",
                                                      "session_minutes": "200"})
    html = resp.content.decode()
    assert resp.status_code == 422
    assert "Elige al menos un día para entrenar." in html
    assert "Cada sesión debe durar entre 15 y 120 minutos." in html
    assert 'value="salud_general" checked' in html or 'checked' in html
    assert not WorkoutPlan.objects.exists()


def test_mark_as_done_with_htmx_returns_the_region_and_logs_to_the_diary(browser, athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    url = reverse("fitness:session_log", args=[plan.pk, session.pk])
    resp = browser.post(url, {"minutes": "45"}, **HX)
    html = resp.content.decode()
    entry = ExerciseLog.objects.get(user=athlete)
    assert resp.status_code == 200 and "<html" not in html
    assert f'id="session-log-{session.pk}"' in html
    assert f"Sesión registrada en tu diario: {entry.energy_kcal:.0f} kcal." in html
    assert reverse("nutrition:diary_day", args=[timezone.localdate().isoformat()]) in html
    # again the same day: updated, not duplicated
    again = browser.post(url, {"minutes": "45"}, **HX).content.decode()
    assert "no se duplicó" in again and ExerciseLog.objects.filter(user=athlete).count() == 1
    # it shows up in the diary page
    diary = browser.get(reverse("nutrition:diary_day", args=[timezone.localdate().isoformat()])).content.decode()
    assert "45 min" in diary


def test_mark_as_done_errors_and_plain_post(browser, athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    url = reverse("fitness:session_log", args=[plan.pk, session.pk])
    bad = browser.post(url, {"rpe": "15"}, **HX)
    assert bad.status_code == 422 and "RPE" in bad.content.decode()
    assert not ExerciseLog.objects.exists()
    plain = browser.post(url, {})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#sesion-{session.pk}")
    page = browser.get(reverse("fitness:plan_detail", args=[plan.pk])).content.decode()
    if session.weekday == timezone.localdate().weekday():
        assert "Hecha hoy" in page
    assert ExerciseLog.objects.count() == 1


def test_list_and_delete(browser, athlete, make_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(url).status_code == 200
        return len(ctx)

    plan = make_plan(athlete)
    html = browser.get(reverse("fitness:plans")).content.decode()
    assert plan.title in html and "Activo" in html
    one_plan, three_days = queries(reverse("fitness:plans")), queries(reverse("fitness:plan_detail", args=[plan.pk]))
    big = make_plan(athlete, weekdays=[0, 1, 2, 3, 4, 5], goal="perder_grasa")
    make_plan(athlete, level="avanzado")
    # the number of queries does not grow with plans, sessions or exercises
    assert queries(reverse("fitness:plans")) == one_plan
    assert queries(reverse("fitness:plan_detail", args=[big.pk])) == three_days
    resp = browser.post(reverse("fitness:plan_delete", args=[plan.pk]), **HX)
    assert resp.status_code == 204 and resp["HX-Location"] == reverse("fitness:plans")
    assert not WorkoutPlan.objects.filter(pk=plan.pk).exists()


def test_another_persons_plan_is_the_404_page(client, other_user, athlete, make_plan):
    plan = make_plan(athlete)
    session = plan.sessions.first()
    client.force_login(other_user)
    assert client.get(reverse("fitness:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("fitness:plan_delete", args=[plan.pk])).status_code == 404
    assert client.post(reverse("fitness:session_log", args=[plan.pk, session.pk]), **HX).status_code == 404
    assert WorkoutPlan.objects.filter(pk=plan.pk).exists() and not ExerciseLog.objects.exists()


def test_anonymous_goes_to_login(client):
    resp = client.get(reverse("fitness:plans"))
    assert resp.status_code == 302 and "login" in resp["Location"]
