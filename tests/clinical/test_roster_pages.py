"""Roster pages: the list (content, consent, htmx partial, pinned queries), a patient's
summary, diary and targets tabs (404 for whoever may not see them), and the targets the
nutritionist sets showing up on the patient's own diary page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinical.models import CareStatus, ClinicalAccessLog, ConsentScope
from nutrition.models import NutritionTarget
from tests.clinical.test_roster_api import log_days, weights

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def nclient(client, nutritionist):
    client.force_login(nutritionist)
    return client


def test_roster_page_content(nclient, nutritionist, make_user, make_care, today):
    shared = make_user(first_name="Lucía", last_name="Pérez")
    make_care(nutritionist, shared, start_weight_kg=Decimal("90"), target_weight_kg=Decimal("80"))
    log_days(shared, [today - timedelta(days=5)])
    weights(shared, [(today, 86)])
    private = make_user(first_name="Pablo", last_name="Reservado")
    make_care(nutritionist, private, scopes=[])
    gone = make_user(first_name="Gina", last_name="Alta")
    make_care(nutritionist, gone, status=CareStatus.GRADUATED)
    html = nclient.get(reverse("clinical:roster")).content.decode()
    assert "Lucía Pérez" in html and "Pablo Reservado" in html and "Gina Alta" not in html
    assert "90.0 → 86.0 kg" in html and "(-4.0)" in html and "40 %" in html
    assert "Sin registros en 3 días" in html
    assert html.count("no compartido") >= 3  # Pablo: adherence 7 d, 30 d and weight
    assert reverse("clinical:patient_detail", args=[shared.pk]) in html
    html = nclient.get(reverse("clinical:roster"), {"status": "graduated"}).content.decode()
    assert "Gina Alta" in html and "Lucía" not in html


def test_roster_htmx_partial_and_bad_filter(nclient, nutritionist, make_user, make_care):
    make_care(nutritionist, make_user(first_name="Ana", last_name="Buscada"))
    make_care(nutritionist, make_user(first_name="Otra", last_name="Persona"))
    response = nclient.get(reverse("clinical:roster"), {"q": "busc"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="roster-results"' in html
    assert "Ana Buscada" in html and "Otra Persona" not in html
    html = nclient.get(reverse("clinical:roster"), {"sort": "nada"}).content.decode()
    assert "Orden desconocido" in html and "Ana Buscada" in html


def test_roster_page_404_for_non_nutritionists(client, make_user, make_nutritionist):
    client.force_login(make_user())
    assert client.get(reverse("clinical:roster")).status_code == 404
    client.force_login(make_nutritionist(verified=False))
    assert client.get(reverse("clinical:roster")).status_code == 404


ROSTER_PAGE_QUERIES = 24  # the roster's 12 and the signed-in layout's (session, user, navigation, badges)
# Sorting by progress first reads every patient's weights (2 queries), then the page's metrics.
ROSTER_PAGE_QUERIES_BY_PROGRESS = ROSTER_PAGE_QUERIES + 2


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("clinical:roster"), {"sort": "-progress"}).status_code == 200
    return len(ctx.captured_queries)


def test_roster_page_query_count_fixed(nclient, nutritionist, make_user, make_care, today, django_assert_num_queries):
    def add(n):
        for i in range(n):
            p = make_user()
            make_care(nutritionist, p, start_weight_kg=Decimal("80") if i % 2 else None, target_weight_kg=Decimal("70"))
            log_days(p, [today])
            weights(p, [(today - timedelta(days=7), 82), (today, 79)])

    add(3)
    _page_queries(nclient)  # warm per-process caches (e.g. the navigation)
    with django_assert_num_queries(ROSTER_PAGE_QUERIES_BY_PROGRESS):
        nclient.get(reverse("clinical:roster"), {"sort": "-progress"})
    with django_assert_num_queries(ROSTER_PAGE_QUERIES):
        nclient.get(reverse("clinical:roster"))
    add(17)
    with django_assert_num_queries(ROSTER_PAGE_QUERIES_BY_PROGRESS):
        html = nclient.get(reverse("clinical:roster"), {"sort": "-progress"}).content.decode()
    assert html.count('class="card roster-card"') == 20


# ---------------------------------------------------------------------------------------
# one patient


def _urls(pid):
    return [reverse(f"clinical:{n}", args=[pid]) for n in ("patient_detail", "patient_diary", "patient_targets")]


def test_patient_pages_404_for_outsiders(client, nutritionist, make_nutritionist, make_user, make_care):
    patient = make_user()
    make_care(nutritionist, patient)
    other = make_nutritionist()
    ended = make_nutritionist()
    make_care(ended, patient, status=CareStatus.DROPPED)
    for actor in (other, ended, patient):
        client.force_login(actor)
        for url in _urls(patient.pk):
            assert client.get(url).status_code == 404, url
        assert client.post(_urls(patient.pk)[2], {"energy_kcal": "1500"}).status_code == 404
    no_diary = make_user()
    make_care(nutritionist, no_diary, scopes=[ConsentScope.MEASUREMENTS])
    client.force_login(nutritionist)
    assert client.get(reverse("clinical:patient_diary", args=[no_diary.pk])).status_code == 404
    assert not NutritionTarget.objects.filter(user=patient).exists()


def test_detail_page(nclient, nutritionist, make_user, make_care, today):
    patient = make_user(first_name="Marta", last_name="Gómez", height_cm=Decimal("165"))
    make_care(nutritionist, patient, target_weight_kg=Decimal("60"), conditions=["Diabetes tipo 2"])
    weights(patient, [(today - timedelta(days=3), 70), (today, 68)])
    log_days(patient, [today], kcal=900)
    html = nclient.get(reverse("clinical:patient_detail", args=[patient.pk])).content.decode()
    assert "Marta Gómez" in html and "Diabetes tipo 2" in html
    assert "68.0 kg" in html and "25.0" in html and "Sobrepeso" not in html  # 68 / 1.65² = 24.98
    assert 'id="weight-chart"' in html and "900 / " in html
    assert ClinicalAccessLog.objects.filter(patient=patient, actor=nutritionist, resource="summary").exists()


def test_detail_page_hides_what_is_not_shared(nclient, nutritionist, make_user, make_care, today):
    patient = make_user()
    make_care(nutritionist, patient, scopes=[])
    weights(patient, [(today, 68)])
    log_days(patient, [today], kcal=900)
    html = nclient.get(reverse("clinical:patient_detail", args=[patient.pk])).content.decode()
    assert "El paciente no ha compartido sus medidas y peso." in html
    assert "El paciente no ha compartido su diario de alimentación." in html
    assert "68.0" not in html and "weight-chart" not in html and "900 / " not in html


def test_diary_page_and_days(nclient, nutritionist, make_user, make_care, today):
    patient = make_user()
    make_care(nutritionist, patient)
    yesterday = today - timedelta(days=1)
    log_days(patient, [yesterday], kcal=700, per_day=1)
    url = reverse("clinical:patient_diary", args=[patient.pk])
    html = nclient.get(url, {"date": yesterday.isoformat()}).content.decode()
    assert "Comida 0" in html and "700 kcal" in html
    assert f"?date={today.isoformat()}" in html and f"?date={(yesterday - timedelta(days=1)).isoformat()}" in html
    html = nclient.get(url, {"date": "no-es-fecha"}).content.decode()
    assert "Fecha no válida" in html
    partial = nclient.get(url, {"date": yesterday.isoformat()}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="diary-day"' in partial
    assert ClinicalAccessLog.objects.filter(patient=patient, resource="diary").count() == 3


def test_targets_page_saves_and_patient_diary_shows_plan(client, nutritionist, make_user, make_care, today):
    from accounts.models import Notification

    patient = make_user(first_name="Paty")
    make_care(nutritionist, patient, scopes=[])  # targets need open care, no consent
    client.force_login(nutritionist)
    url = reverse("clinical:patient_targets", args=[patient.pk])
    page = client.get(url).content.decode()
    assert "eq-desayuno-cereales_sin_grasa" in page and "Más grupos" in page
    response = client.post(url, {"energy_kcal": "1500", "protein_g": "", "eq-desayuno-cereales_sin_grasa": "2",
                                 "eq-desayuno-aoa_bajo": "1", "eq-cena-verduras": "1.5", "eq-comida-frutas": ""})
    assert response.status_code == 302
    target = NutritionTarget.objects.get(user=patient)
    assert target.energy_kcal == 1500 and target.set_by == nutritionist
    assert target.meal_equivalents == {"desayuno": {"cereales_sin_grasa": 2, "aoa_bajo": 1}, "cena": {"verduras": 1.5}}
    assert Notification.objects.filter(user=patient, kind="targets_changed").exists()

    client.force_login(patient)
    html = client.get(reverse("nutrition:diary")).content.decode()
    assert "Plan de tu nutrióloga:" in html
    assert "2 cereales, 1 AOA bajo aporte de grasa" in html
    assert "1,500" in html or "1500" in html or "1 500" in html  # the override replaces the computed kcal


def test_targets_page_errors_and_preview(nclient, nutritionist, make_user, make_care):
    patient = make_user()
    make_care(nutritionist, patient)
    url = reverse("clinical:patient_targets", args=[patient.pk])
    response = nclient.post(url, {"energy_kcal": "50", "eq-desayuno-frutas": "0.3", "eq-cena-verduras": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Escribe un valor entre 800 y 6000." in html
    assert "Usa medios equivalentes" in html and "Escribe un número." in html
    assert not NutritionTarget.objects.filter(user=patient, energy_kcal=50).exists()
    preview = nclient.post(url, {"preview": "1", "energy_kcal": "1000", "eq-desayuno-frutas": "2",
                                 "eq-comida-cereales_sin_grasa": "3"}, HTTP_HX_REQUEST="true")
    html = preview.content.decode()
    assert "<html" not in html and 'id="eq-totals"' in html
    assert "Los equivalentes suman 330 kcal al día" in html and "670 kcal por debajo de la meta" in html
    assert not NutritionTarget.objects.filter(user=patient).exists()
