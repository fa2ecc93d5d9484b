"""Analytics selectors with numbers worked out by hand: daily summaries, trend statistics
and insights, popular foods, the meal history, the weight trend and the progress page data.
Nobody else's diary is ever counted; bad input raises a clear ValidationError."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutrition.models import DiaryEntry, Food, NutritionTarget, WeightLog
from nutrition.selectors import analytics as a
from nutrition.services import diary as svc


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def goals_2000(user):
    """2,000 kcal; the maintenance split gives protein 100 g, fat 67 g, carbs 250 g."""
    NutritionTarget.objects.create(user=user, energy_kcal=2000)
    return user


def quick(user, day, meal, kcal, protein=0, fat=0, carbs=0, name=""):
    return svc.diary_quick_add(
        actor=user, date=day, meal=meal, name=name or f"{meal} {kcal}", energy_kcal=kcal,
        protein_g=protein, fat_g=fat, carbs_g=carbs,
    )


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


# ---------------------------------------------------------------------------------------
# daily summary


def test_daily_summary_days_meals_goals_and_averages(goals_2000, other_user, today):
    user = goals_2000
    yesterday = today - timedelta(days=1)
    quick(user, today, "desayuno", 500, protein=20, fat=10, carbs=80)
    quick(user, today, "comida", 700, protein=40, fat=20, carbs=90)
    quick(user, today, "colacion_matutina", 100, carbs=25)
    quick(user, yesterday, "cena", 800, protein=30, fat=30, carbs=100)
    quick(other_user, today, "comida", 3000, protein=150)

    result = a.daily_summary(user=user, date=None, days="3")

    assert result["period"] == {"from": (today - timedelta(days=2)).isoformat(), "to": today.isoformat(), "days": 3}
    first, second, third = result["daily_summaries"]
    assert first["date"] == (today - timedelta(days=2)).isoformat()
    assert first["nutrition"] == {"calories": 0, "protein": 0, "carbs": 0, "fat": 0, "fiber": 0}
    assert first["foods_count"] == 0 and first["analyses_count"] == 0
    assert second["nutrition"]["calories"] == 800 and second["meal_distribution"]["dinner"] == 800
    assert third["nutrition"] == {"calories": 1300, "protein": 60, "carbs": 195, "fat": 30, "fiber": None}
    assert third["goals"] == {"calories": 2000, "protein": 100, "carbs": 250, "fat": 67}
    assert third["progress"] == {"calories": 65.0, "protein": 60.0, "carbs": 78.0, "fat": 44.8}
    assert third["analyses_count"] == 3 and third["foods_count"] == 3
    assert third["meal_distribution"] == {"breakfast": 500, "lunch": 700, "dinner": 0, "snack": 100}
    assert third["meals"] == {
        "desayuno": 500, "colacion_matutina": 100, "comida": 700, "colacion_vespertina": 0, "cena": 0,
    }
    # Averages over the two days with entries: (1300 + 800) / 2 and (60 + 30) / 2.
    assert result["averages"] == {
        "daily_calories": 1050, "daily_protein": 45, "daily_carbs": 147.5, "daily_fat": 30,
    }
    assert result["streak_days"] == 2


def test_daily_summary_ending_on_a_past_date(user, today):
    quick(user, today - timedelta(days=5), "comida", 650)
    result = a.daily_summary(user=user, date=(today - timedelta(days=5)).isoformat(), days=1)
    assert [d["nutrition"]["calories"] for d in result["daily_summaries"]] == [650]
    assert result["averages"]["daily_calories"] == 650
    assert result["streak_days"] == 0  # nothing today or yesterday


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),
        ({"days": "abc"}, "days"),
        ({"date": "2025-13-01"}, "date"),
        ({"date": "mañana"}, "date"),
    ],
)
def test_daily_summary_bad_input(user, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        a.daily_summary(user=user, **kwargs)
    assert field in exc.value.message_dict


def test_daily_summary_future_date_refused(user, today):
    with pytest.raises(ValidationError) as exc:
        a.daily_summary(user=user, date=(today + timedelta(days=1)).isoformat())
    assert exc.value.message_dict["date"] == ["La fecha no puede ser futura."]


def test_daily_summary_queries_do_not_grow_with_entries(user, today, django_assert_num_queries):
    quick(user, today, "comida", 500)
    with django_assert_num_queries(4):  # per day and meal, profile, override, streak
        a.daily_summary(user=user, days=7)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, date=today - timedelta(days=i % 7), meal="cena", quantity=1, name="x", energy_kcal=100)
        for i in range(60)
    )
    with django_assert_num_queries(4):
        result = a.daily_summary(user=user, days=7)
    assert sum(d["foods_count"] for d in result["daily_summaries"]) == 61


# ---------------------------------------------------------------------------------------
# trends


def test_trend_statistics_by_hand(goals_2000, other_user, today):
    user = goals_2000
    for i, kcal in enumerate([1800, 2000, 2300, 1500, 2100]):
        quick(user, today - timedelta(days=i), "comida", kcal, protein=kcal / 20)
    quick(other_user, today, "comida", 9000)

    result = a.trends(user=user, period="7d", metric="calories")

    assert result["period"] == "7d" and result["metric"] == "calories"
    assert [p["value"] for p in result["data_points"]] == [2100, 1500, 2300, 2000, 1800]  # oldest first
    assert result["data_points"][-1] == {"date": today.isoformat(), "value": 1800, "goal": 2000, "percentage": 90.0}
    # mean 9700/5 = 1940; sorted 1500 1800 2000 2100 2300 -> median 2000;
    # population sd = sqrt((140² + 60² + 360² + 440² + 160²) / 5) = sqrt(74400) = 272.76;
    # within ±10 % of 2000 (1800..2200): 1800, 2000, 2100 -> 3 of 5 days.
    assert result["statistics"] == {
        "average": 1940, "median": 2000, "min": 1500, "max": 2300, "std_deviation": 272.8,
        "goal_achievement_rate": 60.0,
    }
    goal = next(i for i in result["insights"] if i["type"] == "goal")
    assert goal["message"] == "Has alcanzado tu meta de calorías 3 de los últimos 7 días"
    assert goal["impact"] == "neutral"  # 3/7 = 43 %
    streak = next(i for i in result["insights"] if i["type"] == "streak")
    assert streak == {"type": "streak", "message": "Llevas 5 días seguidos registrando lo que comes", "impact": "positive"}


def test_goal_bands_per_metric(goals_2000, today):
    user = goals_2000  # protein 100 g, fat 67 g
    for i, (protein, fat) in enumerate([(95, 60), (80, 77), (130, 80)]):
        quick(user, today - timedelta(days=i), "comida", 1000, protein=protein, fat=fat)
    protein = a.trends(user=user, period="7d", metric="protein")
    # protein counts from 90 g up, no ceiling: 95 and 130 -> 2 of 3
    assert protein["statistics"]["goal_achievement_rate"] == 66.7
    fat = a.trends(user=user, period="7d", metric="fat")
    # fat within ±15 % of 67 g (56.95..77.05): 60 and 77 -> 2 of 3
    assert fat["statistics"]["goal_achievement_rate"] == 66.7
    assert [p["goal"] for p in fat["data_points"]] == [67, 67, 67]


def test_trend_insight_compares_two_weeks(goals_2000, today):
    user = goals_2000
    for i in range(14, 19):
        quick(user, today - timedelta(days=i), "comida", 1600)
    for i in range(0, 5):
        quick(user, today - timedelta(days=i), "comida", 1900)
    result = a.trends(user=user, period="30d")
    trend = result["insights"][0]
    # (1900 - 1600) / 1600 = +18.75 % and closer to the 2,000 kcal goal
    assert trend == {
        "type": "trend", "message": "Tus calorías promedio han aumentado 19 % en las últimas 2 semanas",
        "impact": "positive",
    }


def test_trend_insight_moving_away_from_goal_is_negative(goals_2000, today):
    user = goals_2000
    for i in range(14, 17):
        quick(user, today - timedelta(days=i), "comida", 2000)
    for i in range(0, 3):
        quick(user, today - timedelta(days=i), "comida", 2100)
    trend = a.trends(user=user, period="7d")["insights"][0]
    assert trend["message"] == "Tus calorías promedio han aumentado 5 % en las últimas 2 semanas"
    assert trend["impact"] == "negative"


def test_no_trend_without_enough_days_and_empty_statistics(user):
    result = a.trends(user=user, period="30d")
    assert result["data_points"] == []
    assert result["statistics"] == {
        "average": None, "median": None, "min": None, "max": None, "std_deviation": None,
        "goal_achievement_rate": None,
    }
    assert [i["type"] for i in result["insights"]] == ["streak"]
    assert result["insights"][0]["impact"] == "negative"


def test_balance_insight_protein_share(goals_2000, today):
    user = goals_2000  # planned protein share: 100*4 / (100*4 + 67*9 + 250*4) = 19.9 %
    quick(user, today, "comida", 2000, protein=50, fat=70, carbs=300)
    balance = next(i for i in a.trends(user=user, period="7d")["insights"] if i["type"] == "balance")
    # 50*4 = 200 of 200 + 630 + 1200 = 2030 kcal -> 9.9 %
    assert balance["impact"] == "negative"
    assert balance["message"].startswith("La proteína aporta solo 10 % de tu energía; tu meta es 20 %.")


@pytest.mark.parametrize(("kwargs", "field"), [({"period": "2y"}, "period"), ({"metric": "sugar"}, "metric")])
def test_trends_bad_input(user, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        a.trends(user=user, **kwargs)
    assert field in exc.value.message_dict


def test_trends_one_year_is_four_queries(user, today, django_assert_num_queries):
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, date=today - timedelta(days=i), meal="comida", quantity=1, name="x",
                   energy_kcal=1500 + i, protein_g=80, fat_g=50, carbs_g=200)
        for i in range(365)
    )
    with django_assert_num_queries(4):
        result = a.trends(user=user, period="1y")
    assert len(result["data_points"]) == 365
    assert result["statistics"]["min"] == 1500 and result["statistics"]["max"] == 1864


# ---------------------------------------------------------------------------------------
# popular foods


@pytest.mark.usefixtures("foods")
def test_popular_foods_counts_calories_and_frequency(user, other_user, today, django_assert_num_queries):
    apple, beans = usda("09003"), usda("16015")
    svc.diary_entry_add(actor=user, date=today, meal="desayuno", food_id=apple.pk, quantity=150)
    svc.diary_entry_add(actor=user, date=today - timedelta(days=3), meal="colacion_matutina", food_id=apple.pk, quantity=200)
    svc.diary_entry_add(actor=user, date=today, meal="comida", food_id=beans.pk, quantity=100)
    svc.diary_entry_add(actor=user, date=today - timedelta(days=40), meal="comida", food_id=beans.pk, quantity=100)
    quick(user, today, "cena", 600)  # no food: not a "popular food"
    for _ in range(3):
        svc.diary_entry_add(actor=other_user, date=today, meal="comida", food_id=beans.pk, quantity=100)

    with django_assert_num_queries(1):
        result = a.popular_foods(user=user, period="30d")

    assert result["period"] == "30d"
    first, second = result["foods"]
    assert first == {
        "food_id": f"usda_{apple.pk}",
        "name": apple.name_es,
        "category": apple.category,
        "consumption_count": 2,
        "total_calories": round(apple.energy_kcal * 3.5, 1),
        "avg_portion_grams": 175.0,
        "frequency_per_week": 0.5,  # 2 × 7 / 30 = 0.47
    }
    assert second["food_id"] == f"usda_{beans.pk}" and second["consumption_count"] == 1
    assert a.popular_foods(user=user, period="90d")["foods"][1]["consumption_count"] == 2


def test_popular_foods_period_choices(user):
    with pytest.raises(ValidationError) as exc:
        a.popular_foods(user=user, period="1y")
    assert "period" in exc.value.message_dict


# ---------------------------------------------------------------------------------------
# meal history


def test_meal_history_groups_meals_newest_first(user, other_user, today, django_assert_num_queries):
    yesterday = today - timedelta(days=1)
    quick(user, yesterday, "desayuno", 300, name="Huevos a la mexicana")
    quick(user, yesterday, "desayuno", 94.6, name="Manzana, cruda")
    quick(user, yesterday, "cena", 450, name="Tacos de frijol")
    quick(user, today, "colacion_matutina", 120, name="Yogur")
    quick(user, today, "colacion_vespertina", 80, name="Jícama")
    quick(other_user, today, "comida", 999, name="Ajeno")

    with django_assert_num_queries(3):  # count, page of groups, entries of the page
        result = a.meal_history(user=user, page=1, limit=3)

    assert (result["page"], result["limit"], result["total_pages"], result["total_results"]) == (1, 3, 2, 4)
    assert [x["id"] for x in result["analyses"]] == [
        f"{today}:colacion_vespertina", f"{today}:colacion_matutina", f"{yesterday}:cena",
    ]
    page2 = a.meal_history(user=user, page="2", limit="3")
    breakfast = page2["analyses"][0]
    assert breakfast["total_calories"] == 394.6
    assert breakfast["foods_count"] == 2
    assert breakfast["meal_type"] == "breakfast" and breakfast["meal"] == "desayuno"
    assert breakfast["confidence_score"] is None
    assert breakfast["foods_summary"] == ["Huevos a la mexicana (300.0 cal)", "Manzana, cruda (94.6 cal)"]
    assert "Ajeno" not in str(result) + str(page2)
    assert a.meal_history(user=user, page=3, limit=3)["analyses"] == []


def test_meal_history_filters(user, today):
    quick(user, today - timedelta(days=3), "colacion_matutina", 100)
    quick(user, today - timedelta(days=2), "colacion_vespertina", 150)
    quick(user, today - timedelta(days=2), "comida", 700)
    snacks = a.meal_history(user=user, meal_type="snack")
    assert [x["meal"] for x in snacks["analyses"]] == ["colacion_vespertina", "colacion_matutina"]
    assert {x["meal_type"] for x in snacks["analyses"]} == {"snack"}
    ranged = a.meal_history(user=user, from_date=(today - timedelta(days=2)).isoformat(), to_date=today.isoformat())
    assert ranged["total_results"] == 2
    assert a.meal_history(user=user, meal_type="comida")["total_results"] == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"page": 0}, "page"),
        ({"page": "uno"}, "page"),
        ({"meal_type": "brunch"}, "meal_type"),
        ({"from_date": "2025-02-10", "to_date": "2025-02-01"}, "from_date"),
        ({"to_date": "10/02/2025"}, "to_date"),
    ],
)
def test_meal_history_bad_input(user, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        a.meal_history(user=user, **kwargs)
    assert field in exc.value.message_dict


# ---------------------------------------------------------------------------------------
# weight


def test_smoothing_is_a_centred_moving_average():
    weights = [80, 79, 81, 78, 77, 79, 76, 75]
    # window of 7 (3 each side), cut at the ends:
    # [80,79,81,78]/4, [80..77]/5, [80..79]/6, [80..76]/7, [79..75]/7, [81..75]/6, [78..75]/5, [77..75]/4
    assert a.smooth(weights) == [79.5, 79.0, 79.0, 78.57, 77.86, 77.67, 77.0, 76.75]
    assert a.smooth([]) == []
    assert a.smooth([70.0]) == [70.0]


def test_weight_trend(user, other_user, today):
    for i, kg in enumerate([80, 79, 81, 78, 77, 79, 76, 75]):
        WeightLog.objects.create(user=user, date=today - timedelta(days=20 - 2 * i), weight_kg=Decimal(kg))
    WeightLog.objects.create(user=user, date=today - timedelta(days=60), weight_kg=Decimal(90))
    WeightLog.objects.create(user=other_user, date=today, weight_kg=Decimal(50))
    result = a.weight_trend(user=user, period="30d")
    assert result["period"] == "30d"
    assert [p["weight_kg"] for p in result["points"]] == [80, 79, 81, 78, 77, 79, 76, 75]
    assert result["points"][3] == {"date": (today - timedelta(days=14)).isoformat(), "weight_kg": 78.0, "smoothed": 78.57}
    assert result["change_kg"] == -5.0
    assert a.weight_trend(user=user, period="90d")["change_kg"] == -15.0
    single = a.weight_trend(user=user, period="7d")  # only the weigh-in of 6 days ago
    assert [p["weight_kg"] for p in single["points"]] == [75] and single["change_kg"] is None


# ---------------------------------------------------------------------------------------
# progress page data


def test_progress_page_data(goals_2000, other_user, today, django_assert_num_queries):
    user = goals_2000
    quick(user, today, "desayuno", 500, protein=25, fat=20, carbs=55)
    quick(user, today, "comida", 1300, protein=75, fat=40, carbs=165)
    quick(user, today - timedelta(days=1), "cena", 2000, protein=100, fat=60, carbs=260)
    quick(other_user, today, "comida", 5000)
    WeightLog.objects.create(user=user, date=today - timedelta(days=3), weight_kg=Decimal("72.4"))
    WeightLog.objects.create(user=user, date=today, weight_kg=Decimal("71.6"))

    with django_assert_num_queries(5):
        data = a.progress_page_data(user=user, period="7d")

    assert data["has_data"] and data["has_food"] and data["has_weight"]
    assert len(data["days"]) == 7 and data["days"][-1]["date"] == today
    assert [d["kcal"] for d in data["days"]] == [None] * 5 + [2000, 1800]
    assert data["average_kcal"] == 1900 and data["target_kcal"] == 2000 and data["average_percent"] == 95.0
    assert data["goal_achievement_rate"] == 100.0 and data["met_days"] == 2 and data["logged_days"] == 2
    assert data["streak_days"] == 2
    # protein 200 g × 4 = 800, fat 120 g × 9 = 1080, carbs 480 g × 4 = 1920 -> 3800 kcal
    assert data["macros"]["grams"] == {"protein_g": 200, "fat_g": 120, "carbs_g": 480}
    assert data["macros"]["split"] == {"protein": 21.1, "fat": 28.4, "carbs": 50.5}
    meals = {m["code"]: m for m in data["meals"]}
    assert meals["comida"]["kcal_per_day"] == 650 and meals["cena"]["kcal_per_day"] == 1000
    assert meals["comida"]["share"] == 34.2  # 1300 / 3800
    assert data["weight"]["change_kg"] == -0.8 and data["weight"]["latest_kg"] == 71.6
    assert [r["kcal"] for r in data["calorie_rows"]] == [2000, 1800]


def test_progress_page_data_weekly_table_for_long_periods(user, today):
    quick(user, today, "comida", 1000)
    quick(user, today - timedelta(days=1), "comida", 2000)
    data = a.progress_page_data(user=user, period="90d")
    rows = data["calorie_rows"]
    monday = today - timedelta(days=today.weekday())
    if today.weekday() == 0:  # Monday: yesterday was last week
        assert [(r["kcal"], r["days"]) for r in rows] == [(2000, 1), (1000, 1)]
    else:
        assert [(r["date"], r["kcal"], r["days"]) for r in rows] == [(monday, 1500, 2)]


def test_progress_page_data_empty(user):
    data = a.progress_page_data(user=user, period="30d")
    assert not data["has_data"]
    assert data["average_kcal"] is None and data["weight"]["change_kg"] is None
    assert [m["kcal_per_day"] for m in data["meals"]] == [0, 0, 0, 0, 0]
