"""Analytics API (seed 003 shapes): daily summary, trends, popular foods, weight and the meal
history. Bad input answers 400 VALIDATION_ERROR naming the field; another person's diary
never shows; the daily summary costs the same number of queries for 1 or 40 entries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from nutrition.models import DiaryEntry, Food, NutritionTarget, WeightLog
from nutrition.services import diary as svc

DAILY_SUMMARY_QUERIES = 4  # sums per day and meal, profile, target override, streak dates


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def today():
    return timezone.localdate()


def quick(user, day, meal, kcal, **macros):
    return svc.diary_quick_add(actor=user, date=day, meal=meal, name=f"{meal} {kcal}", energy_kcal=kcal, **macros)


def bulk_entries(user, day, n, meal="comida"):
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, date=day, meal=meal, quantity=100, grams=100, name=f"Alimento {i}",
                   energy_kcal=50, protein_g=2, fat_g=1, carbs_g=8, fiber_g=1)
        for i in range(n)
    )


def assert_validation_error(response, field):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert field in error["details"]


# ---------------------------------------------------------------------------------------
# daily summary


def test_daily_summary_shape_and_numbers(api, user, other_user, today):
    NutritionTarget.objects.create(user=user, energy_kcal=2000)
    quick(user, today, "desayuno", 450, protein_g=20, fat_g=15, carbs_g=60)
    quick(user, today, "colacion_vespertina", 150, protein_g=5, carbs_g=20)
    quick(other_user, today, "comida", 2500)

    response = api.get("/api/v1/analytics/daily-summary", {"days": 2})

    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "60"
    body = response.json()
    assert set(body) == {"period", "daily_summaries", "averages", "streak_days"}
    assert body["period"] == {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat(), "days": 2}
    yesterday, day = body["daily_summaries"]
    assert set(day) == {"date", "nutrition", "goals", "progress", "analyses_count", "foods_count",
                        "meal_distribution", "meals"}
    assert day["nutrition"] == {"calories": 600.0, "protein": 25.0, "carbs": 80.0, "fat": 15.0, "fiber": None}
    assert day["goals"] == {"calories": 2000, "protein": 100, "carbs": 250, "fat": 67}
    assert day["progress"]["calories"] == 30.0
    assert (day["analyses_count"], day["foods_count"]) == (2, 2)
    assert day["meal_distribution"] == {"breakfast": 450.0, "lunch": 0.0, "dinner": 0.0, "snack": 150.0}
    assert day["meals"]["colacion_vespertina"] == 150.0
    assert yesterday["foods_count"] == 0 and yesterday["nutrition"]["calories"] == 0
    assert body["averages"] == {"daily_calories": 600.0, "daily_protein": 25.0, "daily_carbs": 80.0, "daily_fat": 15.0}
    assert body["streak_days"] == 1


def test_daily_summary_defaults_to_seven_days_ending_today(api, today):
    body = api.get("/api/v1/analytics/daily-summary").json()
    assert body["period"]["days"] == 7 and body["period"]["to"] == today.isoformat()
    assert len(body["daily_summaries"]) == 7
    assert body["averages"]["daily_calories"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [({"days": 0}, "days"), ({"days": 91}, "days"), ({"days": "abc"}, "days"), ({"date": "2025-02-30"}, "date")],
)
def test_daily_summary_bad_input(api, params, field):
    assert_validation_error(api.get("/api/v1/analytics/daily-summary", params), field)


def test_daily_summary_future_date(api, today):
    response = api.get("/api/v1/analytics/daily-summary", {"date": (today + timedelta(days=1)).isoformat()})
    assert_validation_error(response, "date")
    assert response.json()["error"]["details"]["date"] == ["La fecha no puede ser futura."]


def test_daily_summary_queries_same_for_1_and_40_entries(api, user, today, django_assert_num_queries):
    bulk_entries(user, today, 1)
    with django_assert_num_queries(DAILY_SUMMARY_QUERIES):
        one = api.get("/api/v1/analytics/daily-summary")
    bulk_entries(user, today, 39, meal="cena")
    with django_assert_num_queries(DAILY_SUMMARY_QUERIES):
        forty = api.get("/api/v1/analytics/daily-summary")
    assert one.json()["daily_summaries"][-1]["foods_count"] == 1
    day = forty.json()["daily_summaries"][-1]
    assert day["foods_count"] == 40 and day["nutrition"]["calories"] == 2000.0 and day["analyses_count"] == 2


def test_analytics_need_authentication(client):
    for url in ("/api/v1/analytics/daily-summary", "/api/v1/analytics/trends", "/api/v1/analytics/popular-foods",
                "/api/v1/analytics/weight", "/api/v1/users/history"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_daily_summary_with_jwt(client, user, today):
    quick(user, today, "comida", 820)
    response = client.get("/api/v1/analytics/daily-summary", {"days": 1},
                          HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    assert response.status_code == 200
    assert response.json()["daily_summaries"][0]["nutrition"]["calories"] == 820.0


# ---------------------------------------------------------------------------------------
# trends


def test_trends_shape_statistics_and_insights(api, user, other_user, today):
    NutritionTarget.objects.create(user=user, energy_kcal=2000)
    for i, kcal in enumerate([2000, 1900, 2500]):
        quick(user, today - timedelta(days=i), "comida", kcal, protein_g=100, fat_g=67, carbs_g=250)
    quick(other_user, today - timedelta(days=5), "comida", 4000)

    body = api.get("/api/v1/analytics/trends", {"period": "7d", "metric": "calories"}).json()

    assert set(body) == {"period", "metric", "data_points", "insights", "statistics"}
    assert (body["period"], body["metric"]) == ("7d", "calories")
    assert body["data_points"] == [
        {"date": (today - timedelta(days=2)).isoformat(), "value": 2500.0, "goal": 2000, "percentage": 125.0},
        {"date": (today - timedelta(days=1)).isoformat(), "value": 1900.0, "goal": 2000, "percentage": 95.0},
        {"date": today.isoformat(), "value": 2000.0, "goal": 2000, "percentage": 100.0},
    ]
    # mean 2133.3, median 2000, sd = sqrt((133.3² + 233.3² + 366.7²) / 3) = 262.5; 2 of 3 within ±10 %
    assert body["statistics"] == {
        "average": 2133.3, "median": 2000.0, "min": 1900.0, "max": 2500.0, "std_deviation": 262.5,
        "goal_achievement_rate": 66.7,
    }
    for insight in body["insights"]:
        assert set(insight) == {"type", "message", "impact"}
        assert insight["type"] in {"trend", "goal", "streak", "balance"}
        assert insight["impact"] in {"positive", "negative", "neutral"}
    messages = [i["message"] for i in body["insights"]]
    assert "Has alcanzado tu meta de calorías 2 de los últimos 7 días" in messages
    assert "Llevas 3 días seguidos registrando lo que comes" in messages


def test_trends_defaults(api):
    body = api.get("/api/v1/analytics/trends").json()
    assert (body["period"], body["metric"]) == ("30d", "calories")


@pytest.mark.parametrize(("params", "field"), [({"period": "2y"}, "period"), ({"metric": "sugar"}, "metric")])
def test_trends_bad_input(api, params, field):
    assert_validation_error(api.get("/api/v1/analytics/trends", params), field)


# ---------------------------------------------------------------------------------------
# popular foods


@pytest.mark.usefixtures("foods")
def test_popular_foods(api, user, other_user, today):
    beans = Food.objects.get(source="usda", external_id="16015")
    apple = Food.objects.get(source="usda", external_id="09003")
    for _ in range(3):
        svc.diary_entry_add(actor=user, date=today, meal="comida", food_id=beans.pk, quantity=120)
    svc.diary_entry_add(actor=other_user, date=today, meal="comida", food_id=apple.pk, quantity=100)

    body = api.get("/api/v1/analytics/popular-foods", {"period": "7d"}).json()

    assert body["period"] == "7d"
    assert body["foods"] == [
        {
            "food_id": f"usda_{beans.pk}",
            "name": beans.name_es,
            "category": beans.category,
            "consumption_count": 3,
            "total_calories": round(beans.energy_kcal * 3.6, 1),
            "avg_portion_grams": 120.0,
            "frequency_per_week": 3.0,
        }
    ]


def test_popular_foods_bad_period(api):
    assert_validation_error(api.get("/api/v1/analytics/popular-foods", {"period": "1y"}), "period")


# ---------------------------------------------------------------------------------------
# weight


def test_weight_trend(api, user, other_user, today):
    for i, kg in enumerate(["70.0", "69.6", "69.5"]):
        WeightLog.objects.create(user=user, date=today - timedelta(days=4 - 2 * i), weight_kg=Decimal(kg))
    WeightLog.objects.create(user=other_user, date=today, weight_kg=Decimal("99.0"))
    body = api.get("/api/v1/analytics/weight", {"period": "7d"}).json()
    assert body == {
        "period": "7d",
        "points": [
            {"date": (today - timedelta(days=4)).isoformat(), "weight_kg": 70.0, "smoothed": 69.7},
            {"date": (today - timedelta(days=2)).isoformat(), "weight_kg": 69.6, "smoothed": 69.7},
            {"date": today.isoformat(), "weight_kg": 69.5, "smoothed": 69.7},
        ],
        "change_kg": -0.5,
    }
    assert_validation_error(api.get("/api/v1/analytics/weight", {"period": "5y"}), "period")


# ---------------------------------------------------------------------------------------
# history


def test_history_shape_and_pagination(api, user, other_user, today, django_assert_num_queries):
    yesterday = today - timedelta(days=1)
    quick(user, yesterday, "desayuno", 300)
    quick(user, yesterday, "desayuno", 120)
    quick(user, today, "comida", 650)
    quick(other_user, today, "cena", 999)

    with django_assert_num_queries(3):
        response = api.get("/api/v1/users/history", {"limit": 1})
    body = response.json()
    assert set(body) == {"page", "limit", "total_pages", "total_results", "analyses"}
    assert (body["page"], body["limit"], body["total_pages"], body["total_results"]) == (1, 1, 2, 2)
    (meal,) = body["analyses"]
    assert set(meal) == {"id", "total_calories", "foods_count", "confidence_score", "meal_type", "meal", "date",
                         "created_at", "foods_summary"}
    assert meal["id"] == f"{today.isoformat()}:comida"
    assert (meal["meal_type"], meal["meal"], meal["total_calories"]) == ("lunch", "comida", 650.0)
    assert meal["foods_summary"] == ["comida 650 (650.0 cal)"]

    second = api.get("/api/v1/users/history", {"limit": 1, "page": 2}).json()["analyses"][0]
    assert (second["meal_type"], second["foods_count"], second["total_calories"]) == ("breakfast", 2, 420.0)

    breakfasts = api.get("/api/v1/users/history", {"meal_type": "breakfast"}).json()
    assert [a["id"] for a in breakfasts["analyses"]] == [f"{yesterday.isoformat()}:desayuno"]
    ranged = api.get("/api/v1/users/history", {"from_date": today.isoformat(), "to_date": today.isoformat()}).json()
    assert ranged["total_results"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"page": "x"}, "page"),
        ({"meal_type": "brunch"}, "meal_type"),
        ({"from_date": "2025-13-01"}, "from_date"),
        ({"from_date": "2025-02-10", "to_date": "2025-02-01"}, "from_date"),
    ],
)
def test_history_bad_input(api, params, field):
    assert_validation_error(api.get("/api/v1/users/history", params), field)


def test_another_persons_diary_never_shows(api, other_user, today):
    quick(other_user, today, "comida", 1234)
    WeightLog.objects.create(user=other_user, date=today, weight_kg=Decimal("80.0"))
    summary = api.get("/api/v1/analytics/daily-summary").json()
    assert all(d["foods_count"] == 0 for d in summary["daily_summaries"])
    assert api.get("/api/v1/analytics/trends").json()["data_points"] == []
    assert api.get("/api/v1/analytics/popular-foods").json()["foods"] == []
    assert api.get("/api/v1/analytics/weight").json()["points"] == []
    assert api.get("/api/v1/users/history").json()["total_results"] == 0
