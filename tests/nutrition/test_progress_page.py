"""The progress page: figures, insights, chart data and text tables for a period; the htmx
period switch returns only the page body; an empty period invites to log food; nobody
sees another person's numbers."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from nutrition.models import NutritionTarget, WeightLog
from nutrition.services import diary as svc

URL = "/nutricion/progreso/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def quick(user, day, meal, kcal, **macros):
    return svc.diary_quick_add(actor=user, date=day, meal=meal, name=f"{meal} {kcal}", energy_kcal=kcal, **macros)


def chart_data(response) -> dict:
    match = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries the chart data"
    return json.loads(match.group(1))


@pytest.fixture
def diary(user, other_user, today):
    NutritionTarget.objects.create(user=user, energy_kcal=2000)
    quick(user, today, "desayuno", 600, protein_g=30, fat_g=20, carbs_g=75)
    quick(user, today, "comida", 1300, protein_g=70, fat_g=45, carbs_g=160)
    quick(user, today - timedelta(days=2), "cena", 1500, protein_g=50, fat_g=50, carbs_g=200)
    WeightLog.objects.create(user=user, date=today - timedelta(days=5), weight_kg=Decimal("80.0"))
    WeightLog.objects.create(user=user, date=today - timedelta(days=1), weight_kg=Decimal("79.2"))
    quick(other_user, today, "comida", 4321)
    WeightLog.objects.create(user=other_user, date=today, weight_kg=Decimal("123.4"))
    return user


def test_url_name():
    assert reverse("nutrition:progress") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_full_page_with_figures_and_tables(logged_in, diary, today):
    response = logged_in.get(URL, {"period": "7d"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tu progreso</h1>" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/progress.js" in html
    assert "css/nutrition-progress.css" in html
    # 7d is the current period
    assert re.search(r'href="\?period=7d"[^>]*aria-current="page"', html)
    # cards: streak 1 (today), average (1900 + 1500) / 2 = 1700 kcal = 85 % of 2000, 1 of 2 days within ±10 %
    assert 'data-stat="streak">1 día<' in html
    assert 'data-stat="average">1,700 kcal<' in html
    assert "85 % de tu meta de 2,000 kcal" in html
    assert 'data-stat="goal-rate">50 %<' in html
    assert 'data-stat="weight-change">-0.8 kg<' in html
    # insights and text summaries
    assert "Has alcanzado tu meta de calorías 1 de los últimos 7 días" in html
    assert "Registraste comidas 2 de 7 días." in html
    assert "2 pesajes, de 80.0 kg a 79.2 kg." in html
    # accessible tables: one row per logged day, macros, meals, weigh-ins
    assert html.count('<details class="chart-table">') == 4
    assert "<td>1,900</td>" in html and "<td>1,500</td>" in html
    # another person's numbers are nowhere
    assert "4321" not in html and "4,321" not in html and "123.4" not in html


def test_chart_json_has_the_numbers(logged_in, diary, today):
    data = chart_data(logged_in.get(URL, {"period": "7d"}))
    assert data["period"] == "7d"
    calories = data["calories"]
    assert calories["dates"][-1] == today.isoformat() and len(calories["dates"]) == 7
    assert calories["values"] == [None, None, None, None, 1500.0, None, 1900.0]
    assert calories["target"] == 2000
    # protein 150 g × 4 = 600, fat 115 g × 9 = 1035, carbs 435 g × 4 = 1740 -> 3375 kcal
    assert data["macros"]["values"] == [17.8, 30.7, 51.6]
    assert data["macros"]["grams"] == [150, 115, 435]
    assert data["weight"]["dates"] == [(today - timedelta(days=5)).isoformat(), (today - timedelta(days=1)).isoformat()]
    assert data["weight"]["values"] == [80.0, 79.2]
    assert data["weight"]["smoothed"] == [79.6, 79.6]
    # kcal per logged day by slot: desayuno 600/2, comida 1300/2, cena 1500/2
    assert data["meals"]["values"] == [300.0, 0, 650.0, 0, 750.0]
    assert data["meals"]["labels"][0] == "Desayuno"


def test_htmx_period_switch_returns_only_the_body(logged_in, diary):
    response = logged_in.get(URL, {"period": "30d"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="progress-body"')
    assert "<html" not in html and "<h1>" not in html
    assert re.search(r'href="\?period=30d"[^>]*aria-current="page"', html)
    assert 'hx-target="#progress-body"' in html and 'hx-push-url="true"' in html
    assert "Mostrando tu progreso de los últimos 30 días" in html
    assert chart_data(response)["period"] == "30d"
    assert "HX-Request" in response["Vary"]


def test_unknown_period_shows_the_default(logged_in, diary):
    response = logged_in.get(URL, {"period": "2y"})
    assert response.status_code == 200
    assert chart_data(response)["period"] == "30d"


def test_one_year_uses_a_weekly_table(logged_in, diary):
    html = logged_in.get(URL, {"period": "1y"}).content.decode()
    assert "kcal promedio" in html and "Días con registro" in html
    assert len(chart_data(logged_in.get(URL, {"period": "1y"}))["calories"]["values"]) == 365


def test_empty_state_invites_to_log(logged_in, other_user, today):
    quick(other_user, today, "comida", 900)
    response = logged_in.get(URL)
    html = response.content.decode()
    assert "Aún no hay datos en este periodo" in html
    assert 'id="chart-calories"' not in html
    try:
        diary_url = reverse("nutrition:diary")
    except NoReverseMatch:  # the diary pages are wired by their own change
        diary_url = None
    if diary_url:
        assert f'href="{diary_url}"' in html
    data = chart_data(response)
    assert data["calories"]["values"] == [None] * 30
    assert data["weight"]["values"] == []


def test_weight_only_shows_weight_without_food_charts(logged_in, user, today):
    WeightLog.objects.create(user=user, date=today, weight_kg=Decimal("64.5"))
    html = logged_in.get(URL).content.decode()
    assert "Aún no hay datos en este periodo" not in html
    assert 'id="chart-weight"' in html and 'id="chart-macros"' not in html
    assert "No registraste comidas en este periodo." in html
    assert "Un solo pesaje en el periodo" in html
